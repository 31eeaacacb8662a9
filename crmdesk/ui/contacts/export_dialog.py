"""File > Export Call List…: the contacts of the list shown (or the ones selected)
as a CSV or XLSX sheet, with the columns the user picks and orders.

The choices are remembered for the next time. The file is written on the worker
(io/call_list.py), atomically: a failure leaves nothing half-written.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.i18n import _, ngettext
from crmdesk.io.call_list import DEFAULT_COLUMNS, ENCODINGS, ExportColumn
from crmdesk.ui.common.settings import UiSettings

SEPARATORS = [(",", lambda: _("Comma")), (";", lambda: _("Semicolon")),
              ("\t", lambda: _("Tab"))]


@dataclass(frozen=True)
class ExportChoice:
    selected_only: bool
    columns: list[str]
    file_format: str  # csv | xlsx | vcard
    encoding: str
    delimiter: str
    national: bool


class ExportDialog(QDialog):
    """What to export and how; ``choice()`` after it was accepted."""

    def __init__(self, columns: dict[str, ExportColumn], *, shown: int, selected: int,
                 country: str, settings: UiSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export Call List"))
        self.settings = settings
        self._columns = columns
        layout = QVBoxLayout(self)

        self.all_button = QRadioButton(ngettext(
            "The list shown: {n} contact", "The list shown: {n} contacts", shown).format(
                n=QLocale().toString(shown)))
        self.selected_button = QRadioButton(ngettext(
            "The selected contact", "The {n} selected contacts", selected).format(
                n=QLocale().toString(selected)))
        group = QButtonGroup(self)
        group.addButton(self.all_button)
        group.addButton(self.selected_button)
        self.selected_button.setEnabled(selected > 1)
        (self.selected_button if selected > 1 else self.all_button).setChecked(True)
        layout.addWidget(QLabel(_("Which contacts:")))
        layout.addWidget(self.all_button)
        layout.addWidget(self.selected_button)

        layout.addWidget(QLabel(_("Columns (tick them, and move them into the order you "
                                  "want):")))
        row = QHBoxLayout()
        self.column_list = QListWidget()
        self.column_list.setObjectName("export_columns")
        self.column_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        chosen = settings.columns("export_call_list", list(columns), DEFAULT_COLUMNS)
        for key in [*chosen, *(k for k in columns if k not in chosen)]:
            item = QListWidgetItem(columns[key].title())
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in chosen
                               else Qt.CheckState.Unchecked)
            self.column_list.addItem(item)
        row.addWidget(self.column_list, 1)
        moves = QVBoxLayout()
        self.up_button = QPushButton(_("Move Up"))
        self.down_button = QPushButton(_("Move Down"))
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        moves.addStretch(1)
        row.addLayout(moves)
        layout.addLayout(row, 1)

        form = QFormLayout()
        self.format_box = QComboBox()
        self.format_box.addItem(_("CSV (Excel, LibreOffice, any program)"), "csv")
        self.format_box.addItem(_("Excel workbook (XLSX)"), "xlsx")
        self.format_box.addItem(_("vCards (a phone, Outlook, Google: every field)"), "vcard")
        self.format_box.setCurrentIndex(max(0, self.format_box.findData(
            settings.text("export_format", "csv"))))
        form.addRow(_("Format:"), self.format_box)
        self.encoding_box = QComboBox()
        for code, name in ENCODINGS.items():
            self.encoding_box.addItem(name, code)
        self.encoding_box.setCurrentIndex(max(0, self.encoding_box.findData(
            settings.text("export_encoding", "utf-8-sig"))))
        form.addRow(_("Text encoding:"), self.encoding_box)
        self.separator_box = QComboBox()
        for sep, name in SEPARATORS:
            self.separator_box.addItem(name(), sep)
        self.separator_box.setCurrentIndex(max(0, self.separator_box.findData(
            settings.text("export_separator", ","))))
        form.addRow(_("Separator:"), self.separator_box)
        layout.addLayout(form)
        self.national_box = QCheckBox(
            _("Phones of {country} without the country code").format(country=country)
            if country else _("Phones without the country code"))
        self._country = bool(country)
        self.national_box.setEnabled(bool(country))
        self.national_box.setChecked(bool(country) and settings.flag("export_national"))
        layout.addWidget(self.national_box)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(_("Export…"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.column_list.itemChanged.connect(lambda _i: self._enable())
        layout.addWidget(self.buttons)
        self._enable()
        self.resize(460, 560)

    def _format_changed(self) -> None:
        kind = self.format_box.currentData()
        csv_ = kind == "csv"
        self.encoding_box.setEnabled(csv_)
        self.separator_box.setEnabled(csv_)
        # A vCard holds every field crmdesk keeps: there are no columns to choose.
        for widget in (self.column_list, self.up_button, self.down_button, self.national_box):
            widget.setEnabled(kind != "vcard" and (widget is not self.national_box
                                                   or self._country))
        if hasattr(self, "export_button"):
            self._enable()

    def _move(self, step: int) -> None:
        row = self.column_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.column_list.count():
            return
        item = self.column_list.takeItem(row)
        self.column_list.insertItem(target, item)
        self.column_list.setCurrentRow(target)

    def chosen_columns(self) -> list[str]:
        out = []
        for i in range(self.column_list.count()):
            item = self.column_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def _enable(self) -> None:
        self.export_button.setEnabled(self.format_box.currentData() == "vcard"
                                      or bool(self.chosen_columns()))

    def choice(self) -> ExportChoice:
        """What was chosen (and remembered for the next time)."""
        result = ExportChoice(
            selected_only=self.selected_button.isChecked(),
            columns=self.chosen_columns(),
            file_format=str(self.format_box.currentData()),
            encoding=str(self.encoding_box.currentData()),
            delimiter=str(self.separator_box.currentData()),
            national=self.national_box.isChecked())
        self.settings.set_columns("export_call_list", result.columns)
        self.settings.set_text("export_format", result.file_format)
        self.settings.set_text("export_encoding", result.encoding)
        self.settings.set_text("export_separator", result.delimiter)
        self.settings.set_flag("export_national", result.national)
        return result
