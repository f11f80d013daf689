"""AFAS token handling: wrap the token into the AfasToken header and keep it out of every repr."""

from __future__ import annotations

import base64
import re
from typing import Final

_XML_DATA = re.compile(r"<data>\s*([^<]*?)\s*</data>", re.IGNORECASE | re.DOTALL)
_XML_VERSION = re.compile(r"<version>\s*([^<]*?)\s*</version>", re.IGNORECASE | re.DOTALL)
_BARE = re.compile(r"[A-Za-z0-9]+")
REDACTED: Final = "***"


class Secret:
    """A string that never shows itself in repr()/str(); call reveal() where the value is really needed."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{REDACTED}')"

    __str__ = __repr__


class AfasToken:
    """An AFAS token; accepts the bare data (64 hex) or the full `<token>` XML, both giving the same header."""

    __slots__ = ("_data", "_header", "_version", "_xml")

    def __init__(self, token: str | Secret) -> None:
        raw = (token.reveal() if isinstance(token, Secret) else token).strip()
        if not raw:
            raise ValueError("AFAS token is empty")
        if raw.startswith("<"):
            data_match = _XML_DATA.search(raw)
            if not data_match or not data_match.group(1):
                # Never echo the input: it is the secret.
                raise ValueError("AFAS token XML has no <data> element")
            data = data_match.group(1)
            version_match = _XML_VERSION.search(raw)
            version = version_match.group(1) if version_match and version_match.group(1) else "1"
        else:
            data, version = raw, "1"
        if not _BARE.fullmatch(data):
            raise ValueError("AFAS token data must be alphanumeric (normally 64 hex characters)")
        if not _BARE.fullmatch(version):
            raise ValueError("AFAS token version must be alphanumeric")
        xml = f"<token><version>{version}</version><data>{data}</data></token>"
        self._data = Secret(data)
        self._version = version
        self._xml = Secret(xml)
        self._header = Secret("AfasToken " + base64.b64encode(xml.encode("utf-8")).decode("ascii"))

    @property
    def header(self) -> Secret:
        """The full `Authorization` header value."""
        return self._header

    def scrub(self, text: str) -> str:
        """Replace every form of the token (data, XML, base64, header) in `text`; used on all messages."""
        header = self._header.reveal()
        forms = (header, header.split(" ", 1)[1], self._xml.reveal(), self._data.reveal())
        for form in forms:
            if form in text:
                text = text.replace(form, REDACTED)
        return text

    def __repr__(self) -> str:
        return f"AfasToken('{REDACTED}')"

    __str__ = __repr__
