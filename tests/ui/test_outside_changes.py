"""What another process writes to the open file shows in the window: the list, the
open form (unless it holds unsaved typing) and the one- and two-letter search."""

from __future__ import annotations

import sqlite3

from crmdesk.core.storage.outside import OutsideChanges


def names(view):
    model = view.model
    col = model.column_of("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def outside_rename(db, contact_id, given):
    """A commit by another connection, as another process makes it."""
    conn = sqlite3.connect(db.path)
    try:
        conn.execute("UPDATE contact SET given_name = ?, display_name = ? || ' ' || "
                     "family_name WHERE id = ?", (given, given, contact_id))
        conn.execute("UPDATE search_row SET name_text = lower(?) || ' ' || "
                     "(SELECT lower(family_name) FROM contact WHERE id = ?) "
                     "WHERE contact_id = ?", (given, contact_id, contact_id))
        conn.commit()
    finally:
        conn.close()


def test_the_watch_tells_outside_commits_from_its_own(db, people):
    watch = OutsideChanges(db)
    assert watch.poll() is False
    outside_rename(db, people["Smith"], "Zed")
    assert watch.poll() is True and watch.poll() is False
    # the window's own commit is not taken for another process's
    from crmdesk.core.contacts.records import get_contact, update_contact

    data = get_contact(db, people["Smith"])
    data.given_name = "Ann"
    update_contact(db, people["Smith"], data)
    assert watch.poll() is False
    watch.close()
    assert watch.poll() is False  # closed: asks nothing


def test_the_window_shows_what_another_process_wrote(qtbot, window, db, people):
    view = window.contacts
    assert "Anna Smith" in names(view)
    assert view.show_contact(people["Smith"])
    generation = db.generation
    outside_rename(db, people["Smith"], "Zelda")
    qtbot.waitUntil(lambda: "Zelda Smith" in names(view), timeout=5000)  # the timer's poll
    assert db.generation > generation  # the in-memory search texts are read again
    assert view.form.names.edits["given_name"].text() == "Zelda"  # a clean form follows
    assert "changed by another program" in window.statusBar().currentMessage()
    # a one-letter search finds the new name from the texts read again
    window.focus_search()
    qtbot.keyClicks(window.search_box, "ze")
    qtbot.waitUntil(lambda: names(view) == ["Zelda Smith"], timeout=5000)


def test_unsaved_typing_is_kept(qtbot, window, db, people):
    view = window.contacts
    assert view.show_contact(people["Smith"])
    edit = view.form.names.edits["given_name"]
    edit.clear()
    qtbot.keyClicks(edit, "Annette")
    assert view.form.is_dirty()
    outside_rename(db, people["Smith"], "Zelda")
    assert window.check_outside()
    assert edit.text() == "Annette" and view.form.is_dirty()


def test_switching_files_leaves_nothing_beside_the_old_one(qtbot, window, db, tmp_path,
                                                           new_db_file):
    old = db.path
    other = new_db_file(tmp_path / "other.crmdesk")
    assert window.switch_database(str(other), create=False)
    beside = sorted(p.name for p in old.parent.iterdir() if p.name.startswith(old.name))
    assert beside == [old.name]  # no -wal, -shm or .lock left by the watch
