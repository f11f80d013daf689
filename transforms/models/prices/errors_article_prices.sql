-- Price lists and price list rows that cannot go to MplusKASSA, naming the list, the article and the field.
-- They are not pushed; every other row is. A tier held here keeps what MplusKASSA has (neither changed nor
-- removed) until it is corrected in AFAS.
with lists as (
    select * from int_price_lists
),
tiers as (
    select * from int_price_tiers
),
checked as (
    select * from tiers where list_status = 'ok' and article_known
),
missing_articles as (
    select distinct item_code, price_list from tiers where list_status = 'ok' and not article_known
)
select
    price_list as record_key,
    'price_list' as field,
    case status
        when 'unmapped' then 'Price list ' || price_list || coalesce(' (' || description || ')', '')
            || ' has no MplusKASSA price group: add it to prices.price_list_groups, or stop using it in AFAS. '
            || 'Its prices are not sent.'
        when 'unknown_group' then 'Price list ' || price_list || ' maps to price group '
            || cast(price_group_number as varchar) || ', which MplusKASSA does not have: create the price group '
            || 'in MplusKASSA or correct prices.price_list_groups.'
        else 'Price list ' || price_list || ' maps to price group ' || cast(price_group_number as varchar)
            || ', which another price list maps to as well: give each price list its own price group in '
            || 'prices.price_list_groups.'
    end as message
from lists
where status <> 'ok'
union all
select
    item_code as record_key,
    'item_code' as field,
    'Article ' || item_code || ' has prices on price list(s) ' || string_agg(price_list, ', ' order by price_list)
        || ' but MplusKASSA has no article ' || item_code || ': the products flow creates it when it is a POS '
        || 'article with a numeric code; its prices follow on the next run.' as message
from missing_articles
group by item_code
union all
select
    record_key,
    'from_quantity' as field,
    'Price list ' || price_list || ', article ' || item_code || ': from-quantity '
        || coalesce(cast(from_quantity as varchar), '(empty)') || ' is not a whole number of at least 1 '
        || '(MplusKASSA quantity tiers are whole units).' as message
from checked
where from_quantity is null or from_quantity < 1 or from_quantity <> floor(from_quantity)
union all
select distinct
    record_key,
    'from_quantity' as field,
    'Price list ' || price_list || ', article ' || item_code || ': ' || cast(rows_at_quantity as varchar)
        || ' rows valid today start at from-quantity ' || quantity_text || ' (overlapping validity periods): '
        || 'end one of them in AFAS.' as message
from checked
where rows_at_quantity > 1
union all
select
    record_key,
    'price' as field,
    'Price list ' || price_list || ', article ' || item_code || ', from ' || quantity_text || ': price '
        || coalesce(cast(price as varchar), '(empty)') || ' is empty or negative.' as message
from checked
where price is null or price < 0
union all
select
    record_key,
    'discount_percentage' as field,
    'Price list ' || price_list || ', article ' || item_code || ', from ' || quantity_text || ': discount '
        || cast(discount_percentage as varchar) || '% is not a whole percentage between 0 and 100 '
        || '(MplusKASSA stores whole percentages).' as message
from checked
where discount_percentage < 0 or discount_percentage > 100 or discount_percentage <> floor(discount_percentage)
union all
select
    record_key,
    'currency' as field,
    'Price list ' || price_list || ', article ' || item_code || ', from ' || quantity_text || ': currency '
        || currency || ' is not the till''s currency ' || {{ currency }} || '.' as message
from checked
where currency <> {{ currency }}
union all
-- Price lists may carry more decimals than cents (MplusKASSA's tiers are rounded to cents when sent), but a
-- positive price that rounds to nothing would be sold for free.
select
    record_key,
    'price' as field,
    'Price list ' || price_list || ', article ' || item_code || ', from ' || quantity_text || ': price '
        || cast(price as varchar) || ' rounds to 0.00 in whole cents (MplusKASSA would sell it for free): '
        || 'correct the price in AFAS.' as message
from checked
where price > 0 and round(price, {{ price_decimals }}) = 0
union all
-- A row that ends before it starts is never valid: without this it would vanish without a word.
select
    price_list || '|' || item_code || '|' || rtrim(rtrim(cast(from_quantity as varchar), '0'), '.') || '|'
        || cast(valid_from as varchar) as record_key,
    'valid_to' as field,
    'Price list ' || price_list || ', article ' || item_code || ': the row valid from ' || cast(valid_from as varchar)
        || ' ends on ' || cast(valid_to as varchar) || ', before it starts, so it never applies: correct the '
        || 'dates in AFAS.' as message
from stg_afas__price_list_rows
where valid_to < valid_from
