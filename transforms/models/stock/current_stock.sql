-- What MplusKASSA holds now, in the same shape as desired_stock.
select
    cast(s.branch_number as varchar) || ':' || cast(s.article_number as varchar) as record_key,
    cast(s.branch_number as varchar) || ':' || cast(s.article_number as varchar) as group_key,
    s.branch_number,
    s.article_number,
    cast(s.amount as decimal(18, 3)) as quantity
from stg_mplus_stock as s
join stg_stock_articles as a on a.article_number = s.article_number
where a.stock_article
