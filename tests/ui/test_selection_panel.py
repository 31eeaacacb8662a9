"""Several contacts selected: a panel says how many and acts on all of them."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from sqlalchemy import select

from crmdesk.core.changes import CONTACTS
from crmdesk.core.storage.models import Tag, contact_tag


def select_rows(view, rows: list[int]) -> None:
    model = view.model
    sel = view.list.selectionModel()
    sel.clearSelection()
    for row in rows:
        sel.select(model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)


def tagged(db, name: str) -> set[int]:
    with db.reading() as s:
        return set(s.scalars(select(contact_tag.c.contact_id).join(
            Tag, Tag.id == contact_tag.c.tag_id).where(Tag.name == name)))


def test_three_selected_contacts_show_the_panel_and_get_tagged(
        qtbot, window, db, people, pictures, monkeypatch):
    view = window.contacts
    panel = view.selection_panel
    view.list.select_row(0)
    assert view.detail.currentWidget() is not panel  # one contact: its form
    select_rows(view, [0, 2, 4])
    assert view.detail.currentWidget() is panel
    assert panel.count_label.text() == "3 contacts selected"
    chosen = set(view.list.selected_ids())
    assert len(chosen) == 3
    pictures.grab(window, "contacts_three_selected")

    # The database has exactly those three tagged, the other views are told, and
    # the list finds them by the tag.
    monkeypatch.setattr(panel, "ask_tag_name", lambda title: "Newsletter")
    seen = []
    view.changes_made.connect(seen.append)
    panel.tag_button.click()
    assert tagged(db, "Newsletter") == chosen
    assert [set(c.ids(CONTACTS)) for c in seen] == [chosen]
    assert window.statusBar().currentMessage() == "Tagged 3 contacts “Newsletter”."
    window.search_box.setText("tag:Newsletter")
    qtbot.waitUntil(lambda: set(view.model.ids()) == chosen, timeout=5000)
    view.list.selectAll()
    assert panel.count_label.text() == "3 contacts selected"
    # Removing it again from two of them.
    select_rows(view, [0, 2])
    two = set(view.list.selected_ids())
    assert panel.count_label.text() == "2 contacts selected"
    panel.untag_button.click()
    assert tagged(db, "Newsletter") == chosen - two
    qtbot.waitUntil(lambda: set(view.model.ids()) == chosen - two, timeout=5000)
    # Back to one: the form again.
    view.list.select_row(0)
    assert view.detail.currentWidget() is not panel


def test_the_panel_moves_the_selected_contacts_to_the_trash(qtbot, window_alone, db):
    window = window_alone
    view = window.contacts
    panel = view.selection_panel
    select_rows(view, [1, 2, 3])
    chosen = set(view.list.selected_ids())
    assert panel.count_label.text() == "3 contacts selected"
    panel.trash_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 5, timeout=5000)
    assert not chosen & set(view.model.ids())
    assert window.statusBar().currentMessage() == "Moved 3 contacts to the trash."
