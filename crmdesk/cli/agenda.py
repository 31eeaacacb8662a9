"""`crmdesk agenda`, `crmdesk schedule`, `crmdesk done`: the calendar from a terminal.

The same services as the Calendar view, one unit of work per command. Kinds
must be entries of their list (any case), as `crmdesk log` wants: a typo in a
script should not add "Cal" to everyone's drop-down.
"""

from __future__ import annotations

import argparse
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmdesk.cli.common import (
    EXIT_OK,
    Subparsers,
    add_db_option,
    db_path,
    print_json,
    print_table,
    say,
)
from crmdesk.cli.typed import list_entry, parse_at, parse_day
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _, ngettext

if TYPE_CHECKING:
    from crmdesk.core.activities.listing import Occurrence

_REMIND = re.compile(r"^\s*(\d+)\s*([mhd]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "m": 1, "h": 60, "d": 60 * 24}
PRIORITIES = {"low": 0, "normal": 1, "high": 2}


def parse_remind(value: str) -> int | None:
    """'15m', '2h', '1d', '0' (at the time) or 'none' as minutes before."""
    if value.strip().lower() in ("none", "no", "off", ""):
        return None
    if value.strip().lower() in ("at", "at-time", "now"):
        return 0
    found = _REMIND.match(value)
    if found is None:
        raise CrmdeskError(_("--remind: {value!r} is not a reminder. Write 15m, 2h, 1d, 0 "
                             "(at the time) or none.").format(value=value))
    return int(found.group(1)) * _UNITS[found.group(2).lower()]


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "agenda", help=_("list what is planned: calls, meetings, to-dos, birthdays"),
        description=_("List the activities of a range of days (default: today and the next "
                      "6 days), occurrences of series included, and the birthdays and "
                      "yearly dates in it."))
    add_db_option(p)
    p.add_argument("--from", dest="first", metavar="D",
                   help=_("the first day (default: today), e.g. 2026-06-01 or this-month"))
    p.add_argument("--to", dest="last", metavar="D", help=_("the last day (inclusive)"))
    p.add_argument("--contact", type=int, metavar="ID", help=_("only those with this contact"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(run=run_agenda)

    p = sub.add_parser(
        "schedule", help=_("plan a call, meeting or to-do with a contact"),
        description=_("Put a call, meeting or to-do on the calendar, once or repeating "
                      "(--rrule, as in calendar files: FREQ=WEEKLY;BYDAY=MO)."))
    add_db_option(p)
    p.add_argument("--contact", type=int, action="append", default=[], metavar="ID",
                   help=_("the contact's id (repeat for several)"))
    p.add_argument("--kind", required=True, metavar="K", help=_("call, meeting, to-do ..."))
    p.add_argument("--at", required=True, metavar="DATETIME",
                   help=_("when, e.g. '2026-06-01 14:30' or 'today 16:00'; a date alone is "
                          "all day"))
    p.add_argument("--minutes", type=int, metavar="N", help=_("how long, in minutes"))
    p.add_argument("--title", default="", metavar="T", help=_("what it is about"))
    p.add_argument("--rrule", default="", metavar="R", help=_("repeat rule (RFC 5545)"))
    p.add_argument("--remind", default="none", metavar="BEFORE",
                   help=_("a reminder: 15m, 2h, 1d before, 0 at the time, none"))
    p.add_argument("--priority", choices=tuple(PRIORITIES), default="normal")
    p.add_argument("--location", default="", metavar="L")
    p.add_argument("--notes", default="", metavar="N")
    p.add_argument("--json", action="store_true", help=_("print the new id as JSON"))
    p.set_defaults(run=run_schedule)

    p = sub.add_parser(
        "done", help=_("clear an activity: done or not, with a result; logs it in the history"),
        description=_("Clear an activity (for a series: its next open occurrence, or the one "
                      "--occurrence names) and log it in the contacts' history."))
    add_db_option(p)
    p.add_argument("activity", type=int, metavar="ACTIVITY_ID")
    p.add_argument("--outcome", default="", metavar="O",
                   help=_("the result: reached, left message ..."))
    p.add_argument("--notes", default="", metavar="N", help=_("what came of it"))
    p.add_argument("--not-done", action="store_true", help=_("it did not happen"))
    p.add_argument("--occurrence", metavar="DATETIME",
                   help=_("for a series: which occurrence (its start)"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.set_defaults(run=run_done)
    add_ics_parsers(sub)


def _row(o: Occurrence) -> dict[str, Any]:
    return {"id": o.activity_id, "start": o.start.isoformat(),
            "end": o.end.isoformat() if o.end else None, "all_day": o.all_day,
            "kind": o.kind, "title": o.title, "contacts": list(o.contact_names),
            "contact_ids": list(o.contact_ids), "location": o.location,
            "priority": o.priority, "state": o.state, "result": o.result,
            "series": o.series,
            "occurrence": o.occurrence_at.isoformat() if o.occurrence_at else None}


def run_agenda(args: argparse.Namespace) -> int:
    from crmdesk.core.activities import recurrence
    from crmdesk.core.activities.listing import occurrences_between
    from crmdesk.core.activities.yearly import yearly_dates
    from crmdesk.core.storage.database import Database

    first = parse_day(args.first, "--from") if args.first else datetime.now().date()
    last = parse_day(args.last, "--to", end=True) if args.last else first + timedelta(days=6)
    if last < first:
        raise CrmdeskError(_("--to is before --from."))
    here = recurrence.local_zone()
    start = datetime.combine(first, time.min, tzinfo=here)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=here)
    with Database.open(db_path(args), readonly=True) as db, db.reading() as s:
        found = occurrences_between(s, start, end, contact_id=args.contact)
        dates = [] if args.contact else yearly_dates(s, first, last)
    if args.json:
        print_json({"from": first.isoformat(), "to": last.isoformat(),
                    "activities": [_row(o) for o in found],
                    "dates": [{"day": d.day.isoformat(), "contact_id": d.contact_id,
                               "text": d.text(), "years": d.years} for d in dates]})
        return EXIT_OK
    rows: list[tuple[str, ...]] = []
    for o in found:
        when = o.start.strftime("%Y-%m-%d") + " " + (
            _("all day") if o.all_day else o.start.strftime("%H:%M"))
        mark = {"done": "✓", "not_done": "✗"}.get(o.state, "")
        rows.append((str(o.activity_id), when, o.kind, o.label(), ", ".join(o.contact_names),
                     mark))
    for d in dates:
        rows.append(("", d.day.isoformat(), "", d.text(), "", ""))
    rows.sort(key=lambda r: r[1])
    if not rows:
        say(_("Nothing planned from {first} to {last}.").format(first=first, last=last))
        return EXIT_OK
    print_table([_("ID"), _("When"), _("Kind"), _("What"), _("With"), ""], rows)
    return EXIT_OK


def run_schedule(args: argparse.Namespace) -> int:
    from crmdesk.core.activities.records import (
        ActivityData,
        activity_kinds,
        create_activity,
        created_id,
    )
    from crmdesk.core.storage.database import Database

    at = parse_at(args.at)
    all_day = len(args.at.strip()) <= 10 and at.time() == time.min
    end = at + timedelta(minutes=args.minutes) if args.minutes else None
    if args.minutes is not None and args.minutes <= 0:
        raise CrmdeskError(_("--minutes: give a length above 0."))
    remind = parse_remind(args.remind)
    with Database.open(db_path(args), shared=True) as db, db.session() as s:
        from crmdesk.core.lists.choices import ChoiceItem

        kinds = [ChoiceItem(i, "", name, i, False) for i, name in enumerate(activity_kinds(s))]
        kind = list_entry(kinds, args.kind, "--kind")
        changes = create_activity(s, ActivityData(
            kind=kind, start=at, end=end, all_day=all_day, title=args.title,
            contact_ids=list(args.contact), rrule=args.rrule, reminder_min=remind,
            priority=PRIORITIES[args.priority], location=args.location, notes=args.notes))
        new = created_id(changes)
    if args.json:
        print_json({"id": new}, indent=None)
    else:
        when = at.strftime("%Y-%m-%d") if all_day else at.strftime("%Y-%m-%d %H:%M")
        print(_("Scheduled activity {id} ({kind}, {when}).").format(id=new, kind=kind,
                                                                     when=when))
    return EXIT_OK


def run_done(args: argparse.Namespace) -> int:
    from crmdesk.core.activities.records import clear_activity
    from crmdesk.core.history.naming import outcome_entries
    from crmdesk.core.storage.database import Database

    occurrence = parse_at(args.occurrence) if args.occurrence else None
    with Database.open(db_path(args), shared=True) as db, db.session() as s:
        outcome = list_entry(outcome_entries(s), args.outcome, "--outcome") \
            if args.outcome else ""
        result = clear_activity(s, args.activity, done=not args.not_done, result=outcome,
                                notes=args.notes, occurrence_at=occurrence)
    follow = result.follow_up
    suggestion = (f"crmdesk schedule --kind {follow.kind!r} --at "
                  f"'{follow.start:%Y-%m-%d %H:%M}'"
                  + "".join(f" --contact {c}" for c in follow.contact_ids)
                  + (f" --title {follow.title!r}" if follow.title else ""))
    if args.json:
        print_json({"id": result.activity_id, "history_id": result.interaction_id,
                    "follow_up": {"kind": follow.kind, "at": follow.start.isoformat(),
                                  "contact_ids": follow.contact_ids, "title": follow.title}},
                   indent=None)
        return EXIT_OK
    if result.interaction_id is not None:
        print(_("Cleared activity {id}; logged history entry {entry}.").format(
            id=result.activity_id, entry=result.interaction_id))
    else:
        print(_("Cleared activity {id} (nobody on it, so no history entry).").format(
            id=result.activity_id))
    say(_("Next step? {command}").format(command=suggestion))
    return EXIT_OK


def add_ics_parsers(sub: Subparsers) -> None:
    p = sub.add_parser(
        "calendar-export", help=_("write the calendar to an .ics file other calendars read"),
        description=_("Write activities (all, or those of --from .. --to) to an iCalendar "
                      "file: series with their rules and exceptions, reminders as alarms."))
    add_db_option(p)
    p.add_argument("file", metavar="FILE.ics")
    p.add_argument("--from", dest="first", metavar="D", help=_("the first day"))
    p.add_argument("--to", dest="last", metavar="D", help=_("the last day (inclusive)"))
    p.set_defaults(run=run_calendar_export)
    p = sub.add_parser(
        "calendar-import", help=_("add the events and to-dos of an .ics file to the calendar"),
        description=_("Add the events and to-dos of an iCalendar file (Outlook, Google, "
                      "Thunderbird, Evolution ...) as activities; what cannot be read is "
                      "listed and the rest is added."))
    add_db_option(p)
    p.add_argument("file", metavar="FILE.ics")
    p.add_argument("--json", action="store_true", help=_("print the counts as JSON"))
    p.set_defaults(run=run_calendar_import)


def ics_range(first_text: str | None,
              last_text: str | None) -> tuple[datetime | None, datetime | None]:
    """--from and --to as aware bounds [first, last) in the user's zone; (None, None) for
    the whole calendar."""
    from crmdesk.core.activities import recurrence

    if not first_text and not last_text:
        return None, None
    here = recurrence.local_zone()
    day1 = parse_day(first_text, "--from") if first_text else date(1900, 1, 1)
    day2 = parse_day(last_text, "--to", end=True) if last_text else date(2999, 1, 1)
    if day2 < day1:
        raise CrmdeskError(_("--to is before --from."))
    return (datetime.combine(day1, time.min, tzinfo=here),
            datetime.combine(day2 + timedelta(days=1), time.min, tzinfo=here))


def run_calendar_export(args: argparse.Namespace) -> int:
    """`crmdesk calendar-export FILE`: `crmdesk export --format ics -o FILE` by its older
    name."""
    from crmdesk.core.storage.database import Database
    from crmdesk.io.ics import export_calendar

    first, last = ics_range(args.first, args.last)
    with Database.open(db_path(args), readonly=True) as db, db.reading() as s:
        written = export_calendar(s, Path(args.file), first, last)
    print(ngettext("Wrote {n} activity to {path}.", "Wrote {n} activities to {path}.",
                   written).format(n=written, path=args.file))
    return EXIT_OK


def run_calendar_import(args: argparse.Namespace) -> int:
    """`crmdesk calendar-import FILE`: what `crmdesk import FILE.ics` does."""
    return import_calendar(db_path(args), Path(args.file), dry_run=False, as_json=args.json)


class _DryRun(Exception):  # noqa: N818 - not an error: how a dry run rolls back
    def __init__(self, result: Any) -> None:
        super().__init__("dry run")
        self.result = result


def import_calendar(target: Path, path: Path, *, dry_run: bool, as_json: bool) -> int:
    """Add a calendar file's events and to-dos (or, on a dry run, say how many would
    come in: the same import, rolled back); what cannot be read is listed."""
    import tempfile
    from contextlib import ExitStack

    from crmdesk.core.storage.database import Database
    from crmdesk.io.ics import import_ics, import_summary, read_calendar_file

    raw = read_calendar_file(path)
    with ExitStack() as stack:
        if dry_run and not target.exists():
            # A dry run leaves no new file behind: it tries a new one in a temporary folder.
            target = Path(stack.enter_context(tempfile.TemporaryDirectory())) / target.name
        db = stack.enter_context(Database.open(target, shared=True))
        try:
            with db.session() as s:
                result = import_ics(s, raw)
                if dry_run:
                    raise _DryRun(result)  # rolls the unit of work back
        except _DryRun as dry:
            result = dry.result
    if as_json:
        print_json({"file": str(path), "format": "ics", "dry_run": dry_run,
                    "added": result.added, "events": result.events, "todos": result.todos,
                    "changed": result.changed, "problems": result.problems}, indent=None)
        return EXIT_OK
    print(import_summary(result, dry_run=dry_run)
          + (" " + _("Nothing was written.") if dry_run else ""))
    if result.problems:
        print(ngettext("{n} could not be imported:", "{n} could not be imported:",
                       len(result.problems)).format(n=len(result.problems)))
        for problem in result.problems:
            print(f"  {problem}")
    return EXIT_OK
