"""`crmdesk check`: is a database file whole? Exit code 1 if anything is wrong."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from crmdesk.cli.common import EXIT_OK, EXIT_USER, Subparsers, add_db_option, db_path, say
from crmdesk.core.errors import NotADatabaseError
from crmdesk.core.i18n import _


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("check", help=_("verify that a database file is whole"),
                       description=_("Check the file's integrity, its links, its search "
                                     "index and its history. Exit code 1 if anything is "
                                     "wrong."))
    add_db_option(p)
    p.add_argument("--deep", action="store_true",
                   help=_("also compare every contact's search text and last contact "
                          "(slower)"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.maintenance.check import check_database
    from crmdesk.core.storage.database import Database

    path = db_path(args)
    try:
        with Database.open(path, readonly=True) as db:
            report = check_database(db, deep=args.deep)
    except NotADatabaseError as exc:
        say(_("crmdesk: {message}").format(message=exc.message))
        _point_to_backups(path)
        return EXIT_USER
    if report.ok:
        print(_("{path}: OK ({contacts} contacts, {trashed} in the trash, {companies} "
                "companies, {entries} history entries)").format(
                    path=path, contacts=report.contacts, trashed=report.trashed,
                    companies=report.companies, entries=report.interactions))
        return EXIT_OK
    say(_("{path}: {n} problem(s) found").format(path=path, n=len(report.problems)))
    for problem in report.problems:
        say("  " + problem)
    _point_to_backups(path)
    return EXIT_USER


def _point_to_backups(path: Path) -> None:
    say(_("Its backups: crmdesk backups --db {path}; crmdesk restore --db {path} BACKUP "
          "puts one back.").format(path=shlex.quote(str(path))))
