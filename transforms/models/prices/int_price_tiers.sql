-- Price list rows valid today (prices.today, default today in Europe/Amsterdam; ValidTo is the last valid
-- day) with their price group, VAT basis, MplusKASSA article and what the checks in errors_article_prices need.
-- record_key = <article>|<price group>|<from-quantity>: the key of one priceGroupList entry.
with today_rows as (
    select *
    from stg_afas__price_list_rows
    where (valid_from is null or valid_from <= {{ today }})
      and (valid_to is null or valid_to >= {{ today }})
),
tiers as (
    select
        r.*,
        rtrim(rtrim(cast(r.from_quantity as varchar), '0'), '.') as quantity_text,
        l.description as price_list_description_mapped,
        l.status as list_status,
        l.price_group_number,
        l.vat_included as list_vat_included,
        a.article_number,
        a.article_number is not null as article_known
    from today_rows as r
    join int_price_lists as l on l.price_list = r.price_list
    left join stg_mplus__articles as a on a.item_code = r.item_code
)
select
    item_code || '|' || coalesce(cast(price_group_number as varchar), '') || '|' || quantity_text as record_key,
    price_row_key,
    price_list,
    list_status,
    price_group_number,
    list_vat_included as vat_included,
    item_code,
    article_number,
    article_known,
    from_quantity,
    quantity_text,
    price,
    discount_percentage,
    currency,
    valid_from,
    valid_to,
    count(*) over (partition by price_list, item_code, from_quantity) as rows_at_quantity,
    row_number() over (partition by price_list, item_code order by from_quantity, valid_from) as tier_number
from tiers
