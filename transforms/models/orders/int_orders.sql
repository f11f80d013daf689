-- Till sales that may go to AFAS, orders and invoices alike: in the chosen state (orders.status_filter, over
-- the document as `o`), whether AFAS has them already, their debtor (by e-mail, or the default debtor for a
-- sale without a customer) and the AFAS document type of their source. An invoice of an order that is sent (or
-- in AFAS) is the same sale: it is not wanted again.
with documents as (
    select d.*, c.email, c.debtor_kind, c.afas_country
    from stg_mplus_documents as d
    join int_order_customers as c on c.order_key = d.order_key
),
in_afas as (
    select distinct order_key from current_sales_orders
),
debtors as (
    select email, min(debtor_id) as debtor_id from stg_afas_order_debtors where email is not null group by email
),
judged as (
    select
        o.*,
        o.order_key in (select order_key from in_afas) as already_in_afas,
        ({{ order_status_filter }}) as status_ok
    from documents as o
),
invoiced_orders as (
    select distinct io.invoice_id
    from stg_mplus_invoice_orders as io
    join judged as j on j.source = 'order' and j.document_id = io.order_id
    where j.status_ok or j.already_in_afas
)
select
    o.order_key,
    o.source,
    o.document_id,
    o.document_number,
    o.financial_date,
    o.branch_number,
    o.total_incl,
    o.total_excl,
    o.vat_method,
    o.delivery_method,
    o.payment_method,
    o.email,
    o.debtor_kind,
    o.afas_country,
    coalesce(d.debtor_id, case when o.email is null then {{ default_debtor }} end) as debtor_id,
    o.email is not null and d.debtor_id is null as needs_new_debtor,
    o.already_in_afas,
    o.status_ok,
    o.status_ok and not (o.source = 'invoice' and o.document_id in (select invoice_id from invoiced_orders))
        as wanted,
    s.document_type
from judged as o
left join debtors as d on d.email = o.email
left join settings.order_sources as s on s.source = o.source
