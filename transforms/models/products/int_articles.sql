-- AFAS articles with attributes, features, VAT code and the user's filter applied as a flag.
with articles as (
    select * from stg_afas__items
),
vat as (
    select * from settings.vat_codes
),
keys as (
    select item_code from stg_afas__item_keys
),
-- Without a key scan (products.detect_deleted off, or before the first one) every staged item counts as present.
scanned as (
    select count(*) > 0 as done from keys
)
select
    a.item_code,
    a.description,
    a.extra_description,
    a.group_code,
    a.blocked,
    a.barcode,
    a.vat_group,
    v.vat_code,
    a.stock_tracked,
    a.sales_price,
    a.currency,
    coalesce(a.model_code, a.item_code) as product_key,
    a.model_code,
    a.brand,
    attr.colour,
    attr.size,
    f.features,
    case when regexp_matches(a.item_code, '^[0-9]{1,18}$') then true else false end as numeric_code,
    -- the MplusKASSA article number the code becomes (leading zeros do not count); null when not numeric
    case when regexp_matches(a.item_code, '^[0-9]{1,18}$') then cast(a.item_code as bigint) end as article_number,
    case when ({{ article_filter }}) then true else false end as selected,
    (not (select done from scanned)) or a.item_code in (select item_code from keys) as present
from articles as a
left join vat as v on v.vat_group = a.vat_group
left join int_article_attributes as attr on attr.item_code = a.item_code
left join int_article_features as f on f.item_code = a.item_code
