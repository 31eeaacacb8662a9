"""Driving the modal log dialog from a test: exec() blocks, so the steps run from
the dialog's own event loop once it is shown, typing where the focus is."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

# How many times (10 ms apart) to look for the dialog before giving up: a dialog
# that never takes the keyboard focus must fail its test, not hang the whole run.
GIVE_UP = 800


def when_modal(steps: Callable[[QDialog], None], seen: list[QDialog] | None = None) -> None:
    """Run ``steps`` on the next modal dialog; close it if the steps did not. After
    GIVE_UP tries without a focused modal dialog, every modal dialog is closed (so
    the code waiting in exec() goes on) and the steps are not run."""

    tries = [0]

    def tick() -> None:
        dialog = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        tries[0] += 1
        if dialog is None or not (focus is not None and dialog.isAncestorOf(focus)):
            if tries[0] >= GIVE_UP:
                for widget in QApplication.topLevelWidgets():
                    if isinstance(widget, QDialog) and widget.isVisible() and widget.isModal():
                        widget.reject()
                return
            if dialog is not None and tries[0] % 20 == 0:
                dialog.activateWindow()  # the platform may not have done it yet
                dialog.raise_()
                if tries[0] >= 100 and dialog.focusWidget() is not None:
                    # Still not active (another top-level window kept it on a busy
                    # machine): what activation would do, give the dialog's own focus
                    # widget the keyboard.
                    dialog.focusWidget().setFocus(Qt.FocusReason.ActiveWindowFocusReason)
            QTimer.singleShot(10, tick)
            return
        if seen is not None:
            seen.append(dialog)
        try:
            steps(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, tick)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_here(qtbot, text: str) -> None:  # noqa: ANN001
    qtbot.keyClicks(focused(), text)


def press(qtbot, key, modifier=None) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt

    qtbot.keyClick(focused(), key, modifier or Qt.KeyboardModifier.NoModifier)
