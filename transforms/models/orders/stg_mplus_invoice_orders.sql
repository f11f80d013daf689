-- The orders an invoice came from (an order invoiced at the till): such an invoice is not sent again when its
-- order is.
with source as (
    select * from staging.mplus_invoices__orders
)
select cast(invoice_id as varchar) as invoice_id, cast(order_id as varchar) as order_id
from source
