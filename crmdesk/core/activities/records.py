"""Activity services: schedule, edit, move, delete and clear what is planned.

Every write takes the caller's Session (one unit of work: a GUI action or a
CLI command) and returns ``Changes`` (ACTIVITIES, and HISTORY and CONTACTS
when clearing logs an entry). Times come in as the user reads them: a naive
datetime is a wall time in the user's zone (recurrence.local_zone), an aware
one is converted to it. The file keeps wall times with their zone's name, and
the same moments in naive UTC for range queries (see models.Activity).

A change to one occurrence of a series (THIS) makes it an activity of its own
(parent_id, recurrence_at: RFC 5545's RECURRENCE-ID); THIS_AND_FOLLOWING ends
the series before it and starts a new one there; ALL changes the series.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from crmdesk.core.activities import recurrence
from crmdesk.core.changes import ACTIVITIES, ADDED, CHANGED, REMOVED, Changes
from crmdesk.core.errors import CrmdeskError, NotFoundError, Problem, ValidationError
from crmdesk.core.history.records import InteractionData, log_interaction
from crmdesk.core.i18n import _
from crmdesk.core.lists.choices import resolve_choice
from crmdesk.core.storage.models import (
    ACTIVITY_KIND,
    Activity,
    ActivitySkip,
    Choice,
    Company,
    Contact,
    activity_contact,
    utcnow,
)
from crmdesk.core.text.validation import MAX_LONG, MAX_NAME, MAX_SHORT

THIS = "this"
THIS_AND_FOLLOWING = "following"
ALL = "all"
SCOPES = (THIS, THIS_AND_FOLLOWING, ALL)

OPEN = "open"
DONE = "done"
NOT_DONE = "not_done"

LOW, NORMAL, HIGH = 0, 1, 2
MAX_REMINDER = 60 * 24 * 365  # a year before, in minutes


@dataclass
class ActivityData:
    """Everything a user can see and edit on an activity."""

    kind: str  # a kind's name; an unknown name becomes a new list entry
    start: datetime  # naive: the user's wall time; all-day: midnight of the day
    title: str = ""
    end: datetime | None = None  # None: no end (a call, a to-do); all-day: the last day
    all_day: bool = False
    location: str = ""
    priority: int = NORMAL
    contact_ids: list[int] = field(default_factory=list)
    company_id: int | None = None  # None: the first contact's company
    notes: str = ""
    reminder_min: int | None = None  # None: no reminder; 0: at the time
    rrule: str = ""  # RFC 5545, without "RRULE:"; "" = once


@dataclass(frozen=True)
class ClearResult:
    changes: Changes
    activity_id: int  # the activity cleared (an occurrence of a series: its own row now)
    interaction_id: int | None  # the history entry written; None: no contact to write it for
    follow_up: ActivityData  # the next step, as the dialog offers it


def validate_activity(data: ActivityData) -> None:
    problems: list[Problem] = []
    kind = data.kind.strip()
    if not kind:
        problems.append(Problem("kind", _("Choose what it is: a call, a meeting, a to-do ...")))
    elif len(kind) > MAX_NAME:
        problems.append(Problem("kind", _("The kind is too long (at most {n} characters).")
                                .format(n=MAX_NAME)))
    if len(data.title.strip()) > MAX_SHORT:
        problems.append(Problem("title", _("The title is too long (at most {n} characters); "
                                           "put the rest in the notes.").format(n=MAX_SHORT)))
    if len(data.location.strip()) > MAX_SHORT:
        problems.append(Problem("location", _("The location is too long (at most {n} "
                                              "characters).").format(n=MAX_SHORT)))
    if len(data.notes) > MAX_LONG:
        problems.append(Problem("notes", _("The notes are too long.")))
    if data.priority not in (LOW, NORMAL, HIGH):
        problems.append(Problem("priority", _("The priority is low, normal or high.")))
    if data.reminder_min is not None and not 0 <= data.reminder_min <= MAX_REMINDER:
        problems.append(Problem("reminder_min", _("A reminder comes at the time or up to a "
                                                  "year before.")))
    if data.end is not None and _wall(data.end) < _wall(data.start):
        problems.append(Problem("end", _("It cannot end before it starts.")))
    if problems:
        raise ValidationError(problems)


def _wall(value: datetime | date) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return recurrence.to_wall(value, recurrence.local_zone())


def _span(data: ActivityData) -> tuple[datetime, datetime | None]:
    """Start and end wall times; an all-day one from midnight to the next midnight."""
    start = _wall(data.start)
    end = _wall(data.end) if data.end is not None else None
    if data.all_day:
        start = datetime.combine(start.date(), time.min)
        last = end.date() if end is not None else start.date()
        end = datetime.combine(last + timedelta(days=1), time.min)
    return start, end


def _utc(wall: datetime, tz_name: str) -> datetime:
    return recurrence.to_wall(recurrence.from_wall(wall, recurrence.zone(tz_name)),
                              recurrence.zone("UTC"))


def _last_utc(rule: str, start: datetime, end: datetime | None, tz: str) -> datetime | None:
    duration = (end - start) if end is not None else timedelta(0)
    if not rule:
        return _utc(start + duration, tz)
    last = recurrence.last_occurrence(rule, start)
    return None if last is None else _utc(last + duration, tz)


def _contacts(session: Session, ids: list[int]) -> dict[int, int | None]:
    wanted = list(dict.fromkeys(int(i) for i in ids))
    found = {cid: (company, deleted) for cid, company, deleted in session.execute(
        select(Contact.id, Contact.company_id, Contact.deleted_at)
        .where(Contact.id.in_(wanted))).all()}
    for cid in wanted:
        if cid not in found:
            raise NotFoundError(_("There is no contact {id}.").format(id=cid))
        if found[cid][1] is not None:
            raise CrmdeskError(_("Contact {id} is in the trash: restore it first to plan "
                                 "with it.").format(id=cid))
    return {cid: found[cid][0] for cid in wanted}


def _fill(session: Session, row: Activity, data: ActivityData, *, tz: str) -> None:
    validate_activity(data)
    contacts = _contacts(session, data.contact_ids)
    start, end = _span(data)
    rule = recurrence.check_rule(data.rrule, start) if data.rrule.strip() else ""
    company = data.company_id
    if company is not None and session.get(Company, company) is None:
        raise NotFoundError(_("There is no company {id}.").format(id=company))
    if company is None and contacts:
        company = next(iter(contacts.values()))
    row.kind_id = resolve_choice(session, ACTIVITY_KIND, data.kind)
    row.title = " ".join(data.title.split())
    row.starts_at, row.ends_at, row.all_day, row.tz = start, end, data.all_day, tz
    row.starts_utc = _utc(start, tz)
    row.last_utc = _last_utc(rule, start, end, tz)
    row.location = " ".join(data.location.split())
    row.priority = data.priority
    row.company_id = company
    row.notes = data.notes
    row.reminder_min = data.reminder_min
    row.rrule = rule
    row.updated_at = utcnow()
    session.flush()
    session.execute(delete(activity_contact).where(activity_contact.c.activity_id == row.id))
    if contacts:
        session.execute(insert(activity_contact),
                        [{"activity_id": row.id, "contact_id": c} for c in contacts])


def _new_row(session: Session, data: ActivityData, tz: str, **extra: object) -> Activity:
    now = utcnow()
    row = Activity(created_at=now, reminded_utc=now, state=OPEN, result="", **extra)
    _fill_defaults(row)
    session.add(row)
    _fill(session, row, data, tz=tz)
    return row


def _fill_defaults(row: Activity) -> None:
    row.title, row.location, row.notes, row.rrule = "", "", "", ""
    row.starts_at = row.starts_utc = datetime(2000, 1, 1)


def create_activity(session: Session, data: ActivityData) -> Changes:
    """Schedule something; returns ``Changes`` with the new id added."""
    row = _new_row(session, data, recurrence.local_zone().key)
    return Changes.of(ACTIVITIES, [row.id], ADDED)


def created_id(changes: Changes) -> int:
    """The id ``create_activity`` made (for the CLI and tests)."""
    return min(changes.added(ACTIVITIES))


def _row(session: Session, activity_id: int) -> Activity:
    row = session.get(Activity, activity_id)
    if row is None:
        raise NotFoundError(_("There is no activity {id}; it may have been deleted.")
                            .format(id=activity_id))
    return row


def _occurrence_wall(row: Activity, occurrence_at: datetime | None) -> datetime:
    if occurrence_at is None:
        raise CrmdeskError(_("Say which occurrence of the series is meant."))
    wall = recurrence.to_wall(occurrence_at, recurrence.zone(row.tz))
    hits = list(recurrence.occurrences(row.rrule, row.starts_at, wall,
                                       wall + timedelta(seconds=1)))
    if wall not in hits:
        raise NotFoundError(_("The series has no occurrence at {when}.").format(
            when=wall.strftime("%Y-%m-%d %H:%M")))
    return wall


def _detached(session: Session, series: Activity, wall: datetime) -> Activity:
    """The occurrence at ``wall`` of ``series`` as an activity of its own (made if need be)."""
    found = session.scalars(select(Activity).where(Activity.parent_id == series.id,
                                                   Activity.recurrence_at == wall)).first()
    if found is not None:
        return found
    data = snapshot(session, series.id)
    duration = (series.ends_at - series.starts_at) if series.ends_at is not None else None
    start = recurrence.from_wall(wall, recurrence.zone(series.tz))
    end = start + duration if duration is not None else None
    if series.all_day and end is not None:
        end -= timedelta(days=1)
    data = replace(data, rrule="", start=start, end=end)
    row = _new_row(session, data, series.tz, parent_id=series.id, recurrence_at=wall)
    row.reminded_utc = series.reminded_utc
    return row


def update_activity(session: Session, activity_id: int, data: ActivityData, *,
                    scope: str = ALL, occurrence_at: datetime | None = None) -> Changes:
    """Save an edited activity; for a series, ``scope`` says which occurrences."""
    if scope not in SCOPES:
        raise ValueError(scope)
    row = _row(session, activity_id)
    if not row.rrule or scope == ALL:
        _fill(session, row, data, tz=row.tz)
        row.snoozed_utc = None
        return Changes.of(ACTIVITIES, [row.id], CHANGED)
    wall = _occurrence_wall(row, occurrence_at)
    if scope == THIS:
        child = _detached(session, row, wall)
        _fill(session, child, replace(data, rrule=""), tz=row.tz)
        return Changes.of(ACTIVITIES, [row.id, child.id], CHANGED)
    if wall == row.starts_at:
        _fill(session, row, data, tz=row.tz)
        return Changes.of(ACTIVITIES, [row.id], CHANGED)
    rule = data.rrule.strip() or row.rrule
    if "COUNT=" in row.rrule.upper() and rule == row.rrule:
        total = int(next(i for i in row.rrule.upper().split(";")
                         if i.startswith("COUNT="))[6:])
        rule = recurrence.with_count(rule, max(1, total - recurrence.nth_before(
            row.rrule, row.starts_at, wall)))
    _end_series(session, row, wall)
    new = _new_row(session, replace(data, rrule=rule), row.tz)
    return Changes.of(ACTIVITIES, [row.id], CHANGED) | Changes.of(ACTIVITIES, [new.id], ADDED)


def _end_series(session: Session, row: Activity, wall: datetime) -> None:
    """End ``row``'s series just before wall time ``wall``; later detached ones go."""
    row.rrule = recurrence.truncated(row.rrule, wall)
    row.last_utc = _last_utc(row.rrule, row.starts_at, row.ends_at, row.tz)
    row.updated_at = utcnow()
    session.execute(delete(Activity).where(Activity.parent_id == row.id,
                                           Activity.recurrence_at >= wall))
    session.execute(delete(ActivitySkip).where(ActivitySkip.activity_id == row.id,
                                               ActivitySkip.occurrence_at >= wall))


