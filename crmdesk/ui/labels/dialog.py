"""File > Print Labels… and File > Print Envelopes…: which contacts, which sheet,
what goes on each label, a picture of the first sheet, then a PDF or paper.

The sheet is found as its box says (a brand, a code or an equivalent code), or
read from a gLabels file, or measured with a ruler (Custom Sheet…). The picture
is painted from the same plan as the PDF and the printout (painting.py): click
a label in it to start there on a partly used sheet. The printer offset is kept
per printer in this PC's settings (a calibration page helps find it). The work
runs on the worker with progress and Cancel; afterwards the contacts that got
no label, and any whose text had to be cut, are listed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.i18n import _, ngettext
from crmdesk.core.storage.database import Database
from crmdesk.output.labels import make_plan
from crmdesk.output.labels.catalogue import catalogue, search
from crmdesk.output.labels.geometry import ENVELOPE, MM, SHEET, GeometryError, Template
from crmdesk.output.labels.layout import LabelOptions, LabelPlan, sort_names
from crmdesk.output.labels.recipients import (
    MAILING,
    address_kind_names,
    home_country,
    lookup_ids,
    save_sender,
    sender_lines,
)
from crmdesk.ui.common import dialogs
from crmdesk.ui.common.painting_progress import painting_progress
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.labels.painting import paint_calibration, paint_page
from crmdesk.ui.tasks.operations import Operations, Progress

PREVIEW_CONTACTS = 400  # read for the picture; the whole list is read when printing
SHOWN, SELECTED, EVERYONE = "shown", "selected", "everyone"


def offset_key(printer: str) -> str:
    return "labels/offset/" + (printer or "default")


def saved_offset(settings: UiSettings, printer: str) -> tuple[float, float]:
    """The offset saved for ``printer`` (mm right, mm down); (0, 0) if none."""
    try:
        x, y = settings.text(offset_key(printer), "0,0").split(",")
        return float(x), float(y)
    except ValueError:
        return 0.0, 0.0


class SheetPicture(QWidget):
    """The first page as it will print; a click on a label picks where to start."""

    start_picked = Signal(int, int)  # row, column (from 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("label_preview")
        self.plan: LabelPlan | None = None
        self.page = 0
        self.setMinimumSize(QSize(300, 380))
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_plan(self, plan: LabelPlan | None, page: int = 0) -> None:
        self.plan = plan
        self.page = min(page, plan.pages - 1) if plan is not None else 0
        self.update()

    def _page_rect(self) -> tuple[QRectF, float]:
        assert self.plan is not None
        t = self.plan.template
        w, h = t.page_width * MM, t.page_height * MM
        scale = min((self.width() - 16) / w, (self.height() - 16) / h)
        return QRectF((self.width() - w * scale) / 2, (self.height() - h * scale) / 2,
                      w * scale, h * scale), scale

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), self.palette().window())
        if self.plan is None:
            painter.end()
            return
        page, scale = self._page_rect()
        painter.fillRect(page.translated(3, 3), QColor(0, 0, 0, 60))
        painter.fillRect(page, QColor(255, 255, 255))
        painter.translate(page.topLeft())
        painter.scale(scale, scale)
        paint_page(painter, self.plan, self.page, outlines=True, shade_used=True)
        painter.end()

    def slot_at(self, point: QPointF) -> tuple[int, int] | None:
        """The (row, column) of the label under ``point``, if any."""
        if self.plan is None or self.plan.template.kind == ENVELOPE or self.page:
            return None  # the start is picked on the first sheet
        page, scale = self._page_rect()
        t = self.plan.template
        x = (point.x() - page.left()) / scale / MM - self.plan.options.offset_x
        y = (point.y() - page.top()) / scale / MM - self.plan.options.offset_y
        first_row = 1
        for layout in t.layouts:
            for r in range(layout.rows):
                for c in range(layout.columns):
                    lx, ly = layout.x0 + c * layout.dx, layout.y0 + r * layout.dy
                    if lx <= x <= lx + t.label_width and ly <= y <= ly + t.label_height:
                        return first_row + r, c + 1
            first_row += layout.rows
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        hit = self.slot_at(event.position())
        if hit is not None:
            self.start_picked.emit(*hit)


class CustomSheetDialog(QDialog):
    """A sheet measured with a ruler; OK only when its labels fit on it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Custom Sheet"))
        outer = QHBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        self.picture = SheetPicture()  # the sheet as measured, as it is typed
        self.picture.setObjectName("custom_sheet_picture")
        self.picture.setMinimumSize(QSize(260, 340))
        outer.addWidget(self.picture, 1)
        self.name = QLineEdit(_("My sheet"))
        form.addRow(_("Name:"), self.name)
        self.fields: dict[str, QDoubleSpinBox | QSpinBox] = {}
        for key, label, value in (
                ("page_width", _("Sheet width (mm):"), 210.0),
                ("page_height", _("Sheet height (mm):"), 297.0),
                ("label_width", _("Label width (mm):"), 70.0),
                ("label_height", _("Label height (mm):"), 37.0),
                ("left", _("Left edge to the first label (mm):"), 0.0),
                ("top", _("Top edge to the first label (mm):"), 0.5),
                ("horizontal", _("From one label's left edge to the next (mm):"), 70.0),
                ("vertical", _("From one label's top edge to the next (mm):"), 37.0),
                ("radius", _("Corner radius (mm):"), 0.0)):
            box = QDoubleSpinBox()
            box.setRange(0, 1000)
            box.setDecimals(2)
            box.setValue(value)
            box.valueChanged.connect(self._check)
            self.fields[key] = box
            form.addRow(label, box)
        for key, label, value in (("columns", _("Labels across:"), 3),
                                  ("rows", _("Labels down:"), 8)):
            spin = QSpinBox()
            spin.setRange(1, 100)
            spin.setValue(value)
            spin.valueChanged.connect(self._check)
            self.fields[key] = spin
            form.addRow(label, spin)
        self.problem = QLabel()
        self.problem.setObjectName("custom_sheet_problem")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._check()

    def sheet(self) -> Template:
        from crmdesk.output.labels.geometry import custom_sheet

        v = {k: f.value() for k, f in self.fields.items()}
        return custom_sheet(page_width=v["page_width"], page_height=v["page_height"],
                            label_width=v["label_width"], label_height=v["label_height"],
                            columns=int(v["columns"]), rows=int(v["rows"]), left=v["left"],
                            top=v["top"], horizontal=v["horizontal"], vertical=v["vertical"],
                            radius=v["radius"], name=self.name.text())

    def _check(self) -> None:
        from crmdesk.output.labels.layout import plan_labels

        try:
            sheet = self.sheet()
            self.problem.setText("")
            self.picture.set_plan(plan_labels(sheet, [], LabelOptions()))
            ok = True
        except GeometryError as exc:
            self.problem.setText(str(exc))
            ok = False
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


