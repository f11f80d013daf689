-- Every item code AFAS holds right now (a key scan of Sync_Articles): an item missing here was deleted in AFAS.
with source as (
    select * from staging.afas_article_keys
)
select
    cast(item_code as varchar) as record_key,
    cast(item_code as varchar) as item_code
from source
