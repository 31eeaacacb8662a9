"""File > Print… and File > Print Preview…: the list shown (or the selection) as the
same call sheet as the PDF export, drawn with QPainter. Printed here to a PDF file
through QPrinter's PdfFormat (no printer needed) and read back."""

from __future__ import annotations

import shutil
import subprocess

import pdfplumber
import pytest
from PySide6.QtPrintSupport import QPrinter

from crmdesk.io.call_list import CallList
from crmdesk.io.call_sheet_pdf import SheetLayout
from crmdesk.ui.contacts import print_sheet


def names(view):
    model = view.model
    col = model.column_of("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


@pytest.fixture
def to_pdf(monkeypatch, tmp_path):
    """The print dialog, when asked, answers "print to this PDF file"."""
    asked = []

    def ask(parent, printer, pages):
        asked.append(pages)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        return True

    monkeypatch.setattr(print_sheet, "ask_printer", ask)
    return tmp_path / "printed.pdf", asked


def text_of(path):
    with pdfplumber.open(path) as pdf:
        return [(p.width, p.height, p.extract_text() or "") for p in pdf.pages]


def test_print_the_search_shown(qtbot, window_alone, to_pdf):
    out, asked = to_pdf
    window = window_alone
    assert window.print_action.shortcut().toString() == "Ctrl+P"
    window.focus_search()
    qtbot.keyClicks(window.search_box, "city:Vilnius")
    view = window.contacts
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    window.print_action.trigger()
    qtbot.waitUntil(lambda: out.exists() and out.stat().st_size > 0, timeout=15000)
    assert asked == [1]  # the dialog offered the sheet's one page
    ((width, height, text),) = text_of(out)
    assert width > height  # landscape
    assert text.startswith("city:Vilnius") and "Page 1 of 1" in text
    assert "Result" in text and "Notes" in text
    shown = names(view)
    assert all(name in text for name in shown)
    assert text.index(shown[0]) < text.index(shown[1])


def test_print_the_selection(qtbot, window_alone, to_pdf):
    out, _asked = to_pdf
    window = window_alone
    view = window.contacts
    qtbot.waitUntil(lambda: view.model.rowCount() > 3, timeout=5000)
    view.list.select_row(0)
    view.list.selectionModel().select(
        view.model.index(2, 0), view.list.selectionModel().SelectionFlag.Select
        | view.list.selectionModel().SelectionFlag.Rows)
    everyone = names(view)
    window.print_action.trigger()
    qtbot.waitUntil(lambda: out.exists() and out.stat().st_size > 0, timeout=15000)
    text = text_of(out)[0][2]
    assert text.startswith("2 selected contacts")
    assert everyone[0] in text and everyone[2] in text and everyone[1] not in text


def test_the_preview_opens_and_closes(qtbot, window_alone, monkeypatch, pictures):
    seen = []

    def show(dialog):
        dialog.resize(1000, 700)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.wait(200)
        seen.append(pictures.grab(dialog, "print_preview"))
        dialog.close()

    monkeypatch.setattr(print_sheet, "show_preview", show)
    printed = []
    real = print_sheet.print_layout
    monkeypatch.setattr(print_sheet, "print_layout",
                        lambda *a, **kw: printed.append(real(*a, **kw)))
    window_alone.print_preview_action.trigger()
    qtbot.waitUntil(lambda: bool(printed), timeout=15000)
    assert seen and printed == [1]  # the preview painted the sheet's page


def test_nothing_to_print(qtbot, window_alone, dialogs):
    window = window_alone
    window.focus_search()
    qtbot.keyClicks(window.search_box, "city:Atlantis")
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 0, timeout=5000)
    window.print_action.trigger()
    assert ("Print", "The list is empty: there is nothing to print.") in dialogs.asked


def test_mixed_scripts_on_paper_as_in_the_pdf(qtbot, tmp_path):
    """The painter draws the export's layout with the shipped fonts: every page,
    every script, the fonts embedded by Qt's PDF writer."""
    rows = [["Jonas Žukauskas", "UAB „Ąžuolas“", "Šiauliai"],
            ["Ąčęėįšųūž", "", "Kaunas"],
            ["Иван Иванов", "ООО «Ромашка»", "Москва"],
            ["王小明", "北京科技有限公司", "北京"]] * 30
    rows.append(["Long", "word " * 900 + "END", ""])
    sheet = CallList(["name", "company", "city"], ["Name", "Company", "City"], ["text"] * 3,
                     rows)
    layout = SheetLayout(sheet, title="Skambučiai · Звонки · 电话", paper="a4")
    out = tmp_path / "painted.pdf"
    printer = print_sheet.new_printer(layout)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    pages = layout.page_count()
    assert print_sheet.SheetPainter(layout).paint(printer) == pages > 1
    read = text_of(out)
    assert len(read) == pages
    for number, (_w, _h, text) in enumerate(read, 1):
        assert f"Page {number} of {pages}" in text
    whole = "\n".join(t for _w, _h, t in read)
    for word in ("Žukauskas", "Ąčęėįšųūž", "Иванов", "Ромашка", "王小明", "北京科技有限公司",
                 "END"):
        assert word in whole
    assert whole.count("word") == 900  # the long value whole, over the pages
    if shutil.which("pdffonts") and shutil.which("pdftoppm"):
        fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
        assert any("DejaVu" in f for f in fonts) and any("WenQuanYi" in f for f in fonts)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out),
                        str(tmp_path / "painted")], check=True)
        assert next(tmp_path.glob("painted*.png")).stat().st_size > 10_000


def test_a_long_sheet_is_asked_about_first(qtbot, window_alone, dialogs, to_pdf, monkeypatch):
    out, asked = to_pdf
    monkeypatch.setattr(print_sheet, "MANY_PAGES", 0)
    dialogs.answers.append(False)  # "The call sheet has 1 page." Cancel
    window_alone.print_action.trigger()
    qtbot.waitUntil(lambda: any(t == "Print" for t, _x in dialogs.asked), timeout=15000)
    assert ("Print", "The call sheet has 1 page.") in dialogs.asked
    qtbot.wait(100)
    assert asked == [] and not out.exists()  # not printed
    dialogs.answers.append(True)
    window_alone.print_action.trigger()
    qtbot.waitUntil(lambda: out.exists() and out.stat().st_size > 0, timeout=15000)


def test_cancel_while_printing_aborts_the_job(qtbot, tmp_path):
    rows = [[f"Contact {i}", "", ""] for i in range(200)]
    layout = SheetLayout(CallList(["name", "company", "city"], ["Name", "Company", "City"],
                                  ["text"] * 3, rows), paper="a4")
    out = tmp_path / "aborted.pdf"
    printer = print_sheet.new_printer(layout)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    seen = []

    def progress(done, pages):
        seen.append((done, pages))
        return done < 2  # Cancel after two pages

    assert print_sheet.SheetPainter(layout).paint(printer, progress) == 0
    assert not out.exists()  # printing to a file: no half file left
    assert seen[-1][0] == 2 and seen[0] == (0, layout.page_count())
    # the page range the user chose is kept
    printer = print_sheet.new_printer(layout)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "two.pdf"))
    printer.setFromTo(2, 3)
    assert print_sheet.SheetPainter(layout).paint(printer) == 2
    pages = text_of(tmp_path / "two.pdf")
    assert len(pages) == 2 and f"Page 2 of {layout.page_count()}" in pages[0][2]
