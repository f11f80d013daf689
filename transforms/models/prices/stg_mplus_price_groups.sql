-- The price groups MplusKASSA knows (getPriceGroupList).
select
    cast(price_group_number as integer) as price_group_number,
    description
from staging.mplus_price_groups