def move_activity(session: Session, activity_id: int, new_start: datetime, *,
                  scope: str = ALL, occurrence_at: datetime | None = None) -> Changes:
    """Move to ``new_start`` keeping the length (the day and week grids' drag)."""
    row = _row(session, activity_id)
    data = snapshot(session, activity_id)
    start = _wall(new_start)
    if row.rrule and scope != ALL and occurrence_at is not None:
        base = _occurrence_wall(row, occurrence_at)
    else:
        base = row.starts_at
    shift = start - base
    data.start = recurrence.from_wall(row.starts_at + shift if scope == ALL else start,
                                      recurrence.zone(row.tz))
    if data.end is not None:
        length = (row.ends_at - row.starts_at) if row.ends_at is not None else timedelta(0)
        if row.all_day:
            length -= timedelta(days=1)
        data.end = data.start + length
    if row.rrule and scope == ALL and shift and "BY" in row.rrule.upper():
        # A weekly series on Mondays moved to Tuesday: the rule names the old day.
        parts = recurrence.parse_rule_parts(row.rrule)
        if parts is not None:
            data.rrule = recurrence.build_rule(replace(parts, weekdays=()),
                                               recurrence.to_wall(data.start,
                                                                  recurrence.zone(row.tz)))
    return update_activity(session, activity_id, data, scope=scope, occurrence_at=occurrence_at)


