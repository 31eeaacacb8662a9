"""The call list's one row source at speed: phones formatted from templates give
exactly what phonenumbers gives, and a whole-table read gives exactly the rows
of a read by ids."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    EmailData,
    PhoneData,
    create_contact,
)
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.core.storage.settings import set_setting
from crmdesk.io import call_list
from crmdesk.io.call_list import INTERNATIONAL, NATIONAL, Dialler, contact_values, dialling


def _numbers():
    """Example numbers of every country phonenumbers knows, and variants of each
    (other last digits: the same template, or not)."""
    rng = random.Random(20)
    out = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE,
                     phonenumbers.PhoneNumberType.FIXED_LINE,
                     phonenumbers.PhoneNumberType.TOLL_FREE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            out.append(e164)
            for _i in range(3):
                tail = "".join(rng.choice("0123456789") for _d in range(3))
                out.append(e164[:-3] + tail)
    return out


@pytest.mark.parametrize("style,region", [(INTERNATIONAL, "LT"), (NATIONAL, "LT"),
                                          (NATIONAL, "US"), (NATIONAL, "RU"),
                                          (NATIONAL, "CN"), (NATIONAL, "GB"),
                                          (INTERNATIONAL, "")])
def test_templates_give_what_phonenumbers_gives(style, region):
    numbers = _numbers()
    dial = Dialler(style, region)
    for e164 in numbers + numbers:  # the second time from the templates
        assert dial(e164, e164) == dialling(e164, e164, style=style, region=region), e164
    assert dial("call me", None) == "call me"
    assert dial(" 8 612 ", "+999123") == dialling(" 8 612 ", "+999123", style=style,
                                                   region=region)


def test_a_whole_table_read_is_the_same_as_by_ids(db, monkeypatch):
    with db.session() as s:
        set_setting(s, "phone_region", "LT")
    for i in range(30):
        create_contact(db, ContactData(
            given_name=f"Given{i}", family_name=f"Family{i}", company=f"Company {i % 4}",
            phones=[PhoneData(f"+370 612 {i:05d}"), PhoneData(f"8 5 2{i:02d} 1234")],
            emails=[EmailData(f"p{i}@example.lt")],
            addresses=[AddressData(city=["Vilnius", "Kaunas"][i % 2], country="LT")],
            notes=f"note {i}" if i % 3 else ""))
    keys = ["name", "given_name", "company", "phones", "phone", "email", "city", "country",
            "notes", "last_contact", "status"]
    with db.reading() as s:
        ids = find_ids(s, CONTACT, "", strict=True, sort="city")[:25][::-1]
        by_ids = list(contact_values(s, ids, keys, phones=NATIONAL))
        monkeypatch.setattr(call_list, "_BULK", 1)
        seen = []
        whole = list(contact_values(s, ids, keys, phones=NATIONAL,
                                    progress=lambda d, t: seen.append((d, t))))
    assert whole == by_ids and len(whole) == 25
    assert seen[0] == (0, 25)
    assert by_ids[0][0].startswith("Given") and "; " in by_ids[0][3]


def test_a_company_in_the_trash_is_blank_beside_its_people(db, monkeypatch):
    """As in the list: the name of a trashed company is not shown (either read)."""
    from crmdesk.core.companies.records import trash_companies
    from crmdesk.core.storage.models import Company

    for i in range(4):
        create_contact(db, ContactData(given_name=f"P{i}", family_name="X",
                                       company="Gone UAB" if i % 2 else "Kept UAB"))
    create_contact(db, ContactData(given_name="Nobody", family_name="X"))
    with db.reading() as s:
        gone = s.query(Company.id).filter(Company.name == "Gone UAB").scalar()
    trash_companies(db, [gone])
    with db.reading() as s:
        ids = find_ids(s, CONTACT, "", strict=True)
        by_ids = list(contact_values(s, ids, ["name", "company"]))
        monkeypatch.setattr(call_list, "_BULK", 1)
        whole = list(contact_values(s, ids, ["name", "company"]))
    assert by_ids == whole
    assert sorted(map(tuple, whole)) == [("Nobody X", ""), ("P0 X", "Kept UAB"), ("P1 X", ""),
                                         ("P2 X", "Kept UAB"), ("P3 X", "")]


def test_xlsx_hostile_values_stay_text(tmp_path):
    from datetime import date, datetime
    from decimal import Decimal

    from openpyxl import load_workbook

    from crmdesk.io.call_list import write_xlsx

    hostile = ['=HYPERLINK("http://evil.example","click")', "+SUM(1,2)", "@cmd", "-2+3",
               "+7 495 123-45-67", "=1+1", "http://example.com", "0123", "n" * 5000,
               "שלום", "😀", ""]
    rows = [[h, Decimal("12.5"), date(2026, 6, 1), datetime(2026, 11, 30, 9, 15), True, None]
            for h in hostile]
    out = tmp_path / "hostile.xlsx"
    assert write_xlsx(out, ["Text", "Number", "Day", "Moment", "Flag", "Empty"], rows,
                      title="Calls: [today]?") == len(hostile)
    book = load_workbook(out)
    sheet = book.active
    assert sheet.title == "Calls   today"  # what Excel allows in a sheet name
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:F{len(hostile) + 1}"
    for r, value in enumerate(hostile, 2):
        cell = sheet.cell(r, 1)
        assert cell.data_type != "f"
        assert (cell.value or "") == value  # unchanged, and text
        assert sheet.cell(r, 2).value == 12.5 and sheet.cell(r, 2).data_type == "n"
        assert sheet.cell(r, 3).value == datetime(2026, 6, 1)
        assert sheet.cell(r, 4).value == datetime(2026, 11, 30, 9, 15)
        assert sheet.cell(r, 5).value is True
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)



def test_last_contact_as_the_clock_shows_it(db, monkeypatch):
    """SQLite turns the stored UTC into the user's clock just as _local does."""
    import time
    from datetime import datetime

    from crmdesk.core.storage.models import Contact
    from crmdesk.io.call_list import _local

    moments = [datetime(2026, 3, 29, h, m, 7, 5) for h in range(0, 3) for m in (0, 59)]
    moments += [datetime(2026, 10, 25, h, m, 30) for h in range(0, 3) for m in (0, 1, 59)]
    moments += [datetime(2026, 7, 1, 12, 0), None]
    ids = [create_contact(db, ContactData(given_name=f"P{i}")) for i in range(len(moments))]
    with db.session() as s:
        for cid, moment in zip(ids, moments, strict=True):
            s.get(Contact, cid).last_contact_at = moment
    monkeypatch.setenv("TZ", "Europe/Vilnius")
    time.tzset()
    try:
        with db.reading() as s:
            for bulk in (10_000, 1):  # by ids, and the whole table
                monkeypatch.setattr(call_list, "_BULK", bulk)
                got = [r[0] for r in contact_values(s, ids, ["last_contact"])]
                assert got == [_local(m) for m in moments]
        assert got[-2] == datetime(2026, 7, 1, 15, 0)  # UTC+3 in summer
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_csv_cells_column_by_column(tmp_path):
    import csv
    from datetime import datetime

    from crmdesk.io.call_list import write_csv
    from crmdesk.io.history_csv import safe_cell

    rows = [["Ona", "=1+1", "+7 495 123-45-67", "line\r\nbreak", datetime(2026, 11, 30, 9, 15)],
            ["Jonas", "@cmd", "+370 612 34567; +44 20 7946 0958", "plain", None],
            ["Иван", "+SUM(1,2)", "", "", datetime(2026, 1, 2, 3, 4)]]
    out = tmp_path / "x.csv"
    assert write_csv(out, ["A", "B", "C", "D", "E"], rows) == 3
    read = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    assert read[0] == ["A", "B", "C", "D", "E"]
    assert [r[0] for r in read[1:]] == ["Ona", "Jonas", "Иван"]  # a plain column as it is
    assert [r[1] for r in read[1:]] == ["'=1+1", "'@cmd", "'+SUM(1,2)"]  # never a formula
    assert [r[2] for r in read[1:]] == [safe_cell("+7 495 123-45-67"),
                                        "+370 612 34567; +44 20 7946 0958", ""]
    assert read[1][2] == "+7 495 123-45-67"  # a phone stays as it is
    assert read[1][3] == "line\nbreak"
    assert [r[4] for r in read[1:]] == ["2026-11-30 09:15", "", "2026-01-02 03:04"]
    assert write_csv(tmp_path / "empty.csv", ["A"], []) == 0


