"""Groups > Change Field…: one field of every selected contact, with a preview and one
confirmation (core/contacts/bulk_edit does the work; this only asks and shows).

The preview is read again a moment after the field or the value changes: how
many contacts change, some of them as before -> after, and who would be left
as they are and why. A value none of them can take is said in red, and the
button stays off. The change itself runs on the writer thread as one unit of
work, after one "Change 151 contacts?" (the caller runs it: groups_nav).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.contacts.bulk_edit import (
    APPEND,
    CHOICE,
    COUNTRY,
    BulkPreview,
    EditableField,
    editable_fields,
    preview_edit,
)
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.fields.info import CHOICE as CUSTOM_CHOICE
from crmdesk.core.fields.info import DATE, LONG_TEXT, MULTI_CHOICE, YES_NO
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.storage.database import Database
from crmdesk.ui.common import dialogs

PREVIEW_DELAY_MS = 250
_PROBLEM_STYLE = "QLabel#bulk_summary[problem=\"true\"] { color: #b3261e; }"


def _num(n: int) -> str:
    from PySide6.QtCore import QLocale

    return QLocale().toString(n)


class BulkEditDialog(QDialog):
    """Pick a field and a value; see what would change; change it."""

    def __init__(self, db: Database, ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.ids = list(ids)
        self.preview: BulkPreview | None = None
        # What the user confirmed: (field key, value, how many change); the caller
        # applies it (core.contacts.bulk_edit.apply_edit).
        self.choice: tuple[str, str, int] | None = None
        self.setWindowTitle(_("Change Field"))
        self.setObjectName("bulk_edit_dialog")
        with db.reading() as s:
            self.fields = editable_fields(s)

        self.field_box = QComboBox()
        self.field_box.setObjectName("bulk_field")
        for f in self.fields:
            self.field_box.addItem(f.label, f.key)
        self.line = QLineEdit()
        self.line.setObjectName("bulk_value_line")
        self.combo = QComboBox()
        self.combo.setObjectName("bulk_value_combo")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.text = QPlainTextEdit()
        self.text.setObjectName("bulk_value_text")
        self.text.setFixedHeight(70)
        # The value's editor: the one that fits the field is shown, the others hidden
        # (so that a one-line value takes one line).
        self.editors = QWidget()
        box = QVBoxLayout(self.editors)
        box.setContentsMargins(0, 0, 0, 0)
        for w in (self.line, self.combo, self.text):
            box.addWidget(w)
        self._editor: QWidget = self.line
        self.clear_box = QCheckBox(_("Clear it (leave it empty)"))
        self.clear_box.setObjectName("bulk_clear")

        form = QFormLayout()
        form.addRow(_("&Field:"), self.field_box)
        form.addRow(_("&Value:"), self.editors)
        form.addRow("", self.clear_box)

        self.summary = QLabel()
        self.summary.setObjectName("bulk_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setStyleSheet(_PROBLEM_STYLE)
        self.table = self._table("bulk_preview", [_("Contact"), _("Before"), _("After")])
        self.refused_label = QLabel()
        self.refused_label.setObjectName("bulk_refused_label")
        self.refused_label.setTextFormat(Qt.TextFormat.PlainText)
        self.refused_table = self._table("bulk_refused", [_("Contact"), _("Why not")])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(_("Change"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("bulk_ok")
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        head = QLabel(ngettext("Change one field of the {n} selected contact.",
                               "Change one field of the {n} selected contacts.",
                               len(self.ids)).format(n=_num(len(self.ids))))
        layout.addWidget(head)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.refused_label)
        layout.addWidget(self.refused_table, 1)
        layout.addWidget(self.buttons)
        self.resize(620, 520)

        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self.field_box.currentIndexChanged.connect(self._field_changed)
        self.line.textChanged.connect(lambda _t: self._timer.start())
        self.combo.currentTextChanged.connect(lambda _t: self._timer.start())
        self.text.textChanged.connect(self._timer.start)
        self.clear_box.toggled.connect(self._clear_toggled)
        self._field_changed()

    @staticmethod
    def _table(name: str, heads: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(heads))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(heads)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setWordWrap(False)
        return table

    # -- the field and its value -------------------------------------------------------
    def field(self) -> EditableField:
        return self.fields[max(0, self.field_box.currentIndex())]

    def set_field(self, key: str) -> None:
        self.field_box.setCurrentIndex(self.field_box.findData(key))

    def _field_changed(self) -> None:
        f = self.field()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.line.clear()
        self.text.clear()
        if f.kind in (CHOICE, CUSTOM_CHOICE, MULTI_CHOICE, YES_NO):
            self.combo.addItems(list(f.options) if f.kind != YES_NO else [_("Yes"), _("No")])
            self.combo.setEditable(f.kind == MULTI_CHOICE)
            self.combo.setCurrentIndex(-1)
            self._show_editor(self.combo)
        elif f.kind in (APPEND, LONG_TEXT):
            self._show_editor(self.text)
        else:
            self.line.setPlaceholderText({
                COUNTRY: _("a name (Lithuania) or two letters (LT)"),
                DATE: _("a date, like 2026-03-31"),
            }.get(f.kind, ""))
            self._show_editor(self.line)
        self.combo.blockSignals(False)
        self.clear_box.setChecked(False)
        self.clear_box.setVisible(f.clearable)
        self.refresh_preview()

    def _show_editor(self, editor: QWidget) -> None:
        self._editor = editor
        for w in (self.line, self.combo, self.text):
            w.setVisible(w is editor)

    def _clear_toggled(self, on: bool) -> None:
        self.editors.setEnabled(not on)
        self.refresh_preview()

    def set_value(self, text: str) -> None:
        editor = self._editor
        if editor is self.combo:
            index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
            if index >= 0:
                self.combo.setCurrentIndex(index)
            else:
                self.combo.setEditText(text)
        elif editor is self.text:
            self.text.setPlainText(text)
        else:
            self.line.setText(text)
        self.refresh_preview()

    def value(self) -> str:
        if self.clear_box.isChecked():
            return ""
        editor = self._editor
        if editor is self.combo:
            return self.combo.currentText()
        if editor is self.text:
            return self.text.toPlainText()
        return self.line.text()

    # -- preview -------------------------------------------------------------------------
    def _say(self, text: str, *, problem: bool = False) -> None:
        self.summary.setText(text)
        self.summary.setProperty("problem", "true" if problem else "false")
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)

    def refresh_preview(self) -> None:
        self._timer.stop()
        f, value = self.field(), self.value()
        self.preview = None
        self.table.setRowCount(0)
        self.refused_table.setRowCount(0)
        if not value.strip() and not self.clear_box.isChecked():
            self._say(_("Type the new value, or tick “Clear it”.") if f.clearable
                      else _("Type the text to add."))
            self._show_refused(())
            self._update_button()
            return
        try:
            with self.db.reading() as s:
                self.preview = preview_edit(s, self.ids, f.key, value)
        except CrmdeskError as exc:
            self._say(exc.message, problem=True)
            self._show_refused(())
            self._update_button()
            return
        p = self.preview
        text = ngettext("{n} contact will change.", "{n} contacts will change.",
                        p.changing).format(n=_num(p.changing))
        if p.unchanged:
            text += " " + ngettext("{n} has this value already.", "{n} have this value already.",
                                   p.unchanged).format(n=_num(p.unchanged))
        if p.changing > len(p.sample):
            text += " " + _("The first {n} are shown.").format(n=_num(len(p.sample)))
        self._say(text)
        self.table.setRowCount(len(p.sample))
        for row, change in enumerate(p.sample):
            for col, cell in enumerate((change.name, change.before or "—", change.after or "—")):
                self.table.setItem(row, col, QTableWidgetItem(cell))
        self._show_refused(p.refused)
        self._update_button()

    def _show_refused(self, refused: Any) -> None:
        refused = list(refused)
        self.refused_label.setText(ngettext(
            "{n} contact is left as it is:", "{n} contacts are left as they are:",
            len(refused)).format(n=_num(len(refused))) if refused else "")
        self.refused_label.setVisible(bool(refused))
        self.refused_table.setVisible(bool(refused))
        self.refused_table.setRowCount(len(refused))
        for row, r in enumerate(refused):
            self.refused_table.setItem(row, 0, QTableWidgetItem(r.name))
            self.refused_table.setItem(row, 1, QTableWidgetItem(r.reason))

    def _update_button(self) -> None:
        n = self.preview.changing if self.preview is not None else 0
        self.ok_button.setText(ngettext("Change {n} Contact…", "Change {n} Contacts…", n)
                               .format(n=_num(n)) if n else _("Change"))
        self.ok_button.setEnabled(n > 0)

    # -- apply ---------------------------------------------------------------------------
    def apply(self) -> None:
        """The one confirmation, then the change as one unit of work on the writer."""
        self.refresh_preview()  # what is confirmed is what is now, not 250 ms ago
        p = self.preview
        if p is None or not p.changing:
            return
        f, value = self.field(), self.value()
        question = ngettext("Change {n} contact?", "Change {n} contacts?", p.changing).format(
            n=_num(p.changing))
        detail = (_("{field} becomes “{value}”.").format(field=f.label, value=value.strip())
                  if value.strip() else _("{field} is cleared.").format(field=f.label))
        if not dialogs.confirm(self, _("Change Field"), question,
                               ngettext("Change {n} Contact", "Change {n} Contacts",
                                        p.changing).format(n=_num(p.changing)),
                               informative=detail):
            return
        self.choice = (f.key, value, p.changing)
        self.accept()
