"""`crmdesk import` as a user runs it: a dry run that writes nothing and says which rows
have problems, a real run in one transaction, and plain messages for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_process import crmdesk

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

RUSSIAN_CSV = ("ФИО;Телефон;Эл. почта;Дата рождения\r\n"
               "Иванов Иван Иванович;+7 495 123-45-67;ivan@example.ru;25.03.1980\r\n"
               "Петрова Анна Сергеевна;mobile;anna@example.ru;01.02.1990\r\n"
               ";;;\r\n"
               "Žalgirytė Rūta;+370 600 00001;ruta@example.lt;\r\n")


@pytest.fixture
def ru_csv(tmp_path):
    path = tmp_path / "клиенты.csv"
    path.write_bytes(RUSSIAN_CSV.replace("Žalgirytė Rūta", "Сидоров Пётр").encode("cp1251"))
    return path


def names(db):
    out = crmdesk("search", "--db", str(db), "--json", "--", "-tag:nothing-here")
    assert out.returncode == 0, out.stderr
    return sorted(r["name"] for r in json.loads(out.stdout))


def test_dry_run_reports_and_writes_nothing(db_path, ru_csv):
    out = crmdesk("import", "--db", str(db_path), str(ru_csv), "--dry-run")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Dry run: 2 new contacts, 1 row with problems; nothing was written."
    assert lines[1] == ("Columns: ФИО → full_name, Телефон → phone, Эл. почта → email, "
                        "Дата рождения → birthday")
    assert lines[2:] == ["  line 3: 'mobile' has no digits: it is not a phone number.",
                         "  line 3: This contact was left out."]
    assert not db_path.exists()  # not even a new empty file
    crmdesk("import", "--db", str(db_path), str(ru_csv), "--map", "ФИО=ignore",
            "--map", "Эл. почта=email")
    assert names(db_path) == ["ivan@example.ru", "ruta@example.lt"]
    out = crmdesk("import", "--db", str(db_path), str(ru_csv), "--dry-run", "--json")
    assert json.loads(out.stdout)["new"] == 2
    assert names(db_path) == ["ivan@example.ru", "ruta@example.lt"]  # left as it was


def test_real_run_writes_in_one_go(db_path, ru_csv):
    out = crmdesk("import", "--db", str(db_path), str(ru_csv), "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (report["new"], report["left_out"], report["rows_with_problems"]) == (2, 1, 1)
    assert (report["encoding"], report["delimiter"], report["format"]) == ("cp1251", ";", "csv")
    assert report["name_order"] == "family_given_patronymic" and report["day_first"] is True
    assert len(report["ids"]) == 2 and not report["dry_run"]
    assert names(db_path) == ["Иван Иванович Иванов", "Пётр Сидоров"]
    out = crmdesk("search", "--db", str(db_path), "4951234567", "--json")
    (found,) = json.loads(out.stdout)
    assert found["email"] == "ivan@example.ru" and found["phone"] == "+7 495 123-45-67"


def test_overrides_on_the_command_line(db_path, tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("Kas|Kur|Tel\nŽalgirytė Rūta|Vilnius|+370 600 00001\n"
                    "王小明|北京|+86 138 0013 8000\n", encoding="utf-8")
    out = crmdesk("import", "--db", str(db_path), str(path), "--delimiter", "|",
                  "--map", "Kas=full_name", "--map", "2=city:work", "--map", "tel=phone:mobile",
                  "--name-order", "family_first")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["Imported 2 contacts from list.txt.",
                                       "To undo this import: crmdesk import --undo 1"]
    # Family first, as the file says, and shown so.
    assert names(db_path) == ["Žalgirytė Rūta", "王小明"]
    out = crmdesk("search", "--db", str(db_path), "city:vilnius", "--json")
    assert [r["name"] for r in json.loads(out.stdout)] == ["Žalgirytė Rūta"]


def test_a_custom_field_column(db_path, tmp_path):
    crmdesk("fields", "add", "Fleet size", "--type", "number", "--db", str(db_path))
    path = tmp_path / "fleet.csv"
    path.write_text("Name,Fleet\nAnna Berg,12\nOla Nord,many\n", encoding="utf-8")
    out = crmdesk("import", "--db", str(db_path), str(path), "--map", "Fleet=fleet_size",
                  "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["new"] == 2  # "many" is kept as typed, with a warning
    assert [p["line"] for p in report["problems"]] == [3]
    out = crmdesk("search", "--db", str(db_path), "fleet_size>10", "--json")
    assert [r["name"] for r in json.loads(out.stdout)] == ["Anna Berg"]
    out = crmdesk("import", "--db", str(db_path), str(path), "--map", "Fleet=custom:trucks")
    assert out.returncode == 1
    assert "There is no custom field 'trucks'" in out.stderr
    assert len(names(db_path)) == 2  # nothing more was written


def test_vcards_from_a_phone(db_path, tmp_path):
    path = tmp_path / "phone.txt"  # a .txt that holds vCards is read as vCards
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:"
                     + "山田;太郎".encode("shift_jis") + b"\r\nTEL;CELL:+81 90-1234-5678\r\n"
                     b"END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nbroken line\r\n"
                     b"FN:Second Card\r\nEND:VCARD\r\n")
    out = crmdesk("import", "--db", str(db_path), str(path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "Imported 2 contacts from phone.txt. 1 row with problems:",
        "  line 8: This line is not a vCard property and was skipped: broken line",
        "To undo this import: crmdesk import --undo 1"]
    assert names(db_path) == ["Second Card", "山田太郎"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the project")
def test_shared_files(db_path):
    out = crmdesk("import", "--db", str(db_path),
                  str(SHARED / "vcard/ez-vcard/io/text/John_Doe_IPHONE.vcf"), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["new"] == 1
    out = crmdesk("import", "--db", str(db_path),
                  str(SHARED / "csv/roundcubemail/Csv2vcard/gmail.csv"), "--dry-run", "--json")
    report = json.loads(out.stdout)
    # The test export has words where phone numbers go: refused, with its line.
    assert (report["new"], report["left_out"]) == (0, 1)
    assert {p["line"] for p in report["problems"]} == {2}
    out = crmdesk("search", "--db", str(db_path), "ibm", "--json")
    assert [r["name"] for r in json.loads(out.stdout)] == ["Mr. John Richter James Doe Sr."]


def test_a_sheet_of_a_workbook(db_path, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ignore me"])
    sheet = book.create_sheet("Klientai")
    sheet.append(["Vardas", "Pavardė", "El. paštas"])
    sheet.append(["Jonas", "Šimkus", "jonas@example.lt"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    out = crmdesk("import", "--db", str(db_path), str(path), "--sheet", "2", "--dry-run")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].startswith("Dry run: 1 new contact, 0 rows with problems")
    out = crmdesk("import", "--db", str(db_path), str(path), "--sheet", "Nope")
    assert out.returncode == 1 and "There is no sheet 'Nope'" in out.stderr


def test_bad_input_gets_a_plain_message(db_path, tmp_path):
    out = crmdesk("import", "--db", str(db_path), str(tmp_path / "missing.csv"))
    assert out.returncode == 1 and "There is no file" in out.stderr
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    out = crmdesk("import", "--db", str(db_path), str(bad))
    assert out.returncode == 1 and "not an Excel workbook" in out.stderr
    csv = tmp_path / "x.csv"
    csv.write_text("Name,Phone\nAnna,123\n", encoding="utf-8")
    out = crmdesk("import", "--db", str(db_path), str(csv), "--map", "Nope=email")
    assert out.returncode == 1
    assert "There is no column 'Nope'. The columns are: Name, Phone" in out.stderr
    out = crmdesk("import", "--db", str(db_path), str(csv), "--delimiter", ";;")
    assert out.returncode == 1 and "one character" in out.stderr
    odd = tmp_path / "odd.csv"
    odd.write_text("Foo,Bar\n1,2\n", encoding="utf-8")
    out = crmdesk("import", "--db", str(db_path), str(odd))
    assert out.returncode == 1 and "--map" in out.stderr
    out = crmdesk("import", "--db", str(db_path), str(csv), "--format", "vcard")
    assert out.returncode == 1 and "The file holds no vCard" in out.stderr
    assert crmdesk("import", str(csv), "--format", "docx").returncode == 2
    assert "Traceback" not in out.stderr


def test_no_progress_when_stderr_is_not_a_terminal(capsys):
    """The bar itself is tested on a pseudo-terminal (test_cli_import_undo.py)."""
    from crmdesk.cli.importing import TerminalProgress

    quiet = TerminalProgress(" contacts")
    quiet(0, 4)
    quiet(4, 4)
    quiet.close()
    assert capsys.readouterr().err == ""


def test_a_tab_separated_file_without_a_header(db_path, tmp_path):
    path = tmp_path / "people.dat"
    path.write_text("Anna Berg\t03/04/1980\nOla Nord\t05/06/1975\n", encoding="utf-8")
    out = crmdesk("import", "--db", str(db_path), str(path), "--format", "tsv", "--no-header",
                  "--map", "1=full_name", "--map", "2=birthday", "--month-first", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (report["new"], report["delimiter"], report["day_first"]) == (2, "\t", False)
    assert report["mapping"] == [{"column": "Column 1", "field": "full_name"},
                                 {"column": "Column 2", "field": "birthday"}]
    out = crmdesk("search", "--db", str(db_path), "birthday:1980-03-04", "--json")
    assert out.returncode == 0, out.stderr
    assert [r["name"] for r in json.loads(out.stdout)] == ["Anna Berg"]
    again = tmp_path / "again.csv"
    again.write_text("Vera Lind;03/04/1980\n", encoding="utf-8")
    out = crmdesk("import", "--db", str(db_path), str(again), "--delimiter", ";",
                  "--no-header", "--map", "1=full_name", "--map", "2=birthday", "--day-first")
    assert out.returncode == 0, out.stderr
    out = crmdesk("search", "--db", str(db_path), "birthday:1980-04-03", "--json")
    assert [r["name"] for r in json.loads(out.stdout)] == ["Vera Lind"]


def test_a_backup_is_taken_before_an_import(tmp_path, monkeypatch):
    from crmdesk.core.contacts.records import ContactData, create_contact
    from crmdesk.core.storage import backups
    from crmdesk.core.storage.database import Database

    folder = tmp_path / "backups"
    monkeypatch.setenv(backups.BACKUP_DIR_ENV, str(folder))
    db_file = tmp_path / "shop.crmdesk"
    with Database.open(db_file, backup=False) as db:
        create_contact(db, ContactData(given_name="Before"))
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("Name,E-mail\nOna Petraitė,ona@example.lt\n", encoding="utf-8")
    done = crmdesk("import", str(csv_file), "--db", str(db_file), "--dry-run",
                   env={backups.BACKUP_DIR_ENV: str(folder)})
    assert done.returncode == 0, done.stderr
    assert not any(b.reason == backups.BEFORE_IMPORT for b in backups.list_backups(db_file))
    done = crmdesk("import", str(csv_file), "--db", str(db_file),
                   env={backups.BACKUP_DIR_ENV: str(folder)})
    assert done.returncode == 0, done.stderr
    made = [b for b in backups.list_backups(db_file) if b.reason == backups.BEFORE_IMPORT]
    assert len(made) == 1 and made[0].contacts == 1  # the file as it was, before the import


def test_a_mapping_saved_and_used_again(tmp_path):
    from crmdesk.core.storage.database import Database

    db_file = tmp_path / "shop.crmdesk"
    Database.open(db_file).close()
    first = tmp_path / "first.csv"
    first.write_text("Kas,Telefonas,Kita\nOna Petraitė,+370 612 34567,x\n", encoding="utf-8")
    done = crmdesk("import", str(first), "--db", str(db_file), "--map", "Kas=full_name",
                   "--map", "Telefonas=phone:mobile", "--map", "Kita=ignore",
                   "--save-mapping", "Old CRM")
    assert done.returncode == 0, done.stderr
    second = tmp_path / "second.csv"
    second.write_text("Telefonas,Kas\n+370 699 11111,Jonas Jonaitis\n", encoding="utf-8")
    done = crmdesk("import", str(second), "--db", str(db_file), "--mapping", "Old CRM",
                   "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert {m["column"]: m["field"] for m in report["mapping"]} == {
        "Telefonas": "phone:mobile", "Kas": "full_name"}
    done = crmdesk("import", str(second), "--db", str(db_file), "--mapping", "Nope")
    assert done.returncode == 1 and "no saved mapping 'Nope'" in done.stderr
