-- Sales orders already in AFAS (Profit_Salesorders); CustomerReference holds the MplusKASSA order key.
with source as (
    select * from staging.afas_sales_orders
)
select
    cast(order_number as varchar) as record_key,
    cast(order_number as varchar) as afas_order_number,
    nullif(cast(customer_reference as varchar), '') as order_key
from source
