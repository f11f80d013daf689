-- AFAS debtors as they are now, keyed by e-mail, in the shape of desired_order_debtors.
with debtors as (
    select d.*, row_number() over (partition by d.email order by d.debtor_id) as rn
    from stg_afas_order_debtors as d
    where d.email is not null
)
select
    email as record_key,
    email as group_key,
    debtor_id,
    bc_co,
    email,
    case when organisation_name is not null then 'company' else 'person' end as debtor_kind,
    organisation_name as company_name,
    first_name,
    last_name,
    street,
    house_number,
    house_number_addition,
    zip_code as zipcode,
    city,
    country_id as country,
    vat_number
from debtors
where rn = 1
