"""What the window remembers (QSettings) and the File menu's databases."""

from __future__ import annotations

import sys
import types
from pathlib import Path

from PySide6.QtCore import Qt

from crmdesk.core.contacts.records import ContactData, count_contacts, create_contact
from crmdesk.core.storage.database import Database
from crmdesk.ui.window import database_files


def test_columns_chosen_and_moved_are_remembered(qtbot, make_window, db, people, ui_settings):
    window = make_window(db, stand_ins=True)
    table = window.contacts.list
    table.toggle_column("city", False)
    table.toggle_column("job_title", True)
    header = table.horizontalHeader()
    header.moveSection(header.visualIndex(table.record_model.column_of("email")), 1)
    table.save_columns()
    shown = table.shown_columns()
    assert "city" not in shown and shown[-1] == "job_title" and shown[1] == "email"
    window.close()
    again = make_window(Database.open(db.path), stand_ins=True)
    assert again.contacts.list.shown_columns() == shown
    assert header is not again.contacts.list.horizontalHeader()


def test_name_column_cannot_be_hidden_and_standard_columns_come_back(window_alone):
    window = window_alone
    table = window.contacts.list
    table.toggle_column("name", False)
    assert "name" in table.shown_columns()
    menu = table.header_menu()
    name_action = next(a for a in menu.actions() if a.text() == "Name")
    assert not name_action.isEnabled()
    table.toggle_column("status", False)
    table.reset_columns()
    assert table.shown_columns() == ["name", "company", "phone", "email", "city", "status",
                                     "updated"]


def test_clicking_a_header_sorts_and_is_remembered(qtbot, make_window, db, people,
                                                   ui_settings):
    window = make_window(db, stand_ins=True)
    view = window.contacts
    column = view.model.column_of("company")
    pos = view.list.horizontalHeader().sectionViewportPosition(column) + 5
    qtbot.mouseClick(view.list.horizontalHeader().viewport(), Qt.MouseButton.LeftButton,
                     pos=view.list.horizontalHeader().viewport().rect().center().__class__(
                         pos, 5))
    qtbot.waitUntil(lambda: view.model.sort_order == ("company", False), timeout=5000)
    view.model.wait()
    companies = [view.model.data(view.model.index(r, column))
                 for r in range(view.model.rowCount())]
    shown = [c for c in companies if c]
    assert shown == sorted(shown, key=str.lower) and companies[-1] == ""
    assert ui_settings.sort("contacts", view.model.keys) == ("company", False)
    window.close()
    again = make_window(Database.open(db.path), stand_ins=True)
    assert again.contacts.model.sort_order == ("company", False)


def test_dates_sort_newest_first_on_the_first_click(qtbot, window_alone):
    window = window_alone
    table = window.contacts.list
    table.horizontalHeader().setSortIndicator(table.record_model.column_of("updated"),
                                              Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: table.record_model.sort_order == ("updated", True), timeout=5000)


def test_window_geometry_and_splitter_are_remembered(qtbot, make_window, db, people):
    window = make_window(db, stand_ins=True)
    window.resize(700, 500)
    window.contacts.splitter.setSizes([700, 300])
    window.contacts.splitter.splitterMoved.emit(700, 1)
    sizes = window.contacts.splitter.sizes()
    window.close()
    again = make_window(Database.open(db.path), stand_ins=True)
    assert again.size().width() == 700 and again.size().height() == 500
    assert again.contacts.splitter.sizes() == sizes


def test_save_a_copy(qtbot, window_alone, dialogs, tmp_path, people):
    window = window_alone
    target = tmp_path / "backup"
    dialogs.files = [str(target)]
    window.copy_action.trigger()
    copy = tmp_path / "backup.crmdesk"
    qtbot.waitUntil(lambda: not window.operations.busy(), timeout=10000)
    assert copy.exists()
    with Database.open(copy, readonly=True) as other, other.reading() as s:
        assert count_contacts(s) == 8
    assert "Saved a copy as" in window.statusBar().currentMessage()


def other_database(path: Path, people: int = 1) -> Path:
    """Another database file with people in it; path: a new, migrated file."""
    with Database.open(path) as other:
        for i in range(people):
            create_contact(other, ContactData(given_name=f"Other{i}", family_name="Person"))
    return path


