"""Fixture tests of the products and orders flows' `int_*` models (as tests/transforms/test_int_models.py does for
stock, customers and prices): hand-written rows of the models each one reads, the flow's real settings tables, and
the rows the model's stated intent asks for."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from connectors.mplus.features import encode_features
from connectors.mplus.limits import MAX_LENGTH
from tests.transforms.model_fixture import run_model

D = Decimal

# -- products ------------------------------------------------------------------------------------------------


def _item(code: str, **fields: Any) -> dict[str, Any]:
    """A stg_afas__items row: a sellable till article unless `fields` say otherwise."""
    return {
        "record_key": code,
        "item_code": code,
        "description": f"Artikel {code}",
        "extra_description": None,
        "group_code": "KOF",
        "discount_group": None,
        "blocked": False,
        "barcode": None,
        "vat_group": "HOOG",
        "stock_tracked": True,
        "unit_id": "STK",
        "unit": "STK",
        "sales_price": D("2.5000"),
        "currency": "EUR",
        "model_code": None,
        "brand": None,
        "pos_article": True,
        "modified_date": datetime(2026, 6, 1, 9, 0),
        **fields,
    }


def _attribute(item: str, code: str, value: str, seq: int = 1) -> dict[str, Any]:
    return {
        "record_key": f"{item}|{code}",
        "item_code": item,
        "attribute_code": code,
        "value": value,
        "sequence_number": seq,
    }


def _feature(item: str, code: str, value: str | None) -> dict[str, Any]:
    return {
        "record_key": f"{item}|{code}",
        "item_code": item,
        "feature_code": code,
        "feature_description": code.title(),
        "value": value,
    }


def test_attributes_fill_colour_and_size_of_variant_articles(tmp_path: Path) -> None:
    rows = run_model(
        "products",
        "int_article_attributes",
        {
            "transforms.stg_afas__item_attributes": [
                _attribute("20001", "KLEUR", "Rood"),
                _attribute("20001", "MAAT", "M", 2),
                _attribute("20001", "MATERIAAL", "Katoen", 3),  # not mapped: not sent
                _attribute("20002", "KLEUR", "Blauw"),  # a colour only
                _attribute("20003", "MATERIAAL", "Wol"),  # nothing mapped: no colour, no size
            ]
        },
        tmp_path,
    )
    assert {r["item_code"]: (r["colour"], r["size"]) for r in rows} == {
        "20001": ("Rood", "M"),
        "20002": ("Blauw", None),
        "20003": (None, None),
    }


def test_the_attribute_codes_come_from_the_settings(tmp_path: Path) -> None:
    rows = run_model(
        "products",
        "int_article_attributes",
        {
            "transforms.stg_afas__item_attributes": [
                _attribute("20001", "KLEUR", "Rood"),
                _attribute("20001", "MAAT", "M"),
                _attribute("20001", "COLOR", "Red"),
                _attribute("20001", "SIZE", "Medium"),
            ]
        },
        tmp_path,
        products={"attribute_colour": "COLOR", "attribute_size": "SIZE"},
    )
    assert [(r["item_code"], r["colour"], r["size"]) for r in rows] == [("20001", "Red", "Medium")]


def test_features_are_one_sorted_json_object_per_article(tmp_path: Path) -> None:
    rows = run_model(
        "products",
        "int_article_features",
        {
            "transforms.stg_afas__item_features": [
                _feature("10001", "WASVOORSCHRIFT", "30°, niet in de droger"),
                _feature("10001", "HERKOMST", "Brazilië"),
                _feature("10001", "extra", "klein"),  # lower case sorts after upper case, as in Python
                _feature("10002", "NOTITIE", 'Zak "bio"\\los\tper stuk\nop\rvoorraad'),
                _feature("10002", "LEEG", None),  # no value: an empty string, the key kept
            ]
        },
        tmp_path,
    )
    got = {r["item_code"]: r["features"] for r in rows}
    assert got == {
        "10001": '{"HERKOMST":"Brazilië","WASVOORSCHRIFT":"30°, niet in de droger","extra":"klein"}',
        "10002": '{"LEEG":"","NOTITIE":"Zak \\"bio\\"\\\\los\\tper stuk\\nop\\rvoorraad"}',
    }
    # what the current side reads back (connectors.mplus.features): the same bytes, so an unchanged article
    # is not an update
    assert json.loads(got["10002"]) == {"LEEG": "", "NOTITIE": 'Zak "bio"\\los\tper stuk\nop\rvoorraad'}
    assert got["10001"] == encode_features(
        [("WASVOORSCHRIFT", "30°, niet in de droger"), ("HERKOMST", "Brazilië"), ("extra", "klein")]
    )


def _articles_inputs(keys: list[str] | None) -> dict[str, list[dict[str, Any]] | pa.Table]:
    items = [
        _item("10001", description="Koffiebonen 1kg", barcode="4006381333931", brand="Douwe"),
        _item("20001", group_code="SHIRT", vat_group="LAAG", model_code="M-SHIRT"),  # variants of one product
        _item("20002", group_code="SHIRT", vat_group="LAAG", model_code="M-SHIRT"),
        _item("000123", vat_group="GEEN"),  # leading zeros: article 123
        _item("ABC-1"),  # not a number: no article number (errors_products reports it)
        _item("1234567890123456789"),  # 19 digits: more than an article number holds
        _item("30001", blocked=True),
        _item("30002", pos_article=False),
        _item("30003", vat_group="ONBEKEND"),  # a VAT group without a MplusKASSA code
        _item("30004"),  # deleted in AFAS when a key scan ran without it
    ]
    key_rows = pa.table({"record_key": pa.array([], pa.string()), "item_code": pa.array([], pa.string())})
    if keys is not None:
        key_rows = pa.Table.from_pylist([{"record_key": k, "item_code": k} for k in keys])
    return {
        "transforms.stg_afas__items": items,
        "transforms.stg_afas__item_keys": key_rows,
        "transforms.int_article_attributes": [
            {"item_code": "20001", "colour": "Rood", "size": "M"},
            {"item_code": "20002", "colour": "Rood", "size": "L"},
        ],
        "transforms.int_article_features": [{"item_code": "10001", "features": '{"HERKOMST":"Brazilië"}'}],
    }


def test_articles_carry_vat_code_variants_attributes_and_the_filter(tmp_path: Path) -> None:
    keys = ["10001", "20001", "20002", "000123", "ABC-1", "1234567890123456789", "30001", "30002", "30003"]
    rows = run_model("products", "int_articles", _articles_inputs(keys), tmp_path)
    got = {
        r["item_code"]: (
            r["product_key"],
            r["vat_code"],
            r["colour"],
            r["size"],
            r["features"],
            r["numeric_code"],
            r["article_number"],
            r["selected"],
            r["present"],
        )
        for r in rows
    }
    assert got == {
        "10001": ("10001", 2, None, None, '{"HERKOMST":"Brazilië"}', True, 10001, True, True),
        "20001": ("M-SHIRT", 1, "Rood", "M", None, True, 20001, True, True),
        "20002": ("M-SHIRT", 1, "Rood", "L", None, True, 20002, True, True),
        "000123": ("000123", 3, None, None, None, True, 123, True, True),
        "ABC-1": ("ABC-1", 2, None, None, None, False, None, True, True),
        "1234567890123456789": ("1234567890123456789", 2, None, None, None, False, None, True, True),
        "30001": ("30001", 2, None, None, None, True, 30001, False, True),  # blocked
        "30002": ("30002", 2, None, None, None, True, 30002, False, True),  # not a till article
        "30003": ("30003", None, None, None, None, True, 30003, True, True),
        "30004": ("30004", 2, None, None, None, True, 30004, True, False),
    }
    coffee = next(r for r in rows if r["item_code"] == "10001")
    assert (coffee["description"], coffee["group_code"], coffee["barcode"], coffee["brand"]) == (
        "Koffiebonen 1kg",
        "KOF",
        "4006381333931",
        "Douwe",
    )
    assert (coffee["sales_price"], coffee["currency"], coffee["stock_tracked"], coffee["blocked"]) == (
        D("2.5"),
        "EUR",
        True,
        False,
    )


def test_without_a_key_scan_every_article_is_present_and_the_user_filter_applies(tmp_path: Path) -> None:
    rows = run_model(
        "products",
        "int_articles",
        _articles_inputs(None),
        tmp_path,
        products={
            "article_filter": "a.group_code = 'SHIRT' or a.item_code = '30001'",
            "vat_codes": {"LAAG": 9},
        },
    )
    assert all(r["present"] for r in rows)
    assert sorted(r["item_code"] for r in rows if r["selected"]) == ["20001", "20002", "30001"]
    assert {r["item_code"]: r["vat_code"] for r in rows if r["vat_code"] is not None} == {
        "20001": 9,
        "20002": 9,
    }


def test_barcodes_are_checked_as_gtin(tmp_path: Path) -> None:
    def article(code: str, barcode: str | None, selected: bool = True) -> dict[str, Any]:
        return {"item_code": code, "barcode": barcode, "selected": selected}

    rows = run_model(
        "products",
        "int_barcodes",
        {
            "transforms.int_articles": [
                article("1", "4006381333931"),  # EAN-13
                article("2", "73513537"),  # EAN-8
                article("3", "036000291452"),  # UPC-A
                article("4", "10012345678902"),  # GTIN-14
                article("5", "8712345678920"),  # check digit 0 (weighted sum 120)
                article("6", "4006381333932"),  # wrong check digit
                article("7", "8712345678925"),
                article("8", "12345678901"),  # 11 digits: no GTIN length
                article("9", "40063813339A1"),  # a letter
                article("10", "00000000"),  # all zeros: the check digit is right
                article("11", None),  # no barcode: nothing to check
                article("12", "123", selected=False),  # not sent: not checked
            ]
        },
        tmp_path,
    )
    assert {r["item_code"]: (r["barcode"], r["valid"]) for r in rows} == {
        "1": ("4006381333931", True),
        "2": ("73513537", True),
        "3": ("036000291452", True),
        "4": ("10012345678902", True),
        "5": ("8712345678920", True),
        "6": ("4006381333932", False),
        "7": ("8712345678925", False),
        "8": ("12345678901", False),
        "9": ("40063813339A1", False),
        "10": ("00000000", True),
    }


def test_article_texts_of_selected_numeric_articles_with_their_limits(tmp_path: Path) -> None:
    def article(code: str, selected: bool = True, numeric: bool = True, **texts: str) -> dict[str, Any]:
        fields = ("description", "extra_description", "brand", "colour", "size")
        return {
            "item_code": code,
            "selected": selected,
            "numeric_code": numeric,
            **{f: texts.get(f) for f in fields},
        }

    rows = run_model(
        "products",
        "int_article_texts",
        {
            "transforms.int_articles": [
                article("10001", description="Koffiebonen 1kg", brand="Douwe Egberts"),
                article(
                    "20001", description="T-shirt Café", extra_description="Katoen", colour="Rood", size="M"
                ),
                article("ABC-1", numeric=False, description="Niet numeriek"),  # its SKU error says enough
                article("30001", selected=False, description="Niet geselecteerd"),
            ],
            "transforms.stg_afas__item_features": [
                _feature("10001", "HERKOMST", "Brazilië"),
                _feature("10001", "CAFEINE", None),
                _feature("30001", "HERKOMST", "Peru"),
            ],
        },
        tmp_path,
    )
    desc, extra, brand = (
        MAX_LENGTH["article.description"],
        MAX_LENGTH["article.extra_text"],
        MAX_LENGTH["article.brand"],
    )
    colour, size, feature = (
        MAX_LENGTH["article.colour"],
        MAX_LENGTH["article.size"],
        MAX_LENGTH["article.feature"],
    )
    assert sorted(
        (r["item_code"], r["field"], r["value"], r["value_length"], r["max_length"]) for r in rows
    ) == [
        ("10001", "brand", "Douwe Egberts", 13, brand),
        ("10001", "description", "Koffiebonen 1kg", 15, desc),
        ("10001", "features", "CAFEINE: ", 9, feature),
        ("10001", "features", "HERKOMST: Brazilië", 18, feature),
        ("20001", "colour", "Rood", 4, colour),
        ("20001", "description", "T-shirt Café", 12, desc),  # characters, not bytes
        ("20001", "extra_text", "Katoen", 6, extra),
        ("20001", "size", "M", 1, size),
    ]


# -- orders --------------------------------------------------------------------------------------------------


def _document(source: str, document_id: str, **fields: Any) -> dict[str, Any]:
    """A stg_mplus_documents row: a paid till sale of branch 1 without a customer unless `fields` say otherwise."""
    prefix = "O" if source == "order" else "F"
    return {
        "source": source,
        "document_id": document_id,
        "order_key": f"{prefix}-{document_id}",
        "document_number": f"{prefix}2026-{document_id}",
        "relation_number": None,
        "branch_number": 1,
        "financial_date": date(2026, 6, 15),
        "total_incl": D("12.10"),
        "total_excl": D("10.00"),
        "vat_method": "VAT-METHOD-INCLUSIVE",
        "fully_paid": True,
        "cancel_state": None,
        "invoice_state": "INVOICE-STATE-PAID" if source == "invoice" else None,
        "delivery_method": None,
        "payment_method": "PIN",
        "invoice_name": None,
        "invoice_company_name": None,
        "invoice_address": None,
        "invoice_zipcode": None,
        "invoice_city": None,
        "invoice_country": None,
        **fields,
    }


def _relation(number: int, **fields: Any) -> dict[str, Any]:
    columns = (
        "name",
        "company_name",
        "contact",
        "address",
        "zipcode",
        "city",
        "country",
        "email",
        "vat_number",
    )
    return {"relation_number": number, **{c: fields.get(c) for c in columns}}


def _address(address: str, country: str, street: str, number: str | None, **parsed: Any) -> dict[str, Any]:
    """A stg_order_addresses row as afas_mplus.order_texts parses it."""
    return {
        "address": address,
        "country": country,
        "street": street,
        "house_number": number,
        "addition": parsed.get("addition"),
        "po_box": parsed.get("po_box", False),
        "flagged": parsed.get("flagged", False),
        "reason": parsed.get("reason"),
    }


def _text(kind: str, value: str, fitted: str | None = None, cut: bool = False) -> dict[str, Any]:
    """A stg_order_texts row: a person's name split in first and last name, other texts fitted."""
    first, last = value.split(" ", 1) if kind == "person" else (None, None)
    return {
        "kind": kind,
        "value": value,
        "first_name": first,
        "last_name": last,
        "fitted": None if kind == "person" else (fitted or value),
        "cut": cut,
    }


