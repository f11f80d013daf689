"""MplusKASSA stand-in: products, articles, syncMarkers, paging, the updateProduct rule, article groups."""

from __future__ import annotations

import pytest

from connectors.mplus.soap import encode_request
from simulators.demo.catalog import build_catalog
from simulators.mplus import MplusSimConfig, MplusState, create_app
from simulators.mplus.testing import article, drive, fault_of, optional_schema, product

SCHEMA = optional_schema()


@pytest.fixture
def app():
    return create_app(MplusState.from_catalog(build_catalog()), MplusSimConfig())


def numbers(page):
    return [[a["articleNumber"] for a in p["articleList"]["article"]] for p in page["productList"]["product"]]


def get_products(mp, **request):
    return mp.call("getProducts", {"pluNumbers": {}, **request})


def test_pos_starts_empty(app):
    async def scenario(mp):
        assert (await get_products(mp))["productList"]["product"] == []
        assert (await mp.call("getArticleGroups", {}))["articleGroupList"]["articleGroups"] == []
        markers = await mp.call("getCurrentSyncMarkers")
        assert markers["articleSyncMarker"] == 0 and markers["articleGroupSyncMarker"] == 0

    drive(app, scenario, SCHEMA)


def test_create_product_then_sync_by_marker_inclusive_and_raised_on_change(app):
    async def scenario(mp):
        created = await mp.call("createProduct", product(article(10001), article(10002), description="Jurk"))
        assert created["result"] == "CREATE-PRODUCT-RESULT-OK" and created["articleNumbers"] == [10001, 10002]
        second = await mp.call("createProduct", product(article(10003)))
        assert second["syncMarker"] > created["syncMarker"]

        assert numbers(await get_products(mp, syncMarker=0)) == [[10001, 10002], [10003]]
        # Inclusive lower bound: asking from a product's own marker returns it.
        assert numbers(await get_products(mp, syncMarker=second["syncMarker"])) == [[10003]]
        assert numbers(await get_products(mp, syncMarker=second["syncMarker"] + 1)) == []

        updated = await mp.call(
            "updateProduct",
            product(article(10002, description="Jurk M"), productNumber=created["productNumber"]),
        )
        assert updated["result"] == "UPDATE-PRODUCT-RESULT-OK" and updated["existingArticleNumbers"] == [
            10002
        ]
        assert updated["syncMarker"] > second["syncMarker"]
        page = await get_products(mp, syncMarker=second["syncMarker"] + 1)
        assert numbers(page) == [[10001, 10002]]  # the product comes whole, with its new marker
        by_number = {
            a["articleNumber"]: a for a in page["productList"]["product"][0]["articleList"]["article"]
        }
        assert by_number[10002]["description"] == "Jurk M"
        assert (
            by_number[10002]["syncMarker"] > by_number[10001]["syncMarker"]
        )  # untouched article kept its own
        markers = await mp.call("getCurrentSyncMarkers")
        assert markers["articleSyncMarker"] == updated["syncMarker"]

    drive(app, scenario, SCHEMA)


def test_sync_marker_limit_counts_articles_and_a_large_first_product_comes_whole(app):
    async def scenario(mp):
        await mp.call("createProduct", product(article(101), article(102), article(103)))
        await mp.call("createProduct", product(article(201)))
        await mp.call("createProduct", product(article(301), article(302)))
        pages, marker = [], 1
        while True:
            page = await get_products(mp, syncMarker=marker, syncMarkerLimit=2)
            products = page["productList"]["product"]
            if not products:
                break
            pages.append(numbers(page))
            marker = max(p["syncMarker"] for p in products) + 1
        assert pages == [[[101, 102, 103]], [[201]], [[301, 302]]]

    drive(app, scenario, SCHEMA)


def test_non_numeric_article_number_is_a_client_fault(app):
    async def scenario(mp):
        body = encode_request("createProduct", product(article(987654)))
        response = await mp.post(body.replace(b">987654<", b">SKU-987654<"))
        assert response.status_code == 500
        fault = fault_of(response.content)
        assert fault.faultcode == "SOAP-ENV:Client"
        assert (await get_products(mp))["productList"]["product"] == []

    drive(app, scenario, SCHEMA)


