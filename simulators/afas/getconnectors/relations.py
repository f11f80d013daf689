"""GetConnectors: Debtors and their organisations/persons: Profit_Debtor, Profit_OrgPer, Sync_Debtors. Debtor rows take the
later ModifiedDate of the debtor and its organisation/person.
"""

from __future__ import annotations

from typing import Any

from ..store import AfasStore
from .base import (
    GetConnector,
    Row,
    country_line,
    field_defs,
    ident,
    street_line,
    text_or_none,
    zip_city,
)


def _debtor_parts(state: AfasStore, debtor_id: str) -> tuple[Any, Any] | None:
    d = state.debtors.get(debtor_id)
    if d is None:
        return None
    op = state.orgpers.get(d.bc_co)
    return (d, op) if op is not None else None


def _debtor(state: AfasStore, debtor_id: str) -> list[Row]:
    parts = _debtor_parts(state, debtor_id)
    if parts is None:
        return []
    d, op = parts
    return [
        {
            "DebtorId": d.debtor_id,
            "DebtorName": text_or_none(op.display_name()),
            "BcCo": d.bc_co,
            "SearchName": text_or_none(op.search_name),
            "AdressLine1": street_line(op),
            "AdressLine3": zip_city(op),
            "AdressLine4": country_line(op),
            "TelNr": text_or_none(op.phone),
            "Email": text_or_none(op.email or op.contact_email),
            "IBAN": text_or_none(d.iban),
            "VatNr": text_or_none(d.vat_number),
            "ChOfCommNr": text_or_none(op.coc_number),
            "CollectAccount": text_or_none(d.collect_account),
            "PayCon": text_or_none(d.payment_condition),
            "VatDuty": text_or_none(d.vat_duty),
            "Blocked": d.blocked,
            "CreditLimit": d.credit_limit,
            "CurrencyId": text_or_none(d.currency),
            "AutoPayment": d.auto_payment,
            "CreateDate": d.created,
            "ModifiedDate": max(d.modified, op.modified),
        }
    ]


def _sync_debtor(state: AfasStore, debtor_id: str) -> list[Row]:
    parts = _debtor_parts(state, debtor_id)
    if parts is None:
        return []
    d, op = parts
    org = op.kind == "O"
    return [
        {
            "DebtorId": d.debtor_id,
            "DebtorName": text_or_none(op.display_name()),
            "BcCo": d.bc_co,
            "RelationType": op.kind,
            "OrganisationName": text_or_none(op.name) if org else None,
            "FirstName": None if org else text_or_none(op.first_name),
            "Prefix": None if org else text_or_none(op.prefix),
            "LastName": None if org else text_or_none(op.last_name),
            "ContactFirstName": text_or_none(op.contact_first_name) if org else None,
            "ContactPrefix": text_or_none(op.contact_prefix) if org else None,
            "ContactLastName": text_or_none(op.contact_last_name) if org else None,
            "Email": text_or_none(op.email or op.contact_email),
            "Street": text_or_none(op.street),
            "HouseNumber": text_or_none(op.house_number),
            "HouseNumberAddition": text_or_none(op.house_addition),
            "ZipCode": text_or_none(op.zipcode),
            "City": text_or_none(op.city),
            "CountryId": text_or_none(op.country),
            "VatNumber": text_or_none(d.vat_number),
            "ChamberOfCommerce": text_or_none(op.coc_number),
            "PaymentCondition": text_or_none(d.payment_condition),
            "PriceList": text_or_none(d.price_list),
            "CustomerGroup": text_or_none(d.customer_group),
            "DiscountPercentage": d.discount_pct,
            "Blocked": d.blocked,
            "ModifiedDate": max(d.modified, op.modified),
        }
    ]


def _orgper(state: AfasStore, bc_co: str) -> list[Row]:
    op = state.orgpers.get(bc_co)
    if op is None:
        return []
    return [
        {
            "BcCo": op.bc_co,
            "Type": op.kind,
            "SearchName": text_or_none(op.search_name),
            "Name": text_or_none(op.display_name()),
            "AdressLine1": street_line(op),
            "AdressLine3": zip_city(op),
            "AdressLine4": country_line(op),
            "TelWork": text_or_none(op.phone),
            "MailWork": text_or_none(op.email),
            "Homepage": text_or_none(op.homepage),
            "Note": text_or_none(op.note),
            "ChOfCommNr": text_or_none(op.coc_number),
            "DateBirth": op.birth_date,
            "BSN": text_or_none(op.bsn),
        }
    ]


def _debtors_of_bc(state: AfasStore, bc_co: str) -> list[str]:
    return sorted(state.debtors_by_bc.get(bc_co, ()))


CONNECTORS: list[GetConnector] = [
    GetConnector(
        "Profit_Debtor",
        "Debiteuren",
        field_defs("""
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
        {"debtors": ident, "orgpers": _debtors_of_bc},
    ),
    GetConnector(
        "Profit_OrgPer",
        "Organisaties/Personen (excl. autorisatie)",
        field_defs("""
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
        {"orgpers": ident},
    ),
    GetConnector(
        "Sync_Debtors",
        "Sync: debiteuren",
        field_defs("""
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
        {"debtors": ident, "orgpers": _debtors_of_bc},
    ),
]
