-- The same columns as desired_articles, read from what MplusKASSA holds now.
with articles as (
    select * from stg_mplus__articles
),
groups as (
    select * from stg_mplus_article_groups
)
select
    cast(a.article_number as varchar) as record_key,
    cast(a.product_number as varchar) as group_key,
    a.article_number,
    a.product_number,
    a.description,
    a.extra_text,
    -- the price the till holds on the basis the sync sends (products.prices_include_vat)
    case when {{ price_basis }} = 'incl' then a.price_incl else a.price_excl end as price,
    a.vat_code,
    a.barcode,
    a.brand,
    g.group_code,
    a.colour,
    a.size,
    a.features,
    a.active,
    a.stock_article
from articles as a
left join groups as g on g.group_number = a.group_number
