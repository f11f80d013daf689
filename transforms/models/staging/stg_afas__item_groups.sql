-- AFAS item groups (Profit_ArticleGroups). The standard connector has no parent group: every group is a top
-- group. Nested categories come from a connector that has one, mapped onto this model (docs/mappings/nested-groups).
with source as (
    select * from staging.afas_article_groups
)
select
    cast(artikelgroep as varchar) as record_key,
    cast(artikelgroep as varchar) as group_code,
    cast(omschrijving as varchar) as group_name,
    cast(null as varchar) as parent_group_code
from source
