"""File > Print… and File > Print Preview…: the contacts list the user is looking at
(the selection when several are selected, else the search or lookup shown, else
everyone) as a call sheet on paper, through Qt's print dialog.

It is the same sheet as the PDF export: io/call_sheet_pdf.SheetLayout decides
the columns, the wrapped lines and the pages (with the shipped fonts' metrics),
and this module draws that layout with QPainter on the printer, using the same
fonts (registered with Qt from resources/fonts). So paper and PDF agree line
for line, printing stays vector (sharp, small print jobs), and nothing more is
installed: PySide6-Essentials has no QtPdf to render the PDF's pages with, and
the alternatives (PySide6-Addons, ~175 MB; pypdfium2, 4 MB) would print images.

The columns are those of the last call-list export (File > Export Call List…).
The rows are read on the worker; the printing itself happens on the GUI thread,
as Qt requires of painting.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QMarginsF, QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from crmdesk.core.i18n import _, ngettext
from crmdesk.core.storage.database import Database
from crmdesk.io.call_list import DEFAULT_COLUMNS, INTERNATIONAL, NATIONAL, CallList, call_list
from crmdesk.io.call_sheet_pdf import (
    BOLD,
    FONT_DIR,
    FONT_FILES,
    FONT_SIZE,
    HEAD_FILL,
    LEADING,
    LETTER,
    MARGIN,
    PAD,
    REGULAR,
    RULE,
    TITLE_LEADING,
    TITLE_SIZE,
    ZEBRA,
    Page,
    SheetLayout,
    paper_for,
)
from crmdesk.ui.common.painting_progress import painting_progress

MANY_PAGES = 100  # more than this is asked about first (a preview draws every page)


@lru_cache(maxsize=1)
def qt_families() -> dict[str, str]:
    """The shipped fonts registered with Qt: reportlab's font name -> Qt family."""
    out: dict[str, str] = {}
    for name, file in FONT_FILES.items():
        font_id = QFontDatabase.addApplicationFont(str(FONT_DIR / file))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        out[name] = families[0] if families else "Sans Serif"
    return out


def _colour(rgb: tuple[float, float, float]) -> QColor:
    return QColor.fromRgbF(*rgb)


class SheetPainter:
    """Draws a SheetLayout's pages with QPainter: positions in points from the
    page's top left, as the layout gives them, scaled to the device."""

    def __init__(self, layout: SheetLayout) -> None:
        self.layout = layout
        families = qt_families()
        self.fonts: dict[tuple[str, float], QFont] = {}
        for name in FONT_FILES:
            for size in (FONT_SIZE, TITLE_SIZE):
                font = QFont(families[name])
                font.setPointSizeF(size)
                font.setBold(name == BOLD)
                font.setKerning(False)  # as reportlab draws: the layout's widths hold
                font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
                font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
                self.fonts[(name, size)] = font

    def paint(self, printer: QPrinter,
              progress: Callable[[int, int], bool] | None = None,
              *, total: int | None = None) -> int:
        """The pages (those of the print range the user chose) on ``printer``;
        how many were printed. ``total``: the page count, if known already.
        ``progress(done, pages)`` returning False stops: the printer's job is
        aborted (nothing half-printed is sent)."""
        total = total or self.layout.page_count()
        first = printer.fromPage() or 1
        last = min(printer.toPage() or total, total)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        printed = 0
        try:
            scale = printer.resolution() / 72.0
            for page in self.layout.pages():
                if page.number < first:
                    continue
                if page.number > last:
                    break
                if progress is not None and not progress(printed, last - first + 1):
                    printer.abort()
                    painter.end()
                    if (printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
                            and printer.outputFileName()):  # "print to file": no half file
                        Path(printer.outputFileName()).unlink(missing_ok=True)
                    return 0
                if printed:
                    printer.newPage()
                self.draw(painter, page, total, scale)
                printed += 1
        finally:
            if painter.isActive():
                painter.end()
        return printed

    def draw(self, painter: QPainter, page: Page, total: int, k: float) -> None:
        layout = self.layout
        left, right = MARGIN, layout.page_width - MARGIN
        top = layout.header_top
        bottom = page.bottom or layout.body_top
        zebra = _colour(ZEBRA)
        for block in page.blocks:
            if block.shade:
                painter.fillRect(QRectF(left * k, block.top * k, (right - left) * k,
                                        block.height * k), zebra)
        painter.fillRect(QRectF(left * k, top * k, (right - left) * k,
                                layout.header_height * k), _colour(HEAD_FILL))
        pen = QPen(_colour(RULE))
        pen.setWidthF(0.4 * k)
        painter.setPen(pen)
        for y in [top, layout.body_top, *(b.top + b.height for b in page.blocks)]:
            painter.drawLine(QPointF(left * k, y * k), QPointF(right * k, y * k))
        for x in [*layout.xs, right]:
            painter.drawLine(QPointF(x * k, top * k), QPointF(x * k, bottom * k))

        black, grey = QColor(0, 0, 0), QColor.fromRgbF(0.3, 0.3, 0.3)
        for i, line in enumerate(layout.title_lines):
            self.text(painter, left, MARGIN + TITLE_SIZE + i * TITLE_LEADING, line, BOLD,
                      TITLE_SIZE, black, k)
        self.text(painter, right - layout.measure(layout.subtitle), MARGIN + TITLE_SIZE,
                  layout.subtitle, REGULAR, FONT_SIZE, grey, k)
        for x, lines in zip(layout.xs, layout.header_lines, strict=True):
            for i, line in enumerate(lines):
                self.text(painter, x + PAD, top + PAD + FONT_SIZE + i * LEADING - 1, line,
                          BOLD, FONT_SIZE, black, k)
        for block in page.blocks:
            for x, lines in zip(layout.xs, block.lines, strict=True):
                for i, line in enumerate(lines):
                    if line:
                        self.text(painter, x + PAD,
                                  block.top + PAD + FONT_SIZE + i * LEADING - 1, line,
                                  REGULAR, FONT_SIZE, black, k)
        footer = layout.page_height - MARGIN
        label = layout.page_label(page.number, total)
        self.text(painter, right - layout.measure(label), footer, label, REGULAR, FONT_SIZE,
                  grey, k)
        self.text(painter, left, footer, layout.footer_title, REGULAR, FONT_SIZE, grey, k)

    def text(self, painter: QPainter, x: float, baseline: float, line: str, font: str,
             size: float, colour: QColor, k: float) -> None:
        """``line`` from ``x`` on ``baseline``, run by run in the font that has its
        characters, each run as wide as the layout measured it."""
        painter.setPen(colour)
        for run_font, piece in self.layout.runs(line, font):
            painter.setFont(self.fonts[(run_font, size)])
            painter.drawText(QPointF(x * k, baseline * k), piece)
            x += self.layout.measure(piece, run_font, size)


