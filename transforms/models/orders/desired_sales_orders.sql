-- Orders that should exist in AFAS: in the chosen state and without error rows.
select
    order_key as record_key,
    order_key as group_key,
    order_key,
    order_id,
    email,
    debtor_id,
    financial_date,
    total_incl,
    total_excl,
    afas_country as country
from int_orders
where status_ok
  and order_key not in (select record_key from errors_orders)
