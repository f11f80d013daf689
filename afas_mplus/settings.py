"""All configuration in one place: a YAML file plus environment variables.

Precedence (highest first): constructor arguments, environment (`AFAS_TOKEN`, `MPLUS_IDENT`,
`PRODUCTS_ARTICLE_FILTER`, ...: section name, underscore, field), the YAML file
(`afas-mplus.yaml` in the working directory, or the path in `AFAS_MPLUS_CONFIG`), defaults.
No configured endpoints means the embedded stand-ins.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

# The YAML file `afas_mplus.config.load_settings` validated and is constructing from (else AFAS_MPLUS_CONFIG).
CONFIG_FILE: ContextVar[Path | None] = ContextVar("afas_mplus_config_file", default=None)

# The stand-ins' demo credentials; only ever used against the embedded simulators.
DEMO_AFAS_TOKEN = "5E8C0B8A1F2D4C6E9A7B3D5F1E2C4A6B8D0F2E4C6A8B0D2F4E6A8C0B2D4F6E8A"
DEMO_MPLUS_IDENT = "demo-shop"
DEMO_MPLUS_SECRET = "demo-secret"


class AfasConnectors(BaseModel):
    """Ids of the GetConnectors read; the custom ones are installed by the customer's AFAS admin."""

    articles: str = "Sync_Articles"
    item_attributes: str = "Sync_ItemAttributes"
    item_features: str = "Sync_ItemFeatures"
    stock: str = "Sync_StockPerWarehouse"
    debtors: str = "Sync_Debtors"
    price_list_rows: str = "Sync_PriceListRows"
    debtor_agreements: str = "Sync_DebtorAgreements"
    article_groups: str = "Profit_ArticleGroups"
    barcodes: str = "Profit_Barcode_per_Item"
    warehouses: str = "Profit_Warehouses"
    sales_orders: str = "Profit_Salesorders"
    transactions: str = (
        "Profit_Transactions"  # financial entries: the orders flow's FiEntries are read back here
    )
    # Renamed columns per connector: {"Sync_Articles": {"PosArticle": "U1234"}} maps our name to theirs.
    columns: dict[str, dict[str, str]] = Field(default_factory=dict)


class AfasSettings(BaseModel):
    base_url: str | None = None  # e.g. https://12345.rest.afas.online/ProfitRestServices
    token: SecretStr | None = None
    concurrency: int = Field(8, ge=1, le=8)  # AFAS allows at most 8 parallel calls
    page_size: int = Field(1000, ge=1, le=20000)
    timeout_s: float = 60.0
    # A read that failed for a temporary reason (5xx, timeout, dropped connection) is tried again this many
    # times, waiting retry_backoff_s, then twice as long each time (capped at 30 s; Retry-After wins).
    retries: int = Field(4, ge=0, le=10)
    retry_backoff_s: float = Field(0.5, ge=0)
    overlap_minutes: int = 10  # AFAS dates lack sub-second precision: re-read a window
    # Deletions (and rows older than the cursor) are found by reading a connector whole (key sweeps, the
    # articles' key scan): at most once per this many minutes, 0 = every run (pipelines.afas.sweep_schedule).
    key_sweep_every_minutes: int = Field(60, ge=0)
    administration: int = 1  # Unit
    connectors: AfasConnectors = Field(default_factory=AfasConnectors)
    # More GetConnectors to stage, for a data mapping (mapping.folder) to read, e.g. [{"name": "afas_item_prices",
    # "connector": "Profit_Item_Prices", "key": ["ItemCode", "PriceList"]}] (pipelines.afas.resources)
    extra_connectors: list[dict[str, Any]] = Field(default_factory=list)


# Secrets are masked wherever their value appears in a message: one of a few characters would mask ordinary
# words too ("a" in "cannot connect") and be guessable from what is left, so such values are refused.
MIN_SECRET_LENGTH = 6


