"""The contact list's Next activity column: the date and time of a contact's next open
activity (a single one from now on, or a series' next occurrence), shown and sorted
by, the soonest first and those with nothing planned last."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crmdesk.core.activities.records import (
    THIS,
    ActivityData,
    clear_activity,
    create_activity,
    created_id,
    delete_activity,
)
from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.lookup import listing
from crmdesk.core.lookup.query import CONTACT, find_ids


@pytest.fixture(autouse=True)
def vilnius(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Vilnius")


def plan(db, when, *people, rrule="", kind="Call"):
    with db.session() as s:
        return created_id(create_activity(s, ActivityData(
            kind=kind, start=when, contact_ids=list(people), rrule=rrule)))


def utc(aware):
    return aware.astimezone(UTC).replace(tzinfo=None)


@pytest.fixture
def people(db):
    return {name: create_contact(db, ContactData(given_name=name, family_name="Test"))
            for name in ("Ann", "Bob", "Cid", "Dan", "Eve")}


def test_the_column_is_one_a_list_can_show():
    column = listing.CONTACT_COLUMNS["next_activity"]
    assert column.title() == "Next activity"
    assert column.kind == listing.DATETIME
    assert not column.descending_first  # the soonest first


def test_rows_show_the_next_open_activity(db, people):
    now = datetime.now().astimezone()
    soon = (now + timedelta(days=2)).replace(microsecond=0, second=0)
    later = soon + timedelta(days=5)
    ann, bob, cid, dan, eve = people.values()
    plan(db, later, ann)
    plan(db, soon, ann)
    plan(db, now - timedelta(days=3), bob)  # overdue: not "next"
    done = plan(db, soon, cid)
    with db.session() as s:
        clear_activity(s, done)  # cleared: not "next" any more
    # A weekly series that started a month ago: its next occurrence is within a week.
    series_start = (now - timedelta(days=30)).replace(hour=9, minute=0, second=0,
                                                     microsecond=0)
    sid = plan(db, series_start, dan, rrule="FREQ=WEEKLY", kind="Meeting")
    with db.reading() as s:
        found = listing.rows(s, list(people.values()), ["name", "next_activity"])
    assert found[ann] == ("Ann Test", utc(soon))
    assert found[bob] == ("Bob Test", None)
    assert found[cid] == ("Cid Test", None)
    assert found[eve] == ("Eve Test", None)
    nxt = found[dan][1]
    assert utc(now) <= nxt < utc(now) + timedelta(days=7)
    assert nxt.replace(tzinfo=UTC).astimezone().strftime("%H:%M") == "09:00"
    # That occurrence deleted: the one a week later is next.
    occurrence = nxt.replace(tzinfo=UTC).astimezone()
    with db.session() as s:
        delete_activity(s, sid, scope=THIS, occurrence_at=occurrence)
    with db.reading() as s:
        assert listing.rows(s, [dan], ["next_activity"])[dan] == (nxt + timedelta(days=7),)


def test_the_list_sorts_by_it_the_soonest_first_and_nothing_planned_last(db, people):
    now = datetime.now().astimezone().replace(microsecond=0)
    ann, bob, cid, dan, eve = people.values()
    plan(db, now + timedelta(days=9), ann)
    plan(db, now + timedelta(days=1), cid)
    plan(db, now + timedelta(days=5), eve)
    # Dan's series comes back every day: his next one is within a day.
    start = (now - timedelta(days=10)).replace(second=0)
    plan(db, start, dan, rrule="FREQ=DAILY", kind="Meeting")
    with db.reading() as s:
        up = listing.contact_ids(s, "", "next_activity")
        down = listing.contact_ids(s, "", "next_activity", descending=True)
        assert find_ids(s, CONTACT, "Test", strict=True, sort="next_activity") == up
    assert up == [dan, cid, eve, ann, bob]
    assert down == [ann, eve, cid, dan, bob]  # Bob has nothing planned: last both ways


def test_lookups_and_the_column_agree(db, people):
    now = datetime.now().astimezone().replace(microsecond=0)
    ann, bob, *_rest = people.values()
    plan(db, now + timedelta(days=3), ann)
    with db.reading() as s:
        has = find_ids(s, CONTACT, "has:next_activity", strict=True, sort="next_activity")
        shown = listing.rows(s, list(people.values()), ["next_activity"])
    assert has == [ann]
    assert [cid for cid, (at,) in shown.items() if at is not None] == [ann]