class LabelsDialog(QDialog):
    """Print Labels (or Envelopes) for the list shown, the selection or everyone."""

    def __init__(self, db: Database, settings: UiSettings, operations: Operations, *,
                 shown: list[int], selected: list[int], query: str = "",
                 envelopes: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.settings, self.operations = db, settings, operations
        self.envelopes = envelopes
        self.kind = ENVELOPE if envelopes else SHEET
        self.shown, self.selected, self.query = list(shown), list(selected), query
        self.setWindowTitle(_("Print Envelopes") if envelopes else _("Print Labels"))
        self.templates: list[Template] = list(catalogue())
        self.extra: list[Template] = []  # from a gLabels file or measured
        self.last_report: list[str] = []
        self.last_plan: LabelPlan | None = None
        self._everyone: list[int] | None = None
        self._timer = QTimer(self)  # the picture follows the choices, a moment later
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.refresh)
        with db.reading() as s:
            self.country = home_country(s)
            sender = sender_lines(s) if envelopes else ()

        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        outer.addLayout(left, 3)

        who = QGroupBox(_("Contacts"))
        who_layout = QVBoxLayout(who)
        loc = QLocale()
        self.who_buttons = {
            SHOWN: QRadioButton(ngettext("The list shown: {n} contact",
                                         "The list shown: {n} contacts", len(shown))
                                .format(n=loc.toString(len(shown)))),
            SELECTED: QRadioButton(ngettext("The selected contact", "The {n} selected "
                                            "contacts", len(selected))
                                   .format(n=loc.toString(len(selected)))
                                   if len(selected) > 1 else _("The selected contacts (none: "
                                                               "select them in the list)")),
            EVERYONE: QRadioButton(_("Everyone")),
        }
        group = QButtonGroup(self)
        for key, button in self.who_buttons.items():
            button.setObjectName(f"who_{key}")
            group.addButton(button)
            who_layout.addWidget(button)
            button.toggled.connect(self._changed)
        self.who_buttons[SELECTED].setEnabled(len(selected) > 1)
        self.who_buttons[SELECTED if len(selected) > 1 else SHOWN].setChecked(True)
        left.addWidget(who)

        sheet_box = QGroupBox(_("Envelope") if envelopes else _("Sheet"))
        sheet_layout = QVBoxLayout(sheet_box)
        self.search = QLineEdit()
        self.search.setObjectName("template_search")
        self.search.setPlaceholderText(_("Brand or code on the box: 5160, L7160, Herma…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._fill_templates)
        sheet_layout.addWidget(self.search)
        self.template_list = QListWidget()
        self.template_list.setObjectName("template_list")
        self.template_list.currentItemChanged.connect(self._changed)
        sheet_layout.addWidget(self.template_list)
        if not envelopes:
            row = QHBoxLayout()
            self.glabels_button = QPushButton(_("gLabels File…"))
            self.glabels_button.clicked.connect(self.open_glabels)
            self.custom_button = QPushButton(_("Custom Sheet…"))
            self.custom_button.clicked.connect(self.custom_sheet)
            row.addWidget(self.glabels_button)
            row.addWidget(self.custom_button)
            row.addStretch()
            sheet_layout.addLayout(row)
        left.addWidget(sheet_box)

        what = QGroupBox(_("On each envelope") if envelopes else _("On each label"))
        form = QFormLayout(what)
        self.address = QComboBox()
        self.address.setObjectName("address_kind")
        for key, name in address_kind_names().items():
            self.address.addItem(name, key)
        form.addRow(_("Address:"), self.address)
        lines = QGridLayout()
        self.title_box = QCheckBox(_("Title (Dr., Mr.)"))
        self.title_box.setChecked(True)
        self.job_box = QCheckBox(_("Job title"))
        self.company_box = QCheckBox(_("Company"))
        self.company_box.setChecked(True)
        self.department_box = QCheckBox(_("Department"))
        self.upper_box = QCheckBox(_("ALL CAPITALS"))
        for i, box in enumerate((self.title_box, self.job_box, self.company_box,
                                 self.department_box, self.upper_box)):
            lines.addWidget(box, i // 3, i % 3)
        form.addRow(_("Lines:"), lines)
        self.sort = QComboBox()
        self.sort.setObjectName("label_sort")
        for key, name in sort_names().items():
            self.sort.addItem(name, key)
        form.addRow(_("Order:"), self.sort)
        self.household_box = QCheckBox(_("One per household (the same address once)"))
        form.addRow(self.household_box)
        self.copies = QSpinBox()
        self.copies.setRange(1, 1000)
        form.addRow(_("Copies of each:"), self.copies)
        self.start_row, self.start_column = QSpinBox(), QSpinBox()
        self.start_row.setObjectName("start_row")
        self.start_column.setObjectName("start_column")
        for spin in (self.start_row, self.start_column):
            spin.setRange(1, 200)
        if not envelopes:
            start = QHBoxLayout()
            start.addWidget(QLabel(_("row")))
            start.addWidget(self.start_row)
            start.addWidget(QLabel(_("column")))
            start.addWidget(self.start_column)
            start.addStretch()
            form.addRow(_("Start at:"), start)
            self.outlines_box = QCheckBox(_("Outlines (a test print on plain paper)"))
            form.addRow(self.outlines_box)
        else:
            self.outlines_box = QCheckBox()
            self.sender = QPlainTextEdit("\n".join(sender))
            self.sender.setObjectName("sender")
            self.sender.setPlaceholderText(_("Your name and address, line by line"))
            self.sender.setFixedHeight(70)
            self.sender.textChanged.connect(self._changed)
            form.addRow(_("Return address:"), self.sender)
        self.offset_x, self.offset_y = QDoubleSpinBox(), QDoubleSpinBox()
        offset = QHBoxLayout()
        saved = saved_offset(settings, self._default_printer())
        for spin, value, name in ((self.offset_x, saved[0], _("right")),
                                  (self.offset_y, saved[1], _("down"))):
            spin.setRange(-20, 20)
            spin.setDecimals(1)
            spin.setSingleStep(0.5)
            spin.setSuffix(" mm")
            spin.setValue(value)
            offset.addWidget(spin)
            offset.addWidget(QLabel(name))
        offset.addStretch()
        form.addRow(_("Printer offset:"), offset)
        left.addWidget(what)
        for widget in (self.address, self.sort):
            widget.currentIndexChanged.connect(self._changed)
        for box in (self.title_box, self.job_box, self.company_box, self.department_box,
                    self.upper_box, self.household_box, self.outlines_box):
            box.toggled.connect(self._changed)
        for spin in (self.copies, self.start_row, self.start_column):
            spin.valueChanged.connect(self._changed)
        for dspin in (self.offset_x, self.offset_y):
            dspin.valueChanged.connect(self._changed)

        right = QVBoxLayout()
        outer.addLayout(right, 4)
        self.picture = SheetPicture()
        self.picture.start_picked.connect(self.pick_start)
        right.addWidget(self.picture, 1)
        pages = QHBoxLayout()
        self.page_spin = QSpinBox()
        self.page_spin.setObjectName("preview_page")
        self.page_spin.setRange(1, 1)
        self.page_spin.valueChanged.connect(
            lambda n: self.picture.set_plan(self.picture.plan, n - 1))
        self.pages_label = QLabel()
        pages.addWidget(QLabel(_("Page")))
        pages.addWidget(self.page_spin)
        pages.addWidget(self.pages_label)
        pages.addStretch()
        right.addLayout(pages)
        self.summary = QLabel()
        self.summary.setObjectName("label_summary")
        self.summary.setWordWrap(True)
        right.addWidget(self.summary)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("Save as PDF…"))
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button = QPushButton(_("Print…"))
        self.print_button.clicked.connect(self.print_labels)
        self.calibrate_button = QPushButton(_("Calibration Page…"))
        self.calibrate_button.clicked.connect(self.calibration_page)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        for b in (self.calibrate_button, self.save_button, self.print_button):
            buttons.addWidget(b)
        buttons.addStretch()
        buttons.addWidget(close)
        right.addLayout(buttons)

        last = settings.text("labels/envelope" if envelopes else "labels/template")
        self._fill_templates()
        self.select_template(last or (_default_code(envelopes)))
        self.refresh()
        self.resize(1000, 720)

    # -- the sheet ---------------------------------------------------------------------
    def _fill_templates(self) -> None:
        current = self.template()
        self.template_list.blockSignals(True)
        self.template_list.clear()
        for t in self.extra + search(self.search.text(), kind=self.kind,
                                     templates=tuple(self.templates)):
            item = QListWidgetItem(f"{t.code} — {t.summary()}")
            item.setData(Qt.ItemDataRole.UserRole, t)
            item.setToolTip(", ".join(t.equivalents) or t.description)
            self.template_list.addItem(item)
        self.template_list.blockSignals(False)
        if current is not None:
            self.select_template(current.code)
        if self.template_list.currentRow() < 0 and self.template_list.count():
            self.template_list.setCurrentRow(0)

    def select_template(self, code: str) -> bool:
        for i in range(self.template_list.count()):
            t = self.template_list.item(i).data(Qt.ItemDataRole.UserRole)
            if t.code.casefold() == code.casefold() or code.casefold() in (
                    e.casefold() for e in t.equivalents):
                self.template_list.setCurrentRow(i)
                return True
        return False

    def template(self) -> Template | None:
        item = self.template_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def open_glabels(self) -> None:
        from crmdesk.output.labels.glabels import TemplateFileError, read_file

        path = dialogs.open_file(self, _("Open a gLabels Template"), str(Path.home()),
                                 _("gLabels templates (*.xml *.glabels);;All files (*)"))
        if not path:
            return
        try:
            sheets = read_file(path)
        except TemplateFileError as exc:
            dialogs.inform(self, _("Open a gLabels Template"), str(exc))
            return
        self.extra = [t for t in sheets if t.kind == SHEET] + self.extra
        self.search.clear()
        self._fill_templates()
        self.select_template(sheets[0].code)

    def custom_sheet(self) -> None:
        dialog = CustomSheetDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        sheet = dialog.sheet()
        self.extra = [sheet, *self.extra]
        self.search.clear()
        self._fill_templates()
        self.select_template(sheet.code)

    def pick_start(self, row: int, column: int) -> None:
        self.start_row.setValue(row)
        self.start_column.setValue(column)

    # -- what to print -----------------------------------------------------------------
    def who(self) -> str:
        return next(k for k, b in self.who_buttons.items() if b.isChecked())

    def contact_ids(self, session: Any) -> list[int]:
        who = self.who()
        if who == SELECTED:
            return list(self.selected)
        if who == EVERYONE:
            if self._everyone is None:  # read once: the picture follows every click
                self._everyone = lookup_ids(session, "")
            return list(self._everyone)
        return list(self.shown)

    def sender_lines(self) -> tuple[str, ...]:
        if not self.envelopes:
            return ()
        return tuple(s.strip() for s in self.sender.toPlainText().splitlines() if s.strip())

    def options(self) -> LabelOptions:
        template = self.template()
        rows = template.rows if template else 1
        columns = template.columns if template else 1
        return LabelOptions(
            address=self.address.currentData() or MAILING, title=self.title_box.isChecked(),
            job_title=self.job_box.isChecked(), company=self.company_box.isChecked(),
            department=self.department_box.isChecked(), upper=self.upper_box.isChecked(),
            sort=self.sort.currentData(), household=self.household_box.isChecked(),
            copies=self.copies.value(),
            start_row=1 if self.envelopes else min(self.start_row.value(), rows),
            start_column=1 if self.envelopes else min(self.start_column.value(), columns),
            outlines=not self.envelopes and self.outlines_box.isChecked(),
            offset_x=self.offset_x.value(), offset_y=self.offset_y.value(),
            home_country=self.country, sender=self.sender_lines())

    def _changed(self, *args: object) -> None:
        self._timer.start()

    def refresh(self) -> None:
        """Recompute the picture of the first page (from the first contacts)."""
        template = self.template()
        if template is None:
            self.picture.set_plan(None)
            return
        self.start_row.setMaximum(max(1, template.rows))
        self.start_column.setMaximum(max(1, template.columns))
        try:
            with self.db.reading() as s:
                ids = self.contact_ids(s)
                count = len(ids)
                plan = make_plan(s, ids[:PREVIEW_CONTACTS], template, self.options())
        except GeometryError as exc:
            self.summary.setText(str(exc))
            return
        self.page_spin.blockSignals(True)
        self.page_spin.setRange(1, plan.pages)
        self.page_spin.blockSignals(False)
        self.picture.set_plan(plan, self.page_spin.value() - 1)
        self.pages_label.setText(
            _("of {n}").format(n=plan.pages) if count <= PREVIEW_CONTACTS
            else _("of the first {n} (the first {m} contacts)").format(
                n=plan.pages, m=PREVIEW_CONTACTS))
        loc = QLocale()
        text = [ngettext("{n} contact.", "{n} contacts.", count).format(n=loc.toString(count)),
                template.summary() + "."]
        if plan.skipped and count <= PREVIEW_CONTACTS:
            text.append(ngettext("{n} has no address to print and is left out.",
                                 "{n} have no address to print and are left out.",
                                 len(plan.skipped)).format(n=len(plan.skipped)))
        if plan.options.sort != "list" and count > PREVIEW_CONTACTS:
            text.append(_("The picture shows the first {n} in the list's order; the "
                          "order you chose applies to the print.").format(n=PREVIEW_CONTACTS))
        self.summary.setText(" ".join(text))
        self.save_button.setEnabled(count > 0)
        self.print_button.setEnabled(count > 0)

    # -- output ----------------------------------------------------------------------
    def _remember(self, template: Template) -> None:
        key = "labels/envelope" if self.envelopes else "labels/template"
        if template in self.templates:
            self.settings.set_text(key, template.code)
        if self.envelopes:
            lines = self.sender_lines()
            from crmdesk.ui.tasks.writes import write

            try:
                write(self.db, lambda s: save_sender(s, lines))
            except Exception:  # noqa: BLE001 - a read-only file: the envelopes still print
                pass

    def _job(self, template: Template, options: LabelOptions,
             finish: Callable[[LabelPlan, Progress], Any]) -> Callable[[Progress], Any]:
        def job(progress: Progress) -> Any:
            progress.report(0, 0, _("Reading the addresses…"))
            with self.db.reading() as s:
                ids = self.contact_ids(s)
                plan = make_plan(s, ids, template, options,
                                 progress=lambda d, t: progress.report(d, t))
            return finish(plan, progress)
        return job

    def _done(self, plan: LabelPlan, message: Callable[[int, int], str]) -> None:
        self.last_plan = plan
        self.last_report = plan.report()
        count = sum(1 for p in plan.labels if p.slot >= 0)
        if not count:
            dialogs.inform(self, self.windowTitle(), _("None of these contacts has an "
                                                       "address to print."),
                           informative="\n".join(self.last_report))
            return
        dialogs.inform(self, self.windowTitle(), message(count, plan.pages),
                       informative="\n".join(self.last_report))

    def save_pdf(self) -> None:
        from crmdesk.output.labels.pdf import write_pdf

        template = self.template()
        if template is None:
            return
        start = str(Path.home() / ((_("envelopes") if self.envelopes else _("labels"))
                                   + ".pdf"))
        path = dialogs.save_file(self, _("Save as PDF"), start,
                                 _("PDF files (*.pdf);;All files (*)"))
        if not path:
            return
        if not Path(path).suffix:
            path += ".pdf"
        self._remember(template)
        options = self.options()

        def finish(plan: LabelPlan, progress: Progress) -> LabelPlan:
            if plan.labels:
                write_pdf(path, plan, title=self.query or template.code,
                          progress=lambda d, t: progress.report(d, t, _("Writing the PDF…")))
            return plan

        self.operations.run(
            self._job(template, options, finish),
            label=_("Writing envelopes…") if self.envelopes else _("Writing labels…"),
            on_success=lambda plan: self._done(plan, lambda n, pages: ngettext(
                "Wrote {n} label or envelope to {path} ({pages} pages). Print it at "
                "100 %, not 'fit to page'.",
                "Wrote {n} labels or envelopes to {path} ({pages} pages). Print it at "
                "100 %, not 'fit to page'.", n).format(n=n, path=path, pages=pages)))

    def _default_printer(self) -> str:
        try:
            from PySide6.QtPrintSupport import QPrinterInfo

            return QPrinterInfo.defaultPrinterName()
        except ImportError:  # a Qt without printing
            return ""

    def _printer(self, template: Template) -> Any:
        from PySide6.QtCore import QMarginsF, QSizeF
        from PySide6.QtGui import QPageLayout, QPageSize
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        size = QPageSize(QSizeF(template.page_width, template.page_height),
                         QPageSize.Unit.Millimeter, template.code,
                         QPageSize.SizeMatchPolicy.ExactMatch)
        orientation = QPageLayout.Orientation.Portrait
        printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0)))
        printer.setFullPage(True)  # no margins added: label positions are from the edge
        printer.setDocName(template.code)
        chooser = QPrintDialog(printer, self)
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer

    def print_labels(self) -> None:
        """Print… : the system's print dialog, then every page at 100 % (no fit to
        page), with this printer's saved offset."""
        template = self.template()
        if template is None:
            return
        printer = self._printer(template)
        if printer is None:
            return
        name = printer.printerName()
        self.settings.set_text(offset_key(name), f"{self.offset_x.value()},"
                                                 f"{self.offset_y.value()}")
        self._remember(template)
        options = self.options()

        def finish(plan: LabelPlan, progress: Progress) -> LabelPlan:
            return plan

        def paint(plan: LabelPlan) -> None:
            if plan.labels:
                with painting_progress(self, _("Sending the pages to the printer…"),
                                       plan.pages) as step:
                    if not print_plan(printer, plan, step):
                        return  # cancelled: the printer job was aborted
            self._done(plan, lambda n, pages: ngettext(
                "Sent {n} label or envelope to the printer ({pages} pages).",
                "Sent {n} labels or envelopes to the printer ({pages} pages).", n)
                .format(n=n, pages=pages))

        self.operations.run(self._job(template, options, finish),
                            label=_("Reading the addresses…"), on_success=paint)

    def calibration_page(self) -> None:
        """A page with crosshairs to print on plain paper and measure (painting.py)."""
        template = self.template()
        if template is None:
            return
        printer = self._printer(template)
        if printer is None:
            return
        print_calibration(printer, template, self.offset_x.value(), self.offset_y.value())


