"""Helpers for tests that drive the AFAS stand-in in-process (no network)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from ..demo.catalog import build_catalog
from .app import auth_header, create_app
from .config import DEMO_TOKEN_DATA, AfasSimConfig
from .state import AfasState

BASE_URL = "http://afas.test"
BASE = "/ProfitRestServices"


class ManualClock:
    """A clock for AfasState that only moves when told to (Amsterdam local time)."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 12, 0, 0)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def demo_state(
    n_articles: int = 300, n_debtors: int = 40, seed: int = 42, clock: Callable[[], datetime] | None = None
) -> AfasState:
    """A small demo AFAS with a fixed `today` (the clock's date)."""
    clock = clock or ManualClock()
    today: date = clock().date()
    return AfasState.from_catalog(build_catalog(n_articles, n_debtors, seed, today=today), clock=clock)


def client(app: Starlette, token: str | None = DEMO_TOKEN_DATA, **kwargs: Any) -> httpx.AsyncClient:
    """An httpx client on the app through ASGITransport, with the AfasToken header set."""
    headers = {"Authorization": auth_header(token)} if token else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=headers, **kwargs
    )


def app_for(state: AfasState, **config: Any) -> Starlette:
    return create_app(state, AfasSimConfig(**config))


def element(
    fields: dict[str, Any] | None = None, objects: dict[str, Any] | None = None, **keys: Any
) -> dict[str, Any]:
    """One UpdateConnector Element; keys become "@Key" attributes; objects: {Sub: element or [elements]}."""
    out: dict[str, Any] = {f"@{k}": v for k, v in keys.items()}
    if fields is not None:
        out["Fields"] = fields
    if objects:
        out["Objects"] = [{name: {"Element": value}} for name, value in objects.items()]
    return out


# ---------------------------------------------------------------- UpdateConnector bodies (valid per the OpenAPI)

LINE_OBJECTS = {
    "FbSales": "FbSalesLines",
    "FbSalesQuotation": "FbSalesQuotationLines",
    "FbDirectInvoice": "FbDirectInvoiceLines",
}


def order_body(
    debtor_id: str = "20001",
    lines: list[dict[str, Any]] | None = None,
    *,
    reference: str = "POS-1",
    connector: str = "FbSales",
    **header: Any,
) -> dict[str, Any]:
    """An FbSales / FbSalesQuotation / FbDirectInvoice insert; lines are FbSalesLines Fields."""
    fields = {"DbId": debtor_id, "RfCs": reference, "OrDa": "2026-03-02", "Unit": 1, "War": "01", **header}
    line_elems = [{"Fields": {"VaIt": "2", "BiUn": "STK", "QuUn": 1, **line}} for line in lines or []]
    el: dict[str, Any] = {"Fields": fields}
    if line_elems:
        el["Objects"] = [{LINE_OBJECTS[connector]: {"Element": line_elems}}]
    return {connector: {"Element": el}}


def address(
    country: str = "NL",
    street: str = "Kerkstraat",
    number: int = 12,
    addition: str | None = None,
    zipcode: str = "1017 GC",
    city: str = "Amsterdam",
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "CoId": country,
        "PbAd": False,
        "Ad": street,
        "HmNr": number,
        "ZpCd": zipcode,
        "Rs": city,
        "BeginDate": "2026-03-02",
        "ResZip": False,
    }
    if addition:
        fields["HmAd"] = addition
    return {"Fields": fields}


