"""Local receivers for the alerts: an SMTP server (aiosmtpd) and a webhook endpoint, both on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from simulators.server import free_port


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 - aiosmtpd's hook
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


@pytest.fixture()
def mailbox() -> Iterator[Mailbox]:
    aiosmtpd = pytest.importorskip(
        "aiosmtpd.controller", reason="aiosmtpd (dev extra) is needed for e-mail tests"
    )
    box = Mailbox()
    box.port = free_port()
    controller = aiosmtpd.Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


class Hook:
    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.url = ""


@pytest.fixture()
def webhook() -> Iterator[Hook]:
    hook = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            hook.posts.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()


def monitoring(mailbox: Mailbox, webhook: Hook, **extra: object) -> dict[str, object]:
    return {
        "webhook_url": webhook.url,
        "smtp_host": "127.0.0.1",
        "smtp_port": mailbox.port,
        "smtp_starttls": False,
        "email_to": ["ops@example.nl"],
        "email_from": "sync@example.nl",
        **extra,
    }
