"""Calendar files (.ics, RFC 5545) out and in, with the icalendar library.

Out: every activity a VEVENT (a to-do a VTODO) with its zone (VTIMEZONE
added), its RRULE (UNTIL in UTC, as RFC 5545 wants with a TZID), EXDATEs for
deleted occurrences, a VEVENT with RECURRENCE-ID for each moved or edited
one, and a VALARM for its reminder; other calendars (Outlook, Google,
Evolution, Thunderbird) import that.

In: events and to-dos become activities in the user's zone (a time given in
another zone is converted: a series from New York keeps the New York start of
its first occurrence); RRULE, EXDATE, RECURRENCE-ID overrides and a cancelled
occurrence are kept; what cannot be read is listed, by its summary, and the
rest is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import icalendar
from sqlalchemy.orm import Session

from crmdesk.core.activities import recurrence
from crmdesk.core.activities.records import (
    HIGH,
    LOW,
    NORMAL,
    THIS,
    ActivityData,
    StoredActivity,
    activity_kinds,
    create_activity,
    created_id,
    skip_occurrence,
    update_activity,
)
from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _

PRODID = "-//crmdesk//crmdesk calendar//EN"
TODO_KINDS = ("to-do", "todo", "task")


def _is_todo(kind: str) -> bool:
    return kind.casefold() in TODO_KINDS or kind.casefold() == _("To-do").casefold()


def _ics_priority(priority: int) -> int:
    return {HIGH: 1, NORMAL: 5, LOW: 9}.get(priority, 0)


def _until_utc(rule: str, tz: Any, all_day: bool) -> dict[str, Any]:
    """The rule as icalendar's vRecur, its UNTIL (a wall time here) in UTC."""
    parts: dict[str, Any] = dict(icalendar.vRecur.from_ical(rule))
    if "UNTIL" in parts:
        until = parts["UNTIL"][0]
        if isinstance(until, datetime):
            if all_day:
                parts["UNTIL"] = [until.date()]
            else:
                parts["UNTIL"] = [until.replace(tzinfo=tz).astimezone(UTC)]
    return parts


