-- Calculation "economic": physical plus incoming purchase orders minus sales reservations.
select item_code, branch_number, physical + incoming - reserved as quantity
from int_stock_by_branch
