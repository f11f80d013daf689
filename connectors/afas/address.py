"""Split a one-line address ("Kerkstraat 12a") into AFAS's address fields, or say why it cannot.

AFAS keeps an address (KnBasicAddressAdr / KnBasicAddressPad) as street `Ad` (60 characters), house
number `HmNr` (an integer in AFAS's OpenAPI), addition `HmAd` (30) and a PO-box flag `PbAd`; a PO box is
street "Postbus" with the box number as house number (the OpenAPI's own example: PbAd true, Ad "Postbus",
HmNr 105). Till and web-shop addresses arrive as one line, so:

    parse_address("Kerkstraat 12a", "NL")        -> street "Kerkstraat", 12, "a"
    parse_address("Rue de la Loi 16 bus 3", "BE") -> street "Rue de la Loi", 16, "bus 3"
    parse_address("Postbus 51", "NL")             -> street "Postbus", 51, po_box True
    parse_address("12 Rue de la Paix", "FR")      -> street "Rue de la Paix", 12 (number first, as in France)

Rules. The house number is the number after which only an addition follows: letters or digits in one or
two short parts ("a", "A", "bis", "hs", "II", "bus 3", "3 hoog"), directly attached or after a space,
dash or slash. A dash or slash stays in the addition ("12-14" -> 12, "-14"; "12/3" -> 12, "/3"): AFAS
prints the addition after a space unless it starts with one, so the address reads as it was typed.
Numbers inside a street name are recognised as years ("Plein 1944 12", "Laan 1940-1945 3") or ordinals
("2e Jan Steenstraat 4", "Straße des 17. Juni 135"); any other number before the house number makes the
split uncertain. Whatever cannot be split confidently (no number, two readings, a number first where the
country writes it last, a number too long for a house number) goes whole into the street with
`flagged=True` and the reason: never guessed. A street longer than AFAS's 60 characters is cut at a word
and flagged; `text` keeps the full line for a memo field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .field_limits import field_limit
from .text_fit import fit_text

STREET_MAX = field_limit("KnOrganisation", "KnBasicAddressAdr", "Ad").max_length or 60
ADDITION_MAX = field_limit("KnOrganisation", "KnBasicAddressAdr", "HmAd").max_length or 30
NUMBER_DIGITS = 6  # the longest house or box number taken; more digits is not a house number

# Countries writing the house number before the street (ISO 3166 and AFAS codes alike).
NUMBER_FIRST = frozenset(
    {"FR", "F", "LU", "L", "GB", "UK", "IE", "IRL", "US", "USA", "CA", "CDN", "AU", "AUS", "NZ"}
)

_LETTER = r"A-Za-zÀ-ÖØ-öø-ÿ"
_PART = rf"[0-9{_LETTER}]{{1,6}}"
# What may follow a house number: one or two short parts, optionally after a dash or slash.
_ADDITION = re.compile(rf"^[-/]?{_PART}(?:[ ./-]{_PART})?$")
_NUMBER_TOKEN = re.compile(r"^(\d+)(.*)$")
_BARE_NUMBER = re.compile(r"^\d+(?:[-/]\d+)?$")
_YEAR = r"(?:1\d{3}|20\d{2})"
_YEARS = re.compile(rf"^{_YEAR}(?:[-/]{_YEAR})?$")
_ORDINAL = re.compile(r"^\d+(?:e|de|ste|er|ère|eme|ème|nd|rd|th|st|\.)$", re.IGNORECASE)
_NUMBER_FIRST = re.compile(
    rf"^(?P<number>\d+)(?:\s*(?P<addition>bis|ter|quater|[{_LETTER}]))?\s*,?\s+"
    rf"(?P<street>[^\d]*[{_LETTER}][^\d]*)$",
    re.IGNORECASE,
)
_PO_BOXES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"^(?:{pattern})(?=[\s\d:]|$)(?P<rest>.*)$", re.IGNORECASE), street)
    for pattern, street in (
        (r"postbus", "Postbus"),
        (r"antwoordnummer", "Antwoordnummer"),
        (r"postfach", "Postfach"),
        (r"p\.?\s?o\.?\s?box|post\s+office\s+box", "PO Box"),
        (r"bo[iî]te\s+postale|b\.\s?p\.|bp", "BP"),
    )
)
# A box number, also in groups ("Postfach 10 01 23"), optionally after "nr." or a colon.
_BOX_NUMBER = re.compile(r"^\s*(?:(?:nr|no)\.?\s*|:\s*)?(?P<digits>\d+(?:\s\d{2,3})*)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """An address line split into AFAS's KnBasicAddress fields (see `afas_fields`)."""

    street: str  # Ad: at most STREET_MAX characters
    house_number: int | None  # HmNr; for a PO box the box number
    addition: str | None  # HmAd
    po_box: bool  # PbAd
    flagged: bool  # True: not split confidently (or the street was cut); check it, see `reason`
    reason: str | None
    text: str = ""  # the line as parsed (whitespace normalised): keep it when flagged

    def afas_fields(self) -> dict[str, Any]:
        """{"Ad", "HmNr", "HmAd", "PbAd"} for KnBasicAddressAdr/Pad (HmNr and HmAd only when known)."""
        out: dict[str, Any] = {"PbAd": self.po_box, "Ad": self.street}
        if self.house_number is not None:
            out["HmNr"] = self.house_number
        if self.addition:
            out["HmAd"] = self.addition
        return out


