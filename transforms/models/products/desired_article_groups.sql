-- The article groups MplusKASSA should have: one per AFAS item group, keyed by the AFAS code, nested as in AFAS
-- (a parent AFAS does not list, or a cycle, makes a top group). group_key = the top group of the tree: a tree
-- is one push group, so its writer creates every parent before its children.
with recursive groups as (
    select group_code, group_name, parent_group_code
    from stg_afas__item_groups
),
placed as (
    select
        g.group_code,
        g.group_name,
        case when p.group_code is not null and g.parent_group_code <> g.group_code then g.parent_group_code end
            as parent_code
    from groups as g
    left join groups as p on p.group_code = g.parent_group_code
),
tree (group_code, root_code, depth) as (
    select group_code, group_code, 0
    from placed
    where parent_code is null
    union all
    select c.group_code, t.root_code, t.depth + 1
    from placed as c
    join tree as t on c.parent_code = t.group_code
    where t.depth < 32
)
select
    p.group_code as record_key,
    coalesce(t.root_code, p.group_code) as group_key,
    p.group_name as name,
    case when t.group_code is not null then p.parent_code end as parent_code,
    p.group_code as text
from placed as p
left join tree as t on t.group_code = p.group_code
