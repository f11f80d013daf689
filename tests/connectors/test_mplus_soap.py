"""MplusQapi SOAP codec: round trips, XSD sequence order, value types, faults, and XSD validation."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from connectors.mplus import soap
from connectors.mplus.soap import (
    NS,
    SoapDecodeError,
    SoapEncodeError,
    SoapFault,
    decode_request,
    decode_response,
    encode_fault,
    encode_request,
    encode_response,
)
from connectors.mplus.soap.schema import LIST_FIELDS
from connectors.mplus.xsd_types import ELEMENTS, ENUMS, OPERATIONS, TYPES
from connectors.mplus.xsd_validate import XsdValidationError, load_schema, validate_envelope

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def xsd(shared_api: Path):
    return load_schema(shared_api / "mplusqapi.wsdl")


# --- a generic sample builder: a value for every element of a type, from the table ------------------------

_SCALARS: dict[str, Any] = {
    "xsd:long": 123456789012,
    "xsd:int": 42,
    "xsd:short": 7,
    "xsd:unsignedInt": 9,
    "xsd:unsignedShort": 9,
    "xsd:unsignedByte": 9,
    "xsd:unsignedLong": 9,
    "xsd:boolean": True,
    "xsd:decimal": Decimal("12.345"),
    "xsd:string": "tekst & <ëxtra>",
    "xsd:date": "2024-03-01",
    "xsd:dateTime": "2024-03-01T12:30:00",
    "SOAP-ENC:base64": b"\x00\x01png",
}


def sample(type_name: str, depth: int = 0, full: bool = True) -> Any:
    """Every element filled (lists with one item) down to depth 3, then only required ones."""
    if type_name in ENUMS:
        return ENUMS[type_name][-1]
    if type_name not in TYPES:
        return _SCALARS[type_name]
    out: dict[str, Any] = {}
    for name, typ, min_occurs, is_list in TYPES[type_name]:
        if not (full and depth < 3) and min_occurs == 0:
            continue
        value = sample(typ, depth + 1, full)
        out[name] = [value] if is_list else value
    return out


def normalised(type_name: str, value: Any) -> Any:
    """What decode returns for ``value``: list elements always present."""
    if type_name not in TYPES:
        return value
    out = {}
    for name, typ, _min, is_list in TYPES[type_name]:
        if name in value:
            out[name] = [normalised(typ, v) for v in value[name]] if is_list else normalised(typ, value[name])
        elif is_list:
            out[name] = []
    return out


def request_type(op: str) -> str:
    in_type = ELEMENTS[OPERATIONS[op][0]]
    wrapper = soap.request_wrapper(op)
    return TYPES[in_type][0][1] if wrapper else in_type


def body_child(body: bytes) -> etree._Element:
    return etree.fromstring(body)[0][0]


ALL_OPS = sorted(OPERATIONS)


# --- round trips and XSD validation per operation -----------------------------------------------------


@pytest.mark.parametrize("op", ALL_OPS)
def test_request_round_trip_full(op: str) -> None:
    typ = request_type(op)
    value = sample(typ)
    name, decoded = decode_request(encode_request(op, value))
    assert name == op
    assert decoded == normalised(typ, value)


@pytest.mark.parametrize("op", ALL_OPS)
def test_response_round_trip_full(op: str) -> None:
    typ = ELEMENTS[OPERATIONS[op][1]]
    value = sample(typ)
    assert decode_response(op, encode_response(op, value)) == normalised(typ, value)


@pytest.mark.parametrize("op", ALL_OPS)
def test_full_request_and_response_validate_against_wsdl(op: str, xsd) -> None:
    validate_envelope(xsd, encode_request(op, sample(request_type(op))))
    validate_envelope(xsd, encode_response(op, sample(ELEMENTS[OPERATIONS[op][1]])))


@pytest.mark.parametrize("op", ALL_OPS)
def test_minimal_request_and_response_validate_against_wsdl(op: str, xsd) -> None:
    validate_envelope(xsd, encode_request(op, sample(request_type(op), full=False)))
    validate_envelope(xsd, encode_response(op, sample(ELEMENTS[OPERATIONS[op][1]], full=False)))


def test_validation_catches_a_missing_required_wrapper(xsd) -> None:
    body = encode_request("getProducts", {"syncMarker": 1, "syncMarkerLimit": 500})
    with pytest.raises(XsdValidationError, match="syncMarker"):
        validate_envelope(xsd, body)


# --- the documented wire form ---------------------------------------------------------------------------


def test_get_products_request_matches_the_documented_example(xsd) -> None:
    body = encode_request(
        "getProducts",
        # deliberately not in XSD order
        {"syncMarkerLimit": 500, "syncMarker": 1, "pluNumbers": {}, "articleNumbers": [4542, 4543]},
    )
    text = body.decode()
    assert 'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"' in text
    assert 'xmlns:ns1="urn:mplusqapi"' in text
    assert (
        "<SOAP-ENV:Body><ns1:getProducts><ns1:request>"
        "<ns1:articleNumbers>4542</ns1:articleNumbers><ns1:articleNumbers>4543</ns1:articleNumbers>"
        "<ns1:pluNumbers/><ns1:syncMarker>1</ns1:syncMarker><ns1:syncMarkerLimit>500</ns1:syncMarkerLimit>"
        "</ns1:request></ns1:getProducts></SOAP-ENV:Body>"
    ) in text
    validate_envelope(xsd, body)


def test_element_order_follows_the_xsd_not_the_dict() -> None:
    article = {"priceIncl": 995, "description": "Shirt", "articleNumber": 1001, "active": True, "vatCode": 2}
    body = encode_request(
        "createProduct", {"product": {"articleList": {"article": [article]}, "description": "S"}}
    )
    product = body_child(body)[0]
    assert [etree.QName(c).localname for c in product] == ["description", "articleList"]
    names = [etree.QName(c).localname for c in product[1][0]]
    xsd_order = [f[0] for f in TYPES["Article"]]
    assert names == sorted(names, key=xsd_order.index)
    assert names == ["articleNumber", "active", "description", "vatCode", "priceIncl"]


def test_nested_list_wrapper_mirrors_the_xsd() -> None:
    body = encode_request("getStock", {"branchNumber": 1, "articleNumbers": {"articleNumbers": [10, 11]}})
    assert b"<ns1:articleNumbers><ns1:articleNumbers>10</ns1:articleNumbers><ns1:articleNumbers>11" in body
    assert decode_request(body)[1]["articleNumbers"] == {"articleNumbers": [10, 11]}


@pytest.mark.parametrize(
    ("op", "element"),
    [
        ("getBranches", "getBranchesResponse"),
        ("getVatGroupList", "getVatGroupListResponse"),
        ("getPriceGroupList", "getPriceGroupListResponse"),
        ("getCurrentSyncMarkers", "getCurrentSyncMarkersResponse"),
        ("getApiVersion", "getApiVersionResponse"),
        ("getProducts", "GetProductsResponse"),
        ("createProduct", "CreateProductResponse"),
        ("getStock", "GetStockResponse"),
        ("findOrder", "GetOrderResponse"),
        ("getPaymentMethodsV2", "GetPaymentMethodsResponse"),
    ],
)
def test_response_element_casing_follows_the_wsdl(op: str, element: str) -> None:
    body = encode_response(op, sample(ELEMENTS[OPERATIONS[op][1]], full=False))
    root = etree.fromstring(body)
    assert root.prefix == "SOAP-ENV"
    child = root[0][0]
    assert child.tag == f"{{{NS}}}{element}"
    assert child.prefix == "ns"


def test_request_shapes_and_optional_wrappers() -> None:
    assert soap.request_wrapper("getProducts") == "request"
    assert soap.request_wrapper("createProduct") is None
    assert soap.request_wrapper("getOrder") is None
    # getRelations' request is optional: None leaves it out, {} sends it empty.
    assert b"request" not in encode_request("getRelations", None)
    assert b"<ns1:request/>" in encode_request("getRelations", {})
    assert decode_request(encode_request("getRelations", None)) == ("getRelations", {"relationNumbers": []})
    assert decode_request(encode_request("getOrder", {"orderId": "A-1"})) == ("getOrder", {"orderId": "A-1"})
    assert decode_request(encode_request("getBranches", None)) == ("getBranches", {})


# --- value types ----------------------------------------------------------------------------------------


def test_scalar_types_and_exact_decimals() -> None:
    # ArticleStock-like decimals and cents ints survive exactly; None means "leave out".
    article = {
        "articleNumber": 4542,
        "priceIncl": 995,
        "active": False,
        "priceDeviationMin": Decimal("0.530"),
        "description": None,
    }
    body = encode_request("createProduct", {"product": {"articleList": {"article": [article]}}})
    assert b"<ns1:priceIncl>995</ns1:priceIncl>" in body
    assert b"<ns1:priceDeviationMin>0.530</ns1:priceDeviationMin>" in body
    assert b"<ns1:active>false</ns1:active>" in body
    assert b"description" not in body
    got = decode_request(body)[1]["product"]["articleList"]["article"][0]
    assert got["priceIncl"] == 995 and isinstance(got["priceIncl"], int)
    assert got["priceDeviationMin"] == Decimal("0.530") and str(got["priceDeviationMin"]) == "0.530"
    assert got["active"] is False
    assert "description" not in got


def test_decimal_never_uses_exponent_notation() -> None:
    body = encode_request(
        "createProduct", {"product": {"articleList": {"article": [{"priceDeviationMin": Decimal("1E+2")}]}}}
    )
    assert b">100<" in body


def _products_response(article_xml: str) -> bytes:
    return (
        '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:mplusqapi">'
        "<SOAP-ENV:Body><ns:GetProductsResponse><ns:productList><ns:product><ns:productNumber>7</ns:productNumber>"
        f"<ns:articleList><ns:article>{article_xml}</ns:article></ns:articleList>"
        "</ns:product></ns:productList></ns:GetProductsResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"
    ).encode()


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("1", True), ("false", False), ("0", False)])
def test_boolean_decode_accepts_words_and_digits(text: str, expected: bool) -> None:
    got = decode_response("getProducts", _products_response(f"<ns:active>{text}</ns:active>"))
    assert got["productList"]["product"][0]["articleList"]["article"][0]["active"] is expected


def test_decode_lists_always_lists_and_unknown_elements_skipped() -> None:
    got = decode_response(
        "getProducts",
        _products_response("<ns:articleNumber>5</ns:articleNumber><ns:brandNewField>x</ns:brandNewField>"),
    )
    product = got["productList"]["product"][0]
    assert product["groupNumbers"] == []
    assert product["articleList"]["article"] == [
        {"articleNumber": 5, **{k: [] for k in LIST_FIELDS["Article"]}}
    ]
    assert "syncMarker" not in product


def test_decode_rejects_bad_values_and_wrong_element() -> None:
    with pytest.raises(SoapDecodeError, match="articleNumber"):
        decode_response("getProducts", _products_response("<ns:articleNumber>SKU-1</ns:articleNumber>"))
    with pytest.raises(SoapDecodeError, match="GetStockResponse"):
        decode_response("getStock", _products_response(""))
    with pytest.raises(SoapDecodeError):
        decode_response("getStock", b"<html>502 Bad Gateway</html>")
    with pytest.raises(SoapDecodeError):
        decode_response("getStock", b"not xml")


def test_decode_refuses_entity_expansion() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:mplusqapi">'
        b"<SOAP-ENV:Body><ns:getBranchesResponse><ns:branches><ns:branch><ns:branchName>&e;</ns:branchName>"
        b"</ns:branch></ns:branches></ns:getBranchesResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"
    )
    got = decode_response("getBranches", evil)
    assert "root:" not in str(got)


@pytest.mark.parametrize(
    ("op", "value", "match"),
    [
        ("getProducts", {"syncMarkr": 1}, "GetProductsRequest has no element 'syncMarkr'"),
        (
            "createProduct",
            {"product": {"articleList": {"article": [{"colour_": "red"}]}}},
            "Article has no element",
        ),
        ("getProducts", {"syncMarker": "1"}, "expected int"),
        ("getProducts", {"syncMarker": True}, "expected int"),
        ("getProducts", {"onlyActive": 1}, "expected bool"),
        ("getProducts", {"articleNumbers": 5}, "needs a list"),
        ("createProduct", {"product": {"articleList": {"article": [{"priceDeviationMin": 1.5}]}}}, "Decimal"),
        (
            "createProduct",
            {"product": {"articleList": {"article": [{"specialPrice": "PRICE-CHEAP"}]}}},
            "ArticleSpecialPrice",
        ),
        ("createProduct", {"product": "x"}, "expected dict"),
        ("noSuchOperation", {}, "unknown MplusQapi operation"),
    ],
)
def test_encode_rejects_what_does_not_fit_the_xsd(op: str, value: dict, match: str) -> None:
    with pytest.raises(SoapEncodeError, match=match):
        encode_request(op, value)


# --- faults ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "is_client"),
    [("SOAP-ENV:Client", True), ("Client", True), ("SOAP-ENV:Server", False), ("Server.Busy", False)],
)
def test_fault_round_trip(code: str, is_client: bool) -> None:
    body = encode_fault(code, "The rate for VAT-code 2 is not properly configured.", detail="vat")
    with pytest.raises(SoapFault) as info:
        decode_response("createProduct", body)
    fault = info.value
    assert fault.faultcode.endswith(code.split(":")[-1]) and ":" in fault.faultcode
    assert fault.faultstring == "The rate for VAT-code 2 is not properly configured."
    assert fault.detail == "vat"
    assert fault.is_client is is_client
    assert b"<faultcode>" in body and b"<SOAP-ENV:Fault>" in body


# --- the generator ----------------------------------------------------------------------------------------


def test_generated_table_is_up_to_date(shared_api: Path) -> None:
    from connectors.mplus import xsd_gen

    committed = (REPO / "connectors" / "mplus" / "xsd_types.py").read_text(encoding="utf-8")
    assert xsd_gen.generate(shared_api / "mplusqapi.wsdl") == committed


def test_generator_cli_writes_the_table(shared_api: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.py"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "connectors.mplus.xsd_gen",
            str(shared_api / "mplusqapi.wsdl"),
            "--out",
            str(out),
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    assert out.read_text(encoding="utf-8").startswith("# ruff: noqa\n")
