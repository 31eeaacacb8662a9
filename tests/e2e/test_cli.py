"""The `crmdesk` command as a user runs it: a subprocess, its output and exit code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from cli_process import crmdesk

from crmdesk.core.contacts.records import ContactData, EmailData, PhoneData, create_contact
from crmdesk.core.storage.database import Database


@pytest.fixture
def filled(db_path):
    with Database.open(db_path) as db:
        create_contact(db, ContactData(given_name="Мария", family_name="Иванова",
                                       phones=[PhoneData("+7 (495) 123-45-67")],
                                       emails=[EmailData("maria@example.ru")],
                                       company="ООО Ромашка"))
        create_contact(db, ContactData(given_name="小明", family_name="王",
                                       name_order="family_first"))
        create_contact(db, ContactData(given_name="Rūta", family_name="Žalgirytė"))
    return db_path


def test_version_and_help():
    out = crmdesk("--version")
    assert out.returncode == 0 and out.stdout.startswith("crmdesk ")
    for cmd in ([], ["search"], ["check"], ["demo"], ["gui"], ["fields"], ["fields", "add"]):
        out = crmdesk(*cmd, "--help")
        assert out.returncode == 0, out.stderr
        assert "usage: crmdesk" in out.stdout


def test_usage_errors_exit_2():
    assert crmdesk("search").returncode == 2
    assert crmdesk("frobnicate").returncode == 2
    assert crmdesk("demo", "x", "--contacts", "many").returncode == 2


def test_search_table_and_json(filled):
    out = crmdesk("search", "--db", str(filled), "иванов")
    assert out.returncode == 0, out.stderr
    assert "Мария Иванова" in out.stdout and "+7 (495) 123-45-67" in out.stdout
    assert "maria@example.ru" in out.stdout and "ООО Ромашка" in out.stdout
    out = crmdesk("--db", str(filled), "search", "4951234567", "--json")
    rows = json.loads(out.stdout)
    assert [r["name"] for r in rows] == ["Мария Иванова"]
    assert set(rows[0]) == {"id", "name", "company", "phone", "email"}
    out = crmdesk("search", "--db", str(filled), "小明", "--json")
    assert [r["name"] for r in json.loads(out.stdout)] == ["王小明"]
    out = crmdesk("search", "--db", str(filled), "zalgiryte", "--json")
    assert [r["name"] for r in json.loads(out.stdout)] == ["Rūta Žalgirytė"]


def test_search_with_a_lookup(filled):
    out = crmdesk("search", "--db", str(filled), "company:ромашка", "--json")
    assert out.returncode == 0, out.stderr
    assert [r["name"] for r in json.loads(out.stdout)] == ["Мария Иванова"]
    out = crmdesk("search", "--db", str(filled), "--json", "--", "-has:phone")
    assert sorted(r["name"] for r in json.loads(out.stdout)) == ["Rūta Žalgirytė", "王小明"]
    out = crmdesk("search", "--db", str(filled), "fleet>3")
    assert out.returncode == 1
    assert "Unknown field 'fleet' at position 1" in out.stderr


def test_search_without_matches_says_so(filled):
    out = crmdesk("search", "--db", str(filled), "nobody-here")
    assert out.returncode == 0 and out.stdout == ""
    assert "No contact matches" in out.stderr


def test_search_uses_default_database_from_environment(filled):
    out = crmdesk("search", "小明", env={"CRMDESK_DB": str(filled)})
    assert "王小明" in out.stdout


def test_bad_files_exit_1_with_a_message(tmp_path):
    text_file = tmp_path / "letter.txt"
    text_file.write_text("hello", encoding="utf-8")
    cases = {
        str(tmp_path / "missing" / "x.crmdesk"): "does not exist",
        str(text_file): "not a crmdesk database",
        str(tmp_path / "nothing.crmdesk"): "There is no database",
    }
    for path, message in cases.items():
        for cmd in ("search", "check"):
            args = [cmd, "--db", path] + (["x"] if cmd == "search" else [])
            out = crmdesk(*args)
            assert out.returncode == 1, (cmd, path, out.stderr)
            assert message in out.stderr
            assert "Traceback" not in out.stderr
    assert text_file.read_text(encoding="utf-8") == "hello"


def test_check_ok_and_damaged(filled, tmp_path):
    out = crmdesk("check", "--db", str(filled), "--deep")
    assert out.returncode == 0, out.stderr
    assert "OK (3 contacts" in out.stdout
    import sqlite3

    conn = sqlite3.connect(filled)
    conn.execute("DELETE FROM search_row WHERE contact_id = 1")  # the index loses a row
    conn.commit()
    conn.close()
    out = crmdesk("check", "--db", str(filled))
    assert out.returncode == 1
    assert "search index" in out.stderr


def test_demo_creates_a_searchable_database(tmp_path):
    path = tmp_path / "demo.crmdesk"
    out = crmdesk("demo", str(path), "--contacts", "200", "--seed", "7")
    assert out.returncode == 0, out.stderr
    assert "200 contacts" in out.stdout
    assert crmdesk("check", "--db", str(path), "--deep").returncode == 0
    again = crmdesk("demo", str(path))
    assert again.returncode == 1 and "already exists" in again.stderr


def test_gui_without_a_display_says_so(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    out = subprocess.run([sys.executable, "-m", "crmdesk", "--db", str(tmp_path / "x.crmdesk")],
                         capture_output=True, text=True, env=env, timeout=60)
    if sys.platform.startswith("linux"):
        assert out.returncode == 1
        assert "needs a screen" in out.stderr


WRITER = """
import sys
from crmdesk.core.storage.database import Database
from crmdesk.core.contacts.records import ContactData, PhoneData, create_contact
db = Database.open(sys.argv[1])
i = 0
while True:
    i += 1
    create_contact(db, ContactData(given_name=f"Person {i}", notes="x" * 5000,
                                   phones=[PhoneData(f"+1 212 555 {i % 10000:04d}")]))
    print(i, flush=True)
"""


def test_killed_writer_leaves_last_committed_state(db_path):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path)],
                            stdout=subprocess.PIPE, text=True)
    committed = 0
    deadline = time.monotonic() + 60
    while committed < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert committed >= 40
    out = crmdesk("check", "--db", str(db_path), "--deep")
    assert out.returncode == 0, out.stderr
    with Database.open(db_path) as db:  # the lock died with the process
        count = db.execute_scalar("SELECT count(*) FROM contact")
        indexed = db.execute_scalar("SELECT count(*) FROM search_row")
    # Every reported commit is there; at most the one in flight may have landed too.
    assert committed <= count <= committed + 1
    assert indexed == count
