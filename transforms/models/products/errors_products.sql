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
union all
select
    item_code as record_key,
    'price' as field,
    'Article ' || item_code || ' has a negative sales price (' || cast(sales_price as varchar) || ') in AFAS: '
        || 'MplusKASSA would sell it at that price. Correct the price in AFAS.' as message
from selected
where sales_price < 0
union all
select
    item_code as record_key,
    'price' as field,
    'Article ' || item_code || ' has sales price ' || cast(sales_price as varchar) || ' in AFAS, with more than '
        || cast({{ price_decimals }} as varchar) || ' decimals: MplusKASSA holds whole cents and would round '
        || 'it. Round the price in AFAS.' as message
from selected
where sales_price >= 0 and sales_price <> round(sales_price, {{ price_decimals }})
union all
select
    item_code as record_key,
    'description' as field,
    'Article ' || item_code || ' has no description in AFAS (empty or only spaces): give it a name.' as message
from selected
where numeric_code and coalesce(trim(description), '') = ''
union all
select
    item_code as record_key,
    field,
    'Article ' || item_code || ': ' || field || ' is ' || cast(value_length as varchar) || ' characters long, '
        || 'MplusKASSA keeps at most ' || cast(max_length as varchar) || ': shorten it in AFAS.' as message
from int_article_texts
where value_length > max_length
union all
select
    item_code as record_key,
    field,
    'Article ' || item_code || ': ' || field || ' contains a control character (e.g. a pasted tab stop or '
        || 'form feed) that MplusKASSA''s XML cannot carry: remove it in AFAS.' as message
from int_article_texts
where regexp_matches(value, '[\x00-\x08\x0B\x0C\x0E-\x1F]')
union all
select
    item_code as record_key,
    'barcode' as field,
    'Article ' || item_code || ' has barcode ''' || barcode || ''' which is not a valid EAN/GTIN (8, 12, 13 or '
        || '14 digits with a correct check digit): correct it in AFAS or leave it empty.' as message
from int_barcodes
where not valid
union all
select
    s.item_code as record_key,
    'article_number' as field,
    'Article codes ' || c.codes || ' are the same MplusKASSA article number ' || cast(c.article_number as varchar)
        || ' (leading zeros do not count): give each a distinct number in AFAS or exclude one with '
        || 'products.article_filter.' as message
from selected as s
join (
    select article_number, string_agg(item_code, ', ' order by item_code) as codes
    from selected
    where article_number is not null
    group by article_number
    having count(*) > 1
) as c on c.article_number = s.article_number
union all
select
    item_code as record_key,
    'group_code' as field,
    'Article ' || item_code || ' is in item group ''' || group_code || ''' which AFAS''s item groups '
        || '(Profit_ArticleGroups) do not list, so MplusKASSA has no article group for it: correct the item '
        || 'group in AFAS.' as message
from selected
where group_code is not null
  and group_code not in (select group_code from stg_afas__item_groups where group_code is not null)
