-- MplusKASSA article groups (a tree); `text` holds the AFAS item group code for groups this sync manages.
with source as (
    select * from staging.mplus_article_groups
)
select
    cast(group_number as bigint) as group_number,
    cast(coalesce(parent_group_number, 0) as bigint) as parent_group_number,
    name as group_name,
    nullif(text, '') as group_code,
    coalesce(is_deleted, false) as is_deleted
from source
