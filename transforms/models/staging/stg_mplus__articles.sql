-- MplusKASSA articles as the till holds them (getProducts, flattened one row per article): contract types only.
with source as (
    select * from staging.mplus_articles
)
select
    cast(article_number as varchar) as record_key,
    cast(article_number as bigint) as article_number,
    cast(article_number as varchar) as item_code,
    cast(product_number as bigint) as product_number,
    cast(description as varchar) as description,
    cast(extra_text as varchar) as extra_text,
    cast(price_excl as decimal(18, 2)) as price_excl,
    cast(price_incl as decimal(18, 2)) as price_incl,
    cast(vat_code as integer) as vat_code,
    cast(barcode as varchar) as barcode,
    cast(brand as varchar) as brand,
    cast(colour as varchar) as colour,
    cast(size as varchar) as size,
    cast(features as varchar) as features,
    cast(group_number as bigint) as group_number,
    coalesce(cast(active as boolean), true) as active,
    coalesce(cast(stock_article as boolean), false) as stock_article
from source
