"""Alerts: a failing check sends exactly one e-mail and one webhook call, naming flow, records and the fix; one
"resolved" message after the fix; the same from the CLI and from Dagster's sensor; a dead channel never breaks a
sync."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dagster import AssetSelection, DagsterInstance, build_sensor_context, materialize

from afas_mplus import runner
from afas_mplus.cli.monitor import notify
from afas_mplus.flow_result import FlowResult
from afas_mplus.flows import FLOWS
from afas_mplus.runtime import load_simulators
from afas_mplus.settings import Settings
from dagster_project.assets.checks import ALL_CHECKS
from dagster_project.assets.flows import ALL_ASSETS
from dagster_project.definitions import defs
from dagster_project.resources import SyncRuntime
from dagster_project.sensors import notify_on_check_failure, notify_on_run_failure
from simulators.server import free_port
from tests.afas_mplus.ops.conftest import monitoring

PRODUCTS = FLOWS["products"]


def _block_articles(h, n: int = 200) -> list[str]:  # noqa: ANN001
    codes = sorted(a.item_code for a in h.afas.articles.values() if a.item_code.isdigit() and not a.blocked)[
        :n
    ]
    for code in codes:
        h.afas.block_article(code)
    return codes


def _sync(h, flow: str = "products") -> tuple[FlowResult, str | None]:  # noqa: ANN001
    with h.runtime() as rt:
        result = runner.run_flow(rt, FLOWS[flow])
        return result, notify(rt, result)


def test_a_failing_check_is_told_once_by_email_and_webhook_and_resolved_once(
    harness, mailbox, webhook
) -> None:
    h = harness(monitoring=monitoring(mailbox, webhook, notify_on_refused_rows=False))
    assert _sync(h)[1] is None  # a clean first sync: nothing to tell
    assert mailbox.messages == [] and webhook.posts == []

    blocked = _block_articles(h)
    result, text = _sync(h)
    assert result.blocked
    assert len(mailbox.messages) == 1 and len(webhook.posts) == 1
    mail = mailbox.messages[0]
    assert mail["Subject"] == "afas-mplus products: products/articles: push blocked by the plan-size check"
    assert mail["To"] == "ops@example.nl" and mail["From"] == "sync@example.nl"
    body = mail.get_content()
    # flow, the records it would change, and the fix
    assert "products/articles" in body and re.search(r"\d+ deactivates", body)
    assert re.search(rf"e\.g\. {blocked[0]} \(deactivate: active\)", body)
    assert "guard.max_change_share" in body and "afas-mplus apply products --force" in body
    assert (
        webhook.posts[0]["text"].startswith(mail["Subject"])
        and "guard.max_change_share" in webhook.posts[0]["text"]
    )

    assert _sync(h)[1] is None  # still blocked: not told again
    assert len(mailbox.messages) == 1 and len(webhook.posts) == 1

    for code in blocked:  # the fix: the items were blocked by mistake
        h.afas.block_article(code, blocked=False)
    result, text = _sync(h)
    assert not result.blocked
    assert len(mailbox.messages) == 2 and len(webhook.posts) == 2
    assert (
        mailbox.messages[1]["Subject"]
        == "afas-mplus products: resolved: products/articles: push blocked by the plan-size check"
    )
    assert "RESOLVED" in webhook.posts[1]["text"]
    assert _sync(h)[1] is None
    assert len(mailbox.messages) == 2 and len(webhook.posts) == 2


def test_failed_writes_name_flow_records_and_cause(harness, mailbox, webhook) -> None:
    # VAT group HOOG mapped to a code MplusKASSA has no rate for: those creates fail at the till's API.
    h = harness(
        products={"vat_codes": {"HOOG": 9, "LAAG": 1, "GEEN": 3}}, monitoring=monitoring(mailbox, webhook)
    )
    result, text = _sync(h)
    assert result.pushed_failed > 0
    assert len(mailbox.messages) == 1 and len(webhook.posts) == 1
    assert (
        text is not None and "row(s) failed to write" in text and "VAT-code 9" in text and "records " in text
    )
    # refused rows (the demo's non-numeric SKUs) are told in the same message, by record and field
    assert "GC-10004 (article_number)" in text
    assert mailbox.messages[0]["Subject"] == "afas-mplus products: 3 problems"


def test_a_dead_smtp_server_and_webhook_never_break_a_sync(harness, caplog: pytest.LogCaptureFixture) -> None:
    dead = free_port()
    h = harness(
        monitoring={
            "webhook_url": f"http://127.0.0.1:{dead}/hook",
            "smtp_host": "127.0.0.1",
            "smtp_port": dead,
            "email_to": ["ops@example.nl"],
            "smtp_user": "ops",
            "smtp_password": "s3cret-pw",
        }
    )
    _block_articles(h, 0)
    result, text = _sync(h)
    assert result.status == "ok" and text is not None  # told (to the log), the channels failed
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("webhook" in e for e in errors) and any("e-mail" in e for e in errors)
    assert not any("s3cret-pw" in r.getMessage() for r in caplog.records)


def test_dagster_sensor_tells_a_failed_check_once_and_its_resolution(
    tmp_path: Path, mailbox, webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "afas-mplus.yaml"
    import yaml

    config.write_text(
        yaml.safe_dump(
            {
                "data_dir": str(tmp_path / "data"),
                "monitoring": monitoring(mailbox, webhook, notify_on_refused_rows=False),
            }
        )
    )
    monkeypatch.setenv("AFAS_MPLUS_CONFIG", str(config))
    instance = DagsterInstance.ephemeral()
    resources = {"sync": SyncRuntime(data_dir=str(tmp_path / "data"))}
    group = AssetSelection.groups("products")

    def run_and_sense(cursor: str | None) -> str | None:
        assert materialize(
            [*ALL_ASSETS, *ALL_CHECKS],
            resources=resources,
            selection=group,
            instance=instance,
            raise_on_error=False,
        )
        context = build_sensor_context(
            instance=instance, repository_def=defs.get_repository_def(), cursor=cursor
        )
        notify_on_check_failure(context)
        return context.cursor

    cursor = run_and_sense(None)
    assert mailbox.messages == [] and webhook.posts == []
    sims = load_simulators(Settings(data_dir=tmp_path / "data"))
    codes = sorted(a.item_code for a in sims.afas_state.articles.values() if a.item_code.isdigit())[:200]
    for code in codes:
        sims.afas_state.block_article(code)
    sims.save()
    cursor = run_and_sense(cursor)
    assert len(mailbox.messages) == 1 and len(webhook.posts) == 1
    assert "plan-size check" in str(mailbox.messages[0]["Subject"])
    assert "guard.max_change_share" in mailbox.messages[0].get_content()
    cursor = run_and_sense(cursor)
    assert len(mailbox.messages) == 1  # still failing: told once
    sims = load_simulators(Settings(data_dir=tmp_path / "data"))
    for code in codes:
        sims.afas_state.block_article(code, blocked=False)
    sims.save()
    run_and_sense(cursor)
    assert len(mailbox.messages) == 2 and len(webhook.posts) == 2
    assert "resolved" in str(mailbox.messages[1]["Subject"])


def test_run_failure_alert_names_job_and_step() -> None:
    from dagster_project.sensors import run_failure_alert

    alert = run_failure_alert(
        "products_sync", ["products_articles_push: MplusTransportError: timed out"], None
    )
    assert alert.key == "run:products_sync" and "products_sync" in alert.title
    assert alert.lines == ["products_articles_push: MplusTransportError: timed out"]
    assert notify_on_run_failure.name == "notify_on_run_failure"


def test_email_over_starttls_with_login(tmp_path: Path) -> None:
    """The SMTP server requires STARTTLS before login; the certificate is checked against the configured CA."""
    import shutil
    import ssl
    import subprocess

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    from afas_mplus.alerts import Notifier
    from afas_mplus.settings import MonitoringSettings
    from tests.afas_mplus.ops.conftest import Mailbox

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test server's certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    logins: list[tuple[str, str]] = []

    def authenticate(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"s3cret-pw")

    box = Mailbox()
    box.port = free_port()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=box.port,
        tls_context=tls,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    )
    controller.start()
    try:
        settings = MonitoringSettings(
            smtp_host="127.0.0.1",
            smtp_port=box.port,
            smtp_user="ops",
            smtp_password="s3cret-pw",
            smtp_ca_file=cert,
            email_to=["ops@example.nl"],
        )
        assert Notifier(settings).send("afas-mplus: test", "one line") == []
        assert box.subjects() == ["afas-mplus: test"] and logins == [("ops", "s3cret-pw")]
        # without the CA the server's certificate is refused: nothing is sent, nothing raised
        untrusted = settings.model_copy(update={"smtp_ca_file": None})
        assert Notifier(untrusted).send("afas-mplus: test", "again") == ["email"]
        assert len(box.messages) == 1
    finally:
        controller.stop()


def test_a_failed_dagster_run_is_told_once_and_resolved_when_the_job_succeeds(
    tmp_path: Path, mailbox, webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml
    from dagster import build_run_status_sensor_context

    from dagster_project.sensors import resolve_run_failure

    config = tmp_path / "afas-mplus.yaml"
    config.write_text(
        yaml.safe_dump({"data_dir": str(tmp_path / "data"), "monitoring": monitoring(mailbox, webhook)})
    )
    monkeypatch.setenv("AFAS_MPLUS_CONFIG", str(config))
    instance = DagsterInstance.ephemeral()
    job = defs.resolve_job_def("journal_retention")
    broken = job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        resources={"sync": SyncRuntime(config_file=str(tmp_path / "missing.yaml"))},
    )
    assert not broken.success
    for _ in range(2):  # the daemon may look twice: told once
        notify_on_run_failure(
            build_run_status_sensor_context(
                sensor_name="notify_on_run_failure",
                dagster_instance=instance,
                dagster_run=broken.dagster_run,
                dagster_event=broken.get_run_failure_event(),
            ).for_run_failure()
        )
    assert len(mailbox.messages) == 1 and len(webhook.posts) == 1
    assert mailbox.messages[0]["Subject"] == "afas-mplus (Dagster): Dagster run of journal_retention failed"
    assert "missing.yaml does not exist" in mailbox.messages[0].get_content()

    fixed = job.execute_in_process(
        instance=instance, resources={"sync": SyncRuntime(config_file=str(config))}
    )
    assert fixed.success
    resolve_run_failure(
        build_run_status_sensor_context(
            sensor_name="resolve_run_failure",
            dagster_instance=instance,
            dagster_run=fixed.dagster_run,
            dagster_event=fixed.get_run_success_event(),
        )
    )
    assert len(mailbox.messages) == 2
    assert (
        mailbox.messages[1]["Subject"]
        == "afas-mplus (Dagster): resolved: Dagster run of journal_retention failed"
    )
