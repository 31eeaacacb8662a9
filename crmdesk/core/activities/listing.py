"""What the calendar shows: the occurrences in a range, the task list, the reminders.

One range query over stored UTC bounds (starts_utc, last_utc) finds the
activities that may meet the range; series are expanded in Python
(recurrence.occurrences), minus their deleted occurrences and those that live
on as activities of their own. Contacts' names and kinds' names come with one
query each, so a month of ten thousand activities is a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crmdesk.core.activities import recurrence
from crmdesk.core.activities.records import OPEN
from crmdesk.core.i18n import _
from crmdesk.core.storage.models import (
    ACTIVITY_KIND,
    Activity,
    ActivitySkip,
    Choice,
    Contact,
    activity_contact,
)

BATCH = 500
_COLUMNS = (Activity.id, Activity.kind_id, Activity.title, Activity.starts_at, Activity.ends_at,
            Activity.all_day, Activity.tz, Activity.location, Activity.priority,
            Activity.rrule, Activity.parent_id, Activity.recurrence_at, Activity.state,
            Activity.result, Activity.reminder_min, Activity.company_id)


class Occurrence(NamedTuple):
    """One thing on the calendar: an activity, or one occurrence of a series.

    A NamedTuple rather than a dataclass: a year of a busy calendar is tens of
    thousands of them, and a tuple is made several times faster."""

    activity_id: int  # the row to edit: the series for an occurrence of one
    start: datetime  # aware, in the user's zone
    end: datetime | None  # aware; all-day: the next midnight
    all_day: bool
    kind: str
    title: str
    location: str
    priority: int
    state: str  # OPEN, DONE, NOT_DONE
    result: str
    contact_ids: tuple[int, ...]
    contact_names: tuple[str, ...]
    company_id: int | None
    reminder_min: int | None
    series: bool  # an occurrence of a series (editing asks: this, following, all)
    occurrence_at: datetime | None  # the series' wall time of this occurrence
    detached_from: int | None = None  # an edited occurrence: its series

    @property
    def key(self) -> tuple[int, datetime | None]:
        return (self.activity_id, self.occurrence_at)

    def label(self) -> str:
        """Title, or kind and the first contact: what a calendar cell shows."""
        if self.title:
            return self.title
        who = self.contact_names[0] if self.contact_names else ""
        return f"{self.kind} {who}".strip()


def _order(o: Occurrence) -> tuple[datetime, bool, str, int]:
    return (o.start, not o.all_day, o.title, o.activity_id)


def _kinds(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Choice.id, Choice.name)
                                .where(Choice.kind == ACTIVITY_KIND)).all())


def _contacts_of(session: Session, ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for start in range(0, len(ids), BATCH):
        for aid, cid, name in session.execute(
            select(activity_contact.c.activity_id, Contact.id, Contact.display_name)
            .join(Contact, Contact.id == activity_contact.c.contact_id)
            .where(activity_contact.c.activity_id.in_(ids[start:start + BATCH]))
            .order_by(activity_contact.c.activity_id, Contact.sort_key)
        ).all():
            out[aid].append((cid, name))
    return out


def _utc(value: datetime) -> datetime:
    return recurrence.to_wall(value, recurrence.zone("UTC"))


def occurrences_between(session: Session, start: datetime, end: datetime, *,
                        contact_id: int | None = None, series: bool | None = None,
                        open_only: bool = False) -> list[Occurrence]:
    """Everything on the calendar that meets [start, end), in time order (aware bounds;
    naive ones are the user's wall time)."""
    here = recurrence.local_zone()
    start = start if start.tzinfo else start.replace(tzinfo=here)
    end = end if end.tzinfo else end.replace(tzinfo=here)
    lo, hi = _utc(start), _utc(end)
    # An all-day activity is a day in whatever zone the user is in: a day's margin.
    stmt = select(*_COLUMNS).where(
        Activity.starts_utc < hi + timedelta(days=1),
        or_(Activity.last_utc.is_(None), Activity.last_utc >= lo - timedelta(days=1)))
    if series is not None:  # only series (True) or only single activities (False)
        stmt = stmt.where(Activity.rrule != "" if series else Activity.rrule == "")
    if open_only:
        stmt = stmt.where(Activity.state == OPEN)
    if contact_id is not None:
        stmt = stmt.where(Activity.id.in_(
            select(activity_contact.c.activity_id)
            .where(activity_contact.c.contact_id == contact_id)))
    rows = session.execute(stmt).all()
    series_ids = [r[0] for r in rows if r[9]]
    gone: dict[int, set[datetime]] = defaultdict(set)
    for chunk in range(0, len(series_ids), BATCH):
        part = series_ids[chunk:chunk + BATCH]
        for sid, wall in session.execute(
            select(ActivitySkip.activity_id, ActivitySkip.occurrence_at)
            .where(ActivitySkip.activity_id.in_(part))
        ).all():
            gone[sid].add(wall)
        for parent, moved in session.execute(
            select(Activity.parent_id, Activity.recurrence_at)
            .where(Activity.parent_id.in_(part))
        ).all():
            if parent is not None and moved is not None:
                gone[parent].add(moved)
    kinds = _kinds(session)
    contacts = _contacts_of(session, [r[0] for r in rows])
    out: list[Occurrence] = []
    local_start, local_end = start.astimezone(here), end.astimezone(here)
    for (aid, kind_id, title, starts, ends, all_day, tz_name, location, priority, rule,
         parent, recurrence_at, state, result, reminder, company) in rows:
        tz = here if all_day else recurrence.zone(tz_name)
        same_zone = tz is here or tz.key == here.key
        duration = (ends - starts) if ends is not None else timedelta(0)
        walls: Iterable[datetime]
        if rule:
            skip = gone.get(aid, ())
            walls = [w for w in recurrence.occurrences(
                rule, starts, recurrence.to_wall(start, tz), recurrence.to_wall(end, tz),
                duration) if w not in skip]
        else:
            walls = [starts]
        people = contacts.get(aid, [])
        ids = tuple(c for c, _n in people)
        names = tuple(n for _c, n in people)
        kind = kinds.get(kind_id or 0, "")
        for wall in walls:
            if same_zone:
                begins = wall.replace(tzinfo=here)
                finishes = (wall + duration).replace(tzinfo=here) if ends is not None else None
            else:
                begins = wall.replace(tzinfo=tz).astimezone(here)
                finishes = ((wall + duration).replace(tzinfo=tz).astimezone(here)
                            if ends is not None else None)
            if begins >= local_end or (finishes or begins) < local_start or (
                    finishes is not None and finishes == local_start and finishes != begins):
                continue
            out.append(Occurrence(
                activity_id=aid, start=begins, end=finishes, all_day=all_day, kind=kind,
                title=title, location=location, priority=priority, state=state,
                result=result, contact_ids=ids, contact_names=names, company_id=company,
                reminder_min=reminder, series=bool(rule),
                occurrence_at=wall if rule else recurrence_at, detached_from=parent))
    out.sort(key=_order)
    return out


def open_tasks(session: Session, *, until: datetime, kinds: Iterable[str] = (),
               min_priority: int = 0, look_back_days: int = 365) -> list[Occurrence]:
    """Open calls, to-dos (any kind but meetings, unless ``kinds`` names them) due
    before ``until``, overdue ones first, for the task list; a series counts once."""
    here = recurrence.local_zone()
    now = datetime.now(here)
    # Single activities from a year back; a series only from now (its next occurrence).
    found = occurrences_between(session, now - timedelta(days=look_back_days), until,
                                series=False, open_only=True)
    if until > now:
        found += occurrences_between(session, now, until, series=True, open_only=True)
        found.sort(key=_order)
    wanted = {k.casefold() for k in kinds}
    meetings = {"meeting", _("Meeting").casefold()}
    out: list[Occurrence] = []
    series_seen: set[int] = set()
    for o in found:
        if o.state != OPEN or o.priority < min_priority:
            continue
        if wanted and o.kind.casefold() not in wanted:
            continue
        if not wanted and o.kind.casefold() in meetings:
            continue  # meetings are held, not ticked off: the calendar shows them
        if o.series:
            # A series is one task: its next open occurrence not yet past.
            if o.activity_id in series_seen or o.start < now:
                continue
            series_seen.add(o.activity_id)
        out.append(o)
    return out


def is_overdue(occurrence: Occurrence, now: datetime | None = None) -> bool:
    """Open and its time (its day, all day) is past."""
    current = now if now is not None else datetime.now(recurrence.local_zone())
    if occurrence.state != OPEN or occurrence.series:
        # A past occurrence of a series (the Monday stand-up) is not a to-do left undone.
        return False
    due = occurrence.end if occurrence.all_day and occurrence.end else occurrence.start
    return due < current


def next_activity_of(session: Session, contact_ids: list[int],
                     now: datetime | None = None) -> dict[int, datetime]:
    """{contact id: start of the next open activity} (a year ahead at most)."""
    current = now if now is not None else datetime.now(recurrence.local_zone())
    out: dict[int, datetime] = {}
    wanted = set(contact_ids)
    for occ in occurrences_between(session, current, current + timedelta(days=366)):
        if occ.state != OPEN:
            continue
        for cid in occ.contact_ids:
            if cid in wanted and cid not in out:
                out[cid] = occ.start
    return out
