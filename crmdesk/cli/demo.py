"""`crmdesk demo PATH`: a new database file full of realistic contacts."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from crmdesk.cli.common import EXIT_OK, Subparsers
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _

MAX_CONTACTS = 5_000_000


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("demo", help=_("create a demo database full of realistic contacts"),
                       description=_("Create a new database at PATH filled with realistic "
                                     "people and companies from the US, Russia, Lithuania "
                                     "and China."))
    p.add_argument("path", metavar="PATH", help=_("the new file (must not exist)"))
    p.add_argument("--contacts", type=int, default=1000, metavar="N",
                   help=_("how many contacts (default 1000)"))
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help=_("random seed: the same seed gives the same data"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.demo import generate
    from crmdesk.core.storage.database import Database

    path = Path(args.path)
    if path.exists():
        raise CrmdeskError(_("{path} already exists; the demo makes a new file.").format(
            path=path))
    if args.contacts < 0 or args.contacts > MAX_CONTACTS:
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
