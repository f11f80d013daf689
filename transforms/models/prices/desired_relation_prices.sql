-- What each linked relation should hold. One row for the relation itself (entry_kind 'relation', record_key =
-- debtor id: priceGroupNumber from the debtor's price list, 0 = none, and the general discountPercentage) and
-- one per relationArticleDiscountList entry (an agreement valid today: price excl. VAT at 2 decimals and/or a
-- discount, from a quantity). group_key = debtor id: one updateRelation per relation.
with errors as (
    select record_key from errors_relation_prices
)
select
    d.debtor_id as record_key,
    d.debtor_id as group_key,
    d.relation_number,
    'relation' as entry_kind,
    cast(null as bigint) as article_number,
    cast(null as integer) as discount_group_number,
    cast(null as decimal(18, 4)) as minimum_amount,
    cast(coalesce(d.list_price_group_number, 0) as integer) as price_group_number,
    cast(d.discount_percentage as integer) as discount_percentage,
    cast(null as decimal(18, 2)) as price_excl
from int_debtor_prices as d
where d.relation_number is not null
  and d.debtor_id not in (select record_key from errors)
union all
select
    a.record_key,
    a.debtor_id as group_key,
    a.relation_number,
    a.entry_kind,
    a.article_number,
    a.discount_group_number,
    a.from_quantity as minimum_amount,
    cast(null as integer) as price_group_number,
    cast(a.discount_percentage as integer) as discount_percentage,
    cast(round(a.price, 2) as decimal(18, 2)) as price_excl
from int_agreements as a
where a.relation_number is not null
  and a.record_key not in (select record_key from errors)
