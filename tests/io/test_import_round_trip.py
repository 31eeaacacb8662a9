"""Import -> export -> import gives the same data: a CSV through a call list (CSV and
XLSX), and a vCard through vcard_out, into a second file; and importing the export
back into the first file finds every contact already there."""

from __future__ import annotations

import pytest

from crmdesk.core.contacts.records import get_contact
from crmdesk.core.storage.database import Database
from crmdesk.io.call_export import export_contacts
from crmdesk.io.contacts_in.importer import (
    import_prepared,
    prepare_table,
    prepare_vcards,
)
from crmdesk.io.contacts_in.mapping import suggest_mapping
from crmdesk.io.contacts_in.table import read_table

CSV = ("First Name,Last Name,Company,Job Title,Department,Mobile Phone,E-mail Address,"
       "Home City,Home Country/Region,Notes\n"
       "Rūta,Žalgirytė,UAB Senukai,Buyer,Sales,+370 612 34567,ruta@example.lt,Vilnius,LT,"
       "Calls back on Fridays\n"
       "Иван,Иванов,ООО Ромашка,Директор,,+7 495 123-45-67,ivan@romashka.ru,Москва,RU,\n"
       "小明,王,,,,,wang@example.cn,北京,CN,\n")
KEYS = ["given_name", "family_name", "company", "job_title", "department", "phone", "email",
        "city", "country", "notes"]


def imported(db, data, kind="csv", policy="create"):
    if kind == "vcard":
        prepared = prepare_vcards(data)
    else:
        table = read_table(data, kind)
        prepared = prepare_table(kind, table, suggest_mapping(table.header, table.rows))
    return import_prepared(db, prepared, on_duplicate=policy, backup=False)


def seen(db, ids):
    out = []
    for cid in ids:
        c = get_contact(db, cid)
        out.append((c.given_name, c.family_name, c.company, c.job_title, c.department,
                    [p.e164 for p in c.phones], [e.address for e in c.emails],
                    [(a.city, a.country) for a in c.addresses], c.notes))
    return sorted(out)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_csv_to_call_list_to_crmdesk(db, tmp_path, new_db_file, file_format):
    first = imported(db, CSV.encode())
    assert first.new == 3
    path = tmp_path / f"out.{file_format}"
    with db.reading() as s:
        export_contacts(s, first.ids, KEYS, path, file_format=file_format)
    with Database.open(new_db_file(tmp_path / "second.crmdesk")) as other:
        again = imported(other, path.read_bytes(), file_format)
        assert again.problems == [] and again.new == 3
        assert seen(other, again.ids) == seen(db, first.ids)
    back = imported(db, path.read_bytes(), file_format, policy="fill")
    assert (back.new, back.unchanged, back.updated) == (0, 3, [])  # all there already


def test_vcard_to_crmdesk_and_back(db, tmp_path, new_db_file):
    from crmdesk.io.vcard_out import export_vcards

    first = imported(db, CSV.encode())
    path = tmp_path / "out.vcf"
    with db.reading() as s:
        export_vcards(s, first.ids, path)
    with Database.open(new_db_file(tmp_path / "second.crmdesk")) as other:
        again = imported(other, path.read_bytes(), "vcard")
        assert again.new == 3
        assert seen(other, again.ids) == seen(db, first.ids)
    back = imported(db, path.read_bytes(), "vcard", policy="skip")
    assert (back.new, back.skipped_duplicates) == (0, 3)
