"""One-line addresses split into AFAS's KnBasicAddress fields (street, HmNr, HmAd, PbAd), or flagged."""

from __future__ import annotations

import pytest

from connectors.afas.address import ADDITION_MAX, STREET_MAX, ParsedAddress, parse_address
from connectors.afas.check import check_body
from connectors.afas.field_limits import field_limit

# (line, country, street, house number, addition, PO box)
SPLIT: list[tuple[str, str | None, str, int, str | None, bool]] = [
    # additions: letters, words, after a space, dash or slash (a dash or slash stays, as AFAS prints it)
    ("Kerkstraat 12a", "NL", "Kerkstraat", 12, "a", False),
    ("Kerkstraat 12 A", "NL", "Kerkstraat", 12, "A", False),
    ("Kerkstraat 12-14", "NL", "Kerkstraat", 12, "-14", False),
    ("Kerkstraat 12 - 14", "NL", "Kerkstraat", 12, "-14", False),
    ("Rue du Midi 7 bis", "BE", "Rue du Midi", 7, "bis", False),
    ("Dorpsstraat 1-A", "NL", "Dorpsstraat", 1, "-A", False),
    ("Oudegracht 12/3", "NL", "Oudegracht", 12, "/3", False),
    ("Prinsengracht 12 hs", "NL", "Prinsengracht", 12, "hs", False),
    ("Lange Voorhout 12-II", "NL", "Lange Voorhout", 12, "-II", False),
    ("Kerkstraat 12 3 hoog", "NL", "Kerkstraat", 12, "3 hoog", False),
    ("Stationsweg 7", "NL", "Stationsweg", 7, None, False),
    ("  Kerkstraat   12a , ", "NL", "Kerkstraat", 12, "a", False),
    ("Kerkstraat, 12", "NL", "Kerkstraat", 12, None, False),
    # street names with digits: years and ordinals belong to the street
    ("2e Jan Steenstraat 4", "NL", "2e Jan Steenstraat", 4, None, False),
    ("Plein 1944 12", "NL", "Plein 1944", 12, None, False),
    ("Laan 1940-1945 3", "NL", "Laan 1940-1945", 3, None, False),
    ("Straße des 17. Juni 135", "DE", "Straße des 17. Juni", 135, None, False),
    ("Rijksweg 1234", "NL", "Rijksweg", 1234, None, False),
    # PO boxes: street "Postbus", the box number as house number, PbAd true (AFAS's OpenAPI example)
    ("Postbus 51", "NL", "Postbus", 51, None, True),
    ("postbus 1234", "NL", "Postbus", 1234, None, True),
    ("Antwoordnummer 123", "NL", "Antwoordnummer", 123, None, True),
    ("Postbus: 7", "NL", "Postbus", 7, None, True),
    ("Postfach 10 01 23", "DE", "Postfach", 100123, None, True),
    ("PO Box 123", "GB", "PO Box", 123, None, True),
    ("B.P. 12", "FR", "BP", 12, None, True),
    # Belgian boxes (bus / bte) are additions, not PO boxes
    ("Rue de la Loi 16 bus 3", "BE", "Rue de la Loi", 16, "bus 3", False),
    ("Rue de la Loi 16 bte 3", "B", "Rue de la Loi", 16, "bte 3", False),
    ("Rue Neuve 45 bus 3", "BE", "Rue Neuve", 45, "bus 3", False),
    # German
    ("Hauptstraße 5a", "DE", "Hauptstraße", 5, "a", False),
    ("Bahnhofstraße 7", "D", "Bahnhofstraße", 7, None, False),
    # number first where the country writes it so (or where nothing else can be the number)
    ("12 Rue de la Paix", "FR", "Rue de la Paix", 12, None, False),
    ("12bis rue Victor Hugo", "F", "rue Victor Hugo", 12, "bis", False),
    ("10 Downing Street", "GB", "Downing Street", 10, None, False),
    ("Rue de la Paix 12", "FR", "Rue de la Paix", 12, None, False),
    ("12 Rue de la Paix", None, "Rue de la Paix", 12, None, False),
]

# (line, country, a word the reason must contain): never guessed, the whole line goes into the street
FLAGGED: list[tuple[str, str | None, str]] = [
    ("Kerkstraat", "NL", "no house number"),
    ("2e Jan Steenstraat", None, "no house number"),
    ("", "NL", "empty"),
    ("12 Rue de la Paix", "NL", "before the street"),
    ("Kerkstraat 1234567", "NL", "digits"),
    ("Avenue du 8 Mai 1945 12", "FR", "no house number after the street"),
    ("Kerkstraat 12, 1017 AB Amsterdam", "NL", "no house number after the street"),
    ("Kerkstraat12", "NL", "no space between the street and the house number"),
    ("Postbus", "NL", "without a box number"),
    ("Postbus 12 Amsterdam", "NL", "more than a box number"),
]


