-- AFAS item groups (Profit_ArticleGroups).
with source as (
    select * from staging.afas_article_groups
)
select
    cast(artikelgroep as varchar) as record_key,
    cast(artikelgroep as varchar) as group_code,
    cast(omschrijving as varchar) as group_name
from source