def test_open_another_database_and_find_it_in_recent_files(qtbot, window_alone, dialogs,
                                                           tmp_path, ui_settings, new_db_file):
    window = window_alone
    path = other_database(new_db_file(tmp_path / "other.crmdesk"))
    dialogs.files = [str(path)]
    window.open_action.trigger()
    assert window.contacts.model.rowCount() == 1
    assert window.db.path == path
    assert "other.crmdesk" in window.windowTitle()
    assert ui_settings.recent_files()[0] == str(path)
    window.files.fill_recent_menu(window.recent_menu)
    assert "other.crmdesk" in window.recent_menu.actions()[0].text()


def test_a_file_that_cannot_be_opened_leaves_the_current_one_open(qtbot, window_alone,
                                                                  dialogs, tmp_path, db):
    window = window_alone
    junk = tmp_path / "junk.crmdesk"
    junk.write_bytes(b"this is not a database at all" * 10)
    dialogs.files = [str(junk)]
    window.open_action.trigger()
    assert dialogs.errors and "not a crmdesk database" in dialogs.errors[-1][0]
    assert dialogs.errors[-1][1] is None  # a known problem: no traceback
    assert window.db is db and window.contacts.model.rowCount() == 8


def test_a_recent_file_that_is_gone_is_taken_off_the_list(window_alone, dialogs, tmp_path,
                                                          ui_settings):
    window = window_alone
    gone = str(tmp_path / "gone.crmdesk")
    ui_settings.add_recent(gone)
    window.files.open_recent(gone)
    assert "not there any more" in dialogs.errors[-1][0]
    assert gone not in ui_settings.recent_files()


def test_new_database(qtbot, window_alone, dialogs, tmp_path):
    window = window_alone
    dialogs.files = [str(tmp_path / "fresh")]
    window.new_db_action.trigger()
    assert window.db.path == tmp_path / "fresh.crmdesk"
    assert window.contacts.model.rowCount() == 0
    assert window.count_label.text() == "0 contacts"


def test_first_start_on_an_empty_database_offers_the_demo_once(qtbot, make_window, dialogs,
                                                               tmp_path, monkeypatch,
                                                               new_db_file):
    empty = Database.open(new_db_file(tmp_path / "empty.crmdesk"))
    window = make_window(empty, stand_ins=True)
    demo = tmp_path / "demo.crmdesk"
    monkeypatch.setattr(database_files, "demo_path", lambda: demo)

    def generate(db, contacts, seed, progress=None):  # noqa: ANN001
        for i in range(3):
            create_contact(db, ContactData(given_name=f"Demo{i}", family_name="Person"))
            if progress:
                progress(i + 1, 3)
        return 3

    monkeypatch.setitem(sys.modules, "crmdesk.core.demo",
                        types.SimpleNamespace(generate=generate))
    dialogs.answers = [0]
    window.offer_demo_if_empty()
    assert dialogs.asked[-1] == ("Welcome to crmdesk", "Your contact list is empty.")
    qtbot.waitUntil(lambda: window.db.path == demo or bool(dialogs.errors), timeout=10000)
    assert not dialogs.errors
    assert window.contacts.model.rowCount() == 3
    asked = len(dialogs.asked)
    window.switch_database(str(tmp_path / "empty.crmdesk"), create=False)
    window.offer_demo_if_empty()
    assert len(dialogs.asked) == asked  # only once


def test_no_demo_offer_when_there_are_contacts(window_alone, dialogs):
    window = window_alone
    window.offer_demo_if_empty()
    assert dialogs.asked == []


def test_sort_names_as_another_language(qtbot, make_window, tmp_path, new_db_file):
    db = Database.open(new_db_file(tmp_path / "lt.crmdesk"))
    for family in ("Jonaitis", "Ylakis", "Ivanauskas"):
        create_contact(db, ContactData(given_name="A", family_name=family))
    window = make_window(db, stand_ins=True)
    view = window.contacts

    def names() -> list[str]:
        return [view.model.data(view.model.index(r, 0)) for r in range(3)]

    window.files.set_sort_language("")
    qtbot.waitUntil(lambda: names() == ["A Ivanauskas", "A Jonaitis", "A Ylakis"], timeout=5000)
    # Lithuanian: Y is a letter of its own, right after I.
    window.files.set_sort_language("lt")
    qtbot.waitUntil(lambda: names() == ["A Ivanauskas", "A Ylakis", "A Jonaitis"], timeout=5000)
    window.files.fill_sort_menu(window.sort_menu)
    checked = [a.text() for a in window.sort_menu.actions() if a.isChecked()]
    assert len(checked) == 1 and "(lt)" in checked[0]
