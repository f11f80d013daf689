-- AFAS articles that exist (any state): every order line must name one of them.
with source as (
    select * from staging.afas_articles
)
select cast(item_code as varchar) as item_code, coalesce(blocked, false) as blocked
from source
