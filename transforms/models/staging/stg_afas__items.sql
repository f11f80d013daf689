-- AFAS items (GetConnector Sync_Articles): renames and contract types only (contracts.yml). Every column is
-- cast, so a connector that sends a code as a number, or a field as text, gives the same model.
with source as (
    select * from staging.afas_articles
)
select
    cast(item_code as varchar) as record_key,
    cast(item_code as varchar) as item_code,
    cast(description as varchar) as description,
    cast(extra_description as varchar) as extra_description,
    nullif(trim(cast(art_group as varchar)), '') as group_code,
    nullif(trim(cast(discount_group as varchar)), '') as discount_group,
    coalesce(cast(blocked as boolean), false) as blocked,
    nullif(trim(cast(barcode as varchar)), '') as barcode,
    cast(vat_group as varchar) as vat_group,
    coalesce(cast(stock as boolean), false) as stock_tracked,
    cast(unit_id as varchar) as unit_id,
    nullif(trim(cast(unit_id as varchar)), '') as unit,
    cast(sales_price as decimal(18, 4)) as sales_price,
    coalesce(cast(currency as varchar), 'EUR') as currency,
    nullif(trim(cast(model_code as varchar)), '') as model_code,
    cast(brand as varchar) as brand,
    coalesce(cast(pos_article as boolean), false) as pos_article,
    modified_date
from source
