"""The pieces of the fields editor: the detail panel of one field, and the words of
a change-of-type report. The dialog itself is in fields_editor.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from crmdesk.core.fields.info import NUMERIC, WITH_OPTIONS
from crmdesk.core.fields.service import (
    DATE,
    FIELD_TYPES,
    MONEY,
    NUMBER,
    PATTERNED,
    TEXT,
    TYPE_LABELS,
    FieldInfo,
    RetypeReport,
    add_option,
    archive_option,
    as_text,
    rename_option,
    reorder_options,
)
from crmdesk.core.i18n import _, ngettext

IdRole = Qt.ItemDataRole.UserRole + 1
ArchivedRole = Qt.ItemDataRole.UserRole + 2
MAX_EXAMPLES = 5


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """Ask for a name; None on Cancel. Tests replace this (a modal box would wait)."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def retype_summary(report: RetypeReport) -> str:
    """"3 values convert, 1 does not (they are kept): 'abc'" for the confirmation."""
    converted = ngettext("{n} value converts", "{n} values convert",
                         report.converted).format(n=report.converted)
    failed = len(report.failed)
    if not failed:
        text = _("{converted}; nothing is lost.").format(converted=converted)
    else:
        examples = ", ".join(repr(raw) for _oid, raw in report.failed[:MAX_EXAMPLES])
        if failed > MAX_EXAMPLES:
            examples += ", …"
        text = ngettext("{converted}, {n} does not (it is kept as text): {examples}",
                        "{converted}, {n} do not (they are kept as text): {examples}",
                        failed).format(converted=converted, n=failed, examples=examples)
    if report.new_options:
        shown = ", ".join(report.new_options[:10]) + (", …" if len(report.new_options) > 10
                                                      else "")
        text += "\n" + ngettext("New option: {options}", "New options: {options}",
                                len(report.new_options)).format(options=shown)
    return text


