-- The article groups this sync manages in MplusKASSA (their text carries the AFAS code).
select
    group_code as record_key,
    group_code as group_key,
    group_name as name,
    group_number
from stg_mplus_article_groups
where group_code is not null and not is_deleted
