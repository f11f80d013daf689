-- MplusKASSA relations matched to AFAS debtors: by extRelationId, else (not yet linked) by e-mail,
-- so a customer who already exists at the till is linked, not created twice.
with relations as (
    select relation_number, ext_relation_id, name, company_name, contact, address, zipcode, city, country, email,
           vat_number, commerce_number, payment_within_days, vat_method, active
    from stg_mplus__relations
),
linked as (
    select ext_relation_id as record_key, r.*
    from relations as r
    where r.ext_relation_id is not null
),
by_email as (
    select d.debtor_id as record_key, r.*,
           row_number() over (partition by d.debtor_id order by r.relation_number) as rn
    from relations as r
    join int_debtors as d on d.email = r.email
    where r.ext_relation_id is null
      and r.email is not null
      and d.debtor_id not in (select record_key from linked)
)
select
    record_key,
    record_key as group_key,
    relation_number,
    ext_relation_id,
    case when company_name is not null and company_name <> '' then 'company' else 'person' end as relation_kind,
    name,
    nullif(company_name, '') as company_name,
    nullif(contact, '') as contact,
    address,
    zipcode,
    city,
    country,
    email,
    nullif(vat_number, '') as vat_number,
    nullif(commerce_number, '') as commerce_number,
    payment_within_days,
    vat_method,
    active
from (
    select record_key, relation_number, ext_relation_id, company_name, contact, name, address, zipcode, city,
           country, email, vat_number, commerce_number, payment_within_days, vat_method, active
    from linked
    union all
    select record_key, relation_number, ext_relation_id, company_name, contact, name, address, zipcode, city,
           country, email, vat_number, commerce_number, payment_within_days, vat_method, active
    from by_email
    where rn = 1
) as matched
