-- The priceGroupList entries MplusKASSA should hold: one per (article, price group, from-quantity) of the
-- price list rows valid today, at 2 decimals (the client sends cents), incl. or excl. VAT as the list is.
select
    t.record_key,
    t.item_code as group_key,
    t.article_number,
    t.price_group_number,
    cast(t.from_quantity as bigint) as minimum_amount,
    t.tier_number,
    case when t.vat_included then 'incl' else 'excl' end as price_basis,
    cast(round(t.price, 2) as decimal(18, 2)) as price,
    cast(t.discount_percentage as integer) as discount_percentage,
    t.price_list
from int_price_tiers as t
where t.list_status = 'ok'
  and t.article_known
  and not exists (select 1 from errors_article_prices as e where e.record_key = t.record_key)
