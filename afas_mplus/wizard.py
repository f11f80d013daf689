"""The setup wizard (`afas-mplus init`): a few questions, answered from what both systems hold.

It connects first (the stand-ins when no endpoints are given), then proposes mappings from live
data: AFAS warehouses to MplusKASSA branches, AFAS VAT groups to MplusKASSA VAT codes, every AFAS
price list (in the price rows and on debtors) to a price group. A proposal is the current setting
(the built-in default on a fresh install) wherever the live data still has what it names, else a
match by name, else "not synced": accepting every proposal on data that matches the defaults gives
exactly the default mapping, so the first sync after `init` plans nothing the defaults would not.

An answer that is not valid (`abc` for a branch, a branch MplusKASSA does not have, a filter that
is not one SQL expression) is asked again, earlier answers kept. ctrl-C or the end of the input
stops the wizard with `WizardCancelled` before anything is written; the file is written whole
(temporary file, then renamed) and holds no secrets (AFAS_TOKEN, MPLUS_IDENT, MPLUS_SECRET belong
in the environment). The CLI then runs the prerequisites check.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import yaml

from afas_mplus.runtime import Runtime
from afas_mplus.settings import Settings
from afas_mplus.wizard_data import (
    NONE,
    LiveData,
    propose_branch,
    propose_price_group,
    propose_vat_code,
    read_live_data,
)
from staging.warehouse import Warehouse
from transforms.errors import ParameterError
from transforms.expressions import validate_expression

Ask = Callable[[str, str], str]  # (question, default) -> answer; "" means the default
OpenRuntime = Callable[[Settings], AbstractContextManager[Runtime]]
T = TypeVar("T")

EXIT_CANCELLED = 130  # the shell's code for ctrl-C
DOCUMENT_TYPES = ["FbSales", "FbSalesQuotation", "FbDirectInvoice", "FiEntries"]
STOCK_CALCULATIONS = ["available_minus_reserved", "physical", "available", "economic"]


class WizardCancelled(SystemExit):
    """ctrl-C or end of input: the one line to show; nothing was written.

    A SystemExit carrying its message, so a caller that knows nothing of it still ends with that one
    line and no traceback; the CLI catches it first to exit with EXIT_CANCELLED."""


def prompt(question: str, default: str) -> str:
    answer = input(f"{question} [{default}]: ").strip()
    return answer or default


@contextmanager
def open_runtime(settings: Settings) -> Iterator[Runtime]:
    """The APIs only: an in-memory warehouse, so the wizard neither needs nor locks the staging file."""
    warehouse = Warehouse()
    try:
        with Runtime.open(settings, warehouse=warehouse) as rt:
            yield rt
    finally:
        warehouse.close()


def run_wizard(
    settings: Settings, target: Path, ask: Ask = prompt, *, connect: OpenRuntime = open_runtime
) -> dict[str, Any]:
    """Ask, then write `target`; returns the written config. Raises `WizardCancelled` on ctrl-C / EOF."""
    try:
        config = _interview(settings, ask, connect)
    except (KeyboardInterrupt, EOFError):
        raise WizardCancelled(f"setup cancelled: {target} was not written") from None
    _write_whole(target, yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    print(f"Wrote {target}. Put the secrets in the environment, never in this file:")
    print("  export AFAS_TOKEN=...  MPLUS_IDENT=...  MPLUS_SECRET=...")
    print("Then run `afas-mplus check`, and `afas-mplus plan products` to see what a first sync would send.")
    return config


def _interview(settings: Settings, ask: Ask, connect: OpenRuntime) -> dict[str, Any]:
    config: dict[str, Any] = {}
    print(
        "AFAS Profit ↔ MplusKASSA setup. Leave the endpoints empty to try everything on the built-in stand-ins."
    )
    afas_url = _ask_parsed(
        ask,
        "AFAS REST base URL (https://<env>.rest.afas.online/ProfitRestServices)",
        settings.afas.base_url or "",
        _url,
    )
    mplus_url = _ask_parsed(
        ask, "MplusKASSA API URL (https://api.mpluskassa.nl:<port>)", settings.mplus.base_url or "", _url
    )
    if afas_url:
        config["afas"] = {"base_url": afas_url}
    if mplus_url:
        config["mplus"] = {"base_url": mplus_url}
    live_settings = settings.model_copy(
        update={
            "afas": settings.afas.model_copy(update={"base_url": afas_url or None}),
            "mplus": settings.mplus.model_copy(update={"base_url": mplus_url or None}),
        }
    )
    with connect(live_settings) as rt:
        live = read_live_data(rt, live_settings)
    for note in live.notes:
        print(f"  note: {note}")

    config["stock"] = {
        "warehouse_branches": _ask_branches(ask, settings, live),
        "calculation": _choose(ask, "Stock calculation", STOCK_CALCULATIONS, settings.stock.calculation),
    }
    config["products"] = {
        "vat_codes": _ask_vat_codes(ask, settings, live),
        "article_filter": _ask_parsed(
            ask,
            "Which AFAS articles go to the till? (SQL over a.*)",
            settings.products.article_filter,
            _expression("products.article_filter"),
        ),
    }
    config["prices"] = {"price_list_groups": _ask_price_lists(ask, settings, live)}
    config["orders"] = {
        "document_type": _choose(ask, "Orders go to AFAS as", DOCUMENT_TYPES, settings.orders.document_type),
        "status_filter": _ask_parsed(
            ask,
            "Which orders are sent? (SQL over o.*)",
            settings.orders.status_filter,
            _expression("orders.status_filter"),
        ),
        "default_debtor": _ask_parsed(
            ask,
            f"AFAS debtor for orders without a customer ({NONE} = none)",
            settings.orders.default_debtor or NONE,
            _optional_text,
        ),
    }
    return config


# --- questions -----------------------------------------------------------------------------------------


def _ask_branches(ask: Ask, settings: Settings, live: LiveData) -> dict[str, int]:
    print(
        "MplusKASSA branches: "
        + (", ".join(f"{n} {name}".strip() for n, name in live.branches.items()) or "none found")
    )
    configured = settings.stock.warehouse_branches
    for wh in sorted(set(configured) - set(live.warehouses)):
        print(f"  note: warehouse {wh} (stock.warehouse_branches) is not in AFAS's warehouses; left out")
    parse = _number_in(sorted(live.branches), "a branch number", optional=True)
    mapping: dict[str, int] = {}
    for wh, description in live.warehouses.items():
        label = f"{wh} ({description})" if description else wh
        answer = _ask_parsed(
            ask,
            f"Branch for AFAS warehouse {label} ({NONE} = not synced)",
            propose_branch(wh, description, configured, live.branches),
            parse,
        )
        if answer is not None:
            mapping[wh] = answer
    return mapping


def _ask_vat_codes(ask: Ask, settings: Settings, live: LiveData) -> dict[str, int]:
    known = ", ".join(f"{code} = {pct}%" for code, pct in sorted(live.vat_rates.items()))
    parse = _number_in(sorted(live.vat_rates), "a VAT code", optional=False)
    configured = settings.products.vat_codes
    codes: dict[str, int] = {}
    for group in _merged(live.vat_groups, configured):
        proposal = propose_vat_code(group, configured, live.vat_rates)
        codes[group] = _ask_parsed(
            ask, f"MplusKASSA VAT code for AFAS VAT group {group} (known: {known})", proposal, parse
        )
    return codes


def _ask_price_lists(ask: Ask, settings: Settings, live: LiveData) -> dict[str, int]:
    known = ", ".join(f"{n} {d or ''}".strip() for n, d in sorted(live.price_groups.items())) or "none found"
    parse = _number_in(sorted(live.price_groups), "a price group number", optional=True)
    configured = settings.prices.price_list_groups
    mapping: dict[str, int] = {}
    for pl in _merged(live.price_lists, configured):
        description = live.price_lists.get(pl, "")
        label = f"{pl} ({description})" if description else pl
        unseen = "" if pl in live.price_lists or not live.price_lists else ", not in AFAS's data now"
        answer = _ask_parsed(
            ask,
            f"MplusKASSA price group for AFAS price list {label}{unseen} (known: {known}; {NONE} = none, its "
            f"rows become error rows)",
            propose_price_group(pl, description, configured, live.price_groups),
            parse,
        )
        if answer is not None:
            mapping[pl] = answer
    return mapping


def _choose(ask: Ask, question: str, options: list[str], default: str) -> str:
    def parse(answer: str) -> str:
        if answer not in options:
            raise ValueError(f"please answer one of: {', '.join(options)}")
        return answer

    return _ask_parsed(ask, f"{question} ({' / '.join(options)})", default, parse)


def _ask_parsed(ask: Ask, question: str, default: str, parse: Callable[[str], T]) -> T:
    """Ask until `parse` accepts the answer; its ValueError is the one line telling what to answer."""
    while True:
        answer = ask(question, default).strip() or default
        try:
            return parse(answer)
        except ValueError as exc:
            print(f"  {exc}")


def _number_in(known: Sequence[int], what: str, *, optional: bool) -> Callable[[str], int | None]:
    listed = ", ".join(str(n) for n in known)
    alternatives = f"{listed}, or {NONE} for none" if optional else listed

    def parse(answer: str) -> int | None:
        if optional and answer.lower() in (NONE, "none"):
            return None
        if not re.fullmatch(r"\d+", answer):
            raise ValueError(
                f"{answer!r} is not {what}; answer one of {alternatives}"
                if answer
                else f"please answer {what}: one of {alternatives}"
            )
        number = int(answer)
        if known and number not in known:
            raise ValueError(f"{number} is not one of MplusKASSA's; answer one of {alternatives}")
        return number

    return parse


def _url(answer: str) -> str:
    if answer.lower() in (NONE, "none"):
        return ""  # back to the stand-ins
    if answer and not re.match(r"https?://[^\s/]+", answer):
        raise ValueError(
            f"{answer!r} is not a URL: start it with https:// (or leave it empty for the stand-ins)"
        )
    return answer.rstrip("/")


def _optional_text(answer: str) -> str | None:
    return None if answer in (NONE, "") else answer


def _expression(parameter: str) -> Callable[[str], str]:
    def parse(answer: str) -> str:
        try:
            validate_expression(answer, parameter=parameter, model="settings")
        except ParameterError as exc:
            where = f" (line {exc.line}, column {exc.col})" if exc.line is not None else ""
            raise ValueError(f"{exc.message}{where}; give one SQL condition, e.g. the default") from None
        return answer

    return parse


def _merged(live: Sequence[str] | dict[str, str], configured: dict[str, int]) -> list[str]:
    """Live values in order, then configured ones the data does not show (kept, so a re-run of `init`
    does not silently drop a mapping of a list that is just unused today)."""
    return list(dict.fromkeys([*live, *sorted(configured)]))


def _write_whole(target: Path, text: str) -> None:
    """A temporary file beside the target, renamed over it: an interrupted write leaves the old file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
