-- Item groups with their parent group (Klant_Artikelgroepen, staged as afas_item_groups_nested): a group with a
-- parent becomes a nested MplusKASSA article group under it; an empty parent, or one AFAS does not list, a top
-- group.
select
    artikelgroep as record_key,
    artikelgroep as group_code,
    omschrijving as group_name,
    nullif(trim(hoofdgroep), '') as parent_group_code
from staging.afas_item_groups_nested