def delete_activity(session: Session, activity_id: int, *, scope: str = ALL,
                    occurrence_at: datetime | None = None) -> Changes:
    """Delete an activity, or occurrences of a series (``scope``)."""
    row = _row(session, activity_id)
    if not row.rrule or scope == ALL or (scope == THIS_AND_FOLLOWING
                                         and occurrence_at is not None
                                         and _occurrence_wall(row, occurrence_at)
                                         == row.starts_at):
        session.delete(row)
        session.flush()
        return Changes.of(ACTIVITIES, [activity_id], REMOVED)
    wall = _occurrence_wall(row, occurrence_at)
    if scope == THIS:
        session.execute(delete(Activity).where(Activity.parent_id == row.id,
                                               Activity.recurrence_at == wall))
        if session.get(ActivitySkip, (row.id, wall)) is None:
            session.add(ActivitySkip(activity_id=row.id, occurrence_at=wall))
    else:
        _end_series(session, row, wall)
    row.updated_at = utcnow()
    session.flush()
    return Changes.of(ACTIVITIES, [row.id], CHANGED)


def clear_activity(session: Session, activity_id: int, *, done: bool = True,
                   result: str = "", notes: str = "",
                   occurrence_at: datetime | None = None,
                   now: datetime | None = None) -> ClearResult:
    """Mark done or not done, write its history entry, and propose the next step.

    An occurrence of a series is cleared alone (it becomes an activity of its
    own); the series goes on. The history entry has the activity's kind, its
    title as subject, the result as outcome and the notes as details, dated
    now; an activity with nobody on it writes none (history is about people).
    """
    row = _row(session, activity_id)
    if len(result.strip()) > MAX_NAME:
        raise ValidationError([Problem("result", _("The result is too long (at most {n} "
                                                   "characters).").format(n=MAX_NAME))])
    changes = Changes()
    if row.rrule:
        wall = _occurrence_wall(row, occurrence_at) if occurrence_at is not None else \
            _next_open(session, row)
        row = _detached(session, row, wall)
        changes |= Changes.of(ACTIVITIES, [row.parent_id or row.id], CHANGED)
    if row.state != OPEN:
        raise CrmdeskError(_("This activity was cleared already ({when}).").format(
            when=row.cleared_utc.strftime("%Y-%m-%d %H:%M") if row.cleared_utc else ""))
    data = snapshot(session, row.id)
    row.state = DONE if done else NOT_DONE
    row.result = result.strip()
    if notes.strip():
        row.notes = (row.notes + "\n\n" + notes).strip() if row.notes else notes
    stamp = now if now is not None else datetime.now().astimezone()
    row.cleared_utc = recurrence.to_wall(stamp, recurrence.zone("UTC"))
    row.snoozed_utc = None
    row.updated_at = utcnow()
    interaction_id: int | None = None
    if data.contact_ids:
        title = data.title or data.kind
        subject = title if done else _("Not done: {title}").format(title=title)
        logged = log_interaction(session, InteractionData(
            kind=data.kind, subject=subject, at=stamp, outcome=result.strip(),
            details=notes, contact_ids=data.contact_ids, company_id=data.company_id))
        interaction_id = logged.ids[0]
        row.interaction_id = interaction_id
        changes |= logged.changes
    session.flush()
    follow = replace(data, rrule="", notes="", reminder_min=data.reminder_min,
                     start=_follow_up_start(stamp, data), end=None, all_day=data.all_day)
    return ClearResult(changes | Changes.of(ACTIVITIES, [row.id], CHANGED), row.id,
                       interaction_id, follow)


