-- Stock rows that cannot be written: the article is not (yet) in MplusKASSA.
select
    c.branch_number || ':' || c.item_code as record_key,
    'article_number' as field,
    'Article ' || c.item_code || ' has stock in AFAS but does not exist in MplusKASSA, so its stock is not '
        || 'written. Run the products flow first; if it did run, the article is blocked, left out by '
        || 'products.article_filter, or refused (see transforms.errors_products).' as message
from int_stock_calculated as c
left join stg_mplus__articles as a on cast(a.article_number as varchar) = c.item_code
where a.article_number is null
  and regexp_matches(c.item_code, '^[0-9]{1,18}$')