CELL_CHARS = ',;\t"\n\r x=+-@\x00éЖ王0123456789().;/'


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda width: st.tuples(
    st.lists(st.text(alphabet=CELL_CHARS, max_size=6), min_size=width, max_size=width),
    st.lists(st.lists(st.text(alphabet=CELL_CHARS, max_size=6) | st.none(),
                      min_size=width, max_size=width), max_size=6))),
    st.sampled_from([",", ";", "\t"]))
def test_the_csv_text_is_what_the_csv_module_writes(table, delimiter):
    # The export makes its cells and joins its columns itself, a column at a time
    # (quicker): the very bytes csv.writer gives for each cell made safe on its own,
    # whatever the cells hold: separators, quotes, line breaks, phone numbers,
    # formulas, nothing at all.
    import csv
    import io

    from crmdesk.io.call_list import _text, write_csv
    from crmdesk.io.history_csv import safe_cell

    head, rows = table
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "x.csv"
        assert write_csv(out, head, rows, delimiter=delimiter, encoding="utf-8") == len(rows)
        written = out.read_bytes()
    expected = io.StringIO(newline="")
    writer = csv.writer(expected, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in head])
    writer.writerows([safe_cell(_text(v)) for v in row] for row in rows)
    assert written == expected.getvalue().encode("utf-8")