def test_taken_numbers_answer_result_enums_and_store_nothing(app):
    state = app.state.mplus_state

    async def scenario(mp):
        first = await mp.call("createProduct", product(article(10001)))
        marker = state.markers["article"]
        again = await mp.call("createProduct", product(article(20001), article(10001)))
        assert again["result"] == "CREATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN"
        assert "10001" in again["errorMessage"]
        same_product = await mp.call(
            "createProduct", product(article(20002), productNumber=first["productNumber"])
        )
        assert same_product["result"] == "CREATE-PRODUCT-RESULT-FAILED-PRODUCT-NUMBER-ALREADY-TAKEN"
        assert state.markers["article"] == marker and state.get_article(20001) is None
        unknown_vat = await mp.fault("createProduct", product(article(20003, vatCode=7)))
        assert unknown_vat.is_client and "VAT-code 7" in unknown_vat.faultstring

    drive(app, scenario, SCHEMA)


def test_update_product_list_rule_and_articles_never_deleted(app):
    state = app.state.mplus_state

    async def scenario(mp):
        created = await mp.call(
            "createProduct",
            product(
                article(
                    501,
                    extraText="lang",
                    priceGroupList={
                        "priceGroup": [
                            {"priceGroupNumber": 1, "priceExcl": 800},
                            {"priceGroupNumber": 2, "priceIncl": 1100},
                        ]
                    },
                    barcodeList={"barcode": [{"barcode": "8712345678906"}]},
                ),
                article(502),
                description="Set",
                groupNumbers=[],
            ),
        )
        pn = created["productNumber"]
        b_marker = state.get_article(502)["syncMarker"]

        # Absent elements stay: priceGroupList, barcodes and extraText survive a description-only update.
        await mp.call("updateProduct", product(article(501, description="Nieuw"), productNumber=pn))
        a = state.get_article(501)
        assert a["description"] == "Nieuw" and a["extraText"] == "lang"
        assert [g["priceGroupNumber"] for g in a["priceGroupList"]["priceGroup"]] == [1, 2]
        assert a["priceGroupList"]["priceGroup"][0]["priceIncl"] == 968  # computed from priceExcl at 21 %
        assert a["barcodeList"]["barcode"][0]["barcode"] == "8712345678906"
        assert state.get_article(502)["syncMarker"] == b_marker  # not mentioned: untouched

        # A present list replaces the whole list; an empty wrapper clears it.
        await mp.call(
            "updateProduct",
            product(
                article(501, priceGroupList={"priceGroup": [{"priceGroupNumber": 3, "priceIncl": 999}]}),
                productNumber=pn,
            ),
        )
        assert [g["priceGroupNumber"] for g in state.get_article(501)["priceGroupList"]["priceGroup"]] == [3]
        await mp.call(
            "updateProduct", product(article(501, priceGroupList={"priceGroup": []}), productNumber=pn)
        )
        assert state.get_article(501)["priceGroupList"]["priceGroup"] == []

        # Only priceIncl sent: priceExcl follows; a new article is added; a missing one is not deleted.
        updated = await mp.call(
            "updateProduct", product(article(501, priceIncl=2420), article(None), productNumber=pn)
        )
        assert updated["existingArticleNumbers"] == [501] and len(updated["newArticleNumbers"]) == 1
        assert state.get_article(501)["priceExcl"] == 2000
        assert len(state.products[pn]["articleNumbers"]) == 3 and state.get_article(502) is not None

        # Deactivating is how an article goes away: onlyActive hides it, a plain read still shows it.
        await mp.call("updateProduct", product(article(502, active=False), productNumber=pn))
        active = await get_products(mp, productNumbers=[pn], onlyActive=True)
        assert 502 not in numbers(active)[0]
        assert 502 in numbers(await get_products(mp, productNumbers=[pn]))[0]

        other = await mp.call("createProduct", product(article(601)))
        taken = await mp.call("updateProduct", product(article(601), productNumber=pn))
        assert taken["result"] == "UPDATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN"
        assert state.article_product[601] == other["productNumber"]
        missing = await mp.call("updateProduct", product(article(701), productNumber=99999))
        assert missing["result"] == "UPDATE-PRODUCT-RESULT-NOT-FOUND"
        # Without a productNumber the product is found through its article.
        found = await mp.call("updateProduct", product(article(601, description="via artikel")))
        assert (
            found["result"] == "UPDATE-PRODUCT-RESULT-OK"
            and state.get_article(601)["description"] == "via artikel"
        )

    drive(app, scenario, SCHEMA)


