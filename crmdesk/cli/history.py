"""`crmdesk history`: the history entries that match, newest first.

A table, JSON, or a CSV file for a spreadsheet (written by crmdesk.io). Dates,
kinds and outcomes are read as people type them (cli/typed.py); an unknown
contact or list entry is one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from crmdesk.cli.common import (
    EXIT_OK,
    Subparsers,
    add_db_option,
    cut,
    db_path,
    print_json,
    print_table,
    say,
)
from crmdesk.cli.typed import list_entry, parse_day
from crmdesk.core.errors import CrmdeskError, NotFoundError
from crmdesk.core.i18n import _, ngettext

SUBJECT_WIDTH = 50
OUTCOME_WIDTH = 20
CONTACTS_WIDTH = 40


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "history", help=_("print the history: calls, meetings, letters ..."),
        description=_("Print the history entries that match, newest first: a table, JSON, "
                      "or a CSV file for a spreadsheet. Dates: 2026-06-01, 2026-06, today, "
                      "this-month, last-30-days, or as you write them."))
    add_db_option(p)
    p.add_argument("--contact", type=int, metavar="ID", help=_("only this contact's entries"))
    p.add_argument("--since", metavar="DATE", help=_("from this day on (included)"))
    p.add_argument("--until", metavar="DATE", help=_("up to this day (included)"))
    p.add_argument("--kind", action="append", default=[], metavar="K",
                   help=_("only this kind (call, meeting ...; repeat for several)"))
    p.add_argument("--outcome", action="append", default=[], metavar="O",
                   help=_("only this outcome (repeat for several)"))
    p.add_argument("--text", default="", metavar="T",
                   help=_("only entries matching these words (subject, details, the "
                          "people's names) or a lookup: kind:call outcome:reached ivanov"))
    p.add_argument("--limit", type=int, metavar="N", help=_("at most the N newest entries"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    p.add_argument("--csv", metavar="FILE", help=_("write a CSV file (UTF-8, for Excel)"))
    p.set_defaults(run=run)


def _filter(session: Any, args: argparse.Namespace) -> Any:
    """The HistoryFilter that the options describe, each checked against the file."""
    from crmdesk.core.history.naming import contact_exists, kind_entries, outcome_entries
    from crmdesk.core.history.records import HistoryFilter

    since = parse_day(args.since, "--since") if args.since else None
    until = parse_day(args.until, "--until", end=True) if args.until else None
    if since and until and since > until:
        raise CrmdeskError(_("--since {since} is after --until {until}: nothing can match.")
                           .format(since=since.isoformat(), until=until.isoformat()))
    if args.contact is not None and not contact_exists(session, args.contact):
        raise NotFoundError(_("There is no contact {id}.").format(id=args.contact))
    kinds = kind_entries(session) if args.kind else []
    outcomes = outcome_entries(session) if args.outcome else []
    return HistoryFilter(
        since=since, until=until,
        kinds=[list_entry(kinds, k, "--kind") for k in args.kind],
        outcomes=[list_entry(outcomes, o, "--outcome") for o in args.outcome],
        text=args.text, contact_id=args.contact)


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.history import records as history
    from crmdesk.core.history.listing import contacts_of
    from crmdesk.core.storage.database import Database

    if args.limit is not None and args.limit < 0:
        raise CrmdeskError(_("--limit cannot be negative."))
    with Database.open(db_path(args), readonly=True) as db, db.reading() as s:
        # A malformed lookup is the user's error: exit 1, saying what and where.
        ids = history.history_ids(s, _filter(s, args), strict=True)
        if args.limit is not None:
            ids = ids[:args.limit]
        found = history.history_rows(s, ids)
        rows = [found[i] | {"id": i} for i in ids if i in found]
        people = contacts_of(s, ids) if args.json else {}
    if args.csv:
        from crmdesk.io.history_csv import write_history_csv

        n = write_history_csv(args.csv, rows, [*history.HISTORY_COLUMNS, "details"])
        message = ngettext("Wrote {n} entry to {path}.", "Wrote {n} entries to {path}.",
                           n).format(n=n, path=args.csv)
        if args.json:  # stdout is the JSON's
            say(message)
        else:
            print(message)
    if args.json:
        print_json([_as_json(r, people.get(int(str(r["id"])), [])) for r in rows])
        return EXIT_OK
    if args.csv:
        return EXIT_OK
    if not rows:
        say(_("No history entries match."))
        return EXIT_OK
    _print_rows(rows)
    return EXIT_OK


def _as_json(row: dict[str, object], people: list[tuple[int, str]]) -> dict[str, object]:
    at = row["at"]
    return {
        "id": row["id"], "at": at.isoformat() if isinstance(at, datetime) else at,
        "kind": row["kind"], "direction": row["direction"], "subject": row["subject"],
        "outcome": row["outcome"], "details": row["details"], "duration_min": row["duration"],
        "contacts": [{"id": cid, "name": name} for cid, name in people],
        "company": row["company"],
    }


def _print_rows(rows: Sequence[dict[str, object]]) -> None:
    head = (_("id"), _("date"), _("kind"), _("dir"), _("subject"), _("outcome"),
            _("contacts"))
    table = []
    for r in rows:
        at = r["at"]
        when = at.astimezone().strftime("%Y-%m-%d %H:%M") if isinstance(at, datetime) else ""
        table.append((str(r["id"]), when, str(r["kind"]), str(r["direction"]),
                      cut(str(r["subject"]), SUBJECT_WIDTH),
                      cut(str(r["outcome"]), OUTCOME_WIDTH),
                      cut(str(r["contacts"]), CONTACTS_WIDTH)))
    print_table(head, table)
