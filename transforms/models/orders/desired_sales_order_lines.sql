-- The lines of each document to send: the AFAS article's own unit, the line text cut to AFAS's length (the full
-- text then goes to the line's remark), and the AFAS VAT code and revenue account of the customer's country.
select
    o.order_key,
    l.line_no,
    l.item_code,
    coalesce(t.fitted, l.text) as text,
    case when coalesce(t.cut, false) then l.text end as full_text,
    i.unit,
    l.quantity,
    l.price_excl,
    l.price_incl,
    l.discount_percentage,
    l.vat_percentage,
    l.total_incl,
    l.total_excl,
    v.vat_code as afas_vat_code,
    v.revenue_account
from desired_sales_orders as o
join stg_mplus_document_lines as l on l.order_key = o.order_key
left join stg_afas__items as i on i.item_code = l.item_code
left join stg_order_texts as t on t.kind = 'line' and t.value = l.text
left join settings.order_countries as v on v.afas_code = o.country
