"""File > Export Call List… and the selection panel's Export: the list shown (or the
selected contacts) as a CSV or Excel sheet, with the columns picked and ordered."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from crmdesk.ui.contacts import export_dialog


def names(view):
    model = view.model
    col = model.column_of("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


@pytest.fixture
def answer(monkeypatch):
    """answer(setup): the export dialog, when shown, is set up by ``setup`` and accepted."""
    shown = []

    def use(setup=lambda dialog: None, accept=True):
        def exec_(dialog):
            shown.append(dialog)
            setup(dialog)
            return QDialog.DialogCode.Accepted if accept else QDialog.DialogCode.Rejected
        monkeypatch.setattr(export_dialog.ExportDialog, "exec", exec_)
        return shown
    return use


def _only(dialog, keys):
    """Tick exactly ``keys``, in that order."""
    lst = dialog.column_list
    for i in range(lst.count()):
        item = lst.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in keys
                           else Qt.CheckState.Unchecked)
    for target, key in enumerate(keys):
        row = next(i for i in range(lst.count())
                   if lst.item(i).data(Qt.ItemDataRole.UserRole) == key)
        lst.insertItem(target, lst.takeItem(row))


def test_the_search_shown_as_csv(qtbot, window_alone, dialogs, answer, tmp_path):
    window = window_alone
    window.focus_search()
    qtbot.keyClicks(window.search_box, "city:Vilnius")
    view = window.contacts
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    shown = answer(lambda d: _only(d, ["name", "city", "phones"]))
    dialogs.files.append(str(tmp_path / "vilnius"))
    window.export_action.trigger()
    out = tmp_path / "vilnius.csv"
    qtbot.waitUntil(out.exists, timeout=5000)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["Name", "City", "Phones"]
    assert [r[0] for r in rows[1:]] == names(view)  # the list's rows, in its order
    assert all(r[1] == "Vilnius" for r in rows[1:])
    dialog = shown[0]
    assert dialog.all_button.isChecked() and not dialog.selected_button.isEnabled()
    qtbot.waitUntil(lambda: "Exported 2 contacts" in window.statusBar().currentMessage(),
                    timeout=5000)


def test_the_selection_as_xlsx_and_the_choices_remembered(qtbot, window_alone, dialogs,
                                                          answer, tmp_path):
    window = window_alone
    view = window.contacts
    view.list.select_row(0)
    view.list.selectionModel().select(
        view.model.index(2, 0), view.list.selectionModel().SelectionFlag.Select
        | view.list.selectionModel().SelectionFlag.Rows)
    qtbot.waitUntil(lambda: view.selection_panel.isVisible(), timeout=3000)

    def setup(dialog):
        assert dialog.selected_button.isChecked()  # several selected: those, first
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("xlsx"))
        assert not dialog.encoding_box.isEnabled()
        _only(dialog, ["company", "name"])

    shown = answer(setup)
    dialogs.files.append(str(tmp_path / "chosen.xlsx"))
    view.selection_panel.export_button.click()
    out = tmp_path / "chosen.xlsx"
    qtbot.waitUntil(out.exists, timeout=5000)
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]] == ["Company", "Name"]
    expected = names(view)
    assert [sheet.cell(r, 2).value for r in (2, 3)] == [expected[0], expected[2]]
    assert sheet.max_row == 3
    # the next time the dialog opens with these choices (once the job has reported
    # back: its file is in place a moment before, while Export is still disabled)
    qtbot.waitUntil(lambda: not window.operations.busy(), timeout=5000)
    shown = answer(accept=False)
    window.export_action.trigger()
    again = shown[0]
    assert again.format_box.currentData() == "xlsx"
    assert again.chosen_columns() == ["company", "name"]


def test_no_columns_no_export(qtbot, window_alone, ui_settings, pictures):
    window = window_alone
    with window.db.reading() as s:
        from crmdesk.io.call_list import export_columns

        columns = export_columns(s)
    dialog = export_dialog.ExportDialog(columns, shown=8, selected=3, country="Lithuania",
                                        settings=ui_settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    pictures.grab(dialog, "export_call_list")
    assert dialog.export_button.isEnabled()
    _only(dialog, [])
    assert not dialog.export_button.isEnabled()
    dialog.column_list.setCurrentRow(1)
    first = dialog.column_list.item(1).text()
    dialog.up_button.click()
    assert dialog.column_list.item(0).text() == first


def test_vcards_of_the_selection(qtbot, window_alone, dialogs, answer, tmp_path):
    import vobject

    window = window_alone
    view = window.contacts
    view.list.select_row(0)
    view.list.selectionModel().select(
        view.model.index(1, 0), view.list.selectionModel().SelectionFlag.Select
        | view.list.selectionModel().SelectionFlag.Rows)

    def setup(dialog):
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("vcard"))
        assert not dialog.column_list.isEnabled() and dialog.export_button.isEnabled()

    answer(setup)
    dialogs.files.append(str(tmp_path / "two"))
    window.export_action.trigger()
    out = tmp_path / "two.vcf"
    qtbot.waitUntil(out.exists, timeout=5000)
    cards = list(vobject.readComponents(out.read_text(encoding="utf-8")))
    assert [c.fn.value for c in cards] == names(view)[:2]


def test_the_search_shown_as_a_pdf_call_sheet(qtbot, window_alone, dialogs, answer, tmp_path):
    import pdfplumber

    window = window_alone
    window.focus_search()
    qtbot.keyClicks(window.search_box, "city:Vilnius")
    view = window.contacts
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)

    def setup(dialog):
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("pdf"))
        assert dialog.paper_box.isEnabled() and not dialog.encoding_box.isEnabled()
        dialog.paper_box.setCurrentIndex(dialog.paper_box.findData("a4"))
        _only(dialog, ["name", "city"])

    answer(setup)
    dialogs.files.append(str(tmp_path / "sheet"))
    window.export_action.trigger()
    out = tmp_path / "sheet.pdf"
    qtbot.waitUntil(out.exists, timeout=15000)
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        assert page.width > page.height  # landscape
        text = page.extract_text()
    assert text.startswith("city:Vilnius")  # the lookup is the sheet's title
    lines = text.splitlines()
    assert lines[2].split() == ["Name", "City", "Result", "Notes"]
    shown = names(view)
    assert [n for n in shown if n in text] == shown
    assert text.index(shown[0]) < text.index(shown[1])  # the list's order
    qtbot.waitUntil(lambda: "Exported 2 contacts" in window.statusBar().currentMessage(),
                    timeout=5000)


def test_a_preset_saved_sorted_and_offered_next_time(qtbot, window_alone, dialogs, answer,
                                                     tmp_path, monkeypatch):
    from crmdesk.io.export_presets import export_presets, last_export_preset

    window = window_alone
    monkeypatch.setattr(export_dialog.ExportDialog, "ask_preset_name",
                        lambda self: "  City  calls ")

    def setup(dialog):
        assert not dialog.preset_box.isHidden() and dialog.preset_box.currentData() == ""
        _only(dialog, ["city", "name"])
        dialog.sort_box.setCurrentIndex(dialog.sort_box.findData("city"))
        dialog.descending_box.setChecked(True)
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
        dialog.separator_box.setCurrentIndex(dialog.separator_box.findData(";"))
        dialog.save_preset_button.click()
        assert dialog.preset_box.currentData() == "City calls"

    answer(setup)
    dialogs.files.append(str(tmp_path / "cities.csv"))
    window.export_action.trigger()
    out = tmp_path / "cities.csv"
    qtbot.waitUntil(out.exists, timeout=15000)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["City", "Name"]
    cities = [r[0] for r in rows[1:]]
    named = [c for c in cities if c]
    assert len(set(named)) > 1
    # sorted by city, the other way round; those without a city last
    assert named == sorted(named, key=str.casefold, reverse=True)
    assert cities == named + [""] * (len(cities) - len(named))
    with window.db.reading() as s:
        kept = export_presets(s)["City calls"]
        assert (kept.columns, kept.sort, kept.descending, kept.delimiter) == (
            ["city", "name"], "city", True, ";")
        assert last_export_preset(s) == "City calls"

    # the next time: the preset used last is offered, with its choices
    qtbot.waitUntil(lambda: not window.operations.busy(), timeout=5000)
    shown = answer(accept=False)
    window.export_action.trigger()
    again = shown[0]
    assert again.preset_box.currentData() == "City calls"
    assert again.chosen_columns() == ["city", "name"]
    assert again.sort_box.currentData() == "city" and again.descending_box.isChecked()
    # choosing "none" and changing a column: the preset is no longer the last one
    again.preset_box.setCurrentIndex(0)
    _only(again, ["name"])
    assert again.choice().preset == ""
    with window.db.reading() as s:
        assert last_export_preset(s) == ""


def test_an_unusable_preset_name_is_said(qtbot, window_alone, ui_settings, monkeypatch):
    from crmdesk.ui.common import errors

    window = window_alone
    with window.db.reading() as s:
        from crmdesk.io.call_list import export_columns

        columns = export_columns(s)
    said = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc: said.append(str(exc)))
    monkeypatch.setattr(export_dialog.ExportDialog, "ask_preset_name", lambda self: "x" * 81)
    dialog = export_dialog.ExportDialog(columns, shown=8, selected=0, country="",
                                        settings=ui_settings, db=window.db)
    qtbot.addWidget(dialog)
    dialog.save_preset_button.click()
    assert said and "needs a name of 1 to 80 characters" in said[0]
    assert dialog.preset_box.count() == 1  # nothing kept
