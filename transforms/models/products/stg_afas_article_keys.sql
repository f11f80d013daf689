-- Every item code AFAS holds right now (a key scan): an item missing here was deleted in AFAS.
with source as (
    select * from staging.afas_article_keys
)
select cast(item_code as varchar) as item_code
from source
