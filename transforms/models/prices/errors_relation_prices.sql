-- Debtors and debtor agreements that cannot go to MplusKASSA, naming the debtor, the article or discount
-- group and the field. Not pushed; every other row is. What MplusKASSA holds for a held row stays as it is.
with debtors as (
    select * from int_debtor_prices
),
agreements as (
    select * from int_agreements
),
checked as (
    select * from agreements where relation_number is not null
),
with_agreements as (
    select distinct debtor_id from agreements
)
select
    d.debtor_id as record_key,
    'relation' as field,
    'Debtor ' || d.debtor_id || ' has a price list, a discount or price agreements but no MplusKASSA relation '
        || '(extRelationId ' || d.debtor_id || '): the customers flow creates it; if it refused the debtor, see '
        || 'transforms.errors_customers.' as message
from debtors as d
where d.relation_number is null
  and (d.price_list is not null or d.discount_percentage <> 0
       or d.debtor_id in (select debtor_id from with_agreements))
union all
select
    debtor_id as record_key,
    'price_list' as field,
    'Debtor ' || debtor_id || ' uses price list ' || price_list || ', which has no usable MplusKASSA price '
        || 'group (see the error row of ' || price_list || '): the relation''s price group and discount are left '
        || 'as they are.' as message
from debtors
where relation_number is not null and price_list is not null and list_status <> 'ok'
union all
select
    debtor_id as record_key,
    'discount_percentage' as field,
    'Debtor ' || debtor_id || ': discount ' || cast(discount_percentage as varchar) || '% is not a whole '
        || 'percentage between 0 and 100 (MplusKASSA stores whole percentages).' as message
from debtors
where relation_number is not null
  and (discount_percentage < 0 or discount_percentage > 100 or discount_percentage <> floor(discount_percentage))
union all
select
    record_key,
    'item_code' as field,
    'Debtor ' || debtor_id || ': agreement for article ' || item_code || ', but MplusKASSA has no article '
        || item_code || ': the products flow creates it when it is a POS article with a numeric code.' as message
from checked
where entry_kind = 'article' and article_number is null
union all
select
    record_key,
    'discount_group' as field,
    'Debtor ' || debtor_id || ': agreement ' || agreement_key || ' names no article and no discount group, or '
        || 'discount group ''' || coalesce(discount_group, '') || ''' is not a number (MplusKASSA article '
        || 'discount groups are numbered).' as message
from checked
where entry_kind = 'group' and discount_group_number is null
union all
select
    record_key,
    'from_quantity' as field,
    'Debtor ' || debtor_id || ', ' || coalesce('article ' || item_code, 'discount group ' || discount_group)
        || ': from-quantity ' || coalesce(cast(from_quantity as varchar), '(empty)') || ' is not above 0.' as message
from checked
where from_quantity is null or from_quantity <= 0
union all
select distinct
    record_key,
    'from_quantity' as field,
    'Debtor ' || debtor_id || ', ' || coalesce('article ' || item_code, 'discount group ' || discount_group)
        || ': ' || cast(rows_at_quantity as varchar) || ' agreements valid today start at from-quantity '
        || quantity_text || ' (overlapping validity periods): end one of them in AFAS.' as message
from checked
where rows_at_quantity > 1
union all
select
    record_key,
    'price' as field,
    'Debtor ' || debtor_id || ', ' || coalesce('article ' || item_code, 'discount group ' || discount_group)
        || ': agreement price ' || cast(price as varchar) || ' is negative.' as message
from checked
where price < 0
union all
select
    record_key,
    'discount_percentage' as field,
    'Debtor ' || debtor_id || ', ' || coalesce('article ' || item_code, 'discount group ' || discount_group)
        || ': discount ' || cast(discount_percentage as varchar) || '% is not a whole percentage between 0 and '
        || '100 (MplusKASSA stores whole percentages).' as message
from checked
where discount_percentage < 0 or discount_percentage > 100 or discount_percentage <> floor(discount_percentage)
union all
select
    debtor_id || '|' || coalesce('article:' || item_code, 'group:' || discount_group, '') || '|'
        || cast(valid_from as varchar) as record_key,
    'valid_to' as field,
    'Debtor ' || debtor_id || ', ' || coalesce('article ' || item_code, 'discount group ' || discount_group, '')
        || ': the agreement valid from ' || cast(valid_from as varchar) || ' ends on ' || cast(valid_to as varchar)
        || ', before it starts, so it never applies: correct the dates in AFAS.' as message
from stg_afas__debtor_agreements
where valid_to < valid_from
  and debtor_id in (select debtor_id from int_debtor_prices)