def print_calibration(printer: Any, template: Template, offset_x: float,
                      offset_y: float) -> None:
    """The calibration page on ``printer`` at 100 %: crosses 20 mm from the edges."""
    painter = QPainter(printer)
    scale = printer.resolution() / 72
    painter.scale(scale, scale)
    paint_calibration(painter, template, offset_x * MM, offset_y * MM)
    painter.end()


def print_plan(printer: Any, plan: LabelPlan,
               progress: Callable[[int, int], bool] | None = None) -> bool:
    """Every page of ``plan`` on ``printer``: 1 pt is printer.resolution()/72 dots,
    from the paper's corner (full page): 100 %, never fitted. ``progress(page,
    pages)`` returning False stops (the job is aborted); True if all printed."""
    painter = QPainter(printer)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scale = printer.resolution() / 72
    for page in range(plan.pages):
        if progress is not None and not progress(page, plan.pages):
            printer.abort()
            painter.end()
            return False
        if page:
            printer.newPage()
        painter.save()
        painter.scale(scale, scale)
        paint_page(painter, plan, page)
        painter.restore()
    painter.end()
    return True


def _default_code(envelopes: bool) -> str:
    from crmdesk.io.call_sheet_pdf import LETTER, paper_for

    letter = paper_for() == LETTER
    if envelopes:
        return "#10" if letter else "DL"
    return "Avery 5160" if letter else "Avery L7160"


def open_labels_dialog(window: Any, *, envelopes: bool = False) -> None:
    """File > Print Labels… / Print Envelopes…: for the contacts list of ``window``."""
    contacts = window.contacts
    window.show_view(contacts)
    contacts.model.wait()
    dialog = LabelsDialog(window.db, window.settings, window.operations,
                          shown=contacts.model.ids(), selected=contacts.list.selected_ids(),
                          query=contacts.model.query, envelopes=envelopes, parent=window)
    dialog.exec()
