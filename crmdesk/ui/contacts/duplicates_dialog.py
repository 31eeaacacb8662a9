"""Tools > Find Duplicates…: the pairs of contacts that are probably one person, with
a score and the reasons, the likeliest first; double-click (or Enter, or Merge…)
opens the merge dialog for a pair.

The scan (core/contacts/duplicates.find_duplicates) runs on the reader thread,
as the lists' queries do, with its progress shown in the dialog: the window
stays responsive while 100,000 contacts are compared.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.contacts.duplicates import Match, find_duplicates, names_of
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.storage.database import Database
from crmdesk.ui.contacts.merge_dialog import open_merge
from crmdesk.ui.contacts.table_model import reader

# The pair's two contact ids, as plain ints (no Python object held by a Qt item).
FirstRole = Qt.ItemDataRole.UserRole + 1
SecondRole = Qt.ItemDataRole.UserRole + 2


class _Inbox(QObject):
    """The reader thread's answers, delivered on the GUI thread (queued)."""

    progressed = Signal(int, int)
    found = Signal(object, object)  # matches, names
    failed = Signal(object)


class DuplicatesDialog(QDialog):
    """The duplicate pairs of ``window``'s file; merging one tells the window."""

    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.db: Database = window.db
        self.matches: list[Match] = []
        self.scanned = False
        self.setWindowTitle(_("Find Duplicates"))
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        self.status = QLabel(_("Comparing the contacts…"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        layout.addWidget(self.progress)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("duplicate_pairs")
        self.table.setHorizontalHeaderLabels([_("Score"), _("This contact"),
                                              _("That contact"), _("Why")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, 220)
        header.setStretchLastSection(True)
        # A double-click, or Enter on a row (the style's "activate").
        self.table.itemActivated.connect(lambda _item: self.merge_current())
        layout.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.merge_button = self.buttons.addButton(_("Merge…"),
                                                   QDialogButtonBox.ButtonRole.ActionRole)
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.merge_current)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._inbox = _Inbox()
        self._inbox.progressed.connect(self._progressed)
        self._inbox.found.connect(self._found)
        self._inbox.failed.connect(self._failed)
        self.scan()

    def scan(self) -> None:
        """Compare every contact, on the reader thread."""
        db, inbox = self.db, self._inbox
        self.scanned = False

        def report(done: int, total: int) -> None:
            inbox.progressed.emit(done, total)

        def job() -> None:
            try:
                with db.reading() as s:
                    matches = find_duplicates(s, progress=report)
                    names = names_of(s, (i for m in matches for i in (m.first, m.second)))
            except Exception as exc:  # noqa: BLE001 - shown in the dialog, not lost
                try:
                    inbox.failed.emit(exc)
                except RuntimeError:  # the dialog closed meanwhile
                    pass
                return
            try:
                inbox.found.emit(matches, names)
            except RuntimeError:
                pass

        reader().submit(job)

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        from crmdesk.ui.common import errors

        self.progress.hide()
        self.status.setText(_("The contacts could not be compared."))
        self.scanned = True
        errors.show_error(self, exc)

    @Slot(object, object)
    def _found(self, matches: list[Match], names: dict[int, str]) -> None:
        self.matches = matches
        self.progress.hide()
        self.table.setRowCount(len(matches))
        for row, m in enumerate(matches):
            cells = [str(m.score), f"{names.get(m.first, '?')} ({m.first})",
                     f"{names.get(m.second, '?')} ({m.second})", m.reason_text()]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(FirstRole, m.first)
                item.setData(SecondRole, m.second)
                if col == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.status.setText(ngettext(
            "{n} pair of contacts may be one person. Double-click a pair to merge it.",
            "{n} pairs of contacts may be one person. Double-click a pair to merge it.",
            len(matches)).format(n=len(matches)) if matches
            else _("No two contacts look like one person."))
        if matches:
            self.table.selectRow(0)
        self.merge_button.setEnabled(bool(matches) and not getattr(self.db, "readonly", False))
        self.scanned = True

    def merge_current(self) -> None:
        """The merge dialog for the selected pair; once merged, the pairs with the
        contact that went to the trash leave the list."""
        if getattr(self.db, "readonly", False):
            return
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None:
            return
        first, second = int(item.data(FirstRole)), int(item.data(SecondRole))
        dialog = open_merge(self.window_, first, second)
        if dialog is None or dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.window_.broadcast(dialog.changes)
        gone = dialog.merged.other if dialog.merged is not None else second
        for r in reversed(range(self.table.rowCount())):
            cell = self.table.item(r, 0)
            if gone in (cell.data(FirstRole), cell.data(SecondRole)):
                self.table.removeRow(r)
        self.matches = [m for m in self.matches if gone not in (m.first, m.second)]
        self.merge_button.setEnabled(self.table.rowCount() > 0)


def find_duplicates_dialog(window: Any) -> None:
    """Tools > Find Duplicates…"""
    DuplicatesDialog(window).exec()
