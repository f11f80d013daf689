-- AFAS debtors as they are now, keyed by e-mail, in the shape of desired_order_debtors: a person's name in
-- first/last name, an organisation's contact person in contact_first/last_name (AFAS leaves an organisation's
-- person-name columns empty; comparing those caused an update of every company debtor on every run).
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
    case when organisation_name is not null or relation_type = 'O' then 'company' else 'person' end
        as debtor_kind,
    organisation_name as company_name,
    case when organisation_name is null and coalesce(relation_type, 'P') <> 'O' then first_name end as first_name,
    case when organisation_name is null and coalesce(relation_type, 'P') <> 'O' then last_name end as last_name,
    contact_first_name,
    contact_last_name,
    street,
    house_number,
    house_number_addition,
    zip_code as zipcode,
    city,
    country_id as country,
    vat_number
from debtors
where rn = 1
