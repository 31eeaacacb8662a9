"""Calendar files: what crmdesk writes parses with icalendar and keeps series,
exceptions and reminders; what Outlook, Google, Evolution, KOrganizer and
others write imports, and what cannot be read is named."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from crmdesk.core.activities.listing import occurrences_between
from crmdesk.core.activities.records import (
    THIS,
    ActivityData,
    create_activity,
    created_id,
    delete_activity,
    move_activity,
    stored_activities,
)
from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.io.ics import import_ics, write_ics

ICS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ics"
VILNIUS = ZoneInfo("Europe/Vilnius")


@pytest.fixture(autouse=True)
def vilnius(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Vilnius")


def add(db, **kw):
    kw.setdefault("kind", "Call")
    with db.session() as s:
        return created_id(create_activity(s, ActivityData(**kw)))


def test_export_parses_and_keeps_rules_exceptions_and_alarms(db, tmp_path):
    ona = create_contact(db, ContactData(given_name="Ona", family_name="Žalgirytė"))
    sid = add(db, kind="Meeting", title="Stand-up", start=datetime(2026, 10, 19, 9),
              end=datetime(2026, 10, 19, 9, 15),
              rrule="FREQ=WEEKLY;BYDAY=MO;UNTIL=20261130T235959", reminder_min=10,
              contact_ids=[ona])
    add(db, kind="To-do", title="Renew the domain", start=datetime(2026, 12, 1), all_day=True)
    with db.session() as s:
        move_activity(s, sid, datetime(2026, 10, 27, 10), scope=THIS,
                      occurrence_at=datetime(2026, 10, 26, 9))
        delete_activity(s, sid, scope=THIS, occurrence_at=datetime(2026, 11, 2, 9))
    with db.reading() as s:
        raw = write_ics(stored_activities(s))
    cal = icalendar.Calendar.from_ical(raw)
    events = [c for c in cal.walk("VEVENT")]
    master = next(e for e in events if e.get("recurrence-id") is None)
    moved = next(e for e in events if e.get("recurrence-id") is not None)
    assert str(master["summary"]) == "Stand-up"
    assert master["dtstart"].dt == datetime(2026, 10, 19, 9, tzinfo=VILNIUS)
    rule = master["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO"]
    assert rule["UNTIL"][0].utcoffset() == timedelta(0)  # UTC, as RFC 5545 wants
    assert [d.dt for d in master["exdate"].dts] == [datetime(2026, 11, 2, 9, tzinfo=VILNIUS)]
    assert moved["uid"] == master["uid"]
    assert moved["recurrence-id"].dt == datetime(2026, 10, 26, 9, tzinfo=VILNIUS)
    assert moved["dtstart"].dt == datetime(2026, 10, 27, 10, tzinfo=VILNIUS)
    assert master.walk("VALARM")[0]["trigger"].dt == timedelta(minutes=-10)
    assert "Ona Žalgirytė" in str(master["description"])
    [todo] = cal.walk("VTODO")
    assert str(todo["summary"]) == "Renew the domain" and str(todo["status"]) == "NEEDS-ACTION"
    assert [t["tzid"] for t in cal.walk("VTIMEZONE")] == ["Europe/Vilnius"]

    # Read back into another file: the same calendar.
    before = [(o.start, o.title, o.all_day) for o in _all(db)]
    return_path = tmp_path / "again.crmdesk"
    from crmdesk.core.storage.database import Database

    other = Database.open(return_path)
    try:
        with other.session() as s:
            result = import_ics(s, raw)
        assert result.problems == [] and (result.added, result.changed) == (2, 1)
        assert [(o.start, o.title, o.all_day) for o in _all(other)] == before
    finally:
        other.close()


def _all(db):
    with db.reading() as s:
        return occurrences_between(s, datetime(2026, 1, 1), datetime(2028, 1, 1))


FILES = sorted(p for p in ICS.rglob("*.ics")) if ICS.exists() else []


@pytest.mark.skipif(not FILES, reason="no shared .ics files here")
def test_every_shared_calendar_file_imports_or_says_why(db):
    total = 0
    for path in FILES:
        with db.session() as s:
            try:
                result = import_ics(s, path.read_bytes())
            except Exception as exc:  # a known error is a message; anything else fails
                from crmdesk.core.errors import CrmdeskError

                assert isinstance(exc, CrmdeskError), (path, exc)
                continue
        total += result.added
        for problem in result.problems:
            assert problem.strip() and "Traceback" not in problem, (path, problem)
    assert total > 40


@pytest.mark.skipif(not FILES, reason="no shared .ics files here")
def test_outlook_google_evolution_and_korganizer_read_as_meant(db):
    def one(name):
        with db.session() as s:
            result = import_ics(s, (ICS / name).read_bytes())
        return result

    assert one("kdepim-addons/allday-recurring-multiday-event.ics").added == 1
    occs = [o for o in _range(db, datetime(2016, 4, 1), datetime(2016, 4, 30))
            if o.title == "All day multi-day recurring event"]
    assert [o.start.day for o in occs][:3] == [8, 15, 22]
    assert all(o.all_day and o.end - o.start == timedelta(days=3) for o in occs)
    google = one("syncevolution/google_event.ics")
    assert google.added >= 1
    outlook = one("biweekly/io/text/outlook-2010.ics")
    assert outlook.added >= 1
    evolution = one("syncevolution/eds_task.ics")
    assert evolution.added >= 1


def _range(db, a, b):
    with db.reading() as s:
        return occurrences_between(s, a, b)
