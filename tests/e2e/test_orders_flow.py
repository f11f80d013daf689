"""Orders flow end to end: what is sold at the till (orders and invoices) ends up in AFAS, exactly once."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import pytest

from simulators.demo.catalog import build_catalog

DEFAULT_DEBTOR = "20001"


def _paid_sendable() -> dict[str, object]:
    """What the demo's till sold that belongs in AFAS: paid orders (but the one with an article AFAS lacks) and
    the paid sales booked as invoices without an order (an order's own invoice is the same sale)."""
    catalog = build_catalog()
    out = {
        o.ext_order_id: o
        for o in catalog.orders
        if o.fully_paid and all(ln.article_number != "88888" for ln in o.lines)
    }
    out.update({i.ext_order_id: i for i in catalog.till_invoices if i.fully_paid})
    return out


def _afas_orders(h) -> dict[str, list]:  # noqa: ANN001
    out: dict[str, list] = {}
    for o in h.afas.orders.values():
        out.setdefault(o.reference, []).append(o)
    return out


def test_every_paid_order_arrives_once_with_debtor_lines_and_prices(harness) -> None:
    h = harness()
    first = h.sync("orders")
    assert first.pushed_failed == 0, first.errors
    expected = _paid_sendable()
    in_afas = _afas_orders(h)
    assert set(in_afas) == set(expected)
    assert all(len(v) == 1 for v in in_afas.values())
    debtors = {d.debtor_id: d for d in h.afas.debtors.values()}
    for key, demo in expected.items():
        order = in_afas[key][0]
        assert order.connector == "FbSales"
        lines = sorted((ln.item_code, ln.quantity) for ln in order.lines)
        assert lines == sorted((ln.article_number, ln.quantity) for ln in demo.lines)  # type: ignore[attr-defined]
        # every line in its article's own unit: coffee by the kilo (0.375 exactly), the rest per piece
        assert all(ln.unit == h.afas.articles[ln.item_code].unit for ln in order.lines), key
        for ln, demo_line in zip(
            sorted(order.lines, key=lambda x: x.item_code),
            sorted(demo.lines, key=lambda x: x.article_number),
            strict=True,
        ):  # type: ignore[attr-defined]
            # the till's price incl. VAT, back to excl. at the line's VAT rate, to the cent
            excl = (demo_line.price_incl / (1 + demo_line.vat_pct / 100)).quantize(Decimal("0.01"))
            assert abs(ln.price - excl) <= Decimal("0.01"), key
            assert ln.vat_pct == demo_line.vat_pct, key  # AFAS applies the same VAT rate as the till did
        if demo.email is None:  # type: ignore[attr-defined]
            assert order.debtor_id == DEFAULT_DEBTOR
        else:
            debtor = debtors[order.debtor_id]
            org = h.afas.orgpers[debtor.bc_co]
            assert (org.email or "").lower() == demo.email.lower()  # type: ignore[attr-defined]
            assert (debtor.kind == "O") == (demo.company_name is not None)  # type: ignore[attr-defined]
    assert any(
        ln.unit == "KG" and ln.quantity == Decimal("0.375") for v in in_afas.values() for ln in v[0].lines
    )
    # unpaid orders and invoices wait
    catalog = build_catalog()
    unpaid = [o.ext_order_id for o in [*catalog.orders, *catalog.till_invoices] if not o.fully_paid]
    assert "F-2026004" in unpaid and not set(unpaid) & set(in_afas)
    # a rerun sends nothing
    again = h.sync("orders")
    assert again.write_calls == 0


def test_known_email_reuses_the_debtor_and_new_emails_create_one(harness) -> None:
    h = harness()
    known = {d.email.lower(): d.debtor_id for d in build_catalog().debtors if d.email and "@" in d.email}
    before = {d.debtor_id for d in h.afas.debtors.values()}
    h.sync("orders")
    created = {d.debtor_id for d in h.afas.debtors.values()} - before
    orders = _paid_sendable()
    new_emails = {o.email.lower() for o in orders.values() if o.email and o.email.lower() not in known}  # type: ignore[attr-defined]
    assert len(created) == len(new_emails)  # one debtor per new e-mail, never two
    in_afas = _afas_orders(h)
    reused = 0
    for key, demo in orders.items():
        email = (demo.email or "").lower()  # type: ignore[attr-defined]
        debtor_id = in_afas[key][0].debtor_id
        if email in known:
            assert debtor_id == known[email]
            reused += 1
        elif email:
            assert debtor_id in created
            kind = h.afas.debtors[debtor_id].kind
            assert kind == ("O" if demo.company_name else "P")  # type: ignore[attr-defined]
    assert reused, "the demo has an order by a customer AFAS already knows"


def test_unpaid_order_arrives_once_paid(harness) -> None:
    h = harness()
    h.sync("orders")
    h.mplus.pay_order("POS-2026005")
    assert "POS-2026005" not in _afas_orders(h)
    result = h.sync("orders")
    assert result.write_calls == 2  # its (new) customer and the order itself
    assert len(_afas_orders(h)["POS-2026005"]) == 1


def test_order_with_unknown_article_is_held_then_sent(harness) -> None:
    h = harness()
    h.sync("orders")
    errors = h.query("select record_key, field, message from transforms.errors_orders")
    held = [e for e in errors if e["record_key"] == "POS-2026010"]
    assert held and "88888" in held[0]["message"] and held[0]["field"].endswith("article_number")
    assert "POS-2026010" not in _afas_orders(h)
    h.afas.add_article_for_code("88888")
    h.sync("orders")
    assert len(_afas_orders(h)["POS-2026010"]) == 1


def test_insert_that_times_out_after_afas_stored_it_is_not_repeated(harness) -> None:
    h = harness()
    h.sims.afas_config.fail_after_commit_next = 3  # the first three writes land, then the answer is lost
    h.sync("orders")
    h.sync("orders")
    in_afas = _afas_orders(h)
    assert set(in_afas) == set(_paid_sendable())
    assert all(len(v) == 1 for v in in_afas.values())
    emails = Counter((h.afas.orgpers[d.bc_co].email or "").lower() for d in h.afas.debtors.values())
    assert all(n == 1 for e, n in emails.items() if e)


@pytest.mark.parametrize("doc", ["FbSales", "FbSalesQuotation", "FbDirectInvoice", "FiEntries"])
def test_each_document_type_is_accepted_and_matches_the_openapi_schema(harness, shared_api, doc: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    h = harness(orders={"document_type": doc})
    result = h.sync("orders")
    assert result.pushed_failed == 0, result.errors
    spec_file = "mutaties.json" if doc == "FiEntries" else "verkoop-en-orders.json"
    schema = json.loads((shared_api / "afas-openapi" / spec_file).read_text())["components"]["schemas"][
        f"{doc}_POST"
    ]
    calls = h.query(f"select request from journal.calls where operation = 'POST {doc}' and status = 'ok'")
    assert len(calls) == len(_paid_sendable())
    for call in calls:
        body = json.loads(call["request"])
        jsonschema.validate(body, schema)
        if doc == "FiEntries":
            lines = body["FiEntryPar"]["Element"]["Objects"][0]["FiEntries"]["Element"]
            debit = sum(Decimal(str(x["Fields"].get("AmDe", 0))) for x in lines)
            credit = sum(Decimal(str(x["Fields"].get("AmCr", 0))) for x in lines)
            assert debit == credit and debit > 0


def test_a_line_whose_unit_cannot_be_determined_is_an_error_row_naming_order_line_and_item(harness) -> None:
    h = harness()
    code = next(ln.article_number for ln in build_catalog().orders[0].lines)
    h.afas.modify_article(code, unit="")  # the article has no unit in AFAS
    result = h.sync("orders")
    assert result.pushed_failed == 0
    errors = [
        e
        for e in h.query("select record_key, field, message from transforms.errors_orders")
        if e["record_key"] == "POS-2026000"
    ]
    assert errors and errors[0]["field"].endswith("].unit") and code in errors[0]["message"]
    assert "POS-2026000 line" in errors[0]["message"] and "unit" in errors[0]["message"]
    assert not h.afas.orders_with_reference("POS-2026000")
    h.afas.modify_article(code, unit="STK")
    h.sync("orders")
    assert len(h.afas.orders_with_reference("POS-2026000")) == 1


def test_a_new_customer_without_a_name_is_an_error_row_not_a_refused_debtor(harness) -> None:
    from simulators.mplus.handlers.relations import insert_relation

    h = harness()
    with h.mplus.lock:  # a till relation with an e-mail address and nothing else
        relation = insert_relation(h.mplus, {"email": "anoniem@example.nl"})
    h.mplus.add_order(
        ext_order_id="NONAME-1",
        branch=1,
        relation_number=relation,
        lines=build_catalog().orders[0].lines,
        fully_paid=True,
    )
    result = h.sync("orders")
    assert result.pushed_failed == 0, result.errors
    errors = {e["record_key"]: e for e in h.query("select * from transforms.errors_orders")}
    assert (
        errors["NONAME-1"]["field"] == "customer_name"
        and "anoniem@example.nl" in errors["NONAME-1"]["message"]
    )
    assert not h.afas.orders_with_reference("NONAME-1")


def test_a_debtor_with_a_name_prefix_is_not_updated_back_and_forth(harness) -> None:
    """The customers flow shows AFAS's "Fleur" + "de" + "Boer" at the till as "Fleur de Boer"; an order of that
    relation must not send "de Boer" back as AFAS's last name (the next customers run would then show "Fleur de de
    Boer", and so on: found by the fault campaign)."""
    from decimal import Decimal as D

    from simulators.demo.records import DemoOrderLine

    h = harness()
    h.sync("customers")
    parties = h.afas.orgpers
    debtor = next(
        d
        for d in sorted(h.afas.debtors.values(), key=lambda d: d.debtor_id)
        if d.kind == "P"
        and parties[d.bc_co].prefix
        and parties[d.bc_co].email
        and parties[d.bc_co].email.count("@") == 1
    )
    relation = next(r for r in h.mplus.relations.values() if r.get("extRelationId") == debtor.debtor_id)
    assert parties[debtor.bc_co].prefix in relation["name"]
    code = next(
        a.item_code
        for a in h.afas.articles.values()
        if a.unit == "STK" and a.item_code.isdigit() and not a.blocked and a.vat_group == "HOOG"
    )
    line = DemoOrderLine(code, "Shirt", D(1), D("24.20"), 2, D(21))
    h.mplus.add_order(
        ext_order_id="PFX-1",
        branch=1,
        lines=(line,),
        payments=(("PIN", D("24.20")),),
        fully_paid=True,
        relation_number=relation["relationNumber"],
    )
    first = h.sync("orders")
    assert first.pushed_failed == 0, first.errors
    puts = [
        r["request"]
        for r in h.query("select request from journal.calls where flow = 'orders' and entity = 'debtors'")
        if f'"@DbId":"{debtor.debtor_id}"' in r["request"]
    ]
    assert puts == [], puts  # the debtor exists with this very name: nothing to update
    assert parties[debtor.bc_co].last_name and " " not in parties[debtor.bc_co].last_name
    h.sync("customers")  # carries what the demo's other orders changed in AFAS to the till
    for flow in ("orders", "customers", "orders"):
        assert h.sync(flow).write_calls == 0, flow
