"""Many shops: each shop's settings are its file and SHOP_<NAME>_* over the shared settings, never the shared
endpoints or credentials; its data apart; mistakes are one line naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from afas_mplus.config import load_settings
from afas_mplus.errors import ConfigError, UsageError
from afas_mplus.shops import shop_environment, shop_names, shop_settings


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture()
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    shops = tmp_path / "shops"
    _write(
        shops,
        "north",
        "afas:\n  base_url: https://11111.rest.afas.online/ProfitRestServices\n"
        "mplus:\n  base_url: https://north.mpluskassa.nl:34567\n"
        "stock:\n  warehouse_branches: {'07': 3}\n"
        "schedules:\n  cron: {stock: '*/15 * * * *'}\n",
    )
    _write(shops, "south", "products:\n  currency: USD\n")
    (shops / "README.txt").write_text("not a shop", encoding="utf-8")
    config = tmp_path / "afas-mplus.yaml"
    config.write_text(
        f"shops_dir: {shops}\nafas:\n  base_url: https://99999.rest.afas.online/x\n  page_size: 500\n"
        f"products:\n  currency: EUR\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("AFAS_TOKEN", "shared-token-not-for-shops")
    monkeypatch.setenv("SHOP_NORTH_AFAS_TOKEN", "north-token-123456")
    monkeypatch.setenv("SHOP_NORTH_MPLUS_IDENT", "north-ident")
    monkeypatch.setenv("SHOP_NORTH_MPLUS_SECRET", "north-secret")
    return load_settings(config, data_dir=tmp_path / "data")


def test_a_shop_is_its_file_and_environment_over_the_shared_settings(base) -> None:  # noqa: ANN001
    assert shop_names(base) == ["north", "south"]
    north = shop_settings(base, "north")
    assert north.shop == "north"
    assert north.afas.base_url == "https://11111.rest.afas.online/ProfitRestServices"
    assert north.afas.token is not None and north.afas.token.get_secret_value() == "north-token-123456"
    assert north.mplus.ident is not None and north.mplus.ident.get_secret_value() == "north-ident"
    assert north.afas.page_size == 500  # shared, not set by the shop
    assert north.stock.warehouse_branches == {"07": 3}
    assert north.schedules.cron == {"stock": "*/15 * * * *"}
    assert north.data_dir == base.data_dir / "shops" / "north"
    assert north.dagster_home == base.dagster_home  # one Dagster instance for all shops
    assert north.warehouse_schema_prefix == "north_"
    assert not north.uses_embedded_simulators


def test_a_shop_never_inherits_the_shared_endpoints_or_credentials(base) -> None:  # noqa: ANN001
    south = shop_settings(base, "south")
    assert south.afas.base_url is None and south.afas.token is None  # not the shared AFAS_TOKEN
    assert south.uses_embedded_simulators
    assert south.products.currency == "USD" and base.products.currency == "EUR"
    assert south.data_dir != shop_settings(base, "north").data_dir


def test_unknown_shop_names_the_known_ones(base, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(UsageError, match="unknown shop 'west': the shops are north, south"):
        shop_settings(base, "west")
    single = load_settings(None, data_dir=tmp_path / "single")
    with pytest.raises(UsageError, match="no shops are configured"):
        shop_settings(single, "north")
    assert single.shops_dir is None and single.shop is None


def test_mistakes_in_a_shop_file_are_one_line_with_file_and_key(base) -> None:  # noqa: ANN001
    folder = base.shops_dir
    _write(folder, "east", "afas:\n  bse_url: http://x\n")
    with pytest.raises(
        ConfigError, match=r"east.yaml: unknown setting 'afas.bse_url': did you mean 'afas.base_url'"
    ):
        shop_settings(base, "east")
    _write(folder, "east", "warehouse_dsn: postgresql://x@y/z\n")
    with pytest.raises(ConfigError, match="'warehouse_dsn' is set for the whole deployment"):
        shop_settings(base, "east")
    _write(folder, "east", "afas:\n  concurrency: 9\n")
    with pytest.raises(ConfigError, match=r"east.yaml:2: afas.concurrency"):
        shop_settings(base, "east")
    _write(folder, "Bad-Name", "{}\n")
    with pytest.raises(ConfigError, match="rename the file"):
        shop_names(base)


def test_shop_environment_maps_sections_and_ignores_other_shops() -> None:
    env = {
        "SHOP_NORTH_AFAS_TOKEN": "t",
        "SHOP_NORTH_AFAS_BASE_URL": "u",
        "SHOP_NORTH_STOCK_CLAMP_NEGATIVE": "0",
        "SHOP_NORTH_NOSUCH_X": "1",
        "SHOP_NORTHWEST_AFAS_TOKEN": "other",
        "AFAS_TOKEN": "shared",
    }
    assert shop_environment("north", env) == {
        "afas": {"token": "t", "base_url": "u"},
        "stock": {"clamp_negative": "0"},
    }
