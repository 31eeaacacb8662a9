"""The `crmdesk` command. No subcommand: the GUI. Subcommands: the same jobs headless.

Exit codes: 0 ok, 1 a user error (with a message on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from crmdesk import __version__
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _

EXIT_OK = 0
EXIT_USER = 1
EXIT_USAGE = 2

log = logging.getLogger("crmdesk")


def _add_db(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # Accepted before and after the command; a subcommand must not reset it to None.
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help=_("the database file (default: your own, in the user data folder)"),
    )


def _db_path(args: argparse.Namespace) -> Path:
    from crmdesk.core.storage.database import default_path

    return Path(args.db) if args.db else default_path()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmdesk",
        description=_(
            "crmdesk keeps your customers and prospects in one file. Without a command it "
            "opens the window."
        ),
    )
    parser.add_argument("--version", action="version", version=f"crmdesk {__version__}")
    _add_db(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help=_("open the window (the default)"),
                       description=_("Open the crmdesk window on a database file."))
    _add_db(p)

    p = sub.add_parser("search", help=_("find contacts by any fragment of any field"),
                       description=_("Print the contacts that match QUERY: any fragment of "
                                     "names, company, e-mails, phone digits, addresses, tags "
                                     "or notes, in any script; or a lookup such as "
                                     "'city:Vilnius status:customer', 'fleet_size>10', "
                                     "'-tag:do-not-call', 'has:email'."))
    _add_db(p)
    p.add_argument("query", metavar="QUERY", nargs="+", help=_("words to look for"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help=_("print at most N contacts"))
    p.add_argument("--trash", action="store_true", help=_("search the trash instead"))

    p = sub.add_parser("check", help=_("verify that a database file is whole"),
                       description=_("Check the file's integrity, its links, its search "
                                     "index and its history. Exit code 1 if anything is "
                                     "wrong."))
    _add_db(p)
    p.add_argument("--deep", action="store_true",
                   help=_("also compare every contact's search text and last contact "
                          "(slower)"))

    p = sub.add_parser("demo", help=_("create a demo database full of realistic contacts"),
                       description=_("Create a new database at PATH filled with realistic "
                                     "people and companies from the US, Russia, Lithuania "
                                     "and China."))
    p.add_argument("path", metavar="PATH", help=_("the new file (must not exist)"))
    p.add_argument("--contacts", type=int, default=1000, metavar="N",
                   help=_("how many contacts (default 1000)"))
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help=_("random seed: the same seed gives the same data"))
    from crmdesk.cli import fields as fields_cli
    from crmdesk.cli import history as history_cli
    fields_cli.add_parser(sub, _add_db)
    history_cli.add_parsers(sub, _add_db)
    return parser


def cmd_search(args: argparse.Namespace) -> int:
    from crmdesk.core.contacts.records import summaries
    from crmdesk.core.lookup.compiler import contact_ids_for_lookup
    from crmdesk.core.lookup.syntax import has_conditions, parse
    from crmdesk.core.search.fulltext import search_contact_ids
    from crmdesk.core.storage.database import Database

    query = " ".join(args.query)
    with Database.open(_db_path(args), readonly=True) as db, db.reading() as s:
        tree = parse(query)  # a malformed lookup is the user's error: exit 1, saying where
        if has_conditions(tree):
            ids = contact_ids_for_lookup(s, tree, trash=args.trash, limit=args.limit)
        else:
            ids = search_contact_ids(s, query, trash=args.trash, limit=args.limit)
        rows = summaries(s, ids)
    if args.json:
        out = [
            {"id": r.id, "name": r.name, "company": r.company, "phone": r.phone,
             "email": r.email}
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        print(_("No contact matches {query!r}.").format(query=query), file=sys.stderr)
        return EXIT_OK
    table = [(str(r.id), r.name, r.company, r.phone, r.email) for r in rows]
    head = (_("id"), _("name"), _("company"), _("phone"), _("e-mail"))
    from crmdesk.core.text.folding import display_width

    widths = [max(display_width(x) for x in col) for col in zip(head, *table, strict=False)]
    for line in (head, *table):
        print("  ".join(_pad(cell, w) for cell, w in zip(line, widths, strict=True)).rstrip())
    return EXIT_OK


def _pad(text: str, width: int) -> str:
    from crmdesk.core.text.folding import display_width

    return text + " " * (width - display_width(text))


def cmd_check(args: argparse.Namespace) -> int:
    from crmdesk.core.maintenance.check import check_database
    from crmdesk.core.storage.database import Database

    path = _db_path(args)
    with Database.open(path, readonly=True) as db:
        report = check_database(db, deep=args.deep)
    if report.ok:
        print(_("{path}: OK ({contacts} contacts, {trashed} in the trash, {companies} "
                "companies, {entries} history entries)").format(
                    path=path, contacts=report.contacts, trashed=report.trashed,
                    companies=report.companies, entries=report.interactions))
        return EXIT_OK
    print(_("{path}: {n} problem(s) found").format(path=path, n=len(report.problems)),
          file=sys.stderr)
    for problem in report.problems:
        print("  " + problem, file=sys.stderr)
    return EXIT_USER


def cmd_demo(args: argparse.Namespace) -> int:
    from crmdesk.core.demo import generate
    from crmdesk.core.storage.database import Database

    path = Path(args.path)
    if path.exists():
        raise CrmdeskError(_("{path} already exists; the demo makes a new file.").format(
            path=path))
    if args.contacts < 0 or args.contacts > 5_000_000:
        raise CrmdeskError(_("--contacts must be between 0 and 5,000,000."))
    start = time.perf_counter()
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty:
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        with Database.open(path) as db:
            n = generate(db, contacts=args.contacts, seed=args.seed, progress=progress)
    except BaseException:
        # A demo that did not finish is no use to anyone: leave no half file behind.
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    if tty:
        print(file=sys.stderr)
    print(_("Created {path} with {n} contacts in {s:.1f} s.").format(
        path=path, n=n, s=time.perf_counter() - start))
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        print(_("crmdesk needs a screen to open its window, and this machine has none "
                "(no DISPLAY). The command-line tools work: try `crmdesk --help`."),
              file=sys.stderr)
        return EXIT_USER
    from crmdesk.ui.window.app import run  # lazily: the CLI itself never imports Qt

    return run(str(_db_path(args)) if args.db else None)


def cmd_fields(args: argparse.Namespace) -> int:
    from crmdesk.cli.fields import cmd_fields as run

    return run(args)


def cmd_history(args: argparse.Namespace) -> int:
    from crmdesk.cli.history import cmd_history as run

    return run(args)


def cmd_log(args: argparse.Namespace) -> int:
    from crmdesk.cli.history import cmd_log as run

    return run(args)


COMMANDS = {"search": cmd_search, "check": cmd_check, "demo": cmd_demo, "gui": cmd_gui,
            "fields": cmd_fields, "history": cmd_history, "log": cmd_log}


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("CRMDESK_LOG", "WARNING"),
                        format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = COMMANDS.get(args.command or "gui", cmd_gui)
    try:
        return handler(args)
    except CrmdeskError as exc:
        print(_("crmdesk: {message}").format(message=exc.message), file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print(_("crmdesk: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def gui_main() -> int:
    """Entry point of the `crmdesk-gui` script (no console window on Windows)."""
    return main(["gui", *sys.argv[1:]])
