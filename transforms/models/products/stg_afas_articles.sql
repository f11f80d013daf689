-- AFAS articles as loaded from the Sync_Articles GetConnector: renames and types only.
with source as (
    select * from staging.afas_articles
),
renamed as (
    select
        cast(item_code as varchar) as item_code,
        description,
        extra_description,
        cast(art_group as varchar) as group_code,
        cast(discount_group as varchar) as discount_group,
        coalesce(blocked, false) as blocked,
        nullif(trim(barcode), '') as barcode,
        vat_group,
        coalesce(stock, false) as stock_tracked,
        unit_id,
        cast(sales_price as decimal(18, 4)) as sales_price,
        coalesce(currency, 'EUR') as currency,
        nullif(trim(model_code), '') as model_code,
        brand,
        coalesce(pos_article, false) as pos_article,
        modified_date
    from source
)
select * from renamed
