-- Stock per article and warehouse from AFAS (custom GetConnector Sync_StockPerWarehouse).
with source as (
    select * from staging.afas_stock
)
select
    cast(item_code as varchar) as item_code,
    cast(warehouse as varchar) as warehouse,
    cast(coalesce(physical_stock, 0) as decimal(18, 4)) as physical,
    cast(coalesce(available_stock, 0) as decimal(18, 4)) as available,
    cast(coalesce(sales_reservations, 0) as decimal(18, 4)) as reserved,
    cast(coalesce(purchase_ordered, 0) as decimal(18, 4)) as incoming
from source
