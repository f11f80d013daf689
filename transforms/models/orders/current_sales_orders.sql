-- Documents AFAS already holds, which are never sent again: orders, quotations and direct invoices read back by
-- their reference (CustomerReference = the till's key), and financial entries AFAS confirmed (the journal: a
-- financial entry has no reference to read back; before one is sent again it is looked up in AFAS's
-- Profit_Transactions by its entry number).
with known as (
    select order_key from stg_afas__sales_orders where order_key is not null
    union
    select group_key as order_key
    from journal.calls
    where flow = 'orders' and entity = 'sales_orders' and operation = 'POST FiEntries'
      and status in ('ok', 'confirmed')
)
select
    k.order_key as record_key,
    k.order_key as group_key,
    k.order_key,
    cast(null as varchar) as debtor_id,
    cast(null as date) as financial_date,
    cast(null as decimal(18, 2)) as total_incl,
    cast(null as decimal(18, 2)) as total_excl
from known as k
