"""`crmdesk log`: log a call, meeting, letter ... with one or more contacts.

One unit of work: the kind and outcome are checked against their lists (any
case) and the entry is logged by the history service in the same transaction.
"""

from __future__ import annotations

import argparse

from crmdesk.cli.common import EXIT_OK, Subparsers, add_db_option, db_path, print_json, say
from crmdesk.cli.typed import list_entry, parse_at
from crmdesk.core.i18n import _, ngettext


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "log", help=_("log a call, meeting, letter ... with one or more contacts"),
        description=_("Log what happened with one or more contacts. --each logs one entry "
                      "per contact (a mailing). The kind and outcome are entries of their "
                      "lists, in any case."))
    add_db_option(p)
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
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.history import records as history
    from crmdesk.core.history.naming import kind_entries, outcome_entries
    from crmdesk.core.storage.database import Database

    at = parse_at(args.at) if args.at else None
    with Database.open(db_path(args), shared=True) as db, db.session() as s:
        kind = list_entry(kind_entries(s), args.kind, "--kind")
        outcome = list_entry(outcome_entries(s), args.outcome, "--outcome") \
            if args.outcome else ""
        data = history.InteractionData(
            kind=kind, subject=args.subject, at=at, direction=args.direction,
            duration_min=args.duration, outcome=outcome, details=args.details,
            contact_ids=list(args.contact))
        result = history.log_interaction(s, data, each=args.each)
    for warning in result.warnings:
        say(_("crmdesk: warning: {message}").format(message=warning))
    if args.json:
        print_json({"ids": result.ids, "warnings": result.warnings}, indent=None)
    elif len(result.ids) == 1:
        print(_("Logged entry {id} ({kind}).").format(id=result.ids[0], kind=kind))
    else:
        print(ngettext("Logged {n} entry ({kind}), one per contact.",
                       "Logged {n} entries ({kind}), one per contact.", len(result.ids))
              .format(n=len(result.ids), kind=kind))
    return EXIT_OK
