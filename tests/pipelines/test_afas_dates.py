"""AFAS dates in staging: a column converts in Arrow at once, with exactly parse_afas_datetime's answers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from connectors.afas.dates import AMSTERDAM, parse_afas_date, parse_afas_datetime
from pipelines.afas.helpers import AFAS_PARSERS, afas_dates, afas_timestamps
from pipelines.arrow import typed_page

STAMP = {"Modified": {"data_type": "timestamp", "timezone": True}}
DAY = {"ValidTo": {"data_type": "date"}}


def staged(values: list[object], hints: dict) -> list[object]:
    name = next(iter(hints))
    page = typed_page([{name: v} for v in values], hints, parsers=AFAS_PARSERS)
    assert page.bad == []
    return page.table.column(name).to_pylist()


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-01T10:00:00Z",  # winter: UTC+1
        "2025-07-01T10:00:00Z",  # summer: UTC+2
        "2026-10-25T02:30:00Z",  # the autumn hour that occurs twice: the first (summer time), as AFAS means it
        "2025-03-01T10:00:00",
        "2025-03-01T10:00:00.250Z",
        "2025-03-01",
    ],
)
def test_the_column_path_gives_the_one_by_one_answer(text: str) -> None:
    assert afas_timestamps([text]) is not None  # the fast path took it
    expected = parse_afas_datetime(text)
    assert expected is not None
    assert staged([text, None], STAMP) == [expected.astimezone(UTC), None]


@pytest.mark.parametrize("text", ["2026-03-29T02:30:00Z", "2025-03-01T10:00:00+01:00"])
def test_values_arrow_does_not_take_are_parsed_one_by_one(text: str) -> None:
    # a spring hour that does not exist, an explicit offset: parse_afas_datetime decides
    assert afas_timestamps([text]) is None
    expected = parse_afas_datetime(text)
    assert expected is not None
    assert staged([text], STAMP) == [expected.astimezone(UTC)]


def test_the_autumn_hour_is_summer_time() -> None:
    (value,) = staged(["2026-10-25T02:30:00Z"], STAMP)
    assert value == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert value.astimezone(AMSTERDAM).utcoffset().total_seconds() == 7200


@pytest.mark.parametrize("text", ["2025-12-31T00:00:00Z", "2025-12-31", "2024-02-29T23:30:00Z"])
def test_a_date_column_keeps_the_local_calendar_date(text: str) -> None:
    assert afas_dates([text]) is not None
    assert staged([text], DAY) == [parse_afas_date(text)]


@pytest.mark.parametrize(
    ("hints", "value"),
    [
        (STAMP, "not-a-date"),
        (STAMP, "2025-02-30T10:00:00Z"),
        (STAMP, 20250101),
        (DAY, "31-12-2025"),
        (DAY, "2025-02-29"),
    ],
)
def test_a_value_that_is_no_date_is_a_bad_value_and_the_others_load(hints: dict, value: object) -> None:
    name = next(iter(hints))
    rows = [{"Key": "1", name: "2025-06-01T00:00:00Z"}, {"Key": "2", name: value}]
    page = typed_page(rows, {"Key": {"data_type": "text"}, **hints}, key=("Key",), parsers=AFAS_PARSERS)
    assert [(b.record_key, b.field, b.value) for b in page.bad] == [("2", name, value)]
    first, second = page.table.column(name).to_pylist()
    assert second is None
    assert first in (date(2025, 6, 1), datetime(2025, 5, 31, 22, 0, tzinfo=UTC))
