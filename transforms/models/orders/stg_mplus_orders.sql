-- MplusKASSA orders (getOrders by syncMarker), one row per order with its invoice address.
with source as (
    select * from staging.mplus_orders
)
select
    cast(order_id as varchar) as order_id,
    coalesce(nullif(ext_order_id, ''), cast(order_id as varchar)) as order_key,
    ext_order_id,
    cast(order_year as integer) as order_year,
    cast(order_number as bigint) as order_number,
    cast(relation_number as bigint) as relation_number,
    cast(entry_branch_number as integer) as branch_number,
    cast(financial_date as date) as financial_date,
    cast(total_incl as decimal(18, 2)) as total_incl,
    cast(total_excl as decimal(18, 2)) as total_excl,
    vat_method,
    coalesce(fully_paid, false) as fully_paid,
    cancel_state,
    nullif(delivery_method, '') as delivery_method,
    nullif(payment_method, '') as payment_method,
    nullif(invoice_name, '') as invoice_name,
    nullif(invoice_company_name, '') as invoice_company_name,
    nullif(invoice_address, '') as invoice_address,
    nullif(invoice_zipcode, '') as invoice_zipcode,
    nullif(invoice_city, '') as invoice_city,
    nullif(invoice_country, '') as invoice_country
from source
