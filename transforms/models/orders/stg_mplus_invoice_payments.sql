-- Payments per invoice: method and amount in euros.
with source as (
    select * from staging.mplus_invoices__payments
)
select
    cast(invoice_id as varchar) as invoice_id,
    cast(seq as integer) as seq,
    method,
    cast(amount as decimal(18, 2)) as amount
from source
