-- MplusKASSA relations as the till holds them (getRelations by syncMarker): contract types only.
with source as (
    select * from staging.mplus_relations
)
select
    cast(relation_number as varchar) as record_key,
    cast(relation_number as bigint) as relation_number,
    nullif(cast(ext_relation_id as varchar), '') as ext_relation_id,
    cast(name as varchar) as name,
    cast(company_name as varchar) as company_name,
    cast(contact as varchar) as contact,
    cast(address as varchar) as address,
    cast(zipcode as varchar) as zipcode,
    cast(city as varchar) as city,
    cast(country as varchar) as country,
    nullif(lower(cast(email as varchar)), '') as email,
    cast(vat_number as varchar) as vat_number,
    cast(commerce_number as varchar) as commerce_number,
    cast(payment_within_days as integer) as payment_within_days,
    nullif(cast(default_vat_method as varchar), '') as vat_method,
    cast(coalesce(price_group_number, 0) as integer) as price_group_number,
    cast(coalesce(discount_percentage, 0) as integer) as discount_percentage,
    coalesce(cast(active as boolean), true) as active
from source
