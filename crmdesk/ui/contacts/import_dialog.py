"""File > Import…: contacts from a CSV/TSV, Excel, LibreOffice or vCard file (and a
calendar file's events and to-dos, straight to the calendar: import_calendar_file).

Two steps in one dialog:

1. The file as read, with what can be changed: the encoding, the separator and
   whether the first row is a header (CSV), the sheet (workbooks), the order of
   a full name's parts and of a date's day and month, and for every column the
   field it goes to (proposed from its header: Google, Outlook, Thunderbird,
   Apple, 1C, crmdesk's own). A vCard file shows its first contacts.
2. The dry run, on the worker: how many contacts would come in and which rows
   have problems, each with its line and reason. Import then backs the file up
   and writes them all in one unit of work, with progress and Cancel (which
   leaves nothing behind).

The reading and the import are io/contacts_in's, the same as `crmdesk import`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.changes import COMPANIES, CONTACTS, Changes
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.fields import service as fields
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.storage.database import Database
from crmdesk.io.contacts_in.importer import (
    ImportReport,
    Prepared,
    format_of,
    import_prepared,
    prepare_table,
    prepare_vcards,
    read_file,
)
from crmdesk.io.contacts_in.mapping import (
    Mapping,
    Target,
    parse_target,
    suggest_mapping,
)
from crmdesk.io.contacts_in.presets import apply_preset, preset_of, presets, save_preset
from crmdesk.io.contacts_in.table import Table, read_table
from crmdesk.io.contacts_in.values import FAMILY_FIRST, FAMILY_GIVEN_PATRONYMIC, GIVEN_FIRST
from crmdesk.ui.common import errors
from crmdesk.ui.tasks.operations import Operations, Progress
from crmdesk.ui.tasks.writes import write

# Rows of the file shown under the column choices.
PREVIEW_ROWS = 20
ENCODINGS = ["utf-8", "utf-16", "cp1251", "cp1252", "cp1257", "koi8-r", "gb18030", "shift_jis"]
SEPARATORS = [(",", lambda: _("Comma")), (";", lambda: _("Semicolon")), ("\t", lambda: _("Tab")),
              ("|", lambda: _("Vertical bar"))]


def _targets() -> list[tuple[str, str]]:
    """(target text, what the user reads) for the column choices."""
    return [
        ("", _("(leave out)")),
        ("full_name", _("Full name")), ("given_name", _("Given name")),
        ("middle_name", _("Middle name or patronymic")), ("family_name", _("Family name")),
        ("prefix", _("Title (Dr., Mrs.)")), ("suffix", _("Suffix")),
        ("nickname", _("Nickname")), ("company", _("Company")), ("job_title", _("Job title")),
        ("department", _("Department")),
        ("phone:mobile", _("Phone: mobile")), ("phone:work", _("Phone: work")),
        ("phone:home", _("Phone: home")), ("phone:fax", _("Phone: fax")),
        ("phone", _("Phone: other")),
        ("email:work", _("E-mail: work")), ("email:home", _("E-mail: home")),
        ("email", _("E-mail: other")), ("url", _("Web address")),
        ("address", _("Address (all of it)")), ("street", _("Street")), ("city", _("City")),
        ("region", _("Region")), ("postcode", _("Postcode")), ("country", _("Country")),
        ("birthday", _("Birthday")), ("anniversary", _("Anniversary")),
        ("status", _("Status")), ("source", _("Lead source")), ("tags", _("Tags")),
        ("notes", _("Notes")),
    ]


class ImportDialog(QDialog):
    """The import of one file into ``db``; ``report`` after an import was made."""

    def __init__(self, path: Path, db: Database, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.db = db
        self.operations = operations
        self.report: ImportReport | None = None
        self.changes = Changes()
        self.data = read_file(path)
        self.kind = format_of(path, self.data)
        self.table: Table | None = None
        self.prepared: Prepared | None = None
        with db.reading() as session:
            self.custom = [(f"custom:{f.key}", _("Custom: {label}").format(label=f.label))
                           for f in fields.describe_fields(session, fields.CONTACT)]
        self.setWindowTitle(_("Import Contacts from {name}").format(name=path.name))
        self.resize(980, 640)
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self._check_page())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.back_button = self.buttons.addButton(_("Back"), QDialogButtonBox.ButtonRole.ActionRole)
        self.next_button = self.buttons.addButton(_("Check…"),
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = self.buttons.addButton(_("Import"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button.clicked.connect(lambda: self._show_page(0))
        self.next_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._reading = False
        self.reload()
        self._show_page(0)

    # -- page 1: the file as read --------------------------------------------------------
    def _file_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        options = QHBoxLayout()
        form = QFormLayout()
        self.encoding_box = QComboBox()
        self.encoding_box.addItem(_("Found from the file"), None)
        for code in ENCODINGS:
            self.encoding_box.addItem(code.upper(), code)
        form.addRow(_("Text encoding:"), self.encoding_box)
        self.separator_box = QComboBox()
        self.separator_box.addItem(_("Found from the file"), None)
        for sep, name in SEPARATORS:
            self.separator_box.addItem(name(), sep)
        form.addRow(_("Separator:"), self.separator_box)
        self.sheet_box = QComboBox()
        form.addRow(_("Sheet:"), self.sheet_box)
        options.addLayout(form)
        form2 = QFormLayout()
        self.header_box = QCheckBox(_("The first row names the columns"))
        self.header_box.setChecked(True)
        form2.addRow(self.header_box)
        self.order_box = QComboBox()
        self.order_box.addItem(_("Given name first (Jonas Petraitis)"), GIVEN_FIRST)
        self.order_box.addItem(_("Family name first (王小明)"), FAMILY_FIRST)
        self.order_box.addItem(_("Family, given, patronymic (Иванов Иван Иванович)"),
                               FAMILY_GIVEN_PATRONYMIC)
        form2.addRow(_("A full name is written:"), self.order_box)
        self.dates_box = QComboBox()
        self.dates_box.addItem(_("Day first (31.12.1980, 31/12/1980)"), True)
        self.dates_box.addItem(_("Month first (12/31/1980)"), False)
        form2.addRow(_("Dates are written:"), self.dates_box)
        presets_row = QHBoxLayout()
        self.preset_box = QComboBox()
        self.preset_box.setObjectName("import_preset")
        self.save_preset_button = QPushButton(_("Save Mapping…"))
        self.save_preset_button.setToolTip(_("Keep these columns' fields under a name, for "
                                             "the next file like this one"))
        self.save_preset_button.clicked.connect(self.save_preset)
        presets_row.addWidget(self.preset_box, 1)
        presets_row.addWidget(self.save_preset_button)
        form2.addRow(_("Mapping:"), presets_row)
        options.addLayout(form2)
        options.addStretch(1)
        layout.addLayout(options)
        self.preview = QTableWidget()
        self.preview.setObjectName("import_preview")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.preview, 1)
        self._fill_presets()
        for box in (self.encoding_box, self.separator_box, self.sheet_box, self.preset_box):
            box.currentIndexChanged.connect(lambda _i: self.reload())
        self.header_box.toggled.connect(lambda _on: self.reload())
        return page

    def reload(self) -> None:
        """Read the file again with the options chosen, and show it."""
        if self._reading:
            return
        self._reading = True
        try:
            self._reload()
        except CrmdeskError as exc:
            errors.show_error(self, exc)
        finally:
            self._reading = False

    def _reload(self) -> None:
        vcard = self.kind == "vcard"
        text = self.kind in ("csv", "tsv")
        self.encoding_box.setEnabled(text or vcard)
        self.separator_box.setEnabled(text)
        self.sheet_box.setEnabled(self.kind in ("xlsx", "ods"))
        for widget in (self.header_box, self.order_box, self.dates_box, self.preset_box,
                       self.save_preset_button):
            widget.setEnabled(not vcard)
        if vcard:
            self.prepared = prepare_vcards(self.data, encoding=self.encoding_box.currentData())
            self._show_vcards(self.prepared)
            return
        sheet = self.sheet_box.currentText() or None
        self.table = read_table(self.data, self.kind, encoding=self.encoding_box.currentData(),
                                delimiter=self.separator_box.currentData(), sheet=sheet,
                                has_header=self.header_box.isChecked())
        table = self.table
        if table.sheets and self.sheet_box.count() == 0:
            self.sheet_box.blockSignals(True)
            self.sheet_box.addItems(table.sheets)
            self.sheet_box.setCurrentText(table.sheet)
            self.sheet_box.blockSignals(False)
        mapping = suggest_mapping(table.header, table.rows)
        chosen = self.preset_box.currentData()
        if chosen:
            mapping = apply_preset(mapping, table.header, self._presets[chosen], table.rows)
        self.order_box.setCurrentIndex(max(0, self.order_box.findData(mapping.name_order)))
        if mapping.dayfirst is not None:
            self.dates_box.setCurrentIndex(self.dates_box.findData(mapping.dayfirst))
        self._show_table(table, mapping)

    def _show_vcards(self, prepared: Prepared) -> None:
        self.intro.setText(ngettext(
            "{file} holds {n} contact card.", "{file} holds {n} contact cards.",
            len(prepared.records)).format(file=self.path.name,
                                          n=QLocale().toString(len(prepared.records))))
        shown = prepared.records[:PREVIEW_ROWS]
        self.preview.clear()
        self.preview.setColumnCount(4)
        self.preview.setRowCount(len(shown))
        self.preview.setHorizontalHeaderLabels([_("Name"), _("Company"), _("Phone"),
                                                _("E-mail")])
        for row, data in enumerate(shown):
            cells = [data.name(), data.company, data.phones[0].number if data.phones else "",
                     data.emails[0].address if data.emails else ""]
            for column, text in enumerate(cells):
                self.preview.setItem(row, column, QTableWidgetItem(text))
        self.preview.resizeColumnsToContents()

    def _show_table(self, table: Table, mapping: Mapping) -> None:
        self.intro.setText(ngettext(
            "{file}: {n} row. Choose where each column goes; the first rows are shown "
            "below it.",
            "{file}: {n} rows. Choose where each column goes; the first rows are shown "
            "below it.", len(table.rows)).format(file=self.path.name,
                                                 n=QLocale().toString(len(table.rows))))
        columns = len(table.header)
        shown = table.rows[:PREVIEW_ROWS]
        self.preview.clear()
        self.preview.setColumnCount(columns)
        self.preview.setRowCount(len(shown) + 1)
        self.preview.setHorizontalHeaderLabels(table.header)
        self.column_boxes: list[QComboBox] = []
        choices = [*_targets(), *self.custom]
        for column in range(columns):
            box = QComboBox()
            box.setObjectName(f"column_{column}")
            for text, title in choices:
                box.addItem(title, text)
            target = mapping.columns.get(column)
            if target is not None:
                self._choose(box, target)
            self.preview.setCellWidget(0, column, box)
            self.column_boxes.append(box)
        for row, cells in enumerate(shown, 1):
            for column, text in enumerate(cells[:columns]):
                item = QTableWidgetItem(text.replace("\n", " ⏎ "))
                item.setToolTip(text)
                self.preview.setItem(row, column, item)
        self.preview.setVerticalHeaderLabels(["", *(str(n) for n in table.row_numbers[:len(shown)])])
        self.preview.resizeColumnsToContents()
        for column in range(columns):
            width = max(self.preview.columnWidth(column), self.column_boxes[column].sizeHint().width())
            self.preview.setColumnWidth(column, min(width, 260))

    def _fill_presets(self, current: str | None = None) -> None:
        with self.db.reading() as session:
            self._presets = presets(session)
        self.preset_box.blockSignals(True)
        self.preset_box.clear()
        self.preset_box.addItem(_("As the headers suggest"), None)
        for name in sorted(self._presets, key=str.casefold):
            self.preset_box.addItem(name, name)
        if current is not None:
            self.preset_box.setCurrentIndex(max(0, self.preset_box.findData(current)))
        self.preset_box.blockSignals(False)

    def ask_preset_name(self) -> str:
        """The name to save the mapping under; "" to cancel (tests replace this)."""
        name, ok = QInputDialog.getText(self, _("Save Mapping"), _("Name:"),
                                        text=self.preset_box.currentData() or "")
        return name.strip() if ok else ""

    def save_preset(self) -> None:
        if self.table is None:
            return
        name = self.ask_preset_name()
        if not name:
            return
        preset = preset_of(self.mapping(), self.table.header)
        try:
            write(self.db, lambda session: save_preset(session, name, preset))
        except CrmdeskError as exc:
            errors.show_error(self, exc)
            return
        self._fill_presets(current=" ".join(name.split()))

    @staticmethod
    def _choose(box: QComboBox, target: Target) -> None:
        text = target.text()
        index = box.findData(text)
        if index < 0:
            plain = Target(target.field, target.label).text()
            index = box.findData(plain)
        if index < 0:  # a target of its own (phone#2:work): offered as it is
            box.addItem(text, text)
            index = box.count() - 1
        box.setCurrentIndex(index)

    def mapping(self) -> Mapping:
        """The columns as chosen."""
        mapping = Mapping(name_order=str(self.order_box.currentData()),
                          dayfirst=bool(self.dates_box.currentData()))
        for column, box in enumerate(getattr(self, "column_boxes", [])):
            target = parse_target(str(box.currentData() or ""))
            if target is not None:
                mapping.columns[column] = target
        return mapping

    def prepare(self) -> Prepared:
        if self.kind == "vcard":
            assert self.prepared is not None
            return self.prepared
        assert self.table is not None
        return prepare_table(self.kind, self.table, self.mapping())

    # -- page 2: the dry run -----------------------------------------------------------
    def _check_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.summary.setFont(font)
        layout.addWidget(self.summary)
        policy_row = QHBoxLayout()
        policy_label = QLabel(_("Contacts already in the file:"))
        policy_row.addWidget(policy_label)
        self.policy_box = QComboBox()
        self.policy_box.setObjectName("import_policy")
        for policy, text in _policies():
            self.policy_box.addItem(text, policy)
        policy_label.setBuddy(self.policy_box)
        self.policy_box.currentIndexChanged.connect(self._policy_changed)
        policy_row.addWidget(self.policy_box, 1)
        layout.addLayout(policy_row)
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("import_problems")
        layout.addWidget(self.problem_list, 1)
        note = QLabel(_("Importing backs the file up first, and brings everything in at once "
                        "or nothing: Cancel leaves the file as it was. File > Undo Last "
                        "Import takes it all back out."))
        note.setWordWrap(True)
        note.setEnabled(False)
        layout.addWidget(note)
        return page

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.back_button.setVisible(index == 1)
        self.next_button.setVisible(index == 0)
        self.import_button.setVisible(index == 1)

    def check(self) -> None:
        """The dry run, on the worker; then the second page."""
        prepared = self.prepare()
        if not prepared.records:
            errors.show_error(self, CrmdeskError(_("No contact could be read from {file} as "
                                                   "the columns are chosen.").format(
                                                       file=self.path.name)))
            return
        db = self.db

        policy = self.policy()

        def job(progress: Progress) -> ImportReport:
            return import_prepared(db, prepared, dry_run=True, progress=progress.report,
                                   on_duplicate=policy)

        def done(report: ImportReport) -> None:
            self._show_check(prepared, report)
            self._show_page(1)

        self.operations.run(job, label=_("Checking the contacts…"), on_success=done,
                            on_failure=lambda exc: errors.show_error(self, exc))

    def _show_check(self, prepared: Prepared, report: ImportReport) -> None:
        where = _("Row") if prepared.kind in ("xlsx", "ods") else _("Line")
        self.summary.setText(
            ngettext("{n} new contact will come in", "{n} new contacts will come in",
                     report.new).format(n=QLocale().toString(report.new)) + ". " +
            (ngettext("{k} row has problems:", "{k} rows have problems:",
                      report.rows_with_problems).format(
                          k=QLocale().toString(report.rows_with_problems))
             if report.problems else _("Nothing has a problem.")))
        if report.duplicates:
            self.summary.setText(self.summary.text() + " " + _duplicates_said(report))
        self.problem_list.clear()
        for line, message in report.problems:
            self.problem_list.addItem(f"{where} {line}: {message}" if line else message)
        for line, message in report.duplicates:
            self.problem_list.addItem(f"{where} {line}: {message}")
        self.import_button.setText(ngettext("Import {n} Contact", "Import {n} Contacts",
                                            report.new).format(n=QLocale().toString(report.new)))
        if report.updated and not report.new:
            self.import_button.setText(ngettext(
                "Update {n} Contact", "Update {n} Contacts", len(report.updated)).format(
                    n=QLocale().toString(len(report.updated))))
        self.import_button.setEnabled(report.new > 0 or bool(report.updated))

    def policy(self) -> str:
        """What becomes of a contact already in the file: skip, fill, update or create."""
        return str(self.policy_box.currentData())

    def _policy_changed(self) -> None:
        """Another policy: the dry run again, so the counts are the ones it would give."""
        if self.pages.currentIndex() == 1 and not self.operations.busy():
            self.check()

    def run_import(self) -> None:
        prepared = self.prepare()
        db = self.db
        policy = self.policy()
        source = self.path.name

        def job(progress: Progress) -> ImportReport:
            return import_prepared(db, prepared, progress=progress.report,
                                   on_duplicate=policy, source=source)

        def done(report: ImportReport) -> None:
            self.report = report
            self.changes = (Changes.of(CONTACTS, report.ids, "added")
                            | Changes.of(CONTACTS, report.updated) | Changes.of(COMPANIES))
            self.accept()

        self.operations.run(job, label=_("Importing contacts…"), on_success=done,
                            on_failure=lambda exc: errors.show_error(self, exc))


def _policies() -> list[tuple[str, str]]:
    return [("create", _("Import them as new contacts anyway")),
            ("skip", _("Skip them")),
            ("fill", _("Fill in the empty fields of the contact already there")),
            ("update", _("Update the contact already there with the file's values"))]


def _duplicates_said(report: ImportReport) -> str:
    """What becomes of the records like contacts already in the file, as the policy says."""
    m = QLocale().toString(len(report.duplicates))
    n = len(report.duplicates)
    if report.policy == "skip":
        return ngettext("{m} looks like a contact already in the file and will be skipped (see "
                        "below).", "{m} look like contacts already in the file and will be "
                        "skipped (see below).", n).format(m=m)
    if report.policy in ("fill", "update"):
        k = QLocale().toString(len(report.updated))
        said = (ngettext("{k} contact already in the file will be filled in",
                         "{k} contacts already in the file will be filled in",
                         len(report.updated)) if report.policy == "fill" else
                ngettext("{k} contact already in the file will be updated",
                         "{k} contacts already in the file will be updated",
                         len(report.updated))).format(k=k)
        if report.unchanged:
            said += "; " + ngettext("{u} has nothing new", "{u} have nothing new",
                                    report.unchanged).format(
                                        u=QLocale().toString(report.unchanged))
        return said + _(" (see below).")
    return ngettext("{m} looks like a contact already in the file (it is imported as a new "
                    "one; see below).",
                    "{m} look like contacts already in the file (they are imported as new "
                    "ones; see below).", n).format(m=m)


def undo_last_import(window: Any) -> None:
    """File > Undo Last Import…: the newest import not undone, named by its file, date
    and counts, taken back after one confirmation (import_batches.undo_batch, on the
    writer with progress); then what the user had edited since is said."""
    from crmdesk.core.contacts.import_batches import label_of, last_batch, undo_batch
    from crmdesk.ui.common import dialogs
    from crmdesk.ui.contacts.table_model import local_datetime

    if getattr(window.db, "readonly", False):
        return
    if window.operations.busy():
        dialogs.still_busy(window)
        return
    with window.db.reading() as s:
        last = last_batch(s)
    title = _("Undo Last Import")
    if last is None:
        dialogs.inform(window, title, _("There is no import to undo in this file."))
        return
    when = local_datetime(last.started_at).strftime("%Y-%m-%d %H:%M")
    parts = []
    if last.added:
        parts.append(ngettext("the {n} contact it added goes to the trash",
                              "the {n} contacts it added go to the trash",
                              last.added).format(n=QLocale().toString(last.added)))
    if last.updated:
        parts.append(ngettext("the {n} contact it updated gets its earlier values back",
                              "the {n} contacts it updated get their earlier values back",
                              last.updated).format(n=QLocale().toString(last.updated)))
    if not dialogs.confirm(window, title,
                           _("Undo the import of {file} on {when}?").format(
                               file=last.source or "?", when=when),
                           _("Undo Import"),
                           informative=_("Of that import, {what}. A value you changed "
                                         "yourself since is kept.").format(
                                             what=_(" and ").join(parts)),
                           destructive=True):
        return
    db, batch = window.db, last.id

    def job(progress: Progress) -> Any:
        with db.session() as s:
            return undo_batch(s, batch, progress=progress.report)

    def done(undone: Any) -> None:
        window.broadcast(undone.changes)
        window.statusBar().showMessage(_("Undid the import of {file}.").format(
            file=undone.batch.source or "?"), 10000)
        if undone.edited_since:
            lines = []
            for cid, name, kept in undone.edited_since[:20]:
                lines.append(_("{name}: your changes to {fields} were kept.").format(
                    name=name or cid, fields=", ".join(label_of(k) for k in kept)) if kept else
                    _("{name}: edited after the import; it is in the trash with the "
                      "rest (restore it from there).").format(name=name or cid))
            if len(undone.edited_since) > 20:
                lines.append(_("… and {n} more.").format(n=len(undone.edited_since) - 20))
            dialogs.inform(window, title, ngettext(
                "{n} contact was edited after the import.",
                "{n} contacts were edited after the import.",
                len(undone.edited_since)).format(n=len(undone.edited_since)),
                informative="\n".join(lines))

    window.operations.run(job, label=_("Undoing the import…"), on_success=done,
                          on_failure=lambda exc: errors.show_error(window, exc))


def import_file(parent: Any, path: str) -> ImportDialog | None:
    """The dialog for ``path``, or None after saying why the file cannot be read.

    A calendar file (.ics, or any file that starts BEGIN:VCALENDAR) has no
    columns to choose: its events and to-dos go straight to the calendar
    (import_calendar_file), and there is no dialog (None)."""
    if is_calendar_path(path):
        import_calendar_file(parent, path)
        return None
    try:
        return ImportDialog(Path(path), parent.db, parent.operations, parent)
    except CrmdeskError as exc:
        errors.show_error(parent, exc)
        return None


# What File > Import… offers, and what may be dropped on the window.
CALENDAR_SUFFIXES = (".ics", ".ical", ".icalendar", ".ifb")


def import_filters() -> str:
    """The file dialog's filters: everything it can import, contacts, calendars."""
    contacts = "*.csv *.tsv *.txt *.xlsx *.ods *.vcf *.vcard"
    calendars = " ".join("*" + s for s in CALENDAR_SUFFIXES)
    return ";;".join([_("Contacts and calendars ({patterns})").format(
                          patterns=contacts + " " + calendars),
                      _("Contacts ({patterns})").format(patterns=contacts),
                      _("Calendar files ({patterns})").format(patterns=calendars),
                      _("All files (*)")])


