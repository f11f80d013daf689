-- The relationArticleDiscountList entries MplusKASSA holds on relations of managed debtors, keyed like
-- int_agreements.
select
    r.debtor_id || '|' || case
        when e.article_number is not null then 'article:' || cast(e.article_number as varchar)
        else 'group:' || coalesce(cast(e.discount_group_number as varchar), '')
    end || '|' || rtrim(rtrim(cast(e.minimum_amount as varchar), '0'), '.') as record_key,
    r.debtor_id,
    e.relation_number,
    case when e.article_number is not null then 'article' else 'group' end as entry_kind,
    e.article_number,
    e.discount_group_number,
    e.minimum_amount,
    e.discount_percentage,
    e.price_incl,
    e.price_excl
from stg_mplus_relation_discounts as e
join int_debtor_prices as r on r.relation_number = e.relation_number
