"""What the codec raises: a dict that does not fit its XSD type, a body that does not decode, a SOAP Fault."""

from __future__ import annotations


class SoapEncodeError(ValueError):
    """A dict does not fit the XSD type it is encoded as (unknown key, wrong Python type, bad enum value)."""


class SoapDecodeError(ValueError):
    """A body is not a SOAP envelope of the expected shape, or a value does not parse as its XSD type."""


class BadValue(SoapDecodeError):
    """A scalar that does not parse as its XSD type; keeps where/what so a record error can name them."""

    def __init__(self, where: str, text: str, type_name: str) -> None:
        super().__init__(f"{where}: {text!r} is not a valid {type_name}")
        self.where = where
        self.text = text
        self.type_name = type_name


class SoapFault(Exception):
    """A SOAP 1.1 Fault body. ``is_client``: the request itself is wrong (faultcode ``Client...``), so
    sending it again cannot help; ``Server...`` faults may succeed later."""

    def __init__(self, faultcode: str, faultstring: str, detail: str | None = None) -> None:
        super().__init__(f"{faultcode}: {faultstring}")
        self.faultcode = faultcode
        self.faultstring = faultstring
        self.detail = detail
        local = faultcode.rsplit(":", 1)[-1].lower()
        # SOAP 1.1 says Client, SOAP 1.2 says Sender; both mean "fix the request".
        self.is_client = local.startswith(("client", "sender"))
