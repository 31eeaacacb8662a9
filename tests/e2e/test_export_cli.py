"""`crmdesk export` as a user runs it: a lookup's contacts as CSV or XLSX."""

from __future__ import annotations

import csv
import json

import pytest
from cli_process import crmdesk
from openpyxl import load_workbook

from crmdesk.core.contacts.records import ContactData, PhoneData, create_contact
from crmdesk.core.storage.database import Database


@pytest.fixture
def path(db_path):
    with Database.open(db_path) as db:
        for given, family, city, phone in (("Jonas", "Žukauskas", "Kaunas", "+370 612 34567"),
                                           ("Ona", "Petraitė", "Vilnius", "+370 699 11111"),
                                           ("Иван", "Иванов", "Kaunas", "+7 495 123-45-67")):
            from crmdesk.core.contacts.records import AddressData

            create_contact(db, ContactData(given_name=given, family_name=family,
                                           phones=[PhoneData(phone)],
                                           addresses=[AddressData(city=city)]))
    return str(db_path)


def test_a_lookup_as_csv(path, tmp_path):
    out = tmp_path / "kaunas.csv"
    done = crmdesk("export", "--db", path, "--lookup", "city:Kaunas", "-o", str(out),
                   "--columns", "name,phones,city", "--delimiter", "semicolon")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Wrote 2 contacts to {out}."
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows == [["Name", "Phones", "City"],
                    ["Jonas Žukauskas", "+370 612 34567", "Kaunas"],
                    ["Иван Иванов", "+7 495 123-45-67", "Kaunas"]]


def test_xlsx_from_the_file_name_and_json(path, tmp_path):
    out = tmp_path / "all.xlsx"
    done = crmdesk("export", "--db", path, "-o", str(out), "--json", "--sort", "name",
                   "--descending")
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said["format"] == "xlsx" and said["rows"] == 3
    sheet = load_workbook(out).active
    assert [sheet.cell(r, 1).value for r in (2, 3, 4)] == [
        "Иван Иванов", "Jonas Žukauskas", "Ona Petraitė"]


def test_plain_messages(path, tmp_path):
    out = tmp_path / "x.csv"
    done = crmdesk("export", "--db", path, "-o", str(out), "--columns", "name,shoe_size")
    assert done.returncode == 1 and "There is no column 'shoe_size'" in done.stderr
    done = crmdesk("export", "--db", path, "-o", str(out), "--lookup", "citi:Kaunas")
    assert done.returncode == 1 and "Unknown field 'citi'" in done.stderr
    done = crmdesk("export", "--db", path, "-o", str(out), "--encoding", "cp1251",
                   "--columns", "name")
    assert done.returncode == 1 and "cannot be written in Windows-1251" in done.stderr
    assert not out.exists()
    done = crmdesk("export", "--db", path, "-o", str(tmp_path), "--columns", "name")
    assert done.returncode == 1 and "is a folder" in done.stderr
    done = crmdesk("export", "--db", path, "-o", str(out), "--list-columns")
    assert done.returncode == 0 and "phones\tPhones" in done.stdout


def test_vcards_for_a_phone(path, tmp_path):
    import vobject

    out = tmp_path / "kaunas.vcf"
    done = crmdesk("export", "--db", path, "--lookup", "city:Kaunas", "-o", str(out))
    assert done.returncode == 0, done.stderr
    cards = list(vobject.readComponents(out.read_text(encoding="utf-8")))
    assert [c.fn.value for c in cards] == ["Jonas Žukauskas", "Иван Иванов"]
    assert all(c.version.value == "3.0" for c in cards)
    out4 = tmp_path / "all.vcard"
    done = crmdesk("export", "--db", path, "-o", str(out4), "--format", "vcard",
                   "--vcard-version", "4.0", "--json")
    assert json.loads(done.stdout)["rows"] == 3
    assert "VERSION:4.0" in out4.read_text(encoding="utf-8")
