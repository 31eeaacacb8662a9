"""`crmdesk gui` (and `crmdesk` alone, and `crmdesk-gui`): open the window.

The only command that needs Qt, and it imports crmdesk.ui inside ``run``: the
rest of the CLI starts, and works, without PySide6 loaded or a screen.
"""

from __future__ import annotations

import argparse
import os
import sys

from crmdesk.cli.common import EXIT_USER, Subparsers, add_db_option, db_given, db_path, say
from crmdesk.core.i18n import _


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("gui", help=_("open the window (the default)"),
                       description=_("Open the crmdesk window on a database file."))
    add_db_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        say(_("crmdesk needs a screen to open its window, and this machine has none "
              "(no DISPLAY). The command-line tools work: try `crmdesk --help`."))
        return EXIT_USER
    from crmdesk.ui.window.app import run as run_window  # lazily: no Qt in the CLI itself

    return run_window(str(db_path(args)) if db_given(args) else None)
