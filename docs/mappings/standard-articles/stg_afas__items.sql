-- Items from AFAS's standard article connector (Profit_Article, staged as afas_std_articles) with the base
-- price: the price row without a price list (Klant_Artikelprijzen, staged as afas_item_prices).
with articles as (
    select * from staging.afas_std_articles
),
base_prices as (
    select itemcode, prijs
    from staging.afas_item_prices
    where prijslijst is null and vanaf_aantal = 1
)
select
    a.item_code as record_key,
    a.item_code,
    a.description,
    a.extra_description,
    a.art_group as group_code,
    null as discount_group,            -- not in Profit_Article
    a.blocked,
    a.barcode,
    a.vat_group,
    a.stock as stock_tracked,
    a.unit_id,
    a.unit_id as unit,
    p.prijs as sales_price,
    'EUR' as currency,
    null as model_code,                -- no models: every item is its own product
    null as brand,
    true as pos_article,               -- every item is sold at the till (products.article_filter narrows)
    a.modified_date
from articles as a
left join base_prices as p on p.itemcode = a.item_code
