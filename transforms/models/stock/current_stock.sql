-- What MplusKASSA holds now, in the same shape as desired_stock: every stock article in every mapped branch.
-- getStock in sync mode reports the levels that were ever set; a level never set is 0.
with branches as (
    select distinct branch_number from settings.warehouse_branches
)
select
    cast(b.branch_number as varchar) || ':' || cast(a.article_number as varchar) as record_key,
    cast(b.branch_number as varchar) || ':' || cast(a.article_number as varchar) as group_key,
    b.branch_number,
    a.article_number,
    cast(coalesce(s.amount, 0) as decimal(18, 3)) as quantity
from stg_mplus__articles as a
cross join branches as b
left join stg_mplus_stock as s on s.article_number = a.article_number and s.branch_number = b.branch_number
where a.stock_article
