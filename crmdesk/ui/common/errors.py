"""The one place where an exception becomes what the user sees.

A CrmdeskError is a known problem (a full disk, a file open elsewhere, a
field that does not validate) and carries a message written for a shop owner:
show it plainly. Anything else is a bug: say so in plain words, put the
traceback where it can be selected and copied into a report, and log it.
Uncaught exceptions in slots end up here too (install_excepthook), so a bug
never kills the window silently.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from crmdesk import __version__
from crmdesk.core.errors import CrmdeskError, ValidationError
from crmdesk.core.i18n import _
from crmdesk.ui.tasks.writes import write

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from crmdesk.core.storage.database import Database

T = TypeVar("T")
log = logging.getLogger("crmdesk.ui")


def describe(exc: BaseException) -> tuple[str, str | None]:
    """(message, details): details is None for a known problem, a traceback otherwise."""
    if isinstance(exc, ValidationError):
        lines = [p.message for p in exc.problems] or [exc.message]
        return "\n".join(lines), None
    if isinstance(exc, CrmdeskError):
        return exc.message, None
    if isinstance(exc, MemoryError):
        return _("The computer ran out of memory. The last action was not completed."), None
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    details = f"crmdesk {__version__}, Python {sys.version.split()[0]}\n\n{details}"
    text = _("Something went wrong that crmdesk did not expect: {error}\n\n"
             "The last action was not completed; what was saved before is safe. "
             "If it happens again, please send the details below with your report.").format(
        error=str(exc) or type(exc).__name__)
    return text, details


def show_error(parent: QWidget | None, exc: BaseException, *, title: str | None = None) -> None:
    """Tell the user about ``exc`` (and log it when it is a bug)."""
    text, details = describe(exc)
    if details is not None:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    else:
        log.info("shown to the user: %s", text)
    icon = QMessageBox.Icon.Critical if details else QMessageBox.Icon.Warning
    box = QMessageBox(icon, title or _("crmdesk"), text, QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if details:
        box.setDetailedText(details)  # selectable and copyable
    box.exec()


_showing = False


def _excepthook(kind: type[BaseException], exc: BaseException,
                tb: TracebackType | None) -> None:
    global _showing
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    if _showing:  # an error while showing an error: log only, never loop
        log.error("error while reporting an error", exc_info=(kind, exc, tb))
        return
    _showing = True
    try:
        show_error(QApplication.activeWindow(), exc)
    finally:
        _showing = False


def install_excepthook() -> None:
    """Route exceptions escaping Qt slots to show_error instead of stderr only."""
    sys.excepthook = _excepthook


def run_unit(parent: QWidget, db: Database, action: Callable[[Session], T]) -> tuple[bool, T | None]:
    """One user action as one unit of work on the writer thread: (done, result); a
    known problem is shown (titled like the dialog it happened in) and nothing of
    the action is kept."""
    try:
        result = write(db, action)
    except CrmdeskError as exc:
        show_error(parent, exc, title=parent.windowTitle())
        return False, None
    return True, result
