"""The big-list models: Qt's contract (qtmodeltester), blocks, sorting, changes."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from crmdesk.core.contacts.records import ContactData, get_contact, trash_contacts, update_contact
from crmdesk.ui.contacts.table_model import (
    BLOCK,
    CompanyContactsModel,
    CompanyTableModel,
    ContactTableModel,
    IdRole,
)


def names(model) -> list[str]:
    col = model.column_of("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_contact_model_passes_qt_model_tester(qtmodeltester, db, people):
    model = ContactTableModel(db, background=False)
    model.reload_now()
    assert model.rowCount() == len(people)
    qtmodeltester.check(model, force_py=True)


def test_trash_company_and_company_contacts_models_pass_model_tester(qtmodeltester, db, people):
    trash_contacts(db, [people["Smith"]])
    for model in (ContactTableModel(db, trash=True, background=False),
                  CompanyTableModel(db, background=False),
                  CompanyTableModel(db, trash=True, background=False)):
        model.reload_now()
        qtmodeltester.check(model, force_py=True)
    companies = CompanyTableModel(db, background=False)
    companies.reload_now()
    staff = CompanyContactsModel(db, background=False)
    staff.set_company(companies.id_at(0))  # Acme Ltd: Smith is in the trash, Brown is not
    assert staff.rowCount() == 1
    assert staff.data(staff.index(0, 0)) == "John Brown"
    qtmodeltester.check(staff, force_py=True)


def test_rows_show_values_and_ids(db, people):
    model = ContactTableModel(db, background=False)
    model.reload_now()
    row = model.row_of(people["Kazlauskas"])
    assert model.data(model.index(row, model.column_of("name"))) == "Jonas Kazlauskas"
    assert model.data(model.index(row, model.column_of("company"))) == "Vilniaus prekyba UAB"
    assert model.data(model.index(row, model.column_of("city"))) == "Vilnius"
    assert model.data(model.index(row, model.column_of("status"))) == "Prospect"
    assert model.data(model.index(row, 0), IdRole) == people["Kazlauskas"]
    assert model.headerData(model.column_of("email"), Qt.Orientation.Horizontal) == "E-mail"


def test_sort_reorders_and_keeps_selected_rows(db, people):
    model = ContactTableModel(db, background=False)
    model.reload_now()
    smith = QPersistentModelIndex(model.index(model.row_of(people["Smith"]), 0))
    model.sort(model.column_of("city"), Qt.SortOrder.AscendingOrder)
    city = model.column_of("city")
    cities = [model.data(model.index(r, city)) for r in range(model.rowCount())]
    shown = [c for c in cities if c]
    assert shown == sorted(shown)
    assert cities[-1] == ""  # no city: last
    assert smith.row() == model.row_of(people["Smith"])
    model.sort(city, Qt.SortOrder.DescendingOrder)
    cities = [model.data(model.index(r, city)) for r in range(model.rowCount())]
    assert [c for c in cities if c] == sorted(shown, reverse=True)
    assert cities[-1] == ""


def test_search_runs_in_background_and_narrows(qtbot, db, people):
    model = ContactTableModel(db)
    model.reload_now()
    with qtbot.waitSignal(model.reloaded, timeout=5000):
        model.set_query("romashka")
    assert names(model) == ["Olga Petrova", "Иван Иванов"]  # in name order
    assert model.total == len(people)


def test_superseded_search_answers_are_dropped(qtbot, db, people):
    model = ContactTableModel(db)
    model.reload_now()
    model.set_query("acme")
    model.set_query("zuikis")
    model.wait()
    assert names(model) == ["Ona Zuikis"]


def test_edit_marks_row_stale_and_shows_new_value(db, people):
    model = ContactTableModel(db, background=False)
    model.reload_now()
    row = model.row_of(people["Brown"])
    assert model.data(model.index(row, 0)) == "John Brown"
    data = get_contact(db, people["Brown"])
    change = update_contact(db, people["Brown"], replace(data, given_name="Johnny"))
    model.apply_change(change)
    assert model.data(model.index(row, 0)) == "Johnny Brown"


def test_an_edit_that_changes_the_order_moves_the_row(db, people):
    model = ContactTableModel(db, background=False)
    model.reload_now()
    before = model.ids()
    assert before[0] != people["Smith"]
    data = get_contact(db, people["Smith"])
    change = update_contact(db, people["Smith"], replace(data, given_name="Aaron",
                                                         family_name="Aaberg"))
    model.apply_change(change)
    model.wait()
    assert model.data(model.index(0, 0)) == "Aaron Aaberg"
    # Smith moved to the top; everyone else kept their order.
    assert model.ids() == [people["Smith"]] + [i for i in before if i != people["Smith"]]


def test_trashed_rows_leave_the_list(db, people):
    model = ContactTableModel(db, background=False)
    model.reload_now()
    model.apply_change(trash_contacts(db, [people["Smith"]]))
    assert model.row_of(people["Smith"]) is None
    assert model.rowCount() == len(people) - 1


def test_rows_are_read_a_block_at_a_time_and_the_cache_is_bounded(db):
    from bulk import fill

    from crmdesk.ui.contacts import table_model as m

    fill(db, 5000, search=False)
    model = ContactTableModel(db, background=False)
    model.reload_now()
    assert model.rowCount() == 5000
    model.data(model.index(0, 0))
    assert model.block_queries == 1
    for row in range(BLOCK):
        model.data(model.index(row, 1))
    assert model.block_queries == 1
    for row in range(0, 5000, 50):
        model.data(model.index(row, 0))
    assert model.block_queries == 5000 // BLOCK
    assert model.cached_rows() <= m.MAX_CACHED_ROWS
    assert model.data(QModelIndex()) is None


def test_a_two_letter_search_shows_its_first_screenful_then_the_rest(qtbot, make_window, db):
    """One or two letters: the first screenful comes from memory and stops; the rest of
    the list, and so the count, follow (the status bar says "counting…" meanwhile)."""
    from bulk import fill

    from crmdesk.core.lookup import listing
    from crmdesk.ui.contacts.table_model import FIRST_ROWS

    fill(db, 3000)
    window = make_window(db, stand_ins=True)
    view = window.contacts
    view.model.wait()
    with db.reading() as s:
        whole = listing.contact_ids(s, "an")
    assert len(whole) > FIRST_ROWS
    seen: list[tuple[int, bool, str]] = []
    view.model.reloaded.connect(lambda: seen.append(
        (view.model.rowCount(), view.model.complete, window.count_label.text())))
    window.search_box.setText("an")
    window.apply_search()
    qtbot.waitUntil(lambda: view.model.complete and view.model.rowCount() == len(whole),
                    timeout=5000)
    from PySide6.QtCore import QLocale

    num = QLocale().toString
    assert seen[0] == (FIRST_ROWS, False, f"{FIRST_ROWS}+ of {num(3000)} contacts, counting…")
    assert seen[-1] == (len(whole), True, f"{num(len(whole))} of {num(3000)} contacts")
    assert view.model.ids() == whole
    # A rarer pair of letters: all of it at once, complete, no "counting".
    with db.reading() as s:
        rare = next(q for q in ("yu", "zo", "lö", "ki", "qx")
                    if 0 < len(listing.contact_ids(s, q)) < FIRST_ROWS)
    seen.clear()
    window.search_box.setText(rare)
    window.apply_search()
    qtbot.waitUntil(lambda: seen != [], timeout=5000)
    assert seen[0][1] is True and "counting" not in seen[0][2]


def test_waiting_for_the_list_means_all_of_it(qtbot, db):
    """What exports, prints and labels the list shown waits for: every row, not the
    first screenful the window painted while typing."""
    from bulk import fill

    from crmdesk.core.lookup import listing
    from crmdesk.core.search.short_fragments import remember_texts
    from crmdesk.ui.contacts.table_model import FIRST_ROWS

    fill(db, 3000)
    remember_texts(db)
    model = ContactTableModel(db, background=True)
    model.set_query("an")
    model.wait()
    with db.reading() as s:
        whole = listing.contact_ids(s, "an")
    assert len(whole) > FIRST_ROWS
    assert model.complete and model.ids() == whole


def test_rows_of_finds_the_rows_of_listed_records_only(db):
    """Selections ask where their records are: a few at once or thousands, without a
    map of every row kept."""
    from crmdesk.core.contacts.records import create_contact

    made = [create_contact(db, ContactData(given_name=f"P{i:03d}", family_name="X"))
            for i in range(40)]
    model = ContactTableModel(db, background=False)
    model.reload_now()
    every = {model.id_at(r): r for r in range(model.rowCount())}
    assert model.rows_of(made[:3]) == {i: every[i] for i in made[:3]}  # a few: scans
    assert model.rows_of(made + [999_999]) == every  # many: one pass; the unknown left out
    assert model.rows_of([]) == {} and model.row_of(999_999) is None
    assert model.row_of(made[7]) == every[made[7]]
