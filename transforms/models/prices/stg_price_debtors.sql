-- The debtors (stg_afas__debtors) filtered by the same customers.debtor_filter as the customers flow: the
-- debtors whose relation this flow gives a price group, discount and agreements.
select d.*
from stg_afas__debtors as d
where {{ debtor_filter }}
