-- Every item code AFAS holds now: the key scan of Profit_Article (staged as afas_std_article_keys).
select
    item_code as record_key,
    item_code
from staging.afas_std_article_keys