class MplusSettings(BaseModel):
    base_url: str | None = None  # e.g. https://api.mpluskassa.nl:34567
    ident: SecretStr | None = None
    secret: SecretStr | None = None

    @field_validator("ident", "secret")
    @classmethod
    def _long_enough(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and len(v.get_secret_value()) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"shorter than {MIN_SECRET_LENGTH} characters: too short to be kept out of messages "
                f"safely; use the full value MplusKASSA issued"
            )
        return v

    concurrency: int = Field(4, ge=1, le=32)
    timeout_s: float = 60.0
    retries: int = Field(4, ge=0, le=10)  # as afas.retries: reads only, never a write that may have landed
    retry_backoff_s: float = Field(0.5, ge=0)
    sync_marker_limit: int = Field(500, ge=1, le=1000)


class ProductsSettings(BaseModel):
    # SQL boolean over the staged article (alias `a`): the user filter of the data mapper.
    article_filter: str = "a.pos_article and not a.blocked"
    # Which AFAS attribute code fills MplusKASSA's colour and size of a variant article.
    attribute_colour: str = "KLEUR"
    attribute_size: str = "MAAT"
    # AFAS VAT group -> MplusKASSA vatCode.
    vat_codes: dict[str, int] = Field(default_factory=lambda: {"HOOG": 2, "LAAG": 1, "GEEN": 3})
    prices_include_vat: bool = False  # send priceExcl (AFAS sales prices are excl. VAT)
    currency: str = "EUR"
    # Per field: False = create-only (set when the article is created, never overwritten).
    update_on_change: dict[str, bool] = Field(
        default_factory=lambda: {
            "description": True,
            "extra_text": False,
            "price": True,
            "vat_code": True,
            "barcode": True,
            "brand": True,
            "group": True,
            "features": False,
            "active": True,
            "stock_article": True,
        }
    )
    # Read all item codes (at most once per afas.key_sweep_every_minutes) so an item deleted in AFAS is deactivated.
    detect_deleted: bool = True


class StockSettings(BaseModel):
    calculation: Literal["available_minus_reserved", "physical", "available", "economic"] = (
        "available_minus_reserved"
    )
    # AFAS warehouse -> MplusKASSA branch; several warehouses may add up into one branch.
    warehouse_branches: dict[str, int] = Field(default_factory=lambda: {"01": 1, "02": 1, "03": 2})
    clamp_negative: bool = True


class CustomersSettings(BaseModel):
    debtor_filter: str = "not d.blocked"
    # A debtor deleted in AFAS (found by the key sweep each customers run): its MplusKASSA relation is
    # deactivated (the till keeps its name and history) or anonymised (name, address, e-mail and numbers
    # overwritten, then deactivated: nothing personal stays at the till or in our mirror of it). GDPR.
    deleted_debtors: Literal["deactivate", "anonymise"] = "deactivate"
    # ISO country -> settings the SQL joins (VAT handling, MplusKASSA price group by country).
    countries: dict[str, dict[str, Any]] = Field(
        default_factory=lambda: {
            "NL": {"vat_method": "VAT-METHOD-INCLUSIVE"},
            "BE": {"vat_method": "VAT-METHOD-SHIFTED"},
            "DE": {"vat_method": "VAT-METHOD-SHIFTED"},
        }
    )


class PricesSettings(BaseModel):
    # AFAS price list -> MplusKASSA price group. A list used in AFAS without an entry here is an error row.
    price_list_groups: dict[str, int] = Field(default_factory=lambda: {"P01": 1, "P02": 2, "P03": 3})
    # The day price rows and agreements must be valid on; empty = today in Europe/Amsterdam.
    # Set it (PRICES_TODAY=2026-03-01) to preview tomorrow's prices with `afas-mplus plan prices`.
    today: date | None = None


DocumentType = Literal["FbSales", "FbSalesQuotation", "FbDirectInvoice", "FiEntries"]


