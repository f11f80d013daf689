"""A relation MplusKASSA holds but answers unreadable is never created again: its debtor waits as an error row."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from afas_mplus import runner
from afas_mplus.flows import FLOWS
from afas_mplus.runtime import Runtime
from connectors.mplus.models import Relation

_RELATION = re.compile(rb"<ns:relation>.*?</ns:relation>", re.S)


def _unreadable(app: object, ext_id: str) -> httpx.AsyncBaseTransport:
    """The till's answers, with the relation of `ext_id` carrying a value its XSD type cannot hold."""
    inner = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    marker = f"<ns:extRelationId>{ext_id}</ns:extRelationId>".encode()

    def spoil(block: re.Match[bytes]) -> bytes:
        text = block.group(0)
        return (
            text.replace(b"<ns:active>true</ns:active>", b"<ns:active>maybe</ns:active>")
            if marker in text
            else text
        )

    class Spoiling(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            sent = await request.aread()
            response = await inner.handle_async_request(request)
            body = await response.aread()
            if b"getRelations" in sent:
                body = _RELATION.sub(spoil, body)
            return httpx.Response(response.status_code, headers=response.headers, content=body)

    return Spoiling()


@contextmanager
def _runtime(h, ext_id: str | None) -> Iterator[Runtime]:  # noqa: ANN001
    afas_app, mplus_app = h.sims.apps()
    mplus = _unreadable(mplus_app, ext_id) if ext_id else httpx.ASGITransport(app=mplus_app)
    rt = Runtime.open(
        h.settings, simulators=h.sims, afas_transport=httpx.ASGITransport(app=afas_app), mplus_transport=mplus
    )
    try:
        yield rt
    finally:
        rt.close()


def test_a_debtor_whose_relation_reads_unreadable_is_not_created_twice(harness) -> None:  # noqa: ANN001
    h = harness(simulator={"articles": 20, "debtors": 8})
    debtor = h.afas.add_debtor(
        "P",
        first_name="Kees",
        last_name="Kassa",
        email="kees@kassa.nl",
        country="NL",
        street="Markt",
        house_number="2",
        zipcode="1234 AB",
        city="Utrecht",
    )
    with _runtime(h, None) as rt:  # the till made the relation itself, with the AFAS debtor id
        rt.portal.call(
            lambda: rt.mplus.create_relation(Relation(ext_relation_id=debtor.debtor_id, name="Kees"))
        )

    def relations_of_debtor() -> int:
        return sum(1 for r in h.mplus.relations.values() if r.get("extRelationId") == debtor.debtor_id)

    with _runtime(h, debtor.debtor_id) as rt:
        result = runner.run_flow(rt, FLOWS["customers"])
        assert result.status == "ok", result.error
        errors = rt.warehouse.query(
            "select record_key, field, message from transforms.errors_customers where field = 'relation'"
        )
    assert result.status == "ok" and result.write_calls > 0  # the other debtors arrive
    assert relations_of_debtor() == 1  # not a second relation
    assert [(e["record_key"], e["field"]) for e in errors] == [(debtor.debtor_id, "relation")]
    assert "active" in errors[0]["message"] and "at the till" in errors[0]["message"]

    # corrected at the till (it reads again): the debtor's relation is updated, still one
    with _runtime(h, None) as rt:
        rt.portal.call(
            lambda: rt.mplus.update_relation(
                Relation(
                    relation_number=next(
                        n for n, r in h.mplus.relations.items() if r.get("extRelationId") == debtor.debtor_id
                    ),
                    name="Kees",
                    active=True,
                )
            )
        )
        runner.run_flow(rt, FLOWS["customers"])
        again = runner.run_flow(rt, FLOWS["customers"])
        left = rt.warehouse.query(
            "select count(*) as n from transforms.errors_customers where field = 'relation'"
        )
    assert relations_of_debtor() == 1 and left[0]["n"] == 0 and again.write_calls == 0
