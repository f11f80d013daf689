"""Paging: concurrent skip pages in order, stop at the short page, in-flight bound, keyset paging."""

from __future__ import annotations

import asyncio
import json
import random

import httpx
import pytest
import respx

from connectors.afas import AfasClient, Op, where

BASE = "https://12345.rest.afas.online/ProfitRestServices"
TOKEN = "ab" * 32
URL = f"{BASE}/connectors/Sync_Articles"


class FakeAfas:
    """Serves `rows` with skip/take, a random delay per call, and tracks requests in flight."""

    def __init__(self, n_rows: int, seed: int = 7, block_from: int | None = None) -> None:
        self.block_from = block_from  # pages from this skip on never answer (until cancelled)
        self.rows = [{"ItemCode": f"A{i:05d}", "Seq": i} for i in range(n_rows)]
        self.in_flight = 0
        self.max_in_flight = 0
        self.requests: list[httpx.Request] = []
        self.finished_skips: list[int] = []
        self._random = random.Random(seed)

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            # Random latency so later pages often finish before earlier ones.
            await asyncio.sleep(self._random.uniform(0.0005, 0.004))
            params = request.url.params
            skip, take = int(params["skip"]), int(params["take"])
            if self.block_from is not None and skip >= self.block_from:
                await asyncio.Event().wait()
            rows = self._filtered(params)[skip : skip + take]
            self.finished_skips.append(skip)
            return httpx.Response(200, json={"skip": skip, "take": take, "rows": rows})
        finally:
            self.in_flight -= 1

    def _filtered(self, params: httpx.QueryParams) -> list[dict]:
        if "filterfieldids" not in params:
            return self.rows
        # Enough of AFAS's semantics for the keyset tests: OR of AND-groups with = and >.
        groups = zip(
            params["filterfieldids"].split(";"),
            params["filtervalues"].split(";"),
            params["operatortypes"].split(";"),
            strict=True,
        )
        parsed = [list(zip(f.split(","), v.split(","), o.split(","), strict=True)) for f, v, o in groups]

        def match(row: dict, field: str, value: str, op: str) -> bool:
            actual = str(row[field])
            return {"1": actual == value, "4": actual > value}[op]

        return [r for r in self.rows if any(all(match(r, *c) for c in group) for group in parsed)]

    def skips(self) -> list[int]:
        return sorted(int(r.url.params["skip"]) for r in self.requests)


def collect(fake: FakeAfas, *, page_size: int, concurrency: int = 8, **kwargs: object) -> list[list[dict]]:
    async def run() -> list[list[dict]]:
        with respx.mock() as router:
            router.get(url__startswith=URL).mock(side_effect=fake)
            async with AfasClient(BASE, TOKEN, concurrency=concurrency) as client:
                return [
                    page async for page in client.iter_pages("Sync_Articles", page_size=page_size, **kwargs)
                ]

    return asyncio.run(run())


def test_concurrent_pages_yield_every_row_once_in_order() -> None:
    fake = FakeAfas(1005)
    pages = collect(fake, page_size=10, order_by=["ItemCode"])
    rows = [row for page in pages for row in page]
    assert rows == fake.rows
    assert [len(p) for p in pages] == [10] * 100 + [5]
    assert fake.max_in_flight == 8  # the window really fills up...
    assert all(r.url.params["orderbyfieldids"] == "ItemCode" for r in fake.requests)


@pytest.mark.parametrize("concurrency", [1, 3, 5])
def test_never_more_than_concurrency_in_flight(concurrency: int) -> None:
    fake = FakeAfas(400)
    rows = [
        row
        for page in collect(fake, page_size=10, concurrency=concurrency, order_by=["ItemCode"])
        for row in page
    ]
    assert rows == fake.rows
    assert fake.max_in_flight == concurrency


def test_stops_at_the_short_page_and_discards_pages_beyond_it() -> None:
    fake = FakeAfas(95)
    pages = collect(fake, page_size=10, order_by=["ItemCode"])
    assert [row for page in pages for row in page] == fake.rows
    assert [len(p) for p in pages] == [10] * 9 + [5]
    skips = fake.skips()
    assert len(skips) == len(set(skips))  # each page asked once
    assert skips[:10] == list(range(0, 100, 10))
    # After the short page at skip 90 nothing new is launched: at most one window (8) beyond it.
    assert max(skips) < 90 + 8 * 10


