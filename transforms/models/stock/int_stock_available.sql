-- Calculation "available": physical minus what is already allocated (picked, on delivery notes).
select item_code, branch_number, available as quantity
from int_stock_by_branch
