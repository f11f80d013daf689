-- Orders that are ready for AFAS: in the chosen state, not yet in AFAS, with their debtor resolved
-- (by e-mail, or the default debtor for orders without a customer).
with orders as (
    select o.*, c.email, c.debtor_kind, c.afas_country
    from stg_mplus_orders as o
    join int_order_customers as c on c.order_key = o.order_key
),
in_afas as (
    select distinct order_key from stg_afas_sales_orders where order_key is not null
),
debtors as (
    select email, min(debtor_id) as debtor_id from stg_afas_order_debtors where email is not null group by email
)
select
    o.order_key,
    o.order_id,
    o.financial_date,
    o.branch_number,
    o.total_incl,
    o.total_excl,
    o.vat_method,
    o.email,
    o.debtor_kind,
    o.afas_country,
    coalesce(d.debtor_id, case when o.email is null then {{ default_debtor }} end) as debtor_id,
    o.email is not null and d.debtor_id is null as needs_new_debtor,
    o.order_key in (select order_key from in_afas) as already_in_afas,
    ({{ order_status_filter }}) as status_ok
from orders as o
left join debtors as d on d.email = o.email
