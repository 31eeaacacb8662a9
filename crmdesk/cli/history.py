"""`crmdesk history` and `crmdesk log`: the history from a script or a terminal.

Beside cli.py rather than in core/ (like core/fields_cli.py) because the
``--csv`` export lives in io/, which core may not import. cli.py wires it in
with two lines and imports no Qt; neither does this module.

Dates are read the way people type them: ISO (2026-06-01, 2026-06-01 14:30),
the lookup words (today, yesterday, this-month, last-30-days) and, through
python-dateutil, the PC's own order (1.6.2026, 6/1/2026). Anything else, an
unknown contact or list entry, is one line on stderr and exit code 1. Kinds
and outcomes must be entries of their lists (any case): a typo in a script
should not quietly add "Cal" to everyone's drop-down.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO

from crmdesk.core.errors import CrmdeskError, NotFoundError
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.text.folding import display_width

AddDb = Callable[[argparse.ArgumentParser], None]
SUBJECT_WIDTH = 50
_ISO_START = re.compile(r"\d{4}-")
CONTACTS_WIDTH = 40


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                add_db: AddDb) -> None:
    """Add ``history`` and ``log`` to the crmdesk parser."""
    p = sub.add_parser(
        "history", help=_("print the history: calls, meetings, letters ..."),
        description=_("Print the history entries that match, newest first: a table, JSON, "
                      "or a CSV file for a spreadsheet. Dates: 2026-06-01, 2026-06, today, "
                      "this-month, last-30-days, or as you write them."))
    add_db(p)
    p.add_argument("--contact", type=int, metavar="ID", help=_("only this contact's entries"))
    p.add_argument("--since", metavar="DATE", help=_("from this day on (included)"))
    p.add_argument("--until", metavar="DATE", help=_("up to this day (included)"))
    p.add_argument("--kind", action="append", default=[], metavar="K",
                   help=_("only this kind (call, meeting ...; repeat for several)"))
    p.add_argument("--outcome", action="append", default=[], metavar="O",
                   help=_("only this outcome (repeat for several)"))
    p.add_argument("--text", default="", metavar="T",
                   help=_("only entries whose subject or details hold these words"))
    p.add_argument("--limit", type=int, metavar="N", help=_("at most the N newest entries"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    p.add_argument("--csv", metavar="FILE", help=_("write a CSV file (UTF-8, for Excel)"))

    p = sub.add_parser(
        "log", help=_("log a call, meeting, letter ... with one or more contacts"),
        description=_("Log what happened with one or more contacts. --each logs one entry "
                      "per contact (a mailing). The kind and outcome are entries of their "
                      "lists, in any case."))
    add_db(p)
    p.add_argument("--contact", type=int, action="append", required=True, metavar="ID",
                   help=_("the contact's id (repeat for several)"))
    p.add_argument("--kind", required=True, metavar="K", help=_("call, meeting, e-mail ..."))
    p.add_argument("--subject", required=True, metavar="S", help=_("what it was about"))
    p.add_argument("--outcome", default="", metavar="O",
                   help=_("reached, left message, no answer ..."))
    p.add_argument("--at", metavar="DATETIME",
                   help=_("when (default: now), e.g. '2026-06-01 14:30' or 'yesterday 9:00'"))
    p.add_argument("--details", default="", metavar="D", help=_("notes on what was agreed"))
    p.add_argument("--duration", type=int, metavar="MIN", help=_("how long, in minutes"))
    p.add_argument("--direction", choices=("in", "out"), default="",
                   help=_("in: they called or wrote; out: you did"))
    p.add_argument("--each", action="store_true",
                   help=_("one entry per contact instead of one with all of them"))
    p.add_argument("--json", action="store_true", help=_("print the new ids as JSON"))


# -- reading what was typed ---------------------------------------------------------


def _bad_date(option: str, value: str) -> CrmdeskError:
    return CrmdeskError(_("{option}: {value!r} is not a date. Write it like 2026-06-01, "
                          "or today, this-month, last-30-days.").format(option=option,
                                                                       value=value))


def parse_day(value: str, option: str, *, end: bool = False,
              today: date | None = None) -> date:
    """The first (or, with ``end``, the last) day that ``value`` names."""
    from crmdesk.core.text.dateranges import parse_date_range
    from crmdesk.core.text.parsing import parse_date

    day = today or date.today()
    found = parse_date_range(value, day)
    if found is not None:
        return found.end if end else found.start
    parsed = parse_date(value)
    if parsed is None:
        raise _bad_date(option, value)
    return parsed


def parse_at(value: str, *, now: datetime | None = None) -> datetime:
    """A moment as typed: ISO, 'now', 'today 14:30', 'yesterday 9:00', '1.6.2026 14:30'.

    Naive results are local time (the services read them so)."""
    from dateutil import parser as date_parser  # type: ignore[import-untyped]

    from crmdesk.core.text.parsing import system_dayfirst

    text = unicodedata.normalize("NFKC", value).strip()
    current = now or datetime.now()
    word, _sep, rest = text.partition(" ")
    base = {"now": current, "today": current, "yesterday": current - timedelta(days=1)}.get(
        word.lower())
    if base is not None and word.lower() == "now" and not rest:
        return current
    try:
        if base is not None:
            if not rest.strip():
                return datetime.combine(base.date(), time.min)
            clock = date_parser.parse(rest, default=datetime.combine(base.date(), time.min))
            return datetime.combine(base.date(), clock.timetz())
        if _ISO_START.match(text):
            # Year first is ISO: 2026-13-01 is a mistake, not 13 January.
            return datetime.fromisoformat(text)
        # What the text leaves out comes from today at midnight: "14:30" is today,
        # "5 June 14:30" this year's 5 June, "5.6.2026" its midnight.
        midnight = datetime.combine(current.date(), time.min)
        result: datetime = date_parser.parse(text, dayfirst=system_dayfirst(),
                                             default=midnight)
        return result
    except (ValueError, OverflowError, TypeError):
        raise CrmdeskError(_("--at: {value!r} is not a date and time. Write it like "
                             "'2026-06-01 14:30', 'today 9:00' or 'now'.")
                           .format(value=value)) from None


def _entry(session: Any, kind: str, name: str, option: str) -> str:
    """The list entry called ``name`` (any case), or a message listing the entries."""
    from crmdesk.core.lists.choices import list_choices
    from crmdesk.core.text.folding import fold

    entries = list_choices(session, kind, include_archived=True)
    for entry in entries:
        if fold(entry.name) == fold(name):
            return entry.name
    if not name.strip():
        raise CrmdeskError(_("{option} needs a value.").format(option=option))
    known = ", ".join(e.name for e in entries if not e.archived)
    raise CrmdeskError(_("{option}: there is no {value!r} in the list. It has: {known}.")
                       .format(option=option, value=name, known=known))


def _path(args: argparse.Namespace) -> Path:
    from crmdesk.core.storage.database import default_path

    value = getattr(args, "db", None)
    return Path(value) if value else default_path()


def _contact_exists(session: Any, contact_id: int) -> None:
    from crmdesk.core.storage.models import Contact

    if session.get(Contact, contact_id) is None:
        raise NotFoundError(_("There is no contact {id}.").format(id=contact_id))


# -- the commands ---------------------------------------------------------------------


def cmd_log(args: argparse.Namespace, out: TextIO | None = None,
            err: TextIO | None = None) -> int:
    from crmdesk.core.history import records as history
    from crmdesk.core.storage.database import Database
    from crmdesk.core.storage.models import INTERACTION_KIND, OUTCOME

    out, err = out or sys.stdout, err or sys.stderr
    at = parse_at(args.at) if args.at else None
    with Database.open(_path(args)) as db, db.session() as s:
        kind = _entry(s, INTERACTION_KIND, args.kind, "--kind")
        outcome = _entry(s, OUTCOME, args.outcome, "--outcome") if args.outcome else ""
        data = history.InteractionData(
            kind=kind, subject=args.subject, at=at, direction=args.direction,
            duration_min=args.duration, outcome=outcome, details=args.details,
            contact_ids=list(args.contact))
        result = history.log_interaction(s, data, each=args.each)
    for warning in result.warnings:
        print(_("crmdesk: warning: {message}").format(message=warning), file=err)
    if args.json:
        print(json.dumps({"ids": result.ids, "warnings": result.warnings},
                         ensure_ascii=False), file=out)
    elif len(result.ids) == 1:
        print(_("Logged entry {id} ({kind}).").format(id=result.ids[0], kind=kind), file=out)
    else:
        print(ngettext("Logged {n} entry ({kind}), one per contact.",
                       "Logged {n} entries ({kind}), one per contact.", len(result.ids))
              .format(n=len(result.ids), kind=kind), file=out)
    return 0


def _filter(session: Any, args: argparse.Namespace) -> Any:
    from crmdesk.core.history.records import HistoryFilter
    from crmdesk.core.storage.models import INTERACTION_KIND, OUTCOME

    since = parse_day(args.since, "--since") if args.since else None
    until = parse_day(args.until, "--until", end=True) if args.until else None
    if since and until and since > until:
        raise CrmdeskError(_("--since {since} is after --until {until}: nothing can match.")
                           .format(since=since.isoformat(), until=until.isoformat()))
    if args.contact is not None:
        _contact_exists(session, args.contact)
    return HistoryFilter(
        since=since, until=until,
        kinds=[_entry(session, INTERACTION_KIND, k, "--kind") for k in args.kind],
        outcomes=[_entry(session, OUTCOME, o, "--outcome") for o in args.outcome],
        text=args.text, contact_id=args.contact)


def cmd_history(args: argparse.Namespace, out: TextIO | None = None,
                err: TextIO | None = None) -> int:
    from crmdesk.core.history import records as history
    from crmdesk.core.history.listing import contacts_of
    from crmdesk.core.storage.database import Database

    out, err = out or sys.stdout, err or sys.stderr
    if args.limit is not None and args.limit < 0:
        raise CrmdeskError(_("--limit cannot be negative."))
    with Database.open(_path(args), readonly=True) as db, db.reading() as s:
        flt = _filter(s, args)
        ids = history.history_ids(s, flt)
        if args.limit is not None:
            ids = ids[:args.limit]
        found = history.history_rows(s, ids)
        rows = [found[i] | {"id": i} for i in ids if i in found]
        people = contacts_of(s, ids) if args.json else {}
    if args.csv:
        from crmdesk.io.history_csv import write_history_csv

        n = write_history_csv(args.csv, rows, [*history.HISTORY_COLUMNS, "details"])
        print(ngettext("Wrote {n} entry to {path}.", "Wrote {n} entries to {path}.", n)
              .format(n=n, path=args.csv), file=err if args.json else out)
    if args.json:
        print(json.dumps([_as_json(r, people.get(int(str(r["id"])), [])) for r in rows],
                         ensure_ascii=False, indent=2), file=out)
        return 0
    if args.csv:
        return 0
    if not rows:
        print(_("No history entries match."), file=err)
        return 0
    _print_table(rows, out)
    return 0


def _as_json(row: dict[str, object], people: list[tuple[int, str]]) -> dict[str, object]:
    at = row["at"]
    return {
        "id": row["id"], "at": at.isoformat() if isinstance(at, datetime) else at,
        "kind": row["kind"], "direction": row["direction"], "subject": row["subject"],
        "outcome": row["outcome"], "details": row["details"], "duration_min": row["duration"],
        "contacts": [{"id": cid, "name": name} for cid, name in people],
        "company": row["company"],
    }


_width = display_width


def _cut(text: str, width: int) -> str:
    """At most ``width`` terminal columns, with an ellipsis if cut."""
    text = " ".join(text.split())
    if _width(text) <= width:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _print_table(rows: Sequence[dict[str, object]], out: TextIO) -> None:
    head = (_("id"), _("date"), _("kind"), _("dir"), _("subject"), _("outcome"),
            _("contacts"))
    table = []
    for r in rows:
        at = r["at"]
        when = at.astimezone().strftime("%Y-%m-%d %H:%M") if isinstance(at, datetime) else ""
        table.append((str(r["id"]), when, str(r["kind"]), str(r["direction"]),
                      _cut(str(r["subject"]), SUBJECT_WIDTH), _cut(str(r["outcome"]), 20),
                      _cut(str(r["contacts"]), CONTACTS_WIDTH)))
    widths = [max(_width(row[i]) for row in (head, *table)) for i in range(len(head))]
    for row in (head, *table):
        print("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True))
              .rstrip(), file=out)
