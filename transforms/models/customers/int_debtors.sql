-- Debtors typed from the data: a company name makes a company relation (with its contact person),
-- otherwise a person relation. Countries become ISO codes; the country settings table is joined.
with debtors as (
    select * from stg_afas__debtors as d where {{ debtor_filter }}
),
countries as (
    select * from settings.afas_countries
),
country_settings as (
    select * from settings.customer_countries
)
select
    d.debtor_id,
    case when d.organisation_name is not null then 'company' else 'person' end as relation_kind,
    case
        when d.organisation_name is not null then d.organisation_name
        else trim(concat_ws(' ', d.first_name, d.prefix, d.last_name))
    end as name,
    d.organisation_name as company_name,
    case
        when d.organisation_name is not null
            then nullif(trim(concat_ws(' ', d.contact_first_name, d.contact_prefix, d.contact_last_name)), '')
    end as contact,
    d.first_name,
    d.last_name,
    trim(concat_ws(' ', d.street, concat_ws('', d.house_number, d.house_number_addition))) as address,
    d.zip_code as zipcode,
    d.city,
    c.iso_code as country,
    d.country_id as afas_country,
    d.email,
    d.vat_number,
    d.chamber_of_commerce as commerce_number,
    cast(case when regexp_matches(d.payment_condition, '^[0-9]+$') then d.payment_condition end as integer) as payment_within_days,
    -- The country's VAT handling (e.g. shifted) applies to businesses with a VAT number; others pay VAT.
    case
        when d.organisation_name is not null and d.vat_number is not null
            then coalesce(cs.vat_method, 'VAT-METHOD-INCLUSIVE')
        else 'VAT-METHOD-INCLUSIVE'
    end as vat_method,
    d.blocked
from debtors as d
left join countries as c on c.afas_code = d.country_id
left join country_settings as cs on cs.iso_code = c.iso_code
