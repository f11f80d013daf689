-- The lines of every order and invoice, by the key of their document.
select d.order_key, l.line_no, l.item_code, l.text, l.quantity, l.price_incl, l.price_excl,
       l.discount_percentage, l.vat_code, l.vat_percentage, l.total_incl, l.total_excl
from stg_mplus_order_lines as l
join stg_mplus_documents as d on d.source = 'order' and d.document_id = l.order_id
union all
select d.order_key, l.line_no, l.item_code, l.text, l.quantity, l.price_incl, l.price_excl,
       l.discount_percentage, l.vat_code, l.vat_percentage, l.total_incl, l.total_excl
from stg_mplus_invoice_lines as l
join stg_mplus_documents as d on d.source = 'invoice' and d.document_id = l.invoice_id
