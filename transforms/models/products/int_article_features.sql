-- Features as one canonical text per article: a JSON object {"code":"value",...}, codes sorted, so no character in
-- a value can split it. connectors.mplus.features makes the same text from what MplusKASSA holds, and reads it.
-- JSON string escaping by hand (portable SQL): backslash, quote, tab, line feed, carriage return; other control
-- characters are refused in errors_products before anything is sent. Codes sort byte-wise (collate "C"), as Python
-- sorts them: a PostgreSQL database with a language collation would otherwise order them differently.
with escaped as (
    select
        item_code,
        feature_code,
        replace(replace(replace(replace(replace(feature_code, chr(92), chr(92) || chr(92)), chr(34), chr(92) || chr(34)),
            chr(9), chr(92) || 't'), chr(10), chr(92) || 'n'), chr(13), chr(92) || 'r') as code_json,
        replace(replace(replace(replace(replace(coalesce(value, ''), chr(92), chr(92) || chr(92)), chr(34),
            chr(92) || chr(34)), chr(9), chr(92) || 't'), chr(10), chr(92) || 'n'), chr(13), chr(92) || 'r')
            as value_json
    from stg_afas__item_features
)
select
    item_code,
    '{' || string_agg(chr(34) || code_json || chr(34) || ':' || chr(34) || value_json || chr(34), ','
                      order by feature_code collate "C") || '}' as features
from escaped
group by item_code
