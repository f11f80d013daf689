-- The articles MplusKASSA holds (getProducts): prices can only be set on these.
select
    cast(article_number as bigint) as article_number,
    cast(article_number as varchar) as item_code,
    cast(product_number as bigint) as product_number
from staging.mplus_articles