def write_ics(items: list[StoredActivity]) -> bytes:
    """A calendar file of ``items`` (series before their moved occurrences)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    parents = {a.id: a for a in items if a.parent_id is None}
    for a in items:
        tz = recurrence.zone(a.tz)
        todo = _is_todo(a.kind)
        comp: icalendar.cal.Component = icalendar.Todo() if todo else icalendar.Event()
        master = parents.get(a.parent_id) if a.parent_id is not None else a
        comp.add("uid", f"activity-{master.id if master else a.id}@crmdesk")
        comp.add("dtstamp", a.updated_at.replace(tzinfo=UTC))
        comp.add("created", a.created_at.replace(tzinfo=UTC))
        comp.add("summary", a.title or a.kind)
        if a.kind:
            comp.add("categories", [a.kind])
        if a.all_day:
            comp.add("dtstart", a.starts_at.date())
            if a.ends_at is not None:
                comp.add("due" if todo else "dtend", a.ends_at.date())
        else:
            comp.add("dtstart", a.starts_at.replace(tzinfo=tz))
            if a.ends_at is not None:
                comp.add("due" if todo else "dtend", a.ends_at.replace(tzinfo=tz))
        if a.location:
            comp.add("location", a.location)
        notes = a.notes
        if a.contact_names:
            notes = (_("With: {names}").format(names=", ".join(a.contact_names))
                     + ("\n\n" + notes if notes else ""))
        if notes:
            comp.add("description", notes)
        if a.priority != NORMAL:
            comp.add("priority", _ics_priority(a.priority))
        if todo:
            comp.add("status", "COMPLETED" if a.state == "done" else
                     "CANCELLED" if a.state == "not_done" else "NEEDS-ACTION")
        if a.rrule:
            comp.add("rrule", _until_utc(a.rrule, tz, a.all_day))
            for skip in a.skips:
                comp.add("exdate", skip.date() if a.all_day else skip.replace(tzinfo=tz))
        if a.parent_id is not None and a.recurrence_at is not None and master is not None:
            rid = a.recurrence_at
            comp.add("recurrence-id", rid.date() if master.all_day else rid.replace(tzinfo=tz))
        if a.reminder_min is not None:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", a.title or a.kind)
            alarm.add("trigger", timedelta(minutes=-a.reminder_min))
            comp.add_component(alarm)
        cal.add_component(comp)
    if hasattr(cal, "add_missing_timezones"):
        cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


# -- in -------------------------------------------------------------------------------


@dataclass
class IcsItem:
    data: ActivityData
    uid: str
    recurrence_id: datetime | None = None  # the wall time of the occurrence it replaces
    exdates: list[datetime] = field(default_factory=list)
    cancelled: bool = False


@dataclass
class IcsImport:
    changes: Changes
    added: int
    changed: int
    problems: list[str]


def _wall(value: Any) -> tuple[datetime, bool]:
    """(wall time in the user's zone, all day) of a DTSTART-like value."""
    here = recurrence.local_zone()
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value, False
        return value.astimezone(here).replace(tzinfo=None), False
    if isinstance(value, date):
        return datetime.combine(value, time.min), True
    raise ValueError(_("a date or time was expected"))


def _rule(comp: Any) -> str:
    rule = comp.get("rrule")
    if rule is None:
        return ""
    if isinstance(rule, list):
        rule = rule[0]
    parts = dict(rule)
    if "UNTIL" in parts:
        until = parts["UNTIL"][0]
        if isinstance(until, datetime):
            wall, _all_day = _wall(until)
            parts["UNTIL"] = [wall]
    text: bytes = icalendar.vRecur(parts).to_ical()  # type: ignore[no-untyped-call]
    return text.decode()


def _dates(comp: Any, key: str) -> list[datetime]:
    found: list[datetime] = []
    value = comp.get(key)
    if value is None:
        return found
    for entry in value if isinstance(value, list) else [value]:
        for dt in entry.dts:
            found.append(_wall(dt.dt)[0])
    return found


def _reminder(comp: Any) -> int | None:
    for alarm in comp.walk("VALARM"):
        trigger = alarm.get("trigger")
        if trigger is None:
            continue
        value = trigger.dt
        if isinstance(value, timedelta) and value <= timedelta(0):
            return int(-value.total_seconds() // 60)
    return None


def _priority(comp: Any) -> int:
    try:
        value = int(comp.get("priority", 0))
    except (TypeError, ValueError):
        return NORMAL
    if 1 <= value <= 4:
        return HIGH
    if 6 <= value <= 9:
        return LOW
    return NORMAL


def read_ics(raw: bytes, kinds: list[str]) -> tuple[list[IcsItem], list[str]]:
    """The events and to-dos of a calendar file; problems named by summary."""
    try:
        cals = icalendar.Calendar.from_ical(raw, multiple=True)
    except ValueError as exc:
        raise CrmdeskError(_("This is not a calendar file crmdesk can read ({error}).")
                           .format(error=exc)) from exc
    known = {k.casefold(): k for k in kinds}
    items: list[IcsItem] = []
    problems: list[str] = []
    for cal in cals:
        for comp in cal.walk():
            if comp.name not in ("VEVENT", "VTODO"):
                continue
            summary_value = comp.get("summary", "")
            if isinstance(summary_value, list):  # SUMMARY twice: the first one
                summary_value = summary_value[0] if summary_value else ""
            summary = str(summary_value).strip()
            try:
                todo = comp.name == "VTODO"
                begin = comp.get("dtstart") or comp.get("due")
                if begin is None:
                    raise ValueError(_("it has no date"))
                start, all_day = _wall(begin.dt)
                end: datetime | None = None
                if comp.get("dtend") is not None or (todo and comp.get("dtstart")
                                                     and comp.get("due")):
                    end = _wall((comp.get("dtend") or comp.get("due")).dt)[0]
                elif comp.get("duration") is not None:
                    end = start + comp.get("duration").dt
                if all_day and end is not None:
                    end = max(start, end - timedelta(days=1))  # DTEND is the day after
                if end is not None and end < start:
                    end = None
                categories = [str(c) for cat in (comp.get("categories") or [])
                              for c in (cat.cats if hasattr(cat, "cats") else [cat])]
                kind = next((known[c.casefold()] for c in categories
                             if c.casefold() in known), "")
                if not kind:
                    kind = known.get("to-do", "To-do") if todo else known.get("meeting",
                                                                              "Meeting")
                rid = comp.get("recurrence-id")
                status = str(comp.get("status", "")).upper()
                items.append(IcsItem(
                    ActivityData(kind=kind, title=summary[:500], start=start, end=end,
                                 all_day=all_day,
                                 location=str(comp.get("location", ""))[:500],
                                 priority=_priority(comp),
                                 notes=str(comp.get("description", "")),
                                 reminder_min=_reminder(comp), rrule=_rule(comp)),
                    uid=str(comp.get("uid", "")),
                    recurrence_id=_wall(rid.dt)[0] if rid is not None else None,
                    exdates=_dates(comp, "exdate"),
                    cancelled=status == "CANCELLED" and rid is not None))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                nameless = _("a to-do") if comp.name == "VTODO" else _("an event")
                problems.append(_("{what}: {error}").format(what=summary or nameless,
                                                           error=exc))
    return items, problems


def import_ics(session: Session, raw: bytes) -> IcsImport:
    """Import a calendar file's events and to-dos in the caller's unit of work."""
    items, problems = read_ics(raw, activity_kinds(session))
    changes = Changes()
    added = changed = 0
    masters: dict[str, int] = {}
    for item in sorted(items, key=lambda i: i.recurrence_id is not None):
        what = item.data.title or item.data.kind
        try:
            with session.begin_nested():  # one that fails leaves nothing behind
                changes, added, changed = _import_one(session, item, masters, changes,
                                                      added, changed)
        except CrmdeskError as exc:
            problems.append(_("{what}: {error}").format(what=what, error=exc))
    return IcsImport(changes, added, changed, problems)


def _import_one(session: Session, item: IcsItem, masters: dict[str, int], changes: Changes,
                added: int, changed: int) -> tuple[Changes, int, int]:
    """One event: a series, an occurrence of one already read (moved, edited or
    cancelled), or a single one."""
    if item.recurrence_id is not None and item.uid in masters:
        series = masters[item.uid]
        if item.cancelled:
            skip_occurrence(session, series, item.recurrence_id)
        else:
            changes |= update_activity(session, series, item.data, scope=THIS,
                                       occurrence_at=item.recurrence_id)
        return changes, added, changed + 1
    made = create_activity(session, item.data)
    if item.data.rrule:
        masters[item.uid] = created_id(made)
        for wall in item.exdates:
            skip_occurrence(session, masters[item.uid], wall)
    return changes | made, added + 1, changed
