"""Every write the window makes runs on the writer thread: the one write path.

DESIGN.md: writes go through one worker at a time, never on the GUI thread.
A Save, a delete or a Reached tick is short, and its caller wants the answer
(the new id, the problems to show) before it goes on, so ``write`` hands the
unit of work to the writer thread (the same one long jobs run on, so writes
queue instead of meeting as "the file is busy") and waits for it while the
window keeps painting; clicks and keys wait until it is done, so nothing can
be edited half-way through a save. Long work (imports, exports, big deletes)
goes through Operations.run instead, with a progress dialog and Cancel.

``install_gui_thread_check`` makes a write begun on the GUI thread show up in
the log (tests make it fail): storage calls it whenever a writing transaction
begins.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop
from sqlalchemy.orm import Session

from crmdesk.core.storage.database import Database, add_write_check, remove_write_check
from crmdesk.ui.tasks.worker import shared

T = TypeVar("T")
log = logging.getLogger("crmdesk.ui")

# How often the GUI thread looks up from painting while it waits, in seconds.
_POLL = 0.01


def on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def run_on_writer(fn: Callable[[], T]) -> T:
    """Run ``fn`` on the writer thread and return its result (or raise its error).

    On the GUI thread this waits with the window painted and timers running;
    user input is held back until the write is done. Already on the writer
    thread (a job calling a service), ``fn`` simply runs.
    """
    worker = shared("writer")
    if worker.is_current():
        return fn()
    done = threading.Event()
    box: dict[str, Any] = {}

    def job() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised on the caller's thread
            box["error"] = exc
        finally:
            done.set()

    worker.submit(job)
    app = QCoreApplication.instance()
    while not done.wait(_POLL):
        if app is not None and on_gui_thread():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents,
                                           int(_POLL * 1000))
    if "error" in box:
        raise box["error"]
    return box["result"]


def write(db: Database, action: Callable[[Session], T]) -> T:
    """One user action as one writing unit of work, on the writer thread."""

    def unit() -> T:
        with db.session() as session:
            return action(session)

    return run_on_writer(unit)


def open_database(path: str, *, create: bool = True, readonly: bool = False) -> Database:
    """Database.open on the writer thread: opening may create, migrate and seed.
    ``readonly``: to look at a file that may not be changed."""
    return run_on_writer(lambda: Database.open(path, create=create, readonly=readonly))


def _report_gui_write() -> None:
    if on_gui_thread():
        log.error("A write began on the GUI thread; it belongs on the writer thread:\n%s",
                  "".join(traceback.format_stack(limit=12)))


def install_gui_thread_check(check: Callable[[], None] = _report_gui_write) -> Callable[[], None]:
    """Report every writing transaction begun on the GUI thread (by default to the
    log); returns the check so that it can be removed again."""
    add_write_check(check)
    return check


def remove_gui_thread_check(check: Callable[[], None]) -> None:
    remove_write_check(check)
