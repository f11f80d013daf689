-- Stock per item and warehouse from AFAS (GetConnector Sync_StockPerWarehouse): contract types only.
with source as (
    select * from staging.afas_stock
)
select
    cast(item_code as varchar) || '|' || cast(warehouse as varchar) as record_key,
    cast(item_code as varchar) as item_code,
    cast(warehouse as varchar) as warehouse,
    cast(coalesce(cast(physical_stock as decimal(18, 4)), 0) as decimal(18, 4)) as physical,
    cast(coalesce(cast(available_stock as decimal(18, 4)), 0) as decimal(18, 4)) as available,
    cast(coalesce(cast(sales_reservations as decimal(18, 4)), 0) as decimal(18, 4)) as reserved,
    cast(coalesce(cast(purchase_ordered as decimal(18, 4)), 0) as decimal(18, 4)) as incoming
from source
