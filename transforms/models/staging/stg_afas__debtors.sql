-- AFAS debtors with organisation/person, contact and address (GetConnector Sync_Debtors): renames and contract
-- types only (contracts.yml). Text columns are cast before they are trimmed: AFAS's own OpenAPI types the house
-- number as an integer, the documented connector as text; both give the same model.
with source as (
    select * from staging.afas_debtors
)
select
    cast(debtor_id as varchar) as record_key,
    cast(debtor_id as varchar) as debtor_id,
    cast(debtor_name as varchar) as debtor_name,
    cast(bc_co as varchar) as bc_co,
    cast(relation_type as varchar) as relation_type,
    nullif(trim(cast(organisation_name as varchar)), '') as organisation_name,
    nullif(trim(cast(first_name as varchar)), '') as first_name,
    nullif(trim(cast(prefix as varchar)), '') as prefix,
    nullif(trim(cast(last_name as varchar)), '') as last_name,
    nullif(trim(cast(contact_first_name as varchar)), '') as contact_first_name,
    nullif(trim(cast(contact_prefix as varchar)), '') as contact_prefix,
    nullif(trim(cast(contact_last_name as varchar)), '') as contact_last_name,
    nullif(trim(lower(cast(email as varchar))), '') as email,
    nullif(trim(cast(street as varchar)), '') as street,
    nullif(trim(cast(house_number as varchar)), '') as house_number,
    nullif(trim(cast(house_number_addition as varchar)), '') as house_number_addition,
    nullif(trim(cast(zip_code as varchar)), '') as zip_code,
    nullif(trim(cast(city as varchar)), '') as city,
    nullif(trim(cast(country_id as varchar)), '') as country_id,
    nullif(trim(cast(vat_number as varchar)), '') as vat_number,
    nullif(trim(cast(chamber_of_commerce as varchar)), '') as chamber_of_commerce,
    cast(payment_condition as varchar) as payment_condition,
    nullif(trim(cast(price_list as varchar)), '') as price_list,
    cast(customer_group as varchar) as customer_group,
    cast(coalesce(cast(discount_percentage as decimal(9, 2)), 0) as decimal(9, 2)) as discount_percentage,
    coalesce(cast(blocked as boolean), false) as blocked
from source
