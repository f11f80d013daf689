"""MplusKASSA models: soap names match the XSD, cents/quantities/dates convert exactly, SKUs are checked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from connectors.mplus import models
from connectors.mplus.models import (
    Article,
    ArticleGroup,
    ArticleStock,
    CustomField,
    Invoice,
    Order,
    OrderLine,
    Payment,
    PriceGroupEntry,
    Product,
    Relation,
    RelationArticleDiscount,
    SoapModel,
    date_from_soap,
    datetime_from_soap,
    datetime_to_soap,
    validate_article_number,
)
from connectors.mplus.soap import decode_request, decode_response, encode_request, encode_response
from connectors.mplus.xsd_types import TYPES
from connectors.mplus.xsd_validate import load_schema, validate_envelope


def _all_models() -> list[type[SoapModel]]:
    found = []
    for value in vars(models).values():
        if isinstance(value, type) and issubclass(value, SoapModel) and value is not SoapModel:
            found.append(value)
    return found


@pytest.mark.parametrize("model", _all_models(), ids=lambda m: m.__name__)
def test_flat_soap_names_exist_in_the_xsd_type(model: type[SoapModel]) -> None:
    names = {f[0] for f in TYPES[model.soap_type]}
    for field in model.flat_fields():
        assert model.soap_name(field) in names, f"{model.__name__}.{field} -> {model.soap_name(field)}"


def full_article(number: int = 4542) -> Article:
    return Article(
        article_number=number,
        ext_article_id="AFAS-00042",
        description="T-shirt rood M",
        colour="rood",
        colour_sequence_number=1,
        size="M",
        size_sequence_number=3,
        barcode="8712345678906",
        vat_code=2,
        price_incl=Decimal("9.95"),
        price_excl=Decimal("8.22"),
        purchase_price=Decimal("3.10"),
        active=True,
        stock_article=True,
        turnover_group=10,
        custom_fields=[CustomField.text("Materiaal", "katoen")],
        price_groups=[PriceGroupEntry(price_group_number=2, price_incl=Decimal("8.95"), minimum_amount=10)],
        relation_article_discounts=[
            RelationArticleDiscount(
                relation_number=77, minimum_amount=Decimal("0.530"), price_incl=Decimal("7.50")
            )
        ],
    )


def test_article_cents_and_round_trip() -> None:
    article = full_article()
    soap = article.to_soap()
    assert soap["priceIncl"] == 995 and soap["priceExcl"] == 822 and soap["purchasePrice"] == 310
    assert soap["colour"] == "rood" and soap["sizeSequenceNumber"] == 3
    assert soap["customFieldList"] == {
        "customField": [{"fieldName": "Materiaal", "dataType": "DATA-TYPE-STRING", "strValue": "katoen"}]
    }
    assert soap["priceGroupList"]["priceGroup"][0] == {
        "priceGroupNumber": 2,
        "priceIncl": 895,
        "minimumAmount": 10,
    }
    discount = soap["relationArticleDiscountList"]["relationArticleDiscount"][0]
    assert (discount["minimumAmount"], discount["minimumAmountDecimalPlaces"]) == (53, 2)
    assert "description" in soap and "brandName" not in soap  # None fields are left out
    back = Article.from_soap(soap)
    assert back == article
    assert back.price_incl == Decimal("9.95")


def test_product_survives_the_codec_and_validates(shared_api: Path) -> None:
    product = Product(
        description="T-shirt", extra_text="100% katoen", articles=[full_article()], group_numbers=[3, 4]
    )
    body = encode_request("createProduct", {"product": product.to_soap()})
    validate_envelope(load_schema(shared_api / "mplusqapi.wsdl"), body)
    _op, data = decode_request(body)
    assert Product.from_soap(data["product"]) == product


def test_product_from_server_answer() -> None:
    answer = {
        "productList": {
            "product": [
                {
                    "productNumber": 12,
                    "syncMarker": 99,
                    "description": "Shirt",
                    "groupNumbers": [5],
                    "articleList": {"article": [{"articleNumber": 4542, "priceIncl": 995, "syncMarker": 98}]},
                }
            ]
        }
    }
    decoded = decode_response("getProducts", encode_response("getProducts", answer))
    product = Product.from_soap(decoded["productList"]["product"][0])
    assert product.product_number == 12 and product.group_numbers == [5]
    assert product.articles[0].price_incl == Decimal("9.95")
    assert product.articles[0].custom_fields is None  # absent wrapper != empty list


@pytest.mark.parametrize("sku", ["SKU-1", "12A", "", " 12", "0012", "-5", "١٢"])
def test_non_numeric_skus_fail_naming_the_sku(sku: str) -> None:
    with pytest.raises(ValueError, match="SKU"):
        validate_article_number(sku)
    with pytest.raises(ValidationError, match="SKU"):
        Article(article_number=sku)


@pytest.mark.parametrize("bad", [0, -1, 2**63, True])
def test_article_number_range(bad: object) -> None:
    with pytest.raises(ValueError):
        validate_article_number(bad)


def test_digit_strings_are_accepted() -> None:
    assert Article(article_number="4542").article_number == 4542
    assert validate_article_number(2**63 - 1) == 2**63 - 1


def test_float_money_is_refused() -> None:
    with pytest.raises(ValidationError, match="float"):
        Article(price_incl=9.95)
    with pytest.raises(ValidationError, match="float"):
        ArticleStock(article_number=1, stock_id=1, amount_free=0.53)


def test_article_stock_quantities() -> None:
    stock = ArticleStock.from_soap(
        {
            "branchNumber": 1,
            "articleNumber": 4542,
            "stockId": 7,
            "amountFree": 530,
            "decimalPlacesFree": 3,
            "amountReserved": 2,
            "amountIncoming": 0,
            "isDayStockArticle": False,
            "subArticle": [],
        }
    )
    assert stock.amount_free == Decimal("0.530") and str(stock.amount_free) == "0.530"
    assert stock.amount_reserved == Decimal(2)
    soap = stock.to_soap()
    assert (soap["amountFree"], soap["decimalPlacesFree"]) == (53, 2)


def test_order_with_lines_payments_and_dates(shared_api: Path) -> None:
    order = Order(
        order_id="O-2024-1",
        ext_order_id="WEB-1001",
        relation_number=77,
        financial_date=dt.date(2024, 3, 1),
        entry_timestamp=dt.datetime(2024, 3, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        total_incl=Decimal("19.90"),
        vat_method="VAT-METHOD-INCLUSIVE",
        lines=[
            OrderLine(article_number=4542, quantity=Decimal("2"), price_incl=Decimal("9.95"), vat_code=2),
            OrderLine(article_number=4543, quantity=Decimal("0.530"), price_incl=Decimal("12.00")),
        ],
        payments=[Payment(method="IDEAL", amount=Decimal("19.90"))],
    )
    soap = order.to_soap()
    assert soap["orderId"] == "O-2024-1" and soap["totalInclAmount"] == 1990
    assert soap["lineList"]["line"][1]["data"] == {"quantity": 53, "decimalPlaces": 2, "price": 1200}
    assert soap["entryTimestamp"]["timezone"] == 60
    body = encode_request("createOrder", {"order": soap})
    validate_envelope(load_schema(shared_api / "mplusqapi.wsdl"), body)
    back = Order.from_soap(decode_request(body)[1]["order"])
    assert back == order


def test_invoice_from_soap() -> None:
    invoice = Invoice.from_soap(
        {
            "invoiceId": "I-1",
            "invoiceNumber": {"year": 2024, "number": 15},
            "state": "INVOICE-STATE-PAID",
            "paidAmount": 1990,
            "totalInclAmount": 1990,
            "orderIds": {"id": ["O-1"]},
            "vatGroupList": {
                "vatGroup": [{"vatCode": 2, "vatPercentage": 21, "vatAmount": 345, "exclAmount": 1645}]
            },
            "lineList": {"line": [{"articleNumber": 4542, "data": {"quantity": 2, "price": 995}}]},
        }
    )
    assert (invoice.invoice_year, invoice.invoice_number) == (2024, 15)
    assert invoice.paid_amount == Decimal("19.90")
    assert invoice.vat_groups[0].vat_amount == Decimal("3.45")
    assert invoice.lines[0].quantity == Decimal(2) and invoice.lines[0].price_incl == Decimal("9.95")


def test_relation_round_trip() -> None:
    relation = Relation(
        ext_relation_id="AFAS-D-1",
        name="Jansen",
        company_name="Jansen BV",
        email="info@jansen.nl",
        price_group_number=2,
        contacts=[Relation(name="Piet Jansen", email="piet@jansen.nl")],
        relation_article_discounts=[RelationArticleDiscount(article_number=4542, discount_percentage=10)],
    )
    soap = relation.to_soap()
    assert soap["contactList"]["relation"][0]["name"] == "Piet Jansen"
    assert Relation.from_soap(soap) == relation


def test_article_group_tree_walk() -> None:
    tree = ArticleGroup.from_soap(
        {
            "groupNumber": 1,
            "name": "Kleding",
            "text": "",
            "sortOrder": 0,
            "subGroupList": {
                "articleGroups": [
                    {"groupNumber": 2, "name": "Shirts", "text": "", "sortOrder": 1, "subGroupList": {}},
                ]
            },
        }
    )
    assert [(parent, g.group_number) for parent, g in tree.walk()] == [(None, 1), (1, 2)]


def test_dates() -> None:
    assert date_from_soap({"day": 0, "mon": 0, "year": 0}) is None
    assert date_from_soap({"day": 29, "mon": 2, "year": 2024}) == dt.date(2024, 2, 29)
    stamp = {"sec": 5, "min": 4, "hour": 3, "day": 2, "mon": 1, "year": 2024, "isdst": False, "timezone": 60}
    value = datetime_from_soap(stamp)
    assert value == dt.datetime(2024, 1, 2, 2, 4, 5, tzinfo=dt.UTC)
    assert datetime_to_soap(value) == stamp
    with pytest.raises(ValueError, match="naive"):
        datetime_to_soap(dt.datetime(2024, 1, 1))


def test_custom_field_values() -> None:
    assert CustomField(
        field_name="w", data_type="DATA-TYPE-DECIMAL", int_value=1250, decimal_places=3
    ).value == (Decimal("1.250"))
    assert CustomField(field_name="b", data_type="DATA-TYPE-BOOL", bool_value=True).value is True
    assert CustomField.text("m", "katoen").value == "katoen"
