-- AFAS articles that exist (any state): every order line must name one of them, and is sent in its unit.
with source as (
    select * from staging.afas_articles
)
select
    cast(item_code as varchar) as item_code,
    coalesce(blocked, false) as blocked,
    nullif(trim(cast(unit_id as varchar)), '') as unit
from source
