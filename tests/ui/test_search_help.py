"""F1 or the "?" beside the search box: the lookup language, with the user's own fields."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from crmdesk.core.fields import service as fields
from crmdesk.ui.window.search_help import SearchHelp


def shown_help(monkeypatch) -> list[SearchHelp]:
    opened: list[SearchHelp] = []

    def fake_exec(self):  # noqa: ANN001 - a modal dialog would wait for a click
        opened.append(self)
        return 0

    monkeypatch.setattr(SearchHelp, "exec", fake_exec)
    return opened


def texts(dialog: SearchHelp) -> list[str]:
    return [label.text() for label in dialog.findChildren(QLabel)]


def test_f1_and_the_question_mark_open_the_sheet_with_the_users_fields(qtbot, db, monkeypatch,
                                                                       make_window, pictures):
    with db.session() as s:
        fields.add_field(s, fields.CONTACT, "Fleet size", fields.NUMBER)
        fields.add_field(s, fields.CONTACT, "<b>Bold</b> note", fields.TEXT)
    window = make_window(db)
    opened = shown_help(monkeypatch)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.search_box, Qt.Key.Key_F1)
    assert len(opened) == 1
    sheet = opened[0]
    assert len(sheet.field_keys) == 2 and sheet.field_keys[0] == "fleet_size"
    words = texts(sheet)
    assert "fleet_size:" in words and "city:Vilnius status:customer" in words
    assert "Fleet size (Number)" in words
    # A label is the user's text: shown as typed, never as markup.
    hostile = [lb for lb in sheet.findChildren(QLabel) if "<b>Bold</b>" in lb.text()]
    assert hostile and all(lb.textFormat() == Qt.TextFormat.PlainText for lb in hostile)
    window.search_help_button.click()
    assert len(opened) == 2
    sheet.show()
    qtbot.waitExposed(sheet)
    image = pictures.grab(sheet, "search_help")
    assert image.width() == sheet.width()


def test_the_search_hints_fit_the_box(qtbot, db, make_window, people):
    window = make_window(db)
    window.show()
    qtbot.waitExposed(window)
    box = window.search_box
    for view in (window.contacts, window.companies, window.history):
        window.show_view(view)
        hint = box.placeholderText()
        assert "F1" in hint
        room = box.width() - 30  # the clear button and the frame
        assert box.fontMetrics().horizontalAdvance(hint) <= room, (hint, room)
