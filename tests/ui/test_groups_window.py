"""Groups in the window, as a user meets them: a lookup saved as a group in the
navigation with its count, clicking it, a static group filled from the selection,
tags for a selection, and Change Field… with its preview and one confirmation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crmdesk.core.contacts import groups
from crmdesk.core.contacts.records import get_contact
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.ui.contacts.bulk_edit_dialog import BulkEditDialog
from crmdesk.ui.window import groups_nav


def shown_names(view) -> list[str]:
    model = view.model
    col = model.column_of("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


@pytest.fixture
def names(monkeypatch):
    """Answers for the name and tag questions, in order."""
    answers: list[str | None] = []
    asked: list[str] = []

    def answer(parent, title, label, *rest):  # noqa: ANN001
        asked.append(label)
        return answers.pop(0) if answers else None

    monkeypatch.setattr(groups_nav, "ask_text", answer)
    monkeypatch.setattr(groups_nav, "ask_tag", answer)
    answer.answers = answers  # type: ignore[attr-defined]
    answer.asked = asked  # type: ignore[attr-defined]
    return answer


def nav_rows(window) -> list[tuple[str, str]]:
    tree = window.groups_nav.tree
    return [(tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1))
            for i in range(tree.topLevelItemCount())]


def wait_counted(qtbot, window, expected) -> None:
    qtbot.waitUntil(lambda: nav_rows(window) == expected, timeout=5000)


def test_save_a_search_as_a_group_and_click_it(qtbot, window_alone, names, db, people,
                                               pictures):
    window = window_alone
    nav = window.groups_nav
    assert nav.empty_hint.isVisibleTo(window) and not nav.save_search_action.isEnabled()
    window.focus_search()
    qtbot.keyClicks(window.search_box, "city:vilnius")
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 2, timeout=5000)
    names.answers.append("Vilnius people")
    assert nav.save_search_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    wait_counted(qtbot, window, [("Vilnius people", "2")])
    assert window.statusBar().currentMessage() == "Saved the group “Vilnius people”."
    with db.reading() as s:
        assert [g.query for g in groups.list_groups(s)] == ["city:vilnius"]
    # Elsewhere, then a click on the group: its contacts in the Contacts list.
    window.search_box.clear()
    window.show_view(window.companies)
    window.search_box.setText("acme")  # a search of companies is no group of contacts
    assert not nav.save_search_action.isEnabled()
    window.search_box.clear()
    item = nav.tree.topLevelItem(0)
    nav.tree.itemClicked.emit(item, 0)
    assert window.current_view() is window.contacts
    assert window.search_box.text() == 'group:"Vilnius people" '
    qtbot.waitUntil(lambda: shown_names(window.contacts) == ["Jonas Kazlauskas", "Ona Zuikis"],
                    timeout=5000)
    # The box narrows it further.
    qtbot.keyClicks(window.search_box, "zuik")
    qtbot.waitUntil(lambda: shown_names(window.contacts) == ["Ona Zuikis"], timeout=5000)
    assert nav.current_group() is not None  # still the group's list
    # A new contact in Vilnius moves the count (recounted off the GUI thread).
    window.contacts.list.selectAll()
    names.answers.append("Call back")
    nav.new_static()
    wait_counted(qtbot, window, [("Vilnius people", "2"), ("Call back", "1")])
    window.resize(1100, 640)
    pictures.grab(window, "groups_navigation")


def test_static_group_from_the_selection(qtbot, window_alone, names, db, people, dialogs):
    window = window_alone
    nav = window.groups_nav
    with db.session() as s:
        call_back = groups.create_static_group(s, "Call back")
    nav.reload()
    wait_counted(qtbot, window, [("Call back", "0")])
    window.search_box.setText("acme")
    window.apply_search()
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 2, timeout=5000)
    window.contacts.list.selectAll()
    nav._fill_add_menu()
    entries = [a.text() for a in nav.add_to_menu.actions() if a.text()]
    assert entries == ["Call back", "New Static Group…"]
    nav.add_to_menu.actions()[0].trigger()
    wait_counted(qtbot, window, [("Call back", "2")])
    # Shown, then one taken out again.
    nav.show_group(call_back.id)
    qtbot.waitUntil(lambda: shown_names(window.contacts) == ["John Brown", "Anna Smith"],
                    timeout=5000)
    window.contacts.list.select_id(people["Brown"])
    assert nav.remove_action.isEnabled()
    nav.remove_action.trigger()
    wait_counted(qtbot, window, [("Call back", "1")])
    qtbot.waitUntil(lambda: shown_names(window.contacts) == ["Anna Smith"], timeout=5000)
    # Rename (the box follows), then delete with a confirmation.
    names.answers.append("Call back soon")
    nav.rename()
    wait_counted(qtbot, window, [("Call back soon", "1")])
    assert window.search_box.text().startswith('group:"Call back soon"')
    names.answers.append("call BACK soon")
    nav.new_static()  # a name taken: said, nothing made
    assert dialogs.errors and "already a group named" in dialogs.errors[-1][0]
    nav.delete()
    assert dialogs.asked[-1] == ("Delete Group", "Delete the group “Call back soon”?")
    qtbot.waitUntil(lambda: nav_rows(window) == [], timeout=5000)
    assert window.search_box.text() == ""
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == len(people),
                    timeout=5000)  # the contacts stay


def test_reorder_and_a_group_whose_lookup_broke(qtbot, window_alone, db, people):
    from crmdesk.core.fields.info import NUMBER
    from crmdesk.core.fields.service import add_field, delete_field

    with db.session() as s:
        field = add_field(s, "contact", "Fleet size", NUMBER)
        groups.save_lookup_group(s, "Fleets", "has:fleet_size")
        groups.save_lookup_group(s, "Boston", "city:boston")
    window = window_alone
    nav = window.groups_nav
    nav.reload()
    wait_counted(qtbot, window, [("Fleets", "0"), ("Boston", "2")])
    nav.tree.setCurrentItem(nav.tree.topLevelItem(1))
    qtbot.keyClick(window, Qt.Key.Key_Up,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_counted(qtbot, window, [("Boston", "2"), ("Fleets", "0")])
    # Dragged back down: the order the list shows is kept.
    tree = nav.tree
    tree.insertTopLevelItem(1, tree.takeTopLevelItem(0))
    tree.dropped.emit()
    wait_counted(qtbot, window, [("Fleets", "0"), ("Boston", "2")])
    with db.reading() as s:
        assert [g.name for g in groups.list_groups(s)] == ["Fleets", "Boston"]
    with db.session() as s:
        delete_field(s, field.id, confirmed_count=0)
    nav.recount()
    wait_counted(qtbot, window, [("Fleets", "!"), ("Boston", "2")])
    assert "Unknown field 'fleet_size'" in nav.tree.topLevelItem(0).toolTip(1)


def test_a_group_deleted_elsewhere(qtbot, window_alone, db, people, names, dialogs):
    with db.session() as s:
        gone = groups.save_lookup_group(s, "Boston", "city:boston")
    window = window_alone
    nav = window.groups_nav
    nav.reload()
    wait_counted(qtbot, window, [("Boston", "2")])
    nav.tree.setCurrentItem(nav.tree.topLevelItem(0))
    with db.session() as s:  # another program (crmdesk groups delete) took it away
        groups.delete_group(s, gone.id)
    names.answers.append("Boston customers")
    nav.rename()
    assert dialogs.errors[-1][0] == "That group no longer exists."
    assert nav_rows(window) == []  # shown as it is now
    with db.reading() as s:
        assert groups.list_groups(s) == []


def test_tag_a_selection(qtbot, window_alone, names, db, people):
    window = window_alone
    window.search_box.setText("acme")
    window.apply_search()
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 2, timeout=5000)
    window.contacts.list.selectAll()
    names.answers.append("Trade fair")
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Tagged 2 contacts “Trade fair”."
    with db.reading() as s:
        assert set(find_ids(s, CONTACT, "tag:\"trade fair\"", strict=True)) == {
            people["Smith"], people["Brown"]}
    window.contacts.list.select_id(people["Smith"])
    names.answers.append("TRADE FAIR")
    window.groups_nav.remove_tag_action.trigger()
    assert window.statusBar().currentMessage() == \
        "Removed the tag “Trade fair” from 1 contact."
    with db.reading() as s:
        assert find_ids(s, CONTACT, "trade fair", strict=True) == [people["Brown"]]


def test_change_field_with_preview_and_one_confirmation(qtbot, window_alone, db, people,
                                                        dialogs, monkeypatch, pictures):
    window = window_alone
    window.contacts.list.selectAll()
    seen: list[BulkEditDialog] = []

    def run(dialog):  # the user picks Status, types Customer, looks, clicks Change
        seen.append(dialog)
        dialog.set_field("status")
        dialog.set_value("Customer")
        assert dialog.summary.text() == ("6 contacts will change. "
                                         "2 have this value already.")
        assert dialog.table.rowCount() == 6
        assert [dialog.table.item(0, c).text() for c in range(3)] == [
            "John Brown", "Lead", "Customer"]
        assert dialog.ok_button.text() == "Change 6 Contacts…"
        dialog.show()
        qtbot.waitExposed(dialog)
        pictures.grab(dialog, "bulk_edit_dialog")
        dialog.set_field("country")
        dialog.set_value("Atlantis")  # no country: said, and no button
        assert "'Atlantis' is not a country" in dialog.summary.text()
        assert not dialog.ok_button.isEnabled()
        dialog.set_field("status")
        dialog.set_value("customer")
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(BulkEditDialog, "exec", run)
    window.groups_nav.change_field_action.trigger()
    assert dialogs.asked == [("Change Field", "Change 6 contacts?")]
    assert window.statusBar().currentMessage() == "Changed 6 contacts."
    assert {get_contact(db, i).status for i in people.values()} == {"Customer"}
    col = window.contacts.model.column_of("status")
    qtbot.waitUntil(lambda: {window.contacts.model.data(window.contacts.model.index(r, col))
                             for r in range(8)} == {"Customer"}, timeout=5000)


def test_change_field_of_many_runs_as_a_job(qtbot, window_alone, db, people, dialogs,
                                            monkeypatch):
    monkeypatch.setattr(groups_nav, "BULK_AT_ONCE", 2)  # "many", for a quick test
    window = window_alone
    window.contacts.list.selectAll()

    def run(dialog):
        dialog.set_field("job_title")
        dialog.set_value("Buyer")
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(BulkEditDialog, "exec", run)
    window.groups_nav.change_field_action.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Changed 8 contacts.",
                    timeout=10000)
    assert {get_contact(db, i).job_title for i in people.values()} == {"Buyer"}


def test_change_field_refusals_and_cancel(qtbot, window_alone, db, people, dialogs,
                                          monkeypatch, pictures):
    window = window_alone
    window.contacts.list.selectAll()
    dialogs.answers.append(False)  # "Change 7 contacts?" - Cancel

    def run(dialog):
        dialog.set_field("city")
        dialog.clear_box.setChecked(True)
        # Whose only address holds just the city would be left with an empty one.
        assert dialog.refused_table.rowCount() == 7
        assert dialog.refused_table.item(0, 1).text() == "The address would have no street, city, region or postcode."
        assert not dialog.ok_button.isEnabled()
        dialog.show()
        qtbot.waitExposed(dialog)
        pictures.grab(dialog, "bulk_edit_refused")
        dialog.clear_box.setChecked(False)
        dialog.set_value("Riga")
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(BulkEditDialog, "exec", run)
    window.groups_nav.change_field_action.trigger()
    assert dialogs.asked == [("Change Field", "Change 8 contacts?")]
    assert get_contact(db, people["Smith"]).addresses[0].city == "Boston"  # nothing changed


def test_read_only_file_offers_no_group_writes(qtbot, make_window, db, people, tmp_path):
    from crmdesk.core.storage.database import Database

    with db.session() as s:
        groups.save_lookup_group(s, "Boston", "city:boston")
    path = db.path
    db.close()
    readonly = Database.open(path, readonly=True)
    try:
        window = make_window(readonly, stand_ins=True)
        nav = window.groups_nav
        wait_counted(qtbot, window, [("Boston", "2")])
        window.contacts.list.selectAll()
        nav.tree.setCurrentItem(nav.tree.topLevelItem(0))
        window.search_box.setText("acme")
        nav.update_actions()
        for action in (nav.save_search_action, nav.new_static_action, nav.rename_action,
                       nav.delete_action, nav.add_tag_action, nav.change_field_action):
            assert not action.isEnabled(), action.text()
        window.close()
    finally:
        readonly.close()


def test_a_group_saved_by_crmdesk_groups_shows_up(qtbot, window_alone, db, people, capsys):
    from crmdesk.cli.main import main

    window = window_alone
    assert main(["groups", "save", "Boston", "--lookup", "city:boston",
                 "--db", str(db.path)]) == 0  # beside the window, as a script runs it
    assert main(["tag", "--lookup", "group:Boston", "--add", "east", "--db",
                 str(db.path)]) == 0
    capsys.readouterr()
    assert window.check_outside()
    wait_counted(qtbot, window, [("Boston", "2")])


def test_another_file_shows_its_own_groups(qtbot, window_alone, db, people, tmp_path):
    with db.session() as s:
        groups.save_lookup_group(s, "Boston", "city:boston")
    window = window_alone
    window.groups_nav.reload()
    wait_counted(qtbot, window, [("Boston", "2")])
    first = db.path
    assert window.switch_database(str(tmp_path / "other.crmdesk"), create=True)
    wait_counted(qtbot, window, [])
    assert window.groups_nav.empty_hint.isVisibleTo(window)
    assert window.switch_database(str(first), create=False)
    wait_counted(qtbot, window, [("Boston", "2")])


def test_the_selection_panel_offers_change_field_and_add_to_group(
        qtbot, window_alone, db, people, dialogs, monkeypatch):
    """With several contacts selected the panel's buttons do what the Groups menu does."""
    window = window_alone
    nav = window.groups_nav
    with db.session() as s:
        groups.create_static_group(s, "Christmas cards")
    nav.reload()
    wait_counted(qtbot, window, [("Christmas cards", "0")])
    window.search_box.setText("acme")
    window.apply_search()
    qtbot.waitUntil(lambda: window.contacts.model.rowCount() == 2, timeout=5000)
    window.contacts.list.selectAll()
    panel = window.contacts.selection_panel
    qtbot.waitUntil(lambda: window.contacts.detail.currentWidget() is panel, timeout=5000)
    assert panel.change_field_button.isVisible() and panel.group_button.isVisible()
    # Add to Group ▸ Christmas cards
    assert panel.group_button.menu() is nav.add_to_menu
    nav._fill_add_menu()  # what showing the button's menu does
    [christmas] = [a for a in nav.add_to_menu.actions() if a.text() == "Christmas cards"]
    christmas.trigger()
    wait_counted(qtbot, window, [("Christmas cards", "2")])

    def run(dialog):
        dialog.set_field("department")
        dialog.set_value("Purchasing")
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(BulkEditDialog, "exec", run)
    qtbot.mouseClick(panel.change_field_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Changed 2 contacts.",
                    timeout=10000)
    assert {get_contact(db, people[k]).department for k in ("Brown", "Smith")} == \
        {"Purchasing"}
