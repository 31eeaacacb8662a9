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
rest is imported. ``import_ics`` is the one import of `crmdesk import FILE.ics`,
`crmdesk calendar-import`, File > Import… and the Calendar view's Import .ics…;
``export_calendar`` the one export of `crmdesk export --format ics` and
`crmdesk calendar-export`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
from sqlalchemy import select
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
    stored_activities,
    update_activity,
)
from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.storage.models import activity_contact

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
    todo: bool = False  # a VTODO (else a VEVENT)


@dataclass
class IcsImport:
    changes: Changes
    added: int  # activities made: events and to-dos (a series counts once)
    changed: int  # occurrences of those series moved, edited or cancelled
    problems: list[str]
    events: int = 0  # of ``added``: from a VEVENT
    todos: int = 0  # of ``added``: from a VTODO


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


# What a calendar file may hold at its top: a calendar, or (from older programs) its
# events and to-dos without one around them.
_CALENDAR_PARTS = ("VCALENDAR", "VEVENT", "VTODO", "VJOURNAL", "VTIMEZONE", "VFREEBUSY")


def read_ics(raw: bytes, kinds: list[str]) -> tuple[list[IcsItem], list[str]]:
    """The events and to-dos of a calendar file; problems named by summary."""
    try:
        cals = icalendar.Calendar.from_ical(raw, multiple=True)
    except ValueError as exc:
        raise CrmdeskError(_("This is not a calendar file crmdesk can read ({error}).")
                           .format(error=exc)) from exc
    if not any(getattr(cal, "name", "") in _CALENDAR_PARTS for cal in cals):
        # A vCard, or a calendar cut off before its END:VCALENDAR.
        raise CrmdeskError(_("This is not a calendar file crmdesk can read: it holds no "
                             "whole calendar (BEGIN:VCALENDAR … END:VCALENDAR)."))
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
                    cancelled=status == "CANCELLED" and rid is not None, todo=todo))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                nameless = _("a to-do") if comp.name == "VTODO" else _("an event")
                problems.append(_("{what}: {error}").format(what=summary or nameless,
                                                           error=exc))
    return items, problems


def import_ics(session: Session, raw: bytes) -> IcsImport:
    """Import a calendar file's events and to-dos in the caller's unit of work."""
    items, problems = read_ics(raw, activity_kinds(session))
    result = IcsImport(Changes(), 0, 0, problems)
    masters: dict[str, int] = {}
    for item in sorted(items, key=lambda i: i.recurrence_id is not None):
        what = item.data.title or item.data.kind
        try:
            with session.begin_nested():  # one that fails leaves nothing behind
                _import_one(session, item, masters, result)
        except CrmdeskError as exc:
            problems.append(_("{what}: {error}").format(what=what, error=exc))
    return result


def _import_one(session: Session, item: IcsItem, masters: dict[str, int],
                result: IcsImport) -> None:
    """One event: a series, an occurrence of one already read (moved, edited or
    cancelled), or a single one."""
    if item.recurrence_id is not None and item.uid in masters:
        series = masters[item.uid]
        if item.cancelled:
            skip_occurrence(session, series, item.recurrence_id)
        else:
            result.changes |= update_activity(session, series, item.data, scope=THIS,
                                              occurrence_at=item.recurrence_id)
        result.changed += 1
        return
    made = create_activity(session, item.data)
    if item.data.rrule:
        masters[item.uid] = created_id(made)
        for wall in item.exdates:
            skip_occurrence(session, masters[item.uid], wall)
    result.changes |= made
    result.added += 1
    if item.todo:
        result.todos += 1
    else:
        result.events += 1


def import_summary(result: IcsImport, *, dry_run: bool = False) -> str:
    """What an import added (or would add), in a sentence: "3 events and 1 to-do
    added to the calendar." """
    events = ngettext("{n} event", "{n} events", result.events).format(n=result.events)
    todos = ngettext("{n} to-do", "{n} to-dos", result.todos).format(n=result.todos)
    if dry_run:
        text = _("Dry run: {events} and {todos} would be added to the calendar.").format(
            events=events, todos=todos)
    else:
        text = _("{events} and {todos} added to the calendar.").format(events=events,
                                                                     todos=todos)
    if result.changed:
        text += " " + ngettext("{n} occurrence of a series moved, edited or cancelled.",
                               "{n} occurrences of series moved, edited or cancelled.",
                               result.changed).format(n=result.changed)
    return text


# -- which file is a calendar ---------------------------------------------------------

SUFFIXES = (".ics", ".ical", ".icalendar", ".ifb")


def is_calendar_file(name: str, data: bytes | None = None) -> bool:
    """A calendar file, by its name or (when given) by its first line, BEGIN:VCALENDAR."""
    if any(name.lower().endswith(suffix) for suffix in SUFFIXES):
        return True
    if data is None:
        return False
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:15].upper() == b"BEGIN:VCALENDAR"


def read_calendar_file(path: Path) -> bytes:
    """The file's bytes, or a plain message why they cannot be had."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CrmdeskError(_("There is no file {path}.").format(path=path)) from None
    except IsADirectoryError:
        raise CrmdeskError(_("{path} is a folder, not a file.").format(path=path)) from None
    except OSError as exc:
        raise CrmdeskError(_("Cannot read {file}: {error}").format(
            file=path, error=exc.strerror or exc)) from None


# -- out, for a range and some contacts -------------------------------------------------


def calendar_items(session: Session, first: datetime | None = None,
                   last: datetime | None = None,
                   contact_ids: Collection[int] | None = None) -> list[StoredActivity]:
    """What a calendar file of [first, last) holds (everything without bounds); with
    ``contact_ids``, only activities with one of those contacts on them (and the moved
    occurrences of such series)."""
    items = stored_activities(session, first, last)
    if contact_ids is None:
        return items
    wanted = set(contact_ids)
    linked = {aid for aid, cid in session.execute(
        select(activity_contact.c.activity_id, activity_contact.c.contact_id)).all()
        if cid in wanted}
    kept = {a.id for a in items if a.parent_id is None and a.id in linked}
    return [a for a in items if a.id in kept or (a.parent_id is not None
                                                 and a.parent_id in kept)]


def export_calendar(session: Session, out: Path, first: datetime | None = None,
                    last: datetime | None = None,
                    contact_ids: Collection[int] | None = None) -> int:
    """Write the calendar file ``out`` (whole or not at all); the number of activities."""
    from crmdesk.io.atomic import atomic_binary

    items = calendar_items(session, first, last, contact_ids)
    data = write_ics(items)
    with atomic_binary(out) as handle:
        handle.write(data)
    return len(items)
