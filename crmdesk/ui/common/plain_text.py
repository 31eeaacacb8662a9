"""User text is shown as text: a contact named ``<b>Bold</b>`` or ``<img src=x>``
shows those characters, never bold type or an image.

Qt reads a label's text as HTML when it looks like HTML (Qt::AutoText, every
QLabel's default, a QMessageBox's too) and so does every tooltip. The guard
below, an event filter on the application, makes every label plain text when it
is first shown unless its code asked for rich text itself (the few labels that
build their HTML with every user value escaped); tooltips given by item models
go through ``tooltip_text``.
"""

from __future__ import annotations

import html

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel


class PlainTextGuard(QObject):
    """Sets Qt::PlainText on every QLabel still left to guess (AutoText) when it is
    polished, before it is first drawn."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (event.type() == QEvent.Type.Polish and isinstance(watched, QLabel)
                and watched.textFormat() == Qt.TextFormat.AutoText):
            watched.setTextFormat(Qt.TextFormat.PlainText)
        return False


def install(app: QApplication) -> PlainTextGuard:
    """Put the guard on ``app`` (once; a second call returns the first guard)."""
    existing = app.findChild(PlainTextGuard)
    if existing is not None:
        return existing
    guard = PlainTextGuard(app)
    app.installEventFilter(guard)
    return guard


def tooltip_text(text: str) -> str:
    """A tooltip that shows ``text`` as it is: Qt takes a tooltip that looks like
    HTML for HTML, so such text is escaped inside a paragraph that keeps its
    line breaks."""
    if not QtGui.Qt.mightBeRichText(text):
        return text
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"
