-- Debtors that cannot become a MplusKASSA relation, naming the debtor and the field.
select
    debtor_id as record_key,
    'name' as field,
    'Debtor ' || debtor_id || ' has no name (no organisation name and no last name): fill it in AFAS.' as message
from int_debtors
where (relation_kind = 'person' and last_name is null) or coalesce(name, '') = ''
union all
select
    debtor_id as record_key,
    'email' as field,
    'Debtor ' || debtor_id || ' has a malformed e-mail address ''' || email || ''': correct it in AFAS.' as message
from int_debtors
where email is not null and not regexp_matches(email, '^[^@\s]+@[^@\s]+\.[^@\s]+$')
union all
select
    debtor_id as record_key,
    'country' as field,
    'Debtor ' || debtor_id || ' has country ''' || coalesce(afas_country, '') || ''' which this sync does not know: '
        || 'add it to customers.countries or correct it in AFAS.' as message
from int_debtors
where country is null
