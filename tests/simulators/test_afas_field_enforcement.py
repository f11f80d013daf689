"""AFAS stand-in: UpdateConnectors refuse what AFAS's OpenAPI does not allow (length, type, values) and
order lines in a unit the article does not have; weighed articles (KG) take decimal quantities."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from connectors.afas.check import check_body
from connectors.afas.codec import dumps
from simulators.afas import AfasSimConfig, AfasState, create_app
from simulators.afas.errors import ERR_VALIDATION
from simulators.afas.testing import (
    BASE,
    ManualClock,
    client,
    demo_state,
    fi_entries_body,
    order_body,
    org_relation_body,
    person_relation_body,
)


@pytest.fixture
def state() -> AfasState:
    return demo_state(clock=ManualClock())


@pytest.fixture
def app(state: AfasState) -> Any:
    return create_app(state, AfasSimConfig())


def call(app: Any, method: str, path: str, body: Any = None, **params: Any) -> httpx.Response:
    """A request as the client sends it: Decimals as JSON numbers with their exact digits (the AFAS codec)."""
    content = None if body is None else dumps(body).encode()

    async def go() -> httpx.Response:
        async with client(app) as c:
            return await c.request(
                method,
                f"{BASE}/{path}",
                content=content,
                params=params or None,
                headers={"Content-Type": "application/json"} if content else None,
            )

    return asyncio.run(go())


def refusal(r: httpx.Response) -> str:
    """AFAS's answer to a functional error: 500 with exactly these three members."""
    assert r.status_code == 500, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"externalMessage", "errorNumber", "profitLogReference"}
    assert body["errorNumber"] == ERR_VALIDATION and len(body["profitLogReference"]) == 32
    return body["externalMessage"]


def rows(app: Any, connector: str, **filters: str) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"skip": -1, "take": -1}
    if filters:
        params.update(
            filterfieldids=",".join(filters),
            filtervalues=",".join(filters.values()),
            operatortypes=",".join("1" for _ in filters),
        )
    r = call(app, "GET", f"connectors/{connector}", **params)
    assert r.status_code == 200, r.text
    return r.json()["rows"]


def weighed(state: AfasState) -> str:
    return next(a.item_code for a in state.articles.values() if a.unit == "KG" and not a.blocked)


def counted(state: AfasState) -> str:
    return next(
        a.item_code
        for a in state.articles.values()
        if a.unit == "STK" and a.item_code.isdigit() and a.stock_tracked and not a.blocked
    )


# ---------------------------------------------------------------- field lengths from the OpenAPI


def test_a_last_name_over_80_characters_is_refused_naming_the_field(app: Any, state: AfasState) -> None:
    debtors = len(state.debtors)
    message = refusal(call(app, "POST", "connectors/KnSalesRelationPer", person_relation_body(last="x" * 81)))
    assert "(LaNm)" in message and "80" in message
    assert len(state.debtors) == debtors  # nothing stored
    r = call(app, "POST", "connectors/KnSalesRelationPer", person_relation_body(last="x" * 80))
    assert r.status_code == 201, r.text


def test_a_fientries_entry_number_over_32_characters_is_refused(app: Any, state: AfasState) -> None:
    def body(entry_number: str) -> dict[str, Any]:
        b = fi_entries_body([("1", "8000", 0, 10), ("2", "20001", 10, 0)])
        for line in b["FiEntryPar"]["Element"]["Objects"][0]["FiEntries"]["Element"]:
            line["Fields"]["BpNr"] = entry_number
        return b

    message = refusal(call(app, "POST", "connectors/FiEntries", body("K" * 33)))
    assert "(BpNr)" in message and "32" in message
    assert state.fi_entries == {}
    assert call(app, "POST", "connectors/FiEntries", body("K" * 32)).status_code == 201


def test_long_value_lists_are_enforced_too(app: Any) -> None:
    # Nationality (PsNa) has some 250 values in the OpenAPI: a value outside them is refused
    message = refusal(call(app, "POST", "connectors/KnSalesRelationPer", person_relation_body(PsNa="XX")))
    assert "(PsNa)" in message and "'XX'" in message
    assert (
        call(app, "POST", "connectors/KnSalesRelationPer", person_relation_body(PsNa="NL")).status_code == 201
    )


