"""Every orders setting lands where AFAS's OpenAPI puts it, and AFAS (the stand-in) accepts it there."""

from __future__ import annotations

import json
from decimal import Decimal

from simulators.demo.records import DemoOrderLine
from simulators.mplus.handlers.orders import touch_order


def _sent(h, operation: str) -> list[dict]:  # noqa: ANN001
    rows = h.query(
        f"select group_key, request from journal.calls where operation = '{operation}' and status = 'ok'"
    )
    return [{"key": r["group_key"], **json.loads(r["request"])} for r in rows]


def _piece(h) -> str:  # noqa: ANN001
    return next(
        a.item_code
        for a in h.afas.articles.values()
        if a.unit == "STK" and a.item_code.isdigit() and not a.blocked and a.vat_group == "HOOG"
    )


def _shirt(h, n: str = "1") -> tuple[DemoOrderLine, ...]:  # noqa: ANN001
    return (DemoOrderLine(_piece(h), "Shirt", Decimal(n), Decimal("24.20"), 2, Decimal(21)),)


def test_order_documents_carry_every_setting_in_its_place(harness) -> None:
    h = harness(
        orders={
            "document_type": "FbSales",
            "invoice_document_type": "FbDirectInvoice",
            "payment_methods": {"PIN": "PI", "CASH": "KAS", "IDEAL": "ID"},
            "payment_conditions": {"CASH": "0"},
            "payment_condition": "30",
            "shipping_methods": {"BEZORGEN": 2},
            "warehouse": "02",
            "currency": "EUR",
            "debtor_collective_account": "1310",
        }
    )
    order_id = h.mplus.add_order(
        ext_order_id="SET-1",
        branch=1,
        lines=_shirt(h),
        fully_paid=True,
        payments=(("CASH", Decimal("24.20")),),
        customer_name="Ria Smit",
        email="ria@example.nl",
        address="Markt 3",
        zipcode="1111 AA",
        city="Diemen",
        country="NL",
    )
    with h.mplus.lock:  # sold at the till for home delivery
        h.mplus.orders[order_id]["deliveryMethod"] = "BEZORGEN"
        touch_order(h.mplus, order_id)
    result = h.sync("orders")
    assert result.pushed_failed == 0, result.errors

    orders = {c["key"]: c["FbSales"]["Element"]["Fields"] for c in _sent(h, "POST FbSales")}
    invoices = {c["key"]: c["FbDirectInvoice"]["Element"]["Fields"] for c in _sent(h, "POST FbDirectInvoice")}
    # the document type per source: till orders as sales orders, till invoices as direct invoices
    assert "SET-1" in orders and set(invoices) == {"F-2026001", "F-2026002", "F-2026003"}
    assert {o.connector for o in h.afas.orders_with_reference("F-2026002")} == {"FbDirectInvoice"}
    mine = orders["SET-1"]
    assert (mine["Unit"], mine["War"], mine["CuId"], mine["RfCs"]) == (1, "02", "EUR", "SET-1")
    assert (mine["PaTp"], mine["PaCd"], mine["DtId"]) == ("KAS", "0", 2)  # paid in cash, delivered
    by_pin = next(f for k, f in orders.items() if k != "SET-1" and f["PaTp"] == "PI")
    assert by_pin["PaCd"] == "30" and "DtId" not in by_pin  # no condition for PIN: the general one
    assert (
        invoices["F-2026002"]["PaTp"] == "ID" and "DtId" not in invoices["F-2026002"]
    )  # no delivery type there
    stored = h.afas.orders_with_reference("SET-1")[0]
    assert stored.warehouse == "02" and stored.fields["DtId"] == 2 and stored.fields["PaTp"] == "KAS"
    # a new debtor: currency, the general payment condition, the summary account
    debtors = {c["key"]: c for c in _sent(h, "POST KnSalesRelationPer")}
    fields = debtors["ria@example.nl"]["KnSalesRelationPer"]["Element"]["Fields"]
    assert (fields["CuId"], fields["PaCd"], fields["ColA"]) == ("EUR", "30", "1310")
    debtor = next(d for d in h.afas.debtors.values() if h.afas.orgpers[d.bc_co].email == "ria@example.nl")
    assert (debtor.collect_account, debtor.payment_condition) == ("1310", "30")


def test_financial_entries_book_on_the_settings_accounts_and_codes(harness) -> None:
    h = harness(
        orders={
            "document_type": "FiEntries",
            "journal": "71",
            "vat_account": "1510",
            "revenue_accounts": {"NL": "8010", "BE": "8110"},
            "vat_codes": {"NL": "2", "BE": "4"},
            "payment_conditions": {"PIN": "0"},
            "payment_condition": "30",
        },
        afas={"administration": 1},
    )
    result = h.sync("orders")
    assert result.pushed_failed == 0, result.errors
    entries = _sent(h, "POST FiEntries")
    assert entries
    belgian = 0
    for call in entries:
        par = call["FiEntryPar"]["Element"]
        assert (par["Fields"]["JoCo"], par["Fields"]["UnId"]) == ("71", 1)
        lines = [x["Fields"] for x in par["Objects"][0]["FiEntries"]["Element"]]
        debtor = [x for x in lines if x["VaAs"] == "2"]
        revenue = [x for x in lines if x["VaAs"] == "1" and x["AcNr"] != "1510"]
        vat = [x for x in lines if x["AcNr"] == "1510"]
        assert len(debtor) == 1 and revenue and len(vat) <= 1
        assert {x["AcNr"] for x in revenue} <= {"8010", "8110"}
        assert all(x["VaId"] == {"8010": "2", "8110": "4"}[x["AcNr"]] for x in revenue)
        belgian += any(x["AcNr"] == "8110" for x in revenue)
        assert debtor[0]["PaCd"] in ("0", "30")
        # BpNr: the till's own number (the key may be a 36-character id; BpNr keeps 32)
        assert debtor[0]["BpNr"][0] in "OF" and len(debtor[0]["BpNr"]) <= 32
        assert sum(Decimal(str(x.get("AmDe", 0))) for x in lines) == sum(
            Decimal(str(x.get("AmCr", 0))) for x in lines
        )
    assert belgian  # the demo's Belgian customers book on the Belgian revenue account
    assert any(e.journal == "71" for e in h.afas.fi_entries.values())


