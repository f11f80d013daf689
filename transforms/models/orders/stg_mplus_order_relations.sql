-- MplusKASSA relations, for the customer of an order.
select
    relation_number,
    nullif(name, '') as name,
    nullif(company_name, '') as company_name,
    nullif(contact, '') as contact,
    nullif(address, '') as address,
    nullif(zipcode, '') as zipcode,
    nullif(city, '') as city,
    nullif(country, '') as country,
    nullif(trim(email), '') as email,
    nullif(vat_number, '') as vat_number
from stg_mplus__relations