def _follow_up_start(now: datetime, data: ActivityData) -> datetime:
    """A week later, at the activity's own time of day (9:00 for an all-day one)."""
    day = (recurrence.to_wall(now, recurrence.local_zone()) + timedelta(days=7)).date()
    at = time(9, 0) if data.all_day else _wall(data.start).time()
    return datetime.combine(day, at)


def _next_open(session: Session, row: Activity) -> datetime:
    """The first occurrence of a series not yet cleared, skipped or detached."""
    gone = set(session.scalars(select(Activity.recurrence_at)
                               .where(Activity.parent_id == row.id)))
    gone |= set(session.scalars(select(ActivitySkip.occurrence_at)
                                .where(ActivitySkip.activity_id == row.id)))
    for count, wall in enumerate(recurrence.walk(row.rrule, row.starts_at, row.starts_at)):
        if wall not in gone:
            return wall
        if count > recurrence.MAX_OCCURRENCES:
            break
    raise CrmdeskError(_("Every occurrence of this series is cleared already."))


def follow_up_date(choice: str, today: date) -> date:
    """The Log Interaction dialog's "follow up" choices as a date."""
    from dateutil.relativedelta import relativedelta

    steps = {"tomorrow": relativedelta(days=1), "3days": relativedelta(days=3),
             "week": relativedelta(weeks=1), "month": relativedelta(months=1),
             "2months": relativedelta(months=2)}
    if choice not in steps:
        raise ValueError(choice)
    return today + steps[choice]


