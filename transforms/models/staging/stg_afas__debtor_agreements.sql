-- AFAS debtor agreements (GetConnector Sync_DebtorAgreements): a debtor's own price or discount for one item
-- (ItemCode) or one item discount group (DiscountGroup), from a quantity, in a period.
with source as (
    select * from staging.afas_debtor_agreements
)
select
    cast(agreement_key as varchar) as record_key,
    cast(agreement_key as varchar) as agreement_key,
    cast(debtor_id as varchar) as debtor_id,
    nullif(trim(cast(item_code as varchar)), '') as item_code,
    nullif(trim(cast(discount_group as varchar)), '') as discount_group,
    cast(from_quantity as decimal(18, 4)) as from_quantity,
    cast(price as decimal(18, 4)) as price,
    cast(coalesce(cast(discount_percentage as decimal(18, 4)), 0) as decimal(18, 4)) as discount_percentage,
    cast(valid_from as date) as valid_from,
    cast(valid_to as date) as valid_to
from source
