-- The lines of each order to send, with the AFAS VAT code and revenue account of the customer's country.
select
    o.order_key,
    l.line_no,
    l.item_code,
    l.text,
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
join stg_mplus_order_lines as l on l.order_id = o.order_id
left join settings.order_countries as v on v.afas_code = o.country