def is_calendar_path(path: str) -> bool:
    """A calendar file by its name, or by a first line BEGIN:VCALENDAR."""
    from crmdesk.io.ics import is_calendar_file

    if is_calendar_file(path):
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return False  # the contacts' import says why it cannot be read
    return is_calendar_file(path, head)


def import_calendar_file(window: Any, path: str) -> Any:
    """Add a calendar file's events and to-dos to the calendar, in one unit of work on
    the writer thread (the Calendar view's Import .ics… does the same, io.ics.import_ics),
    and say what came in: "3 events and 1 to-do added", and what could not be read.
    Returns the IcsImport, or None when nothing was imported."""
    from crmdesk.io.ics import import_ics, import_summary, read_calendar_file
    from crmdesk.ui.common import dialogs

    title = _("Import a Calendar File")
    try:
        raw = read_calendar_file(Path(path))
        result = write(window.db, lambda s: import_ics(s, raw))
    except CrmdeskError as exc:
        errors.show_error(window, exc, title=_("Not imported"))
        return None
    window.broadcast(result.changes)
    if hasattr(window, "statusBar"):
        window.statusBar().showMessage(import_summary(result), 10000)
    informative = ""
    if result.problems:
        shown = result.problems[:20]
        more = len(result.problems) - len(shown)
        informative = "\n".join([ngettext("{n} could not be imported:",
                                          "{n} could not be imported:",
                                          len(result.problems)).format(n=len(result.problems)),
                                 *shown]
                                + ([_("… and {n} more.").format(n=more)] if more else []))
    dialogs.inform(window, title, import_summary(result), informative=informative)
    return result
