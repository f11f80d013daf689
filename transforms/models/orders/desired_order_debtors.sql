-- AFAS debtors the sendable orders need: one per customer e-mail (created, or updated when changed).
with wanted as (
    select distinct o.email
    from int_orders as o
    where o.status_ok and not o.already_in_afas and o.email is not null
      and o.order_key not in (select record_key from errors_orders)
),
customers as (
    select c.*, row_number() over (partition by c.email order by c.order_key desc) as rn
    from int_order_customers as c
    where c.email in (select email from wanted)
)
select
    email as record_key,
    email as group_key,
    email,
    debtor_kind,
    company_name,
    first_name,
    last_name,
    street,
    house_number,
    house_number_addition,
    zipcode,
    city,
    afas_country as country,
    vat_number
from customers
where rn = 1
