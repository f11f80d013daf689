"""getPriceGroupList: the shop's price groups (the catalog's three).

Prices per price group live on the article (``priceGroupList``: priceIncl/priceExcl, discountPercentage,
minimumAmount as a quantity tier); relation-specific prices and discounts in
``relationArticleDiscountList`` on the article and on the relation; a relation's own ``priceGroupNumber``
and ``discountPercentage`` on the relation. Those are stored by the product and relation handlers.

The list rule [INF, see products.py and relations.py]: a ``priceGroupList`` sent with updateProduct (a
``relationArticleDiscountList`` sent with updateRelation) *replaces* the stored list: entries it does not
mention are gone, ``<priceGroupList/>`` clears it, and an absent element leaves it untouched. Nothing is
merged per price group or per tier, so a client changing one tier sends the article's whole list.
"""

from __future__ import annotations

from typing import Any

from simulators.mplus.store import MplusStore


def get_price_group_list(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    return {"priceGroup": [state.price_groups[n] for n in sorted(state.price_groups)]}
