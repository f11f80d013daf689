"""GetConnectors of a customer's AFAS laid out differently from ours (docs/mappings/): the attributes of an item
as one row per item with a column per attribute, prices with the base price as the row without a price list
(both read with the standard article connector Profit_Article), and item groups with their parent group
(nested categories; AFAS's standard Profit_ArticleGroups has no parent). Read through data mappings."""

from __future__ import annotations

from .getconnectors.base import GetConnector, Row, field_defs, ident, rebuild, text_or_none
from .store import AfasStore


def _wide_attributes(state: AfasStore, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None or not (a.colour or a.size):
        return []
    return [
        {
            "Itemcode": a.item_code,
            "Kleur": text_or_none(a.colour),
            "Maat": text_or_none(a.size),
            "Gewijzigd": a.modified,
        }
    ]


def _item_prices(state: AfasStore, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None:
        return []
    rows: list[Row] = [
        {
            "Itemcode": a.item_code,
            "Prijslijst": None,
            "VanafAantal": 1,
            "Prijs": a.price_excl,
            "Begindatum": None,
            "Gewijzigd": a.modified,
        }
    ]
    rows += [
        {
            "Itemcode": r.item_code,
            "Prijslijst": r.price_list,
            "VanafAantal": r.from_qty,
            "Prijs": r.price,
            "Begindatum": r.valid_from,
            "Gewijzigd": r.modified,
        }
        for r in state.price_rows.values()
        if r.item_code == code
    ]
    return rows


def _nested_group(state: AfasStore, code: str) -> list[Row]:
    g = state.groups.get(code)
    return (
        [
            {
                "Artikelgroep": g.code,
                "Omschrijving": text_or_none(g.description),
                "Hoofdgroep": text_or_none(g.parent),
            }
        ]
        if g
        else []
    )


def layout_connectors() -> list[GetConnector]:
    articles = {"articles": ident}
    return [
        GetConnector(
            "Klant_Artikelgroepen",
            "Artikelgroepen met hoofdgroep",
            field_defs("""
            Artikelgroep:string:15::Artikelgroep
            Omschrijving:string:255::Omschrijving
            Hoofdgroep:string:15::Hoofdartikelgroep"""),
            lambda s: s.groups,
            _nested_group,
            {"groups": ident},
        ),
        GetConnector(
            "Klant_ArtikelAttributen",
            "Artikelattributen per artikel",
            field_defs("""
            Itemcode:string:40::Itemcode
            Kleur:string:80::Kleur
            Maat:string:80::Maat
            Gewijzigd:date:0::Gewijzigd op"""),
            lambda s: s.articles,
            _wide_attributes,
            articles,
        ),
        GetConnector(
            "Klant_Artikelprijzen",
            "Artikelprijzen (basisprijs zonder prijslijst)",
            field_defs("""
            Itemcode:string:40::Itemcode
            Prijslijst:string:10::Prijslijst
            VanafAantal:decimal:18:4:Vanaf aantal
            Prijs:decimal:18:4:Prijs
            Begindatum:date:0::Begindatum
            Gewijzigd:date:0::Gewijzigd op"""),
            lambda s: s.articles,
            _item_prices,
            {"articles": ident, "price_rows": rebuild},
        ),
    ]
