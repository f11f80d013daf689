-- AFAS debtors (Sync_Debtors) with the customers flow's column names, filtered by the same
-- customers.debtor_filter: the debtors whose relation this flow gives a price group, discount and agreements.
with source as (
    select * from staging.afas_debtors
),
renamed as (
    select
        cast(debtor_id as varchar) as debtor_id,
        debtor_name,
        cast(bc_co as varchar) as bc_co,
        relation_type,
        nullif(trim(organisation_name), '') as organisation_name,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(prefix), '') as prefix,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(contact_first_name), '') as contact_first_name,
        nullif(trim(contact_prefix), '') as contact_prefix,
        nullif(trim(contact_last_name), '') as contact_last_name,
        nullif(trim(lower(email)), '') as email,
        street,
        house_number,
        nullif(trim(house_number_addition), '') as house_number_addition,
        zip_code,
        city,
        country_id,
        nullif(trim(vat_number), '') as vat_number,
        nullif(trim(chamber_of_commerce), '') as chamber_of_commerce,
        payment_condition,
        nullif(trim(price_list), '') as price_list,
        customer_group,
        cast(coalesce(discount_percentage, 0) as decimal(9, 2)) as discount_percentage,
        coalesce(blocked, false) as blocked
    from source
)
select d.*
from renamed as d
where {{ debtor_filter }}
