"""Why it matched: a search word found in a field the list does not show is named
in the row's Name cell ("Address: Žalgirio g. 5"), and the Name column makes room
for it while the search lasts."""

from __future__ import annotations

import pytest

from crmdesk.core.contacts.records import AddressData, ContactData, create_contact
from crmdesk.ui.contacts.table_model import FoundRole


@pytest.fixture
def jonas(db, people):
    return create_contact(db, ContactData(
        given_name="Jonas", family_name="Petraitis", company="Baltic Pipes",
        addresses=[AddressData("Žalgirio g. 5", "Vilnius", "", "LT-09300", "LT")],
        notes="Wants the invoice in euros, by the end of the month."))


def search(qtbot, window, text):
    view = window.contacts
    window.focus_search()
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, text)
    qtbot.waitUntil(lambda: view.model.query == text and view.list._last_query == text,
                    timeout=5000)
    return view


def name_cell(view, row=0):
    model = view.model
    return model.index(row, model.column_of("name"))


def found(qtbot, view, row=0):
    """What the Name cell says of where the words were found, once it is known (a
    moment after typing pauses, off the keystroke's path)."""
    model = view.model
    model.found_text(row)  # as painting the cell asks for it
    qtbot.waitUntil(lambda: model.found_known(row), timeout=3000)
    return name_cell(view, row).data(FoundRole)


def test_a_hidden_field_match_is_named_in_the_row(qtbot, window_alone, jonas, pictures):
    window = window_alone
    window.resize(1200, 700)
    view = search(qtbot, window, "zalgir")
    model = view.model
    assert model.rowCount() == 1
    cell = name_cell(view)
    assert cell.data() == "Jonas Petraitis"  # the name itself stays the name
    assert found(qtbot, view) == "Address: Žalgirio g. 5, Vilnius, LT-09300, LT"
    assert "Found in Address: Žalgirio g. 5" in cell.data(
        int(__import__("PySide6.QtCore").QtCore.Qt.ItemDataRole.ToolTipRole))
    # the Name column was widened to show it, and is given back afterwards
    lst = view.list
    column = model.column_of("name")
    hint = lst.itemDelegateForColumn(column).sizeHint(lst.viewOptions() if hasattr(
        lst, "viewOptions") else _option(lst), cell)
    qtbot.waitUntil(lambda: lst.columnWidth(column) >= min(hint.width(),
                                                             lst.viewport().width() // 2),
                    timeout=3000)
    pictures.grab(window, "found_in_address")
    view = search(qtbot, window, "Jonas")
    assert found(qtbot, view) == ""  # found in the name: nothing to add


def _option(lst):
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.initFrom(lst)
    return option


def test_a_word_in_a_shown_column_needs_no_explanation(qtbot, window_alone, jonas):
    view = search(qtbot, window_alone, "baltic")  # the Company column shows it
    assert "company" in view.list.shown_columns()
    assert found(qtbot, view) == ""
    view.list.toggle_column("company", False)
    assert found(qtbot, view) == "Company: Baltic Pipes"


def test_notes_are_cut_around_the_word(qtbot, window_alone, jonas):
    view = search(qtbot, window_alone, "euros")
    assert found(qtbot, view) == \
        "Notes: Wants the invoice in euros, by the end of the month."


def test_the_users_width_is_kept(qtbot, window_alone, jonas, ui_settings):
    view = window_alone.contacts
    lst = view.list
    column = view.model.column_of("name")
    lst.setColumnWidth(column, 120)
    lst.save_columns()
    search(qtbot, window_alone, "zalgir")
    qtbot.waitUntil(lambda: lst.columnWidth(column) > 120, timeout=3000)
    lst.save_columns()
    assert ui_settings.widths(lst.list_key)["name"] == 120  # not the lent width
    search(qtbot, window_alone, "")
    qtbot.waitUntil(lambda: lst.columnWidth(column) == 120, timeout=3000)


def test_a_changed_contact_is_explained_again(qtbot, window_alone, jonas, db):
    from crmdesk.core.changes import CONTACTS, Changes
    from crmdesk.core.contacts.records import get_contact, update_contact

    view = search(qtbot, window_alone, "lt-0")  # the postcode: no column shows it
    assert found(qtbot, view).startswith("Address: Žalgirio")
    data = get_contact(db, jonas)
    data.addresses[0] = AddressData("Gedimino pr. 1", "Vilnius", "", "LT-01103", "LT")
    update_contact(db, jonas, data)
    window_alone.broadcast(Changes.of(CONTACTS, [jonas]))
    qtbot.waitUntil(lambda: found(qtbot, view).startswith("Address: Gedimino"), timeout=5000)


def test_where_it_matched_is_read_off_the_keystrokes_path(qtbot, db, jonas):
    from crmdesk.ui.contacts.table_model import ContactTableModel

    model = ContactTableModel(db, ["name", "company"], background=False)
    model.set_query("zalgir")
    cell = model.index(0, model.column_of("name"))
    assert cell.data(FoundRole) == ""  # painting asks; nothing is read yet
    assert not model.found_known(0)
    with qtbot.waitSignal(model.found_ready, timeout=3000):
        pass  # a moment after typing pauses
    assert cell.data(FoundRole).startswith("Address: Žalgirio")
