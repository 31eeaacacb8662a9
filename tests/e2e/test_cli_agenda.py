"""`crmdesk schedule`, `crmdesk agenda` and `crmdesk done` as a user runs them."""

from __future__ import annotations

import json

import pytest
from cli_process import crmdesk

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.storage.database import Database

TZ = {"TZ": "Europe/Vilnius"}


@pytest.fixture
def filled(db_path):
    with Database.open(db_path) as db:
        ona = create_contact(db, ContactData(given_name="Ona", family_name="Žalgirytė",
                                             birthday_year=1980, birthday_month=12,
                                             birthday_day=9))
    return ("--db", str(db_path)), ona


def test_schedule_agenda_done_round_trip(filled):
    db, ona = filled
    out = crmdesk("schedule", *db, "--contact", str(ona), "--kind", "call",
                  "--at", "2026-12-07 10:00", "--remind", "15m", "--title", "Quote", env=TZ)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Scheduled activity 1 (Call, 2026-12-07 10:00)."
    out = crmdesk("schedule", *db, "--contact", str(ona), "--kind", "MEETING",
                  "--at", "2026-10-19 09:00", "--minutes", "30",
                  "--rrule", "FREQ=WEEKLY;BYDAY=MO", "--json", env=TZ)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"id": 2}
    out = crmdesk("agenda", *db, "--from", "2026-12-07", "--to", "2026-12-13", env=TZ)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["ID", "When", "Kind", "What", "With"]
    assert "2026-12-07 09:00  Meeting  Meeting Ona Žalgirytė" in lines[1]
    assert "2026-12-07 10:00  Call     Quote" in lines[2]
    assert "Ona Žalgirytė turns 46" in lines[3]
    out = crmdesk("agenda", *db, "--from", "2026-10-19", "--to", "2026-11-02", "--json",
                  env=TZ)
    data = json.loads(out.stdout)
    # Nine o'clock on both sides of the change from summer time (25 October).
    assert [a["start"] for a in data["activities"]] == [
        "2026-10-19T09:00:00+03:00", "2026-10-26T09:00:00+02:00",
        "2026-11-02T09:00:00+02:00"]
    out = crmdesk("done", *db, "1", "--outcome", "reached", "--notes", "Sends the order",
                  env=TZ)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Cleared activity 1; logged history entry 1."
    assert "crmdesk schedule --kind 'Call' --at '2026-" in out.stderr
    out = crmdesk("history", *db, "--json", env=TZ)
    [entry] = json.loads(out.stdout)
    assert (entry["kind"], entry["subject"], entry["outcome"], entry["details"]) == (
        "Call", "Quote", "Reached", "Sends the order")
    out = crmdesk("agenda", *db, "--from", "2026-12-07", "--to", "2026-12-07", "--json",
                  env=TZ)
    states = {a["id"]: a["state"] for a in json.loads(out.stdout)["activities"]}
    assert states[1] == "done"


def test_mistakes_are_messages_and_nothing_is_written(filled):
    db, ona = filled
    cases = [
        (("--kind", "cal", "--at", "2026-12-07 10:00"), "--kind: there is no 'cal'"),
        (("--kind", "call", "--at", "someday"), "is not"),
        (("--kind", "call", "--at", "2026-12-07 10:00", "--remind", "soon"),
         "--remind: 'soon' is not a reminder"),
        (("--kind", "call", "--at", "2026-12-07 10:00", "--rrule", "FREQ=OFTEN"),
         "repeat rule"),
        (("--kind", "call", "--at", "2026-12-07 10:00", "--contact", "99"), "no contact 99"),
    ]
    for args, message in cases:
        out = crmdesk("schedule", *db, *args, env=TZ)
        assert out.returncode == 1, (args, out.stdout, out.stderr)
        assert message in out.stderr, (args, out.stderr)
        assert "Traceback" not in out.stderr
    out = crmdesk("done", *db, "42", env=TZ)
    assert out.returncode == 1 and "There is no activity 42" in out.stderr
    out = crmdesk("agenda", *db, "--from", "2026-12-07", "--to", "2026-12-01", env=TZ)
    assert out.returncode == 1 and "--to is before --from" in out.stderr
    out = crmdesk("agenda", *db, "--from", "2026-01-01", "--to", "2026-01-02", env=TZ)
    assert out.returncode == 0 and "Nothing planned" in out.stderr


def test_a_date_alone_is_all_day_and_a_series_clears_one_occurrence(filled):
    db, ona = filled
    out = crmdesk("schedule", *db, "--kind", "to-do", "--at", "2026-12-08",
                  "--title", "Renew the domain", env=TZ)
    assert out.returncode == 0 and "(To-do, 2026-12-08)" in out.stdout
    crmdesk("schedule", *db, "--contact", str(ona), "--kind", "call", "--at",
            "2026-12-07 09:00", "--rrule", "FREQ=DAILY;COUNT=3", env=TZ)
    out = crmdesk("done", *db, "2", "--occurrence", "2026-12-08 09:00", "--json", env=TZ)
    assert out.returncode == 0, out.stderr
    cleared = json.loads(out.stdout)["id"]
    out = crmdesk("agenda", *db, "--from", "2026-12-07", "--to", "2026-12-09", "--json",
                  env=TZ)
    acts = json.loads(out.stdout)["activities"]
    assert [(a["start"][:16], a["state"], a["all_day"]) for a in acts] == [
        ("2026-12-07T09:00", "open", False), ("2026-12-08T00:00", "open", True),
        ("2026-12-08T09:00", "done", False), ("2026-12-09T09:00", "open", False)]
    assert acts[2]["id"] == cleared


def test_calendar_export_and_import_as_ics(filled, tmp_path):
    db, ona = filled
    crmdesk("schedule", *db, "--contact", str(ona), "--kind", "meeting", "--at",
            "2026-12-07 09:00", "--minutes", "30", "--rrule", "FREQ=WEEKLY;COUNT=4",
            "--remind", "15m", "--title", "Weekly review", env=TZ)
    target = tmp_path / "out.ics"
    out = crmdesk("calendar-export", *db, str(target), env=TZ)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"Wrote 1 activity to {target}."
    text = target.read_text(encoding="utf-8")
    assert "RRULE:FREQ=WEEKLY;COUNT=4" in text and "BEGIN:VALARM" in text
    other = tmp_path / "other.crmdesk"
    out = crmdesk("calendar-import", "--db", str(other), str(target), "--json", env=TZ)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"file": str(target), "format": "ics", "dry_run": False,
                                      "added": 1, "events": 1, "todos": 0, "changed": 0,
                                      "problems": []}
    out = crmdesk("agenda", "--db", str(other), "--from", "2026-12-01", "--to",
                  "2026-12-31", "--json", env=TZ)
    acts = json.loads(out.stdout)["activities"]
    assert [a["start"][:16] for a in acts] == [
        "2026-12-07T09:00", "2026-12-14T09:00", "2026-12-21T09:00", "2026-12-28T09:00"]
    bad = tmp_path / "bad.ics"
    bad.write_text("this is no calendar", encoding="utf-8")
    out = crmdesk("calendar-import", "--db", str(other), str(bad), env=TZ)
    assert out.returncode == 1 and "not a calendar file" in out.stderr
    out = crmdesk("calendar-import", "--db", str(other), str(tmp_path / "none.ics"), env=TZ)
    assert out.returncode == 1 and "There is no file" in out.stderr