# -- reading -----------------------------------------------------------------------


def snapshot(session: Session, activity_id: int) -> ActivityData:
    """An activity as its edit dialog shows it (start and end aware, in its zone)."""
    row = _row(session, activity_id)
    tz = recurrence.zone(row.tz)
    kind = session.scalar(select(Choice.name).where(Choice.id == row.kind_id)) or ""
    contacts = list(session.scalars(
        select(activity_contact.c.contact_id).where(activity_contact.c.activity_id == row.id)
        .order_by(activity_contact.c.contact_id)))
    end: datetime | None = None
    if row.ends_at is not None:
        end = recurrence.from_wall(row.ends_at, tz)
        if row.all_day:
            end -= timedelta(days=1)
    return ActivityData(
        kind=kind, title=row.title, start=recurrence.from_wall(row.starts_at, tz), end=end,
        all_day=row.all_day, location=row.location, priority=row.priority,
        contact_ids=contacts, company_id=row.company_id, notes=row.notes,
        reminder_min=row.reminder_min, rrule=row.rrule)


def activity_state(session: Session, activity_id: int) -> tuple[str, str]:
    """(state, result) of an activity: OPEN, DONE or NOT_DONE."""
    row = _row(session, activity_id)
    return row.state, row.result


def activity_kinds(session: Session) -> list[str]:
    from crmdesk.core.lists.choices import list_choices

    return [c.name for c in list_choices(session, ACTIVITY_KIND)]


