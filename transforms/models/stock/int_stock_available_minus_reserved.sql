-- Calculation "available_minus_reserved" (default): what can be sold without breaking a promise.
select item_code, branch_number, available - reserved as quantity
from int_stock_by_branch
