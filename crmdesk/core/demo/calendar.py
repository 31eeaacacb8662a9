"""The demo's calendar: what was planned and done, and what is planned next.

A calendar view, a task list and a Today view on an empty calendar show
nothing worth trying, and the calendar benchmarks need a file that looks
used. So the demo plans as an owner would:

- the past: some of the calls and meetings the owner made in the last months
  (history.py's entries, "out") were planned first and cleared when done: an
  activity of the same kind, with the same people, at the same moment, done,
  with the entry's outcome as its result and the entry as its history, as
  clearing one in crmdesk leaves it (records.clear_activity);
- the future: calls, meetings and to-dos over the next weeks, more for leads
  and prospects, in the contact's own language (history.py's subjects); a few
  with reminders, some high priority, some to-dos already overdue, a monthly
  call with some customers;
- the owner's own routine, with nobody on it: a weekly team meeting, the
  invoices at the start of each month, a stock check every other Friday.

About one activity per ten contacts. Like history.py this never touches the
database: it adds rows to each batch the maker makes, drawn from its own
random.Random, so the contacts and history a seed makes stay as they were.
Times are wall times in the user's zone (the file keeps the zone's name, and
the same moments in UTC, as records.py does); a cleared activity's moment is
its history entry's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crmdesk.core.demo.history import CALL, MEETING, SEASONS, TEXTS, HistoryLists
from crmdesk.core.demo.tables import CN, LT, RU, US

Row = dict[str, Any]

# The kinds of the default activity list (Call, Meeting, To-do), by position.
K_CALL, K_MEETING, K_TODO = range(3)
# How far back planned calls and meetings were cleared, and the share of the
# owner's own calls and meetings in that time that had been planned.
PAST_DAYS = 90
PLANNED_SHARE = 0.25
# Upcoming activities per contact on average, by position in the default status
# list (lead, prospect, customer, former customer, partner, supplier); no status last.
UPCOMING_MEANS = (0.09, 0.11, 0.06, 0.008, 0.045, 0.03)
NO_STATUS_UPCOMING = 0.015
AHEAD_DAYS = 42  # the next six weeks
OVERDUE_SHARE = 0.15  # of upcoming ones: left undone from the last two weeks
MONTHLY_SHARE = 0.01  # customers and partners with a monthly call
REMINDER_SHARE = {K_CALL: 0.35, K_MEETING: 0.6, K_TODO: 0.25}
REMINDERS = {K_CALL: (5, 15, 15, 30), K_MEETING: (15, 30, 60, 60 * 24), K_TODO: (60 * 24,)}
HIGH_SHARE = 0.15
MEETING_MINUTES = (30, 45, 60, 60, 90, 120)

TODOS: dict[str, tuple[str, ...]] = {
    US: ("Send the quote", "Prepare the contract", "Send samples", "Update the price list",
         "Check the payment", "Send the catalogue", "Prepare the offer for {season}",
         "Book the meeting room", "Send a thank-you note", "Chase the signed contract"),
    RU: ("Отправить коммерческое предложение", "Подготовить договор", "Отправить образцы",
         "Обновить прайс-лист", "Проверить оплату", "Отправить каталог",
         "Подготовить предложение на {season}", "Забронировать переговорную",
         "Отправить благодарственное письмо", "Получить подписанный договор"),
    LT: ("Išsiųsti pasiūlymą", "Paruošti sutartį", "Išsiųsti pavyzdžius",
         "Atnaujinti kainoraštį", "Patikrinti apmokėjimą", "Išsiųsti katalogą",
         "Paruošti pasiūlymą {season}", "Užsakyti posėdžių salę", "Išsiųsti padėką",
         "Gauti pasirašytą sutartį"),
    CN: ("发送报价单", "准备合同", "寄送样品", "更新价格表", "核对付款", "寄送产品目录",
         "准备{season}方案", "预订会议室", "寄感谢信", "催收已签合同"),
}
# The monthly call's subject: history.py's "order for next month".
MONTHLY_SUBJECT = 4
# The owner's routine: (title, kind, weekday or day of month, wall time or None for
# all day, minutes, rule, reminder, location).
ROUTINE: tuple[tuple[str, int, str, time | None, int, str, int | None, str], ...] = (
    ("Team meeting", K_MEETING, "MO", time(9, 0), 30, "FREQ=WEEKLY;BYDAY=MO", 10, "Office"),
    ("Send the invoices", K_TODO, "1", None, 0, "FREQ=MONTHLY;BYMONTHDAY=1", 60 * 24, ""),
    ("Stock check", K_MEETING, "FR", time(15, 0), 60, "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
     None, "Warehouse"),
    ("VAT return", K_TODO, "20", None, 0, "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=20", 60 * 24 * 3,
     ""),
)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class CalendarLists:
    """What the calendar needs from the file, read before the demo starts."""

    kind_ids: tuple[int, int, int] | None  # call, meeting, to-do; None: no calendar
    outcome_names: dict[int, str]  # outcome id -> its name, an activity's result
    tz: str  # the user's zone, by name
    first_id: int  # the next free activity id


def calendar_lists(kinds: list[tuple[int, str]], outcomes: list[tuple[int, str]], tz: str,
                   first_id: int) -> CalendarLists:
    """The file's activity kinds and outcomes ((id, name) in list order).

    The default kinds (Call, Meeting, To-do) are used by position; a list with
    fewer entries than three gets its first entry for everything, an empty
    one no calendar at all."""
    ids = [cid for cid, _name in kinds]
    if not ids:
        return CalendarLists(None, dict(outcomes), tz, first_id)
    if len(ids) < 3:
        ids = [ids[0]] * 3
    return CalendarLists((ids[0], ids[1], ids[2]), dict(outcomes), tz, first_id)


class CalendarMaker:
    """Makes the activity and activity_contact rows of one contact at a time."""

    def __init__(self, lists: CalendarLists, history: HistoryLists, seed: int,
                 end: datetime):
        self.lists = lists
        self.rng = random.Random(f"crmdesk demo calendar {seed}")
        self.end = end  # today, midnight: the demo's now
        self.zone = ZoneInfo(lists.tz)
        self.next_id = lists.first_id
        self.roles = dict(zip(history.kind_ids, history.kind_roles, strict=True))
        self.means = UPCOMING_MEANS if history.status_means else ()
        self.routine_made = False
        self.since = end - timedelta(days=PAST_DAYS)

    # -- time ----------------------------------------------------------------------
    def utc(self, wall: datetime) -> datetime:
        return wall.replace(tzinfo=self.zone).astimezone(UTC).replace(tzinfo=None)

    def wall(self, utc: datetime) -> datetime:
        return utc.replace(tzinfo=UTC).astimezone(self.zone).replace(tzinfo=None)

    def workday(self, first: int, last: int) -> datetime:
        """Midnight of a weekday ``first`` to ``last`` days from today."""
        day = self.end + timedelta(days=self.rng.randint(first, last))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    # -- rows ----------------------------------------------------------------------
    def _row(self, kind: int, title: str, start: datetime, end: datetime | None,
             all_day: bool, *, company_id: int | None, created: datetime,
             **extra: Any) -> Row:
        """An activity as records.py stores it: wall times, and the same moments in UTC."""
        assert self.lists.kind_ids is not None
        aid = self.next_id
        self.next_id += 1
        rule = extra.pop("rrule", "")
        if all_day:
            end = start + timedelta(days=1)
        last = None if rule else self.utc(end if end is not None else start)
        row: Row = {
            "id": aid, "kind_id": self.lists.kind_ids[kind], "title": title,
            "starts_at": start, "ends_at": end, "all_day": all_day, "tz": self.lists.tz,
            "starts_utc": self.utc(start), "last_utc": last, "location": "",
            "priority": 1, "company_id": company_id, "notes": "", "reminder_min": None,
            "reminded_utc": self.end, "snoozed_utc": None, "rrule": rule,
            "parent_id": None, "recurrence_at": None, "state": "open", "result": "",
            "cleared_utc": None, "interaction_id": None, "created_at": created,
            "updated_at": created}
        row.update(extra)
        return row

    def contact(self, cid: int, country: str, status: int | None, company_id: int | None,
                rows: dict[str, list[Row]], first_entry: int, first_link: int) -> None:
        """The calendar of one contact: its recent history entries (rows from
        ``first_entry`` and ``first_link`` on) that had been planned, and what is next."""
        if self.lists.kind_ids is None:
            return
        if not self.routine_made:
            self.routine_made = True
            self.routine(rows)
        entries = rows["interaction"][first_entry:]
        if entries and entries[-1]["at"] >= self.since:
            self.cleared(entries, rows["interaction_contact"][first_link:], rows)
        self.upcoming(cid, country, status, company_id, rows)

    def cleared(self, entries: list[Row], links: list[Row], rows: dict[str, list[Row]]) -> None:
        rng = self.rng
        for entry in entries:
            if entry["at"] < self.since or entry["direction"] != "out":
                continue
            role = self.roles.get(entry["kind_id"])
            if role not in (CALL, MEETING) or rng.random() >= PLANNED_SHARE:
                continue
            people = [link["contact_id"] for link in links
                      if link["interaction_id"] == entry["id"]]
            start = self.wall(entry["at"])
            minutes = entry["duration_min"]
            end = start + timedelta(minutes=minutes) if role == MEETING and minutes else None
            outcome = entry["outcome_id"]
            result = self.lists.outcome_names.get(outcome, "") if outcome else ""
            done_at = entry["at"] + timedelta(minutes=minutes or 0)
            planned = entry["at"] - timedelta(days=rng.randint(1, 21), hours=rng.randint(0, 8))
            row = self._row(K_CALL if role == CALL else K_MEETING, entry["subject"], start, end,
                            False, company_id=entry["company_id"], created=planned,
                            state="done", result=result, cleared_utc=done_at,
                            interaction_id=entry["id"], updated_at=done_at)
            if role == MEETING and rng.random() < 0.5:
                row["reminder_min"] = rng.choice(REMINDERS[K_MEETING])
            rows["activity"].append(row)
            rows["activity_contact"] += [{"activity_id": row["id"], "contact_id": c}
                                         for c in people]

    def _subject(self, country: str, kind: int, when: datetime) -> str:
        rng = self.rng
        if kind == K_TODO:
            text = rng.choice(TODOS[country])
        else:
            text = rng.choice(TEXTS[country][CALL if kind == K_CALL else MEETING][0])
        return text.format(season=SEASONS[country][(when.month + 1) % 12 // 3],
                           n=rng.randrange(100, 1000))

    def upcoming(self, cid: int, country: str, status: int | None, company_id: int | None,
                 rows: dict[str, list[Row]]) -> None:
        rng = self.rng
        mean = self.means[status] if status is not None and status < len(self.means) \
            else NO_STATUS_UPCOMING
        made: list[Row] = []
        while rng.random() < mean:  # mostly none, now and then one, rarely two
            mean *= 0.3
            r = rng.random()
            kind = K_CALL if r < 0.6 else K_MEETING if r < 0.8 else K_TODO
            overdue = kind != K_MEETING and rng.random() < OVERDUE_SHARE
            day = self.workday(-14, -1) if overdue else self.workday(0, AHEAD_DAYS)
            title = self._subject(country, kind, day)
            created = min(day, self.end) - timedelta(days=rng.randint(1, 30),
                                                     hours=rng.randint(0, 10))
            if kind == K_TODO:
                row = self._row(kind, title, day, None, True, company_id=company_id,
                                created=created)
            else:
                start = day + timedelta(hours=rng.randint(9, 16), minutes=rng.choice((0, 30)))
                end = start + timedelta(minutes=rng.choice(MEETING_MINUTES)) \
                    if kind == K_MEETING else None
                row = self._row(kind, title, start, end, False, company_id=company_id,
                                created=created)
            # Nothing that starts today or earlier reminds: opening the demo does not
            # begin with a pile of reminders.
            if day > self.end and rng.random() < REMINDER_SHARE[kind]:
                row["reminder_min"] = rng.choice(REMINDERS[kind])
            if rng.random() < HIGH_SHARE:
                row["priority"] = 2
            made.append(row)
        if status in (2, 4) and self.means and rng.random() < MONTHLY_SHARE:
            made.append(self.monthly(country, company_id))
        rows["activity"] += made
        rows["activity_contact"] += [{"activity_id": row["id"], "contact_id": cid}
                                     for row in made]

    def monthly(self, country: str, company_id: int | None) -> Row:
        """A call on the same weekday of every month ("second Tuesday"), begun months ago."""
        rng = self.rng
        first = self.workday(-150, -60)
        while first.day > 28:  # the 5th Tuesday is not in every month
            first -= timedelta(days=7)
        nth = min(4, (first.day - 1) // 7 + 1)
        weekday = _WEEKDAYS[first.weekday()]
        start = first + timedelta(hours=rng.choice((10, 11, 14)))
        subject = TEXTS[country][CALL][0][MONTHLY_SUBJECT]
        return self._row(K_CALL, subject, start, None, False, company_id=company_id,
                         created=start - timedelta(days=rng.randint(1, 7)),
                         rrule=f"FREQ=MONTHLY;BYDAY={nth}{weekday}",
                         reminder_min=15)

    def routine(self, rows: dict[str, list[Row]]) -> None:
        """The owner's own series, begun a year ago, with nobody on them."""
        year_ago = self.end - timedelta(days=365)
        for title, kind, on, at, minutes, rule, reminder, location in ROUTINE:
            if on in _WEEKDAYS:
                day = year_ago + timedelta(days=(_WEEKDAYS.index(on) - year_ago.weekday()) % 7)
            else:
                day = year_ago.replace(day=int(on))
                if day < year_ago:
                    day = (day + timedelta(days=32)).replace(day=int(on))
            start = day if at is None else datetime.combine(day.date(), at)
            end = None if at is None else start + timedelta(minutes=minutes)
            rows["activity"].append(self._row(
                kind, title, start, end, at is None, company_id=None,
                created=year_ago - timedelta(days=3), rrule=rule, reminder_min=reminder,
                location=location))
