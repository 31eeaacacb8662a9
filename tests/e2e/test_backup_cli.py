"""`crmdesk backup`, `crmdesk backups` and `crmdesk restore` as a user runs them.

Most run in this process (crmdesk.cli.main.main) for speed; the whole round
trip and a restore refused while another process has the file open run the
real command as a subprocess.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_process import crmdesk

from crmdesk.cli.main import main
from crmdesk.core.contacts.records import ContactData, EmailData, create_contact
from crmdesk.core.storage.database import Database


@pytest.fixture(autouse=True)
def backup_root(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "backups"
    monkeypatch.setenv("CRMDESK_BACKUP_DIR", str(root))
    return root


@pytest.fixture
def filled(db_path, new_db_file):
    new_db_file(db_path)
    with Database.open(db_path, backup=False) as db:
        create_contact(db, ContactData(given_name="Мария", family_name="Иванова",
                                       emails=[EmailData("maria@example.ru")]))
        create_contact(db, ContactData(given_name="小明", family_name="王",
                                       name_order="family_first"))
    return db_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def add(path: Path, name: str) -> None:
    with Database.open(path, backup=False) as db:
        create_contact(db, ContactData(given_name=name, family_name="Later"))


def test_backup_then_list(filled, capsys, backup_root):
    code, out, err = run(capsys, "backup", "--db", str(filled))
    assert code == 0, err
    assert out.startswith(f"Backed up {filled} (2 contacts, ")
    made = Path(out.rstrip().rsplit(" to ", 1)[1])
    assert made.is_file() and made.is_relative_to(backup_root)

    code, out, err = run(capsys, "backups", "--db", str(filled))
    assert code == 0, err
    head, row = out.splitlines()
    assert head.split() == ["date", "size", "contacts", "made", "file"]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  +\d+ KB  +2  +on demand  +", row), row
    assert row.endswith(made.name)
    assert str(made.parent) in err

    code, out, err = run(capsys, "backups", "--db", str(filled), "--json")
    assert code == 0, err
    [entry] = json.loads(out)
    assert entry["file"] == str(made) and entry["contacts"] == 2
    assert entry["size"] == made.stat().st_size and entry["reason"] == "manual"
    assert entry["date"][:4].isdigit()


def test_no_backups_yet(filled, capsys):
    code, out, err = run(capsys, "backups", "--db", str(filled))
    assert code == 0 and out == ""
    assert "There are no backups of" in err
    code, out, _err = run(capsys, "backups", "--db", str(filled), "--json")
    assert json.loads(out) == []


def test_backup_to_a_chosen_file(filled, tmp_path, capsys):
    target = tmp_path / "for the accountant.crmdesk"
    code, out, err = run(capsys, "backup", "--db", str(filled), "-o", str(target))
    assert code == 0, err
    assert out.rstrip().endswith(f" to {target}")
    code, out, err = run(capsys, "search", "--db", str(target), "иванова", "--json")
    assert [r["name"] for r in json.loads(out)] == ["Мария Иванова"]
    before = target.read_bytes()
    code, out, err = run(capsys, "backup", "--db", str(filled), "-o", str(target))
    assert code == 1 and "already exists" in err
    assert target.read_bytes() == before


def test_restore_by_name_gives_the_data_back(filled, capsys):
    run(capsys, "backup", "--db", str(filled))
    _code, listing, _err = run(capsys, "backups", "--db", str(filled), "--json")
    name = Path(json.loads(listing)[0]["file"]).name
    _code, before, _err = run(capsys, "search", "--db", str(filled), "--json", "--", "-has:x")
    add(filled, "Extra")
    code, out, err = run(capsys, "restore", "--db", str(filled), name)
    assert code == 0, err
    assert f"Restored {filled} from " in out and "(2 contacts)" in out
    assert "The file as it was is kept in " in out
    _code, after, _err = run(capsys, "search", "--db", str(filled), "--json", "--", "-has:x")
    assert after == before
    # The file as it was is listed too, with its 3 contacts.
    _code, listing, _err = run(capsys, "backups", "--db", str(filled), "--json")
    assert sorted((e["reason"], e["contacts"]) for e in json.loads(listing)) == [
        ("before-restore", 3), ("manual", 2)]


def test_a_damaged_backup_is_refused(filled, capsys):
    _code, out, _err = run(capsys, "backup", "--db", str(filled))
    backup = Path(out.rstrip().rsplit(" to ", 1)[1])
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) - 4096])
    before = filled.read_bytes()
    code, out, err = run(capsys, "restore", "--db", str(filled), str(backup))
    assert code == 1 and out == ""
    assert err.startswith(f"crmdesk: The backup {backup} is damaged")
    assert "nothing was restored" in err and "Traceback" not in err
    assert filled.read_bytes() == before
    _code, out, _err = run(capsys, "backups", "--db", str(filled))
    assert "damaged" in out


def test_a_backup_that_is_not_there(filled, capsys):
    code, _out, err = run(capsys, "restore", "--db", str(filled), "no-such-backup.crmdesk")
    assert code == 1
    assert err.startswith("crmdesk: There is no backup at ")
    assert err.rstrip().endswith("no-such-backup.crmdesk.")


def test_a_damaged_file_can_be_listed_and_restored(filled, capsys):
    run(capsys, "backup", "--db", str(filled))
    data = filled.read_bytes()
    filled.write_bytes(data[: len(data) // 2])
    code, _out, err = run(capsys, "search", "--db", str(filled), "мария")
    assert code == 1 and "damaged" in err
    _code, listing, _err = run(capsys, "backups", "--db", str(filled), "--json")
    [entry] = json.loads(listing)
    code, out, err = run(capsys, "restore", "--db", str(filled), entry["file"])
    assert code == 0, err
    code, out, err = run(capsys, "search", "--db", str(filled), "мария", "--json")
    assert code == 0 and [r["name"] for r in json.loads(out)] == ["Мария Иванова"]


HOLD = """
import sys, time
from crmdesk.core.storage.database import Database
db = Database.open(sys.argv[1], backup=False)
print("open", flush=True)
time.sleep(60)
"""


def test_restore_is_refused_while_another_process_has_the_file(filled, backup_root):
    out = crmdesk("backup", "--db", str(filled))
    assert out.returncode == 0, out.stderr
    backup = out.stdout.rstrip().rsplit(" to ", 1)[1]
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(filled)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = filled.read_bytes()
        out = crmdesk("restore", "--db", str(filled), backup)
        assert out.returncode == 1
        assert "is open in crmdesk" in out.stderr and "nothing was restored" in out.stderr
        assert filled.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    out = crmdesk("restore", "--db", str(filled), backup)
    assert out.returncode == 0, out.stderr
    assert "(2 contacts)" in out.stdout


def test_a_damaged_file_is_not_backed_up_as_if_whole(filled, capsys, backup_root):
    data = bytearray(filled.read_bytes())
    last = len(data) // 4096 - 1
    data[last * 4096:] = bytes(4096)
    filled.write_bytes(bytes(data))
    code, out, err = run(capsys, "backup", "--db", str(filled))
    assert code == 1 and out == ""
    assert err.startswith("crmdesk: No backup was made: the file ")
    assert "damaged" in err or "cannot be read whole" in err
    assert "Traceback" not in err and ".part" not in err
    assert not backup_root.exists() or not any(backup_root.rglob("*.crmdesk*"))


def test_keep_sets_the_files_rotation(tmp_path):
    import sqlite3

    from crmdesk.core.storage.backups import ROTATION_SETTING

    db_file = tmp_path / "shop.crmdesk"
    Database.open(db_file).close()
    done = crmdesk("backups", "--db", str(db_file), "--keep", "3,2,6")
    assert done.returncode == 0, done.stderr
    assert "the last 3 days, 2 weeks and 6 months are kept" in done.stderr + done.stdout
    conn = sqlite3.connect(db_file)
    try:
        value = conn.execute("SELECT value FROM setting WHERE key = ?",
                             (ROTATION_SETTING,)).fetchone()[0]
    finally:
        conn.close()
    assert value == "3,2,6"
    bad = crmdesk("backups", "--db", str(db_file), "--keep", "forever")
    assert bad.returncode == 1 and "like 7,4,12" in bad.stderr
