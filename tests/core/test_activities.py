"""Activities: scheduling, series in local time (DST, the 31st, 29 February),
exceptions (this, this and following, all), clearing into the history,
reminders (those due while crmdesk was closed too) and yearly dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crmdesk.core.activities import recurrence, reminders
from crmdesk.core.activities.listing import is_overdue, occurrences_between, open_tasks
from crmdesk.core.activities.records import (
    ALL,
    DONE,
    HIGH,
    NOT_DONE,
    THIS,
    THIS_AND_FOLLOWING,
    ActivityData,
    activity_kinds,
    activity_state,
    clear_activity,
    create_activity,
    created_id,
    delete_activity,
    move_activity,
    snapshot,
    update_activity,
)
from crmdesk.core.activities.recurrence import RuleParts, build_rule
from crmdesk.core.activities.yearly import in_year, yearly_dates
from crmdesk.core.changes import ACTIVITIES, CONTACTS, HISTORY
from crmdesk.core.contacts.records import ContactData, DateData, create_contact
from crmdesk.core.errors import CrmdeskError, NotFoundError, ValidationError
from crmdesk.core.history.records import get_interaction

VILNIUS = ZoneInfo("Europe/Vilnius")


@pytest.fixture(autouse=True)
def vilnius(monkeypatch):
    """The user is in Vilnius: DST ends on 25 October 2026, starts 28 March 2027."""
    monkeypatch.setenv("TZ", "Europe/Vilnius")


@pytest.fixture
def ona(db):
    return create_contact(db, ContactData(given_name="Ona", family_name="Petraitienė",
                                          company="UAB Medus"))


def make(db, **kw) -> int:
    kw.setdefault("kind", "Call")
    with db.session() as s:
        return created_id(create_activity(s, ActivityData(**kw)))


def between(db, first: datetime, last: datetime, **kw):
    with db.reading() as s:
        return occurrences_between(s, first, last, **kw)


def starts(occs) -> list[str]:
    return [o.start.strftime("%Y-%m-%d %H:%M %Z") for o in occs]


def test_kinds_are_an_editable_list_with_defaults(db):
    with db.reading() as s:
        assert activity_kinds(s) == ["Call", "Meeting", "To-do"]
    make(db, kind="Site visit", start=datetime(2026, 12, 7, 10))
    with db.reading() as s:
        assert "Site visit" in activity_kinds(s)


def test_a_call_with_a_contact_is_on_the_calendar(db, ona):
    aid = make(db, title="Ask about the honey order", start=datetime(2026, 12, 7, 10, 30),
               end=datetime(2026, 12, 7, 11), contact_ids=[ona], reminder_min=15,
               location="Office", priority=HIGH)
    [occ] = between(db, datetime(2026, 12, 7), datetime(2026, 12, 8))
    assert occ.activity_id == aid
    assert occ.start == datetime(2026, 12, 7, 10, 30, tzinfo=VILNIUS)
    assert occ.end == datetime(2026, 12, 7, 11, tzinfo=VILNIUS)
    assert (occ.kind, occ.title, occ.location, occ.priority) == (
        "Call", "Ask about the honey order", "Office", HIGH)
    assert occ.contact_names == ("Ona Petraitienė",)
    assert occ.company_id is not None  # the contact's company
    assert between(db, datetime(2026, 12, 8), datetime(2026, 12, 9)) == []
    with db.reading() as s:
        data = snapshot(s, aid)
    assert data.reminder_min == 15 and data.contact_ids == [ona]


def test_bad_input_is_refused_with_messages(db, ona):
    with pytest.raises(ValidationError, match="cannot end before"):
        make(db, start=datetime(2026, 12, 7, 10), end=datetime(2026, 12, 7, 9))
    with pytest.raises(ValidationError, match="call, a meeting"):
        make(db, kind=" ", start=datetime(2026, 12, 7, 10))
    with pytest.raises(ValidationError, match="repeat rule"):
        make(db, start=datetime(2026, 12, 7, 10), rrule="FREQ=SOMETIMES")
    with pytest.raises(NotFoundError, match="no contact 999"):
        make(db, start=datetime(2026, 12, 7, 10), contact_ids=[999])
    with pytest.raises(ValidationError, match="priority"):
        make(db, start=datetime(2026, 12, 7, 10), priority=7)
    assert between(db, datetime(2026, 1, 1), datetime(2028, 1, 1)) == []


def test_weekly_at_nine_stays_at_nine_across_both_dst_changes(db):
    make(db, kind="Meeting", title="Stand-up", start=datetime(2026, 10, 19, 9),
         end=datetime(2026, 10, 19, 9, 15), rrule="FREQ=WEEKLY;BYDAY=MO")
    autumn = between(db, datetime(2026, 10, 18), datetime(2026, 11, 3))
    assert [o.start.hour for o in autumn] == [9, 9, 9]
    assert [o.start.utcoffset() for o in autumn] == [timedelta(hours=3), timedelta(hours=2),
                                                     timedelta(hours=2)]
    spring = between(db, datetime(2027, 3, 20), datetime(2027, 4, 6))
    assert starts(spring) == ["2027-03-22 09:00 EET", "2027-03-29 09:00 EEST",
                              "2027-04-05 09:00 EEST"]
    assert all(o.end - o.start == timedelta(minutes=15) for o in spring)


def test_monthly_on_the_31st_falls_on_the_last_day_of_shorter_months(db):
    start = datetime(2027, 1, 31, 10)
    rule = build_rule(RuleParts(freq="MONTHLY"), start)
    assert rule == "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
    make(db, title="Invoices", start=start, rrule=rule)
    days = [o.start.date() for o in between(db, datetime(2027, 1, 1), datetime(2027, 6, 1))]
    assert days == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30),
                    date(2027, 5, 31)]


def test_a_typed_bymonthday_31_keeps_its_rfc_meaning(db):
    make(db, start=datetime(2027, 1, 31, 10), rrule="FREQ=MONTHLY;BYMONTHDAY=31")
    days = [o.start.date() for o in between(db, datetime(2027, 1, 1), datetime(2027, 6, 1))]
    assert days == [date(2027, 1, 31), date(2027, 3, 31), date(2027, 5, 31)]


def test_yearly_on_29_february_falls_on_the_28th_in_other_years(db):
    start = datetime(2028, 2, 29, 12)
    make(db, title="Leap day lunch", start=start,
         rrule=build_rule(RuleParts(freq="YEARLY"), start))
    days = [o.start.date() for o in between(db, datetime(2028, 1, 1), datetime(2033, 1, 1))]
    assert days == [date(2028, 2, 29), date(2029, 2, 28), date(2030, 2, 28), date(2031, 2, 28),
                    date(2032, 2, 29)]


def test_monthly_on_the_second_tuesday_and_until_count(db):
    start = datetime(2026, 12, 8, 14)  # the second Tuesday of December
    rule = build_rule(RuleParts(freq="MONTHLY", monthly_by="weekday", count=3), start)
    assert rule == "FREQ=MONTHLY;BYDAY=2TU;COUNT=3"
    make(db, start=start, rrule=rule)
    days = [o.start.date() for o in between(db, datetime(2026, 12, 1), datetime(2027, 12, 1))]
    assert days == [date(2026, 12, 8), date(2027, 1, 12), date(2027, 2, 9)]
    weekly = build_rule(RuleParts(freq="WEEKLY", weekdays=("TU", "MO"),
                                  until=date(2026, 12, 15)), datetime(2026, 12, 7, 9))
    assert weekly == "FREQ=WEEKLY;BYDAY=MO,TU;UNTIL=20261215T235959"
    assert recurrence.parse_rule_parts(weekly) == RuleParts(
        freq="WEEKLY", weekdays=("MO", "TU"), until=date(2026, 12, 15))


def series(db):
    return make(db, title="Daily check", start=datetime(2026, 12, 7, 9),
                end=datetime(2026, 12, 7, 9, 30), rrule="FREQ=DAILY;COUNT=5")


WEEK = (datetime(2026, 12, 7), datetime(2026, 12, 14))


def test_this_occurrence_moved_and_deleted(db):
    sid = series(db)
    with db.session() as s:
        move_activity(s, sid, datetime(2026, 12, 8, 15), scope=THIS,
                      occurrence_at=datetime(2026, 12, 8, 9))
    with db.session() as s:
        delete_activity(s, sid, scope=THIS, occurrence_at=datetime(2026, 12, 10, 9))
    occs = between(db, *WEEK)
    assert [o.start.strftime("%d %H:%M") for o in occs] == [
        "07 09:00", "08 15:00", "09 09:00", "11 09:00"]
    moved = occs[1]
    assert not moved.series and moved.detached_from == sid
    assert moved.end - moved.start == timedelta(minutes=30)
    with pytest.raises(NotFoundError, match="no occurrence"):
        with db.session() as s:
            delete_activity(s, sid, scope=THIS, occurrence_at=datetime(2026, 12, 10, 10))


def test_this_and_following_splits_the_series(db):
    sid = series(db)
    with db.session() as s:
        data = snapshot(s, sid)
        data.title = "Daily check (new time)"
        data.start = datetime(2026, 12, 9, 11)
        data.end = datetime(2026, 12, 9, 11, 30)
        changes = update_activity(s, sid, data, scope=THIS_AND_FOLLOWING,
                                  occurrence_at=datetime(2026, 12, 9, 9))
    assert len(changes.added(ACTIVITIES)) == 1
    occs = between(db, *WEEK)
    assert [(o.start.strftime("%d %H:%M"), o.title) for o in occs] == [
        ("07 09:00", "Daily check"), ("08 09:00", "Daily check"),
        ("09 11:00", "Daily check (new time)"), ("10 11:00", "Daily check (new time)"),
        ("11 11:00", "Daily check (new time)")]  # five in all still: COUNT carried over


def test_all_occurrences_and_deleting_following(db):
    sid = series(db)
    with db.session() as s:
        move_activity(s, sid, datetime(2026, 12, 7, 8), scope=ALL)
    assert {o.start.hour for o in between(db, *WEEK)} == {8}
    with db.session() as s:
        delete_activity(s, sid, scope=THIS_AND_FOLLOWING,
                        occurrence_at=datetime(2026, 12, 9, 8))
    assert len(between(db, *WEEK)) == 2
    with db.session() as s:
        delete_activity(s, sid, scope=ALL)
    assert between(db, *WEEK) == []


def test_clearing_writes_the_history_entry_and_offers_a_follow_up(db, ona):
    aid = make(db, title="Quote for 40 jars", start=datetime(2026, 12, 7, 10),
               contact_ids=[ona])
    stamp = datetime(2026, 12, 7, 10, 20, tzinfo=VILNIUS)
    with db.session() as s:
        result = clear_activity(s, aid, done=True, result="Reached",
                                notes="Wants it by Friday", now=stamp)
    assert result.changes.touches(HISTORY) and result.changes.touches(CONTACTS)
    assert aid in result.changes.ids(ACTIVITIES)
    with db.reading() as s:
        entry = get_interaction(s, result.interaction_id)
        assert activity_state(s, aid) == (DONE, "Reached")
    assert (entry.kind, entry.subject, entry.outcome, entry.details) == (
        "Call", "Quote for 40 jars", "Reached", "Wants it by Friday")
    assert entry.contact_ids == [ona]
    assert entry.at == stamp
    follow = result.follow_up
    assert follow.contact_ids == [ona] and follow.kind == "Call"
    assert follow.start == datetime(2026, 12, 14, 10)
    with pytest.raises(CrmdeskError, match="cleared already"):
        with db.session() as s:
            clear_activity(s, aid)


def test_not_done_says_so_in_the_history(db, ona):
    aid = make(db, title="Visit", kind="Meeting", start=datetime(2026, 12, 7, 10),
               contact_ids=[ona])
    with db.session() as s:
        result = clear_activity(s, aid, done=False, result="No answer")
    with db.reading() as s:
        assert get_interaction(s, result.interaction_id).subject == "Not done: Visit"
        assert activity_state(s, aid)[0] == NOT_DONE


def test_clearing_one_occurrence_of_a_series_leaves_the_rest_open(db, ona):
    sid = make(db, title="Weekly call", start=datetime(2026, 12, 7, 9), contact_ids=[ona],
               rrule="FREQ=WEEKLY")
    with db.session() as s:
        result = clear_activity(s, sid, occurrence_at=datetime(2026, 12, 14, 9))
    assert result.activity_id != sid and result.interaction_id is not None
    occs = between(db, datetime(2026, 12, 7), datetime(2026, 12, 22))
    assert [(o.start.day, o.state) for o in occs] == [(7, "open"), (14, "done"), (21, "open")]


def test_a_to_do_without_contacts_clears_without_history(db):
    aid = make(db, kind="To-do", title="Order labels", start=datetime(2026, 12, 7),
               all_day=True)
    with db.session() as s:
        result = clear_activity(s, aid)
    assert result.interaction_id is None and not result.changes.touches(HISTORY)


def test_all_day_and_task_list_with_overdue(db):
    make(db, kind="To-do", title="Renew domain", start=datetime(2026, 12, 1), all_day=True)
    make(db, kind="Call", title="Low one", start=datetime(2026, 12, 2, 9), priority=0)
    [occ] = between(db, datetime(2026, 12, 1), datetime(2026, 12, 2))
    assert occ.all_day and occ.end - occ.start == timedelta(days=1)
    now = datetime(2026, 12, 5, 12, tzinfo=VILNIUS)
    assert is_overdue(occ, now)
    with db.reading() as s:
        tasks = open_tasks(s, until=datetime(2027, 1, 1, tzinfo=VILNIUS), kinds=["to-do"])
        assert [t.title for t in tasks] == ["Renew domain"]
        tasks = open_tasks(s, until=datetime(2027, 1, 1, tzinfo=VILNIUS), min_priority=1)
        assert [t.title for t in tasks] == ["Renew domain"]


def test_reminders_due_while_closed_are_due_at_the_next_start(db, tmp_path):
    aid = make(db, title="Call the bank", start=datetime(2026, 12, 7, 10), reminder_min=15)
    make(db, title="No reminder", start=datetime(2026, 12, 7, 10))
    with db.reading() as s:
        assert reminders.due_reminders(s, datetime(2026, 12, 7, 9, 40, tzinfo=VILNIUS)) == []
    path = db.path
    db.close()  # crmdesk closed at 9:40; opened again at 11:00
    from crmdesk.core.storage.database import Database

    again = Database.open(path)
    try:
        with again.reading() as s:
            due = reminders.due_reminders(s, datetime(2026, 12, 7, 11, tzinfo=VILNIUS))
        assert [(r.activity_id, r.due.strftime("%H:%M")) for r in due] == [(aid, "09:45")]
        with again.session() as s:
            reminders.snooze(s, aid, datetime(2026, 12, 7, 11, 5, tzinfo=VILNIUS))
        with again.reading() as s:
            assert reminders.due_reminders(s, datetime(2026, 12, 7, 11, 1, tzinfo=VILNIUS)) == []
            assert len(reminders.due_reminders(s, datetime(2026, 12, 7, 11, 6,
                                                           tzinfo=VILNIUS))) == 1
        with again.session() as s:
            reminders.dismiss(s, due[0])
        with again.reading() as s:
            assert reminders.due_reminders(s, datetime(2026, 12, 7, 12, tzinfo=VILNIUS)) == []
    finally:
        again.close()


def test_a_series_reminds_once_per_occurrence_the_latest_first(db):
    aid = make(db, title="Pills", start=datetime(2026, 12, 7, 8), reminder_min=0,
               rrule="FREQ=DAILY")
    with db.reading() as s:
        due = reminders.due_reminders(s, datetime(2026, 12, 9, 8, 30, tzinfo=VILNIUS))
    assert [r.occurrence.start.day for r in due] == [9]
    with db.session() as s:
        reminders.dismiss(s, due[0])
    with db.reading() as s:
        assert reminders.due_reminders(s, datetime(2026, 12, 9, 9, tzinfo=VILNIUS)) == []
        assert [r.occurrence.start.day for r in reminders.due_reminders(
            s, datetime(2026, 12, 10, 8, tzinfo=VILNIUS))] == [10]
    assert aid


def test_yearly_dates_with_age_and_29_february(db):
    create_contact(db, ContactData(given_name="Leap", family_name="Day", birthday_year=2000,
                                   birthday_month=2, birthday_day=29))
    create_contact(db, ContactData(given_name="No", family_name="Year", birthday_month=3,
                                   birthday_day=1,
                                   dates=[DateData(label="Wedding", month=3, day=2,
                                                   year=2010)]))
    with db.reading() as s:
        found = yearly_dates(s, date(2027, 2, 27), date(2027, 3, 3))
    assert [(d.day, d.text()) for d in found] == [
        (date(2027, 2, 28), "Leap Day turns 27"),
        (date(2027, 3, 1), "Birthday: No Year"),
        (date(2027, 3, 2), "Wedding: No Year (17)")]
    assert in_year(2, 29, 2028) == date(2028, 2, 29)


def test_follow_up_dates_and_the_call_they_schedule(db, ona):
    from crmdesk.core.activities.records import follow_up_date, schedule_follow_up

    today = date(2027, 1, 31)
    assert [follow_up_date(k, today) for k in ("tomorrow", "3days", "week", "month",
                                               "2months")] == [
        date(2027, 2, 1), date(2027, 2, 3), date(2027, 2, 7), date(2027, 2, 28),
        date(2027, 3, 31)]
    with pytest.raises(ValueError):
        follow_up_date("someday", today)
    with db.session() as s:
        aid = created_id(schedule_follow_up(s, [ona], "Prices", date(2027, 2, 1)))
        data = snapshot(s, aid)
    assert (data.kind, data.title, data.contact_ids) == ("Call", "Follow up: Prices", [ona])
    assert data.start == datetime(2027, 2, 1, 9, tzinfo=VILNIUS)


def test_lookups_next_activity_and_overdue(db, ona):
    from crmdesk.core.lookup.query import CONTACT, find_ids, lookup_problem

    now = datetime.now(VILNIUS).replace(second=0, microsecond=0)
    jonas = create_contact(db, ContactData(given_name="Jonas", family_name="Jonaitis"))
    rasa = create_contact(db, ContactData(given_name="Rasa", family_name="Rasaitė"))
    nobody = create_contact(db, ContactData(given_name="Nobody", family_name="Planned"))
    make(db, title="Late call", start=(now - timedelta(days=2)).replace(tzinfo=None),
         contact_ids=[ona])
    make(db, title="Soon", start=(now + timedelta(days=3)).replace(tzinfo=None),
         contact_ids=[jonas])
    # A weekly series begun long ago: its next occurrence is within a week.
    make(db, title="Weekly", start=(now - timedelta(days=60)).replace(tzinfo=None),
         rrule="FREQ=WEEKLY", contact_ids=[rasa])
    done = make(db, title="Done already", start=(now + timedelta(days=1)).replace(tzinfo=None),
                contact_ids=[nobody])
    with db.session() as s:
        clear_activity(s, done)

    def found(text):
        with db.reading() as s:
            return set(find_ids(s, CONTACT, text, strict=True))

    assert found("has:next_activity") == {jonas, rasa}
    assert found("missing:next_activity") == {ona, nobody}
    assert found("overdue:yes") == {ona}
    assert found("overdue:no") == {jonas, rasa, nobody}
    week = (now + timedelta(days=8)).date().isoformat()
    assert found(f"next_activity<{week}") == {jonas, rasa}
    # Both next ones are three days away (the series': 60 days after its start is 3
    # days short of its 9th week); the overdue call and the cleared one never count.
    yesterday = (now - timedelta(days=1)).date().isoformat()
    assert found(f"next_activity>{yesterday}") == {jonas, rasa}
    assert found(f"next_activity<{yesterday}") == set()
    soon = (now + timedelta(days=3)).date().isoformat()
    assert found(f"next_activity:{soon}") == {jonas, rasa}
    with db.reading() as s:
        assert "yes or no" in lookup_problem(s, CONTACT, "overdue:maybe").message
        assert "not a date" in lookup_problem(s, CONTACT, "next_activity<soonish").message


def test_not_contacted_lately_by_status(db):
    from crmdesk.core.activities.neglected import (
        neglect_days,
        neglected_contacts,
        set_neglect_days,
    )
    from crmdesk.core.history.records import InteractionData, log_interaction

    lead = create_contact(db, ContactData(given_name="Old", family_name="Lead", status="Lead"))
    fresh = create_contact(db, ContactData(given_name="Fresh", family_name="Lead",
                                           status="Lead"))
    customer = create_contact(db, ContactData(given_name="Good", family_name="Customer",
                                              status="Customer"))
    with db.session() as s:
        for cid, ago in ((lead, 20), (fresh, 3), (customer, 40)):
            log_interaction(s, InteractionData(kind="Call", outcome="Reached",
                                               at=datetime.now(VILNIUS) - timedelta(days=ago),
                                               contact_ids=[cid]))
        assert neglect_days(s) == {"Lead": 14, "Prospect": 30, "Customer": 90}
        found = neglected_contacts(s)
    assert [(n.contact_id, n.status, n.days) for n in found] == [(lead, "Lead", 20)]
    with db.session() as s:
        set_neglect_days(s, {"Lead": 30, "Customer": 30})
        assert [n.contact_id for n in neglected_contacts(s)] == [customer]
        with pytest.raises(ValidationError, match="from 1 to 3650"):
            set_neglect_days(s, {"Lead": 0})
