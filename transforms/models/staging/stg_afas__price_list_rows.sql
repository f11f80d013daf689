-- AFAS price list rows (GetConnector Sync_PriceListRows): list x item x from-quantity x validity. All rows are
-- staged, also those not valid today: validity is decided by the models, per run.
with source as (
    select * from staging.afas_price_list_rows
)
select
    cast(price_row_key as varchar) as record_key,
    cast(price_row_key as varchar) as price_row_key,
    cast(price_list as varchar) as price_list,
    nullif(trim(cast(price_list_description as varchar)), '') as price_list_description,
    coalesce(cast(vat_included as boolean), false) as vat_included,
    cast(item_code as varchar) as item_code,
    cast(from_quantity as decimal(18, 4)) as from_quantity,
    cast(price as decimal(18, 4)) as price,
    cast(coalesce(cast(discount_percentage as decimal(18, 4)), 0) as decimal(18, 4)) as discount_percentage,
    cast(valid_from as date) as valid_from,
    cast(valid_to as date) as valid_to,
    upper(coalesce(nullif(trim(cast(currency as varchar)), ''), 'EUR')) as currency
from source
