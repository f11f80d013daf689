"""GetConnector definitions: id, description, fields (for metainfo) and how rows are built from the state.

Standard connectors use exactly the field names of AFAS's OpenAPI row schemas (every field; null where the
demo has no value); the custom `Sync_*` ones are those of docs/custom-connectors.md. A connector builds
its rows per *entity* (an article, a stock record, a debtor...); `deps` says which state tables feed it and
maps a changed key of such a table to the entities whose rows change (None = rebuild everything).
Row values are typed (str, int, Decimal, bool, datetime, None); app.py turns them into JSON per page.
[INF] values the demo cannot know: ItemTypeCode/ItemType/Basisartikeltype_code "Art", BarcodeType "EAN13",
Factor 1, BitDecimals 0, Profit_OrgPer.Type "O"/"P", Ordersoort "Verkooporder"/"Offerte"/"Directe factuur".
Profit_Stock_per_Warehouse has no warehouse column: one row per article, In_stock = physical stock summed
over warehouses. Debtor rows take the later ModifiedDate of the debtor and its organisation/person.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from .model import COUNTRY_NAMES, UNIT_DECIMALS, OrderLine, SalesOrder, as_datetime
from .pricing import net_price, price_index, tiers

if TYPE_CHECKING:
    from .state import AfasState

Row = dict[str, Any]
Deps = dict[str, Callable[["AfasState", Any], Iterable[Hashable] | None]]

CONTROL_TYPES = {"string": 1, "int": 5, "decimal": 6, "date": 4, "boolean": 3, "blob": 2}


@dataclass(frozen=True, slots=True)
class FieldDef:
    id: str
    data_type: str  # string, int, decimal, date, boolean
    label: str
    length: int = 0
    decimals: int = 0


@dataclass
class GetConnector:
    id: str
    description: str
    fields: list[FieldDef]
    entities: Callable[[AfasState], Iterable[Hashable]]  # natural (insertion) order
    build: Callable[[AfasState, Any], list[Row]]  # the rows of one entity; [] when it no longer exists
    deps: Deps
    inputs: tuple[str, ...] = ()  # filter fields that are parameters, not row filters (Profit_SalesPrice)
    dynamic: Callable[[AfasState, dict[str, Any]], list[Row]] | None = None
    names: tuple[str, ...] = field(init=False)
    index_of: dict[str, int] = field(init=False)
    types: tuple[str, ...] = field(init=False)
    text_indexes: tuple[int, ...] = field(init=False)
    _getter: Callable[[Row], tuple[Any, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self.names = tuple(f.id for f in self.fields)
        self.index_of = {n.casefold(): i for i, n in enumerate(self.names)}
        self.types = tuple(f.data_type for f in self.fields)
        self.text_indexes = tuple(i for i, t in enumerate(self.types) if t == "string")
        getter = itemgetter(*self.names)
        self._getter = (lambda d: (getter(d),)) if len(self.names) == 1 else getter

    def to_tuple(self, row: Row) -> tuple[Any, ...]:
        return self._getter(row)

    def field_index(self, name: str) -> int | None:
        """AFAS field ids are matched case-insensitively [INF]."""
        return self.index_of.get(name.strip().casefold())

    def metainfo(self) -> dict[str, Any]:
        return {
            "name": self.id,
            "description": self.description,
            "fields": [
                {
                    "id": f.id,
                    "fieldId": _field_id(i, f),
                    "dataType": f.data_type,
                    "label": f.label,
                    "length": f.length,
                    "controlType": CONTROL_TYPES.get(f.data_type, 1),
                    "decimals": f.decimals,
                    "decimalsFieldId": "",
                }
                for i, f in enumerate(self.fields)
            ],
        }


def _field_id(i: int, f: FieldDef) -> str:
    # Custom connectors show the technical ids of their source fields; the stand-in numbers them.
    return f"U{i + 1:03d}"


def _fields(spec: str) -> list[FieldDef]:
    """`Id:type:length:decimals:Label` per line."""
    out = []
    for line in spec.strip().splitlines():
        fid, dtype, length, decimals, label = line.strip().split(":", 4)
        out.append(FieldDef(fid, dtype, label, int(length or 0), int(decimals or 0)))
    return out


def _s(value: Any) -> str | None:
    """AFAS returns null, never "", for an empty text."""
    if value is None or value == "":
        return None
    return str(value)


def _street_line(op: Any) -> str | None:
    parts = [p for p in (op.street, op.house_number, op.house_addition) if p]
    return " ".join(parts) or None


def _zip_city(op: Any) -> str | None:
    parts = [p for p in (op.zipcode, op.city) if p]
    return " ".join(parts) or None


def _country_line(op: Any) -> str | None:
    if not op.country or op.country == "NL":
        return None  # AFAS prints a country only for foreign addresses
    return COUNTRY_NAMES.get(op.country, op.country)


def _ident(_state: AfasState, key: Any) -> list[Any]:
    return [key]


def _rebuild(_state: AfasState, _key: Any) -> None:
    return None


# ---------------------------------------------------------------- articles


def _article(state: AfasState, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None:
        return []
    return [
        {
            "ItemCode": a.item_code,
            "Description": _s(a.description),
            "ExtraDescription": _s(a.extra_description),
            "UnitId": _s(a.unit),
            "Factor": 1,
            "ArtGroup": _s(a.group_code),
            "Blocked": a.blocked,
            "Barcode": _s(a.ean),
            "VATGroup": _s(a.vat_group),
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


def _sync_article(state: AfasState, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None:
        return []
    return [
        {
            "ItemCode": a.item_code,
            "Description": _s(a.description),
            "ExtraDescription": _s(a.extra_description),
            "ArtGroup": _s(a.group_code),
            "DiscountGroup": _s(a.discount_group),
            "Blocked": a.blocked,
            "Barcode": _s(a.ean),
            "VATGroup": _s(a.vat_group),
            "Stock": a.stock_tracked,
            "UnitId": _s(a.unit),
            "SalesPrice": a.price_excl,
            "Currency": _s(a.currency),
            "ModelCode": _s(a.model_code),
            "Brand": _s(a.brand),
            "PosArticle": a.pos,
            "CreateDate": a.created,
            "ModifiedDate": a.modified,
        }
    ]


def _attributes(state: AfasState, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None:
        return []
    rows = []
    for seq, (attr, label, value) in enumerate((("KLEUR", "Kleur", a.colour), ("MAAT", "Maat", a.size)), 1):
        if value:
            rows.append(
                {
                    "ItemCode": a.item_code,
                    "ModelCode": _s(a.model_code),
                    "AttributeCode": attr,
                    "AttributeDescription": label,
                    "Value": value,
                    "SequenceNumber": seq,
                    "ModifiedDate": a.modified,
                }
            )
    return rows


def _features(state: AfasState, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None:
        return []
    return [
        {
            "ItemCode": a.item_code,
            "FeatureCode": name.upper(),
            "FeatureDescription": name,
            "Value": _s(value),
            "ModifiedDate": a.modified,
        }
        for name, value in a.features.items()
    ]


def _barcode(state: AfasState, code: str) -> list[Row]:
    a = state.articles.get(code)
    if a is None or not a.ean:
        return []
    return [
        {
            "ItemType": "Art",
            "ItemCode": a.item_code,
            "UnitId": _s(a.unit),
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


def _group(state: AfasState, code: str) -> list[Row]:
    g = state.groups.get(code)
    return [{"Artikelgroep": g.code, "Omschrijving": _s(g.description)}] if g else []


def _warehouse(state: AfasState, code: str) -> list[Row]:
    w = state.warehouses.get(code)
    if w is None:
        return []
    return [
        {
            "Warehouse": w.code,
            "Description": _s(w.description),
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


def _stock_item(state: AfasState, code: str) -> list[Row]:
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
            "Unit": _s(a.unit),
            "Stock_level_code": None,
        }
    ]


def _stock_wh(state: AfasState, key: tuple[str, str]) -> list[Row]:
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


# ---------------------------------------------------------------- relations


def _debtor_parts(state: AfasState, debtor_id: str) -> tuple[Any, Any] | None:
    d = state.debtors.get(debtor_id)
    if d is None:
        return None
    op = state.orgpers.get(d.bc_co)
    return (d, op) if op is not None else None


def _debtor(state: AfasState, debtor_id: str) -> list[Row]:
    parts = _debtor_parts(state, debtor_id)
    if parts is None:
        return []
    d, op = parts
    return [
        {
            "DebtorId": d.debtor_id,
            "DebtorName": _s(op.display_name()),
            "BcCo": d.bc_co,
            "SearchName": _s(op.search_name),
            "AdressLine1": _street_line(op),
            "AdressLine3": _zip_city(op),
            "AdressLine4": _country_line(op),
            "TelNr": _s(op.phone),
            "Email": _s(op.email or op.contact_email),
            "IBAN": _s(d.iban),
            "VatNr": _s(d.vat_number),
            "ChOfCommNr": _s(op.coc_number),
            "CollectAccount": _s(d.collect_account),
            "PayCon": _s(d.payment_condition),
            "VatDuty": _s(d.vat_duty),
            "Blocked": d.blocked,
            "CreditLimit": d.credit_limit,
            "CurrencyId": _s(d.currency),
            "AutoPayment": d.auto_payment,
            "CreateDate": d.created,
            "ModifiedDate": max(d.modified, op.modified),
        }
    ]


def _sync_debtor(state: AfasState, debtor_id: str) -> list[Row]:
    parts = _debtor_parts(state, debtor_id)
    if parts is None:
        return []
    d, op = parts
    org = op.kind == "O"
    return [
        {
            "DebtorId": d.debtor_id,
            "DebtorName": _s(op.display_name()),
            "BcCo": d.bc_co,
            "RelationType": op.kind,
            "OrganisationName": _s(op.name) if org else None,
            "FirstName": None if org else _s(op.first_name),
            "Prefix": None if org else _s(op.prefix),
            "LastName": None if org else _s(op.last_name),
            "ContactFirstName": _s(op.contact_first_name) if org else None,
            "ContactPrefix": _s(op.contact_prefix) if org else None,
            "ContactLastName": _s(op.contact_last_name) if org else None,
            "Email": _s(op.email or op.contact_email),
            "Street": _s(op.street),
            "HouseNumber": _s(op.house_number),
            "HouseNumberAddition": _s(op.house_addition),
            "ZipCode": _s(op.zipcode),
            "City": _s(op.city),
            "CountryId": _s(op.country),
            "VatNumber": _s(d.vat_number),
            "ChamberOfCommerce": _s(op.coc_number),
            "PaymentCondition": _s(d.payment_condition),
            "PriceList": _s(d.price_list),
            "CustomerGroup": _s(d.customer_group),
            "DiscountPercentage": d.discount_pct,
            "Blocked": d.blocked,
            "ModifiedDate": max(d.modified, op.modified),
        }
    ]


def _orgper(state: AfasState, bc_co: str) -> list[Row]:
    op = state.orgpers.get(bc_co)
    if op is None:
        return []
    return [
        {
            "BcCo": op.bc_co,
            "Type": op.kind,
            "SearchName": _s(op.search_name),
            "Name": _s(op.display_name()),
            "AdressLine1": _street_line(op),
            "AdressLine3": _zip_city(op),
            "AdressLine4": _country_line(op),
            "TelWork": _s(op.phone),
            "MailWork": _s(op.email),
            "Homepage": _s(op.homepage),
            "Note": _s(op.note),
            "ChOfCommNr": _s(op.coc_number),
            "DateBirth": op.birth_date,
            "BSN": _s(op.bsn),
        }
    ]


def _debtors_of_bc(state: AfasState, bc_co: str) -> list[str]:
    return sorted(state.debtors_by_bc.get(bc_co, ()))


# ---------------------------------------------------------------- prices


def _price_row(state: AfasState, rid: int) -> list[Row]:
    r = state.price_rows.get(rid)
    if r is None:
        return []
    plist = state.price_lists.get(r.price_list)
    return [
        {
            "PriceList": r.price_list,
            "PriceListDescription": _s(plist.description) if plist else None,
            "VatIncluded": bool(plist and plist.vat_included),
            "ItemCode": r.item_code,
            "FromQuantity": r.from_qty,
            "Price": r.price,
            "DiscountPercentage": r.discount_pct,
            "ValidFrom": r.valid_from,
            "ValidTo": r.valid_to,
            "Currency": _s(r.currency),
            "ModifiedDate": r.modified,
        }
    ]


def _agreement(state: AfasState, aid: int) -> list[Row]:
    g = state.agreements.get(aid)
    if g is None:
        return []
    return [
        {
            "DebtorId": g.debtor_id,
            "ItemCode": _s(g.item_code),
            "DiscountGroup": _s(g.discount_group),
            "FromQuantity": g.from_qty,
            "Price": g.price,
            "DiscountPercentage": g.discount_pct,
            "ValidFrom": g.valid_from,
            "ValidTo": g.valid_to,
            "ModifiedDate": g.modified,
        }
    ]


def _sales_prices(state: AfasState, inputs: dict[str, Any]) -> list[Row]:
    """Profit_SalesPrice: the price of every (not blocked) article for the Debtor filter on Date;
    Volume=true adds a row per staffel tier; Level names a price list to use instead of the debtor's."""
    debtor_id = inputs.get("Debtor")
    at = inputs.get("Date") or state.today()
    volume = bool(inputs.get("Volume"))
    debtor = state.debtors.get(debtor_id) if debtor_id else None
    price_list = inputs.get("Level") or (debtor.price_list if debtor else None)
    index = price_index(state)
    out: list[Row] = []
    for a in state.articles.values():
        if a.blocked:
            continue
        quantities = tiers(state, index, a, price_list, debtor_id, at) if volume else [Decimal(1)]
        for qty in quantities:
            gross, net = net_price(state, index, a, price_list, debtor_id if debtor else None, qty, at)
            out.append(
                {
                    "Debtor": debtor_id,
                    "Date": at,
                    "Currency": inputs.get("Currency") or "EUR",
                    "Volume": volume,
                    "Level": inputs.get("Level"),
                    "Item": a.item_code,
                    "Description": _s(a.description),
                    "Quantity": qty,
                    "Unit": _s(a.unit),
                    "GrossPrice": gross,
                    "Discount": gross - net,
                    "Nettoprijs": net,
                }
            )
    return out


