-- AFAS item groups (Profit_ArticleGroups), with the parent group of a nested category (null: a top group).
with source as (
    select * from staging.afas_article_groups
)
select
    cast(artikelgroep as varchar) as record_key,
    cast(artikelgroep as varchar) as group_code,
    cast(omschrijving as varchar) as group_name,
    nullif(trim(cast(hoofdgroep as varchar)), '') as parent_group_code
from source
