-- Each relation's relationArticleDiscountList as MplusKASSA holds it.
with source as (
    select * from staging.mplus_relation_discounts
    where not coalesce(is_placeholder, false)
)
select
    cast(relation_number as bigint) as relation_number,
    cast(article_number as bigint) as article_number,
    cast(article_discount_group_number as integer) as discount_group_number,
    cast(coalesce(minimum_amount, 0) as decimal(18, 4)) as minimum_amount,
    cast(coalesce(discount_percentage, 0) as integer) as discount_percentage,
    cast(price_incl as decimal(18, 2)) as price_incl,
    cast(price_excl as decimal(18, 2)) as price_excl
from source
