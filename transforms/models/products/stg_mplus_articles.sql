-- MplusKASSA articles as the till holds them (getProducts, flattened one row per article).
with source as (
    select * from staging.mplus_articles
)
select
    cast(article_number as bigint) as article_number,
    cast(product_number as bigint) as product_number,
    description,
    extra_text,
    cast(price_excl as decimal(18, 2)) as price_excl,
    cast(price_incl as decimal(18, 2)) as price_incl,
    cast(vat_code as integer) as vat_code,
    barcode,
    brand,
    colour,
    size,
    features,
    cast(group_number as bigint) as group_number,
    coalesce(active, true) as active,
    coalesce(stock_article, false) as stock_article
from source
