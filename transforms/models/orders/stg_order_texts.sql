-- Till names, cities and line texts fitted to AFAS's field lengths (in Python, see afas_mplus/order_texts.py):
-- cut at a word boundary, `cut` when something was cut off (the full text then goes to a remark).
select kind, value, first_name, last_name, fitted, coalesce(cut, false) as cut
from staging.mplus_order_texts
