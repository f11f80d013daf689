-- MplusKASSA articles and whether the till manages their stock (stockArticle): only those get stock writes.
with source as (
    select * from staging.mplus_articles
)
select
    cast(article_number as bigint) as article_number,
    coalesce(stock_article, false) as stock_article,
    coalesce(active, true) as active
from source