def test_empty_first_page_costs_one_call() -> None:
    fake = FakeAfas(0)
    assert collect(fake, page_size=10, order_by=["ItemCode"]) == []
    assert fake.skips() == [0]


def test_small_table_costs_one_call() -> None:
    fake = FakeAfas(7)
    pages = collect(fake, page_size=10, order_by=["ItemCode"])
    assert pages == [fake.rows]
    assert fake.skips() == [0]


def test_exact_multiple_of_page_size() -> None:
    fake = FakeAfas(40)
    pages = collect(fake, page_size=10, order_by=["ItemCode"])
    assert [len(p) for p in pages] == [10, 10, 10, 10]
    assert [row for page in pages for row in page] == fake.rows
    assert 40 in fake.skips()  # the empty page that proved the end was asked for, not yielded


def test_order_by_is_required() -> None:
    async def run() -> None:
        async with AfasClient(BASE, TOKEN) as client:
            with pytest.raises(ValueError, match="order_by"):
                client.iter_pages("Sync_Articles", order_by=[])
            with pytest.raises(ValueError, match="order_by"):
                await client.get_page("Sync_Articles", skip=0, take=10, order_by=[])
            with pytest.raises(ValueError, match="order_by"):
                await client.get_all("Sync_Articles", order_by=[""])

    asyncio.run(run())


def test_get_all_and_descending_order() -> None:
    fake = FakeAfas(25)

    async def run() -> list[dict]:
        with respx.mock() as router:
            router.get(url__startswith=URL).mock(side_effect=fake)
            async with AfasClient(BASE, TOKEN, page_size=10) as client:
                return await client.get_all("Sync_Articles", order_by=["ItemCode", "-Seq"])

    assert asyncio.run(run()) == fake.rows
    assert fake.requests[0].url.params["orderbyfieldids"] == "ItemCode,-Seq"


def test_bound_is_shared_by_all_calls_of_the_client() -> None:
    fake = FakeAfas(300)

    async def run() -> list[list[dict]]:
        with respx.mock() as router:
            router.get(url__startswith=URL).mock(side_effect=fake)
            async with AfasClient(BASE, TOKEN, concurrency=3, page_size=10) as client:
                return list(
                    await asyncio.gather(
                        client.get_all("Sync_Articles", order_by=["ItemCode"]),
                        client.get_all("Sync_Articles", order_by=["ItemCode"]),
                    )
                )

    first, second = asyncio.run(run())
    assert first == second == fake.rows
    assert fake.max_in_flight == 3


def test_breaking_out_stops_paging_but_keeps_slots_until_afas_answers() -> None:
    fake = FakeAfas(1000, block_from=30)  # pages 4+ hang until the client is closed

    async def run() -> tuple[int, int, int, set[asyncio.Task]]:
        with respx.mock() as router:
            router.get(url__startswith=URL).mock(side_effect=fake)
            client = AfasClient(BASE, TOKEN, page_size=10)
            pages = client.iter_pages("Sync_Articles", order_by=["ItemCode"])
            seen = 0
            async for _page in pages:
                seen += 1
                if seen == 3:
                    break
            await asyncio.wait_for(pages.aclose(), timeout=2)  # the paging loop itself ends at once
            await asyncio.sleep(0.01)
            # AFAS still works on the abandoned pages, so they keep their slots: freeing them would let the
            # next calls push AFAS over its limit of parallel calls.
            held, hanging = client.environment.in_use, fake.in_flight
            await asyncio.wait_for(client.aclose(), timeout=2)
            return held, hanging, client.environment.in_use, asyncio.all_tasks() - {asyncio.current_task()}

    held, hanging, after_close, tasks = asyncio.run(run())
    assert hanging >= 1 and held == hanging
    assert after_close == 0 and tasks == set() and fake.in_flight == 0
    started = {int(r.url.params["skip"]) for r in fake.requests}
    assert {0, 10, 20, 30} <= started
    assert sorted(fake.finished_skips) == [0, 10, 20]


