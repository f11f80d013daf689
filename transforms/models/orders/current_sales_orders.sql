-- Orders AFAS already holds (read back by CustomerReference): these are never sent again.
select
    o.order_key as record_key,
    o.order_key as group_key,
    o.order_key,
    cast(null as varchar) as order_id,
    cast(null as varchar) as email,
    cast(null as varchar) as debtor_id,
    cast(null as date) as financial_date,
    cast(null as decimal(18, 2)) as total_incl,
    cast(null as decimal(18, 2)) as total_excl,
    cast(null as varchar) as country
from stg_afas_sales_orders as o
where o.order_key is not null
