-- MplusKASSA relations linked to an AFAS debtor (extRelationId, set by the customers flow), with their
-- price group and general discount (no price group = 0).
select
    cast(relation_number as bigint) as relation_number,
    cast(ext_relation_id as varchar) as debtor_id,
    cast(coalesce(price_group_number, 0) as integer) as price_group_number,
    cast(coalesce(discount_percentage, 0) as integer) as discount_percentage
from staging.mplus_relations
where nullif(ext_relation_id, '') is not null
