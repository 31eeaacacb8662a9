"""`crmdesk labels` and `crmdesk envelopes` as a user runs them: a lookup or a
group's contacts as a PDF of labels or envelopes, read back with pdfplumber;
the catalogue listed and searched; a gLabels file; every mistake a message."""

from __future__ import annotations

import json

import pdfplumber
import pytest
from cli_process import crmdesk

from crmdesk.core.contacts.groups import create_static_group
from crmdesk.core.contacts.records import AddressData, ContactData, create_contact
from crmdesk.core.storage.database import Database

PEOPLE = [
    ("Jonas", "Žukauskas", AddressData("Laisvės al. 10", "Kaunas", "", "44001", "LT", "home")),
    ("Иван", "Петров", AddressData("ул. Тверская, д. 7", "Москва", "", "125009", "RU")),
    ("小明", "王", AddressData("建国路88号", "北京市", "", "100022", "CN")),
    ("Ona", "Petraitė", AddressData("Gedimino pr. 1", "Vilnius", "", "01100", "LT")),
]


@pytest.fixture
def path(db_path):
    with Database.open(db_path) as db:
        ids = []
        for given, family, address in PEOPLE:
            order = "family_first" if address.country == "CN" else "given_first"
            ids.append(create_contact(db, ContactData(given_name=given, family_name=family,
                                                      name_order=order,
                                                      addresses=[address])))
        create_contact(db, ContactData(given_name="No", family_name="Address"))
        with db.session() as s:
            create_static_group(s, "Eastern", ids[1:3])
    return str(db_path)


