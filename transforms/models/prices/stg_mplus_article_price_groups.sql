-- Each article's priceGroupList as MplusKASSA holds it: one row per (article, price group, minimum amount).
with source as (
    select * from staging.mplus_article_price_groups
    where not coalesce(is_placeholder, false)
)
select
    cast(article_number as varchar)
        || '|' || cast(price_group_number as varchar)
        || '|' || rtrim(rtrim(cast(cast(coalesce(minimum_amount, 0) as decimal(18, 4)) as varchar), '0'), '.')
        as record_key,
    cast(article_number as bigint) as article_number,
    cast(price_group_number as integer) as price_group_number,
    cast(coalesce(minimum_amount, 0) as bigint) as minimum_amount,
    cast(price_incl as decimal(18, 2)) as price_incl,
    cast(price_excl as decimal(18, 2)) as price_excl,
    cast(coalesce(discount_percentage, 0) as integer) as discount_percentage
from source
