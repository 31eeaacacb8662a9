"""Progress with Cancel while pages are painted into a printer.

Qt paints into a printer on the GUI thread only, so a long print run keeps the
window painting and Cancel working by processing events after each page. The
dialog shows itself only when the run takes more than half a second, and it is
gone when the run ends however it ends: a QProgressDialog left alive would
show itself later on its own timer (after printing a page range that never
reached the last page, or a run that raised), in front of a window that has
nothing to do with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from crmdesk.core.i18n import _

SHOW_AFTER_MS = 500


@contextmanager
def painting_progress(parent: QWidget | None, label: str,
                      pages: int) -> Iterator[Callable[[int, int], bool]]:
    """``with painting_progress(...) as step``: ``step(done, total)`` after each page
    says whether to go on (False once the user pressed Cancel)."""
    dialog = QProgressDialog(label, _("Cancel"), 0, max(pages, 1), parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)

    def step(done: int, total: int) -> bool:
        dialog.setValue(min(done, dialog.maximum()))
        QApplication.processEvents()
        return not dialog.wasCanceled()

    try:
        yield step
    finally:
        dialog.reset()  # stops the timer that would show it later
        dialog.hide()
        dialog.deleteLater()
