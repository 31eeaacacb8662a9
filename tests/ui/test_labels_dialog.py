"""File > Print Labels… and Print Envelopes…: the dialog finds a sheet as its box
says, shows the first sheet as it will print, takes the start position from a
click, saves a PDF or prints at 100 % through Qt (the same plan), keeps the
printer's offset per printer and the return address in the file, and says who
got no label."""

from __future__ import annotations

import pdfplumber
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QDialog

from crmdesk.core.contacts.records import AddressData, ContactData, create_contact
from crmdesk.output.labels.catalogue import find
from crmdesk.output.labels.geometry import MM
from crmdesk.ui.labels import dialog as labels_dialog
from crmdesk.ui.labels.dialog import CustomSheetDialog, LabelsDialog, print_plan, saved_offset

PEOPLE = [
    ("Jonas", "Žukauskas", AddressData("Laisvės al. 10", "Kaunas", "", "44001", "LT")),
    ("Иван", "Петров", AddressData("ул. Тверская, д. 7", "Москва", "", "125009", "RU")),
    ("小明", "王", AddressData("建国路88号", "北京市", "", "100022", "CN")),
    ("Ona", "Petraitė", AddressData("Gedimino pr. 1", "Vilnius", "", "01100", "LT")),
]


@pytest.fixture
def contacts(db):
    ids = [create_contact(db, ContactData(
        given_name=g, family_name=f, addresses=[a],
        name_order="family_first" if a.country == "CN" else "given_first"))
        for g, f, a in PEOPLE]
    ids.append(create_contact(db, ContactData(given_name="No", family_name="Address")))
    return ids


@pytest.fixture
def labels_window(make_window, db, contacts):
    return make_window(db, stand_ins=True)


@pytest.fixture
def opened(monkeypatch):
    """The dialog the menu opens, kept open for the test instead of exec()."""
    shown = []

    def exec_(dialog):
        shown.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(LabelsDialog, "exec", exec_)
    return shown


def make(db, ui_settings, window, ids, **kw):
    dialog = LabelsDialog(db, ui_settings, window.operations, shown=ids, selected=[], **kw)
    dialog.select_template("L7160")
    dialog.refresh()
    return dialog


def pdf_text(path):
    with pdfplumber.open(path) as pdf:
        return ["".join((p.extract_text() or "").split()) for p in pdf.pages]


def test_file_menu_opens_it_for_the_list_shown_and_saves_a_pdf(
        qtbot, labels_window, opened, dialogs, tmp_path):
    window = labels_window
    window.focus_search()
    qtbot.keyClicks(window.search_box, "city:Kaunas")
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 1, timeout=5000)
    window.labels_action.trigger()
    dialog = opened[0]
    assert dialog.who_buttons["shown"].isChecked()
    assert dialog.windowTitle() == "Print Labels"
    dialog.select_template("L7160")
    dialog.upper_box.setChecked(True)
    dialogs.files.append(str(tmp_path / "kaunas"))
    dialog.save_pdf()
    out = tmp_path / "kaunas.pdf"
    qtbot.waitUntil(out.exists, timeout=10000)
    qtbot.waitUntil(lambda: any("Wrote 1 label" in t for _title, t in dialogs.asked),
                    timeout=5000)
    assert pdf_text(out)[0].startswith("JONASŽUKAUSKASLAISVĖSAL.10LT-44001KAUNAS")


def test_everyone_with_the_skipped_listed(qtbot, db, ui_settings, labels_window, contacts,
                                          dialogs, tmp_path):
    dialog = make(db, ui_settings, labels_window, contacts[:1])
    dialog.who_buttons["everyone"].setChecked(True)
    dialog.refresh()
    assert "5 contacts" in dialog.summary.text()
    assert "1 has no address to print" in dialog.summary.text()
    dialogs.files.append(str(tmp_path / "all.pdf"))
    dialog.save_pdf()
    qtbot.waitUntil(lambda: dialog.last_plan is not None, timeout=10000)
    assert len(dialog.last_plan.labels) == 4
    assert "  No Address: no address" in dialog.last_report
    page = pdf_text(tmp_path / "all.pdf")[0]
    for name in ("JonasŽukauskas", "ИванПетров", "王小明", "OnaPetraitė"):
        assert name in page


