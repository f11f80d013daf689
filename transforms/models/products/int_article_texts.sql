-- Every text an article sends to MplusKASSA, one row per article and field (features one row per feature), with
-- MplusKASSA's length for it (settings.mplus_limits): what errors_products checks for length and characters
-- XML cannot carry.
with selected as (
    select * from int_articles where selected and numeric_code
),
texts as (
    select item_code, 'description' as field, 'article.description' as limit_key, description as value
    from selected
    union all
    select item_code, 'extra_text', 'article.extra_text', extra_description from selected
    union all
    select item_code, 'brand', 'article.brand', brand from selected
    union all
    select item_code, 'colour', 'article.colour', colour from selected
    union all
    select item_code, 'size', 'article.size', size from selected
    union all
    select f.item_code, 'features', 'article.feature', f.feature_code || ': ' || coalesce(f.value, '')
    from stg_afas__item_features as f
    where f.item_code in (select item_code from selected)
)
select t.item_code, t.field, t.value, length(t.value) as value_length, l.max_length
from texts as t
left join settings.mplus_limits as l on l.field = t.limit_key
where t.value is not null