def parse_address(text: str | None, country: str | None = None) -> ParsedAddress:
    """Split one address line; `country` is an ISO 3166 or AFAS code ("NL", "BE"/"B", "DE"/"D", "FR"/"F"),
    None when unknown (a leading number is then taken as number-first only when nothing else is a number)."""
    line = _normalise(text or "")
    code = (country or "").strip().upper() or None
    if not line:
        return _flag("", "the address is empty")
    po_box = _po_box(line)
    if po_box is not None:
        return po_box
    if code in NUMBER_FIRST:
        first = _number_first(line)
        if first is not None:
            return first
    candidates = list(_number_after(line))
    if len(candidates) == 1:
        street, number, addition = candidates[0]
        return _result(line, street, number, addition)
    if len(candidates) > 1:
        readings = "; ".join(f"{s!r} number {n}{f' addition {a!r}' if a else ''}" for s, n, a in candidates)
        return _flag(line, f"more than one reading of the house number ({readings})")
    first = _number_first(line)
    if first is not None and (code is None or code in NUMBER_FIRST):
        return first
    if first is not None:
        return _flag(
            line,
            f"the house number comes before the street, which {code} addresses do not do: "
            "check the country or write it as street, number",
        )
    if not any(_NUMBER_TOKEN.match(t) for t in line.split(" ")[1:]):
        glued = re.search(rf"[{_LETTER}](\d+\S*)$", line)
        if glued:
            return _flag(line, f"no space between the street and the house number {glued.group(1)!r}")
        return _flag(line, "no house number")
    return _flag(
        line,
        "no house number after the street that AFAS's fields can hold (street, number, "
        "addition of at most two short parts)",
    )


def _normalise(text: str) -> str:
    line = " ".join(text.split()).strip(" ,;")
    # "12 - 14" / "12 / 3" -> "12-14" / "12/3": a spaced separator after a number joins it to the addition.
    return re.sub(r"(?<=\d) ?([-/]) ?(?=\w)", r"\1", line)


def _po_box(line: str) -> ParsedAddress | None:
    for pattern, street in _PO_BOXES:
        m = pattern.match(line)
        if m is None:
            continue
        box = _BOX_NUMBER.match(m.group("rest"))
        if box is None:
            if re.search(r"\d", m.group("rest")):
                return _flag(line, f"a PO box ({street}) with more than a box number after it")
            return _flag(line, f"a PO box ({street}) without a box number")
        digits = box.group("digits").replace(" ", "")
        if len(digits) > NUMBER_DIGITS:
            return _flag(line, f"box number {digits} has more than {NUMBER_DIGITS} digits")
        return ParsedAddress(street, int(digits), None, True, False, None, line)
    return None


def _number_after(line: str) -> list[tuple[str, str, str | None]]:
    """Every (street, number, addition) split of a street-first line that passes the rules."""
    tokens = line.split(" ")
    out = []
    for i in range(1, len(tokens)):
        m = _NUMBER_TOKEN.match(tokens[i])
        if m is None:
            continue
        street_tokens = tokens[:i]
        street = " ".join(street_tokens).rstrip(" ,;")
        if not re.search(f"[{_LETTER}]", street):
            continue
        # a number in the street name must be a year ("Plein 1944"); ordinals ("2e", "17.") are words
        if any(
            _BARE_NUMBER.match(t.rstrip(",;")) and not _YEARS.match(t.rstrip(",;")) for t in street_tokens
        ):
            continue
        number = m.group(1)
        addition = " ".join([m.group(2), *tokens[i + 1 :]]).strip() or None
        if addition is not None and not _ADDITION.match(addition):
            continue
        # "Laan 1940-1945 3": a year followed by another number is the street's, not a house number
        if addition is not None and _YEARS.match(number) and addition.lstrip("-/")[:1].isdigit():
            continue
        out.append((street, number, addition))
    return out


def _number_first(line: str) -> ParsedAddress | None:
    first_token = line.split(" ", 1)[0]
    if _ORDINAL.match(first_token):
        return None  # "2e Jan Steenstraat": an ordinal of the street name, not a house number
    m = _NUMBER_FIRST.match(line)
    if m is None:
        return None
    return _result(line, m.group("street").strip(" ,;"), m.group("number"), m.group("addition"))


def _result(line: str, street: str, number: str, addition: str | None) -> ParsedAddress:
    if len(number) > NUMBER_DIGITS:
        return _flag(line, f"{number} has more than {NUMBER_DIGITS} digits: not a house number")
    if addition is not None and len(addition) > ADDITION_MAX:  # pragma: no cover - _ADDITION allows 14
        return _flag(line, f"the addition {addition!r} is longer than AFAS's {ADDITION_MAX} characters")
    cut, full = fit_text(street, STREET_MAX)
    if full is not None:
        return ParsedAddress(
            cut,
            int(number),
            addition,
            False,
            True,
            f"the street is {len(street)} characters; AFAS keeps {STREET_MAX}: cut at a word",
            line,
        )
    return ParsedAddress(street, int(number), addition, False, False, None, line)


def _flag(line: str, reason: str) -> ParsedAddress:
    street, full = fit_text(line, STREET_MAX)
    if full is not None:
        reason += f"; the line is {len(line)} characters, AFAS's street keeps {STREET_MAX}: cut at a word"
    return ParsedAddress(street, None, None, False, True, reason, line)
