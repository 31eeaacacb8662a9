"""Help > About: what this is, which version, and which file is open."""

from __future__ import annotations

import html
import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from crmdesk import __version__
from crmdesk.core.i18n import _


def about_text(db_path: Path | None) -> str:
    lines = [
        f"<h3>crmdesk {html.escape(__version__)}</h3>",
        "<p>" + html.escape(_("A contact manager for small businesses: everyone you deal "
                              "with, every conversation, in one file on your own computer."))
        + "</p>",
    ]
    if db_path is not None:
        lines.append("<p>" + html.escape(_("Database: {path}").format(path=db_path)) + "</p>")
    lines.append("<p><small>" + html.escape(
        _("Python {python}, Qt {qt}, PySide {pyside}. Released under the MIT licence.").format(
            python=platform.python_version(), qt=qVersion(), pyside=PySide6.__version__))
        + "</small></p>")
    return "".join(lines)


def show_about(parent: QWidget | None, db_path: Path | None) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(_("About crmdesk"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text(db_path))
    box.setIcon(QMessageBox.Icon.Information)
    box.exec()