LONG_COMPANY = (
    "Stichting Vrienden van het Openluchtmuseum en de Historische Tuinen van Gelderland en Overijssel"
)
LONG_CITY = "Nieuwerkerk aan den IJssel en omstreken"


def test_order_customers_from_the_relation_else_the_invoice_address(tmp_path: Path) -> None:
    inputs = {
        "transforms.stg_mplus_documents": [
            # the till's relation wins over the invoice address typed on the order
            _document(
                "order",
                "101",
                relation_number=501,
                invoice_name="Iemand Anders",
                invoice_company_name="Ander Bedrijf BV",
                invoice_address="Stationsweg 1",
                invoice_city="Amersfoort",
                invoice_country="NL",
            ),
            # no relation: the invoice address; a lower-case country
            _document(
                "order",
                "102",
                invoice_name="Fleur de Boer",
                invoice_address="Meir 50 bus 3",
                invoice_zipcode="2000",
                invoice_city="Antwerpen",
                invoice_country=" be ",
            ),
            _document("invoice", "201"),  # a walk-in sale: nothing known, the Netherlands
            # a relation without an address: the whole address comes from the invoice (not mixed)
            _document(
                "order",
                "103",
                relation_number=502,
                invoice_address="Hauptstraße 7",
                invoice_zipcode="10115",
                invoice_city="Berlin",
                invoice_country="DE",
            ),
            # names and city too long for AFAS, an address that cannot be split
            _document("invoice", "202", relation_number=503),
            # a company on the invoice, a PO box
            _document(
                "order",
                "104",
                invoice_company_name="Klein BV",
                invoice_address="Postbus 100",
                invoice_zipcode="3500 AA",
                invoice_city="Utrecht",
            ),
            # an address the Python step has not parsed, in a country AFAS has no code for here
            _document(
                "order", "105", invoice_name="Ann Lee", invoice_address="1 High Street", invoice_country="XX"
            ),
        ],
        "transforms.stg_mplus_order_relations": [
            _relation(
                501,
                name="Bakkerij Jansen",
                company_name="Bakkerij Jansen",
                contact="Piet Jansen",
                address="Dorpsstraat 12a",
                zipcode="1234 AB",
                city="Utrecht",
                country="nl",
                email="piet@bakkerijjansen.nl",
                vat_number="NL001234567B01",
            ),
            # a zipcode and city but no street: not an address to send
            _relation(502, name="Jan de Vries", zipcode="1011 AB", city="Amsterdam", email="jan@devries.de"),
            _relation(
                503,
                company_name=LONG_COMPANY,
                contact="Marie-Louise van Oranje",
                address="Achter de kerk",
                zipcode="2911 AA",
                city=LONG_CITY,
                country="NL",
            ),
            _relation(504, name="Nooit Gebruikt", email="ongebruikt@example.nl"),  # no document: no row
        ],
        "transforms.stg_order_addresses": [
            _address("Dorpsstraat 12a", "NL", "Dorpsstraat", "12", addition="a"),
            _address("Stationsweg 1", "NL", "Stationsweg", "1"),
            _address("Meir 50 bus 3", "BE", "Meir", "50", addition="bus 3"),
            _address("Hauptstraße 7", "DE", "Hauptstraße", "7"),
            _address("Achter de kerk", "NL", "Achter de kerk", None, flagged=True, reason="no house number"),
            _address("Postbus 100", "NL", "Postbus", "100", po_box=True),
        ],
        "transforms.stg_order_texts": [
            _text("person", "Piet Jansen"),
            _text("person", "Iemand Anders"),
            _text("person", "Fleur de Boer"),
            _text("person", "Jan de Vries"),
            _text("person", "Marie-Louise van Oranje"),
            _text("person", "Ann Lee"),
            _text("company", "Bakkerij Jansen"),
            _text("company", "Klein BV"),
            _text("company", "Ander Bedrijf BV"),
            _text("company", LONG_COMPANY, "Stichting Vrienden van het Openluchtmuseum", cut=True),
            _text("city", "Utrecht"),
            _text("city", "Amersfoort"),
            _text("city", "Antwerpen"),
            _text("city", "Berlin"),
            _text("city", "Amsterdam"),
            _text("city", LONG_CITY, "Nieuwerkerk aan den IJssel", cut=True),
        ],
    }
    rows = run_model("orders", "int_order_customers", inputs, tmp_path)
    walk_in = {
        "email": None,
        "debtor_kind": "person",
        "company_name": None,
        "first_name": None,
        "last_name": None,
        "company_name_full": None,
        "person_name_full": None,
        "name_cut": False,
        "address_line": None,
        "street": None,
        "house_number": None,
        "house_number_addition": None,
        "po_box": False,
        "address_flagged": False,
        "address_reason": None,
        "zipcode": None,
        "city": None,
        "city_cut": False,
        "city_full": None,
        "country": "NL",  # nothing known: the Netherlands
        "afas_country": "NL",
        "vat_number": None,
    }
    assert {r.pop("order_key"): r for r in rows} == {
        "O-101": {
            **walk_in,
            "email": "piet@bakkerijjansen.nl",
            "debtor_kind": "company",
            "company_name": "Bakkerij Jansen",
            "first_name": "Piet",  # the organisation's contact person
            "last_name": "Jansen",
            "company_name_full": "Bakkerij Jansen",
            "person_name_full": "Piet Jansen",
            "address_line": "Dorpsstraat 12a",
            "street": "Dorpsstraat",
            "house_number": "12",
            "house_number_addition": "a",
            "zipcode": "1234 AB",
            "city": "Utrecht",
            "city_full": "Utrecht",
            "vat_number": "NL001234567B01",
        },
        "O-102": {
            **walk_in,
            "first_name": "Fleur",
            "last_name": "de Boer",
            "person_name_full": "Fleur de Boer",
            "address_line": "Meir 50 bus 3",
            "street": "Meir",
            "house_number": "50",
            "house_number_addition": "bus 3",
            "zipcode": "2000",
            "city": "Antwerpen",
            "city_full": "Antwerpen",
            "country": "BE",
            "afas_country": "B",  # AFAS's own code for Belgium
        },
        "F-201": walk_in,
        "O-103": {
            **walk_in,
            "email": "jan@devries.de",
            "first_name": "Jan",
            "last_name": "de Vries",
            "person_name_full": "Jan de Vries",
            "address_line": "Hauptstraße 7",
            "street": "Hauptstraße",
            "house_number": "7",
            "zipcode": "10115",  # the invoice's, not the relation's zipcode and city
            "city": "Berlin",
            "city_full": "Berlin",
            "country": "DE",
            "afas_country": "D",
        },
        "F-202": {
            **walk_in,
            "debtor_kind": "company",
            "company_name": "Stichting Vrienden van het Openluchtmuseum",
            "first_name": "Marie-Louise",
            "last_name": "van Oranje",
            "company_name_full": LONG_COMPANY,
            "person_name_full": "Marie-Louise van Oranje",
            "name_cut": True,
            "address_line": "Achter de kerk",
            "street": "Achter de kerk",  # could not be split: whole into the street, flagged
            "address_flagged": True,
            "address_reason": "no house number",
            "zipcode": "2911 AA",
            "city": "Nieuwerkerk aan den IJssel",
            "city_cut": True,
            "city_full": LONG_CITY,
        },
        "O-104": {
            **walk_in,
            "debtor_kind": "company",
            "company_name": "Klein BV",
            "company_name_full": "Klein BV",
            "address_line": "Postbus 100",
            "street": "Postbus",
            "house_number": "100",
            "po_box": True,
            "zipcode": "3500 AA",
            "city": "Utrecht",
            "city_full": "Utrecht",
        },
        "O-105": {
            **walk_in,
            "first_name": "Ann",
            "last_name": "Lee",
            "person_name_full": "Ann Lee",
            "address_line": "1 High Street",
            "street": "1 High Street",  # not parsed: whole into the street, flagged
            "address_flagged": True,
            "country": "XX",
            "afas_country": None,
        },
    }