def new_printer(layout: SheetLayout) -> QPrinter:
    """A printer set up for the sheet: its paper, landscape, the sheet's own margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    size = QPageSize(QPageSize.PageSizeId.Letter if layout.paper == LETTER
                     else QPageSize.PageSizeId.A4)
    printer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Landscape,
                                      QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)
    printer.setDocName(layout.title)
    return printer


def ask_printer(parent: QWidget | None, printer: QPrinter, pages: int) -> bool:
    """Qt's print dialog (a printer, a page range of ``pages``); True to print
    (tests replace this)."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print Call Sheet"))
    dialog.setMinMax(1, pages)
    return dialog.exec() == QDialog.DialogCode.Accepted


def show_preview(dialog: QPrintPreviewDialog) -> None:
    """Show the preview until the user closes it (tests replace this)."""
    dialog.exec()


def print_layout(parent: QWidget | None, layout: SheetLayout, *, preview: bool,
                 pages: int | None = None) -> int:
    """The sheet through the print dialog, or in the print preview (from which
    it can be printed too); how many pages went to a printer or the preview."""
    pages = pages or layout.page_count()
    printer = new_printer(layout)
    painter = SheetPainter(layout)
    if not preview:
        if not ask_printer(parent, printer, pages):
            return 0
        with painting_progress(parent, _("Sending the call sheet to the printer…"),
                               pages) as step:
            return painter.paint(printer, step, total=pages)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_("Print Preview: {title}").format(title=layout.title))
    painted: list[int] = []
    dialog.paintRequested.connect(
        lambda device: painted.append(painter.paint(device, total=pages)))
    show_preview(dialog)
    return painted[-1] if painted else 0


def read_sheet(db: Database, ids: list[int], keys: list[str], *, national: bool,
               progress: Any = None) -> CallList:
    """On the worker: the rows to print."""
    with db.reading() as session:
        from crmdesk.io.call_list import export_columns

        known = export_columns(session)
        keys = [k for k in keys if k in known] or [k for k in DEFAULT_COLUMNS if k in known]
        return call_list(session, ids, keys, phones=NATIONAL if national else INTERNATIONAL,
                         progress=progress)


def print_list(view: Any, *, preview: bool) -> None:
    """File > Print… / Print Preview… of the contacts ``view`` shows."""
    from crmdesk.ui.common import dialogs

    title = _("Print Preview") if preview else _("Print")
    view.model.wait()  # a search just typed: its rows, not the last ones
    ids = list(view.model.ids())
    selected = list(view.list.selected_ids())
    if len(selected) > 1:
        ids = selected
    if not ids:
        dialogs.inform(view, title, _("The list is empty: there is nothing to print."))
        return
    settings = view.settings
    with view.db.reading() as session:
        from crmdesk.io.call_list import export_columns

        columns = list(export_columns(session))
    keys = settings.columns("export_call_list", columns, DEFAULT_COLUMNS)
    national = settings.flag("export_national")
    query = str(getattr(view.model, "query", "") or "").strip()
    sheet_title = query or _("All contacts")
    if len(selected) > 1:
        sheet_title = _("{n} selected contacts").format(n=len(selected))
    paper = settings.text("export_paper", "") or paper_for(QLocale().name())
    db = view.db

    def job(progress: Any) -> tuple[SheetLayout, int]:
        progress.report(0, 0)
        sheet = read_sheet(db, ids, keys, national=national, progress=progress.report)
        layout = SheetLayout(sheet, title=sheet_title, paper=paper)
        return layout, layout.page_count()  # laid out here, off the GUI thread

    def done(result: tuple[SheetLayout, int]) -> None:
        layout, pages = result
        if pages > MANY_PAGES and not dialogs.confirm(
                view, title, ngettext("The call sheet has {n} page.",
                                      "The call sheet has {n} pages.", pages).format(
                                          n=QLocale().toString(pages)),
                _("Print Them") if not preview else _("Show Them"),
                informative=_("Search or select the contacts to call first for a "
                              "shorter sheet.")):
            return
        print_layout(view, layout, preview=preview, pages=pages)

    view.operations.run(job, label=_("Reading the contacts to print…"), on_success=done)
