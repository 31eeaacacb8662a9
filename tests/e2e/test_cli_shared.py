"""What every `crmdesk` command shares, as a user meets it: `--db` before or after
the command, tables that line up in any script, and a bug that ends in one line on
stderr (the traceback in the log file), never a traceback dump."""

from __future__ import annotations

import json
import stat
import sys

import pytest
from cli_process import crmdesk, python

from crmdesk.core.contacts.records import ContactData, EmailData, PhoneData, create_contact
from crmdesk.core.storage.database import Database
from crmdesk.core.text.folding import display_width

PEOPLE = [
    ("小明", "王", "family_first", "北京长城贸易有限公司", "+86 10 6552 9988", "wang@example.cn"),
    ("Мария", "Иванова", "given_first", "ООО Ромашка", "+7 (495) 123-45-67",
     "maria@example.ru"),
    ("Rūta", "Žalgirytė", "given_first", "UAB Žalgiris", "+370 5 212 3456", "ruta@example.lt"),
    ("欧阳", "司马", "family_first", "", "+86 21 6321 0000", "ouyang@example.cn"),
]


@pytest.fixture
def filled(db_path):
    with Database.open(db_path) as db:
        for given, family, order, company, phone, email in PEOPLE:
            create_contact(db, ContactData(given_name=given, family_name=family,
                                           name_order=order, company=company,
                                           phones=[PhoneData(phone)],
                                           emails=[EmailData(email)], notes="vip"))
    return db_path


# Each command with --db given in three places; the user's own database (CRMDESK_DB)
# points at nothing, so a command that ignored --db would fail.
COMMANDS = {
    "search": (["search"], ["小明", "--json"]),
    "check": (["check"], []),
    "fields": (["fields", "list"], ["--json"]),
    "history": (["history"], ["--json"]),
    "log": (["log"], ["--contact", "1", "--kind", "call", "--subject", "Prices"]),
}


@pytest.mark.parametrize("place", ["before", "after the command", "at the end"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_db_before_and_after_the_command(filled, tmp_path, name, place):
    command, rest = COMMANDS[name]
    db = ["--db", str(filled)]
    args = {"before": [*db, *command, *rest],
            "after the command": [*command, *db, *rest],
            "at the end": [*command, *rest, *db]}[place]
    out = crmdesk(*args, env={"CRMDESK_DB": str(tmp_path / "nothing" / "x.crmdesk")})
    assert out.returncode == 0, out.stderr
    if name == "search":
        assert [r["name"] for r in json.loads(out.stdout)] == ["王小明"]
    elif name == "check":
        assert "OK (4 contacts" in out.stdout
    elif name in ("fields", "history"):
        assert json.loads(out.stdout) == []
    else:
        assert out.stdout.startswith("Logged entry 1 (Call).")


def test_fields_takes_db_between_its_command_and_action(filled, tmp_path):
    out = crmdesk("fields", "--db", str(filled), "add", "Fleet", "--type", "number",
                  env={"CRMDESK_DB": str(tmp_path / "nothing" / "x.crmdesk")})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Added 'Fleet' (key fleet, Number)."


@pytest.mark.parametrize("args", [["--db", "x.crmdesk", "gui"], ["gui", "--db", "x.crmdesk"],
                                  ["--db", "x.crmdesk"]])
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a screen is taken for granted")
def test_gui_takes_db_before_and_after(tmp_path, args):
    out = crmdesk(*args, env={"QT_QPA_PLATFORM": ""})
    assert out.returncode == 1 and "needs a screen" in out.stderr  # parsed, not a usage error


def _starts(line: str, text: str) -> int:
    """The terminal column where ``text`` starts in ``line``."""
    return display_width(line[:line.index(text)])


def test_search_table_lines_up_with_chinese_names(filled):
    out = crmdesk("search", "--db", str(filled), "vip")
    assert out.returncode == 0, out.stderr
    head, *lines = out.stdout.splitlines()
    assert len(lines) == 4
    by_name = {name: line for line in lines
               for name in ("王小明", "Мария Иванова", "Rūta Žalgirytė", "司马欧阳") if name in line}
    assert len(by_name) == 4
    for column, values in (("company", ["北京长城贸易有限公司", "ООО Ромашка", "UAB Žalgiris"]),
                           ("phone", [p[4] for p in PEOPLE]),
                           ("e-mail", [p[5] for p in PEOPLE])):
        starts = {_starts(head, column)}
        for line in lines:
            starts |= {_starts(line, v) for v in values if v in line}
        assert len(starts) == 1, (column, out.stdout)
    # No line is padded past its last cell.
    assert all(line == line.rstrip() for line in out.stdout.splitlines())


BOOM = """
import sys
import crmdesk.core.maintenance.check as check

def check_database(*args, **kwargs):
    raise RuntimeError("disk gremlins\\nsecond line of the message")

check.check_database = check_database
from crmdesk.cli.main import main
raise SystemExit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the log folder is XDG's")
def test_an_unexpected_error_is_one_line_and_the_traceback_goes_to_the_log(filled, tmp_path):
    state = tmp_path / "state"
    out = python(BOOM, "check", "--db", str(filled), env={"XDG_STATE_HOME": str(state)})
    assert out.returncode == 1
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert lines[0].startswith("crmdesk: something went wrong that crmdesk did not expect: "
                               "disk gremlins second line of the message")
    log = state / "crmdesk" / "log" / "crmdesk.log"
    assert str(log) in lines[0]
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: disk gremlins" in text and "check_database" in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600  # files the user owns are owner-only


def test_a_known_problem_is_one_line_without_the_log(tmp_path):
    state = tmp_path / "state"
    out = crmdesk("check", "--db", str(tmp_path / "missing.crmdesk"),
                  env={"XDG_STATE_HOME": str(state)})
    assert out.returncode == 1
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith("crmdesk: ")
    assert not state.exists()


def test_usage_errors_exit_2_for_every_command():
    for args in (["search"], ["check", "--deep=yes"], ["demo"], ["fields"],
                 ["fields", "frobnicate"], ["history", "--limit", "many"], ["log"],
                 ["gui", "extra"], ["--db"]):
        out = crmdesk(*args)
        assert out.returncode == 2, (args, out.stderr)
        assert "usage: crmdesk" in out.stderr
