"""The prerequisites check: everything a sync needs, verified before the first one runs.

Each check says what it looked at, whether it is fine, and what to do when it is not:
AFAS reachable and the token accepted, every GetConnector and UpdateConnector granted by the
App Connector, the custom GetConnectors carrying the columns the SQL reads, MplusKASSA
reachable, the mapped branches, VAT codes, price groups and payment methods present, and the
user's SQL expressions valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from afas_mplus import steps
from afas_mplus.flows import FLOWS
from afas_mplus.required_columns import afas_reads, missing_columns
from afas_mplus.steps import bind_user_expressions
from connectors.afas.errors import AfasError
from connectors.mplus.errors import MplusError
from pipelines.afas.resources import catalog, resources_from_config
from transforms.errors import ParameterError
from transforms.expressions import validate_expression

if TYPE_CHECKING:
    from afas_mplus.runtime import Runtime

UPDATE_CONNECTORS = (
    "KnSalesRelationOrg",
    "KnSalesRelationPer",
    "FbSales",
    "FbSalesQuotation",
    "FbDirectInvoice",
    "FiEntries",
)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: bool = False  # a warning does not fail the check run


def run_checks(rt: Runtime) -> list[Check]:
    checks: list[Check] = []
    checks += _settings_checks(rt)
    checks += _afas_checks(rt)
    checks += _mplus_checks(rt)
    return checks


def _settings_checks(rt: Runtime) -> list[Check]:
    s = rt.settings
    out = []
    valid = set()
    for name, expr in (
        ("products.article_filter", s.products.article_filter),
        ("customers.debtor_filter", s.customers.debtor_filter),
        ("orders.status_filter", s.orders.status_filter),
    ):
        try:
            validate_expression(expr, parameter=name)
            valid.add(name)
        except ParameterError as exc:
            out.append(Check(f"setting {name}", False, str(exc), "Write a single SQL boolean expression."))
    # Bound against the staged columns: a filter naming a column the data does not have fails here, not in
    # the middle of a sync.
    bound: dict[str, tuple[str, str | None]] = {}
    for flow in FLOWS.values():
        for setting, model, problem in bind_user_expressions(rt, flow):
            if setting in valid and (setting not in bound or problem):
                bound[setting] = (model, problem)
    for name in sorted(valid):
        expr = getattr(getattr(s, name.split(".")[0]), name.split(".")[1])
        if name not in bound:
            out.append(
                Check(
                    f"setting {name}",
                    False,
                    f"{expr} (not bound yet: nothing staged; run "
                    f"`afas-mplus sync --dry-run`, then check again)",
                    warning=True,
                )
            )
            continue
        model, problem = bound[name]
        out.append(
            Check(
                f"setting {name}",
                problem is None,
                expr if problem is None else f"{expr}: {problem}",
                ""
                if problem is None
                else f"Correct the expression: it must use the columns model {model} "
                f"reads (see the candidates named).",
            )
        )
    return out


def _afas_checks(rt: Runtime) -> list[Check]:
    out: list[Check] = []
    conns = rt.settings.afas.connectors
    try:
        version = rt.portal.call(rt.afas.profit_version)
        meta = rt.portal.call(rt.afas.metainfo)
    except AfasError as exc:
        return [
            Check(
                "AFAS reachable",
                False,
                str(exc),
                "Check afas.base_url and the token (AFAS_TOKEN); AFAS answers 401 for a bad token and 403 "
                "when the App Connector's IP restriction excludes this machine.",
            )
        ]
    out.append(Check("AFAS reachable", True, f"Profit {version}"))
    granted_get = {c["id"] for c in meta.get("getConnectors", [])}
    granted_upd = {c["id"] for c in meta.get("updateConnectors", [])}
    out += _column_checks(rt, granted_get)
    document_types = {rt.settings.orders.document_type, rt.settings.orders.invoice_type}
    standards = [conns.article_groups, conns.warehouses]
    if "FiEntries" in document_types:  # a financial entry is looked up there before it is ever sent again
        standards.append(conns.transactions)
    for standard in standards:
        out.append(
            Check(
                f"AFAS GetConnector {standard}",
                standard in granted_get,
                "granted" if standard in granted_get else "not granted",
                "" if standard in granted_get else "Add it to the App Connector.",
            )
        )
    for upd in UPDATE_CONNECTORS:
        ok = upd in granted_upd
        needed = upd not in ("FbSalesQuotation", "FbDirectInvoice", "FiEntries") or upd in document_types
        out.append(
            Check(
                f"AFAS UpdateConnector {upd}",
                ok or not needed,
                "granted" if ok else "not granted",
                "" if ok else "Add it to the App Connector (needed by the orders flow).",
                warning=not ok and not needed,
            )
        )
    return out


def _column_checks(rt: Runtime, granted_get: set[str]) -> list[Check]:
    """Per GetConnector the flows read: granted, and every column the SQL reads present (derived from the SQL,
    after the user's mappings: afas_mplus.required_columns)."""
    s = rt.settings
    known = catalog(resources_from_config(s.afas.extra_connectors))
    ids = s.afas.connectors.model_dump(exclude={"columns"})
    reads = afas_reads(s)
    tables = dict.fromkeys([*(r for f in FLOWS.values() for r in steps.afas_resources_of(s, f)), *reads])
    by_connector: dict[str, list[str]] = {}
    for table in tables:
        if table in known:
            by_connector.setdefault(known[table].connector_id(ids), []).append(table)
    out: list[Check] = []
    for connector, names in by_connector.items():
        resource = known[names[0]]
        if connector not in granted_get:
            where = (
                f"set afas.connectors.{resource.connector} to the id your admin gave it"
                if resource.from_setting
                else "correct afas.extra_connectors"
            )
            out.append(
                Check(
                    f"AFAS GetConnector {connector}",
                    False,
                    "not granted by the App Connector",
                    f"Install {connector} (docs/custom-connectors.md) and add it to the App Connector, "
                    f"or {where}; or map the models that read it (mapping.folder).",
                )
            )
            continue
        fields = {f["id"] for f in rt.portal.call(rt.afas.metainfo_get, connector).get("fields", [])}
        missing = list(
            {
                m.column: m
                for t in reversed(names)  # one per column: the table models read first
                for m in missing_columns(s, t, fields, reads.get(t, {}))
            }.values()
        )
        for m in missing:
            out.append(
                Check(
                    f"AFAS GetConnector {connector} column {m.column}",
                    False,
                    f"read by model {', '.join(m.models)}, missing from the connector",
                    m.fix(),
                )
            )
        if not missing:
            count = len({c for t in names for c in reads.get(t, {})})
            out.append(
                Check(f"AFAS GetConnector {connector}", True, f"all {count} columns the SQL reads present")
            )
    return out


def _mplus_checks(rt: Runtime) -> list[Check]:
    s = rt.settings
    out: list[Check] = []
    try:
        version = rt.portal.call(rt.mplus.get_api_version)
        branches = rt.portal.call(rt.mplus.get_branches)
        vat = rt.portal.call(rt.mplus.get_vat_groups)
        groups = rt.portal.call(rt.mplus.get_price_groups)
        methods = rt.portal.call(rt.mplus.get_payment_methods)
    except MplusError as exc:
        return [
            Check(
                "MplusKASSA reachable",
                False,
                str(exc),
                "Check mplus.base_url (with its port), MPLUS_IDENT and MPLUS_SECRET.",
            )
        ]
    out.append(Check("MplusKASSA reachable", True, _version(version)))
    known_branches = {b.branch_number for b in branches}
    for wh, branch in sorted(s.stock.warehouse_branches.items()):
        ok = branch in known_branches
        out.append(
            Check(
                f"branch for warehouse {wh}",
                ok,
                f"branch {branch}" + ("" if ok else " does not exist"),
                ""
                if ok
                else f"Map warehouse {wh} to one of the branches {sorted(known_branches)} in "
                f"stock.warehouse_branches.",
            )
        )
    codes = {v.vat_code for v in vat}
    for group, code in sorted(s.products.vat_codes.items()):
        ok = code in codes
        out.append(
            Check(
                f"VAT code for AFAS group {group}",
                ok,
                f"vatCode {code}" + ("" if ok else " not configured"),
                "" if ok else f"Use one of {sorted(codes)} in products.vat_codes.",
            )
        )
    numbers = {g.price_group_number for g in groups}
    for price_list, group in sorted(s.prices.price_list_groups.items()):
        ok = group in numbers
        out.append(
            Check(
                f"price group for AFAS price list {price_list}",
                ok,
                f"price group {group}",
                ""
                if ok
                else f"Create price group {group} in MplusKASSA or map {price_list} to one of "
                f"{sorted(numbers)} in prices.price_list_groups.",
            )
        )
    unmapped = _afas_price_lists(rt) - set(s.prices.price_list_groups)
    for price_list in sorted(unmapped):
        out.append(
            Check(
                f"AFAS price list {price_list}",
                False,
                "no MplusKASSA price group mapped",
                f"Add {price_list} to prices.price_list_groups; until then its rows are error rows.",
                warning=True,
            )
        )
    method_codes = {m.method for m in methods} if methods and hasattr(methods[0], "method") else set()
    for method in sorted(set(s.orders.payment_methods) | set(s.orders.payment_conditions)):
        if method_codes:
            ok = method in method_codes
            out.append(
                Check(
                    f"payment method {method}",
                    ok,
                    "known" if ok else "unknown in MplusKASSA",
                    ""
                    if ok
                    else "Remove it from orders.payment_methods / orders.payment_conditions or fix its code.",
                    warning=not ok,
                )
            )
    return out


def _afas_price_lists(rt: Runtime) -> set[str]:
    # After a first extract the staged rows answer this without reading AFAS again.
    if rt.warehouse.table_exists("staging", "afas_price_list_rows"):
        return {
            str(r["price_list"])
            for r in rt.warehouse.query(
                "select distinct price_list from staging.afas_price_list_rows where price_list is not null"
            )
        }
    try:
        rows = rt.portal.call(
            lambda: rt.afas.get_all(rt.settings.afas.connectors.price_list_rows, order_by=["PriceList"])
        )
    except AfasError:
        return set()
    return {str(r.get("PriceList")) for r in rows if r.get("PriceList")}


def _version(v: Any) -> str:
    shown = getattr(v, "service_version_display_string", None)
    return f"QAPI {shown}" if shown else str(v)[:120]