def test_get_products_filters(app):
    async def scenario(mp):
        p1 = await mp.call("createProduct", product(article(11), article(12, webshop=True)))
        await mp.call("createProduct", product(article(21)))
        assert numbers(await get_products(mp, articleNumbers=[12])) == [[12]]
        assert numbers(
            await get_products(mp, articleNumbers=[12], includeAllArticlesOfSelectedProducts=True)
        ) == [[11, 12]]
        assert numbers(await get_products(mp, productNumbers=[p1["productNumber"]])) == [[11, 12]]
        assert numbers(await get_products(mp, onlyWebshop=True)) == [[12]]
        assert numbers(await get_products(mp)) == [[11, 12], [21]]

    drive(app, scenario, SCHEMA)


def test_article_groups_tree_changes_and_product_links(app):
    state = app.state.mplus_state

    async def scenario(mp):
        missing = await mp.call("newArticleGroup", {"parentGroupNumber": 77, "name": "X", "text": ""})
        assert missing["result"] == "NEW-ARTICLE-GROUP-RESULT-PARENT-NOTFOUND"
        top = await mp.call("newArticleGroup", {"parentGroupNumber": 0, "name": "Kleding", "text": "k"})
        sub = await mp.call(
            "newArticleGroup", {"parentGroupNumber": top["groupNumber"], "name": "Dames", "text": ""}
        )
        assert (top["result"], sub["result"]) == (
            "NEW-ARTICLE-GROUP-RESULT-OK",
            "NEW-ARTICLE-GROUP-RESULT-OK",
        )
        made = await mp.call("createProduct", product(article(31), groupNumbers=[sub["groupNumber"]]))
        other = await mp.call("createProduct", product(article(41)))
        marker = state.markers["article"]
        added = await mp.call(
            "addProductsToArticleGroup",
            {"groupNumber": sub["groupNumber"], "productNumbers": {"number": [other["productNumber"]]}},
        )
        assert added["result"] == "ADD-PRODUCTS-TO-ARTICLE-GROUP-RESULT-OK"
        # The link shows on the product too, with a raised marker so a products sync sees it.
        page = await get_products(mp, syncMarker=marker + 1)
        assert [p["groupNumbers"] for p in page["productList"]["product"]] == [[sub["groupNumber"]]]

        tree = (await mp.call("getArticleGroups", {"retrieveArticleNumbers": True}))["articleGroupList"]
        [kleding] = tree["articleGroups"]
        [dames] = kleding["subGroupList"]["articleGroups"]
        assert dames["productNumbers"]["number"] == [made["productNumber"], other["productNumber"]]
        assert dames["articleNumbers"]["number"] == [31, 41]
        renamed = await mp.call("updateArticleGroup", {"groupNumber": top["groupNumber"], "name": "Mode"})
        assert renamed["result"] == "SAVE-ARTICLE-GROUP-RESULT-OK"
        cycle = await mp.call(
            "updateArticleGroup", {"groupNumber": top["groupNumber"], "parentGroupNumber": sub["groupNumber"]}
        )
        assert cycle["result"] == "SAVE-ARTICLE-GROUP-RESULT-FAILED"
        changes = (await mp.call("getArticleGroupChanges", {"syncMarker": 1}))["changedArticleGroupList"]
        assert [c["groupNumber"] for c in changes["changedArticleGroups"]] == [
            sub["groupNumber"],
            top["groupNumber"],
        ]
        assert changes["changedArticleGroups"][1]["name"] == "Mode"
        assert changes["changedArticleGroups"][0]["parentGroupNumber"] == top["groupNumber"]

    drive(app, scenario, SCHEMA)