class OrdersSettings(BaseModel):
    """Till sales (MplusKASSA orders and invoices) -> AFAS documents. Where each setting lands in AFAS's
    payload: docs in the README's orders section; every one is used (tests/e2e/test_orders_settings.py)."""

    # The AFAS document a till order becomes: a sales order, a quotation, a direct invoice or a financial entry.
    document_type: DocumentType = "FbSales"
    # The same for a till invoice (a sale booked as an invoice, not from an order that is sent); empty: as
    # document_type.
    invoice_document_type: DocumentType | None = None
    # SQL over the till sale (alias o: an order or an invoice, o.source 'order' / 'invoice'): only these go to
    # AFAS; the others wait. An invoice of an order that is sent is never sent again.
    status_filter: str = "o.fully_paid"
    default_debtor: str | None = "20001"  # the debtor of a sale without a customer
    debtor_collective_account: str = "1300"  # ColA (summary account) of a debtor the sync creates
    # PaCd of a new debtor and of each document, unless payment_conditions names the sale's payment method.
    payment_condition: str = "14"
    # Till payment method -> AFAS payment method (PaTp) of the document.
    payment_methods: dict[str, str] = Field(
        default_factory=lambda: {"CASH": "K", "PIN": "P", "IDEAL": "I", "ONACCOUNT": "R"}
    )
    # Till payment method -> AFAS payment condition (PaCd) of the document (a sale paid at the till is due at once).
    payment_conditions: dict[str, str] = Field(default_factory=dict)
    # Customer country (ISO) -> AFAS VAT code (VaId) of a financial entry's revenue lines.
    vat_codes: dict[str, str] = Field(default_factory=lambda: {"NL": "1", "BE": "3", "DE": "3"})
    # Customer country (ISO) -> revenue account (AcNr) of a financial entry.
    revenue_accounts: dict[str, str] = Field(
        default_factory=lambda: {"NL": "8000", "BE": "8100", "DE": "8100"}
    )
    vat_account: str = "1500"  # the VAT line of a financial entry
    journal: str = "70"  # JoCo of a financial entry
    # Till delivery method (an order's deliveryMethod) -> AFAS delivery type (DtId) of the document.
    shipping_methods: dict[str, int] = Field(default_factory=dict)
    warehouse: str = "01"  # War of the document
    currency: str = "EUR"  # CuId of the document and of a new debtor
    # The daily reconciliation compares the last this many days (0: every day the till has).
    reconcile_days: int = Field(31, ge=0)

    @property
    def invoice_type(self) -> DocumentType:
        return self.invoice_document_type or self.document_type


class SimulatorSettings(BaseModel):
    afas_port: int = 0  # 0 = a free port
    mplus_port: int = 0
    articles: int = 300
    debtors: int = 40
    seed: int = 42
    latency_ms: float = 0.0


class MonitoringSettings(BaseModel):
    """Alerts: one message per problem (a failed run, check or write) until it is resolved, then one "resolved"."""

    # A webhook (Slack/Teams/Mattermost-compatible {"text": ...} JSON) told at once when a run has a problem.
    webhook_url: str | None = None
    notify_on_refused_rows: bool = True  # also when validation refused rows (the error-rows checks)
    timeout_s: float = 10.0
    # E-mail over SMTP: alerts go to `email_to` when a host and recipients are set.
    smtp_host: str | None = None
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_starttls: bool = True  # upgrade the connection with STARTTLS before logging in (port 587)
    smtp_ca_file: Path | None = None  # a private CA's certificate (PEM) the SMTP server's is checked against
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None  # MONITORING_SMTP_PASSWORD in the environment, not in the file
    email_from: str = "afas-mplus@localhost"
    email_to: list[str] = Field(default_factory=list)
    # CLI runs record their materializations and check results in the Dagster instance `afas-mplus ui` shows.
    report_to_dagster: bool = True


class GuardSettings(BaseModel):
    """The plan-size check: a push that would overwrite or remove much of what the target holds is blocked.

    Creates never count (a first sync into an empty POS, or one resumed after an interruption, goes through);
    updates, deactivations and deletes of existing target records do, measured against the records it holds."""

    # Largest share of the target's records one push may overwrite or remove; 1 turns the check off.
    max_change_share: float = Field(0.5, gt=0, le=1)
    # Never block a plan with at most this many destructive changes (a small POS, a handful of edits).
    min_changes: int = Field(10, ge=0)


