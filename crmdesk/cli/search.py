"""`crmdesk search QUERY`: the contacts that match, as a table or JSON."""

from __future__ import annotations

import argparse
from typing import Any

from crmdesk.cli.common import (
    EXIT_OK,
    Subparsers,
    add_db_option,
    db_path,
    print_json,
    print_table,
    say,
)
from crmdesk.core.i18n import _


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("search", help=_("find contacts by any fragment of any field"),
                       description=_("Print the contacts that match QUERY: any fragment of "
                                     "names, company, e-mails, phone digits, addresses, tags "
                                     "or notes, in any script; or a lookup such as "
                                     "'city:Vilnius status:customer', 'fleet_size>10', "
                                     "'-tag:do-not-call', 'has:email'."))
    add_db_option(p)
    p.add_argument("query", metavar="QUERY", nargs="+", help=_("words to look for"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help=_("print at most N contacts"))
    p.add_argument("--trash", action="store_true", help=_("search the trash instead"))
    p.set_defaults(run=run)


def find_ids(session: Any, query: str, *, trash: bool, limit: int | None) -> list[int]:
    """The ids of the contacts that ``query`` (words or a lookup) finds, in list order.

    The one entry point the window's contact list uses too (lookup.query.find_ids), so
    the same text finds the same contacts; but a malformed lookup raises
    QuerySyntaxError, saying where: the user's error, exit 1."""
    from crmdesk.core.lookup.query import CONTACT
    from crmdesk.core.lookup.query import find_ids as lookup_ids

    return lookup_ids(session, CONTACT, query, strict=True, trash=trash, limit=limit)


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.contacts.records import summaries
    from crmdesk.core.storage.database import Database

    query = " ".join(args.query)
    with Database.open(db_path(args), readonly=True) as db, db.reading() as s:
        rows = summaries(s, find_ids(s, query, trash=args.trash, limit=args.limit))
    if args.json:
        print_json([{"id": r.id, "name": r.name, "company": r.company, "phone": r.phone,
                     "email": r.email} for r in rows])
        return EXIT_OK
    if not rows:
        say(_("No contact matches {query!r}.").format(query=query))
        return EXIT_OK
    print_table((_("id"), _("name"), _("company"), _("phone"), _("e-mail")),
                [(str(r.id), r.name, r.company, r.phone, r.email) for r in rows])
    return EXIT_OK
