"""Aware times in, naive UTC in the file, aware local times out.

The database keeps every timestamp as naive UTC (models.utcnow), which sorts
and compares the same on SQLite and PostgreSQL and never depends on the PC's
time zone. People, though, type and read their own clock: services take and
give aware datetimes, and a naive one from a caller is the PC's local time
(what a date picker or a typed "14:30" means). These helpers are the only
place that converts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


def to_stored(value: datetime) -> datetime:
    """Naive UTC for the database; a naive ``value`` is taken as local time."""
    return value.astimezone(UTC).replace(tzinfo=None)


def to_local(stored: datetime) -> datetime:
    """An aware datetime in the PC's time zone, from a stored naive UTC one."""
    return stored.replace(tzinfo=UTC).astimezone()


def now_local() -> datetime:
    return datetime.now().astimezone()


def day_start(day: date) -> datetime:
    """The start of a local day, as stored (naive UTC): the bound of a date filter."""
    return to_stored(datetime.combine(day, time.min))


def day_end(day: date) -> datetime:
    """The start of the next local day, as stored: an exclusive upper bound."""
    return day_start(day + timedelta(days=1))
