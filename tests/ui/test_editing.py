"""Creating, editing, validating, leaving with unsaved changes: through the window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from crmdesk.core.contacts.records import get_contact

CTRL = Qt.KeyboardModifier.ControlModifier


def names(view) -> list[str]:
    m = view.model
    return [m.data(m.index(r, m.column_of("name"))) for r in range(m.rowCount())]


def test_ctrl_n_then_ctrl_s_adds_the_contact_and_selects_it(qtbot, window, db):
    view = window.contacts
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert view.detail.currentIndex() == 1 and view.form.current_id() is None
    assert not view.list.selectionModel().hasSelection()
    qtbot.keyClicks(view.form.edits["given_name"], "Zelda")
    qtbot.keyClicks(view.form.edits["family_name"], "Aardvark")
    assert window.save_action.isEnabled() and window.isWindowModified()
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: view.model.rowCount() == 9, timeout=5000)
    qtbot.waitUntil(lambda: view.list.current_id() == view.form.current_id(), timeout=5000)
    assert names(view)[0] == "Zelda Aardvark"  # family name first: Aardvark sorts first
    assert window.count_label.text() == "9 contacts"
    assert not window.save_action.isEnabled() and not window.isWindowModified()


def test_new_contact_that_does_not_validate_stays_in_the_form(qtbot, window):
    view = window.contacts
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    qtbot.keyClicks(view.form.edits["email"], "not an address")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert "needs a name" in view.form.problems.text()
    assert view.model.rowCount() == 8
    assert view.is_dirty() and view.detail.currentIndex() == 1


def test_editing_a_contact_updates_its_row(qtbot, window, db, people):
    view = window.contacts
    view.list.select_id(people["Brown"])
    edit = view.form.edits["given_name"]
    edit.clear()
    qtbot.keyClicks(edit, "Johnny")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    row = view.model.row_of(people["Brown"])
    qtbot.waitUntil(lambda: view.model.data(view.model.index(row, 0)) == "Johnny Brown")
    assert get_contact(db, people["Brown"]).given_name == "Johnny"
    assert view.list.current_id() == people["Brown"]


def test_a_renamed_contact_moves_to_its_place_and_stays_selected(qtbot, window, db, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    assert names(view)[0] != "Anna Aaberg"
    edit = view.form.edits["family_name"]
    edit.clear()
    qtbot.keyClicks(edit, "Aaberg")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: names(view)[0] == "Anna Aaberg", timeout=5000)
    assert view.list.current_id() == people["Smith"]
    assert view.list.currentIndex().row() == 0
    assert view.model.rowCount() == len(people)


def test_esc_throws_away_unsaved_changes(qtbot, window, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    qtbot.keyClicks(view.form.edits["given_name"], "xyz")
    assert window.revert_action.isEnabled()
    qtbot.keyClick(view.form.edits["given_name"], Qt.Key.Key_Escape)
    assert view.form.edits["given_name"].text() == "Anna"
    assert not view.is_dirty()


def test_esc_on_a_new_contact_goes_back_to_the_one_before(qtbot, window, people):
    view = window.contacts
    view.list.select_id(people["Dubois"])
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    qtbot.keyClicks(view.form.edits["given_name"], "Nobody")
    qtbot.keyClick(view.form.edits["given_name"], Qt.Key.Key_Escape)
    assert view.form.current_id() == people["Dubois"]
    assert view.list.current_id() == people["Dubois"]
    assert view.model.rowCount() == 8


def test_moving_away_from_unsaved_changes_asks_and_cancel_stays(qtbot, window, dialogs,
                                                                 people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    qtbot.keyClicks(view.form.edits["given_name"], "ie")
    dialogs.answers = [2]  # Cancel
    view.list.select_id(people["Brown"])
    qtbot.waitUntil(lambda: view.list.current_id() == people["Smith"])
    assert view.form.current_id() == people["Smith"]
    assert view.form.edits["given_name"].text() == "Annaie"
    assert dialogs.asked[-1][0] == "Unsaved changes"
    dialogs.answers = [1]  # Discard
    view.list.select_id(people["Brown"])
    assert view.form.current_id() == people["Brown"]


def test_moving_away_and_saving_keeps_the_new_row_selected(qtbot, window, dialogs, db, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    qtbot.keyClicks(view.form.edits["given_name"], "belle")
    dialogs.answers = [0]  # Save
    view.list.select_id(people["Dubois"])
    assert get_contact(db, people["Smith"]).given_name == "Annabelle"
    qtbot.wait(50)
    assert view.form.current_id() == people["Dubois"]
    assert view.list.current_id() == people["Dubois"]


def test_switching_views_with_unsaved_changes_asks(qtbot, window, dialogs, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    qtbot.keyClicks(view.form.edits["given_name"], "x")
    dialogs.answers = [2]
    assert not window.show_view(window.companies)
    assert window.current_view() is view
    assert window.sidebar.currentRow() == 0


def test_closing_with_unsaved_changes_asks_and_can_stay(qtbot, window, dialogs, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    qtbot.keyClicks(view.form.edits["given_name"], "x")
    dialogs.answers = [2]
    window.close()
    assert window.isVisible()
    dialogs.answers = [1]
    window.close()
    assert not window.isVisible()


def test_companies_new_edit_and_open_a_person(qtbot, window, people):
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    view = window.companies
    assert window.new_action.text() == "New Company"
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    qtbot.keyClicks(view.form.edits["name"], "Baltic Bikes UAB")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=5000)
    assert view.list.current_id() == view.form.current_id()
    assert window.count_label.text() == "4 companies"
    # The form asks to open one of the company's people: the Contacts view shows them.
    view.form.open_contact_requested.emit(people["Kazlauskas"])
    assert window.current_view() is window.contacts
    assert window.contacts.form.current_id() == people["Kazlauskas"]


def test_opening_a_person_hidden_by_the_search_clears_the_search(qtbot, window, people):
    window.search_box.setText("acme")
    window.apply_search()
    window.contacts.model.wait()
    window.open_contact(people["Dubois"])
    qtbot.waitUntil(lambda: window.contacts.list.current_id() == people["Dubois"], timeout=5000)
    assert window.search_box.text() == ""
    assert window.contacts.form.current_id() == people["Dubois"]


def test_new_contact_at_a_company(qtbot, window):
    window.show_view(window.companies)
    window.companies.list.select_row(0)
    company = window.companies.form.edits["name"].text()
    window.companies.form.new_contact_requested.emit(company)
    assert window.current_view() is window.contacts
    assert window.contacts.form.current_id() is None
    assert window.contacts.form.edits["company"].text() == company


def test_saving_a_contact_refreshes_company_counts(qtbot, window, people):
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    form = window.contacts.form
    qtbot.keyClicks(form.edits["family_name"], "Newman")
    qtbot.keyClicks(form.edits["company"], "Brand New Ltd")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    window.show_view(window.companies)
    qtbot.waitUntil(lambda: window.companies.model.rowCount() == 4, timeout=5000)
