-- Extra info fields per item, one row per item and feature (GetConnector Sync_ItemFeatures).
with source as (
    select * from staging.afas_item_features
)
select
    cast(item_code as varchar) || '|' || cast(feature_code as varchar) as record_key,
    cast(item_code as varchar) as item_code,
    cast(feature_code as varchar) as feature_code,
    cast(feature_description as varchar) as feature_description,
    cast(value as varchar) as value
from source