# ---------------------------------------------------------------- orders

ORDER_KINDS = {"FbSales": "Verkooporder", "FbSalesQuotation": "Offerte", "FbDirectInvoice": "Directe factuur"}
ITEM_TYPES = {"1": "Wst", "2": "Art", "3": "Tkst", "6": "Kst"}
CENT = Decimal("0.01")


def order_amounts(order: SalesOrder) -> dict[str, Decimal]:
    """Gross (as entered), line discounts, total excl. VAT, VAT and invoice total of an order."""
    gross = discount = total = vat = qty = Decimal(0)
    for line in order.lines:
        gross += line.gross
        discount += line.discount_amount
        qty += line.quantity
        excl = line.net / (1 + line.vat_pct / 100) if order.vat_included else line.net
        total += excl
        vat += excl * line.vat_pct / 100
    total, vat = total.quantize(CENT), vat.quantize(CENT)
    return {
        "Gross": gross.quantize(CENT),
        "Discount": discount.quantize(CENT),
        "TotalAmount": total,
        "VAT": vat,
        "Quantity": qty,
        "InvoiceTotal": total + vat,
    }


def _order(state: AfasState, number: str) -> list[Row]:
    o = state.orders.get(number)
    if o is None:
        return []
    return [
        {
            "Ordersoort": ORDER_KINDS.get(o.connector, o.connector),
            "OrderNumber": o.order_number,
            "Status": o.status,
            "OrderDate": o.order_date,
            "DebtorId": o.debtor_id,
            "CurrencyId": _s(o.currency),
            "CustomerReference": _s(o.reference),
            **order_amounts(o),
        }
    ]


