-- Orders held back, naming the order, the line and the field; they are sent once fixed.
with ready as (
    select * from int_orders where status_ok and not already_in_afas
)
select
    o.order_key as record_key,
    'lines[' || cast(l.line_no as varchar) || '].article_number' as field,
    'Order ' || o.order_key || ' line ' || cast(l.line_no as varchar) || ': article ' || l.item_code
        || ' does not exist in AFAS. The order is held and sent once the article exists in AFAS.' as message
from ready as o
join stg_mplus_order_lines as l on l.order_id = o.order_id
left join stg_afas_items as i on i.item_code = l.item_code
where i.item_code is null
union all
select
    o.order_key as record_key,
    'debtor' as field,
    'Order ' || o.order_key || ' has no customer and no default debtor is set: set orders.default_debtor.'
        as message
from ready as o
where o.email is null and o.debtor_id is null
union all
select
    o.order_key as record_key,
    'country' as field,
    'Order ' || o.order_key || ': the customer''s country has no AFAS country code: add it to the settings.'
        as message
from ready as o
where o.afas_country is null
