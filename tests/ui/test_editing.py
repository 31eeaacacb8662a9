"""Creating, editing, validating, leaving with unsaved changes: through the window,
with the real contact and company forms, by the keyboard (Ctrl+N, Ctrl+S, Esc, Del)."""

from __future__ import annotations

import inspect

import pytest
from PySide6.QtCore import Qt

from crmdesk.core.companies.records import get_company
from crmdesk.core.contacts.records import count_contacts, get_contact

CTRL = Qt.KeyboardModifier.ControlModifier


def names(view) -> list[str]:
    m = view.model
    return [m.data(m.index(r, m.column_of("name"))) for r in range(m.rowCount())]


def given(view):
    return view.form.names.edits["given_name"]


def family(view):
    return view.form.names.edits["family_name"]


def test_window_has_the_real_forms(window):
    from crmdesk.ui.companies.form import CompanyForm
    from crmdesk.ui.contacts.form import ContactForm

    assert type(window.contacts.form) is ContactForm
    assert type(window.companies.form) is CompanyForm


def test_ctrl_n_then_ctrl_s_adds_the_contact_and_selects_it(qtbot, window, db):
    view = window.contacts
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert view.detail.currentIndex() == 1 and view.form.current_id() is None
    assert not view.list.selectionModel().hasSelection()
    qtbot.keyClicks(given(view), "Zelda")
    qtbot.keyClicks(family(view), "Aardvark")
    assert window.save_action.isEnabled() and window.isWindowModified()
    assert view.form.dirty_label.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: view.model.rowCount() == 9, timeout=5000)
    qtbot.waitUntil(lambda: view.list.current_id() == view.form.current_id(), timeout=5000)
    new_id = view.form.current_id()
    assert new_id is not None
    stored = get_contact(db, new_id)
    assert (stored.given_name, stored.family_name) == ("Zelda", "Aardvark")
    assert stored.phones == [] and stored.emails == []  # the blank rows offered are not kept
    assert names(view)[0] == "Zelda Aardvark"  # family name first: Aardvark sorts first
    assert view.form.header.title.text() == "Zelda Aardvark"
    assert window.count_label.text() == "9 contacts"
    assert not window.save_action.isEnabled() and not window.isWindowModified()
    assert not view.form.dirty_label.isVisible()


def test_ctrl_n_puts_the_cursor_in_the_first_name(qtbot, window):
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert QApplication.focusWidget() is given(window.contacts)


def test_new_contact_that_does_not_validate_stays_in_the_form(qtbot, window, db):
    view = window.contacts
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    email = view.form.emails.editor.rows()[0].address
    qtbot.keyClicks(email, "not an address")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert view.form.banner.isVisible()
    assert any("needs a name" in m for m in view.form.banner.messages)
    assert given(view).property("problem") == "error"
    assert view.model.rowCount() == 8
    with db.reading() as s:
        assert count_contacts(s) == 8
    assert view.is_dirty() and view.detail.currentIndex() == 1
    assert email.text() == "not an address"  # nothing typed is lost
    assert window.save_action.isEnabled()


def test_editing_a_contact_updates_its_row(qtbot, window, db, people):
    view = window.contacts
    view.list.select_id(people["Brown"])
    edit = given(view)
    edit.clear()
    qtbot.keyClicks(edit, "Johnny")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    row = view.model.row_of(people["Brown"])
    qtbot.waitUntil(lambda: view.model.data(view.model.index(row, 0)) == "Johnny Brown")
    assert get_contact(db, people["Brown"]).given_name == "Johnny"
    assert view.list.current_id() == people["Brown"]
    assert view.form.header.title.text() == "Johnny Brown"
    assert not view.is_dirty() and not window.isWindowModified()


def test_ctrl_s_with_nothing_changed_writes_nothing(qtbot, window, db, people):
    view = window.contacts
    view.list.select_id(people["Brown"])
    before = get_contact(db, people["Brown"]).updated_at
    assert not window.save_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert get_contact(db, people["Brown"]).updated_at == before


def test_a_renamed_contact_moves_to_its_place_and_stays_selected(qtbot, window, db, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    assert names(view)[0] != "Anna Aaberg"
    edit = family(view)
    edit.clear()
    qtbot.keyClicks(edit, "Aaberg")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: names(view)[0] == "Anna Aaberg", timeout=5000)
    assert view.list.current_id() == people["Smith"]
    assert view.list.currentIndex().row() == 0
    assert view.model.rowCount() == len(people)
    assert get_contact(db, people["Smith"]).family_name == "Aaberg"


