"""Tools > Fields end to end: a field added in the editor is on the form, holds a
value, is a column that sorts, and is found by a lookup, without reopening the file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crmdesk.core.fields.service import CONTACT, NUMBER, get_values
from crmdesk.ui.fields.editor import FieldsEditor
from crmdesk.ui.window.main_window import MainWindow


@pytest.fixture
def real_window(qtbot, db, people, ui_settings, dialogs):
    window = MainWindow(db, ui_settings)  # the real forms
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.contacts.model.wait()
    return window


def editor_that(qtbot, steps):
    """A FieldsEditor whose exec() runs ``steps`` on it instead of waiting for a user."""

    def make(db, parent):
        editor = FieldsEditor(db, parent)

        def run() -> int:
            editor.show()
            steps(editor)
            editor.close()
            return 0

        editor.exec = run  # type: ignore[method-assign]
        return editor

    return make


def add_fleet_size(qtbot):
    def steps(editor):
        qtbot.mouseClick(editor.add_field_button, Qt.MouseButton.LeftButton)
        editor.detail.label_edit.setText("Fleet size")
        editor.detail.set_field_type(NUMBER)
        qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)

    return steps


def shown_ids(window):
    window.contacts.model.wait()
    return window.contacts.model.ids()


def test_add_field_enter_values_column_sort_and_find(qtbot, real_window, db, people, dialogs,
                                                     pictures):
    window = real_window
    assert "fleet_size" not in window.contacts.form.custom_editors()
    window.fields_editor_factory = editor_that(qtbot, add_fleet_size(qtbot))
    window.fields_action.trigger()
    assert dialogs.errors == []

    # On the form, at once.
    form = window.contacts.form
    assert "fleet_size" in form.custom_editors()
    for family, typed in (("Smith", "12"), ("Brown", "3"), ("Kazlauskas", "40")):
        window.contacts.open_record(people[family])
        editor = form.custom_editors()["fleet_size"]
        qtbot.keyClicks(editor.edit, typed)
        assert form.is_dirty()
        assert form.save() == people[family]
    with db.reading() as s:
        stored = get_values(s, CONTACT, list(people.values()))
    assert {k: str(v.get("fleet_size")) for k, v in stored.items() if v.get("fleet_size")} == {
        people["Smith"]: "12", people["Brown"]: "3", people["Kazlauskas"]: "40"}

    # As a column: offered, shown, sorted by number (3 < 12 < 40), empties last.
    table = window.contacts.list
    assert "Fleet size" in [a.text() for a in table.header_menu().actions()]
    table.toggle_column("cf:fleet_size", True)
    model = window.contacts.model
    column = model.column_of("cf:fleet_size")
    assert not table.horizontalHeader().isSectionHidden(column)
    model.sort(column)
    assert shown_ids(window)[:3] == [people["Brown"], people["Smith"], people["Kazlauskas"]]
    assert [model.data(model.index(r, column)) for r in range(3)] == ["3", "12", "40"]

    # Found by a lookup typed in the search box.
    window.search_box.setText("fleet_size>10")
    window.apply_search()
    assert shown_ids(window) == [people["Smith"], people["Kazlauskas"]]  # still by fleet size
    assert dialogs.errors == []
    table.scrollTo(model.index(0, column))  # added last: at the right end of the list
    qtbot.wait(20)
    image = pictures.grab(window.contacts, "fields_e2e")
    header = table.horizontalHeader()
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Fleet size"
    assert header.sectionSize(column) > 0 and not header.isSectionHidden(column)
    assert 0 <= header.sectionViewportPosition(column) < table.viewport().width()
    assert [model.data(model.index(r, column)) for r in range(model.rowCount())] == ["12", "40"]
    pictures.assert_painted(image, table.viewport(), window.contacts)


def test_rebuild_keeps_view_search_and_selection(qtbot, real_window, people, dialogs):
    window = real_window
    window.search_box.setText("Kazlauskas")
    window.apply_search()
    assert shown_ids(window) == [people["Kazlauskas"]]
    window.contacts.list.select_id(people["Kazlauskas"])
    window.fields_editor_factory = editor_that(qtbot, add_fleet_size(qtbot))
    window.fields_action.trigger()
    assert window.current_view() is window.contacts
    assert window.search_box.text() == "Kazlauskas"
    assert shown_ids(window) == [people["Kazlauskas"]]
    qtbot.waitUntil(lambda: window.contacts.list.current_id() == people["Kazlauskas"])
    assert "fleet_size" in window.contacts.form.custom_editors()


def test_nothing_changed_keeps_the_views(qtbot, real_window, dialogs):
    window = real_window
    before = window.contacts
    window.fields_editor_factory = editor_that(qtbot, lambda editor: None)
    window.fields_action.trigger()
    assert window.contacts is before


def test_unsaved_edit_is_asked_about_before_the_editor_opens(qtbot, real_window, people,
                                                             dialogs):
    window = real_window
    window.contacts.open_record(people["Smith"])
    form = window.contacts.form
    qtbot.keyClicks(form.names.edits["given_name"], "bel")
    assert form.is_dirty()
    opened = []
    window.fields_editor_factory = lambda db, parent: opened.append(1)
    dialogs.answers.append(2)  # Cancel: stay with the edit
    window.fields_action.trigger()
    assert opened == []
    assert form.is_dirty() and form.names.edits["given_name"].text().endswith("bel")
    assert any("Save the changes" in text for _title, text in dialogs.asked)
