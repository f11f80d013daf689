"""The word lists and fixed tables the demo shop is made of (Dutch, like the shop)."""

from __future__ import annotations

GROUPS: list[tuple[str, str]] = [
    ("100", "Dameskleding"),
    ("200", "Herenkleding"),
    ("300", "Schoenen"),
    ("400", "Accessoires"),
    ("500", "Wonen"),
    ("600", "Cadeaubonnen"),
]
WAREHOUSES: list[tuple[str, str]] = [
    ("01", "Hoofdmagazijn Utrecht"),
    ("02", "Winkel Amsterdam"),
    ("03", "Winkel Haarlem"),
]
BRANCHES: list[tuple[int, str]] = [(1, "Amsterdam Centrum"), (2, "Haarlem Grote Markt")]
COLOURS = ["Zwart", "Wit", "Navy", "Rood", "Groen"]
SIZES = ["XS", "S", "M", "L", "XL"]
SHOE_SIZES = ["38", "39", "40", "41", "42", "43"]
NOUNS = {
    "100": ["Jurk", "Blouse", "Rok", "Vest", "Trui", "Jas"],
    "200": ["Overhemd", "Polo", "Chino", "Colbert", "Hoodie", "Jeans"],
    "300": ["Sneaker", "Laars", "Loafer", "Sandaal"],
    "400": ["Sjaal", "Riem", "Tas", "Pet", "Handschoenen"],
    "500": ["Kaars", "Vaas", "Plaid", "Kussen", "Mok", "Dienblad"],
    "600": ["Cadeaubon"],
}
ADJECTIVES = [
    "Classic",
    "Urban",
    "Linnen",
    "Wollen",
    "Katoenen",
    "Basic",
    "Premium",
    "Vintage",
    "Sport",
    "Eco",
]
STREETS = [
    "Kerkstraat",
    "Dorpsstraat",
    "Stationsweg",
    "Molenweg",
    "Hoofdstraat",
    "Prinsengracht",
    "Lange Voorhout",
    "Rue Neuve",
    "Bahnhofstraße",
    "Oudegracht",
]
CITIES = {
    "NL": [("1015 CJ", "Amsterdam"), ("3511 AB", "Utrecht"), ("2011 RA", "Haarlem"), ("2514 EE", "Den Haag")],
    "BE": [("1000", "Brussel"), ("2000", "Antwerpen"), ("9000", "Gent")],
    "DE": [("47051", "Duisburg"), ("40213", "Düsseldorf"), ("50667", "Köln")],
}
FIRST_NAMES = [
    "Jan",
    "Sanne",
    "Pieter",
    "Eva",
    "Daan",
    "Lotte",
    "Bram",
    "Fleur",
    "Koen",
    "Anouk",
    "Lars",
    "Noor",
]
LAST_NAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("de", "Boer"),
    ("van den", "Berg"),
    ("", "Mulder"),
    ("", "Peeters"),
    ("", "Müller"),
]
COMPANY_WORDS = ["Boetiek", "Mode", "Interieur", "Hotel", "Studio", "Atelier", "Concept Store"]
PRICE_LISTS: list[tuple[str, str, bool]] = [
    # (code, description, prices include VAT)
    ("P01", "Groothandel", False),
    ("P02", "Horeca", False),
    ("P03", "Vrienden van de winkel", True),
    ("P99", "Oude beurslijst (niet gekoppeld)", False),
]
PRICE_GROUPS: list[tuple[int, str]] = [(1, "Groothandel"), (2, "Horeca"), (3, "Vrienden")]
PAYMENT_METHODS: list[tuple[str, str]] = [
    ("CASH", "Contant"),
    ("PIN", "Pinbetaling"),
    ("IDEAL", "iDEAL"),
    ("ONACCOUNT", "Op rekening"),
]
