"""A file one may look at but not change opens read-only, with a banner saying so
and no verbs that would change it; at start and from File > Open."""

from __future__ import annotations

import pytest

from crmdesk.core.errors import ReadOnlyError
from crmdesk.core.storage.database import Database
from crmdesk.ui.tasks import writes


@pytest.fixture
def read_only_db(db, people):
    path = db.path
    db.close()
    ro = Database.open(path, readonly=True)
    yield ro
    ro.close()


def test_the_banner_and_no_changing_verbs(qtbot, make_window, read_only_db, pictures):
    window = make_window(read_only_db)
    window.resize(1200, 700)
    qtbot.wait(50)
    banner = window.read_only_banner
    assert banner.isVisible()
    assert "is open read-only" in banner.text() and read_only_db.path.name in banner.text()
    for action in (window.new_action, window.delete_action, window.log_action,
                   window.fields_action, window.phone_region_action):
        assert not action.isEnabled(), action.text()
    assert window.contacts.model.rowCount() == 8  # looking and searching work
    pictures.grab(window, "read_only_banner")


def test_a_writable_file_has_no_banner(qtbot, window):
    assert not window.read_only_banner.isVisible()
    assert window.new_action.isEnabled()


def test_start_offers_to_open_it_read_only(qtbot, db, people, dialogs, monkeypatch, ui_settings):
    from crmdesk.ui.window import app

    path = str(db.path)
    db.close()
    real = writes.open_database

    def refusing(p, *, create=True, readonly=False):
        if not readonly:
            raise ReadOnlyError(f"{p} is read-only, so crmdesk cannot save to it.")
        return real(p, create=create, readonly=True)

    monkeypatch.setattr(writes, "open_database", refusing)
    dialogs.answers.append(0)  # "Open It Read-Only"
    opened = app.open_first_database(path, ui_settings)
    try:
        assert opened is not None and opened.readonly
        assert dialogs.asked[0][1].endswith("cannot save to it.")
    finally:
        if opened is not None:
            opened.close()


def test_file_open_offers_read_only(qtbot, window, tmp_path, dialogs, monkeypatch, new_db_file):
    from crmdesk.ui.window import main_window

    other = new_db_file(tmp_path / "other.crmdesk")
    real = writes.open_database

    def refusing(p, *, create=True, readonly=False):
        if not readonly:
            raise ReadOnlyError(f"{p} is read-only, so crmdesk cannot save to it.")
        return real(p, create=create, readonly=True)

    monkeypatch.setattr(main_window, "open_database", refusing)
    dialogs.answers.append(True)
    assert window.switch_database(str(other), create=False)
    assert window.db.readonly and window.read_only_banner.isVisible()
    assert not window.new_action.isEnabled()


def test_start_offers_the_newest_backup_of_a_damaged_file(qtbot, db, people, dialogs,
                                                          ui_settings):
    from crmdesk.ui.window import app

    db.back_up()  # a good backup, with the 8 people
    path = db.path
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 123])  # a copy that did not finish
    dialogs.answers.append(0)  # "Restore the Newest Backup"
    opened = app.open_first_database(str(path), ui_settings)
    try:
        assert opened is not None
        assert opened.execute_scalar("SELECT count(*) FROM contact") == 8
        title, text = dialogs.asked[0]
        assert "damaged" in text and "The newest good backup" in text
    finally:
        if opened is not None:
            opened.close()
