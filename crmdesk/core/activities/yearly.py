"""Dates that come back every year on the calendar: birthdays, anniversaries, and
custom date fields marked "every year".

29 February falls on 28 February in the other years (as most people keep a
leap-day birthday). The age, or the number of years, shows when the year is
known. Read straight from the tables: they are a few columns of live contacts.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import String, and_, bindparam, func, or_, select, true, union_all
from sqlalchemy.orm import Session

from crmdesk.core.i18n import _
from crmdesk.core.storage.field_models import DATE, FieldDef, FieldValue
from crmdesk.core.storage.models import Contact, ImportantDate


class YearlyDate(NamedTuple):
    day: date  # this occurrence
    contact_id: int
    name: str  # the contact's display name
    label: str  # "Birthday", "Wedding anniversary", a custom field's label
    years: int | None  # the age, or years since; None when the year is unknown
    birthday: bool

    def text(self) -> str:
        if self.years is None:
            return _("{label}: {name}").format(label=self.label, name=self.name)
        if self.birthday:
            return _("{name} turns {years}").format(name=self.name, years=self.years)
        return _("{label}: {name} ({years})").format(label=self.label, name=self.name,
                                                     years=self.years)


def in_year(month: int, day: int, year: int) -> date | None:
    """The day in ``year``; 29 February is 28 February in other years; None if impossible."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_days(first: date, last: date) -> list[int] | None:
    """month * 100 + day of every day from ``first`` to ``last`` (29 February too when a
    28 February of a common year is among them); None for a year or more."""
    if (last - first).days >= 365:
        return None
    keys: set[int] = set()
    day = first
    while day <= last:
        keys.add(day.month * 100 + day.day)
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            keys.add(229)
        day += timedelta(days=1)
    return sorted(keys)