class FieldDetail(QWidget):
    """The settings of one field (or of a new one), edited as a copy; Apply saves them."""

    # The type combo moved to another type (the editor previews the change).
    type_changed = Signal(str)
    # An option was added, renamed, hidden or moved (saved at once).
    options_changed = Signal()

    def __init__(self, run: Callable[[Callable[[Session], Any]], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self.info: FieldInfo | None = None
        self._filling = False
        self.label_edit = QLineEdit(self)
        self.label_edit.setMaxLength(100)
        self.key_edit = QLineEdit(self)
        self.key_edit.setPlaceholderText(_("made from the name"))
        self.key_edit.setToolTip(_("The name lookups, imports and exports use; it cannot "
                                   "change once the field exists."))
        self.type_combo = QComboBox(self)
        for t in FIELD_TYPES:
            self.type_combo.addItem(TYPE_LABELS[t](), t)
        self.type_combo.currentIndexChanged.connect(self._type_index_changed)
        self.help_edit = QLineEdit(self)
        self.help_edit.setPlaceholderText(_("shown as a tip on the form"))
        self.required_box = QCheckBox(_("A value is required"), self)
        self.default_edit = QLineEdit(self)
        self.min_edit = QLineEdit(self)
        self.max_edit = QLineEdit(self)
        self.min_edit.setPlaceholderText(_("no limit"))
        self.max_edit.setPlaceholderText(_("no limit"))
        self.pattern_edit = QLineEdit(self)
        self.pattern_edit.setPlaceholderText(_("a regular expression, like [A-Z]{2}\\d{4}"))
        self.currency_edit = QLineEdit(self)
        self.currency_edit.setMaxLength(3)
        self.currency_edit.setPlaceholderText("EUR")
        self.decimals_spin = QSpinBox(self)
        self.decimals_spin.setRange(-1, 10)
        self.decimals_spin.setSpecialValueText(_("as typed"))
        self.calendar_box = QCheckBox(_("Show on the calendar every year"), self)
        self.calendar_box.setToolTip(_("Like a birthday: the date comes back each year."))

        self.options_list = QListWidget(self)
        self.options_list.setMaximumHeight(130)
        self.options_list.currentRowChanged.connect(lambda _row: self._enable_options())
        self.option_add = QPushButton(_("Add…"), self)
        self.option_rename = QPushButton(_("Rename…"), self)
        self.option_archive = QPushButton(_("Hide"), self)
        self.option_up = QPushButton(_("Up"), self)
        self.option_down = QPushButton(_("Down"), self)
        self.option_rename.setToolTip(_("Renaming an option renames it on every record "
                                        "that has it."))
        self.option_archive.setToolTip(_("A hidden option is no longer offered; records that "
                                         "have it keep it."))
        self.option_add.clicked.connect(self._add_option_clicked)
        self.option_rename.clicked.connect(self._rename_option_clicked)
        self.option_archive.clicked.connect(self._archive_option_clicked)
        self.option_up.clicked.connect(lambda: self.move_option(-1))
        self.option_down.clicked.connect(lambda: self.move_option(1))
        option_buttons = QVBoxLayout()
        for b in (self.option_add, self.option_rename, self.option_archive, self.option_up,
                  self.option_down):
            b.setAutoDefault(False)
            option_buttons.addWidget(b)
        option_buttons.addStretch(1)
        self.options_box = QWidget(self)
        options_layout = QHBoxLayout(self.options_box)
        options_layout.setContentsMargins(0, 0, 0, 0)
        options_layout.addWidget(self.options_list, 1)
        options_layout.addLayout(option_buttons)

        self.preview_label = QLabel(self)
        self.preview_label.setWordWrap(True)
        self.preview_label.setStyleSheet("color: #8a5a00;")
        self.preview_label.hide()

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.addRow(_("&Name:"), self.label_edit)
        self.form.addRow(_("&Key:"), self.key_edit)
        self.form.addRow(_("&Type:"), self.type_combo)
        self.form.addRow("", self.preview_label)
        self.form.addRow(_("&Help text:"), self.help_edit)
        self.form.addRow("", self.required_box)
        self.form.addRow(_("&Default:"), self.default_edit)
        self.form.addRow(_("Mi&nimum:"), self.min_edit)
        self.form.addRow(_("Ma&ximum:"), self.max_edit)
        self.form.addRow(_("&Pattern:"), self.pattern_edit)
        self.form.addRow(_("&Currency:"), self.currency_edit)
        self.form.addRow(_("D&ecimals:"), self.decimals_spin)
        self.form.addRow(_("&Options:"), self.options_box)
        self.form.addRow("", self.calendar_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addStretch(1)
        self.load(None)

    # -- loading and reading ------------------------------------------------------------
    @property
    def is_new(self) -> bool:
        return self.info is None and self.isEnabled()

    def load(self, info: FieldInfo | None, *, new: bool = False) -> None:
        """Show ``info``; None and new=True: an empty form for a new field."""
        self.info = info
        self._filling = True
        try:
            self.setEnabled(info is not None or new)
            self.label_edit.setText(info.label if info else "")
            self.key_edit.setText(info.key if info else "")
            self.key_edit.setReadOnly(info is not None)
            self.key_edit.setEnabled(info is None)
            self._set_type(info.type if info else TEXT)
            self.help_edit.setText(info.help if info else "")
            self.required_box.setChecked(bool(info and info.required))
            self.default_edit.setText(self._text(info, info.default) if info else "")
            self.min_edit.setText(self._text(info, info.min_value) if info else "")
            self.max_edit.setText(self._text(info, info.max_value) if info else "")
            self.pattern_edit.setText((info.pattern or "") if info else "")
            self.currency_edit.setText(info.currency if info else "")
            decimals = info.decimals if info else None
            self.decimals_spin.setValue(-1 if decimals is None else decimals)
            self.calendar_box.setChecked(bool(info and info.calendar_yearly))
            self.options_list.clear()
            for o in (info.options if info else ()):
                self._add_option_item(o.label, o.id, o.archived)
            self.preview_label.hide()
        finally:
            self._filling = False
        self._show_rows()
        self._enable_options()
        self._loaded = self._state()

    def _state(self) -> tuple[Any, ...]:
        return (self.new_key(), self.field_type(), tuple(sorted(self.values().items())),
                tuple(self.option_labels()) if self.info is None else ())

    def is_dirty(self) -> bool:
        """Settings typed but not applied (options of an existing field save at once)."""
        return self.isEnabled() and self._state() != self._loaded

    @staticmethod
    def _text(info: FieldInfo, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, tuple):
            value = list(value)
        return as_text(info, value)

    def _set_type(self, field_type: str) -> None:
        index = self.type_combo.findData(field_type)
        self.type_combo.setCurrentIndex(max(index, 0))

    def field_type(self) -> str:
        return str(self.type_combo.currentData())

    def set_field_type(self, field_type: str) -> None:
        """Choose a type as the user would in the combo."""
        self._set_type(field_type)

    def values(self) -> dict[str, Any]:
        """The settings as shown, ready for add_field / update_field."""
        decimals = self.decimals_spin.value()
        return {
            "label": self.label_edit.text(),
            "help": self.help_edit.text(),
            "required": self.required_box.isChecked(),
            "default": self.default_edit.text().strip() or None,
            "min_value": self.min_edit.text().strip() or None,
            "max_value": self.max_edit.text().strip() or None,
            "pattern": self.pattern_edit.text().strip() or None,
            "currency": self.currency_edit.text().strip(),
            "decimals": None if decimals < 0 else decimals,
            "calendar_yearly": self.calendar_box.isChecked(),
        }

    def new_key(self) -> str | None:
        return self.key_edit.text().strip() or None

    def option_labels(self) -> list[str]:
        return [self.options_list.item(i).text() for i in range(self.options_list.count())]

    # -- showing what fits the type --------------------------------------------------------
    def _type_index_changed(self, _index: int) -> None:
        self._show_rows()
        if not self._filling:
            self.type_changed.emit(self.field_type())

    def _show_rows(self) -> None:
        t = self.field_type()
        rows = {
            self.min_edit: t in NUMERIC or t == DATE,
            self.max_edit: t in NUMERIC or t == DATE,
            self.pattern_edit: t in PATTERNED,
            self.currency_edit: t == MONEY,
            self.decimals_spin: t in NUMERIC,
            self.options_box: t in WITH_OPTIONS,
            self.calendar_box: t == DATE,
        }
        for widget, visible in rows.items():
            self.form.setRowVisible(widget, visible)
        hint = {DATE: _("a date, like 2024-12-31"), NUMBER: _("a number"),
                MONEY: _("an amount")}.get(t, "")
        self.default_edit.setPlaceholderText(_("empty") if not hint else hint)

    def show_preview(self, text: str) -> None:
        self.preview_label.setText(text)
        self.preview_label.setVisible(bool(text))

    # -- options ----------------------------------------------------------------------------
    def _add_option_item(self, label: str, option_id: int | None, archived: bool) -> None:
        item = QListWidgetItem(_("{label} (hidden)").format(label=label) if archived else label)
        item.setData(IdRole, option_id)
        item.setData(ArchivedRole, archived)
        item.setData(Qt.ItemDataRole.UserRole, label)
        if archived:
            font = QFont(item.font())
            font.setItalic(True)
            item.setFont(font)
            item.setForeground(QColor(Qt.GlobalColor.gray))
        self.options_list.addItem(item)

    def options(self) -> list[tuple[int | None, str, bool]]:
        """(id, label, hidden) as listed (ids are None before the field is created)."""
        out = []
        for i in range(self.options_list.count()):
            item = self.options_list.item(i)
            out.append((item.data(IdRole), item.data(Qt.ItemDataRole.UserRole),
                        bool(item.data(ArchivedRole))))
        return out

    def _enable_options(self) -> None:
        row = self.options_list.currentRow()
        has = row >= 0
        self.option_rename.setEnabled(has)
        self.option_archive.setEnabled(has and self.info is not None)
        self.option_up.setEnabled(has and row > 0)
        self.option_down.setEnabled(has and row < self.options_list.count() - 1)
        hidden = has and bool(self.options_list.item(row).data(ArchivedRole))
        self.option_archive.setText(_("Show again") if hidden else _("Hide"))

    def _select_option(self, option_id: int | None, row: int = -1) -> None:
        for i in range(self.options_list.count()):
            if option_id is not None and self.options_list.item(i).data(IdRole) == option_id:
                row = i
        self.options_list.setCurrentRow(row)
        self._enable_options()

    def reload_options(self, info: FieldInfo, select: int | None = None) -> None:
        self.info = info
        self.options_list.clear()
        for o in info.options:
            self._add_option_item(o.label, o.id, o.archived)
        self._select_option(select)

    def _add_option_clicked(self) -> None:
        label = ask_text(self, _("New option"), _("Name of the new option:"))
        if label is not None and label.strip():
            self.add_option(label)

    def _rename_option_clicked(self) -> None:
        item = self.options_list.currentItem()
        if item is None:
            return
        label = ask_text(self, _("Rename option"), _("New name:"),
                         item.data(Qt.ItemDataRole.UserRole))
        if label is not None and label.strip():
            self.rename_option(self.options_list.currentRow(), label)

    def _archive_option_clicked(self) -> None:
        item = self.options_list.currentItem()
        if item is not None and self.info is not None:
            self.set_option_hidden(self.options_list.currentRow(),
                                   not bool(item.data(ArchivedRole)))

    def add_option(self, label: str) -> None:
        if self.info is None:  # a new field: its options are saved with it
            label = " ".join(label.split())
            if label and label.casefold() not in {x.casefold() for x in self.option_labels()}:
                self._add_option_item(label, None, False)
                self._select_option(None, self.options_list.count() - 1)
            return
        field_id = self.info.id
        added = self._run(lambda s: add_option(s, field_id, label))
        if added is not None:
            self.options_changed.emit()
            self._select_option(added.id)

    def rename_option(self, row: int, label: str) -> None:
        item = self.options_list.item(row)
        option_id = item.data(IdRole)
        if option_id is None:
            item.setData(Qt.ItemDataRole.UserRole, " ".join(label.split()))
            item.setText(" ".join(label.split()))
            return
        if self._run(lambda s: rename_option(s, option_id, label)) is not None:
            self.options_changed.emit()
            self._select_option(option_id)

    def set_option_hidden(self, row: int, hidden: bool) -> None:
        option_id = self.options_list.item(row).data(IdRole)
        if option_id is None:
            return
        if self._run(lambda s: archive_option(s, option_id, hidden) or True) is not None:
            self.options_changed.emit()
            self._select_option(option_id)

    def move_option(self, step: int) -> None:
        row = self.options_list.currentRow()
        to = row + step
        if row < 0 or not 0 <= to < self.options_list.count():
            return
        if self.info is None:
            item = self.options_list.takeItem(row)
            self.options_list.insertItem(to, item)
            self._select_option(None, to)
            return
        ids = [oid for oid, _label, _hidden in self.options()]
        moved = ids[row]
        ids.insert(to, ids.pop(row))
        field_id = self.info.id
        if self._run(lambda s: reorder_options(s, field_id, ids) or True) is not None:
            self.options_changed.emit()
            self._select_option(moved)
