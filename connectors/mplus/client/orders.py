"""Orders and invoices: paged by sync marker or read one at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from ..models import Batch, Invoice, InvoicesPage, Order, OrdersPage
from .calls import MplusCalls, marker_after


class OrderCalls(MplusCalls):
    """Orders and invoices."""

    async def get_orders(
        self,
        sync_marker: int | None = None,
        limit: int = 100,
        *,
        branch_numbers: Sequence[int] | None = None,
        order_types: Sequence[str] | None = None,
        include_lines: bool = True,
    ) -> OrdersPage:
        request: dict[str, Any] = {
            "branchNumbers": list(branch_numbers or ()),
            # Required list wrappers by the XSD, even with nothing to filter on.
            "articlePluNumbers": {},
            "articleBarcodes": {},
            "includeLineList": include_lines,
        }
        if order_types:
            request["orderTypeList"] = {"orderType": list(order_types)}
        if sync_marker is not None:
            request["syncMarker"] = sync_marker
            request["syncMarkerLimit"] = limit
        orders = await self._records("getOrders", request, Order)
        markers = [o.sync_marker for o in orders if o.sync_marker]
        return OrdersPage(
            orders=orders, next_marker=marker_after(markers, orders.errors), errors=orders.errors
        )

    async def iter_orders(
        self, from_marker: int = 0, limit: int = 100, **filters: Any
    ) -> AsyncIterator[Batch[Order]]:
        marker = from_marker
        while True:
            page = await self.get_orders(marker, limit, **filters)
            if not page.orders and not page.errors:
                return
            yield Batch(page.orders, page.errors)
            if len(page.orders) + len(page.errors) < limit:
                return
            marker = self._advance("getOrders", marker, page.next_marker)

    async def get_order(self, order_id: str) -> Order | None:
        response = await self.call("getOrder", {"orderId": order_id})
        return self._order_or_none("getOrder", response, order_id)

    async def find_order(self, ext_order_id: str) -> Order | None:
        response = await self.call("findOrder", {"extOrderId": ext_order_id})
        return self._order_or_none("findOrder", response, ext_order_id)

    def _order_or_none(self, operation: str, response: dict[str, Any], key: str) -> Order | None:
        if response.get("result") == "GET-ORDER-RESULT-NOT-FOUND":
            return None
        self._check(operation, response, "GET-ORDER-RESULT-OK", key)
        return Order.from_soap(response["order"]) if response.get("order") else None

    async def get_invoices(
        self,
        sync_marker: int | None = None,
        limit: int = 100,
        *,
        branch_numbers: Sequence[int] | None = None,
        include_lines: bool = True,
    ) -> InvoicesPage:
        request: dict[str, Any] = {
            "branchNumbers": list(branch_numbers or ()),
            "articlePluNumbers": {},
            "articleBarcodes": {},
            "includeLineList": include_lines,
        }
        if sync_marker is not None:
            request["syncMarker"] = sync_marker
            request["syncMarkerLimit"] = limit
        invoices = await self._records("getInvoices", request, Invoice)
        markers = [i.sync_marker for i in invoices if i.sync_marker]
        return InvoicesPage(
            invoices=invoices, next_marker=marker_after(markers, invoices.errors), errors=invoices.errors
        )

    async def iter_invoices(
        self, from_marker: int = 0, limit: int = 100, **filters: Any
    ) -> AsyncIterator[Batch[Invoice]]:
        marker = from_marker
        while True:
            page = await self.get_invoices(marker, limit, **filters)
            if not page.invoices and not page.errors:
                return
            yield Batch(page.invoices, page.errors)
            if len(page.invoices) + len(page.errors) < limit:
                return
            marker = self._advance("getInvoices", marker, page.next_marker)

    async def get_invoice(self, invoice_id: str) -> Invoice | None:
        response = await self.call("getInvoice", {"invoiceId": invoice_id})
        if response.get("result") == "GET-INVOICE-RESULT-NOT-FOUND":
            return None
        self._check("getInvoice", response, "GET-INVOICE-RESULT-OK", invoice_id)
        return Invoice.from_soap(response["invoice"]) if response.get("invoice") else None
