"""Reference data (branches and their workplaces, payment methods, price groups) and the server's meta
answers (API version, current sync markers)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from .base import SoapModel, unwrap_list


class Workplace(SoapModel):
    soap_type: ClassVar[str] = "Workplace"

    workplace_number: int
    workplace_name: str = ""
    is_mobile: bool = False


class Branch(SoapModel):
    soap_type: ClassVar[str] = "Branch"
    nested_fields: ClassVar[frozenset[str]] = frozenset({"workplaces"})

    branch_number: int
    branch_name: str = ""
    abbreviation: str = ""
    ext_branch_id: str | None = None
    price_group_number: int | None = None
    country_code: int = 0
    country_iso3: str = ""
    country_name: str = ""
    workplaces: list[Workplace] = Field(default_factory=list)

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "workplaces": [Workplace.from_soap(w) for w in unwrap_list(data, "workplaces", "workplace") or []]
        }

    def _nested_to_soap(self) -> dict[str, Any]:
        return {"workplaces": {"workplace": [w.to_soap() for w in self.workplaces]}}


class PaymentMethod(SoapModel):
    soap_type: ClassVar[str] = "PaymentMethod"

    method: str
    description: str = ""
    button_text: str = ""
    allow_negative_amount: bool = False
    active: bool | None = None
    type: str | None = None


class PriceGroup(SoapModel):
    """A price group as listed by getPriceGroupList (per-article prices are :class:`PriceGroupEntry`)."""

    soap_type: ClassVar[str] = "PriceGroup"

    price_group_number: int
    description: str | None = None


# --- call results -----------------------------------------------------------------------------------------


class ApiVersion(SoapModel):
    soap_type: ClassVar[str] = "getApiVersionResponse"

    major_number: int
    minor_number: int
    revision_number: int
    service_version_display_string: str | None = None
    in_debug_mode: bool = False


class SyncMarkers(SoapModel):
    """Current maxima of each change sequence (getCurrentSyncMarkers)."""

    soap_type: ClassVar[str] = "getCurrentSyncMarkersResponse"

    article_sync_marker: int = 0
    article_group_sync_marker: int | None = None
    relation_sync_marker: int = 0
    employee_sync_marker: int = 0
    invoice_sync_marker: int = 0
    receipt_sync_marker: int = 0
    order_sync_marker: int = 0
    stock_id: int | None = None
