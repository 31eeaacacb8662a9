"""The mouse wheel scrolls the form; it never changes a value the user is not editing.

Qt lets the wheel change any drop-down, spin box, date/time edit or slider the
pointer happens to pass over, and gives it the focus on the way: scrolling down
a contact form turned a Status from Customer into Supplier, and the next Ctrl+S
saved it. One filter on the application fixes that everywhere: a wheel over
such a widget that does not have the keyboard focus goes to the scroll area
around it instead (or nowhere), and those widgets take the focus by click or
Tab only (StrongFocus), so the wheel cannot give it to them either. A widget
the user has focused still answers the wheel, as keyboard users expect.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def guarded(widget: QWidget) -> bool:
    """Whether the wheel would change this widget's value (scroll bars only scroll)."""
    return isinstance(widget, GUARDED) and not isinstance(widget, QScrollBar)


def guarded_owner(widget: QWidget) -> QWidget | None:
    """The value widget a wheel over ``widget`` would change: itself, or the combo
    or spin box whose line edit it is; None for anything else."""
    current: QWidget | None = widget
    while current is not None:
        if guarded(current):
            return current
        if current.isWindow() or isinstance(current, QAbstractScrollArea):
            return None
        current = current.parentWidget()
    return None


def has_focus(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


def scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    current = widget.parentWidget()
    while current is not None:
        if isinstance(current, QAbstractScrollArea):
            return current
        if current.isWindow():
            return None
        current = current.parentWidget()
    return None


class WheelGuard(QObject):
    """Installed once on the QApplication (see ``install``). It is the app's one event
    filter: a Python filter is called for every event of every widget, so others
    that need a widget when it is first shown (plain_text) add a ``polishers`` hook
    here instead of a filter of their own."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.polishers: list[Callable[[QWidget], None]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            if not isinstance(watched, QWidget):
                return False
            owner = guarded_owner(watched)
            if owner is None or has_focus(owner):
                return False
            area = scroll_area_around(owner)
            if area is not None:
                QApplication.sendEvent(area.viewport(), event)
            return True  # not the widget's: its value stays
        if kind == QEvent.Type.Polish and isinstance(watched, QWidget):
            if guarded(watched) and watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            for polish in self.polishers:
                polish(watched)
        return False


def install(app: QApplication) -> WheelGuard:
    """Put the guard on ``app`` (once; a second call returns the first guard)."""
    existing = app.findChild(WheelGuard)
    if existing is not None:
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard
