"""What the calendar shows: the occurrences in a range, the task list, the reminders.

One range query over stored UTC bounds (starts_utc, last_utc) finds the
activities that may meet the range; series are expanded in Python
(recurrence.occurrences), minus their deleted occurrences and those that live
on as activities of their own. Contacts' names and kinds' names come with one
query each, so a month of ten thousand activities is a handful of queries.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

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

# The tables themselves, not the ORM classes: a range is read as plain rows.
_T = Activity.__table__
_C = Contact.__table__
_S = ActivitySkip.__table__
_COLUMNS = (_T.c.id, _T.c.kind_id, _T.c.title, _T.c.starts_at, _T.c.ends_at, _T.c.all_day,
            _T.c.tz, _T.c.location, _T.c.priority, _T.c.rrule, _T.c.parent_id,
            _T.c.recurrence_at, _T.c.state, _T.c.result, _T.c.reminder_min, _T.c.company_id)


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


# Naive datetime plus timedelta is wall-clock arithmetic, and so is an aware one with
# a zoneinfo zone: ``epoch + (wall - _EPOCH)`` is ``wall`` in that zone (fold 0, as
# dateutil's walls are), made without datetime.replace's keyword parsing.
_EPOCH = datetime(2000, 1, 1)


def _order(o: Occurrence) -> tuple[datetime, bool, str, int]:
    return (o.start, not o.all_day, o.title, o.activity_id)


def _kinds(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Choice.id, Choice.name)
                                .where(Choice.kind == ACTIVITY_KIND)).all())


def _where(lo: datetime, hi: datetime, *, contact_id: int | None, series: bool | None,
           open_only: bool) -> list[Any]:
    """What a range query asks of ``activity`` (its rows, their contacts, their series'
    exceptions: the same conditions, so each is one query however many rows meet)."""
    # An all-day activity is a day in whatever zone the user is in: a day's margin.
    where: list[Any] = [_T.c.starts_utc < hi + timedelta(days=1),
                        or_(_T.c.last_utc.is_(None), _T.c.last_utc >= lo - timedelta(days=1))]
    if series is not None:  # only series (True) or only single activities (False)
        where.append(_T.c.rrule != "" if series else _T.c.rrule == "")
    if open_only:
        where.append(_T.c.state == OPEN)
    if contact_id is not None:
        where.append(_T.c.id.in_(select(activity_contact.c.activity_id)
                                 .where(activity_contact.c.contact_id == contact_id)))
    return where


def _contacts_in(session: Session, where: list[Any]) -> dict[int, list[tuple[int, str]]]:
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for aid, cid, name in session.execute(
        select(activity_contact.c.activity_id, _C.c.id, _C.c.display_name)
        .select_from(_T.join(activity_contact, activity_contact.c.activity_id == _T.c.id)
                     .join(_C, _C.c.id == activity_contact.c.contact_id))
        .where(*where)
        .order_by(activity_contact.c.activity_id, _C.c.sort_key)
    ).all():
        out[aid].append((cid, name))
    return out


def _exceptions_of(session: Session, series: set[int]) -> dict[int, set[datetime]]:
    """{series id: wall times not to show}: deleted occurrences, and those that live on
    as activities of their own (shown as themselves).

    Both are few beside the activities (a deleted or moved occurrence now and then),
    so the two tables are read whole (the moved ones through the index on parent_id)
    rather than joined to the range again, which walks it a second time."""
    gone: dict[int, set[datetime]] = defaultdict(set)
    for sid, wall in session.execute(select(_S.c.activity_id, _S.c.occurrence_at)).all():
        if sid in series:
            gone[sid].add(wall)
    for parent, moved in session.execute(
        select(_T.c.parent_id, _T.c.recurrence_at)
        .where(_T.c.parent_id.is_not(None), _T.c.recurrence_at.is_not(None))
    ).all():
        if parent in series:
            gone[parent].add(moved)
    return gone


def _utc(value: datetime) -> datetime:
    return recurrence.to_wall(value, recurrence.zone("UTC"))


@contextmanager
def _no_collections() -> Iterator[None]:
    """No cyclic garbage collection while a range is read and its occurrences made.

    They are thousands of new rows and tuples at once, none of them garbage:
    every 700 made, Python would look for cycles among them, and every few ranges
    it walked the whole heap (measured: a month view every fifth time twice as
    long). The collector runs as usual afterwards, once, on what is left."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def occurrences_between(session: Session, start: datetime, end: datetime, *,
                        contact_id: int | None = None, series: bool | None = None,
                        open_only: bool = False, starting: bool = False) -> list[Occurrence]:
    """Everything on the calendar that meets [start, end), in time order (aware bounds;
    naive ones are the user's wall time); with ``starting``, only what starts in it
    (the agenda's later days: what began before them is listed already).

    Plain rows, not ORM objects, and one query each for the activities, their
    contacts and their series' exceptions; a series is expanded once and a range
    cut from it (recurrence.occurrences). Occurrences are made as plain tuples in
    the order of their fields: a year of a busy calendar is 40,000 of them."""
    here = recurrence.local_zone()
    start = start if start.tzinfo else start.replace(tzinfo=here)
    end = end if end.tzinfo else end.replace(tzinfo=here)
    where = _where(_utc(start), _utc(end), contact_id=contact_id, series=series,
                   open_only=open_only)
    with _no_collections():
        rows = session.execute(select(*_COLUMNS).where(*where)).all()
        if not rows:
            return []
        series_ids = {r[0] for r in rows if r[9]}
        gone = _exceptions_of(session, series_ids) if series_ids else {}
        kinds = _kinds(session)
        contacts = _contacts_in(session, where)
        return _made(rows, gone, kinds, contacts, here, start, end, starting)


