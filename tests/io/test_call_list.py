"""Call lists out: any list of contacts as CSV (Excel's UTF-8, or a code page) or
XLSX (typed cells, frozen header, autofilter), phones written for dialling, custom
fields typed, never a formula, and nothing written when a text cannot be."""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    EmailData,
    PhoneData,
    create_contact,
)
from crmdesk.core.errors import FileWriteError
from crmdesk.core.fields import service as fields
from crmdesk.core.history.records import InteractionData, log_interaction
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.core.storage.settings import set_setting
from crmdesk.io.call_export import export_contacts
from crmdesk.io.call_list import NATIONAL, contact_values, export_columns


@pytest.fixture
def shop(db):
    with db.session() as s:
        set_setting(s, "phone_region", "LT")
        fleet = fields.add_field(s, "contact", "Fleet size", fields.NUMBER).key
        renewal = fields.add_field(s, "contact", "Renewal", fields.DATE).key
    jonas = create_contact(db, ContactData(
        given_name="Jonas", family_name="Žukauskas", company="UAB Žalgiris",
        phones=[PhoneData("8 612 34567", "mobile"), PhoneData("+44 20 7946 0958", "work")],
        emails=[EmailData("jonas@zalgiris.lt")],
        addresses=[AddressData("Gedimino pr. 1", "Vilnius", "", "LT-01103", "LT")],
        notes="=HYPERLINK(\"http://evil.example\",\"click\")"))
    ivan = create_contact(db, ContactData(given_name="Иван", family_name="Иванов",
                                          company="ООО Ромашка",
                                          phones=[PhoneData("+7 495 123-45-67")]))
    wang = create_contact(db, ContactData(given_name="小明", family_name="王",
                                          name_order="family_first"))
    with db.session() as s:
        fields.set_values(s, "contact", jonas, {fleet: "12", renewal: "2026-06-01"})
        log_interaction(s, InteractionData(kind="Call", subject="Price list", outcome="Reached",
                                           at=datetime(2026, 11, 30, 9, 15),
                                           contact_ids=[jonas]))
    return {"jonas": jonas, "ivan": ivan, "wang": wang, "fleet": fleet, "renewal": renewal}


def ids_of(db, query=""):
    with db.reading() as s:
        return find_ids(s, CONTACT, query, strict=True)


def export(db, ids, keys, path, **kw):
    with db.reading() as s:
        return export_contacts(s, ids, keys, path, **kw)


def test_csv_for_excel(db, shop, tmp_path):
    path = tmp_path / "calls.csv"
    keys = ["name", "company", "phones", "email", "city", "notes"]
    assert export(db, ids_of(db), keys, path) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Cyrillic
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["Name", "Company", "Phones", "E-mail", "City", "Notes"]
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"Jonas Žukauskas", "Иван Иванов", "王小明"}
    jonas = by_name["Jonas Žukauskas"]
    assert jonas[2] == "+370 612 34567; +44 20 7946 0958"  # every phone, for dialling
    assert jonas[5].startswith("'=HYPERLINK")  # text, not a formula
    assert by_name["Иван Иванов"][1] == "ООО Ромашка"


def test_national_dialling_and_a_lookup(db, shop, tmp_path):
    path = tmp_path / "vilnius.csv"
    export(db, ids_of(db, "city:Vilnius"), ["name", "phones"], path, phones=NATIONAL,
           delimiter=";")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Name;Phones" and len(lines) == 2
    # dialled from inside Lithuania: no +370, the trunk prefix instead; abroad: +44
    name, phones = next(csv.reader(lines[1:], delimiter=";"))
    assert name == "Jonas Žukauskas"
    home, abroad = phones.split("; ")
    assert "612" in home and "34567" in home and not home.startswith("+")
    assert abroad == "+44 20 7946 0958"


def test_code_pages_refuse_what_they_cannot_hold(db, shop, tmp_path):
    path = tmp_path / "ru.csv"
    export(db, [shop["ivan"]], ["name", "company"], path, encoding="cp1251")
    assert path.read_bytes().decode("cp1251").splitlines()[1] == "Иван Иванов,ООО Ромашка"
    chinese = tmp_path / "zh.csv"
    with pytest.raises(FileWriteError, match="王小明: '王' cannot be written in Windows-1251"):
        export(db, [shop["ivan"], shop["wang"]], ["name"], chinese, encoding="cp1251")
    assert not chinese.exists()  # nothing half-written
    lt = tmp_path / "lt.csv"
    export(db, [shop["jonas"]], ["name"], lt, encoding="cp1257")
    assert "Žukauskas" in lt.read_bytes().decode("cp1257")


def test_xlsx_typed_cells(db, shop, tmp_path):
    path = tmp_path / "calls.xlsx"
    keys = ["name", "phones", "last_contact", f"cf:{shop['fleet']}", f"cf:{shop['renewal']}",
            "notes"]
    assert export(db, [shop["jonas"], shop["wang"]], keys, path, file_format="xlsx") == 2
    book = load_workbook(path)
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F3"
    assert [c.value for c in sheet[1]] == ["Name", "Phones", "Last contact", "Fleet size",
                                           "Renewal", "Notes"]
    name, phones, last, fleet, renewal, notes = (c for c in sheet[2])
    assert name.value == "Jonas Žukauskas"
    assert isinstance(last.value, datetime) and last.value.date() in (
        date(2026, 11, 30), date(2026, 11, 29), date(2026, 12, 1))
    assert fleet.value == 12 and fleet.data_type == "n"
    assert isinstance(renewal.value, datetime) and renewal.value.date() == date(2026, 6, 1)
    assert notes.data_type == "s" and notes.value.startswith("=HYPERLINK")  # text
    assert sheet.cell(3, 1).value == "王小明"
    assert sheet.column_dimensions["A"].width >= len("Jonas Žukauskas")


def test_columns_order_and_unknown(db, shop, tmp_path):
    with db.reading() as s:
        columns = export_columns(s)
        assert f"cf:{shop['fleet']}" in columns and columns["phones"].title() == "Phones"
        rows = list(contact_values(s, [shop["wang"], shop["jonas"]], ["name", "given_name"]))
        assert rows == [["王小明", "小明"], ["Jonas Žukauskas", "Jonas"]]  # the order given
        values = list(contact_values(s, [shop["jonas"]], [f"cf:{shop['fleet']}"]))
        assert values == [[Decimal("12")]]
    with pytest.raises(FileWriteError, match="There is no column 'shoe_size'"):
        export(db, [shop["jonas"]], ["name", "shoe_size"], tmp_path / "x.csv")
    with pytest.raises(FileWriteError, match="not a format"):
        export(db, [shop["jonas"]], ["name"], tmp_path / "x.odt", file_format="odt")
