-- Calculation "physical": what is on the shelves.
select item_code, branch_number, physical as quantity
from int_stock_by_branch
