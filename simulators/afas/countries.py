"""Country codes: AFAS has its own (mostly the international vehicle codes), clients often send ISO codes."""

from __future__ import annotations

# ISO 3166 alpha-2 -> AFAS country code (AFAS has its own, mostly the international vehicle codes).
ISO_TO_AFAS: dict[str, str] = {
    "NL": "NL",
    "BE": "B",
    "DE": "D",
    "AT": "A",
    "FR": "F",
    "ES": "E",
    "IT": "I",
    "LU": "L",
    "US": "USA",
    "GB": "GB",
    "IE": "IRL",
    "CH": "CH",
    "DK": "DK",
    "SE": "S",
    "NO": "N",
    "FI": "FIN",
    "PL": "PL",
    "PT": "P",
    "CZ": "CZ",
    "GR": "GR",
    "HU": "H",
    "CA": "CDN",
    "AU": "AUS",
    "CN": "CN",
    "JP": "J",
    "TR": "TR",
    "SK": "SK",
    "SI": "SLO",
    "HR": "HR",
    "RO": "RO",
    "BG": "BG",
    "EE": "EE",
    "LV": "LV",
    "LT": "LT",
    "MT": "M",
    "CY": "CY",
    "IS": "IS",
    "SR": "SME",
    "CW": "CW",
    "AW": "AW",
}
AFAS_COUNTRIES: frozenset[str] = frozenset(ISO_TO_AFAS.values())
COUNTRY_NAMES: dict[str, str] = {
    "NL": "Nederland",
    "B": "België",
    "D": "Duitsland",
    "F": "Frankrijk",
    "GB": "Verenigd Koninkrijk",
    "A": "Oostenrijk",
    "L": "Luxemburg",
}


def afas_country(code: str | None) -> str | None:
    """An AFAS country code from an AFAS or ISO code ("BE" -> "B"); unknown codes pass unchanged."""
    if not code:
        return None
    code = code.strip().upper()
    return code if code in AFAS_COUNTRIES else ISO_TO_AFAS.get(code, code)
