-- Extra info fields per article (custom GetConnector Sync_ItemFeatures).
with source as (
    select * from staging.afas_item_features
)
select
    cast(item_code as varchar) as item_code,
    feature_code,
    feature_description,
    value
from source