def _customer(key: str, email: str | None, kind: str = "person", country: str = "NL") -> dict[str, Any]:
    return {"order_key": key, "email": email, "debtor_kind": kind, "afas_country": country}


def _orders_inputs() -> dict[str, list[dict[str, Any]]]:
    documents = [
        _document("order", "101", delivery_method="VERZENDEN", payment_method="IDEAL"),  # a known customer
        _document("order", "102", fully_paid=False),  # not paid yet: waits
        _document("order", "103"),  # already in AFAS
        _document("order", "104"),  # a customer AFAS does not know yet
        _document("order", "105", fully_paid=False),  # not paid, but in AFAS already (sent before)
        _document("invoice", "201"),  # a walk-in sale: the default debtor
        _document("invoice", "202"),  # the invoice of order 101, which is sent: the same sale
        _document("invoice", "203"),  # the invoice of order 102, which waits: this one goes
        _document("invoice", "204"),  # the invoice of order 105, which AFAS has
        _document("invoice", "205", fully_paid=False, invoice_state="INVOICE-STATE-OPEN"),
        _document("invoice", "102"),  # an invoice id equal to order 102's, of no order
        _document("order", "202"),  # an order id equal to invoice 202's: an order is never "its own invoice"
    ]
    return {
        "transforms.stg_mplus_documents": documents,
        "transforms.int_order_customers": [
            _customer("O-101", "piet@bakkerijjansen.nl", "company"),
            _customer("O-102", "piet@bakkerijjansen.nl", "company"),
            _customer("O-103", "fleur@deboer.be", country="B"),
            _customer("O-104", "nieuw@klant.nl"),
            _customer("O-105", "fleur@deboer.be", country="B"),
            _customer("F-201", None),
            _customer("F-202", "piet@bakkerijjansen.nl", "company"),
            _customer("F-203", "piet@bakkerijjansen.nl", "company"),
            _customer("F-204", "fleur@deboer.be", country="B"),
            _customer("F-205", None),
            _customer("F-102", None),
            _customer("O-202", None),
        ],
        "transforms.current_sales_orders": [
            {"record_key": k, "group_key": k, "order_key": k} for k in ("O-103", "O-105", "O-999")
        ],
        "transforms.stg_afas_order_debtors": [
            # two AFAS debtors share an e-mail address: the lowest number is the customer
            {"debtor_id": "20011", "email": "piet@bakkerijjansen.nl", "relation_type": "organisation"},
            {"debtor_id": "20010", "email": "piet@bakkerijjansen.nl", "relation_type": "organisation"},
            {"debtor_id": "20020", "email": "fleur@deboer.be", "relation_type": "person"},
            {"debtor_id": "20030", "email": None, "relation_type": "person"},
        ],
        "transforms.stg_mplus_invoice_orders": [
            {"invoice_id": "202", "order_id": "101"},
            {"invoice_id": "203", "order_id": "102"},
            {"invoice_id": "204", "order_id": "105"},
        ],
    }


