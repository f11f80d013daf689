-- Debtor agreements valid today (prices.today) of the debtors this flow manages, keyed as one entry of the
-- relation's relationArticleDiscountList: <debtor>|article:<article>|<from-quantity> or
-- <debtor>|group:<discount group>|<from-quantity>.
with today_rows as (
    select *
    from stg_afas__debtor_agreements
    where (valid_from is null or valid_from <= {{ today }})
      and (valid_to is null or valid_to >= {{ today }})
),
typed as (
    select
        a.*,
        d.relation_number,
        case when a.item_code is not null then 'article' else 'group' end as entry_kind,
        art.article_number,
        case
            when a.item_code is null and regexp_matches(a.discount_group, '^[0-9]{1,9}$')
                then cast(a.discount_group as integer)
        end as discount_group_number,
        rtrim(rtrim(cast(a.from_quantity as varchar), '0'), '.') as quantity_text
    from today_rows as a
    join int_debtor_prices as d on d.debtor_id = a.debtor_id
    left join stg_mplus__articles as art on art.item_code = a.item_code
)
select
    debtor_id || '|' || case
        when entry_kind = 'article' then 'article:' || coalesce(cast(article_number as varchar), item_code)
        else 'group:' || coalesce(cast(discount_group_number as varchar), discount_group, '')
    end || '|' || quantity_text as record_key,
    agreement_key,
    debtor_id,
    relation_number,
    entry_kind,
    item_code,
    article_number,
    discount_group,
    discount_group_number,
    from_quantity,
    quantity_text,
    price,
    discount_percentage,
    valid_from,
    valid_to,
    count(*) over (partition by debtor_id, entry_kind, item_code, discount_group, from_quantity) as rows_at_quantity
from typed
