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
