-- Size/colour and other attributes per article (custom GetConnector Sync_ItemAttributes).
with source as (
    select * from staging.afas_item_attributes
)
select
    cast(item_code as varchar) as item_code,
    attribute_code,
    value,
    cast(sequence_number as integer) as sequence_number
from source
