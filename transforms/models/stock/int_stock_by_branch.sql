-- AFAS warehouses added up into MplusKASSA branches (settings.warehouse_branches).
select
    s.item_code,
    w.branch_number,
    sum(s.physical) as physical,
    sum(s.available) as available,
    sum(s.reserved) as reserved,
    sum(s.incoming) as incoming
from stg_afas__stock as s
join settings.warehouse_branches as w on w.warehouse = s.warehouse
group by s.item_code, w.branch_number
