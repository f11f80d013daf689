-- The article groups this sync manages in MplusKASSA (their text carries the AFAS code), and groups it adopts:
-- a group without a code whose name and parent are those of a desired group (the first by number) is that
-- group; the plan then writes the code into its text, and no second group of that name is created.
with groups as (
    select * from stg_mplus_article_groups
    where not is_deleted
),
managed as (
    select
        g.group_code as record_key,
        g.group_name as name,
        p.group_code as parent_code,
        g.group_code as text,
        g.group_number
    from groups as g
    left join groups as p on p.group_number = g.parent_group_number
    where g.group_code is not null
),
adoptable as (
    select
        d.record_key,
        g.group_name as name,
        d.parent_code,
        g.group_code as text,
        g.group_number,
        row_number() over (partition by d.record_key order by g.group_number) as rn
    from desired_article_groups as d
    join groups as g on g.group_name = d.name and g.group_code is null
    left join managed as mp on mp.group_number = g.parent_group_number
    where d.record_key not in (select record_key from managed)
      and ((d.parent_code is null and g.parent_group_number = 0) or mp.record_key = d.parent_code)
),
matched as (
    select record_key, name, parent_code, text, group_number from managed
    union all
    select record_key, name, parent_code, text, group_number from adoptable where rn = 1
)
select
    m.record_key,
    coalesce(d.group_key, m.record_key) as group_key,
    m.name,
    m.parent_code,
    m.text,
    m.group_number
from matched as m
left join desired_article_groups as d on d.record_key = m.record_key
