"""Till values worked out in Python for the orders models: addresses split, names split and cut, only new ones."""

from __future__ import annotations

from afas_mplus.order_texts import (
    ADDRESSES,
    LAST_NAME_MAX,
    TEXTS,
    prepare_tables,
    split_person,
)
from staging.warehouse import Warehouse


def _warehouse() -> Warehouse:
    wh = Warehouse(None)
    wh.execute(
        "create table staging.mplus_relations (relation_number bigint, name varchar, contact varchar, "
        "company_name varchar, address varchar, city varchar, country varchar)"
    )
    wh.execute(
        "create table staging.mplus_orders (order_id varchar, invoice_name varchar, "
        "invoice_company_name varchar, invoice_address varchar, invoice_city varchar, invoice_country varchar)"
    )
    return wh


def test_split_person_keeps_a_single_word_as_the_last_name() -> None:
    assert split_person("Jan de  Vries") == ("Jan", "de Vries")
    assert split_person("Madonna") == (None, "Madonna")


def test_addresses_and_texts_are_worked_out_once_per_value(tmp_path) -> None:  # noqa: ANN001
    wh = _warehouse()
    long_name = "Piet " + "Heel-Lange-Achternaam " * 10
    wh.executemany(
        "insert into staging.mplus_relations values (?, ?, ?, ?, ?, ?, ?)",
        [
            (1, long_name, None, None, "Postbus 51", "Den Haag", "nl"),
            (2, "Els van Dam", None, None, "Plein 1944 12", "Nijmegen", None),
        ],
    )
    wh.execute(
        "insert into staging.mplus_orders values ('o1', 'Els van Dam', 'Firma X', 'Kerkstraat', 'Utrecht', "
        "'NL')"
    )
    assert prepare_tables(wh) == {
        "addresses": 3,
        "texts": 6,
    }  # 2 persons, 1 company, 3 cities; no invoices yet
    rows = {r["address"]: r for r in wh.query(f"select * from {ADDRESSES}")}
    assert (
        rows["Postbus 51"]["street"],
        rows["Postbus 51"]["house_number"],
        rows["Postbus 51"]["po_box"],
        rows["Postbus 51"]["country"],
    ) == ("Postbus", "51", True, "NL")
    assert (rows["Plein 1944 12"]["street"], rows["Plein 1944 12"]["house_number"]) == ("Plein 1944", "12")
    assert rows["Kerkstraat"]["flagged"] and rows["Kerkstraat"]["street"] == "Kerkstraat"
    assert "no house number" in rows["Kerkstraat"]["reason"]
    person = wh.query(f"select * from {TEXTS} where kind = 'person' and value = ?", [long_name])[0]
    assert person["first_name"] == "Piet" and person["cut"]
    assert len(person["last_name"]) <= LAST_NAME_MAX and person["last_name"].endswith("Achternaam")
    assert prepare_tables(wh) == {"addresses": 0, "texts": 0}  # nothing new: nothing parsed again
    wh.execute(
        "insert into staging.mplus_orders values ('o2', 'Els van Dam', null, 'Kerkstraat 1', null, 'BE')"
    )
    assert prepare_tables(wh) == {"addresses": 1, "texts": 0}
