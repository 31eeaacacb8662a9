"""The calendar in contact lookups: ``next_activity<2027-01-01``,
``has:next_activity``, ``missing:next_activity``, ``overdue:yes``.

A contact's next activity is the earliest open one from now on: a single
activity by its stored start, a series by its next occurrence not deleted or
moved away. Series are few (hundreds), so their next occurrences are worked
out here once per lookup with python-dateutil over wall times in the series'
zone, as activities/recurrence.py expands them (that package is a service
above this layer; the dozen lines are repeated rather than imported).
Overdue: an open single activity whose time has passed (an all-day one once
its day is over); the past occurrences of a series are not to-dos left undone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr
from sqlalchemy import ColumnElement, Select, and_, func, not_, or_, select
from sqlalchemy.orm import Session

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.fields.query import bad_date, date_range_of
from crmdesk.core.i18n import _
from crmdesk.core.lookup.registry import LookupContext, only, utc_bounds
from crmdesk.core.storage.models import Activity, ActivitySkip, Contact, activity_contact

OPEN = "open"
SEARCH_LIMIT = 1000  # occurrences tried past deleted ones before a series counts as done


def now_utc() -> datetime:
    """Now, as the file keeps times: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def _now(ctx: LookupContext) -> datetime:
    now: datetime = ctx.memo.setdefault("activities now", now_utc())
    return now


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def series_next(ctx: LookupContext) -> list[tuple[int, datetime]]:
    """(contact id, next occurrence in naive UTC) of every open series with a future."""
    memo: list[tuple[int, datetime]] | None = ctx.memo.get("series next")
    if memo is None:
        memo = ctx.memo["series next"] = open_series_next(ctx.session, _now(ctx))
    return memo


def open_series_next(session: Session, now: datetime,
                     contact_ids: Sequence[int] | None = None) -> list[tuple[int, datetime]]:
    """(contact id, next occurrence at or after ``now``, both naive UTC) of every open
    series with a future (of those with one of ``contact_ids`` on them, if given)."""
    stmt = (select(Activity.id, Activity.rrule, Activity.starts_at, Activity.tz)
            .where(Activity.rrule != "", Activity.state == OPEN,
                   or_(Activity.last_utc.is_(None), Activity.last_utc >= now)))
    if contact_ids is not None:
        stmt = stmt.where(Activity.id.in_(
            select(activity_contact.c.activity_id)
            .where(activity_contact.c.contact_id.in_(list(contact_ids)))))
    rows = session.execute(stmt).all()
    ids = [r[0] for r in rows]
    gone: set[tuple[int, datetime]] = set()
    people: dict[int, list[int]] = {}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        gone.update((a, w) for a, w in session.execute(
            select(ActivitySkip.activity_id, ActivitySkip.occurrence_at)
            .where(ActivitySkip.activity_id.in_(part))).all())
        gone.update((a, w) for a, w in session.execute(
            select(Activity.parent_id, Activity.recurrence_at)
            .where(Activity.parent_id.in_(part))).all() if a is not None and w is not None)
        for aid, cid in session.execute(
                select(activity_contact.c.activity_id, activity_contact.c.contact_id)
                .where(activity_contact.c.activity_id.in_(part))).all():
            people.setdefault(aid, []).append(cid)
    found: list[tuple[int, datetime]] = []
    for aid, rule, starts, tz_name in rows:
        if aid not in people:
            continue
        zone = _zone(tz_name)
        wall_now = now.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
        try:
            series = rrulestr(rule, dtstart=starts)
        except (ValueError, TypeError, KeyError):
            continue
        for tries, wall in enumerate(series.xafter(wall_now, inc=True)):
            if (aid, wall) not in gone:
                at = wall.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
                found += [(cid, at) for cid in people[aid]]
                break
            if tries > SEARCH_LIMIT:
                break
    return found


def next_singles(now: datetime) -> Select[Any]:
    """(contact_id, at): each contact's earliest open single activity from ``now`` on
    (naive UTC), a statement to join or to run for some contacts."""
    return (select(activity_contact.c.contact_id.label("contact_id"),
                   func.min(Activity.starts_utc).label("at"))
            .join(Activity, Activity.id == activity_contact.c.activity_id)
            .where(Activity.state == OPEN, Activity.rrule == "", Activity.starts_utc >= now)
            .group_by(activity_contact.c.contact_id))


def next_activity_times(session: Session, now: datetime,
                        contact_ids: Sequence[int]) -> dict[int, datetime]:
    """{contact id: its next activity (naive UTC)} of those of ``contact_ids`` that have
    one: the earliest open single one from now on, or a series' next occurrence."""
    found: dict[int, datetime] = {
        cid: at for cid, at in session.execute(
            next_singles(now).where(activity_contact.c.contact_id.in_(list(contact_ids))))
        .all()}
    wanted = set(contact_ids)
    for cid, at in open_series_next(session, now, contact_ids):
        if cid in wanted and (cid not in found or at < found[cid]):
            found[cid] = at
    return found


def _upcoming(ctx: LookupContext, before: datetime | None) -> ColumnElement[bool]:
    """Contacts with an open activity from now on (and before ``before``)."""
    now = _now(ctx)
    singles = (select(activity_contact.c.contact_id)
               .join(Activity, Activity.id == activity_contact.c.activity_id)
               .where(Activity.state == OPEN, Activity.rrule == "", Activity.starts_utc >= now))
    if before is not None:
        singles = singles.where(Activity.starts_utc < before)
    series = sorted({cid for cid, at in series_next(ctx) if before is None or at < before})
    cond = Contact.id.in_(singles)
    return or_(cond, Contact.id.in_(series)) if series else cond


def next_activity_present(ctx: LookupContext) -> ColumnElement[bool]:
    return _upcoming(ctx, None)


def next_activity(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    """``next_activity<2027-01-01`` etc.: compares the earliest upcoming activity."""
    r = date_range_of(value, ctx.today)
    if r is None:
        raise bad_date(value)
    start, end = utc_bounds(r)
    has = _upcoming(ctx, None)
    if op == "<":
        return _upcoming(ctx, start)
    if op == "<=":
        return _upcoming(ctx, end)
    if op == ">=":
        return and_(has, not_(_upcoming(ctx, start)))
    if op == ">":
        return and_(has, not_(_upcoming(ctx, end)))
    return and_(_upcoming(ctx, end), not_(_upcoming(ctx, start)))


def _overdue_ids(ctx: LookupContext) -> Any:
    now = _now(ctx)
    return (select(activity_contact.c.contact_id)
            .join(Activity, Activity.id == activity_contact.c.activity_id)
            .where(Activity.state == OPEN, Activity.rrule == "",
                   or_(and_(Activity.all_day.is_(False), Activity.starts_utc < now),
                       and_(Activity.all_day.is_(True), Activity.last_utc <= now))))


YES = ("yes", "true", "1")
NO = ("no", "false", "0")


def overdue(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    """``overdue:yes`` (an open activity whose time has passed) or ``overdue:no``."""
    only("overdue", op)
    wanted = value.strip().casefold()
    if wanted in YES or wanted == _("yes").casefold():
        return Contact.id.in_(_overdue_ids(ctx))
    if wanted in NO or wanted == _("no").casefold():
        return Contact.id.not_in(_overdue_ids(ctx))
    raise QuerySyntaxError(_("overdue: is yes or no, not {value!r}.").format(value=value))


def overdue_present(ctx: LookupContext) -> ColumnElement[bool]:
    return Contact.id.in_(_overdue_ids(ctx))
