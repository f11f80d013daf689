-- relationArticleDiscountList entries a push sends back exactly as MplusKASSA holds them: updateRelation
-- replaces the whole list, so entries held by an error row go along unchanged.
select
    e.debtor_id as group_key,
    e.relation_number,
    e.article_number,
    e.discount_group_number,
    e.minimum_amount,
    e.discount_percentage,
    e.price_incl,
    e.price_excl
from int_relation_discounts as e
where e.record_key in (select record_key from errors_relation_prices)
