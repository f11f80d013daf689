-- Attributes as one row per item and attribute, from a connector with one row per item and a column per
-- attribute (Klant_ArtikelAttributen, staged as afas_item_attributes_wide). The codes are the ones
-- products.attribute_colour / attribute_size name (KLEUR, MAAT by default).
select
    itemcode || '|KLEUR' as record_key,
    itemcode as item_code,
    'KLEUR' as attribute_code,
    kleur as value,
    1 as sequence_number
from staging.afas_item_attributes_wide
where kleur is not null
union all
select
    itemcode || '|MAAT' as record_key,
    itemcode as item_code,
    'MAAT' as attribute_code,
    maat as value,
    2 as sequence_number
from staging.afas_item_attributes_wide
where maat is not null