class JournalSettings(BaseModel):
    # GDPR: journal rows, Dagster runs, event logs and compute logs older than this are purged.
    retention_days: int = Field(30, ge=1)


class SchedulesSettings(BaseModel):
    """How the Dagster schedules behave (`afas-mplus ui` runs the daemon that ticks them)."""

    # Whether the schedules start running: empty = on when real endpoints are configured, off on the demo.
    running: bool | None = None
    # A scheduled run that finds the warehouse busy (another sync) waits this long for it, then skips.
    wait_for_warehouse_s: float = Field(300.0, ge=0)
    # Flow -> cron (Europe/Amsterdam) instead of the flow's default schedule: {"stock": "*/15 * * * *"}.
    cron: dict[str, str] = Field(default_factory=dict)


class MappingSettings(BaseModel):
    """The data mapper: a folder of the user's `.sql` files, each replacing the shared staging model of its
    name (transforms/models/staging, contracts in contracts.yml); see docs/custom-connectors.md."""

    folder: Path | None = None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_nested_delimiter="_", env_nested_max_split=1, extra="ignore", case_sensitive=False
    )

    data_dir: Path = Path(".data")
    deployment: Literal["local", "prod"] = "local"
    afas: AfasSettings = Field(default_factory=AfasSettings)
    mplus: MplusSettings = Field(default_factory=MplusSettings)
    products: ProductsSettings = Field(default_factory=ProductsSettings)
    stock: StockSettings = Field(default_factory=StockSettings)
    customers: CustomersSettings = Field(default_factory=CustomersSettings)
    prices: PricesSettings = Field(default_factory=PricesSettings)
    orders: OrdersSettings = Field(default_factory=OrdersSettings)
    simulator: SimulatorSettings = Field(default_factory=SimulatorSettings)
    journal: JournalSettings = Field(default_factory=JournalSettings)
    guard: GuardSettings = Field(default_factory=GuardSettings)
    monitoring: MonitoringSettings = Field(default_factory=MonitoringSettings)
    schedules: SchedulesSettings = Field(default_factory=SchedulesSettings)
    mapping: MappingSettings = Field(default_factory=MappingSettings)
    # Where the SQL runs: empty = the DuckDB file in data_dir; a PostgreSQL DSN (postgresql://user@host/db)
    # moves staging, models, plans and journal there, and different flows may then run at the same time.
    warehouse_dsn: SecretStr | None = None
    # PostgreSQL only: schemas are <prefix>staging, <prefix>plan, ... (several installations in one database).
    warehouse_schema_prefix: str = Field("", pattern=r"^([a-z][a-z0-9_]{0,29})?$")
    # dlt's anonymous usage telemetry: off, so a self-hosted sync does not phone home; true turns it on.
    dlt_telemetry: bool = False
    # DuckDB's cache of the staging file (it spills to disk beyond it; its own default is 80 % of RAM).
    warehouse_memory_limit: str = "256MB"
    # Many shops in one deployment: a folder of <name>.yaml files, one per shop (afas_mplus/shops.py); empty = one.
    shops_dir: Path | None = None
    # Set by afas_mplus.shops on the settings of one shop: its name, and the shared Dagster instance's folder.
    shop: str | None = None
    dagster_dir: Path | None = None

    @field_validator("data_dir", "shops_dir")
    @classmethod
    def _absolute(cls, v: Path | None) -> Path | None:
        return v.expanduser().resolve() if v is not None else None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = CONFIG_FILE.get() or Path(os.environ.get("AFAS_MPLUS_CONFIG", "afas-mplus.yaml"))
        return (init_settings, env_settings, YamlConfigSettingsSource(settings_cls, yaml_file=path))

    @property
    def uses_embedded_simulators(self) -> bool:
        return not self.afas.base_url and not self.mplus.base_url

    @property
    def staging_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def dagster_home(self) -> Path:
        """The Dagster instance `afas-mplus ui` serves: DAGSTER_HOME if set, else `<data_dir>/dagster`."""
        home = os.environ.get("DAGSTER_HOME")
        if home:
            return Path(home).expanduser().resolve()
        return self.dagster_dir or self.data_dir / "dagster"
