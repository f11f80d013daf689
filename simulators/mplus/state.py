"""The MplusKASSA stand-in's state: the storage (:mod:`simulators.mplus.store`) plus seeding from the demo
catalog and the test mutators that behave like a user at the till.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from simulators.demo.catalog import build_catalog
from simulators.demo.records import DemoCatalog, DemoOrder
from simulators.mplus.handlers.orders import pay_remaining
from simulators.mplus.handlers.products import edit_article
from simulators.mplus.handlers.relations import apply_relation_update
from simulators.mplus.handlers.stock import change_stock
from simulators.mplus.seed import add_demo_invoice, add_demo_order, seed_state
from simulators.mplus.store import MplusStore


class MplusState(MplusStore):
    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_catalog(cls, catalog: DemoCatalog) -> MplusState:
        state = cls()
        seed_state(state, catalog)
        return state

    @classmethod
    def load_or_seed(cls, path: Path | None = None, **catalog_kwargs: Any) -> MplusState:
        """Load `path` when it exists; otherwise seed from ``build_catalog(**catalog_kwargs)`` and, when a
        path is given, write the fresh state there so the next start continues from it."""
        if path is not None and Path(path).exists():
            return cls.load(Path(path))
        state = cls.from_catalog(build_catalog(**catalog_kwargs))
        if path is not None:
            state.save(Path(path))
        return state

    # ------------------------------------------------------------------ mutators: a user at the till
    def edit_article(self, article_number: int | str, **fields: Any) -> dict[str, Any]:
        """Change article fields (XSD names, e.g. ``description=``, ``priceIncl=``, ``active=False``)
        as the back office would: raises the article's and its product's syncMarker."""
        with self.lock:
            return copy.deepcopy(edit_article(self, int(article_number), fields))

    def set_stock(self, branch: int, article_number: int | str, amount: Decimal | int) -> int:
        """A stock count at the till (absolute); returns the new stockId."""
        with self.lock:
            return change_stock(
                self,
                int(branch),
                int(article_number),
                Decimal(amount),
                absolute=True,
                history_type="STOCK-HISTORY-TYPE-CORRECTION",
            )

    def add_order(self, order: DemoOrder | None = None, **fields: Any) -> str:
        """A sale at the till, shaped like the catalog's ``DemoOrder`` (pass one, or its fields as keyword
        arguments). A named customer without a relation gets one, as the till does. Returns the orderId."""
        if order is None:
            defaults: dict[str, Any] = {
                "relation_number": None,
                "customer_name": None,
                "company_name": None,
                "email": None,
                "address": None,
                "zipcode": None,
                "city": None,
                "country": None,
                "vat_number": None,
                "payments": (),
                "fully_paid": False,
            }
            defaults.setdefault("entry", self.now().replace(tzinfo=None))
            order = DemoOrder(**{**defaults, **fields})
        with self.lock:
            return add_demo_order(self, order)

    def add_invoice(self, sale: DemoOrder | None = None, **fields: Any) -> str:
        """A sale booked at the till as an invoice without an order (a receipt), shaped like the catalog's
        ``DemoOrder`` (``ext_order_id`` is the extInvoiceId; or its fields as keyword arguments). A named
        customer without a relation gets one. Returns the invoiceId."""
        if sale is None:
            defaults: dict[str, Any] = {
                "relation_number": None,
                "customer_name": None,
                "company_name": None,
                "email": None,
                "address": None,
                "zipcode": None,
                "city": None,
                "country": None,
                "vat_number": None,
                "payments": (),
                "fully_paid": True,
            }
            defaults.setdefault("entry", self.now().replace(tzinfo=None))
            sale = DemoOrder(**{**defaults, **fields})
        with self.lock:
            return add_demo_invoice(self, sale)

    def pay_order(self, ext_order_id: str, method: str = "PIN") -> str:
        """The customer pays the rest of an order at the till; returns the invoiceId."""
        with self.lock:
            order_id = self.order_by_ext.get(ext_order_id)
            if order_id is None:
                raise KeyError(f"no order with extOrderId {ext_order_id!r}")
            return pay_remaining(self, order_id, method)

    def edit_relation(self, relation_number: int, **fields: Any) -> dict[str, Any]:
        """Change relation fields (XSD names) at the till: raises the relation's syncMarker."""
        with self.lock:
            if int(relation_number) not in self.relations:
                raise KeyError(f"no relation {relation_number}")
            relation = apply_relation_update(self, int(relation_number), fields)
            return copy.deepcopy(relation)
