-- The article groups MplusKASSA should have: one per AFAS item group, keyed by the AFAS code.
select
    group_code as record_key,
    group_code as group_key,
    group_name as name
from stg_afas__item_groups
