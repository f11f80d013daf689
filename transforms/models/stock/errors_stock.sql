-- Stock rows that cannot be written: the article is not (yet) in MplusKASSA.
select
    c.branch_number || ':' || c.item_code as record_key,
    'article_number' as field,
    'Article ' || c.item_code || ' has stock in AFAS but does not exist in MplusKASSA, so its stock is not '
        || 'written. Run the products flow first; if it did run, the article is blocked, left out by '
        || 'products.article_filter, or refused (see transforms.errors_products).' as message
from int_stock_calculated as c
left join stg_stock_articles as a on cast(a.article_number as varchar) = c.item_code
where a.article_number is null
  and regexp_matches(c.item_code, '^[0-9]{1,18}$')
union all
select
    cast(branch_number as varchar) || ':' || item_code as record_key,
    'quantity' as field,
    'Article ' || item_code || ', branch ' || cast(branch_number as varchar) || ': stock '
        || cast(quantity as varchar) || ' is not a believable quantity (' || cast({{ max_abs_stock }} as varchar)
        || ' or more): correct the stock figures in AFAS. MplusKASSA keeps its current stock.' as message
from int_stock_calculated
where abs(quantity) >= {{ max_abs_stock }}
union all
-- A warning, once per warehouse (not per article): its stock is not sent anywhere.
select distinct
    'warehouse:' || s.warehouse as record_key,
    'warehouse' as field,
    'Warning: AFAS warehouse ' || s.warehouse || ' has stock but no MplusKASSA branch in stock.warehouse_branches, '
        || 'so its stock is not counted anywhere: map it to a branch, or ignore this if that is intended.' as message
from stg_afas_stock as s
where s.warehouse not in (select warehouse from settings.warehouse_branches)