def schedule_follow_up(session: Session, contact_ids: list[int], subject: str,
                       day: date, *, kind: str = "") -> Changes:
    """The Log Interaction dialog's "follow up": a call with the same people on ``day``
    at 9:00, titled after what was logged."""
    from crmdesk.core.storage.models import ACTIVITY_KIND as _KIND

    first = session.scalar(select(Choice.name).where(Choice.kind == _KIND, Choice.archived
                                                     .is_(False))
                           .order_by(Choice.position, Choice.id).limit(1))
    title = _("Follow up: {subject}").format(subject=subject) if subject.strip() else \
        _("Follow up")
    return create_activity(session, ActivityData(
        kind=kind or first or _("Call"), title=title[:MAX_SHORT],
        start=datetime.combine(day, time(9, 0)), contact_ids=list(contact_ids),
        reminder_min=0))


@dataclass(frozen=True)
class StoredActivity:
    """An activity as a calendar file holds it (io/ics.py): wall times in ``tz``."""

    id: int
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    all_day: bool
    tz: str
    location: str
    priority: int
    notes: str
    reminder_min: int | None
    rrule: str
    state: str
    parent_id: int | None
    recurrence_at: datetime | None
    skips: tuple[datetime, ...]
    contact_names: tuple[str, ...]
    created_at: datetime
    updated_at: datetime


def stored_activities(session: Session, first: datetime | None = None,
                      last: datetime | None = None) -> list[StoredActivity]:
    """Every activity (or those meeting [first, last), aware bounds), series whole,
    with what moved or was deleted from them, series before their moved occurrences."""
    from sqlalchemy import or_

    stmt = select(Activity).order_by(Activity.parent_id.is_not(None), Activity.starts_utc,
                                     Activity.id)
    if first is not None and last is not None:
        lo = recurrence.to_wall(first, recurrence.zone("UTC"))
        hi = recurrence.to_wall(last, recurrence.zone("UTC"))
        stmt = stmt.where(Activity.starts_utc < hi,
                          or_(Activity.last_utc.is_(None), Activity.last_utc >= lo))
    rows = list(session.scalars(stmt))
    wanted = {r.id for r in rows}
    kinds = dict(session.execute(select(Choice.id, Choice.name)
                                 .where(Choice.kind == ACTIVITY_KIND)).all())
    skips: dict[int, list[datetime]] = {}
    for aid, wall in session.execute(select(ActivitySkip.activity_id,
                                            ActivitySkip.occurrence_at)).all():
        if aid in wanted:
            skips.setdefault(aid, []).append(wall)
    names: dict[int, list[str]] = {}
    for aid, name in session.execute(
            select(activity_contact.c.activity_id, Contact.display_name)
            .join(Contact, Contact.id == activity_contact.c.contact_id)).all():
        if aid in wanted:
            names.setdefault(aid, []).append(name)
    return [StoredActivity(
        r.id, kinds.get(r.kind_id or 0, ""), r.title, r.starts_at, r.ends_at, r.all_day, r.tz,
        r.location, r.priority, r.notes, r.reminder_min, r.rrule, r.state, r.parent_id,
        r.recurrence_at, tuple(sorted(skips.get(r.id, []))), tuple(names.get(r.id, [])),
        r.created_at, r.updated_at)
        for r in rows if r.parent_id is None or r.parent_id in wanted]


def skip_occurrence(session: Session, activity_id: int, wall: datetime) -> None:
    """Delete one occurrence of a series by its wall time (an imported EXDATE); one that is
    not there is passed over."""
    row = _row(session, activity_id)
    if session.get(ActivitySkip, (row.id, wall)) is None:
        session.add(ActivitySkip(activity_id=row.id, occurrence_at=wall))
        session.flush()
