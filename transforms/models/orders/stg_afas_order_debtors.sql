-- AFAS debtors by e-mail: the key an order's customer is found by. An organisation's contact person has its own
-- name columns (AFAS leaves the person-name columns of an organisation empty).
with source as (
    select * from staging.afas_debtors
)
select
    cast(debtor_id as varchar) as debtor_id,
    cast(bc_co as varchar) as bc_co,
    nullif(lower(trim(email)), '') as email,
    relation_type,
    nullif(organisation_name, '') as organisation_name,
    nullif(first_name, '') as first_name,
    -- the prefix ("de", "van der") is part of the last name as the till shows it and the orders flow compares it
    nullif(trim(concat_ws(' ', nullif(trim(prefix), ''), nullif(trim(last_name), ''))), '') as last_name,
    nullif(contact_first_name, '') as contact_first_name,
    nullif(trim(concat_ws(' ', nullif(trim(contact_prefix), ''), nullif(trim(contact_last_name), ''))), '')
        as contact_last_name,
    nullif(street, '') as street,
    nullif(house_number, '') as house_number,
    nullif(house_number_addition, '') as house_number_addition,
    nullif(zip_code, '') as zip_code,
    nullif(city, '') as city,
    nullif(country_id, '') as country_id,
    nullif(vat_number, '') as vat_number,
    coalesce(blocked, false) as blocked
from source
