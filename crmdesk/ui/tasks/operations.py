"""Long work off the GUI thread: one writer at a time, a progress dialog, results back.

The pattern of Anki's aqt/operations and Picard's util/thread: a job is a
plain function that gets a Progress to report to and to check for Cancel; it
runs on the app's one writer thread (worker.py; DESIGN.md: writes go through
one worker at a time, and SQLite in WAL mode lets the GUI keep reading meanwhile); its result
or its exception comes back to the GUI thread through a queued signal, where
the caller's callback runs. A job that is cancelled raises Cancelled from
Progress.report, so its transaction rolls back and nothing is half-written.
The dialog appears only if the job takes longer than half a second, so quick
jobs do not flash a window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _
from crmdesk.ui.common import errors
from crmdesk.ui.tasks.worker import shared

SHOW_AFTER_MS = 500


class Cancelled(CrmdeskError):
    """The user pressed Cancel; the job stopped and rolled back."""

    def __init__(self) -> None:
        super().__init__(_("Cancelled."))


class Progress:
    """Handed to a job (on the worker thread): report how far, learn of Cancel."""

    def __init__(self, bridge: _Bridge) -> None:
        self._bridge = bridge
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def report(self, done: int, total: int, text: str = "") -> None:
        """Show progress; raises Cancelled once the user has pressed Cancel."""
        if self._cancel.is_set():
            raise Cancelled()
        self._bridge.progressed.emit(int(done), int(total), text)


class _Bridge(QObject):
    """Lives on the GUI thread; its signals, emitted from the worker, arrive queued."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


def _run_job(job: Callable[[Progress], Any], progress: Progress, bridge: _Bridge) -> None:
    """On the writer thread."""
    try:
        result = job(progress)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
        bridge.failed.emit(exc)
    else:
        bridge.succeeded.emit(result)


class Operation(QObject):
    """One job: its signals fire on the GUI thread once it has finished."""

    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, progress_dialog: QProgressDialog | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = _Bridge(self)
        self.progress = Progress(self.bridge)
        self.dialog = progress_dialog
        self.done = False
        self.label = ""
        self.bridge.progressed.connect(self._on_progress)
        self.bridge.succeeded.connect(self._on_success)
        self.bridge.failed.connect(self._on_failure)
        if progress_dialog is not None:
            progress_dialog.canceled.connect(self.cancel)

    def show_dialog(self) -> None:
        if self.dialog is not None and not self.done:
            self.dialog.show()

    def cancel(self) -> None:
        self.progress.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(_("Cancelling…"))

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is None or self.done:
            return
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if text:
            self.dialog.setLabelText(text)

    def _close(self) -> None:
        self.done = True
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    @Slot(object)
    def _on_success(self, result: object) -> None:
        self._close()
        self.succeeded.emit(result)
        self.finished.emit()

    @Slot(object)
    def _on_failure(self, exc: object) -> None:
        self._close()
        self.failed.emit(exc)
        self.finished.emit()


class Operations(QObject):
    """The window's single worker for writes and other long jobs."""

    # Started or finished the last job: ask busy(). (No bool argument: see views.py.)
    busy_changed = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._worker = shared("writer")
        self._running: list[Operation] = []

    def busy(self) -> bool:
        return bool(self._running)

    def run(self, job: Callable[[Progress], Any], *, label: str,
            on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None,
            cancellable: bool = True, show_progress: bool = True) -> Operation:
        """Start ``job`` on the worker; callbacks run on the GUI thread.

        Without ``on_failure`` a failure is shown by errors.show_error; a
        cancelled job is not an error and calls neither callback.
        """
        dialog = None
        if show_progress:
            dialog = QProgressDialog(label, _("Cancel") if cancellable else "", 0, 0,
                                     self._window)
            dialog.setWindowTitle(_("crmdesk"))
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(SHOW_AFTER_MS)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if not cancellable:
                dialog.setCancelButton(None)
        op = Operation(dialog, self)
        op.label = label
        if dialog is not None:
            # QProgressDialog shows itself only after 4 s with a busy (0..0) range.
            QTimer.singleShot(SHOW_AFTER_MS, op.show_dialog)
        self._running.append(op)

        def finished() -> None:
            # First: a callback may start the next job (or open another file).
            if op in self._running:
                self._running.remove(op)
                op.deleteLater()
                if not self._running:
                    self.busy_changed.emit()

        def succeeded(result: object) -> None:
            finished()
            if on_success is not None:
                on_success(result)

        def failed(exc: object) -> None:
            finished()
            assert isinstance(exc, BaseException)
            if isinstance(exc, Cancelled):
                return
            if on_failure is not None:
                on_failure(exc)
            else:
                errors.show_error(self._window, exc)

        op.succeeded.connect(succeeded)
        op.failed.connect(failed)
        if len(self._running) == 1:
            self.busy_changed.emit()
        bridge, progress = op.bridge, op.progress
        self._worker.submit(lambda: _run_job(job, progress, bridge))
        return op

    def cancel_all(self) -> None:
        for op in self._running:
            op.progress.cancel()

    def running_labels(self) -> list[str]:
        """What the jobs still running are doing ("Importing contacts…")."""
        return [op.label for op in self._running]

    def wait(self, seconds: float | None = None) -> bool:
        """Block until the worker is idle (closing the window, switching files)."""
        return self._worker.wait(seconds)
