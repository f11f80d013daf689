-- The articles MplusKASSA should hold: AFAS articles that passed validation, grouped into products.
with articles as (
    select * from int_articles
    where numeric_code
      and item_code not in (select record_key from errors_products)
),
products as (
    select product_key, min(description) as product_description, count(*) as article_count
    from articles
    group by product_key
)
select
    a.item_code as record_key,
    a.product_key as group_key,
    cast(a.item_code as bigint) as article_number,
    p.product_description,
    a.description,
    a.extra_description as extra_text,
    cast(round(a.sales_price, 2) as decimal(18, 2)) as price,
    {{ price_basis }} as price_basis,
    a.vat_code,
    a.barcode,
    a.brand,
    -- a group AFAS does not list (Profit_ArticleGroups empty or without it) cannot be created: no group
    case when a.group_code in (select g.group_code from stg_afas__item_groups as g) then a.group_code end
        as group_code,
    a.colour,
    a.size,
    a.features,
    a.selected and not a.blocked and a.present as active,
    a.stock_tracked as stock_article
from articles as a
join products as p on p.product_key = a.product_key