def test_the_status_filter_reads_orders_and_invoices_alike(harness) -> None:
    h = harness(orders={"status_filter": "o.fully_paid and o.source = 'order'"})
    result = h.sync("orders")
    assert result.pushed_failed == 0, result.errors
    assert not [o for o in h.afas.orders.values() if (o.reference or "").startswith("F-")]
    assert h.afas.orders_with_reference("POS-2026000")


def test_an_invoice_of_an_order_that_is_sent_is_not_sent_again(harness) -> None:
    h = harness()
    h.sync("orders")
    references = [o.reference for o in h.afas.orders.values()]
    assert len(references) == len(set(references))
    invoices = {i["invoiceId"]: i for i in h.mplus.invoices.values()}
    of_orders = [i for i in invoices.values() if i.get("orderIds")]
    assert of_orders and not set(references) & {i["invoiceId"] for i in of_orders}
    # the unpaid order is paid later: its invoice (now paid) is the same sale as the order that is sent
    h.mplus.pay_order("POS-2026005")
    h.sync("orders")
    assert len(h.afas.orders_with_reference("POS-2026005")) == 1
    assert len(h.afas.orders) == len(references) + 1


def test_a_setting_afas_would_refuse_is_not_sent_but_held_naming_field_and_limit(harness) -> None:
    h = harness(orders={"warehouse": "MAGAZIJN-AMSTERDAM-NOORD"})  # War keeps 15 characters
    before = len(h.afas.orders)
    result = h.sync("orders")
    assert len(h.afas.orders) == before  # nothing AFAS is sure to refuse was sent
    docs = h.query(
        "select count(*) as n from journal.calls where entity = 'sales_orders' and operation <> '?'"
    )
    assert docs[0]["n"] == 0
    assert result.pushed_failed > 0 and all("War" in e and "15" in e for e in result.errors if "sales" in e)
    held = h.query("select record_key, last_error from journal.held where entity = 'sales_orders'")
    assert held and all("War" in r["last_error"] for r in held)
    again = h.sync("orders")
    assert again.write_calls == 0 and again.plan["held"] == len(held)


def test_a_known_company_debtor_is_compared_as_afas_returns_it_and_updated_once(harness) -> None:
    h = harness(orders={"document_type": "FbSalesQuotation"})
    org = h.afas.add_debtor(
        "O",
        name="Bloem & Co",
        email="info@bloem.nl",
        street="Markt",
        house_number="1",
        zipcode="1111 AA",
        city="Diemen",
        country="NL",
        contact_first_name="Anna",
        contact_last_name="Bloem",
    )
    person = h.afas.add_debtor(
        "P",
        first_name="Joop",
        last_name="Zoet",
        email="joop@zoet.nl",
        street="Laan",
        house_number="5",
        zipcode="2222 BB",
        city="Weesp",
        country="NL",
    )
    # the till knows the company with another contact person, and Joop as a company
    h.mplus.add_order(
        ext_order_id="CO-1",
        branch=1,
        lines=_shirt(h),
        fully_paid=True,
        payments=(("PIN", Decimal("24.20")),),
        company_name="Bloem & Co",
        customer_name="Kees Jansen",
        email="info@bloem.nl",
        address="Markt 1",
        zipcode="1111 AA",
        city="Diemen",
        country="NL",
    )
    h.mplus.add_order(
        ext_order_id="CO-2",
        branch=1,
        lines=_shirt(h),
        fully_paid=True,
        payments=(("PIN", Decimal("24.20")),),
        company_name="Zoet BV",
        customer_name="Joop Zoet",
        email="joop@zoet.nl",
        address="Laan 5",
        zipcode="2222 BB",
        city="Weesp",
        country="NL",
    )
    h.sync("orders")
    puts = h.query("select group_key from journal.calls where operation like 'PUT %'")
    assert puts == []  # nothing the till knows differs from what AFAS returns for these debtors
    assert h.afas.orders_with_reference("CO-1")[0].debtor_id == org.debtor_id
    assert h.afas.orders_with_reference("CO-2")[0].debtor_id == person.debtor_id
    # the company moved (the till's relation says so) and buys again: one update, then nothing
    relation = sorted(h.mplus.relation_by_email["info@bloem.nl"])[0]
    h.mplus.edit_relation(relation, address="Markt 2-4")
    h.mplus.add_order(
        ext_order_id="CO-3",
        branch=1,
        lines=_shirt(h),
        fully_paid=True,
        payments=(("PIN", Decimal("24.20")),),
        company_name="Bloem & Co",
        customer_name="Kees Jansen",
        email="info@bloem.nl",
    )
    moved = h.sync("orders")
    puts = h.query("select operation, request from journal.calls where operation like 'PUT %'")
    assert [p["operation"] for p in puts] == ["PUT KnSalesRelationOrg"] and moved.write_calls == 2
    assert "KnContact" not in puts[0]["request"]  # the contact person is AFAS's: a PUT would add a second one
    op = h.afas.orgpers[org.bc_co]
    assert (op.street, op.house_number, op.house_addition, op.contact_first_name) == (
        "Markt",
        "2",
        "-4",
        "Anna",
    )
    for _ in range(2):
        assert h.sync("orders").write_calls == 0
