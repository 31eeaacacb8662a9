"""Edit > Merge Contacts… (and a pair in Tools > Find Duplicates…): two records of one
person become one.

Two columns, this record (the one that stays) and that one (which goes to the
trash); for every single value the two hold differently, a radio button on
each side says whose value is kept. What is kept from both whatever is chosen
(phones, e-mails, tags, history ...) is listed underneath, and one Merge button
does it: core/contacts/merge.merge_contacts on the writer, in one unit of work.
"Keep That One Instead" swaps which record stays.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.changes import Changes
from crmdesk.core.contacts.merge import Merged, MergePlan, merge_contacts, plan_merge
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _
from crmdesk.core.storage.database import Database
from crmdesk.ui.common import dialogs, errors
from crmdesk.ui.tasks.writes import write

THIS, THAT = 0, 1


def _empty_text() -> str:
    return _("(empty)")


class MergeDialog(QDialog):
    """Merge contact ``other`` into ``keep``; ``merged`` and ``changes`` once done."""

    def __init__(self, db: Database, keep: int, other: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.merged: Merged | None = None
        self.changes = Changes()
        self.setWindowTitle(_("Merge Contacts"))
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.intro)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.scroll, 1)
        self.kept = QLabel()
        self.kept.setObjectName("merge_kept")
        self.kept.setWordWrap(True)
        self.kept.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.kept)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.swap_button = self.buttons.addButton(_("Keep That One Instead"),
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.merge_button = self.buttons.addButton(_("Merge"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setDefault(True)
        self.swap_button.clicked.connect(self.swap)
        self.merge_button.clicked.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.groups: dict[str, QButtonGroup] = {}
        self.plan: MergePlan
        self.load(keep, other)

    def load(self, keep: int, other: int) -> None:
        """Read both records and show what differs (CrmdeskError if they cannot merge)."""
        with self.db.reading() as s:
            self.plan = plan_merge(s, keep, other)
        plan = self.plan
        self.intro.setText(_(
            "{that} will be merged into {this}: everything both have is kept, and for the "
            "values below you choose whose is kept. {that} then goes to the trash, and "
            "{this}'s notes say when it was merged.").format(
                this=plan.keep_name, that=plan.other_name))
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        head = [_("Field"), _("This: {name} (contact {id})").format(name=plan.keep_name,
                                                                    id=plan.keep),
                _("That: {name} (contact {id})").format(name=plan.other_name, id=plan.other)]
        for col, text in enumerate(head):
            label = QLabel(text)
            label.setTextFormat(Qt.TextFormat.PlainText)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            grid.addWidget(label, 0, col)
        self.groups = {}
        for row, diff in enumerate(plan.differences, 1):
            label = QLabel(diff.label)
            label.setTextFormat(Qt.TextFormat.PlainText)
            grid.addWidget(label, row, 0)
            group = QButtonGroup(self)
            for side, text in ((THIS, diff.this), (THAT, diff.that)):
                button = QRadioButton(text or _empty_text())
                button.setObjectName(f"{diff.field}:{'this' if side == THIS else 'that'}")
                group.addButton(button, side)
                grid.addWidget(button, row, 1 + side)
            # KEEP's value, unless it has none: what the merge does unless told otherwise.
            # An empty value is never chosen over a value (nothing is lost in a merge).
            group.button(THIS if diff.this else THAT).setChecked(True)
            group.button(THIS).setEnabled(bool(diff.this))
            self.groups[diff.field] = group
        if not plan.differences:
            none = QLabel(_("The two records hold no single value differently: nothing to "
                            "choose."))
            none.setWordWrap(True)
            grid.addWidget(none, 1, 0, 1, 3)
        grid.setRowStretch(len(plan.differences) + 1, 1)
        self.scroll.setWidget(grid_host)
        self.kept.setText(_("Kept from both: {what}.").format(
            what=", ".join(plan.kept_from_both)))

    def prefer_other(self) -> set[str]:
        """The fields whose value comes from that record."""
        return {name for name, group in self.groups.items() if group.checkedId() == THAT}

    def choose(self, field: str, side: int) -> None:
        """Choose whose value of ``field`` is kept (tests and keyboard users alike)."""
        self.groups[field].button(side).setChecked(True)

    def swap(self) -> None:
        try:
            self.load(self.plan.other, self.plan.keep)
        except CrmdeskError as exc:
            errors.show_error(self, exc)

    def merge(self) -> None:
        keep, other, prefer = self.plan.keep, self.plan.other, self.prefer_other()
        try:
            self.merged = write(self.db, lambda s: merge_contacts(s, keep, other,
                                                                  prefer_other=prefer))
        except CrmdeskError as exc:
            errors.show_error(self, exc)
            return
        self.changes = self.merged.changes
        self.accept()


def open_merge(window: Any, keep: int, other: int) -> MergeDialog | None:
    """The merge dialog over ``window`` (which has ``db``), or None after saying why
    the two cannot be merged."""
    try:
        return MergeDialog(window.db, keep, other, window)
    except CrmdeskError as exc:
        errors.show_error(window, exc)
        return None


def merge_selected(window: Any) -> None:
    """Edit > Merge Contacts…: the two contacts selected in the list, the first kept."""
    if getattr(window.db, "readonly", False):
        return
    if window.operations.busy():
        dialogs.still_busy(window)
        return
    if not window.show_view(window.contacts):
        return
    ids = window.contacts.list.selected_ids()
    if len(ids) != 2:
        dialogs.inform(window, _("Merge Contacts"),
                       _("Select the two contacts that are one person (Ctrl+click the "
                         "second), then choose Merge Contacts… again."))
        return
    dialog = open_merge(window, ids[0], ids[1])
    if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted:
        window.broadcast(dialog.changes)
        if dialog.merged is not None:
            window.statusBar().showMessage(dialog.merged.note, 10000)
