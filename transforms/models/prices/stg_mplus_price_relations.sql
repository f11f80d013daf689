-- MplusKASSA relations linked to an AFAS debtor (extRelationId, set by the customers flow), with their
-- price group and general discount (no price group = 0).
select
    relation_number,
    ext_relation_id as debtor_id,
    price_group_number,
    discount_percentage
from stg_mplus__relations
where ext_relation_id is not null