def test_the_template_search_and_a_glabels_file(qtbot, db, ui_settings, labels_window,
                                                contacts, dialogs, tmp_path):
    dialog = make(db, ui_settings, labels_window, contacts)
    qtbot.keyClicks(dialog.search, "herma")
    codes = [dialog.template_list.item(i).data(Qt.ItemDataRole.UserRole).code
             for i in range(dialog.template_list.count())]
    assert codes and all(c.startswith("Herma") for c in codes)
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "8160")
    assert dialog.template().code == "Avery 5160"
    xml = tmp_path / "shop.xml"
    xml.write_text("""<Glabels-templates><Template brand="Shop" part="Q" size="A4">
        <Label-rectangle id="0" width="105mm" height="74.25mm" round="0">
        <Layout nx="2" ny="4" x0="0" y0="0" dx="105mm" dy="74.25mm"/></Label-rectangle>
        </Template></Glabels-templates>""")
    dialogs.files.append(str(xml))
    dialog.open_glabels()
    assert dialog.template().code == "Shop Q"
    dialogs.files.append(str(tmp_path / "missing.xml"))
    dialog.open_glabels()
    assert "could not be read" in dialogs.asked[-1][1]
    assert dialog.template().code == "Shop Q"


def test_a_click_on_the_picture_picks_the_start(qtbot, db, ui_settings, labels_window,
                                                contacts, pictures):
    dialog = make(db, ui_settings, labels_window, contacts)
    dialog.show()
    qtbot.waitExposed(dialog)
    picture = dialog.picture
    page, scale = picture._page_rect()
    t = find("L7160")
    layout = t.layouts[0]
    x = page.left() + (layout.x0 + layout.dx + t.label_width / 2) * MM * scale
    y = page.top() + (layout.y0 + 2 * layout.dy + t.label_height / 2) * MM * scale
    assert picture.slot_at(QPointF(x, y)) == (3, 2)
    qtbot.mouseClick(picture, Qt.MouseButton.LeftButton, pos=QPointF(x, y).toPoint())
    assert (dialog.start_row.value(), dialog.start_column.value()) == (3, 2)
    dialog.refresh()
    assert dialog.picture.plan.labels[0].slot == 7
    image = pictures.grab(dialog, "labels-dialog")
    region = pictures.region(image, picture, dialog)
    assert region.width() > 200
    assert picture.slot_at(QPointF(1, 1)) is None  # off the sheet: nothing picked


def test_a_custom_sheet_is_checked_and_pictured_as_it_is_typed(qtbot, pictures):
    dialog = CustomSheetDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled() and dialog.sheet().per_sheet == 24
    assert dialog.picture.plan.template.per_sheet == 24
    dialog.fields["columns"].setValue(2)
    assert dialog.picture.plan.template.per_sheet == 16
    pictures.grab(dialog, "custom-sheet")
    dialog.fields["columns"].setValue(4)
    assert not ok.isEnabled() and "past the sheet's width" in dialog.problem.text()
    dialog.fields["columns"].setValue(3)
    assert ok.isEnabled()


