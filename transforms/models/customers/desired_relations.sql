-- The relations MplusKASSA should hold, keyed by the AFAS debtor id (extRelationId in MplusKASSA).
select
    d.debtor_id as record_key,
    d.debtor_id as group_key,
    d.debtor_id as ext_relation_id,
    d.relation_kind,
    d.name,
    d.company_name,
    d.contact,
    d.address,
    d.zipcode,
    d.city,
    d.country,
    d.email,
    d.vat_number,
    d.commerce_number,
    d.payment_within_days,
    d.vat_method,
    not d.blocked as active
from int_debtors as d
where d.debtor_id not in (select record_key from errors_customers)
union all
-- Debtors deleted in AFAS (GDPR): their relation is deactivated, and with customers.deleted_debtors =
-- 'anonymise' its personal fields are overwritten first (text fields emptied, the name replaced).
select
    c.record_key,
    c.record_key as group_key,
    c.record_key as ext_relation_id,
    case when {{ deleted_debtors }} = 'anonymise' then 'person' else c.relation_kind end as relation_kind,
    case when {{ deleted_debtors }} = 'anonymise' then 'Anonymised' else c.name end as name,
    case when {{ deleted_debtors }} = 'anonymise' then null else c.company_name end as company_name,
    case when {{ deleted_debtors }} = 'anonymise' then null else c.contact end as contact,
    case when {{ deleted_debtors }} = 'anonymise' then '' else c.address end as address,
    case when {{ deleted_debtors }} = 'anonymise' then '' else c.zipcode end as zipcode,
    case when {{ deleted_debtors }} = 'anonymise' then '' else c.city end as city,
    case when {{ deleted_debtors }} = 'anonymise' then '' else c.country end as country,
    case when {{ deleted_debtors }} = 'anonymise' then null else c.email end as email,
    case when {{ deleted_debtors }} = 'anonymise' then null else c.vat_number end as vat_number,
    case when {{ deleted_debtors }} = 'anonymise' then null else c.commerce_number end as commerce_number,
    c.payment_within_days,
    c.vat_method,
    false as active
from current_relations as c
where c.ext_relation_id in (select debtor_id from staging.afas_deleted_debtors)
  and c.record_key not in (select debtor_id from int_debtors)
