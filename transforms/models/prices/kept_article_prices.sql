-- Entries a push sends back exactly as MplusKASSA holds them. updateProduct replaces an article's whole
-- priceGroupList, so the price groups this flow does not manage and the tiers held by an error row go
-- along unchanged with the article's managed tiers.
select
    cast(e.article_number as varchar) as group_key,
    e.article_number,
    e.price_group_number,
    e.minimum_amount,
    e.price_incl,
    e.price_excl,
    e.discount_percentage
from stg_mplus_article_price_groups as e
where not exists (select 1 from current_article_prices as c where c.record_key = e.record_key)
