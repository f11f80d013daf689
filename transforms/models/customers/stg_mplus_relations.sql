-- MplusKASSA relations as the till holds them (getRelations by syncMarker).
with source as (
    select * from staging.mplus_relations
)
select
    cast(relation_number as bigint) as relation_number,
    nullif(ext_relation_id, '') as ext_relation_id,
    name,
    company_name,
    contact,
    address,
    zipcode,
    city,
    country,
    nullif(lower(email), '') as email,
    vat_number,
    commerce_number,
    cast(payment_within_days as integer) as payment_within_days,
    nullif(default_vat_method, '') as vat_method,
    coalesce(active, true) as active
from source
