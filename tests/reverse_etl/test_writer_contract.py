"""The contract every writer keeps, parametrized over all of them (as drt tests its destinations).

For each writer, on the stand-ins after a full sync: an empty batch sends nothing; one create and one update
planned from a change in the source are sent and the next plan is empty; a write the target refuses is a failed
call record naming the record, never an exception; a create whose answer is lost is looked up and confirmed,
never sent twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest

from afas_mplus import runner
from afas_mplus.flows import FLOWS
from afas_mplus.flows.base import Entity
from afas_mplus.runtime import Runtime
from connectors.mplus.soap import encode_fault
from reverse_etl.diff import iter_pending
from reverse_etl.journal import CallRecord
from reverse_etl.push import push
from simulators.demo.records import DemoOrderLine


@dataclass(frozen=True)
class Case:
    flow: str
    entity: str
    before: tuple[str, ...]  # flows synced first (the writer's targets and lookups exist)
    create: Callable | None  # a change in the source that plans one create of this entity
    update: Callable | None  # a change in the source that plans one update of this entity
    target: str  # the API the writer sends to: "mplus" or "afas"


def _new_group(h) -> None:  # noqa: ANN001
    h.afas.set_group("CT1", "Contracttest")


def _renamed_group(h) -> None:  # noqa: ANN001
    code = sorted(h.afas.groups)[0]
    h.afas.set_group(code, "Hernoemd in AFAS")


def _sold_article(h) -> str:  # noqa: ANN001
    return next(
        a.item_code
        for a in sorted(h.afas.articles.values(), key=lambda a: a.item_code)
        if a.item_code.isdigit() and not a.blocked and a.unit == "STK"
    )


def _new_article(h) -> None:  # noqa: ANN001
    group = next(a.group_code for a in h.afas.articles.values() if a.group_code)
    code = str(max(int(c) for c in h.afas.articles if c.isdigit()) + 1)
    h.afas.add_article(code, "Contracttest artikel", group_code=group, price_excl=Decimal("12.50"))


def _changed_article(h) -> None:  # noqa: ANN001
    h.afas.modify_article(_sold_article(h), description="Nieuwe omschrijving")


def _changed_stock(h) -> None:  # noqa: ANN001
    code = next(
        s.item_code
        for s in h.afas.stock.values()
        if s.warehouse == "01"
        and s.item_code.isdigit()
        and h.mplus.get_article(s.item_code)
        and h.mplus.get_article(s.item_code).get("stockArticle")
    )
    h.afas.adjust_stock(code, "01", physical=Decimal(7))


def _new_person(h) -> None:  # noqa: ANN001
    h.afas.add_debtor(
        "P",
        first_name="Contract",
        last_name="Test",
        email="contract.test@example.nl",
        country="NL",
        street="Laan",
        house_number="3",
        zipcode="1234 AB",
        city="Utrecht",
    )


def _changed_debtor(h) -> None:  # noqa: ANN001
    debtor = next(d for d in sorted(h.afas.debtors.values(), key=lambda d: d.debtor_id) if not d.blocked)
    h.afas.modify_debtor(debtor.debtor_id, city="Zwolle")


def _order(h, ext: str, **customer: object) -> None:  # noqa: ANN001
    line = DemoOrderLine(_sold_article(h), "Contract", Decimal(1), Decimal("24.20"), 2, Decimal(21))
    h.mplus.add_order(
        ext_order_id=ext,
        branch=1,
        lines=(line,),
        payments=(("PIN", Decimal("24.20")),),
        fully_paid=True,
        **customer,
    )


def _order_by_new_customer(h) -> None:  # noqa: ANN001
    _order(
        h,
        "CT-NEW-1",
        customer_name="Nieuwe Klant",
        email="nieuwe.klant@example.nl",
        address="Kerkstraat 1",
        zipcode="1234 AB",
        city="Utrecht",
        country="NL",
    )


def _order_of_a_known_customer(h) -> None:  # noqa: ANN001
    relation = next(
        r
        for r in sorted(h.mplus.relations.values(), key=lambda r: r["relationNumber"])
        if r.get("extRelationId") and r.get("email") and not r.get("companyName")
    )
    _order(h, "CT-KNOWN-1", relation_number=relation["relationNumber"])


def _new_price_row(h) -> None:  # noqa: ANN001
    row = next(r for r in h.afas.price_rows.values() if r.price_list and r.from_qty == 1)
    h.afas.add_price_row(row.price_list, row.item_code, Decimal("1.11"), from_qty=Decimal(500))


def _changed_price_row(h) -> None:  # noqa: ANN001
    row = next(
        r for r in h.afas.price_rows.values() if r.price_list and r.from_qty == 1 and r.valid_to is None
    )
    h.afas.modify_price_row(row.price_list, row.item_code, price=row.price + Decimal("0.50"))


def _changed_agreement(h) -> None:  # noqa: ANN001
    agreement = next(a for a in h.afas.agreements.values() if a.item_code and a.price is not None)
    h.afas.modify_agreement(agreement.agreement_id, price=agreement.price + Decimal("0.25"))


CASES = [
    Case("products", "article_groups", (), _new_group, _renamed_group, "mplus"),
    Case("products", "articles", (), _new_article, _changed_article, "mplus"),
    Case("stock", "stock", ("products",), None, _changed_stock, "mplus"),
    Case("customers", "relations", (), _new_person, _changed_debtor, "mplus"),
    Case("orders", "debtors", ("products", "customers"), _order_by_new_customer, None, "afas"),
    Case("orders", "sales_orders", ("products", "customers"), _order_of_a_known_customer, None, "afas"),
    Case("prices", "article_prices", ("products", "customers"), None, _changed_price_row, "mplus"),
    Case("prices", "relation_prices", ("products", "customers"), None, _changed_agreement, "mplus"),
]
IDS = [f"{c.flow}.{c.entity}" for c in CASES]


def _entity(case: Case) -> Entity:
    return next(e for e in FLOWS[case.flow].entities if e.name == case.entity)


def _converged(h, case: Case) -> None:  # noqa: ANN001
    for flow in (*case.before, case.flow):
        h.sync(flow)
    assert h.sync(case.flow).write_calls == 0, f"{case.flow} does not converge before the contract starts"


def _pending(rt: Runtime, case: Case) -> dict[str, list[dict]]:
    """The planned groups of this entity, after planning the flow (nothing sent)."""
    runner.run_flow(rt, FLOWS[case.flow], runner.Mode.PLAN)
    groups: dict[str, list[dict]] = {}
    for row in iter_pending(rt.warehouse, _entity(case).spec(rt.settings)):
        groups.setdefault(str(row["group_key"] or row["record_key"]), []).append(row)
    return groups


def _write(rt: Runtime, writer: object, key: str, rows: list[dict]) -> list[CallRecord]:
    return rt.portal.call(lambda: writer.write(key, rows))  # type: ignore[attr-defined]


def _refusing(app: object, target: str) -> httpx.AsyncBaseTransport:
    """The target's stand-in, but every write is refused as the real API refuses a bad record."""
    inner = httpx.ASGITransport(app=app)  # type: ignore[arg-type]

    class Refusing(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if target == "afas" and request.method != "GET":
                body = {
                    "externalMessage": "Veld 'Naam' is verplicht.",
                    "errorNumber": -2147220469,
                    "profitLogReference": "0" * 32,
                }
                return httpx.Response(500, json=body)
            if target == "mplus":
                op = re.search(rb"Body>\s*<(?:\w+:)?(\w+)", await request.aread())
                if op and not op.group(1).startswith((b"get", b"find", b"check")):
                    return httpx.Response(
                        500,
                        content=encode_fault("Client", "Invalid value for field name"),
                        headers={"content-type": "text/xml"},
                    )
            return await inner.handle_async_request(request)

    return Refusing()


@contextmanager
def _runtime(h, *, refuse: str | None = None) -> Iterator[Runtime]:  # noqa: ANN001
    afas_app, mplus_app = h.sims.apps()
    afas = _refusing(afas_app, "afas") if refuse == "afas" else httpx.ASGITransport(app=afas_app)
    mplus = _refusing(mplus_app, "mplus") if refuse == "mplus" else httpx.ASGITransport(app=mplus_app)
    rt = Runtime.open(h.settings, simulators=h.sims, afas_transport=afas, mplus_transport=mplus)
    try:
        yield rt
    finally:
        rt.close()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_writer_keeps_the_contract(harness, case: Case) -> None:  # noqa: ANN001
    h = harness(simulator={"articles": 60, "debtors": 20})
    _converged(h, case)

    # 1. an empty batch sends nothing
    with h.runtime() as rt:
        writer = _entity(case).writer(rt)
        summary = rt.portal.call(lambda: push([], writer))
        calls = rt.warehouse.query("select count(*) as n from journal.calls where run_id = ?", [rt.run_id])
    assert (summary.write_calls, summary.ok, summary.failed, summary.records) == (0, 0, 0, [])
    assert calls[0]["n"] == 0

    # the source changes: one create and/or one update of this entity are planned, no error rows
    for change in (case.create, case.update):
        if change is not None:
            change(h)
    with h.runtime() as rt:
        groups = _pending(rt, case)
    actions = {r["action"] for rows in groups.values() for r in rows}
    assert case.create is None or "create" in actions, groups
    assert case.update is None or "update" in actions, groups
    assert "error" not in actions, groups

    # 2. a write the target refuses: a failed call record naming the record, no exception, the row stays planned
    key, rows = next(iter(groups.items()))
    with _runtime(h, refuse=case.target) as rt:
        records = _write(rt, _entity(case).writer(rt), key, rows)
    failed = [r for r in records if not r.ok]
    assert failed, [(r.status, r.operation) for r in records]
    for r in failed:
        named = [part for k in (key, *r.record_keys) for part in (k, *k.split(":")) if len(part) > 2]
        assert r.error and any(part in r.error for part in named), r.error  # "article 10001 in branch 1"
        assert r.request is not None  # what was sent is kept for the activity log
    with h.runtime() as rt:
        assert key in _pending(rt, case)

    # 3. a create whose answer is lost (applied, then a timeout) is looked up and confirmed, not sent twice
    if case.create is not None:
        config = h.sims.afas_config if case.target == "afas" else h.sims.mplus_config
        key, rows = next((k, r) for k, r in groups.items() if r[0]["action"] == "create")
        with h.runtime() as rt:
            writer = _entity(case).writer(rt)
            config.commit_then_timeout_rate = 1.0
            try:
                records = _write(rt, writer, key, rows)
            finally:
                config.commit_then_timeout_rate = 0.0
            assert records[-1].status == "confirmed", [(r.status, r.error) for r in records]
            keys = [str(r["record_key"]) for r in rows]
            assert rt.portal.call(lambda: writer.lookup(key, keys)) is True

    # 4. the rest is sent: every call ok, each planned record answered, and the next plan is empty
    with h.runtime() as rt:
        groups = _pending(rt, case)
        writer = _entity(case).writer(rt)
        records = [rec for k, rows in groups.items() for rec in _write(rt, writer, k, rows)]
    assert all(r.status == "ok" for r in records), [(r.group_key, r.error) for r in records]
    assert all(r.flow == case.flow and r.entity == case.entity for r in records)
    planned = {str(r["record_key"]) for rows in groups.values() for r in rows}
    assert {k for r in records for k in r.record_keys} >= planned
    with h.runtime() as rt:
        assert _pending(rt, case) == {}, "what the writer sent is not what the plan asked"


def test_every_flow_entity_has_a_contract_case() -> None:
    covered = {(c.flow, c.entity) for c in CASES}
    assert covered == {(f.name, e.name) for f in FLOWS.values() for e in f.entities}
