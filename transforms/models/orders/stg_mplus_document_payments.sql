-- The payments of every order and invoice, by the key of their document.
select d.order_key, p.seq, p.method, p.amount
from stg_mplus_order_payments as p
join stg_mplus_documents as d on d.source = 'order' and d.document_id = p.order_id
union all
select d.order_key, p.seq, p.method, p.amount
from stg_mplus_invoice_payments as p
join stg_mplus_documents as d on d.source = 'invoice' and d.document_id = p.invoice_id
