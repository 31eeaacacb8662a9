"""`crmdesk tag --lookup Q --add T | --remove T`: a tag on, or off, every contact a
lookup finds, in one transaction (core/contacts/tagging)."""

from __future__ import annotations

import argparse

from crmdesk.cli.common import EXIT_OK, Subparsers, add_db_option, db_path, print_json
from crmdesk.core.i18n import _, ngettext


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "tag", help=_("add a tag to, or remove it from, the contacts a lookup finds"),
        description=_("Add a tag to every contact a lookup finds, or take it off them, all "
                      "at once (e.g. --lookup 'group:\"Kaunas VIP\"' --add newsletter)."))
    add_db_option(p)
    p.add_argument("--lookup", metavar="Q", required=True,
                   help=_("which contacts, as in the search box ('' for every contact)"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--add", metavar="TAG", help=_("the tag to add"))
    which.add_argument("--remove", metavar="TAG", help=_("the tag to remove"))
    p.add_argument("--json", action="store_true", help=_("say what was done as JSON"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.contacts.tagging import add_tag, remove_tag
    from crmdesk.core.lookup.query import CONTACT, find_ids
    from crmdesk.core.storage.database import Database

    adding = args.add is not None
    with Database.open(db_path(args), shared=True) as db, db.session() as s:
        ids = find_ids(s, CONTACT, args.lookup, strict=True)
        done = (add_tag if adding else remove_tag)(s, ids, args.add if adding else args.remove)
    if args.json:
        print_json({"tag": done.tag, "found": done.asked, "changed": done.changed,
                    "action": "add" if adding else "remove"}, indent=None)
    elif adding:
        print(ngettext("Tagged {n} contact “{tag}”.", "Tagged {n} contacts “{tag}”.",
                       done.changed).format(n=done.changed, tag=done.tag), end="")
        had = done.asked - done.changed
        print(ngettext(" {had} of the {found} found had it already.",
                       " {had} of the {found} found had it already.", had)
              .format(had=had, found=done.asked) if had else "")
    else:
        print(ngettext("Removed “{tag}” from {n} contact ({found} found).",
                       "Removed “{tag}” from {n} contacts ({found} found).",
                       done.changed).format(n=done.changed, tag=done.tag, found=done.asked))
    return EXIT_OK
