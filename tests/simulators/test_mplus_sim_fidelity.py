"""MplusKASSA stand-in fidelity: every operation it serves, called with a minimal valid request, answers a
response that validates against the XSD inside the official WSDL (request and response both checked)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.mplus.soap import decode_response, encode_request
from connectors.mplus.xsd_types import OPERATIONS
from connectors.mplus.xsd_validate import load_schema, validate_envelope
from simulators.demo.catalog import build_catalog
from simulators.mplus import MplusSimConfig, MplusState, create_app
from simulators.mplus.handlers import HANDLERS
from simulators.mplus.testing import article, drive, product


@pytest.fixture(scope="module")
def schema(shared_api):
    return load_schema(str(shared_api / "mplusqapi.wsdl"))


@pytest.fixture
def app():
    return create_app(MplusState.from_catalog(build_catalog()), MplusSimConfig())


RICH_ARTICLE = article(
    10001,
    extArticleId="AFAS-10001",
    pluNumber="10001",
    colour="Zwart",
    colourSequenceNumber=1,
    size="M",
    sizeSequenceNumber=3,
    invoiceText="Jurk",
    receiptText="Jurk",
    displayText="Jurk",
    barcode="8700000100016",
    brandName="Studio Noord",
    extraText="Lang",
    turnoverGroup=100,
    purchasePrice=2000,
    webshop=True,
    stockArticle=True,
    categoryIds={"category": [1, 2]},
    specialPrice="PRICE-NORMAL",
    customFieldList={
        "customField": [{"fieldName": "Materiaal", "dataType": "DATA-TYPE-STRING", "strValue": "Wol"}]
    },
    salesPriceList={
        "salesPrice": [
            {"salesPriceNumber": 1, "priceIncl": 999, "startDate": {"day": 1, "mon": 1, "year": 2026}}
        ]
    },
    priceGroupList={"priceGroup": [{"priceGroupNumber": 1, "priceExcl": 800, "minimumAmount": 10}]},
    barcodeList={"barcode": [{"barcode": "8700000100016", "isCurrent": True}]},
    relationArticleDiscountList={
        "relationArticleDiscount": [
            {"relationNumber": 1001, "minimumAmount": 1, "minimumAmountDecimalPlaces": 0, "priceExcl": 700}
        ]
    },
    priceDeviationMin=Decimal("0.5"),
)


async def walk(mp):
    """Call every served operation once (some twice: OK and NOT-FOUND answers); returns the names called."""
    called = []

    async def call(op, request=None):
        called.append(op)
        return await mp.call(op, request)

    for op in (
        "getApiVersion",
        "getCurrentSyncMarkers",
        "getBranches",
        "getVatGroupList",
        "getPaymentMethods",
        "getPriceGroupList",
    ):
        await call(op)
    await call("getPaymentMethodsV2", {"paymentMethodTypes": ["PAYMENT-METHOD-TYPE-EFT"]})
    await call("getTurnoverGroups", {})
    await call("getEmployees", None)
    group = await call("newArticleGroup", {"parentGroupNumber": 0, "name": "Dames", "text": ""})
    created = await call(
        "createProduct",
        product(
            RICH_ARTICLE,
            article(10002),
            description="Jurk",
            extraText="x",
            groupNumbers=[group["groupNumber"]],
        ),
    )
    assert created["result"] == "CREATE-PRODUCT-RESULT-OK"
    await call(
        "updateProduct",
        product(article(10002, active=False), article(10003), productNumber=created["productNumber"]),
    )
    await call("getProducts", {"pluNumbers": {}, "syncMarker": 1, "syncMarkerLimit": 100})
    await call("updateArticleGroup", {"groupNumber": group["groupNumber"], "text": "Dameskleding"})
    await call(
        "addProductsToArticleGroup",
        {"groupNumber": group["groupNumber"], "productNumbers": {"number": [created["productNumber"]]}},
    )
    await call("getArticleGroups", {"retrieveArticleNumbers": True})
    await call("getArticleGroups", {"syncMarker": 1})
    await call("getArticleGroupChanges", {"syncMarker": 1})
    await call("setStock", {"branchNumber": 1, "articleNumber": 10001, "amount": 5})
    await call(
        "updateStock", {"branchNumber": 1, "articleNumber": 10001, "amountChanged": 250, "decimalPlaces": 2}
    )
    await call("getStock", {"branchNumber": 1, "articleNumbers": {"articleNumbers": [10001, 10003]}})
    await call("getStockHistory", {"branchNumber": 1, "sinceStockId": 1})
    relation = await call(
        "createRelation",
        {
            "relation": {
                "name": "Fidelity",
                "email": "f@x.nl",
                "contactList": {"relation": [{"name": "Contact"}]},
                "relationArticleDiscountList": {
                    "relationArticleDiscount": [{"articleNumber": 10001, "discountPercentage": 5}]
                },
            }
        },
    )
    await call(
        "updateRelation", {"relation": {"relationNumber": relation["relationNumber"], "city": "Delft"}}
    )
    await call("getRelations", None)
    await call("getRelation", {"relationNumber": relation["relationNumber"]})
    await call("getRelation", {"relationNumber": 999999})
    await call("findRelation", {"relation": {"email": "f@x.nl"}})
    await call("findRelation", {"relation": {"email": "nobody"}})
    await call("findRelationV2", {"relation": {"name": "fidelity"}, "exactMatch": True})
    await call("getOrders", {"articlePluNumbers": {}, "articleBarcodes": {}, "syncMarker": 1})
    order = await call(
        "createOrder",
        {
            "order": {
                "orderId": "",
                "extOrderId": "WEB-F1",
                "relationNumber": 1001,
                "invoiceAddress": {"name": "F", "city": "Delft"},
                "lineList": {"line": [{"articleNumber": 10001, "data": {"quantity": 1}}]},
            }
        },
    )
    await call(
        "createOrderV3",
        {
            "idempotencyKey": "fid-1",
            "order": {"orderId": "", "extOrderId": "WEB-F2"},
            "paymentList": {"payment": []},
        },
    )
    await call("createOrderV3", {"idempotencyKey": "fid-1", "order": {"orderId": ""}})
    paid = await call(
        "payOrder",
        {
            "orderId": order["info"]["orderId"],
            "prepay": False,
            "paymentList": {"payment": [{"method": "CASH", "amount": 100000}]},
        },
    )
    await call("getOrder", {"orderId": order["info"]["orderId"]})
    await call("getOrder", {"orderId": "missing"})
    await call("findOrder", {"extOrderId": "POS-2026000"})
    await call("getOrderChanges", {"syncMarker": 1})
    await call("getInvoices", {"articlePluNumbers": {}, "articleBarcodes": {}, "syncMarker": 1})
    await call("getInvoice", {"invoiceId": paid["invoiceId"]})
    await call("findInvoice", {"extInvoiceId": "missing"})
    return called


def test_every_served_operation_validates_against_the_wsdl(app, schema):
    called = drive(app, walk, schema)  # the caller validates every request and response it sees
    assert set(called) == set(HANDLERS)
    assert set(HANDLERS) <= set(OPERATIONS)


def test_rich_article_comes_back_element_for_element(app, schema):
    async def scenario(mp):
        await mp.call("createProduct", product(RICH_ARTICLE))
        page = await mp.call("getProducts", {"pluNumbers": {}, "articleNumbers": [10001]})
        return page["productList"]["product"][0]["articleList"]["article"][0]

    got = drive(app, scenario, schema)
    for key in (
        "extArticleId",
        "colour",
        "sizeSequenceNumber",
        "categoryIds",
        "salesPriceList",
        "specialPrice",
        "priceDeviationMin",
    ):
        assert got[key] == RICH_ARTICLE[key], key
    # Decoding adds the (empty) repeated elements the XSD declares; the content is what was sent.
    assert got["customFieldList"]["customField"] == [
        {**RICH_ARTICLE["customFieldList"]["customField"][0], "multiSelectInt": []}
    ]
    assert (
        got["barcodeList"]["barcode"][0]["barcode"] == "8700000100016"
        and got["barcodeList"]["barcode"][0]["barcodeId"]
    )
    assert got["relationArticleDiscountList"]["relationArticleDiscount"][0]["articleNumber"] == 10001


def test_required_but_empty_wrappers_may_be_left_out(app, schema):
    async def scenario(mp):
        for op, request in (("getProducts", {}), ("getOrders", {}), ("getInvoices", {})):
            body = encode_request(op, request)
            with pytest.raises(AssertionError):
                validate_envelope(schema, body)  # the XSD wants <pluNumbers/> etc.
            response = await mp.post(body)  # the stand-in accepts it anyway, like the real server
            assert response.status_code == 200, op
            decode_response(op, response.content)

    drive(app, scenario, schema)
