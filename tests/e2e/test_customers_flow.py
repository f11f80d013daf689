"""Customers flow end to end: AFAS debtors become the right kind of MplusKASSA relation, once."""

from __future__ import annotations

from simulators.demo.catalog import build_catalog


def _relations_by_ext(h) -> dict[str, dict]:  # noqa: ANN001
    return {r["extRelationId"]: r for r in h.mplus.relations.values() if r.get("extRelationId")}


def test_company_and_person_debtors_arrive_as_the_right_relation(harness) -> None:
    h = harness()
    result = h.sync("customers")
    assert result.pushed_failed == 0, result.errors
    relations = _relations_by_ext(h)
    cat = build_catalog()
    valid = [d for d in cat.debtors if d.last_name and (d.email is None or "@" in d.email)]
    assert set(relations) == {d.debtor_id for d in valid}
    for d in valid:
        r = relations[d.debtor_id]
        if d.kind == "org":
            assert r["companyName"] == d.company_name
            contacts = (r.get("contactList") or {}).get("relation") or []
            assert [c.get("name") for c in contacts] == [
                f"{d.first_name} {d.prefix} {d.last_name}".replace("  ", " ")
            ]
        else:
            assert not r.get("companyName")
            assert r["name"] == " ".join(p for p in (d.first_name, d.prefix, d.last_name) if p)
        assert (r.get("email") or None) == d.email
        assert r["city"] == d.city
        assert r["address"].startswith(d.street)
    # errors name the debtor and the field
    errors = h.query("select record_key, field from transforms.errors_customers order by record_key")
    invalid = {d.debtor_id for d in cat.debtors} - {d.debtor_id for d in valid}
    assert {e["record_key"] for e in errors} == invalid
    assert {e["field"] for e in errors} <= {"name", "email", "country"}
    assert h.sync("customers").write_calls == 0


def test_existing_relation_with_same_email_is_linked_not_duplicated(harness) -> None:
    h = harness()
    before = h.mplus.get_relation(1001)
    h.sync("customers")
    linked = h.mplus.get_relation(1001)
    assert linked["extRelationId"]  # the till's relation now carries the AFAS debtor id
    same_email = [
        r for r in h.mplus.relations.values() if (r.get("email") or "").lower() == before["email"].lower()
    ]
    assert len(same_email) == 1


def test_two_debtor_updates_give_two_relation_updates(harness) -> None:
    h = harness()
    h.sync("customers")
    ids = sorted(_relations_by_ext(h))[:2]
    h.afas.modify_debtor(ids[0], City="Zwolle")
    h.afas.modify_debtor(ids[1], Email="nieuw.adres@example.nl")
    result = h.sync("customers")
    assert result.plan["update"] == 2
    assert result.plan["create"] == 0
    assert result.write_calls == 2
    relations = _relations_by_ext(h)
    assert relations[ids[0]]["city"] == "Zwolle"
    assert relations[ids[1]]["email"] == "nieuw.adres@example.nl"


def test_country_settings_decide_the_vat_method(harness) -> None:
    h = harness()
    h.sync("customers")
    relations = _relations_by_ext(h)
    for d in build_catalog().debtors:
        r = relations.get(d.debtor_id)
        if r is None:
            continue
        shifted = d.kind == "org" and d.vat_number and d.country in ("BE", "DE")
        assert r.get("defaultVatMethod") == ("VAT-METHOD-SHIFTED" if shifted else "VAT-METHOD-INCLUSIVE"), (
            d.debtor_id
        )
    assert any(r.get("defaultVatMethod") == "VAT-METHOD-SHIFTED" for r in relations.values())
    assert h.sync("customers").write_calls == 0
