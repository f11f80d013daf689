-- Every AFAS price list this flow meets (in price rows, on debtors, in prices.price_list_groups) with its
-- MplusKASSA price group and its VAT basis, and whether it can be used: status 'ok', or why not.
with row_lists as (
    select
        price_list,
        max(price_list_description) as description,
        max(case when vat_included then 1 else 0 end) = 1 as vat_included
    from stg_afas__price_list_rows
    group by price_list
),
used as (
    select price_list from row_lists
    union
    select price_list from stg_price_debtors where price_list is not null
    union
    select price_list from settings.price_list_groups
),
mapping as (
    select price_list, price_group_number from settings.price_list_groups
),
shared as (
    select price_group_number from mapping group by price_group_number having count(*) > 1
)
select
    u.price_list,
    r.description,
    coalesce(r.vat_included, false) as vat_included,
    m.price_group_number,
    case
        when m.price_group_number is null then 'unmapped'
        when g.price_group_number is null then 'unknown_group'
        when s.price_group_number is not null then 'shared_group'
        else 'ok'
    end as status
from used as u
left join row_lists as r on r.price_list = u.price_list
left join mapping as m on m.price_list = u.price_list
left join stg_mplus_price_groups as g on g.price_group_number = m.price_group_number
left join shared as s on s.price_group_number = m.price_group_number
