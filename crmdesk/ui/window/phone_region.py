"""Tools > Phone Country…: which country a number typed without +code belongs to,
and what becomes of the numbers already typed that way (a preview, then re-read
them or keep them as they are)."""

from __future__ import annotations

from typing import Any, Protocol

from babel import Locale
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.changes import Changes
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.maintenance.phone_region import PhoneReread, change_region, preview
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.settings import get_setting
from crmdesk.ui.common import dialogs
from crmdesk.ui.tasks.operations import Operations, Progress


class RegionHost(Protocol):
    """What the phone country needs of the main window."""

    db: Database
    operations: Operations

    def statusBar(self) -> Any: ...  # noqa: N802 - Qt's name
    def broadcast(self, changes: Changes) -> None: ...

# Rows the preview lists; the count says how many there are in all.
SHOWN = 500
REREAD, KEEP = 1, 2


def country_names() -> dict[str, str]:
    """Two-letter country codes and their names in the user's language."""
    name = QLocale().name()
    ui_locale = Locale.parse(name, sep="_") if name != "C" else Locale("en")
    return {code: label for code, label in ui_locale.territories.items()
            if len(code) == 2 and code.isalpha()}


class RereadDialog(QDialog):
    """The numbers whose international form would change, before and after."""

    def __init__(self, found: list[PhoneReread], country: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Phone Country"))
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(ngettext(
            "{n} number was typed without a country code. Read it as a number of {country}?",
            "{n} numbers were typed without a country code. Read them as numbers of {country}?",
            len(found)).format(n=QLocale().toString(len(found)), country=country))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(min(len(found), SHOWN), 4, self)
        self.table.setHorizontalHeaderLabels([_("Name"), _("Typed"), _("Now"), _("Becomes")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        unreadable = _("(not a number there)")
        for row, item in enumerate(found[:SHOWN]):
            for column, text in enumerate((item.owner, item.number, item.before or unreadable,
                                           item.after or unreadable)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        if len(found) > SHOWN:
            layout.addWidget(QLabel(_("… and {n} more.").format(
                n=QLocale().toString(len(found) - SHOWN))))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.reread_button = QPushButton(_("Re-read the Numbers"), self)
        self.reread_button.setDefault(True)
        self.keep_button = QPushButton(_("Keep Them as They Are"), self)
        buttons.addButton(self.reread_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.reread_button.clicked.connect(lambda: self.done(REREAD))
        self.keep_button.clicked.connect(lambda: self.done(KEEP))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def choose_phone_region(window: RegionHost) -> None:
    """Ask for the country, preview the numbers it changes (on the worker), ask
    whether to re-read them, and change the setting (on the writer)."""
    db = window.db
    with db.reading() as session:
        current = get_setting(session, "phone_region")
    names = country_names()
    codes = sorted(names, key=lambda c: names[c].casefold())
    labels = [_("None: always type the country code")] + [f"{names[c]} ({c})" for c in codes]
    index = dialogs.pick(
        window, _("Phone Country"),
        _("Phone numbers typed without a country code (+…) belong to:"), labels,
        codes.index(current) + 1 if current in codes else 0)
    if index < 0:
        return
    region = "" if index == 0 else codes[index - 1]
    if region == current:
        return
    country = names.get(region, _("international only"))

    def look(progress: Progress) -> list[PhoneReread]:
        progress.report(0, 0)
        with db.reading() as session:
            return preview(session, region, progress=progress.report)

    def apply(reread: bool) -> None:
        def job(progress: Progress) -> Changes:
            progress.report(0, 0)
            with db.session() as session:
                return change_region(session, region, reread=reread)

        def done(changes: Changes) -> None:
            window.broadcast(changes)
            window.statusBar().showMessage(
                _("Phone numbers without a country code are now read as {country}.").format(
                    country=country), 8000)

        window.operations.run(job, label=_("Changing the phone country…"), on_success=done,
                              cancellable=False)

    def previewed(found: list[PhoneReread]) -> None:
        if not found:
            apply(False)
            return
        dialog = RereadDialog(found, country, window)
        choice = dialog.exec()
        if choice in (REREAD, KEEP):
            apply(choice == REREAD)

    window.operations.run(look, label=_("Looking at the phone numbers…"),
                          on_success=previewed)



