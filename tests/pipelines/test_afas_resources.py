"""The declarative table of AFAS resources and the column types it takes from a connector's metainfo."""

from __future__ import annotations

import pytest

from pipelines.afas import AFAS_RESOURCES, AfasResourceError, resource_from_config
from pipelines.afas.hints import column_hints
from pipelines.afas.resources import catalog, select

META = {
    "fields": [
        {"id": "ItemCode", "dataType": "string"},
        {"id": "U1234", "dataType": "boolean"},
        {"id": "Price", "dataType": "decimal", "decimals": 2},
        {"id": "Qty", "dataType": "decimal", "decimals": 6},
        {"id": "ValidTo", "dataType": "date"},
        {"id": "ModifiedDate", "dataType": "date"},
        {"id": "Seq", "dataType": "int"},
        {"id": "Photo", "dataType": "blob"},
    ]
}


def test_every_built_in_declaration_is_consistent() -> None:
    assert [r.check().name for r in AFAS_RESOURCES] == list(catalog())
    assert all(r.name.startswith("afas_") for r in AFAS_RESOURCES)


def test_hints_type_every_field_under_our_names() -> None:
    resource = resource_from_config(
        {
            "name": "afas_x",
            "connector": "Conn",
            "key": "ItemCode",
            "incremental": "ModifiedDate",
            "date_columns": ["ValidTo"],
            "types": {"Seq": "text"},
        }
    )
    hints = column_hints(resource, META, {"PosArticle": "U1234"})
    assert {k: v["data_type"] for k, v in hints.items()} == {
        "ItemCode": "text",
        "PosArticle": "bool",
        "Price": "decimal",
        "Qty": "decimal",
        "ValidTo": "date",
        "ModifiedDate": "timestamp",
        "Seq": "text",
        "Photo": "text",
    }
    assert (hints["Price"]["precision"], hints["Price"]["scale"]) == (18, 4)  # at least 4 decimals
    assert hints["Qty"]["scale"] == 6


def test_a_derived_key_and_a_key_scan_get_their_own_columns() -> None:
    derived = resource_from_config(
        {
            "name": "afas_x",
            "connector": "Conn",
            "key": "RowKey",
            "derived_key": ["ItemCode", "ValidTo"],
            "date_columns": ["ValidTo"],
        }
    )
    assert column_hints(derived, META)["RowKey"]["data_type"] == "text"
    (scan,) = select(["afas_article_keys"])
    assert set(column_hints(scan, {"fields": [{"id": "ItemCode"}, {"id": "Description"}]})) == {"ItemCode"}


def test_a_cursor_the_connector_lacks_is_refused_before_anything_is_read() -> None:
    resource = resource_from_config(
        {"name": "afas_x", "connector": "Conn", "key": "ItemCode", "incremental": "LastChange"}
    )
    with pytest.raises(AfasResourceError, match="connector Conn has no field LastChange"):
        column_hints(resource, META)


def test_unknown_resource_names_are_listed_with_the_known_ones() -> None:
    with pytest.raises(AfasResourceError, match="unknown AFAS resource.*afas_nope; known: afas_articles"):
        select(["afas_articles", "afas_nope"])
