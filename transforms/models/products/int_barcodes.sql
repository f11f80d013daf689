-- GTIN check of every article barcode (EAN-8, UPC-A, EAN-13, GTIN-14): digits only, one of those lengths, and
-- the last digit the check digit of the others (weights 3,1,3,... from the right). The one place barcodes
-- are checked.
with barcodes as (
    select item_code, barcode from int_articles where selected and barcode is not null
),
shaped as (
    select * from barcodes where regexp_matches(barcode, '^([0-9]{8}|[0-9]{12,14})$')
),
weighted as (
    select s.item_code,
           cast(substr(s.barcode, length(s.barcode) - g.i, 1) as integer)
               * case when g.i % 2 = 1 then 3 else 1 end as weighted_digit
    from shaped as s
    cross join generate_series(1, 13) as g(i)
    where g.i < length(s.barcode)
),
sums as (
    select item_code, sum(weighted_digit) as total from weighted group by item_code
)
select
    b.item_code,
    b.barcode,
    coalesce(substr(b.barcode, length(b.barcode), 1) = cast((10 - s.total % 10) % 10 as varchar), false) as valid
from barcodes as b
left join sums as s on s.item_code = b.item_code
