"""File > Export Call List…: the contacts of the list shown (or the ones selected)
as a CSV or XLSX sheet, a PDF call sheet to print, or vCards, with the columns the
user picks and orders, and the rows in the list's order or sorted anew.

The choices are remembered for the next time; a set of them can be saved by name
as an export preset (kept in the file, io/export_presets.py, shared with
`crmdesk export --preset`), and the preset used last is offered first. The file
is written on the worker (io/call_list.py), atomically: a failure leaves nothing
half-written.
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
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.lookup.ordering import CONTACT_SORTS
from crmdesk.core.lookup.query import CUSTOM_PREFIX
from crmdesk.core.storage.database import Database
from crmdesk.io.call_list import DEFAULT_COLUMNS, ENCODINGS, ExportColumn
from crmdesk.io.call_sheet_pdf import A4, LETTER, paper_for
from crmdesk.io.export_presets import (
    ExportPreset,
    export_presets,
    last_export_preset,
    remember_last,
    save_export_preset,
)
from crmdesk.ui.common import errors
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.tasks.writes import write

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
    sort: str = ""  # "": the list's own order
    descending: bool = False
    paper: str = ""
    preset: str = ""  # the preset chosen, "" for none


class ExportDialog(QDialog):
    """What to export and how; ``choice()`` after it was accepted."""

    def __init__(self, columns: dict[str, ExportColumn], *, shown: int, selected: int,
                 country: str, settings: UiSettings, db: Database | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export Call List"))
        self.settings = settings
        self.db = db
        self._columns = columns
        self._presets: dict[str, ExportPreset] = {}
        layout = QVBoxLayout(self)

        presets_row = QHBoxLayout()
        self.preset_box = QComboBox()
        self.preset_box.setObjectName("export_preset")
        self.save_preset_button = QPushButton(_("Save Preset…"))
        self.save_preset_button.setToolTip(_("Keep these columns, their order, the sort and "
                                             "the format under a name, for the next time"))
        self.save_preset_button.clicked.connect(self.save_preset)
        presets_row.addWidget(QLabel(_("Preset:")))
        presets_row.addWidget(self.preset_box, 1)
        presets_row.addWidget(self.save_preset_button)
        layout.addLayout(presets_row)
        for widget in (self.preset_box, self.save_preset_button):
            widget.setVisible(db is not None)
        self.save_preset_button.setEnabled(not getattr(db, "readonly", False))

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
        self.format_box.addItem(_("PDF call sheet (to print and write on)"), "pdf")
        self.format_box.addItem(_("vCards (a phone, Outlook, Google: every field)"), "vcard")
        self.format_box.setCurrentIndex(max(0, self.format_box.findData(
            settings.text("export_format", "csv"))))
        form.addRow(_("Format:"), self.format_box)
        sort_row = QHBoxLayout()
        self.sort_box = QComboBox()
        self.sort_box.setObjectName("export_sort")
        self.sort_box.addItem(_("As the list is sorted"), "")
        for key, column in columns.items():
            if key in CONTACT_SORTS or key.startswith(CUSTOM_PREFIX):
                self.sort_box.addItem(column.title(), key)
        self.sort_box.setCurrentIndex(max(0, self.sort_box.findData(
            settings.text("export_sort", ""))))
        self.descending_box = QCheckBox(_("Descending"))
        self.descending_box.setChecked(settings.flag("export_descending"))
        sort_row.addWidget(self.sort_box, 1)
        sort_row.addWidget(self.descending_box)
        form.addRow(_("Rows sorted by:"), sort_row)
        self.paper_box = QComboBox()
        self.paper_box.addItem(_("A4, landscape"), A4)
        self.paper_box.addItem(_("Letter, landscape"), LETTER)
        self.paper_box.setCurrentIndex(max(0, self.paper_box.findData(
            settings.text("export_paper", "") or paper_for(QLocale().name()))))
        form.addRow(_("Paper:"), self.paper_box)
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
        # Made before anything that enables them: a preset applied below does.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(_("Export…"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.sort_box.currentIndexChanged.connect(
            lambda _i: self.descending_box.setEnabled(bool(self.sort_box.currentData())))
        self.descending_box.setEnabled(bool(self.sort_box.currentData()))
        self._format_changed()
        if db is not None:
            self._fill_presets()
            last = self.preset_box.findData(self._last_preset())
            if last > 0:
                self.preset_box.setCurrentIndex(last)
                self.apply_preset(str(self.preset_box.currentData()))
            self.preset_box.currentIndexChanged.connect(self._preset_chosen)

        self.column_list.itemChanged.connect(lambda _i: self._enable())
        layout.addWidget(self.buttons)
        self._enable()
        self.resize(460, 560)

    def _format_changed(self) -> None:
        kind = self.format_box.currentData()
        csv_ = kind == "csv"
        self.encoding_box.setEnabled(csv_)
        self.separator_box.setEnabled(csv_)
        self.paper_box.setEnabled(kind == "pdf")
        self.sort_box.setEnabled(kind != "vcard")
        # A vCard holds every field crmdesk keeps: there are no columns to choose.
        for widget in (self.column_list, self.up_button, self.down_button, self.national_box):
            widget.setEnabled(kind != "vcard" and (widget is not self.national_box
                                                   or self._country))
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

    # -- presets ---------------------------------------------------------------------
    def _last_preset(self) -> str:
        assert self.db is not None
        with self.db.reading() as session:
            return last_export_preset(session)

    def _fill_presets(self, current: str | None = None) -> None:
        assert self.db is not None
        with self.db.reading() as session:
            self._presets = export_presets(session)
        self.preset_box.blockSignals(True)
        self.preset_box.clear()
        self.preset_box.addItem(_("None (choose below)"), "")
        for name in sorted(self._presets, key=str.casefold):
            self.preset_box.addItem(name, name)
        if current is not None:
            self.preset_box.setCurrentIndex(max(0, self.preset_box.findData(current)))
        self.preset_box.blockSignals(False)

    def _preset_chosen(self) -> None:
        name = str(self.preset_box.currentData() or "")
        if name:
            self.apply_preset(name)

    def apply_preset(self, name: str) -> None:
        """Set the dialog as the preset ``name`` says (its columns this file has)."""
        preset = self._presets.get(name)
        if preset is None:
            return
        self.format_box.setCurrentIndex(max(0, self.format_box.findData(preset.file_format)))
        self.column_list.blockSignals(True)
        keys = [k for k in preset.columns if k in self._columns]
        for target, key in enumerate(keys):
            for row in range(self.column_list.count()):
                if self.column_list.item(row).data(Qt.ItemDataRole.UserRole) == key:
                    self.column_list.insertItem(target, self.column_list.takeItem(row))
                    break
        for row in range(self.column_list.count()):
            item = self.column_list.item(row)
            item.setCheckState(Qt.CheckState.Checked
                               if item.data(Qt.ItemDataRole.UserRole) in keys
                               else Qt.CheckState.Unchecked)
        self.column_list.blockSignals(False)
        self.sort_box.setCurrentIndex(max(0, self.sort_box.findData(preset.sort)))
        self.descending_box.setChecked(preset.descending)
        self.encoding_box.setCurrentIndex(max(0, self.encoding_box.findData(preset.encoding)))
        self.separator_box.setCurrentIndex(max(0, self.separator_box.findData(
            preset.delimiter)))
        self.national_box.setChecked(preset.national and self._country)
        self._enable()

    def current_preset(self) -> ExportPreset:
        return ExportPreset(columns=self.chosen_columns(),
                            file_format=str(self.format_box.currentData()),
                            sort=str(self.sort_box.currentData() or ""),
                            descending=self.descending_box.isChecked(),
                            encoding=str(self.encoding_box.currentData()),
                            delimiter=str(self.separator_box.currentData()),
                            national=self.national_box.isChecked())

    def ask_preset_name(self) -> str:
        """The name to save the preset under; "" to cancel (tests replace this)."""
        name, ok = QInputDialog.getText(self, _("Save Export Preset"), _("Name:"),
                                        text=str(self.preset_box.currentData() or ""))
        return name.strip() if ok else ""

    def save_preset(self) -> None:
        if self.db is None:
            return
        name = self.ask_preset_name()
        if not name:
            return
        preset = self.current_preset()
        try:
            kept = write(self.db, lambda session: save_export_preset(session, name, preset))
        except CrmdeskError as exc:
            errors.show_error(self, exc)
            return
        self._fill_presets(current=kept)

    def choice(self) -> ExportChoice:
        """What was chosen (and remembered for the next time)."""
        preset = str(self.preset_box.currentData() or "")
        if preset and self._presets.get(preset) != self.current_preset():
            preset = ""  # changed since: no longer that preset
        result = ExportChoice(
            selected_only=self.selected_button.isChecked(),
            columns=self.chosen_columns(),
            file_format=str(self.format_box.currentData()),
            encoding=str(self.encoding_box.currentData()),
            delimiter=str(self.separator_box.currentData()),
            national=self.national_box.isChecked(),
            sort=str(self.sort_box.currentData() or ""),
            descending=self.descending_box.isChecked() and bool(self.sort_box.currentData()),
            paper=str(self.paper_box.currentData()),
            preset=preset)
        if self.db is not None and not getattr(self.db, "readonly", False):
            try:
                write(self.db, lambda session: remember_last(session, preset))
            except CrmdeskError:
                pass  # only a convenience: the export itself goes on
        self.settings.set_text("export_sort", result.sort)
        self.settings.set_flag("export_descending", result.descending)
        self.settings.set_text("export_paper", result.paper)
        self.settings.set_columns("export_call_list", result.columns)
        self.settings.set_text("export_format", result.file_format)
        self.settings.set_text("export_encoding", result.encoding)
        self.settings.set_text("export_separator", result.delimiter)
        self.settings.set_flag("export_national", result.national)
        return result
