-- Absolute stock per mapped branch for every article whose stock MplusKASSA manages and AFAS tracks.
-- A branch without an AFAS row for the article gets 0: AFAS is the stock master.
with branches as (
    select distinct branch_number from settings.warehouse_branches
),
articles as (
    select article_number from stg_mplus__articles where stock_article
),
afas_items as (
    select distinct item_code from stg_afas__stock
)
select
    cast(b.branch_number as varchar) || ':' || i.item_code as record_key,
    cast(b.branch_number as varchar) || ':' || i.item_code as group_key,
    b.branch_number,
    a.article_number,
    cast(coalesce(c.quantity, 0) as decimal(18, 3)) as quantity
from articles as a
join afas_items as i on i.item_code = cast(a.article_number as varchar)
cross join branches as b
left join int_stock_calculated as c on c.item_code = i.item_code and c.branch_number = b.branch_number
-- A quantity refused in errors_stock is not sent: MplusKASSA keeps what it has.
where cast(b.branch_number as varchar) || ':' || i.item_code not in (select record_key from errors_stock)
