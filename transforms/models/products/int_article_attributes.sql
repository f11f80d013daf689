-- One row per article with the attributes the user mapped to MplusKASSA's colour and size.
select
    item_code,
    max(case when attribute_code = {{ attribute_colour }} then value end) as colour,
    max(case when attribute_code = {{ attribute_size }} then value end) as size
from stg_afas__item_attributes
group by item_code
