-- MplusKASSA relations, for the customer of an order.
with source as (
    select * from staging.mplus_relations
)
select
    cast(relation_number as bigint) as relation_number,
    nullif(name, '') as name,
    nullif(company_name, '') as company_name,
    nullif(contact, '') as contact,
    nullif(address, '') as address,
    nullif(zipcode, '') as zipcode,
    nullif(city, '') as city,
    nullif(country, '') as country,
    nullif(lower(trim(email)), '') as email,
    nullif(vat_number, '') as vat_number
from source