def test_orders_status_debtor_and_document_type(tmp_path: Path) -> None:
    rows = run_model("orders", "int_orders", _orders_inputs(), tmp_path)
    got = {
        r["order_key"]: (
            r["debtor_id"],
            r["needs_new_debtor"],
            r["already_in_afas"],
            r["status_ok"],
            r["wanted"],
            r["document_type"],
        )
        for r in rows
    }
    assert got == {
        "O-101": ("20010", False, False, True, True, "FbSales"),
        "O-102": ("20010", False, False, False, False, "FbSales"),
        "O-103": ("20020", False, True, True, True, "FbSales"),
        "O-104": (None, True, False, True, True, "FbSales"),
        "O-105": ("20020", False, True, False, False, "FbSales"),
        "F-201": ("20001", False, False, True, True, "FbSales"),
        "F-202": ("20010", False, False, True, False, "FbSales"),
        "F-203": ("20010", False, False, True, True, "FbSales"),
        "F-204": ("20020", False, False, True, False, "FbSales"),
        "F-205": ("20001", False, False, False, False, "FbSales"),
        "F-102": ("20001", False, False, True, True, "FbSales"),
        "O-202": ("20001", False, False, True, True, "FbSales"),
    }
    o101 = next(r for r in rows if r["order_key"] == "O-101")
    assert (o101["source"], o101["document_id"], o101["document_number"], o101["financial_date"]) == (
        "order",
        "101",
        "O2026-101",
        date(2026, 6, 15),
    )
    assert (o101["total_incl"], o101["total_excl"], o101["branch_number"], o101["vat_method"]) == (
        D("12.10"),
        D("10.00"),
        1,
        "VAT-METHOD-INCLUSIVE",
    )
    assert (o101["delivery_method"], o101["payment_method"], o101["email"]) == (
        "VERZENDEN",
        "IDEAL",
        "piet@bakkerijjansen.nl",
    )
    assert (o101["debtor_kind"], o101["afas_country"]) == ("company", "NL")


