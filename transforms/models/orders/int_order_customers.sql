-- The customer of each order: the till's relation when there is one, else the invoice address.
-- A company name makes a company debtor, otherwise a person debtor. The one-string address is
-- split the Dutch way: "Kerkstraat 12a" -> street Kerkstraat, number 12, addition a.
with orders as (
    select * from stg_mplus_orders
),
relations as (
    select * from stg_mplus_order_relations
),
customer as (
    select
        o.order_key,
        coalesce(r.email, null) as email,
        coalesce(r.company_name, o.invoice_company_name) as company_name,
        coalesce(r.contact, r.name, o.invoice_name) as person_name,
        coalesce(r.address, o.invoice_address) as address,
        coalesce(r.zipcode, o.invoice_zipcode) as zipcode,
        coalesce(r.city, o.invoice_city) as city,
        upper(coalesce(r.country, o.invoice_country, 'NL')) as country,
        r.vat_number
    from orders as o
    left join relations as r on r.relation_number = o.relation_number
)
select
    c.order_key,
    c.email,
    case when c.company_name is not null then 'company' else 'person' end as debtor_kind,
    c.company_name,
    c.person_name,
    case when strpos(c.person_name, ' ') > 0 then split_part(c.person_name, ' ', 1) end as first_name,
    case
        when strpos(c.person_name, ' ') > 0
            then trim(substr(c.person_name, strpos(c.person_name, ' ') + 1))
        else c.person_name
    end as last_name,
    case
        when regexp_matches(c.address, '^([^0-9]*[^0-9 ])\s*([0-9]+)\s*[-/]?\s*(.*)$')
            then regexp_replace(c.address, '^([^0-9]*[^0-9 ])\s*([0-9]+)\s*[-/]?\s*(.*)$', '\1')
        else c.address
    end as street,
    case
        when regexp_matches(c.address, '^([^0-9]*[^0-9 ])\s*([0-9]+)\s*[-/]?\s*(.*)$')
            then regexp_replace(c.address, '^([^0-9]*[^0-9 ])\s*([0-9]+)\s*[-/]?\s*(.*)$', '\2')
    end as house_number,
    case
        when regexp_matches(c.address, '^([^0-9]*[^0-9 ])\s*([0-9]+)\s*[-/]?\s*(.*)$')
            then nullif(regexp_replace(c.address, '^([^0-9]*[^0-9 ])\s*([0-9]+)\s*[-/]?\s*(.*)$', '\3'), '')
    end as house_number_addition,
    c.zipcode,
    c.city,
    c.country,
    m.afas_code as afas_country,
    c.vat_number
from customer as c
left join settings.order_countries as m on m.iso_code = c.country
