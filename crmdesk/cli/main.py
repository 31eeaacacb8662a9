"""The `crmdesk` command. No subcommand: the GUI. Subcommands: the same jobs headless.

Each command is a module of this package with ``add_parser(subparsers)``, which
also sets the command's ``run(args) -> int`` as the parser's default, and
``run`` itself. This module only puts the parser together and dispatches;
cli/common.py holds the one ``--db`` option, table printer and error handler.

Exit codes: 0 ok, 1 a user error (with a message on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from crmdesk import __version__
from crmdesk.cli import (
    agenda,
    backup,
    check,
    demo,
    duplicates,
    envelopes,
    export,
    fields,
    groups,
    gui,
    history,
    importing,
    labels,
    log,
    merge,
    phone_country,
    search,
    tag,
)
from crmdesk.cli.common import add_db_option, configure_logging, handle_errors
from crmdesk.core.i18n import _

# In the order `crmdesk --help` lists them.
COMMANDS = (gui, search, check, demo, fields, history, log, importing, export, labels,
            envelopes, duplicates,
            merge, backup, phone_country, groups, tag, agenda)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmdesk",
        description=_(
            "crmdesk keeps your customers and prospects in one file. Without a command it "
            "opens the window."
        ),
    )
    parser.add_argument("--version", action="version", version=f"crmdesk {__version__}")
    add_db_option(parser, top=True)
    parser.set_defaults(run=gui.run)  # no command: the window
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    configure_logging()

    def dispatch() -> int:
        args = build_parser().parse_args(argv)  # a usage error exits 2 here
        code: int = args.run(args)
        return code

    return handle_errors(dispatch)


def gui_main() -> int:
    """Entry point of the `crmdesk-gui` script (no console window on Windows)."""
    return main(["gui", *sys.argv[1:]])
