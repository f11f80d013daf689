"""KnSalesRelationOrg, KnSalesRelationPer: debtors with their organisation or person, matched to an existing
one where AFAS would.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ..countries import AFAS_COUNTRIES
from ..errors import AfasError
from ..model import CURRENCIES, Debtor, OrgPer
from ..records import to_json
from ..store import AfasStore
from .bodies import Apply, Elem, not_found, required

# ---------------------------------------------------------------- sales relations (debtors)

_ORG_FIELDS = {
    "Nm": "name",
    "CcNr": "coc_number",
    "FiNr": "fiscal_number",
    "EmAd": "email",
    "TeNr": "phone",
    "MbNr": "mobile",
    "HoPa": "homepage",
    "SeNm": "search_name",
    "Re": "note",
}
_PER_FIELDS = {
    "FiNm": "first_name",
    "In": "initials",
    "Is": "prefix",
    "LaNm": "last_name",
    "ViGe": "gender",
    "DaBi": "birth_date",
    "SoSe": "bsn",
    "EmAd": "email",
    "TeNr": "phone",
    "MbNr": "mobile",
    "HoPa": "homepage",
    "SeNm": "search_name",
    "Re": "note",
}
_DEBTOR_FIELDS = {
    "PaCd": "payment_condition",
    "PrLs": "price_list",
    "Bl": "blocked",
    "VaId": "vat_number",
    "VaDu": "vat_duty",
    "ColA": "collect_account",
    "CuId": "currency",
    "Krli": "credit_limit",
    "Iban": "iban",
    "AuPa": "auto_payment",
}


def relation_plan(state: AfasStore, conn: str, e: Elem, method: str) -> Apply:
    org = conn == "KnSalesRelationOrg"
    kind = "O" if org else "P"
    child_name = "KnOrganisation" if org else "KnPerson"
    kids = e.kids(child_name)
    if len(kids) > 1:
        raise AfasError(f"Object '{child_name}' mag maar één keer voorkomen.")
    child = kids[0] if kids else None
    debtor_id = e.get("DbId")
    debtor_id = None if debtor_id is None else str(debtor_id)
    _check_debtor_fields(state, e)
    changes = _address_changes(child) if child is not None else {}
    contact = _contact_changes(child) if child is not None and org else {}

    if method == "PUT":
        if debtor_id is None:
            raise AfasError(f"Veld 'Debiteur' (DbId) is verplicht bij het wijzigen via '{conn}'.")
        debtor = state.debtors.get(debtor_id)
        if debtor is None or debtor.kind != kind:
            raise AfasError(f"De verkooprelatie '{debtor_id}' bestaat niet.")
        op = state.orgpers[debtor.bc_co]
        if child is not None and child.get("BcCo") not in (None, op.bc_co):
            raise AfasError(f"Nummer '{child.get('BcCo')}' hoort niet bij verkooprelatie '{debtor_id}'.")

        def apply_put() -> dict[str, Any]:
            now = state.now()
            if child is not None:
                _set_orgper(op, child, org, changes, contact, now)
                state.touch_orgper(op.bc_co)
            _set_debtor(debtor, e, now)
            state.put_debtor(debtor)
            return {"DbId": debtor.debtor_id, "BcCo": debtor.bc_co}

        return apply_put

    # POST: a new debtor for a matched or new organisation/person
    required(e, "CuId")
    if debtor_id is not None and debtor_id in state.debtors:
        raise AfasError(f"De verkooprelatie '{debtor_id}' bestaat al.")
    if child is None:
        raise AfasError(f"Het object '{child_name}' ontbreekt in '{conn}'.")
    matched = _match_org(state, child) if org else _match_person(state, child)
    if matched is not None:
        taken = state.debtors_by_bc.get(matched.bc_co)
        if taken:
            raise AfasError(
                f"{'Organisatie' if org else 'Persoon'} '{matched.bc_co}' is al verkooprelatie "
                f"'{sorted(taken)[0]}'."
            )
    else:
        required(child, "Nm" if org else "LaNm")
        wanted = child.get("BcCo")
        if wanted is not None and not child.get("AutoNum", False) and str(wanted) in state.orgpers:
            raise AfasError(f"Nummer '{wanted}' (BcCo) bestaat al.")

    def apply_post() -> dict[str, Any]:
        now = state.now()
        op = matched
        if op is None:
            wanted = child.get("BcCo")
            bc = str(wanted) if wanted is not None and not child.get("AutoNum", False) else state.next_bc_co()
            op = OrgPer(bc_co=bc, kind=kind, created=now, modified=now)
        _set_orgper(op, child, org, changes, contact, now)
        state.put_orgper(op)
        debtor = Debtor(
            debtor_id=debtor_id or state.next_debtor_id(),
            bc_co=op.bc_co,
            kind=kind,
            customer_group="ZAKELIJK" if org else "PARTICULIER",
            created=now,
            modified=now,
        )
        _set_debtor(debtor, e, now)
        state.put_debtor(debtor)
        return {"DbId": debtor.debtor_id, "BcCo": op.bc_co}

    return apply_post


def _check_debtor_fields(state: AfasStore, e: Elem) -> None:
    currency = e.get("CuId")
    if currency is not None and currency not in CURRENCIES:
        raise not_found(e, "CuId", currency)
    price_list = e.get("PrLs")
    if price_list is not None and price_list not in state.price_lists:
        raise not_found(e, "PrLs", price_list)
    country = e.get("CoId")
    if country is not None and country not in AFAS_COUNTRIES:
        raise not_found(e, "CoId", country)


def _address_changes(child: Elem) -> dict[str, Any]:
    """Visiting address (KnBasicAddressAdr) fields and the postal address, validated."""
    out: dict[str, Any] = {}
    for name in ("KnBasicAddressAdr", "KnBasicAddressPad"):
        for adr in child.kids(name):
            required(adr, "CoId")
            country = str(adr.get("CoId")).upper()
            if country not in AFAS_COUNTRIES:
                raise AfasError(
                    f"De ingevulde waarde bij 'Land' (CoId) bestaat niet: '{adr.get('CoId')}' "
                    "(AFAS-landcode verwacht, bijv. NL, B, D)."
                )
            if name == "KnBasicAddressAdr":
                values = {
                    "country": country,
                    "street": adr.fields.get("Ad"),
                    "zipcode": adr.fields.get("ZpCd"),
                    "city": adr.fields.get("Rs"),
                    "house_addition": adr.fields.get("HmAd"),
                }
                number = adr.fields.get("HmNr")
                values["house_number"] = None if number is None else str(number)
                values["po_box"] = adr.fields.get("PbAd")
                out.update({k: v for k, v in values.items() if k == "country" or _sent(adr, k)})
            else:
                out["postal_address"] = to_json(adr.raw)
    return out


def _sent(adr: Elem, attr: str) -> bool:
    fid = {
        "street": "Ad",
        "zipcode": "ZpCd",
        "city": "Rs",
        "house_addition": "HmAd",
        "house_number": "HmNr",
        "po_box": "PbAd",
    }[attr]
    return fid in adr.fields


def _contact_changes(child: Elem) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for contact in child.kids("KnContact"):
        if contact.get("EmAd") is not None:
            out["contact_email"] = contact.get("EmAd")
        for person in contact.kids("KnPerson"):
            out["contact_first_name"] = person.get("FiNm") or person.get("In")
            out["contact_prefix"] = person.get("Is")
            out["contact_last_name"] = person.get("LaNm")
            if person.get("EmAd") is not None:
                out.setdefault("contact_email", person.get("EmAd"))
    return out


def _set_orgper(
    op: OrgPer, child: Elem, org: bool, changes: dict[str, Any], contact: dict[str, Any], now: datetime
) -> None:
    for fid, attr in (_ORG_FIELDS if org else _PER_FIELDS).items():
        if fid in child.fields:
            setattr(op, attr, child.fields[fid])
    if not org and op.initials is None and op.first_name:
        op.initials = op.first_name[:1] + "."
    for attr, value in {**changes, **contact}.items():
        setattr(op, attr, value)
    if op.search_name is None:
        op.search_name = (op.display_name() or "").upper()[:10] or None
    op.modified = now


def _set_debtor(debtor: Debtor, e: Elem, now: datetime) -> None:
    for fid, attr in _DEBTOR_FIELDS.items():
        if fid in e.fields:
            value = e.fields[fid]
            if attr in ("blocked", "auto_payment"):
                value = bool(value)
            setattr(debtor, attr, value)
    debtor.extra.update({k: v for k, v in to_json(e.raw).items() if k not in _DEBTOR_FIELDS})
    debtor.modified = now


def _norm(text: Any) -> str:
    return re.sub(r"[\s.]", "", str(text or "")).casefold()


def _match_org(state: AfasStore, child: Elem) -> OrgPer | None:
    """MatchOga: 0 BcCo, 1 KvK (CcNr), 2 fiscal number (FiNr), 3 name, 4/5 address, 6 always new."""
    mode = str(child.get("MatchOga", "0"))
    orgs = [op for op in state.orgpers.values() if op.kind == "O"]
    if mode in ("0", "9"):
        bc = child.get("BcCo")
        op = state.orgpers.get(str(bc)) if bc is not None else None
        return op if op is not None and op.kind == "O" else None
    if mode == "1" and child.get("CcNr"):
        return next((o for o in orgs if _norm(o.coc_number) == _norm(child.get("CcNr"))), None)
    if mode == "2" and child.get("FiNr"):
        return next((o for o in orgs if _norm(o.fiscal_number) == _norm(child.get("FiNr"))), None)
    if mode == "3" and child.get("Nm"):
        return next((o for o in orgs if _norm(o.name) == _norm(child.get("Nm"))), None)
    if mode in ("4", "5"):
        adr = next(iter(child.kids("KnBasicAddressAdr" if mode == "4" else "KnBasicAddressPad")), None)
        if adr is not None and adr.get("ZpCd") and adr.get("HmNr") is not None:
            return next(
                (
                    o
                    for o in orgs
                    if _norm(o.zipcode) == _norm(adr.get("ZpCd"))
                    and _norm(o.house_number) == _norm(adr.get("HmNr"))
                ),
                None,
            )
    return None


def _match_person(state: AfasStore, child: Elem) -> OrgPer | None:
    """MatchPer: 0 BcCo, 1 BSN, 2 name (last name, prefix, initials), 3 + e-mail, 4 + mobile, 5 + phone,
    6 + birth date, 7 always new."""
    mode = str(child.get("MatchPer", "0"))
    if mode == "0":
        bc = child.get("BcCo")
        op = state.orgpers.get(str(bc)) if bc is not None else None
        return op if op is not None and op.kind == "P" else None
    persons = [op for op in state.orgpers.values() if op.kind == "P"]
    if mode == "1":
        bsn = child.get("SoSe")
        return next((p for p in persons if bsn and _norm(p.bsn) == _norm(bsn)), None)
    if mode not in ("2", "3", "4", "5", "6"):
        return None
    initials = child.get("In") or (child.get("FiNm") or "")[:1]
    extra = {
        "3": ("EmAd", "email"),
        "4": ("MbNr", "mobile"),
        "5": ("TeNr", "phone"),
        "6": ("DaBi", "birth_date"),
    }.get(mode)
    for p in persons:
        p_initials = p.initials or (p.first_name or "")[:1]
        if (
            _norm(p.last_name) != _norm(child.get("LaNm"))
            or _norm(p.prefix) != _norm(child.get("Is"))
            or _norm(p_initials) != _norm(initials)
        ):
            continue
        if extra is not None:
            wanted = child.get(extra[0])
            have = getattr(p, extra[1])
            if wanted is None or (have != wanted and _norm(have) != _norm(wanted)):
                continue
        return p
    return None
