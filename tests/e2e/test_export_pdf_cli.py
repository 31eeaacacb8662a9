"""`crmdesk export` to a PDF call sheet, and export presets, as a user runs them."""

from __future__ import annotations

import csv
import json

import pdfplumber
import pytest
from cli_process import crmdesk

from crmdesk.core.contacts.records import AddressData, ContactData, PhoneData, create_contact
from crmdesk.core.storage.database import Database


@pytest.fixture
def path(db_path):
    with Database.open(db_path) as db:
        for given, family, city, phone in (("Jonas", "Žukauskas", "Kaunas", "+370 612 34567"),
                                           ("Ona", "Petraitė", "Vilnius", "+370 699 11111"),
                                           ("Иван", "Иванов", "Kaunas", "+7 495 123-45-67"),
                                           ("小明", "王", "Kaunas", "+86 138 0013 8000")):
            create_contact(db, ContactData(given_name=given, family_name=family,
                                           phones=[PhoneData(phone)],
                                           addresses=[AddressData(city=city)],
                                           name_order="family_first" if family == "王"
                                           else "given_first"))
    return str(db_path)


def test_a_pdf_call_sheet_from_the_file_name(path, tmp_path):
    out = tmp_path / "kaunas.pdf"
    done = crmdesk("export", "--db", path, "--lookup", "city:Kaunas", "-o", str(out),
                   "--columns", "name,phones,city", "--paper", "letter")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Wrote 3 contacts to {out}."
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        assert page.width > page.height and round(page.width) == 792  # Letter, landscape
        text = page.extract_text()
    assert text.startswith("city:Kaunas")
    for name in ("Jonas Žukauskas", "Иван Иванов", "王小明", "+370 612 34567"):
        assert name in text
    assert "Ona" not in text and "Page 1 of 1" in text
    done = crmdesk("export", "--db", path, "-o", str(tmp_path / "x.out"), "--format", "pdf",
                   "--json", "--title", "Tomorrow")
    said = json.loads(done.stdout)
    assert said["format"] == "pdf" and said["rows"] == 4
    with pdfplumber.open(tmp_path / "x.out") as pdf:
        assert pdf.pages[0].extract_text().startswith("Tomorrow")


def test_presets_saved_listed_and_used(path, tmp_path):
    first = tmp_path / "first.csv"
    done = crmdesk("export", "--db", path, "-o", str(first), "--columns", "city,name",
                   "--sort", "city", "--descending", "--delimiter", "semicolon",
                   "--save-preset", " Morning   calls ")
    assert done.returncode == 0, done.stderr
    assert "Saved the export preset 'Morning calls'." in done.stdout
    listed = crmdesk("export", "--db", path, "-o", "-", "--list-presets")
    assert listed.stdout.strip() == "Morning calls\tcsv\tcity,name"
    again = tmp_path / "again.csv"
    done = crmdesk("export", "--db", path, "-o", str(again), "--preset", "Morning calls")
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == first.read_bytes()  # the same columns, order, sort, separator
    rows = list(csv.reader(again.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["City", "Name"] and rows[1][0] == "Vilnius"
    # what is typed goes on top of the preset; the format from the file name
    pdf = tmp_path / "again.pdf"
    done = crmdesk("export", "--db", path, "-o", str(pdf), "--preset", "Morning calls",
                   "--columns", "name", "--json")
    said = json.loads(done.stdout)
    assert said["format"] == "pdf" and said["columns"] == ["name"]
    assert said["preset"] == "Morning calls"


def test_preset_messages(path, tmp_path):
    out = tmp_path / "x.csv"
    done = crmdesk("export", "--db", path, "-o", str(out), "--preset", "Nope")
    assert done.returncode == 1
    assert "There is no export preset 'Nope'. Saved: none." in done.stderr
    assert not out.exists()
    done = crmdesk("export", "--db", path, "-o", str(out), "--save-preset", "   ")
    assert done.returncode == 1 and "needs a name" in done.stderr
    assert not out.exists()  # told before anything was written
    done = crmdesk("export", "--db", path, "-o", str(out), "--columns", "name,shoe_size",
                   "--format", "pdf")
    assert done.returncode == 1 and "There is no column 'shoe_size'" in done.stderr