@pytest.mark.parametrize(("line", "country", "street", "number", "addition", "po_box"), SPLIT)
def test_address_lines_split_into_afas_fields(
    line: str, country: str | None, street: str, number: int, addition: str | None, po_box: bool
) -> None:
    parsed = parse_address(line, country)
    assert (parsed.street, parsed.house_number, parsed.addition, parsed.po_box) == (
        street,
        number,
        addition,
        po_box,
    )
    assert not parsed.flagged and parsed.reason is None
    assert isinstance(parsed.house_number, int)  # HmNr is an integer in AFAS's OpenAPI


@pytest.mark.parametrize(("line", "country", "reason"), FLAGGED)
def test_what_cannot_be_split_goes_whole_into_the_street(line: str, country: str | None, reason: str) -> None:
    parsed = parse_address(line, country)
    assert parsed.flagged and parsed.reason is not None and reason in parsed.reason, parsed
    assert parsed.street == " ".join(line.split()).strip(" ,;")
    assert (parsed.house_number, parsed.addition, parsed.po_box) == (None, None, False)


def test_the_table_has_the_forms_the_issue_lists() -> None:
    assert len(SPLIT) + len(FLAGGED) >= 25
    lines = {line for line, *_ in SPLIT}
    for form in (
        "Kerkstraat 12a",
        "Kerkstraat 12 A",
        "Kerkstraat 12-14",
        "Rue du Midi 7 bis",
        "Dorpsstraat 1-A",
        "Oudegracht 12/3",
        "Prinsengracht 12 hs",
        "Lange Voorhout 12-II",
        "2e Jan Steenstraat 4",
        "Plein 1944 12",
        "Laan 1940-1945 3",
        "Postbus 51",
        "Antwoordnummer 123",
        "postbus 1234",
        "Rue de la Loi 16 bus 3",
        "Rue de la Loi 16 bte 3",
        "Hauptstraße 5a",
        "12 Rue de la Paix",
    ):
        assert form in lines, form


def test_a_street_longer_than_afas_keeps_is_cut_at_a_word_and_flagged() -> None:
    line = "Burgemeester van Nieuwenhovenstraat der Verenigde Nederlanden tot Zwolle 3"
    parsed = parse_address(line, "NL")
    assert STREET_MAX == field_limit("KnOrganisation", "KnBasicAddressAdr", "Ad").max_length == 60
    assert len(parsed.street) <= STREET_MAX and line.startswith(parsed.street + " ")
    assert parsed.house_number == 3 and parsed.flagged and "60" in (parsed.reason or "")
    assert parsed.text == line  # the full line, for a memo field
    unsplit = parse_address("Zonder huisnummer " + "heel lange straatnaam " * 4, "NL")
    assert unsplit.flagged and len(unsplit.street) <= STREET_MAX and "cut" in (unsplit.reason or "")


def test_afas_fields_fit_the_openapi_limits() -> None:
    assert field_limit("KnOrganisation", "KnBasicAddressAdr", "HmAd").max_length == ADDITION_MAX
    for line, country, *_ in SPLIT:
        fields = parse_address(line, country).afas_fields()
        body = {
            "KnOrganisation": {
                "Element": {
                    "Fields": {"BcCo": "1", "Nm": "X"},
                    "Objects": [{"KnBasicAddressAdr": {"Element": {"Fields": {"CoId": "NL", **fields}}}}],
                }
            }
        }
        assert check_body("KnOrganisation", body) == [], line
    fields = parse_address("Kerkstraat 12a", "NL").afas_fields()
    assert fields == {"PbAd": False, "Ad": "Kerkstraat", "HmNr": 12, "HmAd": "a"}
    assert parse_address("Kerkstraat", "NL").afas_fields() == {"PbAd": False, "Ad": "Kerkstraat"}
    assert parse_address("Postbus 51", "NL").afas_fields() == {"PbAd": True, "Ad": "Postbus", "HmNr": 51}


def test_parsed_address_is_a_value() -> None:
    assert parse_address("Kerkstraat 12a", "nl") == ParsedAddress(
        "Kerkstraat", 12, "a", False, False, None, "Kerkstraat 12a"
    )
    assert parse_address(None).flagged
