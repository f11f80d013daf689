-- All rows of the prices flow refused by validation (the Dagster check and `afas-mplus sql` read this).
select 'article_prices' as entity, record_key, field, message from errors_article_prices
union all
select 'relation_prices' as entity, record_key, field, message from errors_relation_prices
