-- AFAS debtors by e-mail: the key an order's customer is found by. An organisation's contact person has its own
-- name columns (AFAS leaves the person-name columns of an organisation empty).
with debtors as (
    select * from stg_afas__debtors
)
select
    debtor_id,
    bc_co,
    email,
    relation_type,
    organisation_name,
    first_name,
    -- the prefix ("de", "van der") is part of the last name as the till shows it and the orders flow compares it
    nullif(trim(concat_ws(' ', prefix, last_name)), '') as last_name,
    contact_first_name,
    nullif(trim(concat_ws(' ', contact_prefix, contact_last_name)), '') as contact_last_name,
    street,
    house_number,
    house_number_addition,
    zip_code,
    city,
    country_id,
    vat_number,
    blocked
from debtors
