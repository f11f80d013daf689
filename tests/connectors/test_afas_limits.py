"""AFAS UpdateConnector field limits: the generated table, its typed view, check_body and fit_text."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from connectors.afas import limits, limits_gen
from connectors.afas.bodies import element
from connectors.afas.check import Violation, check_body, check_value
from connectors.afas.field_limits import CONNECTORS, connector_limits, field_limit, object_limits
from connectors.afas.text_fit import fit_text
from simulators.afas.testing import fi_entries_body, order_body, org_relation_body, person_relation_body

REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- the generator and its table


def test_generated_table_is_up_to_date(shared_api: Path) -> None:
    committed = (REPO / "connectors" / "afas" / "limits.py").read_text(encoding="utf-8")
    assert limits_gen.generate(shared_api / "afas-openapi") == committed, (
        "connectors/afas/limits.py is stale: run python -m connectors.afas.limits_gen ../shared/api/afas-openapi"
    )


def test_generator_cli_writes_the_table(shared_api: Path, tmp_path: Path) -> None:
    out = tmp_path / "limits.py"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "connectors.afas.limits_gen",
            str(shared_api / "afas-openapi"),
            "--out",
            str(out),
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    assert out.read_text(encoding="utf-8") == (REPO / "connectors" / "afas" / "limits.py").read_text(
        encoding="utf-8"
    )


def test_the_table_records_its_sources_and_their_hashes(shared_api: Path) -> None:
    import hashlib

    assert set(limits.SOURCES) == {"mutaties.json", "organisaties-en-personen.json", "verkoop-en-orders.json"}
    for name, digest in limits.SOURCES.items():
        assert hashlib.sha256((shared_api / "afas-openapi" / name).read_bytes()).hexdigest() == digest, name


def _spec_fields(api: Path, schema_name: str) -> dict[str, dict[str, dict[str, Any]]]:
    """object path -> field id -> OpenAPI property, read straight from the spec (not through the generator)."""
    for file in sorted((api / "afas-openapi").glob("*.json")):
        schemas = json.loads(file.read_text(encoding="utf-8"))["components"]["schemas"]
        if schema_name in schemas:
            ((root, node),) = schemas[schema_name]["properties"].items()
            out: dict[str, dict[str, dict[str, Any]]] = {}
            todo = [(root, node)]
            while todo:
                path, node = todo.pop()
                el = node["properties"]["Element"]
                el = el.get("items", el)
                out[path] = el["properties"].get("Fields", {}).get("properties", {})
                objects = el["properties"].get("Objects")
                if objects:
                    for name, child in objects.get("items", objects)["properties"].items():
                        todo.append((f"{path}/{name}", child))
            return out
    raise AssertionError(f"{schema_name} not in the specs")


@pytest.mark.parametrize("connector", sorted(CONNECTORS))
def test_every_field_limit_is_the_openapis(shared_api: Path, connector: str) -> None:
    types = {
        "integer": {"int"},
        "number": {"decimal"},
        "boolean": {"boolean"},
        "string": {"string", "date", "blob"},
    }
    for method in ("POST", "PUT"):
        name = f"{connector}_{method}"
        if method not in connector_limits(connector).required:
            continue
        for path, props in _spec_fields(shared_api, name).items():
            obj = object_limits(connector, path)
            assert set(props) <= set(obj.fields), (name, path)
            for fid, prop in props.items():
                got = obj.fields[fid]
                assert got.max_length == prop.get("maxLength"), (name, path, fid)
                assert got.data_type in types[prop["type"]], (name, path, fid)
                assert (got.values and [v for v, _ in got.values]) == (
                    prop.get("enum") and [str(v) for v in prop["enum"]]
                ), fid
                assert got.label == prop["description"].split("\n")[0].strip()


def test_typed_lookups() -> None:
    assert field_limit("KnSalesRelationPer", "KnPerson", "LaNm").max_length == 80
    assert field_limit("FiEntries", "FiEntryPar/FiEntries", "BpNr").max_length == 32
    bi_un = field_limit("FbSales", "FbSales/FbSalesLines", "BiUn")
    assert (bi_un.data_type, bi_un.max_length, bi_un.label) == ("string", 15, "Unit")
    qu_un = field_limit("fbsales", "FbSalesLines", "QuUn")  # case-insensitive connector, root name optional
    assert (qu_un.data_type, qu_un.decimals) == ("decimal", 5)
    hm_nr = field_limit("KnSalesRelationOrg", "KnOrganisation/KnBasicAddressAdr", "HmNr")
    assert (hm_nr.data_type, hm_nr.max_length) == ("int", None)
    va_it = field_limit("FbSales", "FbSalesLines", "VaIt")
    assert va_it.allows("2") and not va_it.allows("9") and ("2", "Artikel") in (va_it.values or ())
    root = connector_limits("FiEntries")
    assert root.name == "FiEntryPar" and list(root.children) == ["FiEntries"]
    assert root.required == {"POST": ("Year", "Peri", "JoCo")}  # no PUT in the OpenAPI
    assert object_limits("FbSales").required == {"POST": ("DbId",), "PUT": ("OrNu",)}
    assert list(object_limits("KnSalesRelationPer", "KnPerson").children) == [
        "KnBankAccount",
        "KnBasicAddressAdr",
        "KnBasicAddressPad",
        "KnContact",
    ]
    with pytest.raises(KeyError, match="PRODUCT_CONNECTORS"):
        connector_limits("FbNope")
    with pytest.raises(KeyError, match="no object 'KnNope'"):
        object_limits("FbSales", "FbSales/KnNope")
    with pytest.raises(KeyError, match="no field 'Nope'"):
        field_limit("FbSales", None, "Nope")


def test_generator_refuses_what_it_does_not_understand(tmp_path: Path) -> None:
    def spec(post_len: int, put_len: int, extra: dict[str, Any] | None = None) -> None:
        def body(length: int) -> dict[str, Any]:
            prop = {
                "type": "string",
                "maxLength": length,
                "description": "Name",
                "format": "",
                **(extra or {}),
            }
            return {
                "type": "object",
                "properties": {
                    "KnX": {
                        "type": "object",
                        "properties": {
                            "Element": {
                                "type": "object",
                                "properties": {"Fields": {"type": "object", "properties": {"Nm": prop}}},
                            }
                        },
                    }
                },
            }

        doc = {"components": {"schemas": {"KnX_POST": body(post_len), "KnX_PUT": body(put_len)}}}
        (tmp_path / "x.json").write_text(json.dumps(doc), encoding="utf-8")

    spec(10, 10)
    text = limits_gen.generate(tmp_path, ("KnX",))
    assert '"Nm": ("string", 10, None, "Name", None),' in text and '"KnX": ("KnX", (), ()),' in text
    spec(10, 12)
    with pytest.raises(SystemExit, match="max_length differs between POST and PUT"):
        limits_gen.generate(tmp_path, ("KnX",))
    spec(10, 10, {"pattern": "^a$"})
    with pytest.raises(SystemExit, match="unsupported keywords"):
        limits_gen.generate(tmp_path, ("KnX",))
    with pytest.raises(SystemExit, match="no KnY_POST or KnY_PUT"):
        limits_gen.generate(tmp_path, ("KnY",))


# ---------------------------------------------------------------- check_body

VALID_BODIES = [
    ("FbSales", order_body("20001", [{"ItCd": "10001", "QuUn": 2, "Upri": 10.5}])),
    ("FbDirectInvoice", order_body("20001", [{"ItCd": "10001"}], connector="FbDirectInvoice")),
    ("FbSalesQuotation", order_body("20001", [{"ItCd": "10001"}], connector="FbSalesQuotation")),
    ("KnSalesRelationOrg", org_relation_body()),
    ("KnSalesRelationPer", person_relation_body()),
    ("FiEntries", fi_entries_body([("1", "8000", 0, 10), ("2", "20001", 10, 0)])),
]


@pytest.mark.parametrize(("connector", "body"), VALID_BODIES, ids=[c for c, _ in VALID_BODIES])
def test_valid_bodies_have_no_violations(connector: str, body: dict[str, Any]) -> None:
    assert check_body(connector, body) == []


def test_a_too_long_last_name_is_named_with_its_path_and_limit() -> None:
    body = person_relation_body(last="x" * 81)
    (v,) = check_body("KnSalesRelationPer", body)
    assert (v.path, v.field, v.limit, v.rule) == ("KnSalesRelationPer/KnPerson[0]", "LaNm", 80, "length")
    assert "LaNm (Last name)" in v.message and "81 characters" in v.message and "at most 80" in v.message
    assert check_body("KnSalesRelationPer", person_relation_body(last="x" * 80)) == []


def test_fientries_entry_number_over_32_characters() -> None:
    body = fi_entries_body([("1", "8000", 0, 10), ("2", "20001", 10, 0)])
    body["FiEntryPar"]["Element"]["Objects"][0]["FiEntries"]["Element"][1]["Fields"]["BpNr"] = "B" * 33
    (v,) = check_body("FiEntries", body)
    assert (v.path, v.field, v.limit, v.rule) == ("FiEntryPar/FiEntries[1]", "BpNr", 32, "length")


def test_values_are_read_like_afas_reads_them() -> None:
    def line(**fields: Any) -> list[Violation]:
        return check_body(
            "FbSales",
            {"FbSales": element({"DbId": "20001"}, {"FbSalesLines": [{"VaIt": "2", "ItCd": "1", **fields}]})},
        )

    def header(**fields: Any) -> list[Violation]:
        return check_body("FbSales", {"FbSales": element({"DbId": "20001", **fields})})

    assert line(QuUn="1", Upri="4.50", BiUn="STK", PRDc=Decimal("12.5"), MaAD="true", Ds="") == []
    assert line(QuUn=Decimal("0.375"), Upri=Decimal("24.50"), BiUn="KG") == []
    assert [v.rule for v in line(QuUn="een")] == ["type"]
    assert [v.rule for v in line(QuUn=True)] == ["type"]
    assert [v.rule for v in line(QuUn=Decimal("0.123456"))] == ["decimals"]  # QuUn keeps 5 decimals
    assert line(QuUn=Decimal("1.50000")) == []  # trailing zeros are no decimals
    assert [(v.rule, v.limit) for v in line(PRDc=Decimal("33.333"))] == [("decimals", 2)]
    assert [v.rule for v in line(VaIt="9")] == ["value"]
    assert [v.rule for v in line(VaIt=True)] == ["value"]  # read as the text "true", which is not in the list
    assert [v.rule for v in line(MaAD="ja")] == ["type"]
    assert [v.rule for v in line(BiUn="x" * 16)] == ["length"]
    assert [v.rule for v in line(Bogus=1)] == ["unknown_field"]
    (v,) = line(QuUn="een")
    assert (v.path, v.field, v.limit) == ("FbSales/FbSalesLines[0]", "QuUn", "decimal")
    assert "QuUn (Number of units) must be a number" in v.message
    (v,) = header(DaDe="gisteren")
    assert (v.path, v.field, v.rule, v.limit) == ("FbSales", "DaDe", "type", "date")
    assert header(DaDe="2026-03-02") == header(DaDe="2026-03-02T00:00:00Z") == []
    assert [v.rule for v in header(Unit="1.5")] == ["type"]  # Unit (administration) is an integer
    assert header(Unit="1", InVa=1, RfCs=12345) == []


def test_the_writers_body_shape_with_keys_objects_and_batches() -> None:
    address = element({"CoId": "NL", "PbAd": False, "Ad": "Kerkstraat", "HmNr": "12a"})
    party = element({"MatchPer": "7", "LaNm": "Visser"}, {"KnBasicAddressAdr": address})
    body = {"KnSalesRelationPer": element({"CuId": "EUR"}, {"KnPerson": party}, key={"DbId": "2" * 17})}
    got = {(v.path, v.field, v.rule) for v in check_body("KnSalesRelationPer", body)}
    assert got == {
        ("KnSalesRelationPer", "@DbId", "length"),
        ("KnSalesRelationPer/KnPerson/KnBasicAddressAdr", "HmNr", "type"),
    }
    batch = {
        "FbSales": {
            "Element": [element({"DbId": "1"})["Element"], element({"DbId": "1", "Nope": 1})["Element"]]
        }
    }
    assert [(v.path, v.rule) for v in check_body("FbSales", batch)] == [("FbSales[1]", "unknown_field")]
    plain_objects = {
        "FbSales": {
            "Element": {
                "Fields": {"DbId": "1"},
                "Objects": {"FbSalesLines": {"Element": {"Fields": {"VaIt": "2", "ItCd": "1", "QuUn": 1}}}},
            }
        }
    }
    assert check_body("FbSales", plain_objects) == []


def test_shape_and_method_mistakes() -> None:
    assert [v.rule for v in check_body("FbSales", {"FbSalesX": {"Element": {}}})] == ["shape"]
    assert [v.rule for v in check_body("FbSales", {"FbSales": {"Fields": {}}})] == ["shape"]
    assert [
        v.rule
        for v in check_body(
            "FbSales",
            {"FbSales": {"Element": {"Fields": {"DbId": "1"}, "Objects": [{"KnPerson": {"Element": {}}}]}}},
        )
    ] == ["unknown_object"]
    (v,) = check_body("FiEntries", fi_entries_body([("1", "8000", 0, 0)]), method="PUT")
    assert v.rule == "shape" and "POST" in v.message
    (v,) = check_body("FbSales", {"FbSales": element({"RfCs": "x"})}, required=True)
    assert (v.field, v.rule) == ("DbId", "required")
    (v,) = check_body("FbSales", {"FbSales": element({"RfCs": "x"})}, method="put", required=True)
    assert (v.field, v.rule) == ("OrNu", "required")


def test_check_value_one_field() -> None:
    limit = field_limit("KnSalesRelationOrg", "KnOrganisation", "Nm")
    assert (
        check_value(limit, "Boetiek") is None
        and check_value(limit, None) is None
        and check_value(limit, "") is None
    )
    v = check_value(limit, "x" * 256, "KnSalesRelationOrg/KnOrganisation")
    assert (
        v is not None
        and v.rule == "length"
        and v.limit == 255
        and v.message.startswith("KnSalesRelationOrg/")
    )


# ---------------------------------------------------------------- fit_text


@pytest.mark.parametrize(
    ("text", "size", "cut"),
    [
        ("Boetiek De Vries Amsterdam", 20, "Boetiek De Vries"),
        (
            "Boetiek De Vries Amsterdam",
            16,
            "Boetiek De Vries",
        ),  # the limit falls on a space: nothing lost there
        ("Jansen & Zonen Installatietechniek", 15, "Jansen & Zonen"),
        ("Jansen, Pietersen en Zonen", 18, "Jansen, Pietersen"),
        ("Jansen & Pietersen", 9, "Jansen"),  # no dangling "&"
        (
            "A Installatiebedrijfsonderneming",
            12,
            "A Installati",
        ),  # a boundary losing over half the room: cut the word
        ("Donaudampfschifffahrtsgesellschaft", 10, "Donaudampf"),
    ],
)
def test_fit_text_cuts_at_a_word_and_keeps_the_full_text(text: str, size: int, cut: str) -> None:
    assert fit_text(text, size) == (cut, text)
    assert len(cut) <= size


def test_fit_text_leaves_what_fits() -> None:
    assert fit_text("Kerkstraat", 60) == ("Kerkstraat", None)
    assert fit_text("x" * 60, 60) == ("x" * 60, None)
    with pytest.raises(ValueError):
        fit_text("x", 0)
