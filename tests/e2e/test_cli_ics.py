"""`crmdesk export --format ics` and `crmdesk import FILE.ics`: the calendar through the
main export and import commands, as a user runs them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from cli_process import crmdesk

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.storage.database import Database

TZ = {"TZ": "Europe/Vilnius"}
VILNIUS = ZoneInfo("Europe/Vilnius")
ICS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ics"


@pytest.fixture
def planned(db_path):
    """Ona (Kaunas) with a weekly review and a call; Jonas (Vilnius) with a to-do."""
    with Database.open(db_path) as db:
        from crmdesk.core.contacts.records import AddressData

        ona = create_contact(db, ContactData(given_name="Ona", family_name="Žalgirytė",
                                             addresses=[AddressData(city="Kaunas")]))
        jonas = create_contact(db, ContactData(given_name="Jonas", family_name="Petraitis",
                                               addresses=[AddressData(city="Vilnius")]))
    db = ("--db", str(db_path))
    for args in (("--contact", str(ona), "--kind", "meeting", "--at", "2026-12-07 09:00",
                  "--minutes", "30", "--rrule", "FREQ=WEEKLY;COUNT=4", "--remind", "15m",
                  "--title", "Weekly review"),
                 ("--contact", str(ona), "--kind", "call", "--at", "2027-02-01 10:00",
                  "--title", "Price list"),
                 ("--contact", str(jonas), "--kind", "to-do", "--at", "2026-12-20",
                  "--title", "Send the contract")):
        out = crmdesk("schedule", *db, *args, env=TZ)
        assert out.returncode == 0, out.stderr
    return db, ona, jonas


def _calendar(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def _summaries(cal: icalendar.Calendar) -> list[str]:
    return sorted(str(c["summary"]) for c in cal.walk() if c.name in ("VEVENT", "VTODO"))


def test_export_format_ics_writes_what_other_calendars_read(planned, tmp_path):
    db, _ona, _jonas = planned
    target = tmp_path / "all.ics"
    out = crmdesk("export", *db, "--format", "ics", "-o", str(target), env=TZ)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"Wrote 3 activities to {target}."
    cal = _calendar(target)
    assert _summaries(cal) == ["Price list", "Send the contract", "Weekly review"]
    review = next(e for e in cal.walk("VEVENT") if str(e["summary"]) == "Weekly review")
    assert review["dtstart"].dt == datetime(2026, 12, 7, 9, tzinfo=VILNIUS)
    assert review["rrule"]["COUNT"] == [4]
    [todo] = cal.walk("VTODO")
    assert str(todo["summary"]) == "Send the contract"
    # The name alone says .ics; -o alone is enough.
    named = tmp_path / "by-name.ics"
    out = crmdesk("export", *db, "-o", str(named), "--json", env=TZ)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"file": str(named), "format": "ics", "activities": 3,
                                      "contacts": None}


def test_export_ics_of_a_range_and_of_some_contacts(planned, tmp_path):
    db, _ona, _jonas = planned
    target = tmp_path / "december.ics"
    out = crmdesk("export", *db, "--format", "ics", "-o", str(target), "--from", "2026-12-15",
                  "--to", "2026-12-31", env=TZ)
    assert out.returncode == 0, out.stderr
    # The series meets the range (its 21st and 28th), the call in February does not.
    assert _summaries(_calendar(target)) == ["Send the contract", "Weekly review"]
    out = crmdesk("export", *db, "--format", "ics", "-o", str(target),
                  "--lookup", "city:Kaunas", env=TZ)
    assert out.returncode == 0, out.stderr
    assert _summaries(_calendar(target)) == ["Price list", "Weekly review"]
    out = crmdesk("groups", "save", *db, "Vilnius people", "--lookup", "city:Vilnius", env=TZ)
    assert out.returncode == 0, out.stderr
    out = crmdesk("export", *db, "--format", "ics", "-o", str(target),
                  "--group", "Vilnius people", env=TZ)
    assert out.returncode == 0, out.stderr
    assert _summaries(_calendar(target)) == ["Send the contract"]
    out = crmdesk("export", *db, "--format", "ics", "-o", str(target),
                  "--lookup", "city:Paris", env=TZ)
    assert out.stdout.strip() == f"Wrote 0 activities to {target}."
    assert _summaries(_calendar(target)) == []


def test_export_ics_refuses_what_only_a_call_list_has(planned, tmp_path):
    db, _ona, _jonas = planned
    target = tmp_path / "x.ics"
    out = crmdesk("export", *db, "--format", "ics", "-o", str(target), "--columns",
                  "name,phones", env=TZ)
    assert out.returncode == 1
    assert "--columns is for lists of contacts; a calendar file (--format ics) holds " \
        "activities" in out.stderr
    assert not target.exists()
    out = crmdesk("export", *db, "-o", str(tmp_path / "x.csv"), "--from", "2026-12-01",
                  env=TZ)
    assert out.returncode == 1 and "--from and --to choose activities" in out.stderr
    out = crmdesk("export", *db, "-o", str(target), "--from", "2027-01-01", "--to",
                  "2026-01-01", env=TZ)
    assert out.returncode == 1 and "--to is before --from" in out.stderr
    assert "Traceback" not in out.stderr


def test_calendar_export_still_works_as_before(planned, tmp_path):
    db, _ona, _jonas = planned
    target = tmp_path / "old.ics"
    out = crmdesk("calendar-export", *db, str(target), "--from", "2027-01-01", env=TZ)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"Wrote 1 activity to {target}."
    assert _summaries(_calendar(target)) == ["Price list"]


def test_round_trip_through_export_and_import(planned, tmp_path):
    db, _ona, _jonas = planned
    target = tmp_path / "all.ics"
    assert crmdesk("export", *db, "-o", str(target), env=TZ).returncode == 0
    other = tmp_path / "other.crmdesk"
    out = crmdesk("import", "--db", str(other), str(target), env=TZ)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "2 events and 1 to-do added to the calendar."
    out = crmdesk("agenda", "--db", str(other), "--from", "2026-12-01", "--to", "2027-02-28",
                  "--json", env=TZ)
    acts = [(a["start"][:16], a["kind"], a["title"]) for a in json.loads(out.stdout)["activities"]]
    assert acts == [("2026-12-07T09:00", "Meeting", "Weekly review"),
                    ("2026-12-14T09:00", "Meeting", "Weekly review"),
                    ("2026-12-20T00:00", "To-do", "Send the contract"),
                    ("2026-12-21T09:00", "Meeting", "Weekly review"),
                    ("2026-12-28T09:00", "Meeting", "Weekly review"),
                    ("2027-02-01T10:00", "Call", "Price list")]


def test_import_dry_run_says_how_many_and_writes_nothing(db_path, tmp_path):
    Database.open(db_path).close()
    db = ("--db", str(db_path))
    path = ICS / "syncevolution" / "google_event.ics"
    out = crmdesk("import", *db, "--dry-run", str(path), env=TZ)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ("Dry run: 10 events and 0 to-dos would be added to the "
                                  "calendar. 1 occurrence of a series moved, edited or "
                                  "cancelled. Nothing was written.")
    out = crmdesk("import", *db, "--dry-run", "--json", str(path), env=TZ)
    report = json.loads(out.stdout)
    assert (report["dry_run"], report["added"], report["events"], report["todos"]) == (
        True, 10, 10, 0)
    out = crmdesk("calendar-export", *db, str(tmp_path / "none.ics"), env=TZ)
    assert out.stdout.strip().startswith("Wrote 0 activities")
    # A dry run on a file that is not there yet leaves none behind.
    missing = tmp_path / "new.crmdesk"
    out = crmdesk("import", "--db", str(missing), "--dry-run", str(path), env=TZ)
    assert out.returncode == 0, out.stderr
    assert not missing.exists()


@pytest.mark.parametrize(("name", "events", "todos", "changed"), [
    ("biweekly/io/text/outlook-2010.ics", 1, 0, 0),      # Outlook
    ("syncevolution/google_event.ics", 10, 0, 1),       # Google (one moved occurrence)
    ("syncevolution/eds_event.ics", 16, 0, 3),          # Evolution
    ("syncevolution/eds_task.ics", 0, 1, 0),            # Evolution's tasks
    ("kdepim-addons/allday-recurring-multiday-event.ics", 1, 0, 0),  # KOrganizer
    ("vobject/vtodo.ics", 0, 1, 0),
])
def test_import_the_files_other_calendars_write(db_path, name, events, todos, changed):
    out = crmdesk("import", "--db", str(db_path), "--json", str(ICS / name), env=TZ)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (report["events"], report["todos"], report["changed"], report["problems"]) == (
        events, todos, changed, [])


def test_problems_are_named_and_the_rest_comes_in(db_path):
    out = crmdesk("import", "--db", str(db_path), str(ICS / "libical" / "2446.ics"), env=TZ)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "25 events and 4 to-dos added to the calendar."
    assert lines[1] == "21 could not be imported:"
    assert lines[2] == "  an event: it has no date"
    assert len(lines) == 2 + 21


def test_a_calendar_by_its_first_line_or_by_format(db_path, tmp_path):
    text = (ICS / "vobject" / "vtodo.ics").read_bytes()
    odd = tmp_path / "tasks.txt"
    odd.write_bytes(text)
    out = crmdesk("import", "--db", str(db_path), str(odd), env=TZ)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0 events and 1 to-do added to the calendar."
    other = tmp_path / "export.dat"
    other.write_bytes(b"\r\n" + text)
    out = crmdesk("import", "--db", str(db_path), "--format", "ics", str(other), env=TZ)
    assert out.returncode == 0, out.stderr


def test_a_bad_calendar_file_is_a_message_and_adds_nothing(db_path, tmp_path):
    db = ("--db", str(db_path))
    crmdesk("import", *db, str(ICS / "vobject" / "vtodo.ics"), env=TZ)
    cases = {
        "garbage.ics": b"this is no calendar\n",
        "card.ics": b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ona\r\nEND:VCARD\r\n",
        "cut.ics": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Half\r\n",
    }
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        out = crmdesk("import", *db, str(path), env=TZ)
        assert out.returncode == 1, (name, out.stdout)
        assert "This is not a calendar file crmdesk can read" in out.stderr, name
        assert "Traceback" not in out.stderr
    out = crmdesk("import", *db, str(tmp_path / "nowhere.ics"), env=TZ)
    assert out.returncode == 1 and "There is no file" in out.stderr
    out = crmdesk("export", *db, "-o", str(tmp_path / "all.ics"), env=TZ)
    assert out.stdout.strip() == f"Wrote 1 activity to {tmp_path / 'all.ics'}."


def test_options_for_contacts_are_refused_for_a_calendar(db_path):
    path = str(ICS / "vobject" / "vtodo.ics")
    out = crmdesk("import", "--db", str(db_path), "--on-duplicate", "skip", path, env=TZ)
    assert out.returncode == 1
    assert ("--on-duplicate is for contacts; vtodo.ics is a calendar file, whose events "
            "and to-dos go to the calendar as they are. Leave it out.") in out.stderr
    out = crmdesk("import", "--db", str(db_path), "--mapping", "Outlook", "--map",
                  "A=city", path, env=TZ)
    assert out.returncode == 1
    assert "--mapping, --map are for contacts" in out.stderr
    assert "Traceback" not in out.stderr
