"""Edit > Merge Contacts…, Tools > Find Duplicates… and File > Undo Last Import…, as a
user drives them with the mouse and keyboard."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QDialog

from crmdesk.core.contacts.records import (
    ContactData,
    EmailData,
    PhoneData,
    create_contact,
    get_contact,
)
from crmdesk.io.contacts_in.importer import import_prepared, prepare_table
from crmdesk.io.contacts_in.mapping import suggest_mapping
from crmdesk.io.contacts_in.table import read_table
from crmdesk.ui.contacts.duplicates_dialog import DuplicatesDialog
from crmdesk.ui.contacts.merge_dialog import THAT, THIS, MergeDialog


def names(view):
    model = view.model
    col = model.column_of("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def second_ivanov(db):
    """The same person as PEOPLE's Иван Иванов, typed in Latin letters with his e-mail."""
    return create_contact(db, ContactData(
        given_name="Ivan", family_name="Ivanov", job_title="Director",
        emails=[EmailData("IVANOV@romashka.example"), EmailData("ivan@home.example")],
        phones=[PhoneData("+370 600 00009")], tags=["vip"]))


def test_the_merge_dialog_chooses_field_by_field(qtbot, window, db, people, pictures):
    other = second_ivanov(db)
    keep = people["Иванов"]
    dialog = MergeDialog(db, keep, other, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fields = set(dialog.groups)
    assert {"given_name", "family_name", "job_title"} <= fields
    assert "company" not in fields  # that one has none: nothing to choose
    # This side's value by default; that side's where this has none.
    assert dialog.groups["given_name"].checkedId() == THIS
    assert dialog.groups["job_title"].checkedId() == THAT
    assert dialog.findChild(type(dialog.groups["given_name"].button(THIS)),
                            "given_name:that").text() == "Ivan"
    kept = dialog.kept.text()
    assert "Phones: 2" in kept and "E-mails: 2" in kept and "Tags: 1" in kept
    image = pictures.grab(dialog, "merge_dialog")
    assert image.width() > 600
    # the mouse: take that side's first and last name
    that_name = dialog.groups["given_name"].button(THAT)
    qtbot.mouseClick(that_name, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, that_name.height() // 2))  # on its circle
    assert not dialog.groups["job_title"].button(THIS).isEnabled()  # (empty): no choice
    dialog.choose("family_name", THAT)
    assert dialog.prefer_other() == {"given_name", "family_name", "job_title"}
    dialog.merge_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    merged = get_contact(db, keep)
    assert (merged.given_name, merged.family_name, merged.company, merged.job_title) == (
        "Ivan", "Ivanov", "ООО Ромашка", "Director")
    assert len(merged.emails) == 2 and merged.tags == ["vip"]
    assert "Merged with Ivan Ivanov" in merged.notes
    assert get_contact(db, other).deleted_at is not None
    window.broadcast(dialog.changes)
    qtbot.waitUntil(lambda: "Ivan Ivanov" in names(window.contacts), timeout=5000)
    assert names(window.contacts).count("Ivan Ivanov") == 1


def test_keep_that_one_instead_swaps_the_sides(qtbot, window, db, people):
    other = second_ivanov(db)
    dialog = MergeDialog(db, people["Иванов"], other, window)
    qtbot.addWidget(dialog)
    dialog.swap_button.click()
    assert (dialog.plan.keep, dialog.plan.other) == (other, people["Иванов"])
    dialog.merge_button.click()
    assert get_contact(db, people["Иванов"]).deleted_at is not None
    assert get_contact(db, other).company == "ООО Ромашка"


def test_edit_merge_contacts_takes_the_two_selected(qtbot, window, db, people, dialogs,
                                                    monkeypatch):
    view = window.contacts
    qtbot.waitUntil(lambda: len(names(view)) == 8, timeout=5000)
    window.merge_action.trigger()  # one selected: it says how
    assert dialogs.asked[-1][0] == "Merge Contacts"
    assert "Select the two contacts" in dialogs.asked[-1][1]
    shown = names(view)
    rows = [shown.index("Anna Smith"), shown.index("John Brown")]
    selection = view.list.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(view.list.model().index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    seen = []

    def drive(dialog):
        seen.append((dialog.plan.keep_name, dialog.plan.other_name))
        dialog.merge_button.click()
        return dialog.result()

    monkeypatch.setattr(MergeDialog, "exec", drive)
    window.merge_action.trigger()
    assert sorted(seen[0]) == ["Anna Smith", "John Brown"]
    qtbot.waitUntil(lambda: len(names(view)) == 7, timeout=5000)
    assert "Merged with" in window.statusBar().currentMessage()


def test_find_duplicates_lists_pairs_and_merges_one(qtbot, window, db, people, monkeypatch,
                                                    pictures):
    other = second_ivanov(db)
    dialog = DuplicatesDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.scanned, timeout=10000)
    assert dialog.table.rowCount() == 1
    cells = [dialog.table.item(0, c).text() for c in range(4)]
    assert cells[1] == f"Иван Иванов ({people['Иванов']})"
    assert cells[2] == f"Ivan Ivanov ({other})"
    assert "the same e-mail" in cells[3] and int(cells[0]) >= 90
    assert dialog.status.text().startswith("1 pair of contacts may be one person.")
    pictures.grab(dialog, "duplicates_dialog")

    def drive(merge):
        merge.merge_button.click()
        return merge.result()

    monkeypatch.setattr(MergeDialog, "exec", drive)
    rect = dialog.table.visualItemRect(dialog.table.item(0, 1))
    viewport = dialog.table.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=5000)
    assert get_contact(db, other).deleted_at is not None
    qtbot.waitUntil(lambda: len(names(window.contacts)) == 8, timeout=5000)


def test_no_duplicates_says_so(qtbot, window, db, people):
    dialog = DuplicatesDialog(window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.scanned, timeout=10000)
    assert dialog.status.text() == "No two contacts look like one person."
    assert not dialog.merge_button.isEnabled()


def an_import(db, text, policy="create", source="more.csv"):
    table = read_table(text.encode(), "csv")
    return import_prepared(db, prepare_table("csv", table,
                                             suggest_mapping(table.header, table.rows)),
                           on_duplicate=policy, source=source, backup=False)


def test_undo_last_import_asks_once_then_takes_it_back(qtbot, window, db, people, dialogs):
    an_import(db, "First Name,Last Name,E-mail Address,Job Title\n"
                  "New,Person,new@example.lt,\n"
                  "Anna,Smith,anna@acme.example,Buyer\n", policy="update")
    window.refresh_all()
    view = window.contacts
    qtbot.waitUntil(lambda: len(names(view)) == 9, timeout=5000)
    assert get_contact(db, people["Smith"]).job_title == "Buyer"
    window.undo_import_action.trigger()
    title, question = dialogs.asked[-1]
    assert title == "Undo Last Import"
    assert question.startswith("Undo the import of more.csv on ")
    qtbot.waitUntil(lambda: len(names(view)) == 8, timeout=5000)
    assert get_contact(db, people["Smith"]).job_title == ""
    assert "Undid the import of more.csv." in window.statusBar().currentMessage()
    # nothing left to undo: it says so, and asks nothing
    asked = len(dialogs.asked)
    window.undo_import_action.trigger()
    assert dialogs.asked[asked:] == [("Undo Last Import",
                                      "There is no import to undo in this file.")]


def test_undo_last_import_can_be_declined(qtbot, window, db, people, dialogs):
    an_import(db, "First Name,Last Name\nNew,Person\n")
    dialogs.answers.append(False)
    window.undo_import_action.trigger()
    qtbot.wait(100)
    assert not window.operations.busy()
    with db.reading() as s:
        from crmdesk.core.contacts.import_batches import last_batch

        assert last_batch(s) is not None


def test_undo_says_what_was_edited_since(qtbot, window, db, people, dialogs):
    from crmdesk.core.contacts.records import update_contact

    an_import(db, "First Name,Last Name,E-mail Address,Job Title,Department\n"
                  "Anna,Smith,anna@acme.example,Buyer,Sales\n", policy="update")
    data = get_contact(db, people["Smith"])
    data.job_title = "CEO"
    update_contact(db, people["Smith"], data, original=get_contact(db, people["Smith"]))
    window.undo_import_action.trigger()
    qtbot.waitUntil(lambda: dialogs.asked[-1][1] == "1 contact was edited after the import.",
                    timeout=5000)
    after = get_contact(db, people["Smith"])
    assert (after.job_title, after.department) == ("CEO", "")
