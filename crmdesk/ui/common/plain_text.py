"""User text is shown as text: a contact named ``<b>Bold</b>`` or ``<img src=x>``
shows those characters, never bold type or an image.

Qt reads a label's text as HTML when it looks like HTML (Qt::AutoText, every
QLabel's default, a QMessageBox's too) and so does every tooltip. ``install``
makes every label plain text when it is first shown unless its code asked for
rich text itself (the few labels that build their HTML with every user value
escaped); tooltips given by item models go through ``tooltip_text``.
"""

from __future__ import annotations

import html

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from crmdesk.ui.common import wheel_guard


def make_plain(widget: QWidget) -> None:
    """A label still left to guess (AutoText) shows its text as text."""
    if isinstance(widget, QLabel) and widget.textFormat() == Qt.TextFormat.AutoText:
        widget.setTextFormat(Qt.TextFormat.PlainText)


def install(app: QApplication) -> None:
    """Every label is made plain text when it is first shown (polished), through the
    app's one event filter (wheel_guard's: a second Python filter would be called
    for every event too)."""
    guard = wheel_guard.install(app)
    if make_plain not in guard.polishers:
        guard.polishers.append(make_plain)


def tooltip_text(text: str) -> str:
    """A tooltip that shows ``text`` as it is: Qt takes a tooltip that looks like
    HTML for HTML, so such text is escaped inside a paragraph that keeps its
    line breaks."""
    if not QtGui.Qt.mightBeRichText(text):
        return text
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"
