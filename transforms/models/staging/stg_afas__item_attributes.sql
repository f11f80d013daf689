-- Attributes per item, one row per item and attribute (GetConnector Sync_ItemAttributes): size, colour, ...
with source as (
    select * from staging.afas_item_attributes
)
select
    cast(item_code as varchar) || '|' || cast(attribute_code as varchar) as record_key,
    cast(item_code as varchar) as item_code,
    cast(attribute_code as varchar) as attribute_code,
    cast(value as varchar) as value,
    cast(sequence_number as integer) as sequence_number
from source
