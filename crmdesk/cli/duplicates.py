"""`crmdesk duplicates`: contacts that are probably one person (core/contacts/duplicates)."""

from __future__ import annotations

import argparse

from crmdesk.cli.common import EXIT_OK, Subparsers, add_db_option, db_path, print_json, print_table
from crmdesk.core.i18n import _, ngettext


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "duplicates", help=_("list contacts that are probably one person"),
        description=_("List the pairs of contacts with the same e-mail, the same phone, or "
                      "the same or a similar name (in any script: Иванов and Ivanov), the "
                      "likeliest first, with a score (0-100) and the reasons."))
    add_db_option(p)
    p.add_argument("--min-score", type=int, default=0, metavar="N",
                   help=_("only pairs scoring at least N (0-100)"))
    p.add_argument("--json", action="store_true", help=_("print the pairs as JSON"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crmdesk.cli.importing import TerminalProgress
    from crmdesk.core.contacts.duplicates import find_duplicates, names_of
    from crmdesk.core.storage.database import Database

    progress = TerminalProgress(_(" blocks"))  # a bar on a terminal, nothing in a pipe
    with Database.open(db_path(args), readonly=True) as db, db.reading() as s:
        try:
            found = find_duplicates(s, progress=progress)
        finally:
            progress.close()
        pairs = [m for m in found if m.score >= args.min_score]
        names = names_of(s, (i for m in pairs for i in (m.first, m.second)))
    if args.json:
        print_json([{"first": m.first, "second": m.second, "score": m.score,
                     "first_name": names.get(m.first, ""), "second_name": names.get(m.second, ""),
                     "reasons": list(m.reasons)} for m in pairs])
        return EXIT_OK
    if not pairs:
        print(_("No two contacts look like one person."))
        return EXIT_OK
    print(ngettext("{n} pair of contacts may be one person:",
                   "{n} pairs of contacts may be one person:", len(pairs)).format(n=len(pairs)))
    print_table([_("Score"), _("ID"), _("Name"), _("ID"), _("Name"), _("Why")],
                [[str(m.score), str(m.first), names.get(m.first, ""), str(m.second),
                  names.get(m.second, ""), m.reason_text()] for m in pairs])
    return EXIT_OK
