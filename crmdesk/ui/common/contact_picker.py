"""Choose whom something is about: search by any fragment (or a lookup), tick people.

Used where no list selection says it already: logging an interaction from the
History view, or changing who an entry is about. The people already chosen stay
at the top, ticked, whatever the search shows; at most MAX_SHOWN matches are
listed (a search narrows, nobody scrolls 100,000 names).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.contacts.records import summaries
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _
from crmdesk.core.lookup import listing
from crmdesk.core.storage.database import Database

MAX_SHOWN = 100
IdRole = Qt.ItemDataRole.UserRole


class ContactPicker(QDialog):
    def __init__(self, db: Database, chosen: Sequence[int] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(_("Choose Contacts"))
        self._chosen: list[int] = list(dict.fromkeys(chosen))
        self.search = QLineEdit(self)
        self.search.setObjectName("picker_search")
        self.search.setPlaceholderText(_("Type a name, a company, a phone … or a lookup"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setObjectName("picker_results")
        self.results.itemChanged.connect(self._ticked)
        self.results.itemActivated.connect(self._toggle)
        self.note = QLabel(self)
        self.note.setObjectName("picker_note")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._enter_in_search)
        self.resize(440, 420)
        self.refresh()

    def chosen(self) -> list[int]:
        return list(self._chosen)

    def refresh(self) -> None:
        """List the chosen people first, then up to MAX_SHOWN matches of the search."""
        self._timer.stop()
        query = self.search.text().strip()
        found: list[int] = []
        problem = ""
        if query:
            try:
                with self.db.reading() as s:
                    found = listing.contact_ids(s, query)
            except (CrmdeskError, ValueError) as exc:
                problem = str(exc)
        extra = [i for i in found if i not in self._chosen]
        shown = self._chosen + extra[:MAX_SHOWN]
        with self.db.reading() as s:
            names = {c.id: c for c in summaries(s, shown)}
        self.results.blockSignals(True)
        self.results.clear()
        for cid in shown:
            summary = names.get(cid)
            if summary is None:
                continue
            text = summary.name or _("(no name)")
            if summary.company:
                text = _("{name} — {company}").format(name=text, company=summary.company)
            item = QListWidgetItem(text, self.results)
            item.setData(IdRole, cid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if cid in self._chosen
                               else Qt.CheckState.Unchecked)
        self.results.blockSignals(False)
        if problem:
            self.note.setText(problem)
        elif query and not found:
            self.note.setText(_("Nobody matches {query!r}.").format(query=query))
        elif len(extra) > MAX_SHOWN:
            self.note.setText(_("The first {shown} of {n} matches: type more to narrow them.")
                              .format(shown=MAX_SHOWN, n=len(extra)))
        elif not query and not self._chosen:
            self.note.setText(_("Type to find the people this is about, then tick them."))
        else:
            self.note.setText(_("{n} chosen.").format(n=len(self._chosen)))
        if self.results.count() and self.results.currentRow() < 0:
            self.results.setCurrentRow(0)

    def _ticked(self, item: QListWidgetItem) -> None:
        cid = item.data(IdRole)
        if item.checkState() == Qt.CheckState.Checked:
            if cid not in self._chosen:
                self._chosen.append(cid)
        elif cid in self._chosen:
            self._chosen.remove(cid)
        self.note.setText(_("{n} chosen.").format(n=len(self._chosen)))

    def _toggle(self, item: QListWidgetItem) -> None:
        item.setCheckState(Qt.CheckState.Unchecked if item.checkState() == Qt.CheckState.Checked
                           else Qt.CheckState.Checked)

    def _enter_in_search(self) -> None:
        """Enter in the search: run it now and tick the first match if nobody is ticked."""
        self.refresh()
        for row in range(self.results.count()):
            item = self.results.item(row)
            if item.checkState() != Qt.CheckState.Checked:
                item.setCheckState(Qt.CheckState.Checked)
                self.results.setCurrentRow(row)
                break
        self.results.setFocus(Qt.FocusReason.OtherFocusReason)


def pick_contacts(parent: QWidget | None, db: Database,
                  chosen: Sequence[int] = ()) -> list[int] | None:
    """The ticked contacts, or None on Cancel (tests replace ContactPicker.exec)."""
    picker = ContactPicker(db, chosen, parent)
    try:
        if picker.exec() != QDialog.DialogCode.Accepted:
            return None
        return picker.chosen()
    finally:
        picker.deleteLater()
