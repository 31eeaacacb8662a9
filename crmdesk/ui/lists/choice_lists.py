"""The drop-down lists a user keeps himself (contact status, lead source,
interaction kinds and outcomes).

A ChoiceCombo offers the list's active entries and, at the end, "Edit list...",
which opens the ChoiceListDialog. There every change (add, rename, reorder,
hide) is one unit of work of its own, saved at once: renaming "Lead" to
"Enquiry" changes the name on every contact that has it, because contacts
point at the entry, not at its text. Hidden (archived) entries are no longer
offered, but a contact that has one keeps it and the combo still shows it.
For the history's lists, a tick says whether an entry means the person was
reached: last contact and last attempt are derived from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from crmdesk.core.i18n import _, ngettext
from crmdesk.core.lists.choices import (
    HISTORY_LISTS,
    add_choice,
    archive_choice,
    list_choices,
    move_choice,
    rename_choice,
    set_reached,
    usage_count,
)
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import (
    ACTIVITY_KIND,
    INTERACTION_KIND,
    OUTCOME,
    SOURCE,
    STATUS,
)
from crmdesk.ui.common import errors
from crmdesk.ui.tasks.operations import Operations, Progress

T = TypeVar("T")
IdRole = Qt.ItemDataRole.UserRole + 1
REACHED_COLUMN = 3
_EDIT = "\x00edit-list"  # the data of the "Edit list..." entry; no real entry has a NUL


def kind_title(kind: str) -> str:
    return {STATUS: _("Status"), SOURCE: _("Source"), INTERACTION_KIND: _("Interaction kinds"),
            OUTCOME: _("Outcomes"), ACTIVITY_KIND: _("Activity kinds")}.get(kind, kind)


def _names(db: Database, kind: str) -> dict[int, str]:
    with db.reading() as s:
        return {c.id: c.name for c in list_choices(s, kind, include_archived=True)}


class ChoiceCombo(QComboBox):
    """One user-editable list as a drop-down, its value the entry's name."""

    changed = Signal()
    # The list editor was closed: {old name: new name} of the entries renamed.
    list_edited = Signal(dict)

    def __init__(self, db: Database, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = kind
        self._value = ""
        self._filling = False
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        self.activated.connect(self._activated)
        self.currentIndexChanged.connect(self._index_changed)
        self.reload()

    def value(self) -> str:
        return self._value

    def set_value(self, name: str) -> None:
        self._value = name
        self._select()

    def reload(self) -> None:
        """Read the list again from the file, keeping the value shown."""
        with self.db.reading() as s:
            entries = list_choices(s, self.kind)
        self._filling = True
        try:
            self.clear()
            self.addItem(_("(none)"), "")
            self.setItemData(0, QColor(Qt.GlobalColor.gray), Qt.ItemDataRole.ForegroundRole)
            for entry in entries:
                self.addItem(entry.name, entry.name)
                self.setItemData(self.count() - 1, entry.id, IdRole)
            self.insertSeparator(self.count())
            self.addItem(_("Edit list…"), _EDIT)
            self.setItemData(self.count() - 1, _("Add, rename, reorder or hide entries"),
                             Qt.ItemDataRole.ToolTipRole)
        finally:
            self._filling = False
        self._select()

    def _select(self) -> None:
        self._filling = True
        try:
            index = self._find(self._value)
            if index < 0:
                # Not offered any more (hidden) or not known yet: shown, never dropped.
                index = self.count() - 2
                self.insertItem(index, _("{name} (hidden)").format(name=self._value),
                                self._value)
                self.setItemData(index, QColor(Qt.GlobalColor.darkGray),
                                 Qt.ItemDataRole.ForegroundRole)
            self.setCurrentIndex(index)
        finally:
            self._filling = False

    def _find(self, name: str) -> int:
        if not name:
            return 0
        for i in range(self.count()):
            data = self.itemData(i)
            if isinstance(data, str) and data != _EDIT and data.casefold() == name.casefold():
                return i
        return -1

    def _index_changed(self, index: int) -> None:
        data = self.itemData(index)
        if self._filling or data == _EDIT or not isinstance(data, str):
            return
        if data != self._value:
            self._value = data
            self.changed.emit()

    def _activated(self, index: int) -> None:
        if self.itemData(index) == _EDIT:
            self._select()  # back to the value while the editor is open
            self.edit_list()

    def edit_list(self) -> None:
        before = _names(self.db, self.kind)
        dialog = ChoiceListDialog(self.db, self.kind, self.window())
        dialog.exec()
        after = _names(self.db, self.kind)
        renamed = {old: after[cid] for cid, old in before.items()
                   if cid in after and after[cid] != old}
        for old, new in renamed.items():
            if self._value.casefold() == old.casefold():
                self._value = new
        self.reload()
        self.list_edited.emit(renamed)


class ChoiceListDialog(QDialog):
    """Edit one list: each change is saved at once (Close only closes)."""

    # A change was saved (views showing the entries may refresh).
    list_changed = Signal()

    def __init__(self, db: Database, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = kind
        self.setWindowTitle(_("Edit the list: {name}").format(name=kind_title(kind)))
        self.history = kind in HISTORY_LISTS
        self.operations = Operations(self)  # the Reached tick's long recompute
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(4 if self.history else 3)
        used = _("Used") if self.history or kind == ACTIVITY_KIND else _("Contacts")
        self.tree.setHeaderLabels([_("Entry"), used, ""]
                                  + ([_("Reached")] if self.history else []))
        if self.history:
            self.tree.headerItem().setToolTip(
                REACHED_COLUMN, _("Ticked: an entry of this kind or outcome means the person "
                                  "was reached (last contact); an outcome not ticked means "
                                  "a try (last attempt)."))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        if self.history:
            header.setSectionResizeMode(REACHED_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_a: self._enable())
        self.tree.itemDelegate().closeEditor.connect(lambda *_a: self._drop_unnamed())

        self.add_button = QPushButton(_("Add"), self)
        self.rename_button = QPushButton(_("Rename"), self)
        self.up_button = QPushButton(_("Move up"), self)
        self.down_button = QPushButton(_("Move down"), self)
        self.hide_button = QPushButton(_("Hide"), self)
        self.hide_button.setToolTip(_("Hidden entries are no longer offered; contacts that "
                                      "have one keep it."))
        self.add_button.clicked.connect(self._start_adding)
        self.rename_button.clicked.connect(self._start_renaming)
        self.up_button.clicked.connect(lambda: self._move_current(-1))
        self.down_button.clicked.connect(lambda: self._move_current(1))
        self.hide_button.clicked.connect(self._toggle_current)
        side = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.up_button,
                       self.down_button, self.hide_button):
            button.setAutoDefault(False)  # Enter finishes typing a name, nothing more
            side.addWidget(button)
        side.addStretch(1)
        note = QLabel(_("Changes are saved at once. Renaming an entry renames it on every "
                        "history entry that has it.") if self.history else
                      _("Changes are saved at once. Renaming an entry renames it on every "
                        "contact that has it."), self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.tree, 1)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(460, 380)
        self._filling = False
        self.reload()

    # -- the list -------------------------------------------------------------------------
    def reload(self, select: int | None = None) -> None:
        if select is None and self.tree.currentItem() is not None:
            select = self.tree.currentItem().data(0, IdRole)
        with self.db.reading() as s:
            entries = [(c, usage_count(s, c.id))
                       for c in list_choices(s, self.kind, include_archived=True)]
        self._filling = True
        try:
            self.tree.clear()
            for entry, used in entries:
                item = QTreeWidgetItem([entry.name, str(used),
                                        _("hidden") if entry.archived else ""]
                                       + ([""] if self.history else []))
                if self.history:
                    item.setCheckState(REACHED_COLUMN, Qt.CheckState.Checked if entry.reached
                                       else Qt.CheckState.Unchecked)
                item.setSizeHint(0, QSize(0, self.fontMetrics().height() + 8))
                item.setData(0, IdRole, entry.id)
                item.setData(0, Qt.ItemDataRole.UserRole, entry.archived)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(1, ngettext("{n} history entry has it",
                                            "{n} history entries have it", used).format(n=used)
                                if self.history else
                                ngettext("{n} contact has this entry",
                                         "{n} contacts have this entry", used).format(n=used))
                if entry.archived:
                    font = QFont(item.font(0))
                    font.setItalic(True)
                    item.setFont(0, font)
                    item.setForeground(0, QColor(Qt.GlobalColor.gray))
                    item.setForeground(2, QColor(Qt.GlobalColor.gray))
                    item.setToolTip(0, _("Hidden: not offered in the drop-down"))
                self.tree.addTopLevelItem(item)
                if entry.id == select:
                    self.tree.setCurrentItem(item)
        finally:
            self._filling = False
        self._enable()

    def entries(self) -> list[tuple[int, str, bool]]:
        """(id, name, hidden) as listed."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, IdRole) is not None:
                out.append((item.data(0, IdRole), item.text(0),
                            bool(item.data(0, Qt.ItemDataRole.UserRole))))
        return out

    def _enable(self) -> None:
        item = self.tree.currentItem()
        real = item is not None and item.data(0, IdRole) is not None
        row = self.tree.indexOfTopLevelItem(item) if item else -1
        self.rename_button.setEnabled(real)
        self.hide_button.setEnabled(real)
        self.up_button.setEnabled(real and row > 0)
        self.down_button.setEnabled(real and row < self.tree.topLevelItemCount() - 1)
        hidden = real and bool(item.data(0, Qt.ItemDataRole.UserRole))
        self.hide_button.setText(_("Show again") if hidden else _("Hide"))

    # -- actions (each one transaction) ------------------------------------------------
    def _run(self, action: Callable[[Session], T]) -> T | None:
        done, result = errors.run_unit(self, self.db, action)
        if done:
            self.list_changed.emit()
        return result

    def add_entry(self, name: str) -> int | None:
        new_id = self._run(lambda s: add_choice(s, self.kind, name))
        self.reload(select=new_id)
        return new_id

    def rename_entry(self, choice_id: int, name: str) -> bool:
        def rename(session: Session) -> bool:
            rename_choice(session, choice_id, name)
            return True

        done = self._run(rename)
        self.reload(select=choice_id)
        return bool(done)

    def set_hidden(self, choice_id: int, hidden: bool) -> None:
        self._run(lambda s: archive_choice(s, choice_id, hidden))
        self.reload(select=choice_id)

    def move_entry(self, choice_id: int, step: int) -> None:
        ids = [cid for cid, _name, _hidden in self.entries()]
        if choice_id not in ids:
            return
        at = ids.index(choice_id)
        to = max(0, min(len(ids) - 1, at + step))
        ids.insert(to, ids.pop(at))
        self._run(lambda s: move_choice(s, self.kind, ids))
        self.reload(select=choice_id)

    # -- the buttons ---------------------------------------------------------------------
    def _current_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, IdRole) if item is not None else None

    def _start_adding(self) -> None:
        self._filling = True
        item = QTreeWidgetItem(["", "", ""])
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.tree.addTopLevelItem(item)
        self._filling = False
        self.tree.setCurrentItem(item)
        self.tree.editItem(item, 0)

    def _start_renaming(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.tree.editItem(item, 0)

    def _move_current(self, step: int) -> None:
        cid = self._current_id()
        if cid is not None:
            self.move_entry(cid, step)

    def _toggle_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None and item.data(0, IdRole) is not None:
            self.set_hidden(item.data(0, IdRole),
                            not bool(item.data(0, Qt.ItemDataRole.UserRole)))

    def set_reached(self, choice_id: int, reached: bool) -> None:
        """Tick or untick "Reached": every contact's last contact is derived anew, on
        the writer thread with progress (seconds at 100,000 contacts and a million
        history entries); Cancel leaves every contact, and the tick, as they were."""
        db = self.db

        def job(progress: Progress) -> bool:
            with db.session() as session:
                return set_reached(session, choice_id, reached,
                                   progress=lambda done, total: progress.report(done, total))

        def done(_changed: object) -> None:
            self.list_changed.emit()
            self.reload(select=choice_id)

        def failed(exc: BaseException) -> None:
            errors.show_error(self, exc)  # the list is read again below, as on Cancel

        self.tree.setEnabled(False)  # one tick at a time
        op = self.operations.run(job, label=_("Working out everyone's last contact…"),
                                 on_success=done, on_failure=failed)
        op.failed.connect(lambda _exc: self.reload(select=choice_id))  # Cancel too
        op.finished.connect(lambda: self.tree.setEnabled(True))

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling:
            return
        if self.history and column == REACHED_COLUMN and item.data(0, IdRole) is not None:
            cid = item.data(0, IdRole)
            ticked = item.checkState(REACHED_COLUMN) == Qt.CheckState.Checked
            QTimer.singleShot(0, lambda: self.set_reached(cid, ticked))
            return
        if column != 0:
            return
        cid = item.data(0, IdRole)
        name = item.text(0).strip()
        # Later, not now: the item view is still closing its editor on this item.
        if cid is None:
            if name:
                QTimer.singleShot(0, lambda: self.add_entry(name))
        elif name and name != self._stored_name(cid):
            QTimer.singleShot(0, lambda: self.rename_entry(cid, name))
        else:
            QTimer.singleShot(0, lambda: self.reload(select=cid))  # empty: put it back

    def _stored_name(self, choice_id: int) -> str:
        return _names(self.db, self.kind).get(choice_id, "")

    def _drop_unnamed(self) -> None:
        for i in reversed(range(self.tree.topLevelItemCount())):
            item = self.tree.topLevelItem(i)
            if item.data(0, IdRole) is None and not item.text(0).strip():
                self.tree.takeTopLevelItem(i)
        self._enable()

