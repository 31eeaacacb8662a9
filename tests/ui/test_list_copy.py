"""Ctrl+C in a list copies the selected rows as a table a spreadsheet pastes as cells."""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication


def select_rows(view_list, rows: list[int]) -> None:
    model = view_list.record_model
    sel = view_list.selectionModel()
    sel.clearSelection()
    for row in rows:
        sel.select(model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)


def pasted(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))


def shown(view_list, row: int) -> list[str]:
    model = view_list.record_model
    return [model.data(model.index(row, model.column_of(k))) for k in view_list.shown_columns()]


def test_ctrl_c_copies_the_selected_contacts_as_a_table(qtbot, window_alone):
    window = window_alone
    lst = window.contacts.list
    # The user moved the e-mail column second and hid the city column.
    header = lst.horizontalHeader()
    email = lst.record_model.column_of("email")
    header.moveSection(header.visualIndex(email), 1)
    lst.toggle_column("city", False)
    select_rows(lst, [1, 3])
    lst.setFocus()
    qtbot.keyClick(lst, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)

    mime = QGuiApplication.clipboard().mimeData()
    table = pasted(mime.text())
    titles = [lst.record_model.headerData(lst.record_model.column_of(k), Qt.Orientation.Horizontal)
              for k in lst.shown_columns()]
    assert table[0] == titles
    assert titles[:2] == ["Name", "E-mail"] and "City" not in titles
    assert table[1:] == [shown(lst, 1), shown(lst, 3)]
    assert table[1][:2] == ["Émile Dubois", "emile@dubois.example"]
    assert table[2][:2] == ["Olga Petrova", "olga@romashka.example"]
    assert "<td>Olga Petrova</td>" in mime.html()


def test_ctrl_c_in_the_companies_list(qtbot, window_alone):
    window = window_alone
    window.show_view(window.companies)
    lst = window.companies.list
    select_rows(lst, [0, 1])
    lst.setFocus()
    qtbot.keyClick(lst, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    table = pasted(QGuiApplication.clipboard().text())
    assert len(table) == 3
    assert table[1:] == [shown(lst, 0), shown(lst, 1)]
    assert table[1][0] == "Acme Ltd"


def test_ctrl_c_in_the_trash_list(qtbot, make_window, db, people):
    from crmdesk.core.contacts.records import trash_contacts

    trash_contacts(db, [people["Smith"], people["Brown"]])
    window = make_window(db, stand_ins=True)
    window.show_view(window.trash)
    lst = window.trash.contacts_list
    qtbot.waitUntil(lambda: lst.record_model.rowCount() == 2, timeout=5000)
    lst.selectAll()
    lst.setFocus()
    qtbot.keyClick(lst, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    table = pasted(QGuiApplication.clipboard().text())
    assert table[0][0] == "Name" and len(table) == 3
    assert sorted(row[0] for row in table[1:]) == ["Anna Smith", "John Brown"]
    assert table[1:] == [shown(lst, 0), shown(lst, 1)]
