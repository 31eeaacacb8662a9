"""What every `crmdesk` command shares: the `--db` option, tables, JSON and errors.

One of each, so that every command accepts `--db` in the same places, lines up
its columns the same way (CJK characters take two terminal columns), and ends
the same way: 0 when done, 1 with a one-line message for a problem the user can
fix, 2 for a usage error (argparse's own), and for a bug a one-line message on
stderr with the traceback in the log file, never a traceback dump.
"""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO, TypeAlias

from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _
from crmdesk.core.text.folding import display_width

EXIT_OK = 0
EXIT_USER = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

LOG_FILE_NAME = "crmdesk.log"
_ONE_LINE = 300  # characters of an unexpected error's own text on stderr

log = logging.getLogger("crmdesk.cli")

# What each command's add_parser(subparsers) receives.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


# -- the database option ---------------------------------------------------------------


def add_db_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--db PATH``: on the top parser (before the command) and on every command's own
    (after it). A command's parser leaves the value alone when it is not given there,
    so ``crmdesk --db X search ...`` and ``crmdesk search ... --db X`` are the same."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help=_("the database file (default: your own, in the user data folder)"),
    )


def db_path(args: argparse.Namespace) -> Path:
    """The file named by ``--db``, else the user's own (CRMDESK_DB overrides it)."""
    from crmdesk.core.storage.database import default_path

    value = getattr(args, "db", None)
    return Path(value) if value else default_path()


def db_given(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "db", None))


# -- output ------------------------------------------------------------------------------


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` terminal columns."""
    return text + " " * (width - display_width(text))


def cut(text: str, width: int) -> str:
    """``text`` on one line in at most ``width`` terminal columns, with an ellipsis if cut."""
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out += ch
        used += w
    return out + "…"


def print_table(head: Sequence[str], rows: Sequence[Sequence[str]],
                out: TextIO | None = None) -> None:
    """A header and rows in columns two spaces apart, lined up in terminal columns."""
    out = out or sys.stdout
    lines = [tuple(head), *(tuple(r) for r in rows)]
    widths = [max(display_width(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        print("  ".join(pad(cell, w) for cell, w in zip(line, widths, strict=True)).rstrip(),
              file=out)


def print_json(data: Any, out: TextIO | None = None, *, indent: int | None = 2) -> None:
    """``data`` as JSON, non-ASCII text as itself (Иванова, 王小明), not as \\u escapes."""
    print(json.dumps(data, ensure_ascii=False, indent=indent), file=out or sys.stdout)


def say(message: str) -> None:
    """A message for the user beside the output (on stderr): "No contact matches ..."."""
    print(message, file=sys.stderr)


# -- logging and errors ------------------------------------------------------------------


def configure_logging() -> None:
    """Warnings on stderr; CRMDESK_LOG=INFO or DEBUG shows more."""
    level = os.environ.get("CRMDESK_LOG", "WARNING").upper()
    if not isinstance(logging.getLevelName(level), int):
        level = "WARNING"
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def log_file() -> Path:
    """Where the CLI writes the traceback of an unexpected error (the user's log folder)."""
    import platformdirs

    return platformdirs.user_log_path("crmdesk", appauthor=False) / LOG_FILE_NAME


def _write_traceback(exc: BaseException) -> Path | None:
    """Append ``exc`` with its traceback to the log file; its path, or None if it
    cannot be written (then the traceback goes to the debug log only)."""
    path = log_file()
    file_log = logging.getLogger("crmdesk.cli.crash")
    file_log.propagate = False  # the file only: stderr gets one line
    # Owner-only, also the file a rollover starts anew (the handler opens it).
    umask = os.umask(0o077)
    try:
        return _append_traceback(path, file_log, exc)
    finally:
        os.umask(umask)


def _append_traceback(path: Path, file_log: logging.Logger, exc: BaseException) -> Path | None:
    from crmdesk import __version__

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))  # owner-only
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=1, encoding="utf-8")
    except OSError:
        log.debug("cannot write %s", path, exc_info=True)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    file_log.addHandler(handler)
    try:
        file_log.error("crmdesk %s, Python %s: %s", __version__, sys.version.split()[0],
                       " ".join(sys.argv), exc_info=(type(exc), exc, exc.__traceback__))
    finally:
        file_log.removeHandler(handler)
        handler.close()
    return path


def report_unexpected(exc: BaseException) -> int:
    """A bug: one line on stderr, the traceback in the log file; exit code 1."""
    text = " ".join((str(exc) or type(exc).__name__).split())
    if len(text) > _ONE_LINE:
        text = text[:_ONE_LINE - 1] + "…"
    path = _write_traceback(exc)
    log.debug("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    if path is not None:
        message = _("crmdesk: something went wrong that crmdesk did not expect: {error} "
                    "(the details are in {path})").format(error=text, path=path)
    else:
        message = _("crmdesk: something went wrong that crmdesk did not expect: "
                    "{error}").format(error=text)
    say(message)
    return EXIT_USER


def handle_errors(action: Callable[[], int]) -> int:
    """Run a command and turn what it raises into an exit code and a message."""
    try:
        return action()
    except CrmdeskError as exc:
        say(_("crmdesk: {message}").format(message=exc.message))
        return EXIT_USER
    except KeyboardInterrupt:
        say(_("crmdesk: interrupted"))
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `crmdesk search x | head`: the reader has what it wanted
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place a bug becomes a message
        known = _from_sqlite(exc)
        if known is not None:
            say(_("crmdesk: {message}").format(message=known.message))
            return EXIT_USER
        return report_unexpected(exc)


def _from_sqlite(exc: Exception) -> CrmdeskError | None:
    """What SQLite said outside a unit of work (which would have translated it):
    a damaged file, a full disk, a read-only file are the user's to fix, not bugs."""
    import sqlite3

    from crmdesk.core.storage.database import translate_error

    original = getattr(exc, "orig", exc)
    if not isinstance(original, sqlite3.Error):
        return None
    ours = translate_error(exc, _("The database file"))
    return ours if isinstance(ours, CrmdeskError) else None
