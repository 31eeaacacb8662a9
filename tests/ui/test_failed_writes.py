"""A write that fails (the disk full, the file made read-only while open) is rolled
back, says so plainly, and leaves the unsaved form on screen as typed."""

from __future__ import annotations

import os
import sys

import pytest
from sqlalchemy import event

from crmdesk.core.contacts.records import get_contact


def _limit_pages(db, pages):
    """Every new connection may grow the file to ``pages`` pages at most: a full disk."""

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    db.engine.dispose()  # the connections made from now on get the cap


def test_a_full_disk_keeps_the_form_as_typed(qtbot, window, db, people, dialogs):
    view = window.contacts
    assert view.show_contact(people["Smith"])
    form = view.form
    pages = db.execute_scalar("PRAGMA page_count")
    _limit_pages(db, pages + 2)
    edit = form.names.edits["given_name"]
    edit.clear()
    qtbot.keyClicks(edit, "Annette")
    form.notes.notes.setPlainText("Met at the fair. " * 5000)  # more than two pages
    assert form.save() is None
    (message, _details), = dialogs.errors
    assert "is full" in message and "Nothing of the last change was saved" in message
    assert form.is_dirty() and edit.text() == "Annette"
    assert get_contact(db, people["Smith"]).given_name == "Anna"  # rolled back
    # with room again, the same form saves what was typed
    _limit_pages(db, 1_000_000)
    assert form.save() == people["Smith"]
    assert get_contact(db, people["Smith"]).given_name == "Annette"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root writes to read-only files; Windows has no chmod 0444")
def test_a_file_made_read_only_while_open(qtbot, window, db, people, dialogs):
    view = window.contacts
    assert view.show_contact(people["Smith"])
    form = view.form
    os.chmod(db.path, 0o444)
    try:
        db.engine.dispose()
        edit = form.names.edits["given_name"]
        edit.clear()
        qtbot.keyClicks(edit, "Annette")
        assert form.save() is None
        (message, _details), = dialogs.errors
        assert "read-only" in message
        assert form.is_dirty() and edit.text() == "Annette"
    finally:
        os.chmod(db.path, 0o600)


def test_a_file_that_refuses_writes_keeps_the_form(qtbot, window, db, people, dialogs):
    """As a file made read-only under the window looks to SQLite (also as root, who may
    write to a 0444 file): every write is refused."""
    view = window.contacts
    assert view.show_contact(people["Smith"])
    form = view.form

    @event.listens_for(db.engine, "connect")
    def _read_only(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA query_only = 1")

    db.engine.dispose()
    edit = form.names.edits["given_name"]
    edit.clear()
    qtbot.keyClicks(edit, "Annette")
    assert form.save() is None
    (message, _details), = dialogs.errors
    assert "read-only" in message
    assert form.is_dirty() and edit.text() == "Annette"
    assert get_contact(db, people["Smith"]).given_name == "Anna"


def test_a_file_moved_away_while_open(qtbot, window, db, people, dialogs, tmp_path):
    """Moved (or removed) under the window: said at once, and nothing more is written
    (it would go with the moved file, unseen); the form keeps what was typed."""
    view = window.contacts
    assert view.show_contact(people["Smith"])
    moved = tmp_path / "elsewhere.crmdesk"
    db.path.rename(moved)
    assert window.check_outside() is False
    banner = window.read_only_banner
    assert banner.isVisible() and "was removed or moved while it was open" in banner.text()
    assert not window.new_action.isEnabled() and not window.save_action.isEnabled()
    form = view.form
    edit = form.names.edits["given_name"]
    edit.clear()
    qtbot.keyClicks(edit, "Annette")
    assert form.save() is None
    (message, _details), = dialogs.errors
    assert "nothing was saved" in message
    assert form.is_dirty() and edit.text() == "Annette"
