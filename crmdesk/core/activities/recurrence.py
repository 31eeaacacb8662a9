"""Series of activities: RFC 5545 rules, built, checked and expanded in local time.

A rule is expanded by python-dateutil over *wall-clock* times (naive
datetimes in the activity's zone), and each occurrence gets its zone only
afterwards: a weekly meeting at 9:00 is at 9:00 on both sides of a DST
change, as a person means it, and not at 8:00 or 10:00 as a fixed UTC step
would put it. A wall time that a DST change skips (2:30 on the spring-forward
night) takes the zone's offset from before the change (zoneinfo's fold=0).

``monthly_by_date`` asks for the 29th, 30th or 31st as a person means it: on
the last day of a shorter month (RFC 5545 itself skips such months; a rule
typed or imported as BYMONTHDAY=31 keeps that meaning). The same way a yearly
series on 29 February falls on 28 February in other years.
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

from crmdesk.core.errors import Problem, ValidationError
from crmdesk.core.i18n import _

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
MAX_OCCURRENCES = 100_000  # a range asked of one series; more is a mistake, not a calendar


def local_zone() -> ZoneInfo:
    """The user's zone, by its IANA name (TZ if it names one, else the system's)."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return _zone(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        import tzlocal

        found = tzlocal.get_localzone()
        if isinstance(found, ZoneInfo):
            return found
        return _zone(str(found))
    except Exception:  # no zone to be found: UTC rather than no calendar
        return _zone("UTC")


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone(name: str) -> ZoneInfo:
    """The zone called ``name``; UTC for a name this PC does not know."""
    try:
        return _zone(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return _zone("UTC")


def to_wall(value: datetime, tz: ZoneInfo) -> datetime:
    """The naive wall time in ``tz`` of ``value`` (a naive one is that wall time already)."""
    if value.tzinfo is None:
        return value
    return value.astimezone(tz).replace(tzinfo=None)


def from_wall(wall: datetime, tz: ZoneInfo) -> datetime:
    """The aware moment of the wall time ``wall`` in ``tz``."""
    return wall.replace(tzinfo=tz)


@dataclass(frozen=True)
class RuleParts:
    """What the recurrence editor shows: a rule as a person picks it."""

    freq: str = "WEEKLY"  # one of FREQS
    interval: int = 1
    weekdays: tuple[str, ...] = ()  # weekly: MO, TU ...
    monthly_by: str = "date"  # monthly: "date" (the 15th) or "weekday" (second Tuesday)
    count: int | None = None  # N times
    until: date | None = None  # until a date (inclusive)


def build_rule(parts: RuleParts, start: datetime) -> str:
    """The RFC 5545 rule (without "RRULE:") for ``parts`` starting at wall time ``start``."""
    if parts.freq not in FREQS:
        raise ValidationError([Problem("rrule", _("Repeat daily, weekly, monthly or yearly."))])
    items = [f"FREQ={parts.freq}"]
    if parts.interval > 1:
        items.append(f"INTERVAL={parts.interval:d}")
    if parts.freq == "WEEKLY":
        days = [d for d in WEEKDAYS if d in parts.weekdays] or [WEEKDAYS[start.weekday()]]
        items.append("BYDAY=" + ",".join(days))
    elif parts.freq == "MONTHLY":
        if parts.monthly_by == "weekday":
            nth = (start.day - 1) // 7 + 1
            last = (start + timedelta(days=7)).month != start.month
            pos = -1 if nth == 5 or (last and nth > 4) else nth
            items.append(f"BYDAY={pos:d}{WEEKDAYS[start.weekday()]}")
        elif start.day > 28:
            items.append("BYMONTHDAY=" + ",".join(str(d) for d in range(28, start.day + 1)))
            items.append("BYSETPOS=-1")
        else:
            items.append(f"BYMONTHDAY={start.day:d}")
    elif parts.freq == "YEARLY" and (start.month, start.day) == (2, 29):
        items += ["BYMONTH=2", "BYMONTHDAY=28,29", "BYSETPOS=-1"]
    if parts.count is not None:
        items.append(f"COUNT={parts.count:d}")
    elif parts.until is not None:
        items.append("UNTIL=" + parts.until.strftime("%Y%m%d") + "T235959")
    return ";".join(items)


def parse_rule_parts(rule: str) -> RuleParts | None:
    """The editor's view of ``rule``; None for a rule it cannot show (kept as typed)."""
    if not rule:
        return None
    fields: dict[str, str] = {}
    for item in rule.upper().split(";"):
        key, _sep, value = item.partition("=")
        fields[key.strip()] = value.strip()
    freq = fields.get("FREQ", "")
    if freq not in FREQS:
        return None
    until: date | None = None
    if "UNTIL" in fields:
        try:
            until = datetime.strptime(fields["UNTIL"][:8], "%Y%m%d").date()
        except ValueError:
            return None
    byday = fields.get("BYDAY", "")
    weekdays = tuple(d for d in byday.split(",") if d in WEEKDAYS)
    try:
        return RuleParts(
            freq=freq, interval=int(fields.get("INTERVAL", "1")),
            weekdays=weekdays if freq == "WEEKLY" else (),
            monthly_by="weekday" if freq == "MONTHLY" and byday else "date",
            count=int(fields["COUNT"]) if "COUNT" in fields else None, until=until)
    except ValueError:
        return None


def check_rule(rule: str, start: datetime) -> str:
    """``rule`` tidied ("RRULE:" dropped, upper case); ValidationError names what is wrong."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    text = text.upper()
    if not text:
        return ""
    try:
        parsed = rrulestr(text, dtstart=start.replace(tzinfo=None))
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationError([Problem("rrule", _(
            "The repeat rule {rule!r} is not a rule crmdesk understands ({error}). Write it "
            "as in a calendar file, e.g. FREQ=WEEKLY;BYDAY=MO,WE.").format(
                rule=rule, error=exc))]) from exc
    if not isinstance(parsed, rrule):
        raise ValidationError([Problem("rrule", _("Give one repeat rule, not a set."))])
    if "FREQ=" not in text:
        raise ValidationError([Problem("rrule", _("A repeat rule needs FREQ=, e.g. "
                                                  "FREQ=DAILY."))])
    if parsed.after(start.replace(tzinfo=None) - timedelta(seconds=1), inc=True) is None:
        raise ValidationError([Problem("rrule", _("This repeat rule never happens after its "
                                                  "start."))])
    return text


@lru_cache(maxsize=4096)
def _parsed(rule: str, start: datetime) -> rrule:
    result = rrulestr(rule, dtstart=start, cache=False)
    assert isinstance(result, rrule)
    return result


def occurrences(rule: str, start: datetime, after: datetime, before: datetime,
                duration: timedelta = timedelta(0)) -> tuple[datetime, ...]:
    """The wall times of ``rule`` from ``start`` whose span meets [after, before).

    All naive wall times in the series' zone. An occurrence that began before
    ``after`` but lasts into it is included. A series is expanded once (its
    wall times kept in order, extended as later ranges are asked for) and a
    range is cut from it by bisection: dateutil walks a rule from its start
    every time it is asked, and the calendar asks for six weeks, then the next
    six, then the agenda's next month, each after every change.
    """
    return _expansion(rule, start).between(after - duration, before, after, duration)


class _Expansion:
    """A series' wall times generated so far, in order; extended when a later range
    is asked for (under a lock: the reader thread and the reminders both ask)."""

    def __init__(self, rule: str, start: datetime) -> None:
        self._walls: list[datetime] = []
        self._source: Iterator[datetime] | None = iter(_parsed(rule, start))
        self._lock = threading.Lock()

    def _reach(self, before: datetime) -> None:
        """Generate until a wall time at or after ``before`` (or the series' end)."""
        if self._source is None or (self._walls and self._walls[-1] >= before):
            return
        with self._lock:
            walls, source = self._walls, self._source
            if source is None or (walls and walls[-1] >= before):
                return  # another thread got there first
            for wall in source:
                walls.append(wall)
                if wall >= before:
                    break
                if len(walls) >= MAX_OCCURRENCES:
                    self._source = None  # a rule this dense is a mistake, not a calendar
                    break
            else:
                self._source = None  # the series has ended

    def between(self, first: datetime, before: datetime, after: datetime,
                duration: timedelta) -> tuple[datetime, ...]:
        """Wall times in [first, before) whose span reaches past ``after``."""
        self._reach(before)
        walls = self._walls
        lo = bisect_left(walls, first)
        found = walls[lo:bisect_left(walls, before, lo)]
        if found and found[0] < after:
            # Those that began before ``after`` count only if they last into it.
            return tuple(w for w in found if w >= after or w + duration > after)
        return tuple(found)


@lru_cache(maxsize=4096)
def _expansion(rule: str, start: datetime) -> _Expansion:
    return _Expansion(rule, start)


def walk(rule: str, start: datetime, after: datetime) -> Iterator[datetime]:
    """Every wall time of ``rule`` from ``after`` on (a generator: a series may not end)."""
    return _parsed(rule, start).xafter(after, inc=True)


def last_occurrence(rule: str, start: datetime) -> datetime | None:
    """The wall time of the last occurrence; None for a series without end."""
    series = _parsed(rule, start)
    text = rule.upper()
    if "COUNT=" not in text and "UNTIL=" not in text:
        return None
    last = None
    for last in series:  # noqa: B007 - bounded by COUNT or UNTIL
        pass
    return last


def nth_before(rule: str, start: datetime, wall: datetime) -> int:
    """How many occurrences come before wall time ``wall`` (to split a COUNT series)."""
    return sum(1 for _w in _parsed(rule, start).xafter(start, inc=True) if _w < wall)


def truncated(rule: str, before: datetime) -> str:
    """``rule`` ended just before wall time ``before`` (COUNT replaced by UNTIL)."""
    items = [i for i in rule.split(";") if not i.upper().startswith(("COUNT=", "UNTIL="))]
    end = before - timedelta(seconds=1)
    items.append("UNTIL=" + end.strftime("%Y%m%dT%H%M%S"))
    return ";".join(items)


def with_count(rule: str, count: int) -> str:
    items = [i for i in rule.split(";") if not i.upper().startswith(("COUNT=", "UNTIL="))]
    return ";".join([*items, f"COUNT={count:d}"])
