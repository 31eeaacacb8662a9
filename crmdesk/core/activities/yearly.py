"""Dates that come back every year on the calendar: birthdays, anniversaries, and
custom date fields marked "every year".

29 February falls on 28 February in the other years (as most people keep a
leap-day birthday). The age, or the number of years, shows when the year is
known. Read straight from the tables: they are a few columns of live contacts.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import and_, or_, select, true
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
    for cid, name, label, value in session.execute(
        select(Contact.id, Contact.display_name, FieldDef.label, FieldValue.value_date)
        .join(FieldValue, FieldValue.contact_id == Contact.id)
        .join(FieldDef, FieldDef.id == FieldValue.field_id)
        .where(live, FieldDef.type == DATE, FieldDef.calendar_yearly.is_(True),
               FieldDef.archived.is_(False), FieldValue.value_date.is_not(None))
    ).all():
        if value is not None:
            found.append((cid, name, value.year, value.month, value.day, label, False))
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
