-- Orders and invoices held back, naming the document, the line and the field; they are sent once fixed.
-- Everything AFAS is sure to refuse is caught here, before a write: an article AFAS does not have, has
-- blocked or gives no unit, a value longer than AFAS's field (lengths from AFAS's OpenAPI, in
-- settings.order_field_limits) that no rule may shorten, a missing debtor or country.
with ready as (
    select * from int_orders where wanted and not already_in_afas
),
limits as (
    select field, max_length from settings.order_field_limits
),
lines as (
    select o.order_key, o.source, l.line_no, l.item_code, i.item_code as afas_item, i.blocked, i.unit
    from ready as o
    join stg_mplus_document_lines as l on l.order_key = o.order_key
    left join stg_afas__items as i on i.item_code = l.item_code
),
customer_values as (
    select o.order_key, o.source, 'email' as field, 'e-mail address' as label, 'EmAd' as afas_field,
           c.email as value
    from ready as o join int_order_customers as c on c.order_key = o.order_key
    union all
    select o.order_key, o.source, 'zipcode', 'postal code', 'ZpCd', c.zipcode
    from ready as o join int_order_customers as c on c.order_key = o.order_key
    union all
    select o.order_key, o.source, 'vat_number', 'VAT number', 'VaId', c.vat_number
    from ready as o join int_order_customers as c on c.order_key = o.order_key
)

select
    order_key as record_key,
    'lines[' || cast(line_no as varchar) || '].article_number' as field,
    case when source = 'order' then 'Order' else 'Invoice' end || ' ' || order_key || ' line ' || cast(line_no as varchar) || ': article ' || item_code
        || ' does not exist in AFAS. It is held and sent once the article exists in AFAS.' as message
from lines
where afas_item is null
union all
select
    order_key as record_key,
    'lines[' || cast(line_no as varchar) || '].unit' as field,
    case when source = 'order' then 'Order' else 'Invoice' end || ' ' || order_key || ' line ' || cast(line_no as varchar) || ': article ' || item_code
        || ' has no unit in AFAS (the articles connector''s UnitId is empty), so the line''s unit cannot be '
        || 'determined: give the article its sales unit in AFAS; it is sent then.' as message
from lines
where afas_item is not null and unit is null
union all
select
    order_key as record_key,
    'lines[' || cast(line_no as varchar) || '].unit' as field,
    case when source = 'order' then 'Order' else 'Invoice' end || ' ' || order_key || ' line ' || cast(line_no as varchar) || ': unit ' || unit
        || ' of article ' || item_code || ' is longer than AFAS''s BiUn ('
        || cast((select max_length from limits where field = 'unit') as varchar) || ' characters).' as message
from lines
where unit is not null and length(unit) > (select max_length from limits where field = 'unit')
union all
select
    order_key as record_key,
    'lines[' || cast(line_no as varchar) || '].article_number' as field,
    case when source = 'order' then 'Order' else 'Invoice' end || ' ' || order_key || ' line ' || cast(line_no as varchar) || ': article ' || item_code
        || ' is blocked in AFAS, which refuses to sell it. Unblock it in AFAS (or correct the sale at the '
        || 'till); it is sent then.' as message
from lines
where blocked
union all
select
    o.order_key as record_key,
    'debtor' as field,
    case when o.source = 'order' then 'Order' else 'Invoice' end || ' ' || o.order_key || ' has no customer and no default debtor is set: set '
        || 'orders.default_debtor.' as message
from ready as o
where o.email is null and o.debtor_id is null
union all
select
    o.order_key as record_key,
    'customer_name' as field,
    case when o.source = 'order' then 'Order' else 'Invoice' end || ' ' || o.order_key || ': its customer ('
        || o.email || ') has no name, and AFAS needs a last name for a new person debtor: add the name at the '
        || 'till; it is sent then.' as message
from ready as o
join int_order_customers as c on c.order_key = o.order_key
where o.needs_new_debtor and c.company_name is null and c.last_name is null
union all
select
    o.order_key as record_key,
    'country' as field,
    case when o.source = 'order' then 'Order' else 'Invoice' end || ' ' || o.order_key || ': the customer''s country has no AFAS country code: add it to '
        || 'the settings.' as message
from ready as o
where o.afas_country is null
union all
select
    o.order_key as record_key,
    'document_type' as field,
    case when o.source = 'order' then 'Order' else 'Invoice' end || ' ' || o.order_key || ': no AFAS document type for ' || o.source || 's: set '
        || 'orders.document_type.' as message
from ready as o
where o.document_type is null
union all
select
    o.order_key as record_key,
    'order_key' as field,
    case when o.source = 'order' then 'Order' else 'Invoice' end || ' ' || o.order_key || ': its key is ' || cast(length(o.order_key) as varchar)
        || ' characters; AFAS''s order reference (RfCs) keeps '
        || cast((select max_length from limits where field = 'reference') as varchar)
        || ', and the key is how it is found in AFAS again. Give it a shorter extOrderId / extInvoiceId.'
        as message
from ready as o
where length(o.order_key) > (select max_length from limits where field = 'reference')
union all
select
    o.order_key as record_key,
    'document_number' as field,
    case when o.source = 'order' then 'Order' else 'Invoice' end || ' ' || o.order_key || ': its number ' || o.document_number || ' is longer than '
        || 'AFAS''s entry number (BpNr, '
        || cast((select max_length from limits where field = 'entry_number') as varchar) || ' characters).'
        as message
from ready as o
where o.document_type = 'FiEntries'
  and length(o.document_number) > (select max_length from limits where field = 'entry_number')
union all
select
    f.order_key as record_key,
    f.field,
    case when f.source = 'order' then 'Order' else 'Invoice' end || ' ' || f.order_key || ': the customer''s ' || f.label || ' ' || f.value || ' is '
        || cast(length(f.value) as varchar) || ' characters; AFAS keeps ' || cast(l.max_length as varchar)
        || ' (' || f.afas_field || '). Correct it at the till; it is sent then.' as message
from customer_values as f
join limits as l on l.field = f.field
where length(f.value) > l.max_length
union all
select
    o.order_key as record_key,
    'order_key' as field,
    'Invoice ' || o.order_key || ' has the same key as order ' || x.order_key || ' (AFAS finds a document by '
        || 'its key): give the invoice its own extInvoiceId.' as message
from ready as o
join stg_mplus_documents as x on x.order_key = o.order_key and x.source = 'order'
where o.source = 'invoice'
