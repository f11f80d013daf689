"""What MplusKASSA takes, as this sync checks it before sending (transforms' errors_* models read it through the
`settings.mplus_limits` table each flow gets; see afas_mplus.flows).

MplusQapi's WSDL types every text as plain ``xsd:string`` without a ``maxLength``, so the lengths are not in
the WSDL: they are the lengths of the till's own fields (its screens, receipts and database columns), kept here
as the one place to change them. Money travels as whole cents (``priceExcl``/``priceIncl`` are ``xsd:long``),
so a price takes ``PRICE_DECIMAL_PLACES`` decimals; ``decimalPlaces`` on a CustomField or a quantity says how
many decimals an integer value carries, prices have none of their own.
"""

from __future__ import annotations

# Decimals of a price MplusKASSA can hold (cents). A price with more is refused before sending, not rounded.
PRICE_DECIMAL_PLACES = 2

# A quantity at or above this (absolute) is taken as a data error, not stock: MplusKASSA stores it as a
# long with decimalPlaces, the till cannot show it.
MAX_ABS_STOCK = 10**9

# "<record>.<field>" -> most characters MplusKASSA keeps.
MAX_LENGTH: dict[str, int] = {
    "article.description": 100,
    "article.extra_text": 1000,
    "article.barcode": 50,
    "article.brand": 50,
    "article.colour": 50,
    "article.size": 50,
    "article.feature": 255,
    "article_group.name": 50,
    "relation.name": 100,
    "relation.company_name": 100,
    "relation.contact": 100,
    "relation.address": 100,
    "relation.zipcode": 20,
    "relation.city": 50,
    "relation.email": 100,
    "relation.vat_number": 30,
    "relation.commerce_number": 30,
}


def limits_table() -> tuple[dict[str, str], list[tuple[str, int]]]:
    """`settings.mplus_limits` (field, max_length) as a flow's settings table."""
    return {"field": "varchar", "max_length": "integer"}, sorted(MAX_LENGTH.items())
