"""MplusKASSA stand-in: relations (create, find by e-mail, update, sync paging) and price groups."""

from __future__ import annotations

import pytest

from simulators.demo.catalog import build_catalog
from simulators.mplus import MplusSimConfig, MplusState, create_app
from simulators.mplus.testing import drive, optional_schema

SCHEMA = optional_schema()


@pytest.fixture
def catalog():
    return build_catalog()


@pytest.fixture
def app(catalog):
    return create_app(MplusState.from_catalog(catalog), MplusSimConfig())


def test_seeded_relations_include_the_shared_email_and_till_customers(app, catalog):
    async def scenario(mp):
        return (await mp.call("getRelations", {"syncMarker": 1}))["relationList"]["relation"]

    relations = drive(app, scenario, SCHEMA)
    assert [r["relationNumber"] for r in relations] == list(range(1001, 1013))  # 3 from till invoices
    shared = next(d.email for d in catalog.debtors if d.email == relations[0]["email"])
    assert shared == relations[0]["email"]  # 1001 shares its e-mail with an AFAS debtor
    assert relations[2]["companyName"] == "Kramer Design 0"


def test_create_relation_then_find_by_email(app):
    async def scenario(mp):
        created = await mp.call(
            "createRelation",
            {
                "relation": {
                    "name": "Anna de Wit",
                    "companyName": "Studio Wit",
                    "email": "Anna@Studio-Wit.nl",
                    "city": "Delft",
                    "priceGroupNumber": 2,
                    "discountPercentage": 5,
                    "relationArticleDiscountList": {
                        "relationArticleDiscount": [{"articleNumber": 10001, "discountPercentage": 10}]
                    },
                }
            },
        )
        assert created["result"] == "CREATE-RELATION-RESULT-OK" and created["relationNumber"] == 1013
        markers = await mp.call("getCurrentSyncMarkers")
        assert markers["relationSyncMarker"] == created["syncMarker"]

        found = await mp.call("findRelation", {"relation": {"email": "anna@studio-wit.NL"}})
        assert found["result"] == "FIND-RELATION-RESULT-OK"
        assert found["relation"]["relationNumber"] == 1013 and found["relation"]["priceGroupNumber"] == 2
        partial = await mp.call("findRelation", {"relation": {"email": "studio-wit"}})
        assert partial["relation"]["relationNumber"] == 1013
        exact = await mp.call("findRelationV2", {"relation": {"email": "studio-wit"}, "exactMatch": True})
        assert exact["result"] == "FIND-RELATION-RESULT-NOT-FOUND"
        exact = await mp.call(
            "findRelationV2", {"relation": {"email": "ANNA@studio-wit.nl"}, "exactMatch": True}
        )
        assert exact["relation"]["relationNumber"] == 1013
        both = await mp.call("findRelation", {"relation": {"email": "studio-wit", "city": "Utrecht"}})
        assert both["result"] == "FIND-RELATION-RESULT-NOT-FOUND"

        taken = await mp.call("createRelation", {"relation": {"relationNumber": 1001, "name": "dubbel"}})
        assert taken["result"] == "CREATE-RELATION-RESULT-FAILED-RELATION-NUMBER-ALREADY-TAKEN"
        bad_group = await mp.call("createRelation", {"relation": {"name": "x", "priceGroupNumber": 9}})
        assert bad_group["result"] == "CREATE-RELATION-RESULT-FAILED"

    drive(app, scenario, SCHEMA)


def test_update_relation_merges_and_raises_marker(app):
    state = app.state.mplus_state

    async def scenario(mp):
        before = state.get_relation(1002)
        updated = await mp.call(
            "updateRelation",
            {"relation": {"relationNumber": 1002, "city": "Leiden", "email": "kees@nieuw.nl"}},
        )
        assert (
            updated["result"] == "UPDATE-RELATION-RESULT-OK" and updated["syncMarker"] > before["syncMarker"]
        )
        got = (await mp.call("getRelation", {"relationNumber": 1002}))["relation"]
        assert (got["city"], got["name"], got["address"]) == ("Leiden", "Kees Kassa", "Markt 1")
        assert (await mp.call("findRelation", {"relation": {"email": "kees@nieuw.nl"}}))["relation"][
            "relationNumber"
        ] == 1002
        assert (await mp.call("findRelation", {"relation": {"email": "kees@kassaklant.nl"}}))["result"] == (
            "FIND-RELATION-RESULT-NOT-FOUND"
        )
        missing = await mp.call("updateRelation", {"relation": {"relationNumber": 4242, "name": "x"}})
        assert missing["result"] == "UPDATE-RELATION-RESULT-NOT-FOUND"
        not_found = await mp.call("getRelation", {"relationNumber": 4242})
        assert not_found["result"] == "GET-RELATION-RESULT-NOT-FOUND"

        state.edit_relation(1001, telephone="020-1234567")  # at the till
        page = (await mp.call("getRelations", {"syncMarker": updated["syncMarker"] + 1}))["relationList"]
        assert [r["relationNumber"] for r in page["relation"]] == [1001]

    drive(app, scenario, SCHEMA)


def test_get_relations_pages_at_most_1000(app):
    state = app.state.mplus_state
    from simulators.mplus.handlers.relations import insert_relation

    with state.lock:
        for i in range(1100):
            insert_relation(state, {"name": f"Bulk {i}"})

    async def scenario(mp):
        first = (await mp.call("getRelations", {"syncMarker": 1, "syncMarkerLimit": 5000}))["relationList"]
        assert len(first["relation"]) == 1000
        rest = await mp.call("getRelations", {"syncMarker": first["relation"][-1]["syncMarker"] + 1})
        assert len(rest["relationList"]["relation"]) == 1112 - 1000
        small = await mp.call("getRelations", {"syncMarker": 1, "syncMarkerLimit": 3})
        assert [r["relationNumber"] for r in small["relationList"]["relation"]] == [1001, 1002, 1003]

    drive(app, scenario, SCHEMA)


def test_price_groups_and_relation_price_fields(app):
    async def scenario(mp):
        groups = (await mp.call("getPriceGroupList"))["priceGroup"]
        assert [(g["priceGroupNumber"], g["description"]) for g in groups] == [
            (1, "Groothandel"),
            (2, "Horeca"),
            (3, "Vrienden"),
        ]
        await mp.call(
            "updateRelation",
            {"relation": {"relationNumber": 1001, "priceGroupNumber": 1, "discountPercentage": 2}},
        )
        got = (await mp.call("getRelation", {"relationNumber": 1001}))["relation"]
        assert (got["priceGroupNumber"], got["discountPercentage"]) == (1, 2)

    drive(app, scenario, SCHEMA)
