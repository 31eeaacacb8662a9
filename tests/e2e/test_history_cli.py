"""`crmdesk log` and `crmdesk history` as a user runs them: a subprocess, its output and
exit code."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta

import pytest
from cli_process import crmdesk

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.storage.database import Database
from crmdesk.core.text.folding import display_width as _width


@pytest.fixture
def filled(db_path):
    with Database.open(db_path) as db:
        ids = [
            create_contact(db, ContactData(given_name="Мария", family_name="Иванова",
                                           company="ООО Ромашка")),
            create_contact(db, ContactData(given_name="小明", family_name="王",
                                           name_order="family_first")),
            create_contact(db, ContactData(given_name="Rūta", family_name="Žalgirytė")),
        ]
    return db_path, ids


def test_help():
    for cmd in ("history", "log"):
        out = crmdesk(cmd, "--help")
        assert out.returncode == 0 and "usage: crmdesk" in out.stdout


def test_log_then_history_json_round_trip(filled):
    path, (maria, wang, _ruta) = filled
    db = ("--db", str(path))
    out = crmdesk("log", *db, "--contact", str(maria), "--contact", str(wang), "--kind", "call",
                  "--subject", "Цены на 2026 / 价格", "--outcome", "reached",
                  "--at", "2026-03-05 14:30", "--details", "Sends the order\nnext week",
                  "--duration", "12", "--direction", "out")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Logged entry 1 (Call)." and out.stderr == ""
    out = crmdesk("history", *db, "--json")
    assert out.returncode == 0, out.stderr
    [entry] = json.loads(out.stdout)
    at = datetime.fromisoformat(entry["at"])
    assert at.tzinfo is not None
    assert at.astimezone().replace(tzinfo=None) == datetime(2026, 3, 5, 14, 30)
    assert entry == {
        "id": 1, "at": entry["at"], "kind": "Call", "direction": "out",
        "subject": "Цены на 2026 / 价格", "outcome": "Reached",
        "details": "Sends the order\nnext week", "duration_min": 12,
        "contacts": [{"id": maria, "name": "Мария Иванова"}, {"id": wang, "name": "王小明"}],
        "company": "ООО Ромашка",
    }
    # The derived last contact works in a lookup at once.
    out = crmdesk("search", *db, "last_contact:2026-03-05", "--json")
    assert sorted(r["id"] for r in json.loads(out.stdout)) == [maria, wang]
    out = crmdesk("search", *db, "missing:last_contact", "--json")
    assert [r["name"] for r in json.loads(out.stdout)] == ["Rūta Žalgirytė"]


def test_a_mailing_with_each_and_the_filters(filled, tmp_path):
    path, ids = filled
    db = ("--db", str(path))
    args = [a for cid in ids for a in ("--contact", str(cid))]
    out = crmdesk("log", *db, *args, "--kind", "Mailing", "--subject", "Spring news",
                  "--each", "--at", "2026-04-01", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"ids": [1, 2, 3], "warnings": []}
    crmdesk("log", *db, "--contact", str(ids[2]), "--kind", "meeting", "--subject",
            "Žalgiris arena", "--at", "2026-05-02 10:00")
    out = crmdesk("history", *db, "--contact", str(ids[2]), "--json")
    assert [e["subject"] for e in json.loads(out.stdout)] == ["Žalgiris arena", "Spring news"]
    out = crmdesk("history", *db, "--kind", "MAILING", "--since", "2026-04", "--until",
                  "2026-04-30", "--json")
    assert len(json.loads(out.stdout)) == 3
    out = crmdesk("history", *db, "--text", "zalgiris", "--json")
    assert [e["subject"] for e in json.loads(out.stdout)] == ["Žalgiris arena"]
    out = crmdesk("history", *db, "--since", "2026-05-01")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert len(lines) == 2 and lines[0].split()[:3] == ["id", "date", "kind"]
    assert "2026-05-02 10:00" in lines[1] and "Rūta Žalgirytė" in lines[1]
    csv_path = tmp_path / "out.csv"
    out = crmdesk("history", *db, "--csv", str(csv_path))
    assert out.returncode == 0, out.stderr
    assert "Wrote 4 entries" in out.stdout
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:3] == ["Date", "Kind", "Direction"] and len(rows) == 5


def test_table_columns_line_up_with_wide_characters(filled):
    path, (maria, wang, _ruta) = filled
    db = ("--db", str(path))
    crmdesk("log", *db, "--contact", str(wang), "--kind", "call", "--subject", "会议" * 40,
            "--at", "2026-01-02 09:00")
    crmdesk("log", *db, "--contact", str(maria), "--kind", "call", "--subject", "short",
            "--at", "2026-01-01 09:00")
    out = crmdesk("history", *db)
    head, first, second = out.stdout.splitlines()
    assert "…" in first and "会议" * 40 not in first  # a long subject is cut
    # The contacts column starts at the same terminal column on every line.
    starts = {_width(head[:head.index("contacts")]), _width(first[:first.index("王小明")]),
              _width(second[:second.index("Мария")])}
    assert len(starts) == 1


def test_a_future_time_warns_but_logs(filled):
    path, (maria, _w, _r) = filled
    soon = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    out = crmdesk("log", "--db", str(path), "--contact", str(maria), "--kind", "Call",
                  "--subject", "Next week", "--at", soon)
    assert out.returncode == 0
    assert out.stderr.startswith("crmdesk: warning: This is in the future")
    assert len(out.stderr.splitlines()) == 1
    out = crmdesk("history", "--db", str(path), "--json")
    assert len(json.loads(out.stdout)) == 1


@pytest.mark.parametrize("args, message", [
    (["log", "--contact", "99", "--kind", "call", "--subject", "x"], "no contact 99"),
    (["log", "--contact", "1", "--kind", "cal", "--subject", "x"],
     "--kind: there is no 'cal' in the list. It has: Call, Meeting"),
    (["log", "--contact", "1", "--kind", "", "--subject", "x"], "--kind needs a value"),
    (["log", "--contact", "1", "--kind", "call", "--subject", "x", "--outcome", "maybe"],
     "--outcome: there is no 'maybe'"),
    (["log", "--contact", "1", "--kind", "call", "--subject", "x", "--at", "31.02.2026"],
     "--at: '31.02.2026' is not a date and time"),
    (["log", "--contact", "1", "--kind", "call", "--subject", "x", "--at", "soon"],
     "--at: 'soon' is not a date"),
    (["log", "--contact", "1", "--kind", "call", "--subject", "x", "--duration", "-5"],
     "The duration cannot be negative"),
    (["log", "--contact", "1", "--kind", "call", "--subject", "x" * 501],
     "The subject is too long"),
    (["history", "--since", "yesterdayish"], "--since: 'yesterdayish' is not a date"),
    (["history", "--until", "2026-13-40"], "--until: '2026-13-40' is not a date"),
    (["history", "--since", "2026-05-02", "--until", "2026-05-01"], "is after --until"),
    (["history", "--contact", "42"], "no contact 42"),
    (["history", "--kind", "Telegram"], "--kind: there is no 'Telegram'"),
])
def test_bad_input_is_one_line_and_exit_1(filled, args, message):
    path, _ids = filled
    out = crmdesk(*args, "--db", str(path))
    assert out.returncode == 1, out.stdout + out.stderr
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert out.stdout == ""
    assert json.loads(crmdesk("history", "--db", str(path), "--json").stdout) == []


def test_hostile_subject_and_usage_errors(filled):
    path, (maria, _w, _r) = filled
    db = ("--db", str(path))
    subject = "'); DROP TABLE interaction;-- 🎉 " + "я" * 400
    out = crmdesk("log", *db, "--contact", str(maria), "--kind", "note", "--subject", subject)
    assert out.returncode == 0, out.stderr
    [entry] = json.loads(crmdesk("history", *db, "--json").stdout)
    assert entry["subject"] == subject.strip()
    # In the lookup language a lone ")" is a syntax error (said, exit 1); quoted, it is text.
    out = crmdesk("history", *db, "--text", "'); DROP", "--json")
    assert out.returncode == 1 and "parenthesis" in out.stderr.lower(), out.stderr
    out = crmdesk("history", *db, "--text", "\"'); DROP\"", "--json")
    assert len(json.loads(out.stdout)) == 1
    assert crmdesk("log", *db, "--kind", "call", "--subject", "x").returncode == 2
    assert crmdesk("log", *db, "--contact", "abc", "--kind", "call",
                   "--subject", "x").returncode == 2
    assert crmdesk("log", *db, "--contact", "1", "--kind", "call", "--subject", "x",
                   "--direction", "sideways").returncode == 2


def test_no_entries_says_so(filled):
    path, _ids = filled
    out = crmdesk("history", "--db", str(path))
    assert out.returncode == 0 and out.stdout == ""
    assert "No history entries match." in out.stderr


def test_text_takes_the_historys_lookups_and_says_what_is_wrong(filled):
    path, (maria, wang, _ruta) = filled
    db = ("--db", str(path))
    for kind, subject in (("call", "Price list"), ("meeting", "Visit")):
        out = crmdesk("log", *db, "--contact", str(maria), "--kind", kind, "--subject", subject)
        assert out.returncode == 0, out.stderr
    out = crmdesk("history", *db, "--text", "kind:meeting", "--json")
    assert out.returncode == 0, out.stderr
    assert [e["subject"] for e in json.loads(out.stdout)] == ["Visit"]
    out = crmdesk("history", *db, "--text", "kund:call")
    assert out.returncode == 1
    assert "Unknown field 'kund'" in out.stderr and "did you mean kind" in out.stderr
    assert out.stderr.count("\n") == 1  # one line, no traceback
