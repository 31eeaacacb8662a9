"""Dates as people write them in a lookup: a day, a month, a year, or "this-month".

A lookup compares dates with ranges, not points: ``created:2026-03`` is all of
March, ``renewal<2026`` is before 1 January 2026, ``birthday:this-week`` the
seven days of this week. One function turns the words into a DateRange so
that built-in and custom fields (lookup.py, fields_query.py) read them the same
way. "Today" is always passed in, so tests (and a report run "as of" a date)
never depend on the clock.

Relative words are marked ``relative``: a birthday, or a custom date shown on
the calendar every year, matches them by month and day (a birthday "this
month" is this month in any year), while a plain date like 2026-03 keeps its
year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

# The words, for help texts and for the lookup's error message.
RELATIVE_WORDS = (
    "today", "yesterday", "tomorrow",
    "this-week", "last-week", "next-week",
    "this-month", "last-month", "next-month",
    "this-year", "last-year", "next-year",
    "next-N-days", "last-N-days",
)

_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")
_N_DAYS = re.compile(r"(next|last)-(\d{1,4})-days?")
MIN_YEAR = 1
MAX_YEAR = 9999


@dataclass(frozen=True)
class DateRange:
    """Every day from ``start`` to ``end``, both included."""

    start: date
    end: date
    relative: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _month(year: int, month: int) -> DateRange:
    last = calendar.monthrange(year, month)[1]
    return DateRange(date(year, month, 1), date(year, month, last))


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _relative(word: str, today: date) -> DateRange | None:
    if word == "today":
        return DateRange(today, today, True)
    if word == "yesterday":
        day = today - timedelta(days=1)
        return DateRange(day, day, True)
    if word == "tomorrow":
        day = today + timedelta(days=1)
        return DateRange(day, day, True)
    m = _N_DAYS.fullmatch(word)
    if m:
        n = int(m.group(2))
        if m.group(1) == "next":
            return DateRange(today, today + timedelta(days=n), True)
        return DateRange(today - timedelta(days=n), today, True)
    which, _sep, unit = word.partition("-")
    delta = {"this": 0, "last": -1, "next": 1}.get(which)
    if delta is None:
        return None
    if unit == "week":
        # ISO weeks (Monday first), the rule in most of the countries crmdesk serves.
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=delta)
        return DateRange(monday, monday + timedelta(days=6), True)
    if unit == "month":
        year, month = _shift_month(today.year, today.month, delta)
        r = _month(year, month)
        return DateRange(r.start, r.end, True)
    if unit == "year":
        year = today.year + delta
        return DateRange(date(year, 1, 1), date(year, 12, 31), True)
    return None


def parse_date_range(text: str, today: date) -> DateRange | None:
    """The days ``text`` names, or None if it names none.

    ISO forms (2026, 2026-03, 2026-03-05) and the relative words above; other
    spellings of a whole day (31.12.2026, 5 March 2026) are left to the
    caller's own date parser.
    """
    word = text.strip().lower()
    try:
        m = _ISO_DAY.fullmatch(word)
        if m:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return DateRange(day, day)
        m = _ISO_MONTH.fullmatch(word)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12 or year < MIN_YEAR:
                return None
            return _month(year, month)
        if _YEAR.fullmatch(word):
            year = int(word)
            if year < MIN_YEAR:
                return None
            return DateRange(date(year, 1, 1), date(year, 12, 31))
        return _relative(word, today)
    except (ValueError, OverflowError):
        return None


def month_day_ranges(r: DateRange) -> list[tuple[int, int]] | None:
    """The range as spans of month*100+day numbers, for matching anniversaries.

    None means "every day of the year" (a range of a year or more); a range
    that crosses New Year becomes two spans.
    """
    if r.days >= 366:
        return None
    start = r.start.month * 100 + r.start.day
    end = r.end.month * 100 + r.end.day
    if r.start.year == r.end.year:
        return [(start, end)]
    return [(start, 1231), (101, end)]
