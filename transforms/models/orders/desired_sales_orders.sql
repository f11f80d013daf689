-- Orders and invoices that should exist in AFAS, as one document each: in the chosen state, not an invoice of
-- an order already sent, without error rows. `content_hash` covers what the document is made of beyond these
-- columns (its lines, the AFAS articles and debtor it names, the order settings), so a document AFAS refused
-- is held until one of them changes (reverse_etl.held).
with lines as (
    select
        l.order_key,
        string_agg(concat_ws('|', l.item_code, cast(l.quantity as varchar), cast(l.price_excl as varchar),
                             cast(l.discount_percentage as varchar), coalesce(l.text, ''),
                             coalesce(i.unit, ''), cast(coalesce(i.blocked, false) as varchar)),
                   ';' order by l.line_no) as lines_text
    from stg_mplus_document_lines as l
    left join stg_afas__items as i on i.item_code = l.item_code
    group by l.order_key
),
debtors as (
    select debtor_id, max(cast(blocked as varchar)) as blocked from stg_afas_order_debtors group by debtor_id
)
select
    o.order_key as record_key,
    o.order_key as group_key,
    o.order_key,
    o.source,
    o.document_id,
    o.document_number,
    o.document_type,
    o.email,
    o.debtor_id,
    o.financial_date,
    o.total_incl,
    o.total_excl,
    o.afas_country as country,
    o.delivery_method,
    o.payment_method,
    md5(concat_ws('#', coalesce(l.lines_text, ''), coalesce(d.blocked, ''), {{ orders_settings_hash }}))
        as content_hash
from int_orders as o
left join lines as l on l.order_key = o.order_key
left join debtors as d on d.debtor_id = o.debtor_id
where o.wanted
  and o.order_key not in (select record_key from errors_orders)
