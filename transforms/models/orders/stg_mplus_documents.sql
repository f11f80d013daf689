-- Every till sale that may become an AFAS document: orders and invoices in one shape (`orders.status_filter`
-- reads it as `o`). An invoice is fully paid when its state says so or its payments cover it.
-- document_number is the till's own number (O<year>-<n> for an order, F<year>-<n> for an invoice): short and
-- unique, the entry number (BpNr) of a financial entry.
select
    'order' as source,
    o.order_id as document_id,
    o.order_key,
    coalesce('O' || cast(o.order_year as varchar) || '-' || cast(o.order_number as varchar), o.order_key)
        as document_number,
    o.relation_number,
    o.branch_number,
    o.financial_date,
    o.total_incl,
    o.total_excl,
    o.vat_method,
    o.fully_paid,
    o.cancel_state,
    cast(null as varchar) as invoice_state,
    o.delivery_method,
    o.payment_method,
    o.invoice_name,
    o.invoice_company_name,
    o.invoice_address,
    o.invoice_zipcode,
    o.invoice_city,
    o.invoice_country
from stg_mplus_orders as o
union all
select
    'invoice' as source,
    i.invoice_id as document_id,
    i.invoice_key as order_key,
    coalesce('F' || cast(i.invoice_year as varchar) || '-' || cast(i.invoice_number as varchar), i.invoice_key)
        as document_number,
    i.relation_number,
    i.branch_number,
    i.financial_date,
    i.total_incl,
    i.total_excl,
    i.vat_method,
    i.invoice_state = 'INVOICE-STATE-PAID' or (i.total_incl > 0 and i.paid_amount >= i.total_incl) as fully_paid,
    cast(null as varchar) as cancel_state,
    i.invoice_state,
    cast(null as varchar) as delivery_method,
    cast(null as varchar) as payment_method,
    i.invoice_name,
    i.invoice_company_name,
    i.invoice_address,
    i.invoice_zipcode,
    i.invoice_city,
    i.invoice_country
from stg_mplus_invoices as i
