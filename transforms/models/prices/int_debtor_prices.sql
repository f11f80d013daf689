-- Each debtor this flow manages (customers.debtor_filter) with its MplusKASSA relation (extRelationId =
-- debtor id, set by the customers flow), the price group of its price list and its general discount.
with relations as (
    select debtor_id, min(relation_number) as relation_number
    from stg_mplus_price_relations
    group by debtor_id
)
select
    d.debtor_id,
    r.relation_number,
    d.price_list,
    l.status as list_status,
    l.price_group_number as list_price_group_number,
    d.discount_percentage
from stg_price_debtors as d
left join int_price_lists as l on l.price_list = d.price_list
left join relations as r on r.debtor_id = d.debtor_id