def _in_days(month: Any, day: Any, keys: list[int] | None) -> Any:
    """A condition on a (month, day) pair of columns: one range per month, so that the
    index on them is walked instead of every contact read."""
    if keys is None:
        return true()
    by_month: dict[int, list[int]] = {}
    for key in keys:
        by_month.setdefault(key // 100, []).append(key % 100)
    return or_(*(and_(month == m, day.between(min(days), max(days)))
                 for m, days in by_month.items()))


def _yearly_fields(session: Session) -> list[tuple[int, str, int | None, int, int, str, bool]]:
    """Custom date fields marked "every year": (contact, name, year, month, day, label,
    False) of each live value. Few (a field or two, set for some contacts): read whole,
    through the fields' own index; no such field (the usual case), no query of values."""
    fields = dict(session.execute(
        select(FieldDef.id, FieldDef.label)
        .where(FieldDef.type == DATE, FieldDef.calendar_yearly.is_(True),
               FieldDef.archived.is_(False))).all())
    if not fields:
        return []
    return [(cid, name, value.year, value.month, value.day, fields[fid], False)
            for cid, name, fid, value in session.execute(
                select(Contact.id, Contact.display_name, FieldValue.field_id,
                       FieldValue.value_date)
                .select_from(FieldValue)
                .join(Contact, Contact.id == FieldValue.contact_id)
                .where(FieldValue.field_id.in_(list(fields)),
                       FieldValue.value_date.is_not(None), Contact.deleted_at.is_(None))
            ).all()
            if value is not None]


def _occurrences(found: list[tuple[int, str, int | None, int, int, str, bool]], first: date,
                 last: date) -> list[YearlyDate]:
    out: list[YearlyDate] = []
    for cid, name, y, m, d, label, birthday in found:
        for year in range(first.year, last.year + 1):
            day = in_year(m, d, year)
            if day is None or not first <= day <= last:
                continue
            years = year - y if y is not None else None
            if years is not None and years < 0:
                continue
            out.append(YearlyDate(day, cid, name, label, years, birthday))
    out.sort(key=lambda x: (x.day, x.name, x.label))
    return out


def yearly_dates(session: Session, first: date, last: date) -> list[YearlyDate]:
    """Every yearly date from ``first`` to ``last`` (inclusive), by day then name."""
    found: list[tuple[int, str, int | None, int, int, str, bool]] = []
    live = Contact.deleted_at.is_(None)
    keys = _month_days(first, last)  # None: every day of the year
    births = _in_days(Contact.birthday_month, Contact.birthday_day, keys)
    dates = _in_days(ImportantDate.month, ImportantDate.day, keys)
    birthday_label = _("Birthday")
    for cid, name, y, m, d in session.execute(
        select(Contact.id, Contact.display_name, Contact.birthday_year, Contact.birthday_month,
               Contact.birthday_day)
        .where(live, Contact.birthday_month.is_not(None), Contact.birthday_day.is_not(None),
               births)
    ).all():
        found.append((cid, name, y, m or 0, d or 0, birthday_label, True))
    for cid, name, label, y, m, d in session.execute(
        select(Contact.id, Contact.display_name, ImportantDate.label, ImportantDate.year,
               ImportantDate.month, ImportantDate.day)
        .join(Contact, Contact.id == ImportantDate.contact_id)
        .where(live, dates)
    ).all():
        found.append((cid, name, y, m, d, label or _("Anniversary"), False))
    found += _yearly_fields(session)
    return _occurrences(found, first, last)


class DayDates(NamedTuple):
    """A month view's share of the yearly dates: the first few of each day, and how
    many each day has (a busy day at 100,000 contacts has two hundred birthdays; a
    cell shows four of them and "+N more")."""

    dates: list[YearlyDate]  # at most ``per_day`` a day, by day then name
    counts: dict[date, int]  # how many yearly dates each day has in all

    def of(self, day: date) -> list[YearlyDate]:
        return [y for y in self.dates if y.day == day]


def _segments(first: date, last: date) -> list[tuple[int, int, int, int]]:
    """(year, month, first day, last day) of each month's run of days in the range; a
    run that holds 28 February of a common year reaches to the 29th (it falls there)."""
    runs: dict[tuple[int, int], list[int]] = {}
    day = first
    while day <= last:
        runs.setdefault((day.year, day.month), []).append(day.day)
        day += timedelta(days=1)
    out = []
    for (year, month), days in runs.items():
        top = max(days)
        if month == 2 and top == 28 and not calendar.isleap(year):
            top = 29
        out.append((year, month, min(days), top))
    return out


def _source(birthday: bool) -> tuple[Any, ...]:
    """(month, day, year, label, order, table, live) of birthdays or important dates;
    the label's text is the bound parameter "label"."""
    text = bindparam("label", type_=String)
    if birthday:
        return (Contact.birthday_month, Contact.birthday_day, Contact.birthday_year, text,
                (Contact.display_name,), Contact.__table__, Contact.deleted_at.is_(None))
    label = func.coalesce(func.nullif(ImportantDate.label, ""), text)
    return (ImportantDate.month, ImportantDate.day, ImportantDate.year, label,
            (Contact.display_name, label),
            ImportantDate.__table__.join(Contact.__table__,
                                         Contact.id == ImportantDate.contact_id),
            Contact.deleted_at.is_(None))


@lru_cache(maxsize=16)
def _firsts(birthday: bool, days: int) -> Any:
    """The first "per_day" of each of ``days`` days (bound m0, d0, y0, m1 ...), one
    LIMIT query a day in one UNION ALL; made once per shape (building 84 SELECTs
    each time cost more than running them)."""
    month, day, year, label, order, table, live = _source(birthday)
    return union_all(*(
        select(Contact.id, Contact.display_name, label, year, month, day)
        .select_from(table)
        .where(live, month == bindparam(f"m{n}"), day == bindparam(f"d{n}"),
               or_(year.is_(None), year <= bindparam(f"y{n}")))
        .order_by(*order).limit(bindparam("per_day")).subquery().select()
        for n in range(days)))


@lru_cache(maxsize=16)
def _counts(birthday: bool, runs: int) -> Any:
    """How many each day has, over ``runs`` stretches of days (bound m0, lo0, hi0,
    y0 ...): a GROUP BY the (month, day) index answers."""
    month, day, year, _label, _order, table, live = _source(birthday)
    return (select(month, day, func.count()).select_from(table)
            .where(live, or_(*(and_(month == bindparam(f"m{n}"),
                                    day.between(bindparam(f"lo{n}"), bindparam(f"hi{n}")),
                                    or_(year.is_(None), year <= bindparam(f"y{n}")))
                               for n in range(runs))))
            .group_by(month, day))


def yearly_days(session: Session, first: date, last: date, per_day: int) -> DayDates:
    """The first ``per_day`` yearly dates of each day from ``first`` to ``last`` (less
    than a year), by name, and how many each day has: what a month view can show.

    Birthdays and important dates are counted a day at a time in SQL (a GROUP BY
    the index answers alone), and each day's first few are one LIMIT query per
    day, all sent as one UNION ALL: each walks its day's stretch of the index in
    name order and stops, so six weeks at 100,000 contacts are 500 rows and under
    a millisecond of SQLite instead of 9,000 rows. A day's whole list is
    yearly_dates over that day."""
    if (last - first).days >= 365:
        raise ValueError("yearly_days reads less than a year")
    segments = _segments(first, last)
    # (year, month, day) of each day; 29 February too where a common year's 28th is.
    wanted = [(y, m, d) for y, m, lo, hi in segments for d in range(lo, hi + 1)]

    def day_of(m: int, d: int) -> date | None:
        """The day in the range that (month, day) falls on."""
        for y, month, lo, hi in segments:
            if month == m and lo <= d <= hi:
                return in_year(m, d, y)
        return None

    found: list[tuple[int, str, int | None, int, int, str, bool]] = []
    counts: dict[date, int] = {}
    runs = {k: v for n, (y, m, lo, hi) in enumerate(segments)
            for k, v in ((f"m{n}", m), (f"lo{n}", lo), (f"hi{n}", hi), (f"y{n}", y))}
    days = {k: v for n, (y, m, d) in enumerate(wanted)
            for k, v in ((f"m{n}", m), (f"d{n}", d), (f"y{n}", y))}
    # Both read from their indexes (schema 8): a birthday's name, year and trash mark
    # are in the birthday index; an important date's contact is found by its key.
    for birthday, label in ((True, _("Birthday")), (False, _("Anniversary"))):
        for m, d, n in session.execute(_counts(birthday, len(segments)),
                                       {**runs, "label": label}).all():
            on = day_of(m, d)
            if on is not None:
                counts[on] = counts.get(on, 0) + n
        for cid, name, what, born, m, d in session.execute(
                _firsts(birthday, len(wanted)),
                {**days, "label": label, "per_day": per_day}).all():
            found.append((cid, name, born, m, d, what, birthday))
    fields = _occurrences(_yearly_fields(session), first, last)
    for y_date in fields:
        counts[y_date.day] = counts.get(y_date.day, 0) + 1
    shown = _occurrences(found, first, last) + fields
    shown.sort(key=lambda x: (x.day, x.name, x.label))
    kept: list[YearlyDate] = []
    per: dict[date, int] = {}
    for y_date in shown:
        if per.get(y_date.day, 0) < per_day:
            per[y_date.day] = per.get(y_date.day, 0) + 1
            kept.append(y_date)
    return DayDates(kept, counts)