# ---------------------------------------------------------------- units on order lines


def test_an_order_line_in_a_unit_the_article_does_not_have_is_refused(app: Any, state: AfasState) -> None:
    kilo, piece = weighed(state), counted(state)
    for code, unit in ((kilo, "STK"), (piece, "KG"), (kilo, "DOOS")):
        body = order_body("20001", [{"ItCd": piece, "BiUn": "STK"}, {"ItCd": code, "BiUn": unit, "QuUn": 1}])
        message = refusal(call(app, "POST", "connectors/FbSales", body))
        assert message == f"Eenheid '{unit}' (BiUn) bestaat niet voor artikel '{code}'."
    assert state.orders == {}  # one bad line refuses the whole order


@pytest.mark.parametrize("connector", ["FbSales", "FbDirectInvoice", "FbSalesQuotation"])
def test_the_right_unit_with_a_decimal_quantity_is_accepted(
    app: Any, state: AfasState, connector: str
) -> None:
    kilo = weighed(state)
    before = state.stock[(kilo, "01")]
    reserved, physical = before.reserved, before.physical
    body = order_body(
        "20001",
        [{"ItCd": kilo, "BiUn": "KG", "QuUn": Decimal("0.375"), "Upri": Decimal("24.50")}],
        connector=connector,
    )
    r = call(app, "POST", f"connectors/{connector}", body)
    assert r.status_code == 201, r.text
    ornu = r.json()["results"][connector]["OrNu"]
    (line,) = rows(app, "Profit_SalesorderLines", OrderNumber=ornu)
    assert (line["ItemCodeId"], line["UnitId"], line["PiecePerUnit"]) == (kilo, "KG", 0.375)
    assert Decimal(str(line["AmtTotal"])) == Decimal("9.19")  # 0.375 kg at 24.50, rounded to cents
    after = state.stock[(kilo, "01")]
    if connector == "FbSales":
        assert after.reserved - reserved == Decimal("0.375")
    elif connector == "FbDirectInvoice":
        assert physical - after.physical == Decimal("0.375")


def test_article_connectors_serve_the_unit(app: Any, state: AfasState) -> None:
    kilo, piece = weighed(state), counted(state)
    (sync,) = rows(app, "Sync_Articles", ItemCode=kilo)
    assert sync["UnitId"] == "KG"
    (profit,) = rows(app, "Profit_Article", ItemCode=kilo)
    assert (profit["UnitId"], profit["BitDecimals"]) == ("KG", 3)  # a weighed unit keeps 3 decimals
    (profit,) = rows(app, "Profit_Article", ItemCode=piece)
    assert (profit["UnitId"], profit["BitDecimals"]) == ("STK", 0)
    units = {r["UnitId"] for r in rows(app, "Sync_Articles")}
    assert units == {"STK", "KG"}
    assert sum(a.unit == "KG" for a in state.articles.values()) >= 2


def test_weighed_articles_keep_their_unit_through_save_and_load(tmp_path: Any) -> None:
    state = AfasState.load_or_seed(tmp_path, n_articles=20, n_debtors=5)
    again = AfasState.load(tmp_path / "afas-state.json")
    kilos = sorted(a.item_code for a in again.articles.values() if a.unit == "KG")
    assert kilos == sorted(a.item_code for a in state.articles.values() if a.unit == "KG") and kilos
    stock = again.stock[(kilos[0], "01")].physical  # weighed stock keeps its grams
    assert stock == state.stock[(kilos[0], "01")].physical and stock != stock.to_integral_value()


# ---------------------------------------------------------------- the stand-in refuses what check_body reports


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(body: dict[str, Any]) -> None:
        node: Any = body
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return apply


ORG = ["KnSalesRelationOrg", "Element", "Objects", 0, "KnOrganisation", "Element", 0]
ORG_ADDRESS = [*ORG, "Objects", 0, "KnBasicAddressAdr", "Element", 0, "Fields"]
PER = ["KnSalesRelationPer", "Element", "Objects", 0, "KnPerson", "Element", 0, "Fields"]
LINE = ["FbSales", "Element", "Objects", 0, "FbSalesLines", "Element", 0, "Fields"]
HEADER = ["FbSales", "Element", "Fields"]
ENTRY = ["FiEntryPar", "Element", "Objects", 0, "FiEntries", "Element", 0, "Fields"]