def org_relation_body(
    name: str = "Kramer Design",
    *,
    country: str = "NL",
    email: str | None = "mila@kramer.nl",
    match: str = "6",
    bc_co: str = "",
    coc: str | None = None,
    contact: tuple[str, str] | None = ("Mila", "Kramer"),
    debtor_id: str | None = None,
    **debtor: Any,
) -> dict[str, Any]:
    """KnSalesRelationOrg insert with KnOrganisation, a visiting address and a contact person."""
    org: dict[str, Any] = {
        "PadAdr": True,
        "AutoNum": not bc_co,
        "MatchOga": match,
        "BcId": 1,
        "BcCo": bc_co,
        "Nm": name,
    }
    if email:
        org["EmAd"] = email
    if coc:
        org["CcNr"] = coc
    objects: list[dict[str, Any]] = [{"KnBasicAddressAdr": {"Element": [address(country)]}}]
    if contact:
        person = {
            "PadAdr": False,
            "AutoNum": True,
            "MatchPer": "7",
            "BcId": 2,
            "BcCo": "",
            "AddToPortal": False,
            "FiNm": contact[0],
            "LaNm": contact[1],
        }
        objects.append(
            {
                "KnContact": {
                    "Element": [
                        {
                            "Fields": {"PadAdr": False, "ViKc": "PRS"},
                            "Objects": [{"KnPerson": {"Element": [{"Fields": person}]}}],
                        }
                    ]
                }
            }
        )
    root: dict[str, Any] = {
        "Fields": {"CuId": "EUR", "CdDa": 0, "PaCd": "14", **debtor},
        "Objects": [{"KnOrganisation": {"Element": [{"Fields": org, "Objects": objects}]}}],
    }
    if debtor_id:
        root["@DbId"] = debtor_id
    return {"KnSalesRelationOrg": {"Element": root}}


def person_relation_body(
    first: str = "Tom",
    last: str = "Peeters",
    *,
    prefix: str | None = None,
    country: str = "B",
    email: str | None = "tom@telenet.be",
    match: str = "7",
    bc_co: str = "",
    **person: Any,
) -> dict[str, Any]:
    """KnSalesRelationPer insert with KnPerson and a visiting address."""
    fields: dict[str, Any] = {
        "PadAdr": True,
        "AutoNum": not bc_co,
        "MatchPer": match,
        "BcId": 2,
        "BcCo": bc_co,
        "AddToPortal": False,
        "FiNm": first,
        "LaNm": last,
        **person,
    }
    if prefix:
        fields["Is"] = prefix
    if email:
        fields["EmAd"] = email
    objects = [
        {"KnBasicAddressAdr": {"Element": [address(country, "Rue Neuve", 45, "bus 3", "1000", "Brussel")]}}
    ]
    return {
        "KnSalesRelationPer": {
            "Element": {
                "Fields": {"CuId": "EUR", "CdDa": 0},
                "Objects": [{"KnPerson": {"Element": [{"Fields": fields, "Objects": objects}]}}],
            }
        }
    }


def fi_entries_body(
    lines: list[tuple[str, str, float, float]], *, year: int = 2026, period: int = 3, journal: str = "50"
) -> dict[str, Any]:
    """FiEntries: lines of (VaAs, AcNr, debit, credit)."""
    entries = [
        {
            "Fields": {
                "EnNo": 1,
                "VaAs": vaas,
                "AcNr": acnr,
                "EnDa": "2026-03-02",
                "BpDa": "2026-03-02",
                "BpNr": "KAS-1",
                "AmDe": debit,
                "AmCr": credit,
            }
        }
        for vaas, acnr, debit, credit in lines
    ]
    return {
        "FiEntryPar": {
            "Element": {
                "Fields": {"Year": year, "Peri": period, "UnId": 1, "JoCo": journal},
                "Objects": [{"FiEntries": {"Element": entries}}],
            }
        }
    }


# ---------------------------------------------------------------- AFAS's OpenAPI specs (read at test time)


@functools.cache
def _specs(api_dir: str) -> tuple[dict[str, Any], ...]:
    folder = Path(api_dir) / "afas-openapi"
    return tuple(json.loads(f.read_text(encoding="utf-8")) for f in sorted(folder.glob("*.json")))


def openapi_request_schema(api_dir: Path, method: str, path: str) -> dict[str, Any] | None:
    """The JSON schema of an UpdateConnector request body, e.g. ("POST", "/connectors/FbSales")."""
    for spec in _specs(str(api_dir)):
        op = spec["paths"].get(path, {}).get(method.lower())
        if isinstance(op, dict):
            ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if "$ref" in ref:
                return spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]
    return None


def openapi_row_schema(api_dir: Path, connector: str) -> dict[str, Any] | None:
    """The row schema of a standard GetConnector (`rows.items` of its 200 answer)."""
    for spec in _specs(str(api_dir)):
        op = spec["paths"].get(f"/connectors/{connector}", {}).get("get")
        if isinstance(op, dict):
            schema = op["responses"]["200"]["content"]["application/json"]["schema"]
            return schema["properties"]["rows"]["items"]
    return None
