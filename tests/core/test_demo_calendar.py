"""The demo's calendar: past activities cleared as their history entries say, and
calls, meetings and to-dos planned over the next weeks, read through the calendar's
own services as the Calendar view and the task list read them."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest

from crmdesk.core.activities import recurrence
from crmdesk.core.activities.listing import is_overdue, occurrences_between, open_tasks
from crmdesk.core.activities.records import stored_activities
from crmdesk.core.activities.reminders import due_reminders
from crmdesk.core.demo import generate
from crmdesk.core.history.listing import history_rows
from crmdesk.core.history.records import interactions_of
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.core.maintenance.check import check_database
from crmdesk.core.storage.database import Database

N = 2000
TODAY = date.today()


@pytest.fixture(autouse=True, scope="module")
def vilnius():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "Europe/Vilnius")
        yield


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, migrated_template, vilnius):
    path = tmp_path_factory.mktemp("demo_calendar") / "demo.crmdesk"
    shutil.copy(migrated_template, path)
    db = Database.open(path)
    generate(db, N, seed=4, today=TODAY)
    yield db
    db.close()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=recurrence.local_zone())


def test_about_one_activity_per_ten_contacts(demo_db):
    with demo_db.reading() as s:
        items = stored_activities(s)
    assert N // 20 < len(items) < N // 5
    states = Counter(a.state for a in items)
    assert states["done"] > 50 and states["open"] > 50
    assert Counter(a.kind for a in items).keys() >= {"Call", "Meeting", "To-do"}


def test_past_activities_are_cleared_as_their_history_entries_say(demo_db):
    with demo_db.reading() as s:
        past = [o for o in occurrences_between(s, _midnight(TODAY - timedelta(days=95)),
                                               _midnight(TODAY)) if o.state == "done"]
        assert len(past) > 50
        people = sorted({c for o in past for c in o.contact_ids})
        entries = history_rows(s, interactions_of(s, people))
    by_moment = {(e["at"], e["subject"]): e for e in entries.values()}
    for o in past:
        entry = by_moment.get((o.start, o.title))
        assert entry is not None, (o.start, o.title)  # the same moment, the same subject
        assert entry["kind"] == o.kind  # a call is a call, a meeting a meeting
        assert entry["direction"] == "out"  # the owner planned it
        assert entry["outcome"] == o.result
        assert set(o.contact_ids) == set(entry["contact_ids"])
    assert {o.kind for o in past} == {"Call", "Meeting"}
    assert any(o.result == "Reached" for o in past)


def test_upcoming_calls_meetings_and_to_dos_over_the_next_weeks(demo_db):
    with demo_db.reading() as s:
        ahead = occurrences_between(s, _midnight(TODAY), _midnight(TODAY + timedelta(days=43)))
    mine = [o for o in ahead if o.contact_ids and not o.series]
    assert len(mine) > 40
    assert all(o.state == "open" for o in mine)
    kinds = Counter(o.kind for o in mine)
    assert kinds["Call"] > kinds["Meeting"] > 0 and kinds["To-do"] > 0
    assert all(o.all_day for o in mine if o.kind == "To-do")
    assert all(o.start.weekday() < 5 for o in mine)  # on working days
    assert all(9 <= o.start.hour < 17 for o in mine if not o.all_day)
    assert any(o.reminder_min is not None for o in mine)
    assert any(o.priority == 2 for o in mine)
    # Nothing before tomorrow reminds: the demo does not open with a pile of reminders.
    assert all(o.reminder_min is None for o in mine if o.start.date() <= TODAY)
    # Russian, Lithuanian and Chinese contacts' calls are in their own languages.
    assert any(any("а" <= ch <= "я" for ch in o.title) for o in mine)


def test_the_owners_routine_repeats_with_nobody_on_it(demo_db):
    with demo_db.reading() as s:
        weeks = occurrences_between(s, _midnight(TODAY), _midnight(TODAY + timedelta(days=28)))
    team = [o for o in weeks if o.title == "Team meeting"]
    assert len(team) == 4 and all(o.series and not o.contact_ids for o in team)
    assert {(o.start.weekday(), o.start.strftime("%H:%M")) for o in team} == {(0, "09:00")}
    assert any(o.title == "Stock check" for o in weeks)
    monthly = [o for o in weeks if o.series and o.contact_ids]
    assert monthly, "some customers have a monthly call"


def test_some_to_dos_and_calls_are_overdue(demo_db):
    now = datetime.now().astimezone()
    with demo_db.reading() as s:
        tasks = open_tasks(s, until=now + timedelta(days=1))
        overdue = [t for t in tasks if is_overdue(t, now)]
        found = find_ids(s, CONTACT, "overdue:yes", strict=True)
    assert overdue and all(t.start < now for t in overdue)
    assert all(t.start > now - timedelta(days=16) for t in overdue)
    assert set(found) == {c for t in overdue for c in t.contact_ids}


def test_next_activity_lookup_finds_the_planned(demo_db):
    with demo_db.reading() as s:
        planned = find_ids(s, CONTACT, "has:next_activity", strict=True)
        soon = find_ids(s, CONTACT, "next_activity<next-30-days", strict=True)
    assert len(planned) > 40 and set(soon) <= set(planned)


def test_the_demo_opens_without_a_pile_of_reminders(demo_db):
    # At most today's occurrence of a series (the team meeting on a Monday, a
    # monthly call) reminds; no single activity does.
    with demo_db.reading() as s:
        due = due_reminders(s, datetime.now().astimezone())
    assert len(due) < 5 and all(r.occurrence.series for r in due)


def test_the_file_with_its_calendar_passes_a_deep_check(demo_db):
    assert check_database(demo_db, deep=True).ok


def test_same_seed_same_calendar(tmp_path, new_db_file):
    found = []
    for name, seed in (("a", 2), ("b", 2), ("c", 3)):
        with Database.open(new_db_file(tmp_path / f"{name}.crmdesk")) as db:
            generate(db, 400, seed=seed, today=date(2026, 6, 15))
            with db.reading() as s:
                found.append([(a.kind, a.title, a.starts_at, a.rrule, a.state, a.contact_names)
                              for a in stored_activities(s)])
    assert found[0] and found[0] == found[1] and found[0] != found[2]
