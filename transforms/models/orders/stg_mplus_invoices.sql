-- MplusKASSA invoices (getInvoices by syncMarker): most till sales are invoices, many without an order.
with source as (
    select * from staging.mplus_invoices
)
select
    cast(invoice_id as varchar) as invoice_id,
    coalesce(nullif(ext_invoice_id, ''), cast(invoice_id as varchar)) as invoice_key,
    ext_invoice_id,
    cast(invoice_year as integer) as invoice_year,
    cast(invoice_number as bigint) as invoice_number,
    invoice_type,
    state as invoice_state,
    cast(relation_number as bigint) as relation_number,
    cast(entry_branch_number as integer) as branch_number,
    cast(financial_date as date) as financial_date,
    cast(total_incl as decimal(18, 2)) as total_incl,
    cast(total_excl as decimal(18, 2)) as total_excl,
    cast(coalesce(paid_amount, 0) as decimal(18, 2)) as paid_amount,
    vat_method,
    nullif(invoice_name, '') as invoice_name,
    nullif(invoice_company_name, '') as invoice_company_name,
    nullif(invoice_address, '') as invoice_address,
    nullif(invoice_zipcode, '') as invoice_zipcode,
    nullif(invoice_city, '') as invoice_city,
    nullif(invoice_country, '') as invoice_country
from source
