"""File > Restore from a Backup: the backups listed with date, size and contacts,
and one put back in the place of the open file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from crmdesk.core.contacts.records import ContactData, count_contacts, create_contact
from crmdesk.core.storage.backups import list_backups
from crmdesk.ui.tasks.writes import run_on_writer
from crmdesk.ui.window import restore_dialog
from crmdesk.ui.window.restore_dialog import RestoreDialog, offer_restore


@pytest.fixture(autouse=True)
def backup_root(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "backups"
    monkeypatch.setenv("CRMDESK_BACKUP_DIR", str(root))
    return root


def contacts_in(db) -> int:
    with db.reading() as s:
        return count_contacts(s)


def table_rows(dialog: RestoreDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_the_backups_are_listed_with_date_size_and_contacts(qtbot, db, people):
    first = run_on_writer(lambda: db.back_up())
    run_on_writer(lambda: create_contact(db, ContactData(given_name="Nine")))
    second = run_on_writer(lambda: db.back_up())
    dialog = RestoreDialog(list_backups(db.path), db.path.name)
    qtbot.addWidget(dialog)
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(4)]
    assert headers == ["Date", "Size", "Contacts", "Made"]
    rows = table_rows(dialog)
    assert [r[2] for r in rows] == ["9", "8"]  # newest first
    assert all(r[3] == "On demand" for r in rows)
    assert all(r[0] and r[1] for r in rows)
    assert dialog.table.item(0, 0).toolTip() == str(second.path)
    assert dialog.table.item(1, 0).toolTip() == str(first.path)
    # The newest is chosen to begin with; Restore is on.
    assert dialog.chosen().path == second.path
    assert dialog.restore_button.isEnabled()


def test_a_damaged_backup_is_shown_but_cannot_be_chosen(qtbot, db, people):
    good = run_on_writer(lambda: db.back_up())
    bad = run_on_writer(lambda: db.back_up())
    bad.path.write_text("not a backup")
    dialog = RestoreDialog(list_backups(db.path), db.path.name)
    qtbot.addWidget(dialog)
    rows = table_rows(dialog)
    assert [r[2] for r in rows] == ["damaged", "8"]
    assert dialog.chosen().path == good.path  # the damaged one was passed over
    dialog.table.selectRow(0)  # the damaged row: nothing chosen, Restore off
    assert dialog.chosen() is None
    assert not dialog.restore_button.isEnabled()


def test_no_backups_yet_says_so(qtbot, db):
    dialog = RestoreDialog([], db.path.name)
    qtbot.addWidget(dialog)
    assert "There are no backups of contacts.crmdesk yet" in dialog.intro.text()
    assert dialog.table.isHidden()
    assert not dialog.restore_button.isEnabled()
    assert dialog.chosen() is None


def accept_dialog(monkeypatch, answer=QDialog.DialogCode.Accepted):
    monkeypatch.setattr(restore_dialog.RestoreDialog, "exec", lambda self: answer)


def test_file_restore_puts_the_backup_back(qtbot, window_alone, db, people, dialogs,
                                           monkeypatch):
    window = window_alone
    run_on_writer(lambda: db.back_up())
    run_on_writer(lambda: create_contact(db, ContactData(given_name="Later", family_name="Added")))
    accept_dialog(monkeypatch)
    offer_restore(window)
    title, text = dialogs.asked[-1]
    assert title == "Restore from a Backup"
    assert "(8 contacts)" in text and "contacts.crmdesk" in text
    qtbot.waitUntil(lambda: not window.operations.busy(), timeout=10000)
    assert contacts_in(db) == 8
    assert "Restored the backup of" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.count_label.text() == "8 contacts", timeout=5000)
    # The file as it was, with the ninth contact, is a backup now.
    reasons = {b.reason: b.contacts for b in list_backups(db.path)}
    assert reasons == {"manual": 8, "before-restore": 9}
    assert dialogs.errors == []


def test_cancel_or_no_changes_nothing(qtbot, window_alone, db, people, dialogs, monkeypatch):
    window = window_alone
    run_on_writer(lambda: db.back_up())
    run_on_writer(lambda: create_contact(db, ContactData(given_name="Kept")))
    accept_dialog(monkeypatch, QDialog.DialogCode.Rejected)
    offer_restore(window)
    assert dialogs.asked == []
    accept_dialog(monkeypatch)
    dialogs.answers.append(False)  # "Restore?" - Cancel
    offer_restore(window)
    assert not window.operations.busy()
    assert contacts_in(db) == 9
    assert [b.reason for b in list_backups(db.path)] == ["manual"]


def test_the_file_menu_offers_it(window_alone, dialogs, monkeypatch):
    window = window_alone
    file_menu = window.menuBar().actions()[0].menu()
    assert window.restore_action in file_menu.actions()
    assert window.restore_action.text() == "Restore from a &Backup…"
    shown = []
    monkeypatch.setattr(restore_dialog.RestoreDialog, "exec",
                        lambda self: shown.append(self.intro.text()) or 0)
    window.restore_action.trigger()
    assert shown and "There are no backups of contacts.crmdesk yet" in shown[0]
    assert dialogs.asked == []


@pytest.fixture
def damaged_with_backup(tmp_path, new_db_file):
    """Another file, backed up with 2 contacts, then cut short."""
    from crmdesk.core.errors import NotADatabaseError
    from crmdesk.core.storage.database import Database

    path = new_db_file(tmp_path / "shop.crmdesk")

    def fill() -> None:
        with Database.open(path, backup=False) as other:
            for name in ("Rūta", "Мария"):
                create_contact(other, ContactData(given_name=name, family_name="Shop"))
            other.back_up()

    run_on_writer(fill)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(NotADatabaseError) as err:
        Database.open(path)
    return path, err.value


def test_a_damaged_file_is_offered_its_newest_good_backup(window_alone, dialogs,
                                                         damaged_with_backup):
    window = window_alone
    path, error = damaged_with_backup
    cut = path.read_bytes()
    dialogs.answers.append(0)  # Restore the Newest Backup
    assert restore_dialog.offer_newest_backup(window, path, error)
    title, text = dialogs.asked[-1]
    assert title == "Damaged File" and "is damaged" in text
    assert window.db.path == path
    assert contacts_in(window.db) == 2
    assert dialogs.errors == []
    kept = [b.path for b in list_backups(path) if b.reason == "damaged"]
    assert len(kept) == 1 and kept[0].read_bytes() == cut


def test_the_offer_can_be_declined(window_alone, db, dialogs, damaged_with_backup):
    window = window_alone
    path, error = damaged_with_backup
    cut = path.read_bytes()
    dialogs.answers.append(1)  # Cancel
    assert restore_dialog.offer_newest_backup(window, path, error)
    assert window.db is db
    assert path.read_bytes() == cut


def test_nothing_is_offered_without_a_backup(window_alone, dialogs, tmp_path):
    from crmdesk.core.errors import NotADatabaseError
    from crmdesk.core.storage.database import Database

    path = tmp_path / "notes.crmdesk"
    path.write_text("just some notes")
    with pytest.raises(NotADatabaseError) as err:
        Database.open(path)
    assert not restore_dialog.offer_newest_backup(window_alone, path, err.value)
    assert dialogs.asked == []


def test_opening_a_damaged_file_offers_its_backup(window_alone, dialogs, damaged_with_backup):
    window = window_alone
    path, _error = damaged_with_backup
    dialogs.answers.append(0)  # Restore the Newest Backup
    assert window.switch_database(str(path), create=False)
    assert dialogs.asked[-1][0] == "Damaged File"
    assert window.db.path == path and contacts_in(window.db) == 2
    assert dialogs.errors == []


def test_how_many_backups_are_kept_is_the_files_own(qtbot, window_alone, db, monkeypatch,
                                                    pictures):
    from crmdesk.core.storage.backups import ROTATION_SETTING, Rotation
    from crmdesk.core.storage.settings import get_setting

    window = window_alone
    shown = []

    def exec_(dialog):
        shown.append(dialog)
        assert dialog.rotation() == Rotation()  # 7 days, 4 weeks, 12 months at first
        dialog.keep_boxes[0].setValue(14)
        dialog.keep_boxes[2].setValue(24)
        pictures.grab(dialog, "restore_keep")
        return QDialog.DialogCode.Rejected  # closing the list keeps the new numbers

    monkeypatch.setattr(RestoreDialog, "exec", exec_)
    offer_restore(window)
    with db.reading() as s:
        assert get_setting(s, ROTATION_SETTING) == "14,4,24"
    monkeypatch.setattr(RestoreDialog, "exec",
                        lambda dialog: shown.append(dialog) or QDialog.DialogCode.Rejected)
    offer_restore(window)
    assert shown[-1].rotation() == Rotation(14, 4, 24)