def _line_row(o: SalesOrder, line: OrderLine) -> Row:
    return {
        "OrderNumber": o.order_number,
        "Status": o.status,
        "OrderDate": o.order_date,
        "DebtorId": o.debtor_id,
        "CurrencyId": _s(o.currency),
        "CustomerReference": _s(o.reference),
        "SeqNo": line.seq_no,
        "LineStatusCode": o.status,
        "LineGuid": line.guid,
        "ItemTypeCode": ITEM_TYPES.get(line.item_type),
        "ItemCodeId": _s(line.item_code),
        "Description": _s(line.description),
        "UnitId": _s(line.unit),
        "PiecePerUnit": line.quantity,
        "PricePerUnit": line.price,
        "AmtRowDiscount": line.discount_amount,
        "PriceNet": (line.price * (1 - line.discount_pct / 100)).quantize(Decimal("0.0001")),
        "AmtTotal": line.net.quantize(CENT),
        "CreateDate": line.created,
        "ModifiedDate": line.modified,
    }


def _order_lines(state: AfasState, number: str) -> list[Row]:
    o = state.orders.get(number)
    return [_line_row(o, line) for line in o.lines] if o else []


def _transactions(state: AfasState, entry_no: int) -> list[Row]:
    """Profit_Transactions: one row per line of a financial entry (FiEntries), as booked."""
    e = state.fi_entries.get(entry_no)
    if e is None:
        return []
    rows = []
    for seq, line in enumerate(e.lines, start=1):
        debit = Decimal(str(line.get("AmDe") or 0))
        credit = Decimal(str(line.get("AmCr") or 0))
        rows.append(
            {
                "UnitId": e.unit,
                "EntryNo": e.entry_no,
                "SeqNo": seq,
                "Year": e.year,
                "Period": e.period,
                "JournalId": e.journal,
                "AccountNo": _s(line.get("AcNr")),
                "AmtDebit": debit,
                "AmtCredit": credit,
                "EntryDate": as_datetime(line["EnDa"]) if line.get("EnDa") else None,
                "InvoiceId": _s(line.get("InId")),
                "VoucherDate": as_datetime(line["BpDa"]) if line.get("BpDa") else None,
                "VoucherNo": _s(line.get("BpNr")),
                "VatCode": _s(line.get("VaId")),
                "VatAmt": None,
                "Description": _s(line.get("Ds")),
                "Created": e.created,
                "Modified": e.created,
            }
        )
    return rows


