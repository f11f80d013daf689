-- The customer of each order or invoice: the till's relation when there is one, else the document's invoice
-- address. A company name makes a company debtor, otherwise a person debtor. The address comes whole from one
-- of them (the relation's when it has one), split into AFAS's fields in Python (stg_order_addresses); names
-- and the city are cut to AFAS's lengths at a word boundary (stg_order_texts).
with documents as (
    select * from stg_mplus_documents
),
relations as (
    select * from stg_mplus_order_relations
),
picked as (
    select
        d.order_key,
        r.email,
        coalesce(r.company_name, d.invoice_company_name) as company_name,
        coalesce(r.contact, r.name, d.invoice_name) as person_name,
        case when r.address is not null then r.address else d.invoice_address end as address,
        case when r.address is not null then r.zipcode else d.invoice_zipcode end as zipcode,
        case when r.address is not null then r.city else d.invoice_city end as city,
        upper(coalesce(nullif(trim(case when r.address is not null then r.country else d.invoice_country end), ''),
                       'NL')) as country,
        r.vat_number
    from documents as d
    left join relations as r on r.relation_number = d.relation_number
)
select
    p.order_key,
    p.email,
    case when p.company_name is not null then 'company' else 'person' end as debtor_kind,
    coalesce(cn.fitted, p.company_name) as company_name,
    pn.first_name,
    coalesce(pn.last_name, p.person_name) as last_name,
    p.company_name as company_name_full,
    p.person_name as person_name_full,
    coalesce(cn.cut, false) or coalesce(pn.cut, false) as name_cut,
    p.address as address_line,
    case when p.address is null then null else coalesce(a.street, p.address) end as street,
    a.house_number,
    a.addition as house_number_addition,
    coalesce(a.po_box, false) as po_box,
    p.address is not null and coalesce(a.flagged, true) as address_flagged,
    a.reason as address_reason,
    p.zipcode,
    coalesce(ct.fitted, p.city) as city,
    coalesce(ct.cut, false) as city_cut,
    p.city as city_full,
    p.country,
    m.afas_code as afas_country,
    p.vat_number
from picked as p
left join stg_order_addresses as a on a.address = p.address and a.country = p.country
left join stg_order_texts as pn on pn.kind = 'person' and pn.value = p.person_name
left join stg_order_texts as cn on cn.kind = 'company' and cn.value = p.company_name
left join stg_order_texts as ct on ct.kind = 'city' and ct.value = p.city
left join settings.order_countries as m on m.iso_code = p.country
