-- Rows that cannot go to MplusKASSA, with the field and what to do. They are not pushed; the rest is.
with selected as (
    select * from int_articles where selected
),
duplicate_barcodes as (
    select barcode from selected where barcode is not null group by barcode having count(*) > 1
)
select
    item_code as record_key,
    'article_number' as field,
    'SKU ''' || item_code || ''' is not numeric: MplusKASSA article numbers are digits only. '
        || 'Give the AFAS item a numeric code or exclude it with products.article_filter.' as message
from selected
where not numeric_code
union all
select
    item_code as record_key,
    'price' as field,
    'Article ' || item_code || ' has no sales price in AFAS (SalesPrice is empty): set a price.' as message
from selected
where sales_price is null
union all
select
    item_code as record_key,
    'vat_group' as field,
    'Article ' || item_code || ' has VAT group ''' || coalesce(vat_group, '') || ''' without a MplusKASSA '
        || 'VAT code: add it to products.vat_codes.' as message
from selected
where vat_code is null and numeric_code
union all
select
    s.item_code as record_key,
    'barcode' as field,
    'EAN ' || s.barcode || ' of article ' || s.item_code || ' is used by more than one article: '
        || 'make the barcodes unique in AFAS.' as message
from selected as s
join duplicate_barcodes as d on d.barcode = s.barcode