# (connector, field the refusal names, change); each breaks one value AFAS's OpenAPI does not allow
BREAKS: list[tuple[str, str, Callable[[dict[str, Any]], None]]] = [
    ("KnSalesRelationOrg", "Nm", _set([*ORG, "Fields", "Nm"], "N" * 256)),
    ("KnSalesRelationOrg", "Ad", _set([*ORG_ADDRESS, "Ad"], "Straat " * 9)),
    ("KnSalesRelationOrg", "HmAd", _set([*ORG_ADDRESS, "HmAd"], "a" * 31)),
    ("KnSalesRelationOrg", "HmNr", _set([*ORG_ADDRESS, "HmNr"], "12a")),
    ("KnSalesRelationOrg", "PbAd", _set([*ORG_ADDRESS, "PbAd"], "misschien")),
    ("KnSalesRelationOrg", "MatchOga", _set([*ORG, "Fields", "MatchOga"], "8")),
    (
        "KnSalesRelationOrg",
        "VaId",
        _set(["KnSalesRelationOrg", "Element", "Fields", "VaId"], "NL" + "1" * 20),
    ),
    ("KnSalesRelationPer", "LaNm", _set([*PER, "LaNm"], "L" * 81)),
    ("KnSalesRelationPer", "EmAd", _set([*PER, "EmAd"], "e" * 251 + "@x.nl")),
    ("KnSalesRelationPer", "ViGe", _set([*PER, "ViGe"], "Q")),
    ("KnSalesRelationPer", "DaBi", _set([*PER, "DaBi"], "31-02-1990")),
    ("FbSales", "RfCs", _set([*HEADER, "RfCs"], "R" * 101)),
    ("FbSales", "Unit", _set([*HEADER, "Unit"], "een")),
    ("FbSales", "OrDa", _set([*HEADER, "OrDa"], "gisteren")),
    ("FbSales", "Ds", _set([*LINE, "Ds"], "D" * 256)),
    ("FbSales", "BiUn", _set([*LINE, "BiUn"], "S" * 16)),
    ("FbSales", "QuUn", _set([*LINE, "QuUn"], "twee")),
    ("FbSales", "VaIt", _set([*LINE, "VaIt"], "9")),
    ("FbSales", "Nope", _set([*LINE, "Nope"], "1")),
    ("FiEntries", "BpNr", _set([*ENTRY, "BpNr"], "B" * 33)),
    ("FiEntries", "JoCo", _set(["FiEntryPar", "Element", "Fields", "JoCo"], "J" * 7)),
    ("FiEntries", "AmDe", _set([*ENTRY, "AmDe"], "veel")),
]
BASES: dict[str, Callable[[AfasState], dict[str, Any]]] = {
    "KnSalesRelationOrg": lambda s: org_relation_body(),
    "KnSalesRelationPer": lambda s: person_relation_body(),
    "FbSales": lambda s: order_body("20001", [{"ItCd": counted(s)}]),
    "FiEntries": lambda s: fi_entries_body([("1", "8000", 0, 10), ("2", "20001", 10, 0)]),
}


@pytest.mark.parametrize(("connector", "field", "change"), BREAKS, ids=[f"{c}-{f}" for c, f, _ in BREAKS])
def test_the_stand_in_refuses_exactly_what_check_body_reports(
    app: Any,
    state: AfasState,
    connector: str,
    field: str,
    change: Callable[[dict[str, Any]], None],
) -> None:
    valid = BASES[connector](state)
    assert check_body(connector, valid) == []
    body = copy.deepcopy(valid)
    change(body)
    reported = check_body(connector, body)
    assert [v.field for v in reported] == [field], reported
    message = refusal(call(app, "POST", f"connectors/{connector}", body))
    assert f"'{field}'" in message or f"({field})" in message, message
    assert call(app, "POST", f"connectors/{connector}", valid).status_code == 201
