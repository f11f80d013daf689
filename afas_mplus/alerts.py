"""Alerts: one message per problem until it is resolved, then one "resolved" message; by e-mail and webhook.

A problem has a key that the CLI and Dagster's sensors share (a failed check is `check:<asset>:<check>`, a failed
Dagster run `run:<job>`, a flow the CLI could not finish `flow:<flow>`), so a problem seen by both is told once.
Which problems are open is kept in `<data_dir>/alerts.json` (keys and titles only, nothing personal), under a
file lock: the daemon's sensors and a CLI run may look at once.

Sending never breaks a sync: every channel's error is logged (without the password) and the run goes on.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import smtplib
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

import httpx

from afas_mplus.settings import MonitoringSettings, Settings

log = logging.getLogger(__name__)
MAX_LINES = 15


@dataclass
class Alert:
    """A problem as a person reads it: a one-line title and lines naming flow, records, field and the fix."""

    key: str
    title: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Sent:
    """What one `observe` told: the new problems and the resolved ones, and the text sent."""

    raised: list[Alert] = field(default_factory=list)
    resolved: list[tuple[str, str]] = field(default_factory=list)  # (key, title)
    text: str | None = None


def check_key(asset: str, check: str) -> str:
    """`asset`: the asset key as Dagster prints it (`plan/products_articles_plan`)."""
    return f"check:{asset}:{check}"


class AlertState:
    """The open problems, in a JSON file shared by every process of one installation."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def locked(self) -> Iterator[dict[str, dict[str, str]]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                state = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
            except (OSError, ValueError):
                state = {}  # a damaged file: start over (at worst one alert is told again)
            before = json.dumps(state, sort_keys=True)
            yield state
            if json.dumps(state, sort_keys=True) != before:
                tmp = self.path.with_suffix(".tmp")
                tmp.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
                os.replace(tmp, self.path)


class Notifier:
    """The channels: the webhook ({"text": ...}) and e-mail over SMTP. `send` never raises."""

    def __init__(self, settings: MonitoringSettings) -> None:
        self.settings = settings

    def send(self, subject: str, body: str) -> list[str]:
        """Deliver to every configured channel; returns the channels that failed (logged, never raised)."""
        failed = []
        if self.settings.webhook_url:
            try:
                httpx.post(
                    self.settings.webhook_url,
                    json={"text": f"{subject}\n{body}"},
                    timeout=self.settings.timeout_s,
                ).raise_for_status()
            except Exception as exc:  # noqa: BLE001 - monitoring must never break the sync itself
                log.error("could not deliver the alert to the webhook: %s", _reason(exc))
                failed.append("webhook")
        if self.settings.smtp_host and self.settings.email_to:
            try:
                self.email(subject, body)
            except Exception as exc:  # noqa: BLE001 - idem
                log.error(
                    "could not send the alert by e-mail via %s:%s: %s",
                    self.settings.smtp_host,
                    self.settings.smtp_port,
                    _reason(exc),
                )
                failed.append("email")
        return failed

    def email(self, subject: str, body: str) -> None:
        s = self.settings
        # Long subjects unfolded (RFC 5322 allows 998 characters): folding made mail clients show a leading space.
        msg = EmailMessage(policy=policy.SMTP.clone(max_line_length=998))
        msg["Subject"] = subject
        msg["From"] = s.email_from
        msg["To"] = ", ".join(s.email_to)
        msg.set_content(body)
        assert s.smtp_host
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.timeout_s) as smtp:
            if s.smtp_starttls:
                cafile = str(s.smtp_ca_file) if s.smtp_ca_file else None
                smtp.starttls(context=ssl.create_default_context(cafile=cafile))
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password.get_secret_value() if s.smtp_password else "")
            smtp.send_message(msg)


def _reason(exc: BaseException) -> str:
    """The error without anything the server echoed back (a login failure may repeat the user name)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__} {exc.smtp_code}"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return type(exc).__name__


class Alerts:
    """Tell each problem once, and its resolution once."""

    def __init__(self, settings: Settings, notifier: Notifier | None = None) -> None:
        self.settings = settings
        self.notifier = notifier or Notifier(settings.monitoring)
        self.state = AlertState(settings.data_dir / "alerts.json")

    def observe(self, seen: Mapping[str, Alert | None], *, where: str = "afas-mplus") -> Sent:
        """`seen`: every problem key this run looked at, with its alert when it is a problem now and None when
        it is fine now. New problems and resolved ones go out together in one message."""
        sent = Sent()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.state.locked() as state:
            for key, alert in seen.items():
                if alert is not None and key not in state:
                    state[key] = {"title": alert.title, "since": now}
                    sent.raised.append(alert)
                elif alert is None and key in state:
                    sent.resolved.append((key, state.pop(key).get("title", key)))
        if not sent.raised and not sent.resolved:
            return sent
        subject, body = message(where, sent)
        sent.text = f"{subject}\n{body}"
        log.warning("%s", sent.text)
        self.notifier.send(subject, body)
        return sent


def message(where: str, sent: Sent) -> tuple[str, str]:
    """Subject and body: each new problem with its lines (records, field, fix), then what was resolved."""
    parts = []
    if sent.raised:
        subject = (
            f"{where}: {sent.raised[0].title}"
            if len(sent.raised) == 1
            else f"{where}: {len(sent.raised)} problems"
        )
    else:
        subject = (
            f"{where}: resolved: {sent.resolved[0][1]}"
            if len(sent.resolved) == 1
            else f"{where}: {len(sent.resolved)} problems resolved"
        )
    for alert in sent.raised:
        lines = alert.lines[:MAX_LINES]
        more = (
            [f"… and {len(alert.lines) - MAX_LINES} more: afas-mplus log --failed"]
            if len(alert.lines) > MAX_LINES
            else []
        )
        parts.append("\n".join([f"PROBLEM: {alert.title}", *(f"• {line}" for line in lines + more)]))
    for _, title in sent.resolved:
        parts.append(f"RESOLVED: {title}")
    return subject, "\n\n".join(parts)


def grouped_failures(errors: list[str]) -> list[str]:
    """Failures with the same cause as one line with a count and example records ("flow/entity KEY: cause")."""
    by_cause: dict[str, list[str]] = {}
    for e in errors:
        head, _, cause = e.partition(": ")
        where, _, key = head.rpartition(" ")
        by_cause.setdefault(f"{where}: {cause}" if where else e, []).append(key)
    out = []
    for cause, keys in sorted(by_cause.items(), key=lambda kv: -len(kv[1])):
        examples = ", ".join(keys[:5]) + (" …" if len(keys) > 5 else "")
        out.append(f"{len(keys)} row(s) — {cause} (records {examples})")
    return out
