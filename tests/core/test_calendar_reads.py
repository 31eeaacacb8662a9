"""What the calendar's big reads return: a month cell's first yearly dates and their
count (what the month view shows instead of every birthday), the agenda read a
window at a time (every occurrence once, in order, across a DST change), and a
series expanded once and cut by range (the same wall times dateutil gives)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from crmdesk.core.activities import recurrence
from crmdesk.core.activities.listing import occurrences_between
from crmdesk.core.activities.records import ActivityData, create_activity, created_id
from crmdesk.core.activities.yearly import yearly_dates, yearly_days
from crmdesk.core.contacts.records import ContactData, DateData, create_contact, trash_contacts

VILNIUS = ZoneInfo("Europe/Vilnius")


@pytest.fixture(autouse=True)
def vilnius(monkeypatch):
    """The user is in Vilnius: DST ends on 25 October 2026, starts 28 March 2027."""
    monkeypatch.setenv("TZ", "Europe/Vilnius")


def person(db, given: str, family: str, month: int | None = None, day: int | None = None,
           year: int | None = None, dates: list[DateData] | None = None) -> int:
    return create_contact(db, ContactData(given_name=given, family_name=family,
                                          birthday_month=month, birthday_day=day,
                                          birthday_year=year, dates=dates or []))


def make(db, **kw) -> int:
    kw.setdefault("kind", "Call")
    with db.session() as s:
        return created_id(create_activity(s, ActivityData(**kw)))


# -- a month cell's yearly dates ------------------------------------------------------


def test_a_busy_day_gives_its_first_dates_by_name_and_how_many(db):
    for n in range(15):
        person(db, f"Name{n:02d}", "Busy", 12, 10, 1980 + n)
    person(db, "Aaron", "Wed", dates=[DateData(label="Wedding", month=12, day=10, year=2001)])
    person(db, "Zed", "Quiet", 12, 11)
    gone = person(db, "Gone", "Away", 12, 10)
    trash_contacts(db, [gone])
    person(db, "Not", "Born", 12, 10, 2030)  # born after the year shown: not yet
    with db.reading() as s:
        cells = yearly_days(s, date(2026, 11, 30), date(2027, 1, 10), per_day=4)
    assert cells.counts == {date(2026, 12, 10): 16, date(2026, 12, 11): 1}
    assert [d.text() for d in cells.of(date(2026, 12, 10))] == [
        "Wedding: Aaron Wed (25)", "Name00 Busy turns 46", "Name01 Busy turns 45",
        "Name02 Busy turns 44"]
    assert [d.text() for d in cells.of(date(2026, 12, 11))] == ["Birthday: Zed Quiet"]


def test_first_dates_and_counts_agree_with_the_whole_list(db):
    """Over a year's end and a common year's 28 February (where 29 February falls), a
    cell's first dates and count are those of the day's whole list."""
    rnd = random.Random(5)
    for n in range(120):
        month = rnd.choice((1, 2, 12))
        day = 29 if n % 10 == 0 and month == 2 else rnd.randint(1, 28)
        dates = ([DateData(label=rnd.choice(("", "Name day")), month=month,
                           day=rnd.randint(1, 28))] if n % 3 == 0 else [])
        person(db, rnd.choice(("Ona", "Jonas", "Анна", "Émile")), f"P{n:03d}", month, day,
               rnd.choice((None, 1970, 2000, 2027)), dates)
    first, last = date(2026, 12, 14), date(2027, 3, 1)
    with db.reading() as s:
        cells = yearly_days(s, first, last, per_day=3)
        whole = yearly_dates(s, first, last)
    by_day: dict[date, list] = {}
    for d in whole:
        by_day.setdefault(d.day, []).append(d)
    assert cells.counts == {day: len(found) for day, found in by_day.items()}
    assert cells.dates == [d for found in by_day.values() for d in found[:3]]
    assert cells.counts[date(2027, 2, 28)] >= 2  # the 28th and the 29th's people


def test_a_year_or_more_is_not_a_month_cell(db):
    with db.reading() as s, pytest.raises(ValueError):
        yearly_days(s, date(2026, 1, 1), date(2027, 1, 1), per_day=4)


# -- the agenda, a window at a time ---------------------------------------------------


def test_the_agenda_read_window_by_window_lists_everything_once_in_order(db):
    """A daily 9:00 series over the spring DST change, a week-long trip across a
    window's edge and single calls: window after window (the later ones with
    ``starting``) gives what one read of the whole range gives."""
    make(db, title="Stand-up", start=datetime(2027, 3, 20, 9), end=datetime(2027, 3, 20, 9, 15),
         rrule="FREQ=DAILY;COUNT=40")
    make(db, kind="Meeting", title="Trip", start=datetime(2027, 3, 26), all_day=True,
         end=datetime(2027, 4, 2))
    make(db, title="Late call", start=datetime(2027, 3, 22, 23, 30),
         end=datetime(2027, 3, 23, 0, 30))
    for n in range(30):
        make(db, title=f"Call {n}", start=datetime(2027, 3, 18, 10) + timedelta(hours=17 * n))
    begin = datetime(2027, 3, 20, tzinfo=VILNIUS)
    edges = [begin + timedelta(days=d) for d in (0, 3, 10, 40)]
    with db.reading() as s:
        whole = occurrences_between(s, edges[0], edges[-1])
        parts = []
        for n, (lo, hi) in enumerate(zip(edges, edges[1:], strict=False)):
            parts += occurrences_between(s, datetime.combine(lo.date(), time.min),
                                         datetime.combine(hi.date(), time.min),
                                         starting=n > 0)
    assert [o.key for o in parts] == [o.key for o in whole]
    assert len({o.key for o in parts}) == len(parts)
    assert [o.start for o in parts] == sorted(o.start for o in parts)
    ups = [o for o in parts if o.title == "Stand-up"]
    assert len(ups) == 40 and {o.start.strftime("%H:%M") for o in ups} == {"09:00"}
    offsets = {o.start.utcoffset() for o in ups}
    assert offsets == {timedelta(hours=2), timedelta(hours=3)}  # both sides of the change
    assert sum(1 for o in parts if o.title == "Trip") == 1
    # The late call ends in the next window's first day: listed once, in the first.
    assert sum(1 for o in parts if o.title == "Late call") == 1


def test_starting_leaves_out_what_began_before(db):
    make(db, title="Overnight", start=datetime(2027, 1, 4, 22), end=datetime(2027, 1, 5, 2))
    with db.reading() as s:
        met = occurrences_between(s, datetime(2027, 1, 5), datetime(2027, 1, 6))
        started = occurrences_between(s, datetime(2027, 1, 5), datetime(2027, 1, 6),
                                      starting=True)
    assert [o.title for o in met] == ["Overnight"] and started == []


# -- a series expanded once -----------------------------------------------------------


@pytest.mark.parametrize("rule", [
    "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=DAILY;INTERVAL=3;COUNT=20", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
])
def test_ranges_cut_from_one_expansion_are_dateutils(rule):
    """Asked in any order (a later range first, then earlier, then overlapping ones),
    with and without a duration: the same wall times as dateutil's own walk."""
    start = datetime(2026, 1, 31, 9, 30)
    walk = rrulestr(rule, dtstart=start)
    rnd = random.Random(rule)
    recurrence._expansion.cache_clear()
    for _n in range(40):
        after = start + timedelta(days=rnd.randint(-20, 900), hours=rnd.randint(0, 23))
        before = after + timedelta(days=rnd.randint(0, 120))
        duration = timedelta(minutes=rnd.choice((0, 30, 60 * 24 * 3)))
        expected = tuple(w for w in walk.between(after - duration, before, inc=True)
                         if w < before and (w >= after or w + duration > after))
        assert recurrence.occurrences(rule, start, after, before, duration) == expected
