-- AFAS debtors the sendable orders and invoices need: one per customer e-mail, created or updated when the
-- till's data differs from what AFAS returns for a debtor of that kind. A debtor AFAS has keeps its kind
-- (person or organisation), and what the till does not know (no VAT number, no address) keeps AFAS's value.
-- The address is one unit: the till's when it has one, else AFAS's. `warning` says what had to be adapted
-- (an address not split, a name cut); `memo` keeps the full texts for the new debtor's remark.
with customers as (
    -- the customer as the latest sale still to send knows it (a sale held by an error row does not count)
    select c.*, row_number() over (partition by c.email order by o.financial_date desc, c.order_key desc) as rn
    from int_order_customers as c
    join int_orders as o on o.order_key = c.order_key
    where o.wanted and not o.already_in_afas and o.email is not null
      and o.order_key not in (select record_key from errors_orders)
),
latest as (
    select c.*, coalesce(x.debtor_kind, c.debtor_kind) as kind, x.debtor_id as afas_debtor_id,
           x.company_name as x_company_name, x.first_name as x_first_name, x.last_name as x_last_name,
           x.street as x_street, x.house_number as x_house_number,
           x.house_number_addition as x_house_number_addition, x.zipcode as x_zipcode, x.city as x_city,
           x.country as x_country, x.vat_number as x_vat_number
    from customers as c
    left join current_order_debtors as x on x.record_key = c.email
    where c.rn = 1
)
select
    email as record_key,
    email as group_key,
    email,
    kind as debtor_kind,
    case when kind = 'company' then coalesce(company_name, x_company_name) end as company_name,
    case when kind = 'person' then coalesce(first_name, x_first_name) end as first_name,
    case when kind = 'person' then coalesce(last_name, x_last_name) end as last_name,
    case when kind = 'company' then first_name end as contact_first_name,
    case when kind = 'company' then last_name end as contact_last_name,
    case when street is not null then street else x_street end as street,
    case when street is not null then house_number else x_house_number end as house_number,
    case when street is not null then house_number_addition else x_house_number_addition end
        as house_number_addition,
    case when street is not null then zipcode else x_zipcode end as zipcode,
    case when street is not null then city else x_city end as city,
    case when street is not null then afas_country else coalesce(x_country, afas_country) end as country,
    coalesce(vat_number, x_vat_number) as vat_number,
    street is not null and po_box as po_box,
    nullif(concat_ws('; ',
        case when street is not null and address_flagged then 'address ''' || address_line || ''' not split ('
            || coalesce(address_reason, 'not parsed') || '): sent whole as the street, check it in AFAS' end,
        case when name_cut then 'name longer than AFAS keeps: cut at a word, the full name is in the remark' end,
        case when city_cut then 'city longer than AFAS keeps: cut at a word, the full name is in the remark' end
    ), '') as warning,
    nullif(concat_ws(chr(10),
        case when name_cut then 'Naam: ' || coalesce(company_name_full, '')
            || case when company_name_full is not null and person_name_full is not null then ' / ' else '' end
            || coalesce(person_name_full, '') end,
        case when street is not null and (address_flagged or city_cut) then 'Adres: ' || address_line || ', '
            || coalesce(zipcode, '') || ' ' || coalesce(city_full, '') end
    ), '') as memo
from latest