def test_printing_through_qt_puts_each_name_on_its_label(qtbot, db, ui_settings,
                                                         labels_window, contacts, tmp_path):
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter

    dialog = make(db, ui_settings, labels_window, contacts)
    plan = dialog.picture.plan
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    t = plan.template
    printer.setPageLayout(QPageLayout(QPageSize(QSizeF(t.page_width, t.page_height),
                                                QPageSize.Unit.Millimeter),
                                      QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)
    print_plan(printer, plan)
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        assert page.width == pytest.approx(595.3, abs=1)
        for label in plan.labels:
            text = "".join((page.within_bbox((label.x, label.y, label.x + label.width,
                                              label.y + label.height)).extract_text()
                            or "").split())
            assert "".join(label.lines[0].split()) in text


def test_the_printer_offset_is_kept_per_printer(qtbot, db, ui_settings, labels_window,
                                                contacts, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter

    printed = []
    monkeypatch.setattr(labels_dialog, "print_plan",
                        lambda p, plan, progress=None: printed.append(plan) or True)
    dialog = make(db, ui_settings, labels_window, contacts)
    printer = QPrinter()
    printer.setPrinterName("Office Laser")
    monkeypatch.setattr(dialog, "_printer", lambda template: printer)
    dialog.offset_x.setValue(1.5)
    dialog.offset_y.setValue(-0.5)
    dialog.print_labels()
    qtbot.waitUntil(lambda: bool(printed), timeout=10000)
    assert printed[0].options.offset_x == 1.5
    assert saved_offset(ui_settings, printer.printerName()) == (1.5, -0.5)
    assert saved_offset(ui_settings, "Another") == (0.0, 0.0)
    moved = printed[0].labels[0]
    assert moved.x == pytest.approx(find("L7160").layouts[0].x0 * MM + 1.5 * MM)


def test_envelopes_with_the_return_address_kept_in_the_file(qtbot, db, ui_settings,
                                                            labels_window, contacts,
                                                            dialogs, tmp_path):
    from crmdesk.output.labels.recipients import sender_lines

    dialog = LabelsDialog(db, ui_settings, labels_window.operations, shown=contacts[:2],
                          selected=[], envelopes=True)
    assert dialog.windowTitle() == "Print Envelopes"
    assert dialog.template().kind == "envelope"
    dialog.select_template("C5")
    dialog.sender.setPlainText("UAB Crmdesk\nVilniaus g. 1\nLT-01100 Vilnius")
    dialogs.files.append(str(tmp_path / "env.pdf"))
    dialog.save_pdf()
    qtbot.waitUntil(lambda: dialog.last_plan is not None, timeout=10000)
    pages = pdf_text(tmp_path / "env.pdf")
    assert len(pages) == 2 and all("UABCrmdesk" in p for p in pages)
    with db.reading() as s:
        assert sender_lines(s) == ("UAB Crmdesk", "Vilniaus g. 1", "LT-01100 Vilnius")
    again = LabelsDialog(db, ui_settings, labels_window.operations, shown=contacts,
                         selected=[], envelopes=True)
    assert again.sender.toPlainText().startswith("UAB Crmdesk")
    assert again.template().code == "C5"  # remembered


def test_the_preview_page_by_page(qtbot, db, ui_settings, labels_window, contacts):
    dialog = make(db, ui_settings, labels_window, contacts)
    dialog.copies.setValue(10)  # 40 labels, 21 a sheet
    dialog.refresh()
    assert dialog.page_spin.maximum() == 2 and dialog.pages_label.text() == "of 2"
    dialog.page_spin.setValue(2)
    assert dialog.picture.page == 1
    assert len(dialog.picture.plan.on_page(1)) == 40 - 21


def test_the_calibration_page_through_qt(qtbot, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from crmdesk.ui.labels.dialog import print_calibration

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "cal.pdf"
    printer.setOutputFileName(str(out))
    print_calibration(printer, find("L7160"), 0.0, 0.0)
    with pdfplumber.open(out) as pdf:
        assert "Each cross should be 20 mm" in " ".join(pdf.pages[0].extract_text().split())


def test_printing_can_be_cancelled_between_pages(qtbot, db, ui_settings, labels_window,
                                                 contacts, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    dialog = make(db, ui_settings, labels_window, contacts)
    dialog.copies.setValue(10)
    dialog.refresh()
    plan = dialog.picture.plan
    assert plan.pages == 2
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "p.pdf"))
    seen = []
    assert print_plan(printer, plan, lambda page, pages: seen.append(page) or page < 1) is False
    assert seen == [0, 1]
    assert print_plan(printer, plan, lambda page, pages: True) is True