def test_keyset_paging_filters_on_the_last_key() -> None:
    fake = FakeAfas(25)
    pages = collect(fake, page_size=10, order_by=["Seq"], keyset="ItemCode")
    assert [row for page in pages for row in page] == fake.rows
    params = [r.url.params for r in fake.requests]
    assert len(params) == 3
    assert all(p["skip"] == "0" and p["take"] == "10" for p in params)
    assert all(p["orderbyfieldids"] == "ItemCode,Seq" for p in params)
    assert "filterfieldids" not in params[0]
    assert (params[1]["filterfieldids"], params[1]["operatortypes"]) == ("ItemCode", "4")
    assert params[1]["filtervalues"] == "A00009"
    assert params[2]["filtervalues"] == "A00019"


def test_keyset_is_anded_into_every_or_group() -> None:
    fake = FakeAfas(40)
    for row in fake.rows:
        row["Group"] = "X" if row["Seq"] % 2 else "Y"
    flt = where("Group", Op.EQ, "X") | where("ItemCode", Op.EQ, "A00000")
    pages = collect(fake, page_size=5, order_by=["ItemCode"], keyset="ItemCode", filters=flt)
    expected = [r for r in fake.rows if r["Group"] == "X" or r["ItemCode"] == "A00000"]
    assert [row for page in pages for row in page] == expected
    second = fake.requests[1].url.params
    last = expected[4]["ItemCode"]
    assert second["filterfieldids"] == "Group,ItemCode;ItemCode,ItemCode"
    assert second["filtervalues"] == f"X,{last};A00000,{last}"
    assert second["operatortypes"] == "1,4;1,4"


def test_keyset_value_with_a_comma_goes_through_filterjson() -> None:
    seen: list[httpx.Request] = []
    rows = [{"Code": "a,1"}, {"Code": "b;2"}, {"Code": "c"}]

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        page = rows[len(seen) - 1 : len(seen)] if len(seen) < 3 else []
        return httpx.Response(200, json={"skip": 0, "take": 1, "rows": page})

    async def run() -> list[dict]:
        with respx.mock() as router:
            router.get(url__startswith=URL).mock(side_effect=reply)
            async with AfasClient(BASE, TOKEN) as client:
                return await client.get_all("Sync_Articles", order_by=["-Code"], page_size=1, keyset="Code")

    assert asyncio.run(run()) == rows[:2]
    assert seen[0].url.params["orderbyfieldids"] == "-Code"
    field = json.loads(seen[1].url.params["filterjson"])["Filters"]["Filter"][0]["Field"][0]
    assert field == {"@FieldId": "Code", "@OperatorType": str(int(Op.LT)), "#text": "a,1"}
    assert json.loads(seen[2].url.params["filterjson"])["Filters"]["Filter"][0]["Field"][0]["#text"] == "b;2"


def test_keyset_asks_the_next_page_before_the_caller_has_taken_this_one() -> None:
    fake = FakeAfas(25)

    async def run() -> int:
        with respx.mock() as router:
            router.get(url__startswith=URL).mock(side_effect=fake)
            async with AfasClient(BASE, TOKEN) as client:
                pages = client.iter_pages(
                    "Sync_Articles", order_by=["ItemCode"], page_size=10, keyset="ItemCode"
                )
                await pages.__anext__()
                await asyncio.sleep(0.05)  # the caller works on page 1; page 2 is already on its way
                asked = len(fake.requests)
                await pages.aclose()
                return asked

    assert asyncio.run(run()) == 2
    assert fake.in_flight == 0


def test_keyset_on_a_decimal_key_pages_by_the_exact_value() -> None:
    seen: list[httpx.Request] = []
    rows = [{"Rate": 0.1 + i / 10} for i in range(3)]  # floats: the quick parse cannot be trusted for them

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        page = rows[len(seen) - 1 : len(seen)] if len(seen) < 3 else []
        return httpx.Response(200, content=json.dumps({"skip": 0, "take": 1, "rows": page}).encode())

    async def run() -> list[dict]:
        with respx.mock() as router:
            router.get(url__startswith=URL).mock(side_effect=reply)
            async with AfasClient(BASE, TOKEN) as client:
                return await client.get_all("Sync_Articles", order_by=["Rate"], page_size=1, keyset="Rate")

    got = asyncio.run(run())
    assert len(got) == 2
    assert seen[1].url.params["filtervalues"] == "0.1"  # the Decimal of the exact decode, not float noise
