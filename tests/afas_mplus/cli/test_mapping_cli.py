"""`afas-mplus mapping check` names file, line and column of a problem (exit 3); `afas-mplus mapping preview`
stages what a mapping reads and prints its first rows."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from afas_mplus.cli import main
from afas_mplus.errors import ExitCode

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "mappings" / "debtors-without-optional"


def _config(tmp_path: Path, folder: Path) -> str:
    path = tmp_path / "afas-mplus.yaml"
    path.write_text(
        yaml.safe_dump({"mapping": {"folder": str(folder)}, "simulator": {"articles": 20, "debtors": 6}})
    )
    return str(path)


def test_mapping_check_names_file_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mappings"
    folder.mkdir()
    sql = (EXAMPLE / "stg_afas__debtors.sql").read_text(encoding="utf-8")
    (folder / "stg_afas__debtors.sql").write_text(sql.replace("lower(trim(email))", "md5(email)"))
    args = ["--config", _config(tmp_path, folder), "--data-dir", str(tmp_path / "data"), "mapping", "check"]
    assert main(args) == ExitCode.CONFIG
    out = capsys.readouterr().out
    line = next(i for i, text in enumerate(sql.splitlines(), 1) if "lower(trim(email))" in text)
    assert f"stg_afas__debtors.sql:{line}:5: function md5 is not allowed" in out.replace("\n", "")

    (folder / "stg_afas__debtors.sql").write_text(sql)
    assert main(args) == ExitCode.OK
    assert "1 mapping(s) ok" in capsys.readouterr().out

    (folder / "stg_afas__debtor.sql").write_text(sql)  # a typo in the name: not silently ignored
    assert main(args) == ExitCode.CONFIG
    assert "no staging model is named stg_afas__debtor" in capsys.readouterr().err.replace("\n", "")


def test_mapping_preview_shows_the_first_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--config", _config(tmp_path, EXAMPLE), "--data-dir", str(tmp_path / "data")]
    assert main([*base, "mapping", "preview", "stg_afas__debtors", "--limit", "3"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "record_key" in out and "2000" in out  # the demo's debtor ids
    assert main([*base, "mapping", "preview", "stg_afas__items"]) == ExitCode.USAGE
