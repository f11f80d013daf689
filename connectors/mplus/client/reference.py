"""Server meta and reference data: API version, current sync markers, branches, VAT groups, payment
methods, price groups."""

from __future__ import annotations

from ..models import ApiVersion, Batch, Branch, PaymentMethod, PriceGroup, SyncMarkers, VatGroup
from .calls import MplusCalls


class ReferenceCalls(MplusCalls):
    """Server meta and reference data."""

    async def get_api_version(self) -> ApiVersion:
        return ApiVersion.from_soap(await self.call("getApiVersion"))

    async def get_current_sync_markers(self) -> SyncMarkers:
        return SyncMarkers.from_soap(await self.call("getCurrentSyncMarkers"))

    async def get_branches(self) -> Batch[Branch]:
        return await self._records("getBranches", None, Branch)

    async def get_vat_groups(self) -> Batch[VatGroup]:
        return await self._records("getVatGroupList", None, VatGroup)

    async def get_payment_methods(self) -> Batch[PaymentMethod]:
        return await self._records("getPaymentMethods", None, PaymentMethod)

    async def get_price_groups(self) -> Batch[PriceGroup]:
        return await self._records("getPriceGroupList", None, PriceGroup)
