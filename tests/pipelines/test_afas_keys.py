"""Reading rows by key: as many keys per call as AFAS's 2049-character query limit allows, never more."""

from __future__ import annotations

import pytest

from connectors.afas.client import AfasClient
from connectors.afas.errors import AfasQueryTooLong
from pipelines.afas.helpers import key_batches, key_filter, query_chars


@pytest.mark.parametrize(
    "codes",
    [
        [f"{n:05d}" for n in range(1000)],
        [f"IMPORTED-LONG-ITEM-CODE-{n:05d}" for n in range(500)],
        [f"Jurk, rood; maat {n}" for n in range(200)],  # , and ; force filterjson, whose keys cost far more
        [f"Ærø ü é {n}" for n in range(300)],  # percent-encoded: several characters per letter
    ],
)
def test_each_batch_fits_the_limit_and_together_they_hold_every_key_once(codes: list[str]) -> None:
    keys = [(c,) for c in codes]
    batches = list(key_batches(["ItemCode"], keys, ["ItemCode"], take=1000))
    assert [k for batch in batches for k in batch] == keys
    client = AfasClient("https://12345.rest.afas.online/ProfitRestServices", "t" * 64, page_size=1000)

    def client_query(keys: list[tuple[str]]) -> str:
        url = client._get_url(
            "Sync_Articles", skip=0, take=1000, filters=key_filter(["ItemCode"], keys), order_by=["ItemCode"]
        )
        return url.split("?", 1)[1]

    for batch in batches:  # our estimate is the client's query string, which fits
        assert query_chars(key_filter(["ItemCode"], batch), ["ItemCode"], 1000) == len(client_query(batch))
    for batch, following in zip(
        batches, batches[1:], strict=False
    ):  # and a batch is full: one more is too long
        with pytest.raises(AfasQueryTooLong):
            client_query([*batch, following[0]])


def test_a_composite_key_is_one_and_group_per_key_and_an_empty_part_matches_empty() -> None:
    flt = key_filter(["DebtorId", "DiscountGroup"], [("20001", None), ("20002", "KG1")])
    assert str(flt) == (
        "(DebtorId EQ '20001' AND DiscountGroup EMPTY '') OR (DebtorId EQ '20002' AND DiscountGroup EQ 'KG1')"
    )
