"""Large MplusKASSA answers are parsed incrementally and handed out in batches; one bad record of an answer
becomes an MplusRecordError naming operation, record and field, and the other records still arrive."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from afas_mplus.aio import Portal
from connectors.mplus import MplusClient, MplusError, MplusTransportError
from connectors.mplus.errors import MplusRecordError
from connectors.mplus.models import ArticleStock, Batch
from connectors.mplus.soap import ResponseStream, decode_request, decode_response, record_path
from connectors.mplus.xsd_validate import load_schema, validate_envelope
from pipelines.mplus.helpers import MplusReader

BASE = "http://mplus.test:34567"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/'
    'envelope/" xmlns:ns="urn:mplusqapi"><SOAP-ENV:Body>'
)
TAIL = "</SOAP-ENV:Body></SOAP-ENV:Envelope>"


def level(n: int, branch: int | None = 1, amount: str | None = None) -> str:
    """One ArticleStock as MplusKASSA writes it (XSD order); amountFree n*7 thousandths unless given."""
    branch_xml = f"<ns:branchNumber>{branch}</ns:branchNumber>" if branch is not None else ""
    return (
        f"<ns:articleStocks>{branch_xml}<ns:articleNumber>{n}</ns:articleNumber><ns:stockId>{1000 + n}</ns:stockId>"
        f"<ns:amountFree>{amount if amount is not None else n * 7}</ns:amountFree>"
        "<ns:decimalPlacesFree>3</ns:decimalPlacesFree><ns:amountReserved>2</ns:amountReserved>"
        "<ns:amountIncoming>0</ns:amountIncoming><ns:isDayStockArticle>false</ns:isDayStockArticle>"
        "</ns:articleStocks>"
    )


class StockAnswer(httpx.AsyncByteStream):
    """A getStock answer of `n` levels, produced lazily in chunks of `per_chunk` levels, counting what was
    produced so a test can see how much of the body existed when a batch came out."""

    def __init__(
        self,
        n: int,
        per_chunk: int = 500,
        bad: dict[int, str] | None = None,
        break_after: int | None = None,
        branch: int | None = 1,
    ) -> None:
        self.n, self.per_chunk, self.bad, self.break_after, self.branch = (
            n,
            per_chunk,
            bad or {},
            break_after,
            branch,
        )
        self.levels_sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield (HEAD + "<ns:GetStockResponse>").encode()
        for first in range(1, self.n + 1, self.per_chunk):
            if self.break_after is not None and self.levels_sent >= self.break_after:
                raise httpx.RemoteProtocolError(
                    "peer closed connection without sending complete message body"
                )
            numbers = range(first, min(first + self.per_chunk, self.n + 1))
            self.levels_sent += len(numbers)
            yield "".join(level(n, self.branch, self.bad.get(n)) for n in numbers).encode()
        yield ("</ns:GetStockResponse>" + TAIL).encode()


class Server:
    """Answers every request with the next scripted response (the last one repeats); records requests."""

    def __init__(self, *script: Any) -> None:
        self.script = list(script)
        self.requests: list[tuple[str, dict[str, Any]]] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(decode_request(request.content))
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, BaseException):
            raise step
        if isinstance(step, httpx.AsyncByteStream):
            return httpx.Response(200, stream=step, headers={"Content-Type": "text/xml; charset=utf-8"})
        return step

    def client(self, **kwargs: Any) -> MplusClient:
        kwargs.setdefault("backoff_s", 0)
        return MplusClient(BASE, "ident", "secret", transport=httpx.MockTransport(self), **kwargs)


def xml_response(body: str) -> httpx.Response:
    return httpx.Response(200, content=(HEAD + body + TAIL).encode(), headers={"Content-Type": "text/xml"})


def collect(server: Server, **kwargs: Any) -> tuple[list[Batch[ArticleStock]], list[int]]:
    """(batches of iter_stock, levels the server had produced when each batch came out)."""

    async def go() -> tuple[list[Batch[ArticleStock]], list[int]]:
        answer = server.script[-1]
        batches, produced = [], []
        async with server.client() as client:
            async for batch in client.iter_stock(1, since_stock_id=0, **kwargs):
                batches.append(batch)
                produced.append(answer.levels_sent)
        return batches, produced

    return asyncio.run(go())


def test_the_generated_answer_is_what_the_wsdl_allows(shared_api: Path) -> None:
    schema = load_schema(shared_api / "mplusqapi.wsdl")
    validate_envelope(
        schema,
        (
            HEAD + "<ns:GetStockResponse>" + level(1) + level(2, None) + "</ns:GetStockResponse>" + TAIL
        ).encode(),
    )


def test_a_100k_level_get_stock_is_parsed_correctly_in_batches_while_it_streams() -> None:
    answer = StockAnswer(100_000)
    server = Server(answer)
    batches, produced = collect(server, batch_size=5000)

    assert [len(b) for b in batches] == [5000] * 20
    assert all(isinstance(b, Batch) and b.errors == [] for b in batches)
    levels = [s for b in batches for s in b]
    assert [s.article_number for s in levels] == list(range(1, 100_001))
    assert levels[41_999].stock_id == 43_000 and levels[41_999].amount_free == Decimal("294.000")
    assert all(s.amount_reserved == Decimal(2) and s.branch_number == 1 for s in levels[::997])
    # Each batch left while the answer was still arriving: at most one chunk (500 levels) read ahead.
    assert produced[0] <= 5500 and all(p - 5000 * (i + 1) <= 500 for i, p in enumerate(produced[:-1]))
    assert server.requests == [
        ("getStock", {"branchNumber": 1, "articleNumbers": {"articleNumbers": []}, "stockId": 0})
    ]


def test_the_parsed_tree_holds_one_record_at_a_time() -> None:
    stream = ResponseStream("getStock")
    body = (
        HEAD
        + "<ns:GetStockResponse>"
        + "".join(level(n) for n in range(1, 20_001))
        + "</ns:GetStockResponse>"
        + TAIL
    ).encode()
    held, taken = [], 0
    for start in range(0, len(body), 32_768):
        stream.feed(body[start : start + 32_768])
        held.append(stream.records_held)
        taken += len(stream.take())
    stream.close()
    taken += len(stream.take())
    assert taken == 20_000 and stream.records_seen == 20_000
    assert max(held) <= 2  # the last one decoded (emptied) and the one being parsed


def test_get_stock_keeps_returning_one_list_and_levels_without_branch_get_it() -> None:
    async def go() -> tuple[list[ArticleStock], list[ArticleStock]]:
        server = Server(StockAnswer(1200, branch=None))
        async with server.client() as client:
            whole = await client.get_stock(4, [], since_stock_id=0)
            streamed = [s async for b in client.iter_stock(4, since_stock_id=0, batch_size=1000) for s in b]
            return whole, streamed

    whole, streamed = asyncio.run(go())
    assert isinstance(whole, list) and len(whole) == 1200
    assert whole == [s.model_copy(update={"branch_number": None}) for s in streamed]
    assert {s.branch_number for s in whole} == {None}  # get_stock gives levels as sent
    assert {s.branch_number for s in streamed} == {4}


def test_reader_streams_stock_per_branch() -> None:
    server = Server(StockAnswer(2500), StockAnswer(300, branch=2))
    with Portal() as portal:
        client = server.client()
        try:
            pages = list(MplusReader(client, portal).stock_changes([1, 2], since_stock_id=10))
        finally:
            portal.call(client.aclose)
    assert [len(p) for p in pages] == [2500, 300]  # STOCK_BATCH is 5000: one batch per branch here
    assert [r[1]["branchNumber"] for r in server.requests] == [1, 2]
    assert {r[1]["stockId"] for r in server.requests} == {10}


def test_a_bad_level_in_the_stream_is_an_error_in_its_batch_and_the_rest_arrives() -> None:
    server = Server(StockAnswer(3000, bad={1234: "12,5"}))
    batches, _ = collect(server, batch_size=1000)
    errors = [e for b in batches for e in b.errors]
    assert sum(len(b) for b in batches) == 2999 and len(errors) == 1
    assert [len(b) + len(b.errors) for b in batches] == [1000, 1000, 1000]
    assert batches[1].errors == errors  # the batch the bad level was in
    error = errors[0]
    assert isinstance(error, MplusRecordError) and error.transient is False
    assert (error.operation, error.record, error.index) == ("getStock", "articleStocks", 1233)
    assert error.key == {"branchNumber": "1", "articleNumber": "1234", "stockId": "2234"}
    assert (error.field, error.value) == ("amountFree", "12,5")
    assert "getStock" in str(error) and "articleNumber=1234" in str(error) and "amountFree" in str(error)


def test_a_stream_that_breaks_after_a_batch_is_not_retried_but_one_that_fails_first_is() -> None:
    broken = Server(StockAnswer(5000, break_after=2000), StockAnswer(5000))
    with pytest.raises(MplusTransportError) as info:
        collect(broken, batch_size=1000)
    assert info.value.transient is True and "broke off after 2000 records" in str(info.value)
    assert "temporary" in str(info.value) and len(broken.requests) == 1

    busy = Server(httpx.Response(503, headers={"Retry-After": "0"}), StockAnswer(1500))
    batches, _ = collect(busy, batch_size=1000)
    assert [len(b) for b in batches] == [1000, 500] and len(busy.requests) == 2


def relations_answer(*relations: str) -> httpx.Response:
    items = "".join(f"<ns:relation>{r}</ns:relation>" for r in relations)
    return xml_response(
        f"<ns:GetRelationsResponse><ns:relationList>{items}</ns:relationList></ns:GetRelationsResponse>"
    )


def relation(number: str, marker: int, extra: str = "") -> str:
    return (
        f"<ns:relationNumber>{number}</ns:relationNumber><ns:syncMarker>{marker}</ns:syncMarker>"
        f"<ns:name>R{number}</ns:name>{extra}"
    )


def test_a_non_integer_long_in_get_relations_fails_only_that_relation() -> None:
    server = Server(
        relations_answer(
            relation("1", 10),
            relation("2", 11, "<ns:creditLimit>abc</ns:creditLimit>"),  # an xsd:long
            relation("3", 12),
        )
    )

    async def go() -> Any:
        async with server.client() as client:
            return await client.get_relations(0, 1000)

    page = asyncio.run(go())
    assert [r.relation_number for r in page.relations] == [1, 3]
    (error,) = page.errors
    assert (error.operation, error.record, error.key) == ("getRelations", "relation", {"relationNumber": "2"})
    assert (error.field, error.value, error.sync_marker) == ("creditLimit", "abc", 11)
    assert "'abc' is not a valid xsd:long" in str(error) and "relationNumber=2" in str(error)
    assert page.next_marker == 13


def test_a_bad_key_or_a_bad_nested_value_still_names_the_record() -> None:
    contact = "<ns:contactList><ns:relation><ns:relationNumber>x9</ns:relationNumber></ns:relation></ns:contactList>"
    server = Server(
        relations_answer(
            relation("4x", 20, "<ns:extRelationId>WEB-4</ns:extRelationId>"),
            relation("5", 21, contact),
            "<ns:relationNumber>oops</ns:relationNumber>",
        )
    )
    errors: list[MplusRecordError] = []

    async def go() -> dict[str, Any]:
        async with server.client() as client:
            return await client.call("getRelations", {}, record_errors=errors)

    answer = asyncio.run(go())
    assert answer["relationList"]["relation"] == []
    assert [(e.key, e.field, e.index) for e in errors] == [
        ({"relationNumber": "4x", "extRelationId": "WEB-4"}, "relationNumber", 0),
        ({"relationNumber": "5"}, "contactList.relation.relationNumber", 1),
        ({"relationNumber": "oops"}, "relationNumber", 2),
    ]
    assert errors[2].sync_marker is None and "relation relationNumber=oops" in str(errors[2])


def test_iterating_relations_moves_past_a_page_of_bad_records() -> None:
    full = [relation(str(n), n, "<ns:priceGroupNumber>?</ns:priceGroupNumber>") for n in (1, 2)]
    server = Server(relations_answer(*full), relations_answer(relation("3", 3)))

    async def go() -> list[Batch[Any]]:
        async with server.client() as client:
            return [page async for page in client.iter_relations(0, limit=2)]

    pages = asyncio.run(go())
    assert [(list(p), len(p.errors)) for p in pages][0] == ([], 2)
    assert [r.relation_number for r in pages[1]] == [3]
    assert [r[1]["syncMarker"] for r in server.requests] == [0, 3]


def test_a_record_the_model_refuses_is_a_record_error_too() -> None:
    # Well-formed for the XSD, but a negative decimalPlaces cannot make a quantity.
    server = Server(
        xml_response(
            "<ns:GetStockResponse>"
            + level(1)
            + level(2).replace(
                "<ns:decimalPlacesFree>3</ns:decimalPlacesFree>",
                "<ns:decimalPlacesFree>-1</ns:decimalPlacesFree>",
            )
            + "</ns:GetStockResponse>"
        )
    )

    async def go() -> Batch[ArticleStock]:
        async with server.client() as client:
            return await client.get_stock(1, [1, 2])

    levels = asyncio.run(go())
    assert [s.article_number for s in levels] == [1]
    (error,) = levels.errors
    assert error.key["articleNumber"] == "2" and "decimal_places" in error.reason


def test_without_record_errors_a_bad_record_fails_the_call() -> None:
    server = Server(relations_answer(relation("1", 1, "<ns:priceGroupNumber>abc</ns:priceGroupNumber>")))

    async def go() -> None:
        async with server.client() as client:
            await client.call("getRelations", {})

    with pytest.raises(MplusError, match="priceGroupNumber"):
        asyncio.run(go())


def test_decode_response_collects_record_errors_when_asked() -> None:
    body = (
        HEAD + "<ns:GetStockResponse>" + level(1) + level(2, amount="1e3") + "</ns:GetStockResponse>" + TAIL
    ).encode()
    errors: list[MplusRecordError] = []
    got = decode_response("getStock", body, record_errors=errors)
    assert [s["articleNumber"] for s in got["articleStocks"]] == [1]
    assert [(e.index, e.field) for e in errors] == [(1, "amountFree")]


@pytest.mark.parametrize(
    ("operation", "path"),
    [
        ("getStock", (("articleStocks", "ArticleStock"),)),
        ("getRelations", (("relationList", "RelationList"), ("relation", "Relation"))),
        ("getProducts", (("productList", "ProductList"), ("product", "Product"))),
        ("getVatGroupList", (("vatGroup", "VatGroup"),)),
        ("findRelationV2", None),  # one relation, not a list
        ("createProduct", None),
    ],
)
def test_record_path(operation: str, path: tuple[tuple[str, str], ...] | None) -> None:
    assert record_path(operation) == path


def test_an_answer_arriving_in_one_chunk_is_still_handed_out_in_exact_batches() -> None:
    levels = "".join(level(n) for n in range(1, 12_001))
    server = Server(xml_response("<ns:GetStockResponse>" + levels + "</ns:GetStockResponse>"))

    async def go() -> list[Batch[ArticleStock]]:
        async with server.client() as client:
            return [b async for b in client.iter_stock(1, since_stock_id=0)]

    batches = asyncio.run(go())
    assert [len(b) for b in batches] == [5000, 5000, 2000]
    assert [b[0].article_number for b in batches] == [1, 5001, 10_001]
