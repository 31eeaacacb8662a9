"""Issue 20 from end to end, as a user does it: a lookup built in the builder, saved
as a group, the group clicked in the navigation, and its contacts exported as a call
list and as a PDF call sheet."""

from __future__ import annotations

import csv

import pdfplumber
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from crmdesk.ui.contacts import export_dialog
from crmdesk.ui.contacts.lookup_builder import LookupBuilder
from crmdesk.ui.window import groups_nav


def test_build_a_lookup_save_it_as_a_group_and_export_it(qtbot, window_alone, db, people,
                                                         dialogs, monkeypatch, tmp_path):
    window = window_alone
    view = window.contacts

    def build(dialog: LookupBuilder) -> None:  # City contains Boston, then Enter
        row = dialog.row_widgets()[0]
        index = row.field.findText("City")
        row.field.setCurrentIndex(index)
        qtbot.keyClicks(row.value_box.edit, "Boston")
        assert dialog.text_view.toPlainText() == "city:Boston"
        qtbot.keyClick(row.value_box.edit, Qt.Key.Key_Return)

    def fake_exec(dialog: LookupBuilder) -> int:
        dialog.show()
        build(dialog)
        return dialog.result()

    monkeypatch.setattr(LookupBuilder, "exec", fake_exec)
    window.build_lookup()
    assert window.search_box.text() == "city:Boston"
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)

    # Save Search as Group…, named by the user.
    monkeypatch.setattr(groups_nav, "ask_text", lambda *_a, **_k: "Boston people")
    window.groups_nav.save_search_action.trigger()
    qtbot.waitUntil(lambda: [g.name for g in window.groups_nav._groups] == ["Boston people"],
                    timeout=5000)
    group = window.groups_nav._groups[0]
    window.search_box.clear()
    window.apply_search()
    qtbot.waitUntil(lambda: view.model.rowCount() == len(people), timeout=5000)
    window.groups_nav.show_group(group.id)  # a click on it in the navigation
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    assert window.search_box.text() == 'group:"Boston people" '  # ready to narrow further

    # File > Export Call List…: CSV, then a PDF call sheet.
    def accept(file_format: str):
        def exec_(dialog):
            dialog.format_box.setCurrentIndex(dialog.format_box.findData(file_format))
            return QDialog.DialogCode.Accepted
        return exec_

    monkeypatch.setattr(export_dialog.ExportDialog, "exec", accept("csv"))
    dialogs.files.append(str(tmp_path / "boston.csv"))
    window.export_action.trigger()
    out = tmp_path / "boston.csv"
    qtbot.waitUntil(out.exists, timeout=5000)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(r[0] for r in rows[1:]) == ["Anna Smith", "John Brown"]
    # The file is renamed into place a moment before the job reports back; until
    # then the window is busy and its Export action disabled.
    qtbot.waitUntil(lambda: not window.operations.busy(), timeout=5000)

    monkeypatch.setattr(export_dialog.ExportDialog, "exec", accept("pdf"))
    dialogs.files.append(str(tmp_path / "boston.pdf"))
    window.export_action.trigger()
    sheet = tmp_path / "boston.pdf"
    qtbot.waitUntil(sheet.exists, timeout=10000)
    with pdfplumber.open(sheet) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Anna Smith" in text and "John Brown" in text
    assert "Jonas Kazlauskas" not in text  # only the group's contacts
