-- What the linked relations hold now, in the shape of desired_relation_prices. Rows held by an error row are
-- left out: never changed or removed.
with errors as (
    select record_key from errors_relation_prices
),
relations as (
    select r.*
    from stg_mplus_price_relations as r
    join int_debtor_prices as d on d.debtor_id = r.debtor_id and d.relation_number = r.relation_number
)
select
    r.debtor_id as record_key,
    r.debtor_id as group_key,
    r.relation_number,
    'relation' as entry_kind,
    cast(null as bigint) as article_number,
    cast(null as integer) as discount_group_number,
    cast(null as decimal(18, 4)) as minimum_amount,
    r.price_group_number,
    r.discount_percentage,
    cast(null as decimal(18, 2)) as price_excl
from relations as r
where r.debtor_id not in (select record_key from errors)
union all
select
    e.record_key,
    e.debtor_id as group_key,
    e.relation_number,
    e.entry_kind,
    e.article_number,
    e.discount_group_number,
    e.minimum_amount,
    cast(null as integer) as price_group_number,
    e.discount_percentage,
    e.price_excl
from int_relation_discounts as e
where e.record_key not in (select record_key from errors)
