"""Reminders: which are due now, and what the reminder window does with them.

An activity's ``reminded_utc`` says "occurrences starting at or before this
were seen": a reminder is due when its time (start minus ``reminder_min``)
has come, its occurrence starts after that mark, it is still open and it is
not snoozed past now. So reminders that fell due while crmdesk was closed are
due at the next start, one per activity (the latest occurrence of a series),
and dismissing the latest one settles those before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crmdesk.core.activities import recurrence
from crmdesk.core.activities.listing import Occurrence, occurrences_between
from crmdesk.core.activities.records import OPEN, _row
from crmdesk.core.changes import ACTIVITIES, CHANGED, Changes
from crmdesk.core.storage.models import Activity, utcnow

LOOK_BACK = timedelta(days=31)  # reminders older than this while closed are not raised


@dataclass(frozen=True)
class Reminder:
    occurrence: Occurrence
    due: datetime  # aware, local: when it was to be shown

    @property
    def activity_id(self) -> int:
        return self.occurrence.activity_id


def due_reminders(session: Session, now: datetime | None = None) -> list[Reminder]:
    """The reminders to show now, oldest due first."""
    here = recurrence.local_zone()
    current = now if now is not None else datetime.now(here)
    current_utc = recurrence.to_wall(current, recurrence.zone("UTC"))
    marks = {aid: (seen, snoozed) for aid, seen, snoozed in session.execute(
        select(Activity.id, Activity.reminded_utc, Activity.snoozed_utc)
        .where(Activity.reminder_min.is_not(None), Activity.state == OPEN,
               or_(Activity.snoozed_utc.is_(None), Activity.snoozed_utc <= current_utc))
    ).all()}
    if not marks:
        return []
    longest = session.scalar(select(Activity.reminder_min).where(
        Activity.reminder_min.is_not(None)).order_by(Activity.reminder_min.desc()).limit(1)) or 0
    # Whole days: the same range all day long, so a series' expansion is remembered
    # (recurrence.occurrences) instead of made again every half minute.
    first = datetime.combine((current - LOOK_BACK).date(), time.min, tzinfo=current.tzinfo)
    after = datetime.combine((current + timedelta(minutes=longest + 1)).date()
                             + timedelta(days=1), time.min, tzinfo=current.tzinfo)
    found = occurrences_between(session, first, after)
    latest: dict[int, Reminder] = {}
    for occ in found:
        if occ.activity_id not in marks or occ.reminder_min is None or occ.state != OPEN:
            continue
        due = occ.start - timedelta(minutes=occ.reminder_min)
        seen = marks[occ.activity_id][0]
        if due > current or (seen is not None and
                             recurrence.to_wall(occ.start, recurrence.zone("UTC")) <= seen):
            continue
        previous = latest.get(occ.activity_id)
        if previous is None or previous.occurrence.start < occ.start:
            latest[occ.activity_id] = Reminder(occ, due)
    return sorted(latest.values(), key=lambda r: (r.due, r.activity_id))


def dismiss(session: Session, reminder: Reminder) -> Changes:
    """Settle this reminder (and any earlier one of the same series)."""
    row = _row(session, reminder.activity_id)
    row.reminded_utc = recurrence.to_wall(reminder.occurrence.start, recurrence.zone("UTC"))
    row.snoozed_utc = None
    row.updated_at = utcnow()
    return Changes.of(ACTIVITIES, [row.id], CHANGED)


def snooze(session: Session, activity_id: int, until: datetime) -> Changes:
    """Show the reminder again at ``until`` (aware, or the user's wall time)."""
    row = _row(session, activity_id)
    if until.tzinfo is None:
        until = until.replace(tzinfo=recurrence.local_zone())
    row.snoozed_utc = recurrence.to_wall(until, recurrence.zone("UTC"))
    row.updated_at = utcnow()
    return Changes.of(ACTIVITIES, [row.id], CHANGED)


def snooze_choices(now: datetime) -> dict[str, datetime]:
    """The reminder window's snooze buttons: 5 minutes, an hour, tomorrow at 9:00."""
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time(9, 0), tzinfo=now.tzinfo)
    return {"5min": now + timedelta(minutes=5), "1h": now + timedelta(hours=1),
            "tomorrow": tomorrow}