def test_orders_follow_the_status_filter_default_debtor_and_document_types(tmp_path: Path) -> None:
    rows = run_model(
        "orders",
        "int_orders",
        _orders_inputs(),
        tmp_path,
        orders={
            "status_filter": "o.source = 'order' or o.fully_paid",
            "default_debtor": None,
            "document_type": "FbSalesQuotation",
            "invoice_document_type": "FbDirectInvoice",
        },
    )
    got = {r["order_key"]: (r["debtor_id"], r["status_ok"], r["wanted"], r["document_type"]) for r in rows}
    assert got == {
        "O-101": ("20010", True, True, "FbSalesQuotation"),
        "O-102": ("20010", True, True, "FbSalesQuotation"),  # sent now, unpaid
        "O-103": ("20020", True, True, "FbSalesQuotation"),
        "O-104": (None, True, True, "FbSalesQuotation"),
        "O-105": ("20020", True, True, "FbSalesQuotation"),
        "F-201": (None, True, True, "FbDirectInvoice"),  # no default debtor: none
        "F-202": ("20010", True, False, "FbDirectInvoice"),
        "F-203": ("20010", True, False, "FbDirectInvoice"),  # its order is sent now
        "F-204": ("20020", True, False, "FbDirectInvoice"),
        "F-205": (None, False, False, "FbDirectInvoice"),
        "F-102": (None, True, True, "FbDirectInvoice"),
        "O-202": (None, True, True, "FbSalesQuotation"),
    }
    assert not any(r["needs_new_debtor"] for r in rows if r["email"] is None)