def test_esc_throws_away_unsaved_changes(qtbot, window, db, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    qtbot.keyClicks(given(view), "xyz")
    assert view.form.header.title.text() == "Annaxyz Smith"
    assert window.revert_action.isEnabled()
    qtbot.keyClick(given(view), Qt.Key.Key_Escape)
    assert given(view).text() == "Anna"
    assert view.form.header.title.text() == "Anna Smith"
    assert not view.is_dirty() and not window.revert_action.isEnabled()
    assert get_contact(db, people["Smith"]).given_name == "Anna"


def test_esc_on_a_new_contact_goes_back_to_the_one_before(qtbot, window, people):
    view = window.contacts
    view.list.select_id(people["Dubois"])
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    qtbot.keyClicks(given(view), "Nobody")
    qtbot.keyClick(given(view), Qt.Key.Key_Escape)
    assert view.form.current_id() == people["Dubois"]
    assert view.list.current_id() == people["Dubois"]
    assert given(view).text() == "Émile"
    assert view.model.rowCount() == 8


def test_moving_away_from_unsaved_changes_asks_and_cancel_stays(qtbot, window, dialogs, db,
                                                                 people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    qtbot.keyClicks(given(view), "ie")
    dialogs.answers = [2]  # Cancel
    view.list.select_id(people["Brown"])
    assert dialogs.asked[-1] == ("Unsaved changes", "Save the changes to Annaie Smith?")
    qtbot.waitUntil(lambda: view.list.current_id() == people["Smith"])
    assert view.form.current_id() == people["Smith"]
    assert given(view).text() == "Annaie" and view.is_dirty()
    dialogs.answers = [1]  # Discard
    view.list.select_id(people["Brown"])
    assert view.form.current_id() == people["Brown"]
    assert given(view).text() == "John"
    assert get_contact(db, people["Smith"]).given_name == "Anna"


def test_moving_away_with_the_keyboard_asks_too(qtbot, window, dialogs, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    row = view.list.currentIndex().row()
    qtbot.keyClicks(given(view), "x")
    view.list.setFocus()
    dialogs.answers = [2]  # Cancel
    qtbot.keyClick(view.list, Qt.Key.Key_Down)
    assert dialogs.asked[-1][0] == "Unsaved changes"
    qtbot.waitUntil(lambda: view.list.current_id() == people["Smith"])
    assert view.list.currentIndex().row() == row and given(view).text() == "Annax"


def test_moving_away_and_saving_keeps_the_new_row_selected(qtbot, window, dialogs, db, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    qtbot.keyClicks(given(view), "belle")
    dialogs.answers = [0]  # Save
    view.list.select_id(people["Dubois"])
    assert get_contact(db, people["Smith"]).given_name == "Annabelle"
    qtbot.waitUntil(lambda: view.list.current_id() == people["Dubois"], timeout=5000)
    assert view.form.current_id() == people["Dubois"]
    assert given(view).text() == "Émile"
    row = view.model.row_of(people["Smith"])
    assert view.model.data(view.model.index(row, 0)) == "Annabelle Smith"


def test_saving_on_the_way_out_that_fails_stays(qtbot, window, dialogs, db, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    given(view).clear()
    family(view).clear()
    view.form.work.company.setEditText("")  # no name left at all
    dialogs.answers = [0]  # Save, but it cannot be saved
    view.list.select_id(people["Brown"])
    qtbot.waitUntil(lambda: view.list.current_id() == people["Smith"])
    assert view.form.current_id() == people["Smith"] and view.is_dirty()
    assert any("needs a name" in m for m in view.form.banner.messages)
    assert get_contact(db, people["Smith"]).given_name == "Anna"


def test_switching_views_with_unsaved_changes_asks(qtbot, window, dialogs, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    qtbot.keyClicks(given(view), "x")
    dialogs.answers = [2]
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    assert dialogs.asked[-1][0] == "Unsaved changes"
    assert window.current_view() is view
    assert window.sidebar.currentRow() == 0
    assert given(view).text() == "Annax"
    dialogs.answers = [1]  # Discard
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    assert window.current_view() is window.companies


def test_closing_with_unsaved_changes_asks_and_can_stay(qtbot, window, dialogs, db, people):
    view = window.contacts
    view.list.select_id(people["Smith"])
    qtbot.keyClicks(given(view), "x")
    dialogs.answers = [2]
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)  # File > Quit
    assert window.isVisible()
    assert dialogs.asked[-1] == ("Unsaved changes", "Save the changes to Annax Smith?")
    dialogs.answers = [0]  # Save, then close
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)
    assert not window.isVisible()
    from crmdesk.core.storage.database import Database

    with Database.open(db.path, readonly=True) as again:
        assert get_contact(again, people["Smith"]).given_name == "Annax"


def test_companies_new_edit_and_open_a_person(qtbot, window, db, people):
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    view = window.companies
    assert window.new_action.text() == "New Company"
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert view.form.current_id() is None
    qtbot.keyClicks(view.form.details.name, "Baltic Bikes UAB")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=5000)
    assert view.list.current_id() == view.form.current_id()
    assert get_company(db, view.form.current_id()).name == "Baltic Bikes UAB"
    assert view.form.header.title.text() == "Baltic Bikes UAB"
    assert window.count_label.text() == "4 companies"
    # The form asks to open one of the company's people: the Contacts view shows them.
    view.form.open_contact_requested.emit(people["Kazlauskas"])
    assert window.current_view() is window.contacts
    assert window.contacts.form.current_id() == people["Kazlauskas"]
    assert family(window.contacts).text() == "Kazlauskas"


def test_company_edit_saved_with_ctrl_s_and_thrown_away_with_esc(qtbot, window, db):
    window.show_view(window.companies)
    view = window.companies
    view.list.select_row(0)
    company = view.list.current_id()
    assert view.form.details.name.text() == "Acme Ltd"
    qtbot.keyClicks(view.form.details.industry, "Hardware")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert get_company(db, company).industry == "Hardware"
    assert not view.is_dirty()
    qtbot.keyClicks(view.form.details.industry, " and tools")
    assert window.revert_action.isEnabled()
    qtbot.keyClick(view.form.details.industry, Qt.Key.Key_Escape)
    assert view.form.details.industry.text() == "Hardware"
    assert not view.is_dirty()
    assert get_company(db, company).industry == "Hardware"


def test_company_unsaved_changes_ask_before_another_company(qtbot, window, dialogs, db):
    window.show_view(window.companies)
    view = window.companies
    view.list.select_row(0)
    first = view.list.current_id()
    qtbot.keyClicks(view.form.details.industry, "Hardware")
    dialogs.answers = [2]  # Cancel
    view.list.select_row(1)
    assert dialogs.asked[-1] == ("Unsaved changes", "Save the changes to Acme Ltd?")
    qtbot.waitUntil(lambda: view.list.current_id() == first)
    assert view.form.details.industry.text() == "Hardware"
    dialogs.answers = [0]  # Save
    view.list.select_row(1)
    assert get_company(db, first).industry == "Hardware"
    qtbot.waitUntil(lambda: view.form.current_id() == view.list.current_id() != first)


def test_opening_a_person_hidden_by_the_search_clears_the_search(qtbot, window, people):
    window.search_box.setText("acme")
    window.apply_search()
    window.contacts.model.wait()
    window.open_contact(people["Dubois"])
    qtbot.waitUntil(lambda: window.contacts.list.current_id() == people["Dubois"], timeout=5000)
    assert window.search_box.text() == ""
    assert window.contacts.form.current_id() == people["Dubois"]
    assert family(window.contacts).text() == "Dubois"


def test_new_contact_at_a_company(qtbot, window):
    window.show_view(window.companies)
    window.companies.list.select_row(0)
    company = window.companies.form.details.name.text()
    assert company == "Acme Ltd"
    window.companies.form.new_contact_requested.emit(company)
    assert window.current_view() is window.contacts
    assert window.contacts.form.current_id() is None
    assert window.contacts.form.work.company.currentText() == company
    assert not window.contacts.is_dirty()  # nothing typed yet


def test_saving_a_contact_refreshes_company_counts(qtbot, window, people):
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    form = window.contacts.form
    qtbot.keyClicks(form.names.edits["family_name"], "Newman")
    qtbot.keyClicks(form.work.company.lineEdit(), "Brand New Ltd")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert form.current_id() is not None
    window.show_view(window.companies)
    qtbot.waitUntil(lambda: window.companies.model.rowCount() == 4, timeout=5000)
    assert window.count_label.text() == "4 companies"
    model = window.companies.model
    names_shown = [model.data(model.index(r, model.column_of("name")))
                   for r in range(model.rowCount())]
    assert "Brand New Ltd" in names_shown


# -- the stand-ins other window tests use must keep to the real forms' interface --------


COMMON = ["load", "save", "revert", "maybe_save", "is_dirty", "current_id", "dirty_changed"]


@pytest.mark.parametrize(("stand_in", "real", "used"), [
    ("StandInContactForm", "crmdesk.ui.contacts.form:ContactForm",
     [*COMMON, "new_contact", "contact_saved"]),
    ("StandInCompanyForm", "crmdesk.ui.companies.form:CompanyForm",
     [*COMMON, "new_company", "company_saved", "open_contact_requested",
      "new_contact_requested", "refresh_people"]),
])
def test_stand_in_forms_offer_what_the_window_uses_of_the_real_ones(stand_in, real, used):
    import importlib

    import stand_in_forms

    module, name = real.split(":")
    real_form = getattr(importlib.import_module(module), name)
    fake = getattr(stand_in_forms, stand_in)

    def positional(fn) -> tuple[int, int]:
        """(required, accepted) positional parameters, self included."""
        kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        params = [p for p in inspect.signature(fn).parameters.values() if p.kind in kinds]
        return sum(p.default is p.empty for p in params), len(params)

    for attr in used:
        assert hasattr(real_form, attr), f"{name} has no {attr}: update the window's use"
        assert hasattr(fake, attr), f"{stand_in} has no {attr}"
        if inspect.isfunction(getattr(real_form, attr)):
            real_required, _ = positional(getattr(real_form, attr))
            fake_required, fake_accepted = positional(getattr(fake, attr))
            assert fake_required <= real_required <= fake_accepted, attr
