"""Delete to the trash, undo, restore, delete for good, empty the trash."""

from __future__ import annotations

from PySide6.QtCore import Qt

from crmdesk.core.companies.records import company_ids
from crmdesk.core.contacts.records import count_contacts, get_contact


def test_del_in_the_list_moves_to_trash_and_selects_the_next(qtbot, window, db, people):
    view = window.contacts
    view.list.setFocus()
    view.list.select_row(2)
    doomed = view.list.current_id()
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: view.model.rowCount() == 7, timeout=5000)
    assert view.model.row_of(doomed) is None
    qtbot.waitUntil(lambda: view.list.currentIndex().row() == 2, timeout=5000)
    assert "Moved 1 contact to the trash." in window.statusBar().currentMessage()
    with db.reading() as s:
        assert count_contacts(s, trash=True) == 1
    qtbot.waitUntil(lambda: window.trash.contacts_model.rowCount() == 1, timeout=5000)


def test_del_in_a_form_field_deletes_a_letter_not_the_contact(qtbot, window, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    edit = view.form.names.edits["given_name"]
    edit.setFocus()
    edit.setCursorPosition(0)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.text() == "nna"
    assert view.model.rowCount() == 8
    assert view.form.current_id() == people["Smith"] and view.is_dirty()
    assert window.trash.contacts_model.total == 0


def test_del_of_a_contact_with_unsaved_edits_trashes_the_stored_one(qtbot, window, db,
                                                                     dialogs, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    qtbot.keyClicks(view.form.names.edits["given_name"], "xyz")
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: view.model.row_of(people["Smith"]) is None, timeout=5000)
    assert dialogs.asked == []  # the edits go with the contact; Undo brings it back
    assert not window.isWindowModified()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.list.current_id() == people["Smith"], timeout=5000)
    assert view.form.names.edits["given_name"].text() == "Anna"
    assert get_contact(db, people["Smith"]).given_name == "Anna"


def test_del_in_the_companies_list_moves_the_company_to_the_trash(qtbot, window, db,
                                                                  people):
    window.show_view(window.companies)
    view = window.companies
    view.list.select_row(0)
    assert view.form.details.name.text() == "Acme Ltd"
    name = view.form.details.name
    name.setFocus()
    name.setCursorPosition(0)
    qtbot.keyClick(name, Qt.Key.Key_Delete)  # in a field: a letter
    assert name.text() == "cme Ltd" and view.model.rowCount() == 3
    qtbot.keyClick(name, Qt.Key.Key_Escape)
    assert name.text() == "Acme Ltd" and not view.is_dirty()
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)  # in the list: the company
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    assert "Acme Ltd" not in [view.model.data(view.model.index(r, 0)) for r in range(2)]
    assert window.count_label.text() == "2 companies"
    with db.reading() as s:
        assert len(company_ids(s, trash=True)) == 1


def test_undo_brings_deleted_contacts_back(qtbot, window, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    view.delete_selected()
    qtbot.waitUntil(lambda: view.model.rowCount() == 7, timeout=5000)
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "Undo Move to Trash"
    view.list.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.model.rowCount() == 8, timeout=5000)
    qtbot.waitUntil(lambda: view.list.current_id() == people["Smith"], timeout=5000)
    assert not window.undo_action.isEnabled()


def test_select_all_and_delete_many(qtbot, window, people):
    view = window.contacts
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.list.selected_ids()) == 8
    window.delete_action.trigger()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)
    assert window.count_label.text() == "0 contacts"


def test_restore_from_the_trash(qtbot, window, people):
    window.contacts.list.select_id(people["Smith"])
    window.contacts.delete_selected()
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    trash = window.trash
    qtbot.waitUntil(lambda: trash.contacts_model.rowCount() == 1, timeout=5000)
    assert trash.tabs.tabText(0) == "Contacts (1)"
    assert window.count_label.text() == "In the trash: 1 contact, 0 companies"
    assert not trash.restore_button.isEnabled()
    trash.contacts_list.select_row(0)
    assert trash.restore_button.isEnabled()
    qtbot.mouseClick(trash.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: trash.contacts_model.rowCount() == 0, timeout=5000)
    window.show_view(window.contacts)
    qtbot.waitUntil(lambda: window.contacts.model.row_of(people["Smith"]) is not None,
                    timeout=5000)


def test_delete_for_good_asks_first(qtbot, window, dialogs, db, people):
    window.contacts.list.select_id(people["Smith"])
    window.contacts.delete_selected()
    window.show_view(window.trash)
    trash = window.trash
    qtbot.waitUntil(lambda: trash.contacts_model.rowCount() == 1, timeout=5000)
    trash.contacts_list.select_row(0)
    trash.contacts_list.setFocus()
    dialogs.answers = [False]
    qtbot.keyClick(trash.contacts_list, Qt.Key.Key_Delete)
    assert dialogs.asked[-1] == ("Delete for Good", "Delete 1 contact for good?")
    assert trash.contacts_model.rowCount() == 1
    dialogs.answers = [True]
    qtbot.keyClick(trash.contacts_list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: trash.contacts_model.rowCount() == 0, timeout=5000)
    with db.reading() as s:
        assert count_contacts(s, trash=True) == 0 and count_contacts(s) == 7


def test_empty_trash_of_contacts_and_companies(qtbot, window, dialogs, db, people):
    window.contacts.list.select_id(people["Smith"])
    window.contacts.delete_selected()
    window.show_view(window.companies)
    window.companies.list.select_row(0)
    window.companies.delete_selected()
    window.show_view(window.trash)
    trash = window.trash
    qtbot.waitUntil(lambda: trash.contacts_model.total == 1
                    and trash.companies_model.total == 1, timeout=5000)
    trash.empty_trash()
    assert "1 contact and 1 company" in dialogs.asked[-1][1]
    qtbot.waitUntil(lambda: trash.contacts_model.total == 0
                    and trash.companies_model.total == 0, timeout=5000)
    assert window.count_label.text() == "The trash is empty"


def test_a_trashed_company_is_not_shown_beside_its_people(qtbot, window, people):
    window.show_view(window.companies)
    companies = window.companies
    companies.list.select_id(companies.model.ids()[0])  # Acme Ltd (by name)
    assert companies.form.details.name.text() == "Acme Ltd"
    companies.delete_selected()
    window.show_view(window.contacts)
    view = window.contacts
    row = view.model.row_of(people["Smith"])
    qtbot.waitUntil(lambda: view.model.data(view.model.index(row, 1)) == "", timeout=5000)