def _made(rows: Any, gone: dict[int, set[datetime]], kinds: dict[int, str],
          contacts: dict[int, list[tuple[int, str]]], here: ZoneInfo, start: datetime,
          end: datetime, starting: bool) -> list[Occurrence]:
    """The occurrences of ``rows`` in [start, end), in time order."""
    out: list[Occurrence] = []
    add = out.append
    make = tuple.__new__
    local_start, local_end = start.astimezone(here), end.astimezone(here)
    wall_start, wall_end = local_start.replace(tzinfo=None), local_end.replace(tzinfo=None)
    nothing: tuple[()] = ()
    epoch = _EPOCH.replace(tzinfo=here)
    for (aid, kind_id, title, starts, ends, all_day, tz_name, location, priority, rule,
         parent, recurrence_at, state, result, reminder, company) in rows:
        tz = here if all_day else recurrence.zone(tz_name)
        same_zone = tz is here or tz.key == here.key
        timed = ends is not None
        duration = (ends - starts) if timed else timedelta(0)
        walls: Iterable[datetime]
        if rule:
            walls = recurrence.occurrences(
                rule, starts, recurrence.to_wall(start, tz), recurrence.to_wall(end, tz),
                duration)
            skip = gone.get(aid)
            if skip:
                walls = [w for w in walls if w not in skip]
        else:
            walls = (starts,)
        people = contacts.get(aid)
        ids = tuple(c for c, _n in people) if people else nothing
        names = tuple(n for _c, n in people) if people else nothing
        kind = kinds.get(kind_id or 0, "")
        series_row = bool(rule)
        for wall in walls:
            if same_zone:
                # Wall times in the user's own zone: compared as they are, and made
                # aware only when shown.
                last = wall + duration if timed else wall
                if wall >= wall_end or last < wall_start or (
                        timed and last == wall_start and last != wall) or (
                        starting and wall < wall_start):
                    continue
                begins = epoch + (wall - _EPOCH)  # wall.replace(tzinfo=here), 10x faster
                finishes = begins + duration if timed else None
            else:
                begins = wall.replace(tzinfo=tz).astimezone(here)
                finishes = ((wall + duration).replace(tzinfo=tz).astimezone(here)
                            if timed else None)
                if begins >= local_end or (finishes or begins) < local_start or (
                        finishes is not None and finishes == local_start
                        and finishes != begins) or (starting and begins < local_start):
                    continue
            add(make(Occurrence, (aid, begins, finishes, all_day, kind, title, location,
                                  priority, state, result, ids, names, company, reminder,
                                  series_row, wall if series_row else recurrence_at,
                                  parent)))
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
