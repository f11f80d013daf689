-- The priceGroupList entries MplusKASSA holds in the price groups this flow manages (those of usable price
-- lists), priced on the list's VAT basis. Entries held by an error row are left out: never changed or removed.
select
    e.record_key,
    cast(e.article_number as varchar) as group_key,
    e.article_number,
    e.price_group_number,
    e.minimum_amount,
    case when l.vat_included then 'incl' else 'excl' end as price_basis,
    case when l.vat_included then e.price_incl else e.price_excl end as price,
    e.discount_percentage,
    l.price_list
from stg_mplus_article_price_groups as e
join int_price_lists as l on l.price_group_number = e.price_group_number and l.status = 'ok'
where not exists (select 1 from errors_article_prices as x where x.record_key = e.record_key)
