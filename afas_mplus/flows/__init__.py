"""The flows, one module each (products, stock, customers, orders, prices), on the definitions in `base.py`
(Flow, Entity: a flow is data, not code); FLOWS lists them in the order `sync` runs them."""

from afas_mplus.flows.base import Flow
from afas_mplus.flows.customers import CUSTOMERS
from afas_mplus.flows.orders import ORDERS
from afas_mplus.flows.prices import PRICES
from afas_mplus.flows.products import PRODUCTS
from afas_mplus.flows.stock import STOCK

# In the order their data depends on, which is the order `sync` runs them: orders first (they create AFAS
# debtors and reserve AFAS stock, which customers and stock then carry to the till in the same run); products
# before stock and prices (the articles must exist in MplusKASSA), customers before prices (the relations).
FLOWS: dict[str, Flow] = {f.name: f for f in (ORDERS, PRODUCTS, CUSTOMERS, STOCK, PRICES)}