def text(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        return ["".join((page.extract_text() or "").split()) for page in pdf.pages]


def test_labels_for_a_lookup(path, tmp_path):
    out = tmp_path / "kaunas.pdf"
    done = crmdesk("labels", "--db", path, "--lookup", "city:Kaunas", "--template", "L7160",
                   "-o", str(out), "--upper", "--home-country", "lt")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == \
        f"Wrote 1 label to {out} (Avery L7160, pages: 1)."
    assert "100 %" in done.stdout
    assert text(out) == ["JONASŽUKAUSKASLAISVĖSAL.10LT-44001KAUNAS"]
    abroad = crmdesk("labels", "--db", path, "--lookup", "city:Kaunas", "--template", "L7160",
                     "-o", str(out))  # the file has no country of its own: every one named
    assert abroad.returncode == 0, abroad.stderr
    assert text(out) == ["JonasŽukauskasLaisvėsal.10LT-44001KAUNASLITHUANIA"]


def test_everyone_with_the_skipped_listed_sort_start_and_json(path, tmp_path):
    out = tmp_path / "all.pdf"
    done = crmdesk("labels", "--db", path, "--template", "8160", "-o", str(out),
                   "--sort", "postcode", "--start", "2,3", "--outline", "--json",
                   "--home-country", "LT")
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said["labels"] == 4 and said["template"] == "Avery 5160" and said["pages"] == 1
    assert said["skipped"] == [{"name": "No Address", "why": "no address"}]
    mm = 72 / 25.4

    def slot_of(name):  # (row, column) of the 5160 label the name is printed on
        with pdfplumber.open(out) as pdf:
            hit = pdf.pages[0].search(name)[0]
        return (int((hit["top"] / mm - 12.7) // 25.4) + 1,
                int((hit["x0"] / mm - 3.97) // 70.64) + 1)

    # by postcode: CN 100022, LT 01100, LT 44001, RU 125009; from row 2, column 3
    assert [slot_of(n) for n in ("王小明", "Petraitė", "Žukauskas", "Петров")] == \
        [(2, 3), (3, 1), (3, 2), (3, 3)]


def test_skipped_contacts_are_listed_in_words(path, tmp_path):
    done = crmdesk("labels", "--db", path, "--template", "5160", "-o",
                   str(tmp_path / "x.pdf"))
    assert done.returncode == 0, done.stderr
    assert "Not printed (no deliverable address):\n  No Address: no address" in done.stdout


def test_a_group_per_household_copies_and_offset(path, tmp_path):
    out = tmp_path / "group.pdf"
    done = crmdesk("labels", "--db", path, "--group", "Eastern", "--template", "L7163",
                   "-o", str(out), "--copies", "2", "--offset", "1.5,-1")
    assert done.returncode == 0, done.stderr
    page = text(out)[0]
    assert page.count("Петров") == 2 and page.count("王小明") == 2 and "Jonas" not in page


def test_envelopes_with_a_saved_return_address(path, tmp_path):
    out = tmp_path / "env.pdf"
    done = crmdesk("envelopes", "--db", path, "--lookup", "city:Vilnius", "--envelope", "C5",
                   "-o", str(out), "--sender", "UAB Crmdesk|Vilniaus g. 1|LT-01100 Vilnius",
                   "--save-sender")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"Wrote 1 envelope (C5) to {out}."
    assert "UABCrmdesk" in text(out)[0] and "OnaPetraitė" in text(out)[0]
    again = tmp_path / "again.pdf"
    done = crmdesk("envelopes", "--db", path, "--lookup", "group:Eastern", "-o", str(again))
    assert done.returncode == 0, done.stderr
    pages = text(again)
    assert len(pages) == 2 and all("UABCrmdesk" in p for p in pages)


def test_list_and_search_templates(path):
    done = crmdesk("labels", "--list-templates", "8160")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith("Avery 5160")
    done = crmdesk("envelopes", "--list-templates", "--json")
    codes = [t["code"] for t in json.loads(done.stdout)]
    assert codes == ["#10", "Monarch", "DL", "C5", "C6", "C4"]
    done = crmdesk("labels", "--list-templates", "--search", "herma")
    assert "Herma 4464" in done.stdout and "Avery" not in done.stdout


def test_a_glabels_template_file(path, tmp_path):
    xml = tmp_path / "mine.xml"
    xml.write_text("""<?xml version="1.0"?><Glabels-templates>
      <Template brand="Shop" part="A" size="A4" description="Mine">
        <Label-rectangle id="0" width="105mm" height="74.25mm" round="0">
          <Layout nx="2" ny="4" x0="0" y0="0" dx="105mm" dy="74.25mm"/>
        </Label-rectangle></Template>
      <Template brand="Shop" part="B" equiv="A"/></Glabels-templates>""")
    out = tmp_path / "mine.pdf"
    done = crmdesk("labels", "--db", path, "--template-file", str(xml), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "Shop A" in done.stdout
    done = crmdesk("labels", "--db", path, "--template-file", str(xml), "--template", "B",
                   "-o", str(out))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("args, message", [
    (["--template", "9999"], "No label sheet is called '9999'"),
    (["--template", "516"], "Did you mean: Avery 5160"),
    ([], "Name the sheet with --template"),
    (["--template", "5160", "--start", "11,1"], "This sheet has 10 rows; row 11"),
    (["--template", "5160", "--start", "two"], "--start is two numbers"),
    (["--template", "5160", "--offset", "1"], "--offset is two numbers"),
    (["--template", "5160", "--copies", "0"], "--copies is a number from 1"),
    (["--template", "5160", "--lookup", "city:"], "city"),
    (["--template", "5160", "--lookup", "nobody-at-all"], "found no contacts"),
    (["--template", "5160", "--lookup", "No Address"], "has no address a label"),
    (["--template-file", "/nonexistent.xml"], "could not be read"),
])
def test_mistakes_are_messages_and_write_nothing(path, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    done = crmdesk("labels", "--db", path, "-o", str(out), *args)
    assert done.returncode == 1, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_an_output_folder_that_is_not_there(path, tmp_path):
    done = crmdesk("labels", "--db", path, "--template", "5160", "-o",
                   str(tmp_path / "no" / "x.pdf"))
    assert done.returncode == 1 and "does not exist" in done.stderr


def test_a_calibration_page(path, tmp_path):
    out = tmp_path / "cal.pdf"
    done = crmdesk("labels", "--template", "5160", "--calibration", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "calibration page for Avery 5160" in done.stdout
    with pdfplumber.open(out) as pdf:
        assert pdf.pages[0].width == pytest.approx(612)
        assert "Each cross should be 20 mm" in pdf.pages[0].extract_text()
