-- The calculation chosen in settings (stock.calculation), one row per article and branch.
with chosen as (
    select item_code, branch_number, quantity from int_stock_available_minus_reserved
    where {{ stock_calculation }} = 'available_minus_reserved'
    union all
    select item_code, branch_number, quantity from int_stock_physical
    where {{ stock_calculation }} = 'physical'
    union all
    select item_code, branch_number, quantity from int_stock_available
    where {{ stock_calculation }} = 'available'
    union all
    select item_code, branch_number, quantity from int_stock_economic
    where {{ stock_calculation }} = 'economic'
)
select
    item_code,
    branch_number,
    case when {{ clamp_negative }} and quantity < 0 then cast(0 as decimal(18, 4)) else quantity end as quantity
from chosen
