-- Features as one canonical text per article ("code=value|..."), compared and sent as extra info.
select
    item_code,
    string_agg(feature_code || '=' || coalesce(value, ''), '|' order by feature_code) as features
from stg_afas__item_features
group by item_code