# ---------------------------------------------------------------- the catalogue of GetConnectors


def _defs() -> list[GetConnector]:
    articles_dep: Deps = {"articles": _ident}
    return [
        GetConnector(
            "Profit_Article",
            "Artikelen",
            _fields("""
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
            articles_dep,
        ),
        GetConnector(
            "Profit_ArticleGroups",
            "Artikelgroepen (rapport)",
            _fields("""
            Artikelgroep:string:15::Artikelgroep
            Omschrijving:string:255::Omschrijving"""),
            lambda s: s.groups,
            _group,
            {"groups": _ident},
        ),
        GetConnector(
            "Profit_Barcode_per_Item",
            "Barcode per artikel",
            _fields("""
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
            articles_dep,
        ),
        GetConnector(
            "Profit_Warehouses",
            "Magazijnen",
            _fields("""
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
            {"warehouses": _ident},
        ),
        GetConnector(
            "Profit_Stock_per_Warehouse",
            "Voorraad (virtueel) per artikel",
            _fields("""
            Basisartikeltype_code:string:10::Basisartikeltype code
            Item_code:string:40::Itemcode
            In_stock:decimal:18:4:Op voorraad
            Unit:string:10::Eenheid
            Stock_level_code:string:10::Voorraadniveau code"""),
            lambda s: (c for c in s.articles if c in s.stock_by_item),
            _stock_item,
            {"stock": lambda _s, key: [key[0]], "articles": _ident},
        ),
        GetConnector(
            "Profit_Debtor",
            "Debiteuren",
            _fields("""
            DebtorId:string:16::Debiteurnummer
            DebtorName:string:255::Naam debiteur
            BcCo:string:15::Nummer org./pers.
            SearchName:string:10::Zoeknaam
            AdressLine1:string:255::Adresregel 1
            AdressLine3:string:255::Adresregel 3
            AdressLine4:string:255::Adresregel 4
            TelNr:string:30::Telefoonnr. werk
            Email:string:255::E-mail werk
            IBAN:string:40::IBAN
            VatNr:string:30::Btw-identificatienummer
            ChOfCommNr:string:30::KvK-nummer
            CollectAccount:string:16::Verzamelrekening
            PayCon:string:5::Betalingsvoorwaarde
            VatDuty:string:3::Btw-plicht
            Blocked:boolean:1::Geblokkeerd voor levering
            CreditLimit:decimal:18:2:Kredietlimiet
            CurrencyId:string:3::Valuta
            AutoPayment:boolean:1::Automatisch incasseren
            CreateDate:date:0::Aangemaakt op
            ModifiedDate:date:0::Gewijzigd op"""),
            lambda s: s.debtors,
            _debtor,
            {"debtors": _ident, "orgpers": _debtors_of_bc},
        ),
        GetConnector(
            "Profit_OrgPer",
            "Organisaties/Personen (excl. autorisatie)",
            _fields("""
            BcCo:string:15::Nummer
            Type:string:1::Soort basic contact
            SearchName:string:10::Zoeknaam
            Name:string:255::Naam
            AdressLine1:string:255::Adresregel 1
            AdressLine3:string:255::Adresregel 3
            AdressLine4:string:255::Adresregel 4
            TelWork:string:30::Telefoonnr. werk
            MailWork:string:255::E-mail werk
            Homepage:string:255::Website
            Note:string:1000::Opmerking
            ChOfCommNr:string:30::KvK-nummer
            DateBirth:date:0::Geboortedatum
            BSN:string:25::BSN"""),
            lambda s: s.orgpers,
            _orgper,
            {"orgpers": _ident},
        ),
        GetConnector(
            "Profit_Salesorders",
            "Verkooporders",
            _fields("""
            Ordersoort:string:40::Soort order
            OrderNumber:string:12::Ordernummer
            Status:string:40::Status
            OrderDate:date:0::Datum
            DebtorId:string:16::Verkooprelatie
            CurrencyId:string:3::Valuta
            CustomerReference:string:100::Ordernummer/referentie
            Gross:decimal:18:2:Bruto bedrag
            Discount:decimal:18:2:Factuurkorting
            TotalAmount:decimal:18:2:Totaalbedrag
            VAT:decimal:18:2:Btw-bedrag
            Quantity:decimal:18:4:Totaal aantal
            InvoiceTotal:decimal:18:2:Factuurtotaal"""),
            lambda s: s.orders,
            _order,
            {"orders": _ident},
        ),
        GetConnector(
            "Profit_SalesorderLines",
            "Verkooporderregels",
            _fields("""
            OrderNumber:string:12::Ordernummer
            Status:string:40::Status
            OrderDate:date:0::Datum
            DebtorId:string:16::Verkooprelatie
            CurrencyId:string:3::Valuta
            CustomerReference:string:100::Ordernummer/referentie
            SeqNo:int:9::Volgnummer
            LineStatusCode:string:40::Regel statuscode
            LineGuid:string:38::GUID regel
            ItemTypeCode:string:10::Type itemcode
            ItemCodeId:string:40::Itemcode
            Description:string:255::Omschrijving
            UnitId:string:10::Eenheid
            PiecePerUnit:decimal:18:4:Aantal eenheden
            PricePerUnit:decimal:18:4:Prijs per eenheid
            AmtRowDiscount:decimal:18:2:Bedrag regelkorting
            PriceNet:decimal:18:4:Nettoprijs
            AmtTotal:decimal:18:2:Regelbedrag
            CreateDate:date:0::Aangemaakt op
            ModifiedDate:date:0::Gewijzigd op"""),
            lambda s: s.orders,
            _order_lines,
            {"orders": _ident},
        ),
        GetConnector(
            "Profit_Transactions",
            "Financiële mutaties",
            _fields("""
            UnitId:int:9::Administratie
            EntryNo:int:9::Boekstuknummer intern
            SeqNo:int:9::Volgnummer
            Year:int:4::Boekjaar
            Period:int:4::Periode
            JournalId:string:6::Dagboek
            AccountNo:string:16::Rekeningnummer
            AmtDebit:decimal:18:2:Bedrag debet
            AmtCredit:decimal:18:2:Bedrag credit
            EntryDate:date:0::Boekdatum
            InvoiceId:string:12::Factuurnummer
            VoucherDate:date:0::Datum boekstuk
            VoucherNo:string:32::Boekstuknummer
            VatCode:string:3::Btw-code
            VatAmt:decimal:18:2:Btw-bedrag
            Description:string:255::Omschrijving
            Created:date:0::Aangemaakt op
            Modified:date:0::Gewijzigd op"""),
            lambda s: s.fi_entries,
            _transactions,
            {"fi_entries": _ident},
        ),
        GetConnector(
            "Profit_SalesPrice",
            "Prijslijst per debiteur (GetConnector)",
            _fields("""
            Debtor:string:16::Verkooprelatie (filter)
            Date:date:0::Peildatum (filter)
            Currency:string:3::Valutacode (filter)
            Volume:boolean:1::Staffel tonen (filter)
            Level:string:10::Prijsniveau (filter)
            Item:string:40::Itemcode
            Description:string:255::Omschrijving
            Quantity:decimal:18:4:Aantal
            Unit:string:10::Eenheid
            GrossPrice:decimal:18:4:Verkoopprijs
            Discount:decimal:18:4:Kortingsbedrag
            Nettoprijs:decimal:18:4:Nettoprijs"""),
            lambda s: (),
            lambda s, k: [],
            {},
            inputs=("Debtor", "Date", "Currency", "Volume", "Level"),
            dynamic=_sales_prices,
        ),
        # ---- custom connectors (docs/custom-connectors.md)
        GetConnector(
            "Sync_Articles",
            "Sync: artikelen",
            _fields("""
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
            articles_dep,
        ),
        GetConnector(
            "Sync_ItemAttributes",
            "Sync: artikelattributen",
            _fields("""
            ItemCode:string:40::Itemcode
            ModelCode:string:40::Modelcode
            AttributeCode:string:20::Attribuutcode
            AttributeDescription:string:80::Attribuut
            Value:string:80::Waarde
            SequenceNumber:int:9::Volgnummer
            ModifiedDate:date:0::Gewijzigd op"""),
            lambda s: s.articles,
            _attributes,
            articles_dep,
        ),
        GetConnector(
            "Sync_ItemFeatures",
            "Sync: artikelkenmerken",
            _fields("""
            ItemCode:string:40::Itemcode
            FeatureCode:string:20::Kenmerkcode
            FeatureDescription:string:80::Kenmerk
            Value:string:255::Waarde
            ModifiedDate:date:0::Gewijzigd op"""),
            lambda s: s.articles,
            _features,
            articles_dep,
        ),
        GetConnector(
            "Sync_StockPerWarehouse",
            "Sync: voorraad per magazijn",
            _fields("""
            ItemCode:string:40::Itemcode
            Warehouse:string:15::Magazijn
            PhysicalStock:decimal:18:4:Fysieke voorraad
            AvailableStock:decimal:18:4:Beschikbare voorraad
            SalesReservations:decimal:18:4:Verkoopreserveringen
            PurchaseOrdered:decimal:18:4:In bestelling
            ModifiedDate:date:0::Gewijzigd op"""),
            lambda s: s.stock,
            _stock_wh,
            {"stock": _ident},
        ),
        GetConnector(
            "Sync_Debtors",
            "Sync: debiteuren",
            _fields("""
            DebtorId:string:16::Debiteurnummer
            DebtorName:string:255::Naam debiteur
            BcCo:string:15::Nummer org./pers.
            RelationType:string:1::Soort relatie
            OrganisationName:string:255::Organisatie
            FirstName:string:50::Voornaam
            Prefix:string:15::Voorvoegsel
            LastName:string:80::Achternaam
            ContactFirstName:string:50::Voornaam contactpersoon
            ContactPrefix:string:15::Voorvoegsel contactpersoon
            ContactLastName:string:80::Achternaam contactpersoon
            Email:string:255::E-mail
            Street:string:80::Straat
            HouseNumber:string:10::Huisnummer
            HouseNumberAddition:string:30::Toevoeging
            ZipCode:string:20::Postcode
            City:string:80::Woonplaats
            CountryId:string:3::Land
            VatNumber:string:30::Btw-nummer
            ChamberOfCommerce:string:30::KvK-nummer
            PaymentCondition:string:5::Betalingsvoorwaarde
            PriceList:string:10::Prijslijst
            CustomerGroup:string:20::Debiteurengroep
            DiscountPercentage:decimal:5:2:Kortingspercentage
            Blocked:boolean:1::Geblokkeerd
            ModifiedDate:date:0::Gewijzigd op"""),
            lambda s: s.debtors,
            _sync_debtor,
            {"debtors": _ident, "orgpers": _debtors_of_bc},
        ),
        GetConnector(
            "Sync_PriceListRows",
            "Sync: prijslijstregels",
            _fields("""
            PriceList:string:10::Prijslijst
            PriceListDescription:string:80::Omschrijving prijslijst
            VatIncluded:boolean:1::Incl. btw
            ItemCode:string:40::Itemcode
            FromQuantity:decimal:18:4:Vanaf aantal
            Price:decimal:18:4:Prijs
            DiscountPercentage:decimal:5:2:Kortingspercentage
            ValidFrom:date:0::Begindatum
            ValidTo:date:0::Einddatum
            Currency:string:3::Valuta
            ModifiedDate:date:0::Gewijzigd op"""),
            lambda s: s.price_rows,
            _price_row,
            {"price_rows": _ident, "price_lists": _rebuild},
        ),
        GetConnector(
            "Sync_DebtorAgreements",
            "Sync: prijsafspraken debiteur",
            _fields("""
            DebtorId:string:16::Debiteurnummer
            ItemCode:string:40::Itemcode
            DiscountGroup:string:15::Kortingsgroep
            FromQuantity:decimal:18:4:Vanaf aantal
            Price:decimal:18:4:Prijs
            DiscountPercentage:decimal:5:2:Kortingspercentage
            ValidFrom:date:0::Begindatum
            ValidTo:date:0::Einddatum
            ModifiedDate:date:0::Gewijzigd op"""),
            lambda s: s.agreements,
            _agreement,
            {"agreements": _ident},
        ),
    ]


def _all_defs() -> list[GetConnector]:
    from .layout_connectors import layout_connectors  # a customer's own connectors (docs/mappings/)

    return [*_defs(), *layout_connectors()]


GET_CONNECTORS: dict[str, GetConnector] = {c.id: c for c in _all_defs()}
GET_CONNECTORS_CI: dict[str, GetConnector] = {k.casefold(): v for k, v in GET_CONNECTORS.items()}


def find_get_connector(name: str) -> GetConnector | None:
    return GET_CONNECTORS_CI.get(name.casefold())


def dynamic_inputs(conn: GetConnector, raw_groups: list[list[Any]]) -> tuple[dict[str, Any], list[list[Any]]]:
    """Split a parameter connector's filter into its inputs (op 1 on an input field) and real conditions."""
    from .filters import parse_value  # local: filters imports nothing from here, keep it that way

    inputs: dict[str, Any] = {}
    kept: list[list[Any]] = []
    wanted = {n.casefold(): n for n in conn.inputs}
    for group in raw_groups:
        rest = []
        for cond in group:
            name = wanted.get(cond.field.casefold())
            if name is not None and cond.op == 1:
                dtype = conn.types[conn.names.index(name)]
                value = cond.value if dtype == "string" else parse_value(cond.value, dtype, name)
                inputs.setdefault(name, value)
            else:
                rest.append(cond)
        if rest:
            kept.append(rest)
        elif group:
            kept = []  # a group of inputs only matches every row
            break
    return inputs, kept
