-- Invoice lines: article, quantity and unit prices in euros (converted from cents at the edge).
with source as (
    select * from staging.mplus_invoices__lines
)
select
    cast(invoice_id as varchar) as invoice_id,
    cast(line_no as integer) as line_no,
    cast(article_number as varchar) as item_code,
    text,
    cast(quantity as decimal(18, 4)) as quantity,
    cast(price_incl as decimal(18, 4)) as price_incl,
    cast(price_excl as decimal(18, 4)) as price_excl,
    cast(coalesce(discount_percentage, 0) as decimal(9, 2)) as discount_percentage,
    cast(vat_code as integer) as vat_code,
    cast(vat_percentage as decimal(9, 2)) as vat_percentage,
    cast(total_incl as decimal(18, 2)) as total_incl,
    cast(total_excl as decimal(18, 2)) as total_excl
from source
