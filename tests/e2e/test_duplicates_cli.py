"""`crmdesk duplicates` and the import's possible duplicates, as a user sees them."""

from __future__ import annotations

import json

from cli_process import crmdesk

from crmdesk.core.contacts.records import ContactData, EmailData, create_contact
from crmdesk.core.storage.database import Database


def _file(db_path):
    with Database.open(db_path) as db:
        a = create_contact(db, ContactData(given_name="Иван", family_name="Иванов"))
        b = create_contact(db, ContactData(given_name="Ivan", family_name="Ivanov"))
        c = create_contact(db, ContactData(given_name="Ona", family_name="Petraitė",
                                           emails=[EmailData("ona@example.lt")]))
    return a, b, c


def test_the_pairs(db_path):
    a, b, _c = _file(db_path)
    done = crmdesk("duplicates", "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    assert "1 pair of contacts may be one person:" in done.stdout
    assert "Иван Иванов" in done.stdout and "Ivan Ivanov" in done.stdout
    assert "the same name" in done.stdout
    pairs = json.loads(crmdesk("duplicates", "--db", str(db_path), "--json").stdout)
    assert [(p["first"], p["second"]) for p in pairs] == [(a, b)]
    assert json.loads(crmdesk("duplicates", "--db", str(db_path), "--json",
                              "--min-score", "99").stdout) == []


def test_an_import_says_who_is_already_there(db_path, tmp_path):
    _a, _b, c = _file(db_path)
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("Name,E-mail\nO. Petraitė,ONA@example.lt\nNew Person,new@example.lt\n",
                        encoding="utf-8")
    done = crmdesk("import", str(csv_file), "--db", str(db_path), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "1 may already be in the file:" in done.stdout
    assert f"line 2: looks like Ona Petraitė (contact {c}): the same e-mail" in done.stdout
