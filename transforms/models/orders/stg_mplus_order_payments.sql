-- Payments per order: method and amount in euros.
with source as (
    select * from staging.mplus_orders__payments
)
select
    cast(order_id as varchar) as order_id,
    cast(seq as integer) as seq,
    method,
    cast(amount as decimal(18, 2)) as amount
from source
