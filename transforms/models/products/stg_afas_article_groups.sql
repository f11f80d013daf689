-- AFAS item groups (Profit_ArticleGroups).
with source as (
    select * from staging.afas_article_groups
)
select
    cast(artikelgroep as varchar) as group_code,
    omschrijving as group_name
from source
