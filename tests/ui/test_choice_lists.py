"""Editing the status and source lists: every change saved at once, nothing lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crmdesk.core.contacts.records import ContactData, create_contact, get_contact
from crmdesk.core.lists.choices import list_choices
from crmdesk.core.storage.models import SOURCE, STATUS
from crmdesk.ui.lists.choice_lists import ChoiceCombo, ChoiceListDialog


@pytest.fixture
def dialog(qtbot, db):
    widget = ChoiceListDialog(db, STATUS)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def names(db, kind=STATUS, hidden=True):
    with db.reading() as s:
        return [c.name for c in list_choices(s, kind, include_archived=hidden)]


def entry_id(db, name, kind=STATUS):
    with db.reading() as s:
        return next(c.id for c in list_choices(s, kind, include_archived=True) if c.name == name)


def test_add_rename_move_and_hide(qtbot, db, dialog):
    new_id = dialog.add_entry("Negotiation")
    assert names(db)[-1] == "Negotiation"
    assert dialog.tree.currentItem().text(0) == "Negotiation"
    assert dialog.rename_entry(new_id, "Negotiating")
    dialog.move_entry(new_id, -1)
    assert names(db)[-2] == "Negotiating"
    dialog.set_hidden(new_id, True)
    assert "Negotiating" not in names(db, hidden=False)
    assert dialog.hide_button.text() == "Show again"
    dialog.set_hidden(new_id, False)
    assert "Negotiating" in names(db, hidden=False)


def test_duplicate_and_empty_names_are_refused_plainly(qtbot, db, dialog, dialogs):
    lead = entry_id(db, "Lead")
    assert dialog.rename_entry(lead, "customer") is False
    assert "already has an entry" in dialogs.errors[-1][0]
    assert names(db)[0] == "Lead"
    assert dialog.add_entry("  ") is None
    assert dialogs.errors[-1][0] == "An entry of a list needs a name."


def test_renaming_inline_renames_it_on_every_contact(qtbot, db, dialog):
    cid = create_contact(db, ContactData(given_name="Anna", status="Lead"))
    dialog.reload()
    item = dialog.tree.topLevelItem(0)
    assert item.text(1) == "1"  # one contact has it
    item.setText(0, "Enquiry")  # as the item editor commits it
    qtbot.waitUntil(lambda: names(db)[0] == "Enquiry")
    assert get_contact(db, cid).status == "Enquiry"


def test_add_button_edits_a_new_row(qtbot, db, dialog):
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    item = dialog.tree.currentItem()
    assert item.text(0) == "" and dialog.tree.isPersistentEditorOpen(item) is False
    item.setText(0, "Dormant")
    qtbot.waitUntil(lambda: "Dormant" in names(db))


def test_buttons_follow_the_selection(qtbot, db, dialog):
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    assert not dialog.up_button.isEnabled() and dialog.down_button.isEnabled()
    first = dialog.entries()[0][0]
    qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)
    assert dialog.entries()[1][0] == first
    qtbot.mouseClick(dialog.hide_button, Qt.MouseButton.LeftButton)
    assert dialog.entries()[1][2] is True


def test_combo_lists_active_entries_and_edit_list(qtbot, db):
    combo = ChoiceCombo(db, SOURCE)
    qtbot.addWidget(combo)
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts[0] == "(none)" and texts[-1] == "Edit list…"
    assert "Referral" in texts
    with qtbot.waitSignal(combo.changed):
        combo.setCurrentIndex(combo.findText("Referral"))
    assert combo.value() == "Referral"
    combo.set_value("Billboard")  # not in the list: shown, not dropped
    assert combo.value() == "Billboard" and "Billboard" in combo.currentText()


def test_screenshot_of_the_list_editor(qtbot, db, dialog, pictures):
    create_contact(db, ContactData(given_name="Anna", status="Customer"))
    dialog.set_hidden(entry_id(db, "Former customer"), True)
    dialog.reload()
    qtbot.wait(50)
    image = pictures.grab(dialog, "choice_list_dialog")
    # The list in its order, the hidden entry marked, how many contacts use each.
    assert [(name, hidden) for _id, name, hidden in dialog.entries()] == [
        ("Lead", False), ("Prospect", False), ("Customer", False),
        ("Former customer", True), ("Partner", False), ("Supplier", False)]
    customer = dialog.tree.topLevelItem(2)
    assert (customer.text(0), customer.text(1)) == ("Customer", "1")
    pictures.assert_painted(image, dialog.tree.viewport(), dialog)
