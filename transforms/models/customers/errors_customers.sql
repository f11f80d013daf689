-- Debtors that cannot become a MplusKASSA relation, naming the debtor and the field.
with texts as (
    select debtor_id, 'name' as field, name as value from int_debtors
    union all
    select debtor_id, 'company_name', company_name from int_debtors
    union all
    select debtor_id, 'contact', contact from int_debtors
    union all
    select debtor_id, 'address', address from int_debtors
    union all
    select debtor_id, 'zipcode', zipcode from int_debtors
    union all
    select debtor_id, 'city', city from int_debtors
    union all
    select debtor_id, 'email', email from int_debtors
    union all
    select debtor_id, 'vat_number', vat_number from int_debtors
    union all
    select debtor_id, 'commerce_number', commerce_number from int_debtors
),
measured as (
    select t.debtor_id, t.field, t.value, length(t.value) as value_length, l.max_length
    from texts as t
    left join settings.mplus_limits as l on l.field = 'relation.' || t.field
    where t.value is not null
),
shared_emails as (
    select email, string_agg(debtor_id, ', ' order by debtor_id) as debtors
    from int_debtors
    where email is not null and not blocked
    group by email
    having count(*) > 1
)
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
union all
select
    debtor_id as record_key,
    field,
    'Debtor ' || debtor_id || ': ' || field || ' is ' || cast(value_length as varchar) || ' characters long, '
        || 'MplusKASSA keeps at most ' || cast(max_length as varchar) || ': shorten it in AFAS.' as message
from measured
where value_length > max_length
union all
select
    debtor_id as record_key,
    field,
    'Debtor ' || debtor_id || ': ' || field || ' contains a control character (e.g. a pasted tab stop or form '
        || 'feed) that MplusKASSA''s XML cannot carry: remove it in AFAS.' as message
from measured
where regexp_matches(value, '[\x00-\x08\x0B\x0C\x0E-\x1F]')
union all
select
    d.debtor_id as record_key,
    'email' as field,
    'Debtors ' || s.debtors || ' share the e-mail address ''' || d.email || ''': MplusKASSA finds a customer by '
        || 'e-mail, so each relation needs its own. Give each debtor its own address in AFAS (or block the '
        || 'duplicate).' as message
from int_debtors as d
join shared_emails as s on s.email = d.email
where not d.blocked
union all
-- A relation MplusKASSA answered but could not be read is not in staging: creating its debtor again would make a
-- duplicate, so the debtor waits until the relation reads (correct it at the till; the next run reads it again).
select distinct
    d.debtor_id as record_key,
    'relation' as field,
    'Debtor ' || d.debtor_id || ': MplusKASSA holds relation ' || cast(e.relation_number as varchar)
        || ' for this debtor but answered it unreadable (field ' || coalesce(e.field, '?') || ': '
        || coalesce(e.reason, '?') || '), so it is not created again (that would be a duplicate): correct the '
        || 'relation at the till; the next run reads it again.' as message
from int_debtors as d
join staging.mplus_relation_errors as e on e.ext_relation_id = d.debtor_id
where d.debtor_id not in (select ext_relation_id from stg_mplus__relations where ext_relation_id is not null)
