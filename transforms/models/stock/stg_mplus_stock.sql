-- Stock as MplusKASSA holds it per branch (getStock): the free amount is what the till sells from.
with source as (
    select * from staging.mplus_stock
)
select
    cast(branch_number as integer) as branch_number,
    cast(article_number as bigint) as article_number,
    cast(amount_free as decimal(18, 4)) as amount
from source
