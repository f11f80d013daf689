"""GetConnectors: Articles, article groups, warehouses and stock: Profit_Article, Profit_ArticleGroups,
Profit_Barcode_per_Item, Profit_Warehouses, Profit_Stock_per_Warehouse, Sync_Articles, Sync_ItemAttributes,
Sync_ItemFeatures, Sync_StockPerWarehouse.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import UNIT_DECIMALS
from ..store import AfasStore
from .base import (
    Deps,
    GetConnector,
    Row,
    field_defs,
    ident,
    text_or_none,
)


def _article(state: AfasStore, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None:
        return []
    return [
        {
            "ItemCode": a.item_code,
            "Description": text_or_none(a.description),
            "ExtraDescription": text_or_none(a.extra_description),
            "UnitId": text_or_none(a.unit),
            "Factor": 1,
            "ArtGroup": text_or_none(a.group_code),
            "Blocked": a.blocked,
            "Barcode": text_or_none(a.ean),
            "VATGroup": text_or_none(a.vat_group),
            "ItemSortCode": None,
            "ItemTypeCode": "Art",
            "Stock": a.stock_tracked,
            "BitDecimals": UNIT_DECIMALS.get(a.unit, 0),
            "PriceGroup": None,
            "StockCode": None,
            "StockDimId1": None,
            "StockDimId2": None,
            "CreateDate": a.created,
            "ModifiedDate": a.modified,
        }
    ]


def _sync_article(state: AfasStore, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None:
        return []
    return [
        {
            "ItemCode": a.item_code,
            "Description": text_or_none(a.description),
            "ExtraDescription": text_or_none(a.extra_description),
            "ArtGroup": text_or_none(a.group_code),
            "DiscountGroup": text_or_none(a.discount_group),
            "Blocked": a.blocked,
            "Barcode": text_or_none(a.ean),
            "VATGroup": text_or_none(a.vat_group),
            "Stock": a.stock_tracked,
            "UnitId": text_or_none(a.unit),
            "SalesPrice": a.price_excl,
            "Currency": text_or_none(a.currency),
            "ModelCode": text_or_none(a.model_code),
            "Brand": text_or_none(a.brand),
            "PosArticle": a.pos,
            "CreateDate": a.created,
            "ModifiedDate": a.modified,
        }
    ]


def _attributes(state: AfasStore, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None:
        return []
    rows = []
    for seq, (attr, label, value) in enumerate((("KLEUR", "Kleur", a.colour), ("MAAT", "Maat", a.size)), 1):
        if value:
            rows.append(
                {
                    "ItemCode": a.item_code,
                    "ModelCode": text_or_none(a.model_code),
                    "AttributeCode": attr,
                    "AttributeDescription": label,
                    "Value": value,
                    "SequenceNumber": seq,
                    "ModifiedDate": a.modified,
                }
            )
    return rows


def _features(state: AfasStore, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None:
        return []
    return [
        {
            "ItemCode": a.item_code,
            "FeatureCode": name.upper(),
            "FeatureDescription": name,
            "Value": text_or_none(value),
            "ModifiedDate": a.modified,
        }
        for name, value in a.features.items()
    ]


def _barcode(state: AfasStore, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None or not a.ean:
        return []
    return [
        {
            "ItemType": "Art",
            "ItemCode": a.item_code,
            "UnitId": text_or_none(a.unit),
            "BarcodeType": "EAN13",
            "Barcode": a.ean,
            "StockDimCode1": None,
            "StockDimCode2": None,
            "SerialNumber": None,
            "BatchNumber": None,
            "DebtorId": None,
            "CreditorId": None,
        }
    ]


def _group(state: AfasStore, code: str) -> list[Row]:
    g = state.groups.get(code)
    return [{"Artikelgroep": g.code, "Omschrijving": text_or_none(g.description)}] if g else []


def _warehouse(state: AfasStore, code: str) -> list[Row]:
    w = state.warehouses.get(code)
    if w is None:
        return []
    return [
        {
            "Warehouse": w.code,
            "Description": text_or_none(w.description),
            "UnitIdFin": 1,
            "Blocked": w.blocked,
            "Barcode": None,
            "BasicContactCode": None,
            "Name": None,
            "AdressLine1": None,
            "AdressLine2": None,
            "AdressLine3": None,
            "CountryId": "NL",
            "CreateDate": w.created,
            "ModifiedDate": w.modified,
        }
    ]


def _stock_item(state: AfasStore, code: str) -> list[Row]:
    per_wh = state.stock_by_item.get(code)
    a = state.articles.get(code)
    if not per_wh or a is None:
        return []
    total = sum((s.physical for s in per_wh.values()), Decimal(0))
    return [
        {
            "Basisartikeltype_code": "Art",
            "Item_code": code,
            "In_stock": total,
            "Unit": text_or_none(a.unit),
            "Stock_level_code": None,
        }
    ]


def _stock_wh(state: AfasStore, key: tuple[str, str]) -> list[Row]:
    s = state.stock.get(key)
    if s is None:
        return []
    return [
        {
            "ItemCode": s.item_code,
            "Warehouse": s.warehouse,
            "PhysicalStock": s.physical,
            "AvailableStock": s.physical - s.allocated,
            "SalesReservations": s.reserved,
            "PurchaseOrdered": s.incoming,
            "ModifiedDate": s.modified,
        }
    ]


_ARTICLES_DEP: Deps = {"articles": ident}
CONNECTORS: list[GetConnector] = [
    GetConnector(
        "Profit_Article",
        "Artikelen",
        field_defs("""
        ItemCode:string:40::Itemcode
        Description:string:255::Omschrijving
        ExtraDescription:string:1000::Extra omschrijving
        UnitId:string:10::Basiseenheid
        Factor:int:9::Prijsfactor
        ArtGroup:string:15::Artikelgroep
        Blocked:boolean:1::Geblokkeerd
        Barcode:string:100::Barcode
        VATGroup:string:10::Btw-tariefgroep
        ItemSortCode:string:10::Artikelsoort code
        ItemTypeCode:string:10::Artikeltype code
        Stock:boolean:1::Voorraad bijhouden
        BitDecimals:int:1::Aantal decimalen
        PriceGroup:string:10::Prijsgroep
        StockCode:string:10::Voorraadcontrole code
        StockDimId1:string:10::Artikeldimensie 1
        StockDimId2:string:10::Artikeldimensie 2
        CreateDate:date:0::Aangemaakt op
        ModifiedDate:date:0::Gewijzigd op"""),
        lambda s: s.articles,
        _article,
        _ARTICLES_DEP,
    ),
    GetConnector(
        "Profit_ArticleGroups",
        "Artikelgroepen (rapport)",
        field_defs("""
        Artikelgroep:string:15::Artikelgroep
        Omschrijving:string:255::Omschrijving"""),
        lambda s: s.groups,
        _group,
        {"groups": ident},
    ),
    GetConnector(
        "Profit_Barcode_per_Item",
        "Barcode per artikel",
        field_defs("""
        ItemType:string:10::Type itemcode
        ItemCode:string:40::Itemcode
        UnitId:string:10::Eenheid
        BarcodeType:string:10::Barcodetype
        Barcode:string:100::Barcode
        StockDimCode1:string:10::Artikeldimensiecode 1
        StockDimCode2:string:10::Artikeldimensiecode 2
        SerialNumber:string:40::Serienummer
        BatchNumber:string:40::Partijnummer
        DebtorId:string:16::Verkooprelatie
        CreditorId:string:16::Inkooprelatie"""),
        lambda s: s.articles,
        _barcode,
        _ARTICLES_DEP,
    ),
    GetConnector(
        "Profit_Warehouses",
        "Magazijnen",
        field_defs("""
        Warehouse:string:15::Magazijn
        Description:string:80::Omschrijving
        UnitIdFin:int:3::Administratie
        Blocked:boolean:1::Geblokkeerd
        Barcode:string:100::Barcode
        BasicContactCode:string:15::Nummer
        Name:string:255::Naam
        AdressLine1:string:255::Adresregel 1
        AdressLine2:string:255::Adresregel 2
        AdressLine3:string:255::Adresregel 3
        CountryId:string:3::Land
        CreateDate:date:0::Aangemaakt op
        ModifiedDate:date:0::Gewijzigd op"""),
        lambda s: s.warehouses,
        _warehouse,
        {"warehouses": ident},
    ),
    GetConnector(
        "Profit_Stock_per_Warehouse",
        "Voorraad (virtueel) per artikel",
        field_defs("""
        Basisartikeltype_code:string:10::Basisartikeltype code
        Item_code:string:40::Itemcode
        In_stock:decimal:18:4:Op voorraad
        Unit:string:10::Eenheid
        Stock_level_code:string:10::Voorraadniveau code"""),
        lambda s: (c for c in s.articles if c in s.stock_by_item),
        _stock_item,
        {"stock": lambda _s, key: [key[0]], "articles": ident},
    ),
    GetConnector(
        "Sync_Articles",
        "Sync: artikelen",
        field_defs("""
        ItemCode:string:40::Itemcode
        Description:string:255::Omschrijving
        ExtraDescription:string:1000::Extra omschrijving
        ArtGroup:string:15::Artikelgroep
        DiscountGroup:string:15::Kortingsgroep
        Blocked:boolean:1::Geblokkeerd
        Barcode:string:100::Barcode
        VATGroup:string:10::Btw-tariefgroep
        Stock:boolean:1::Voorraad bijhouden
        UnitId:string:10::Basiseenheid
        SalesPrice:decimal:18:4:Verkoopprijs
        Currency:string:3::Valuta
        ModelCode:string:40::Modelcode
        Brand:string:80::Merk
        PosArticle:boolean:1::Kassa-artikel
        CreateDate:date:0::Aangemaakt op
        ModifiedDate:date:0::Gewijzigd op"""),
        lambda s: s.articles,
        _sync_article,
        _ARTICLES_DEP,
    ),
    GetConnector(
        "Sync_ItemAttributes",
        "Sync: artikelattributen",
        field_defs("""
        ItemCode:string:40::Itemcode
        ModelCode:string:40::Modelcode
        AttributeCode:string:20::Attribuutcode
        AttributeDescription:string:80::Attribuut
        Value:string:80::Waarde
        SequenceNumber:int:9::Volgnummer
        ModifiedDate:date:0::Gewijzigd op"""),
        lambda s: s.articles,
        _attributes,
        _ARTICLES_DEP,
    ),
    GetConnector(
        "Sync_ItemFeatures",
        "Sync: artikelkenmerken",
        field_defs("""
        ItemCode:string:40::Itemcode
        FeatureCode:string:20::Kenmerkcode
        FeatureDescription:string:80::Kenmerk
        Value:string:255::Waarde
        ModifiedDate:date:0::Gewijzigd op"""),
        lambda s: s.articles,
        _features,
        _ARTICLES_DEP,
    ),
    GetConnector(
        "Sync_StockPerWarehouse",
        "Sync: voorraad per magazijn",
        field_defs("""
        ItemCode:string:40::Itemcode
        Warehouse:string:15::Magazijn
        PhysicalStock:decimal:18:4:Fysieke voorraad
        AvailableStock:decimal:18:4:Beschikbare voorraad
        SalesReservations:decimal:18:4:Verkoopreserveringen
        PurchaseOrdered:decimal:18:4:In bestelling
        ModifiedDate:date:0::Gewijzigd op"""),
        lambda s: s.stock,
        _stock_wh,
        {"stock": ident},
    ),
]
