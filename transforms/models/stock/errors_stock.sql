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
union all
-- Checked before the calculation (which may clamp a negative result to 0): any figure that large is a data error.
select
    cast(branch_number as varchar) || ':' || item_code as record_key,
    'quantity' as field,
    'Article ' || item_code || ', branch ' || cast(branch_number as varchar) || ': stock figures (physical '
        || cast(physical as varchar) || ', available ' || cast(available as varchar) || ') are not believable ('
        || cast({{ max_abs_stock }} as varchar) || ' or more): correct the stock figures in AFAS. MplusKASSA keeps '
        || 'its current stock.' as message
from int_stock_by_branch
where abs(physical) >= {{ max_abs_stock }} or abs(available) >= {{ max_abs_stock }}
   or abs(reserved) >= {{ max_abs_stock }} or abs(incoming) >= {{ max_abs_stock }}
union all
-- A warning, once per warehouse (not per article): its stock is not sent anywhere.
select distinct
    'warehouse:' || s.warehouse as record_key,
    'warehouse' as field,
    'Warning: AFAS warehouse ' || s.warehouse || ' has stock but no MplusKASSA branch in stock.warehouse_branches, '
        || 'so its stock is not counted anywhere: map it to a branch, or ignore this if that is intended.' as message
from stg_afas__stock as s
where s.warehouse not in (select warehouse from settings.warehouse_branches)
union all
-- A stock figure AFAS sent empty (JSON has no NaN: a NaN or an unreadable number arrives as null) would count as
-- 0 and empty the till's stock: the branch's stock of that article is held instead.
select distinct
    cast(w.branch_number as varchar) || ':' || cast(s.item_code as varchar) as record_key,
    'quantity' as field,
    'Article ' || cast(s.item_code as varchar) || ', warehouse ' || cast(s.warehouse as varchar)
        || ': AFAS sent no physical or available stock (empty or not a number), so the stock of branch '
        || cast(w.branch_number as varchar) || ' cannot be calculated: correct the stock figures in AFAS. '
        || 'MplusKASSA keeps its current stock.' as message
from staging.afas_stock as s
join settings.warehouse_branches as w on w.warehouse = cast(s.warehouse as varchar)
where s.physical_stock is null or s.available_stock is null
