-- This AFAS has no item features: the model is empty (its columns typed by the contract).
select
    null as record_key,
    null as item_code,
    null as feature_code,
    null as feature_description,
    null as value
where false
