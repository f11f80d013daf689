"""What the AFAS extract loads, as data: one `AfasResource` per staging table, no code per connector.

Every column of the GetConnector is staged, typed from its metainfo (pipelines.afas.hints), under dlt's
snake_case name (`ItemCode` -> `item_code`). `AFAS_RESOURCES` are the tables the flows read; users add
their own with `resources_from_config` (the `afas.extra_connectors` setting), e.g.

    [{"name": "afas_item_prices", "connector": "Profit_Item_Prices", "key": ["ItemCode", "PriceList"],
      "incremental": "ModifiedDate"}]

A value that does not fit its column (see pipelines.arrow) is a row in `staging.extract_errors`; what
happens to its row is `bad_values`: `skip_row` (default for merge resources: staging keeps the record's
last good version, so nothing downstream reads a half-converted record, and the till keeps what it has) or
`null_value` (default for replace resources, which hold no earlier version: the record stays present with
that one field NULL, so e.g. an order read back from AFAS is still found and never sent twice).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

WriteDisposition = Literal["merge", "replace"]
BadValues = Literal["skip_row", "null_value"]
DLT_TYPES = ("text", "bigint", "decimal", "double", "bool", "timestamp", "date")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")


class AfasResourceError(ValueError):
    """A resource declaration that cannot work: the message names the resource and the fix."""


@dataclass(frozen=True)
class AfasResource:
    """One GetConnector loaded into `staging.<name>`."""

    name: str  # the staging table
    connector: str  # the GetConnector id; with from_setting, the field of settings.afas.connectors holding it
    key: tuple[str, ...]  # primary key columns (our names, before dlt's snake_case)
    incremental: str | None = None  # cursor column: read only what changed since the last run (with overlap)
    order_by: tuple[str, ...] = ()  # AFAS sort, for stable pages; default: the key (or derived_key)
    keyset: str | None = None  # a unique column to page by (`> last value`), as AFAS advises above ~100k rows
    key_sweep: bool = (
        False  # read all keys (when due): drop staged rows AFAS deleted, load rows staging lacks
    )
    date_columns: tuple[str, ...] = ()  # dates without a time of day (validity dates): staged as DATE
    write_disposition: WriteDisposition | None = None  # default: merge when incremental, else replace
    derived_key: tuple[str, ...] = ()  # key[0] is a text joining these columns (a merge key holds no NULL)
    keys_of: str | None = (
        None  # a key scan: stage only `key`; rows of these keys that `keys_of` lacks are fetched
    )
    bad_values: BadValues | None = None  # see the module docstring; default from the write disposition
    types: Mapping[str, str] = field(default_factory=dict)  # column -> dlt data_type, over the metainfo's
    from_setting: bool = False

    @property
    def disposition(self) -> WriteDisposition:
        return self.write_disposition or ("merge" if self.incremental else "replace")

    @property
    def keep_bad_rows(self) -> bool:
        return (
            self.bad_values or ("skip_row" if self.disposition == "merge" else "null_value")
        ) == "null_value"

    @property
    def order(self) -> tuple[str, ...]:
        return self.order_by or self.derived_key or self.key

    @property
    def read_columns(self) -> tuple[str, ...]:
        """Columns AFAS must send for the key (the derived key's parts, or the key itself)."""
        return self.derived_key or self.key

    def connector_id(self, connector_ids: Mapping[str, str]) -> str:
        if not self.from_setting:
            return self.connector
        if self.connector not in connector_ids:
            raise AfasResourceError(f"{self.name}: no connector id for '{self.connector}' in afas.connectors")
        return connector_ids[self.connector]

    def check(self) -> AfasResource:
        """The declaration itself is consistent (the connector's fields are checked against its metainfo)."""
        problems: list[str] = []
        if not _NAME.fullmatch(self.name):
            problems.append("name must be lower case letters, digits and _ (it names a staging table)")
        if not self.connector:
            problems.append("connector is empty")
        if not self.key or any(not k for k in self.key):
            problems.append("key needs at least one column")
        if self.derived_key and len(self.key) != 1:
            problems.append("a derived key is one column: key must name exactly one")
        if self.incremental and self.disposition != "merge":
            problems.append("an incremental resource merges: write_disposition must be merge")
        if self.disposition not in ("merge", "replace"):
            problems.append("write_disposition must be merge or replace")
        if self.bad_values not in (None, "skip_row", "null_value"):
            problems.append("bad_values must be skip_row or null_value")
        if self.key_sweep and len(self.key) != 1:
            problems.append("a key sweep needs a one-column key: join several columns with derived_key")
        if self.keys_of and (self.incremental or self.key_sweep):
            problems.append("a key scan (keys_of) reads every key each run: no incremental, no key_sweep")
        for column, kind in self.types.items():
            if kind not in DLT_TYPES:
                problems.append(f"types.{column} must be one of {', '.join(DLT_TYPES)}")
        if problems:
            raise AfasResourceError(f"AFAS resource {self.name or '?'}: {'; '.join(problems)}")
        return self

    def required_columns(self) -> tuple[str, ...]:
        """Columns the connector must have (checked against its metainfo before anything is read)."""
        wanted = [
            *self.read_columns,
            *self.order,
            *self.date_columns,
            self.incremental or "",
            self.keyset or "",
        ]
        return tuple(dict.fromkeys(c.lstrip("-") for c in wanted if c))


def _builtin(name: str, setting: str, key: tuple[str, ...], **kw: Any) -> AfasResource:
    return AfasResource(name, setting, key, from_setting=True, **kw)


MODIFIED = "ModifiedDate"
PRICE_ROW_KEY = ("PriceList", "ItemCode", "FromQuantity", "ValidFrom")
# ItemCode or DiscountGroup is empty by design: a merge key must not contain NULLs, so the key is one text.
AGREEMENT_KEY = ("DebtorId", "ItemCode", "DiscountGroup", "FromQuantity", "ValidFrom")
VALIDITY = ("ValidFrom", "ValidTo")

# The tables the flows read (afas_mplus.flows names them). Key sweeps: price list rows and agreements are
# rows AFAS users delete, and their removal must reach the till; an incremental read never sees a deletion.
# Measured on the stand-in at 200k price rows, per run: `replace` ~55 s (dlt loads every row again); the
# incremental read plus the in-place sweep ~5.5 s, of which ~4 s is reading the connector (AFAS cannot
# narrow a GetConnector to its key columns).
AFAS_RESOURCES: tuple[AfasResource, ...] = (
    _builtin("afas_articles", "articles", ("ItemCode",), incremental=MODIFIED, keyset="ItemCode"),
    # Incremental reads never see a deleted item: this key scan does (products.detect_deleted), and it finds
    # items whose ModifiedDate is older than the cursor (their rows are then fetched by key).
    _builtin("afas_article_keys", "articles", ("ItemCode",), keyset="ItemCode", keys_of="afas_articles"),
    _builtin("afas_item_attributes", "item_attributes", ("ItemCode", "AttributeCode"), incremental=MODIFIED),
    _builtin("afas_item_features", "item_features", ("ItemCode", "FeatureCode"), incremental=MODIFIED),
    _builtin("afas_article_groups", "article_groups", ("Artikelgroep",)),
    _builtin("afas_stock", "stock", ("ItemCode", "Warehouse"), incremental=MODIFIED),
    _builtin("afas_warehouses", "warehouses", ("Warehouse",)),
    # key_sweep: a debtor deleted in AFAS leaves staging and, through the extract's on_removed, every derived
    # table (GDPR: afas_mplus.forget), and its MplusKASSA relation is deactivated or anonymised.
    _builtin(
        "afas_debtors", "debtors", ("DebtorId",), incremental=MODIFIED, keyset="DebtorId", key_sweep=True
    ),
    _builtin(
        "afas_price_list_rows",
        "price_list_rows",
        ("PriceRowKey",),
        incremental=MODIFIED,
        order_by=("PriceList", "ItemCode", "FromQuantity"),
        key_sweep=True,
        date_columns=VALIDITY,
        derived_key=PRICE_ROW_KEY,
    ),
    _builtin(
        "afas_debtor_agreements",
        "debtor_agreements",
        ("AgreementKey",),
        incremental=MODIFIED,
        order_by=("DebtorId", "ItemCode", "FromQuantity"),
        key_sweep=True,
        date_columns=VALIDITY,
        derived_key=AGREEMENT_KEY,
    ),
    # Read back to find orders already in AFAS (CustomerReference = MplusKASSA order id).
    _builtin("afas_sales_orders", "sales_orders", ("OrderNumber",)),
)

_CONFIG_FIELDS = tuple(f.name for f in fields(AfasResource) if f.name != "from_setting")


def resource_from_config(item: Mapping[str, Any]) -> AfasResource:
    """One user declaration (a mapping as in the settings file) as a checked `AfasResource`."""
    label = item.get("name", "?") if isinstance(item, Mapping) else "?"
    if not isinstance(item, Mapping):
        raise AfasResourceError(f"AFAS resource {label}: expected a mapping with name, connector and key")
    unknown = sorted(set(item) - set(_CONFIG_FIELDS))
    if unknown:
        raise AfasResourceError(
            f"AFAS resource {label}: unknown field(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(_CONFIG_FIELDS)}"
        )
    missing = [f for f in ("name", "connector", "key") if not item.get(f)]
    if missing:
        raise AfasResourceError(f"AFAS resource {label}: {', '.join(missing)} missing")
    values = dict(item)
    for name in ("key", "order_by", "date_columns", "derived_key"):
        if name in values:
            values[name] = _columns(values[name])
    values["types"] = dict(values.get("types") or {})
    return AfasResource(**values).check()


def resources_from_config(items: Iterable[Mapping[str, Any]]) -> tuple[AfasResource, ...]:
    """User declarations as resources; a name twice, or a built-in's name, is refused."""
    out = tuple(resource_from_config(item) for item in items)
    taken = {r.name for r in AFAS_RESOURCES}
    for r in out:
        if r.name in taken:
            raise AfasResourceError(
                f"AFAS resource {r.name}: the name is taken (built-in or declared twice); "
                "choose another staging table name"
            )
        taken.add(r.name)
    return out


def catalog(extra: Sequence[AfasResource] = ()) -> dict[str, AfasResource]:
    """Every resource by name: the built-ins and the user's."""
    return {r.name: r for r in (*AFAS_RESOURCES, *extra)}


def select(names: Sequence[str], extra: Sequence[AfasResource] = ()) -> list[AfasResource]:
    known = catalog(extra)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise AfasResourceError(f"unknown AFAS resource(s) {', '.join(unknown)}; known: {', '.join(known)}")
    chosen = [known[n] for n in dict.fromkeys(names)]
    for r in chosen:
        target = known.get(r.keys_of or "")
        if r.keys_of and (target is None or (target.connector, target.key) != (r.connector, r.key)):
            raise AfasResourceError(
                f"AFAS resource {r.name}: keys_of must name a resource of the same connector and key"
            )
    return chosen


def with_connector(resource: AfasResource, connector_ids: Mapping[str, str]) -> AfasResource:
    """The resource with its connector id resolved from the settings."""
    return replace(resource, connector=resource.connector_id(connector_ids), from_setting=False)


def _columns(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)
