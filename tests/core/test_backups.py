"""Backups: made with SQLite's backup API, verified, rotated, listed, restored."""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crmdesk.core.contacts.records import ContactData, EmailData, PhoneData, create_contact
from crmdesk.core.errors import AlreadyOpenError, DatabaseFileError
from crmdesk.core.storage import backups
from crmdesk.core.storage.backups import BackupError, list_backups, rotate, to_keep
from crmdesk.core.storage.database import Database, restore_backup


@pytest.fixture(autouse=True)
def backup_root(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "backups"
    monkeypatch.setenv(backups.BACKUP_DIR_ENV, str(root))
    return root


def dump(path: Path) -> list[str]:
    """Every table's rows and the schema, as SQL text: equal dumps, equal data."""
    conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def add_people(db: Database, *names: str) -> None:
    for name in names:
        create_contact(db, ContactData(given_name=name, family_name="Иванова",
                                       phones=[PhoneData("+7 495 123-45-67")],
                                       emails=[EmailData(f"{name.lower()}@example.ru")],
                                       company="ООО Ромашка", notes="заметка " * 20))


def reasons(db_path: Path) -> list[str]:
    return [b.reason for b in list_backups(db_path)]


def test_a_backup_then_a_restore_give_identical_data(db_path, new_db_file):
    new_db_file(db_path)
    with Database.open(db_path, backup=False) as db:
        add_people(db, "Мария", "Анна", "Rūta")
        before = dump(db_path)
        info = db.back_up()
        assert info.contacts == 3 and info.reason == "manual"
        add_people(db, "Later")
    assert dump(db_path) != before
    restored = restore_backup(db_path, info.path)
    assert restored.contacts == 3
    assert dump(db_path) == before
    # The file as it was before the restore is kept, and is itself whole.
    assert restored.kept is not None
    assert backups.verify(restored.kept) == 4
    with Database.open(db_path) as db:
        assert db.execute_scalar("SELECT count(*) FROM contact") == 3
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["backups", db_path.name]


def test_a_backup_is_verified_owner_only_and_listed(db, backup_root):
    add_people(db, "Мария", "Анна")
    info = db.back_up()
    assert info.path.parent.parent == backup_root
    assert info.path.name.startswith("contacts-") and info.path.name.endswith("-manual.crmdesk")
    if os.name == "posix":
        assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert backups.verify(info.path) == 2
    listed = list_backups(db.path)
    assert [(b.path, b.contacts, b.size) for b in listed] == [
        (info.path, 2, info.path.stat().st_size)]
    assert abs(listed[0].made - datetime.now()) < timedelta(minutes=1)
    # Nothing is left half-written beside it.
    assert [p.name for p in info.path.parent.iterdir()] == [info.path.name]


def test_two_files_with_the_same_name_have_their_own_backups(tmp_path, new_db_file):
    one = new_db_file(tmp_path / "contacts.crmdesk")
    (tmp_path / "other").mkdir()
    two = new_db_file(tmp_path / "other" / "contacts.crmdesk")
    for path in (one, two):
        with Database.open(path, backup=False) as db:
            add_people(db, "Мария")
            db.back_up()
    assert len(list_backups(one)) == len(list_backups(two)) == 1
    assert list_backups(one)[0].path != list_backups(two)[0].path


def test_a_backup_to_a_chosen_file_never_overwrites(db, tmp_path):
    add_people(db, "Мария")
    target = tmp_path / "copy for the accountant.crmdesk"
    info = db.back_up(to=target)
    assert info.path == target and info.contacts == 1
    assert backups.verify(target) == 1
    with pytest.raises(BackupError) as err:
        db.back_up(to=target)
    assert "already exists" in err.value.message
    with pytest.raises(BackupError):
        db.back_up(to=db.path)
    assert list_backups(db.path) == []  # a chosen file is not in the rotation


def test_a_file_opened_only_to_read_can_be_backed_up(db_path, new_db_file):
    new_db_file(db_path)
    with Database.open(db_path, backup=False) as db:
        add_people(db, "Мария")
    with Database.open(db_path, readonly=True) as reader:
        assert reader.back_up().contacts == 1


def test_the_first_open_of_the_day_backs_up_a_file_with_contacts(db_path, new_db_file):
    new_db_file(db_path)
    with Database.open(db_path):
        pass
    assert reasons(db_path) == []  # nothing in it yet: nothing to back up
    with Database.open(db_path, backup=False) as db:
        add_people(db, "Мария")
    with Database.open(db_path):
        pass
    assert reasons(db_path) == ["daily"]
    with Database.open(db_path):
        pass
    with Database.open(db_path, readonly=True):
        pass
    assert reasons(db_path) == ["daily"]


def test_close_after_changes_backs_up(db_path, new_db_file, monkeypatch):
    new_db_file(db_path)
    with Database.open(db_path) as db:
        add_people(db, "Мария")
    assert reasons(db_path) == ["close"]
    assert list_backups(db_path)[0].contacts == 1
    with Database.open(db_path) as db, db.reading() as s:
        s.execute(sqlite_text("SELECT count(*) FROM contact"))
    assert reasons(db_path) == ["close"]  # nothing changed, no new backup (and the
    # file was backed up today already)
    with Database.open(db_path) as db:
        add_people(db, "Анна")
    # A second change within a few minutes: not backed up again on close.
    assert reasons(db_path) == ["close"]
    from crmdesk.core.storage import database

    monkeypatch.setattr(database, "CLOSE_QUIET", timedelta(0))
    with Database.open(db_path) as db:
        add_people(db, "Rūta")
    assert reasons(db_path) == ["close", "close"]
    assert list_backups(db_path)[0].contacts == 3


def sqlite_text(sql: str):
    from sqlalchemy import text

    return text(sql)


def test_a_failed_backup_does_not_keep_the_file_from_opening(db_path, new_db_file,
                                                             backup_root):
    new_db_file(db_path)
    with Database.open(db_path, backup=False) as db:
        add_people(db, "Мария")
    backup_root.write_text("a file where the folder should be")
    with Database.open(db_path) as db:
        assert db.execute_scalar("SELECT count(*) FROM contact") == 1


# -- rotation ---------------------------------------------------------------------


def test_rotation_keeps_the_last_days_weeks_and_months():
    end = datetime(2026, 12, 5, 12, 0)  # a Saturday
    made = [end - timedelta(days=d) for d in range(400)]
    kept = sorted(made[i].date().isoformat() for i in to_keep(made))
    days = [f"2026-11-{d}" for d in range(29, 31)] + [f"2026-12-0{d}" for d in range(1, 6)]
    weeks = ["2026-11-15", "2026-11-22", "2026-11-29"]  # Sundays, each its week's newest
    months = ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31",
              "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31",
              "2026-11-30"]
    assert kept == sorted(set(days + weeks + months))


def test_rotation_keeps_the_newest_few_of_one_day():
    end = datetime(2026, 12, 5, 18, 0)
    made = [end - timedelta(minutes=10 * i) for i in range(20)]
    assert to_keep(made) == set(range(backups.KEEP_LAST))


def test_rotate_removes_only_backups_rotation_does_not_keep(tmp_path):
    folder = tmp_path / "contacts-0123456789"
    folder.mkdir()
    end = datetime(2026, 12, 5, 12, 0)
    for d in range(60):
        stamp = (end - timedelta(days=d)).strftime("%Y-%m-%d_%H%M%S")
        (folder / f"contacts-{stamp}-daily.crmdesk").write_bytes(b"")
    (folder / "my notes.txt").write_text("keep me")
    (folder / "contacts-old.crmdesk").write_bytes(b"")
    removed = rotate(folder)
    left = sorted(p.name for p in folder.iterdir())
    assert "my notes.txt" in left and "contacts-old.crmdesk" in left
    assert len(removed) == 60 - (len(left) - 2)
    assert "contacts-2026-12-05_120000-daily.crmdesk" in left
    assert "contacts-2026-10-31_120000-daily.crmdesk" in left  # October's newest
    assert "contacts-2026-10-30_120000-daily.crmdesk" not in left


def test_making_backups_rotates_the_folder(db, monkeypatch):
    add_people(db, "Мария")
    start = datetime(2026, 1, 1, 9, 0)
    for day in range(40):
        backups.make_backup(db.engine.raw_connection().driver_connection, db.path, "daily",
                            now=start + timedelta(days=day))
    assert len(list_backups(db.path)) == len(to_keep(
        [start + timedelta(days=d) for d in reversed(range(40))]))


# -- restoring --------------------------------------------------------------------


@pytest.fixture
def backed_up(db_path, new_db_file):
    new_db_file(db_path)
    with Database.open(db_path, backup=False) as db:
        add_people(db, "Мария", "Анна")
        info = db.back_up()
    return db_path, info.path


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "cut":
        path.write_bytes(data[: len(data) // 2])
    elif how == "page zeroed":
        path.write_bytes(data[:4096] + bytes(4096) + data[8192:])
    elif how == "text":
        path.write_text("not a backup at all\n")
    elif how == "newer":
        path.write_bytes(data[:60] + struct.pack(">i", 999) + data[64:])


@pytest.mark.parametrize("how", ["cut", "page zeroed", "text", "newer"])
def test_a_damaged_backup_is_refused_and_nothing_changes(backed_up, how):
    db_path, backup = backed_up
    damage(backup, how)
    before = db_path.read_bytes()
    listed = list_backups(db_path)
    with pytest.raises(BackupError) as err:
        restore_backup(db_path, backup)
    message = err.value.message
    assert str(backup) in message and "nothing was restored" in message.lower()
    assert db_path.read_bytes() == before
    assert list_backups(db_path) == listed  # not even a safety copy was needed
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["backups", db_path.name]


def test_a_damaged_backup_is_listed_without_a_count(backed_up):
    db_path, backup = backed_up
    damage(backup, "text")
    assert [b.contacts for b in list_backups(db_path)] == [None]


def test_restore_waits_for_nobody_it_refuses_while_the_file_is_open(backed_up):
    db_path, backup = backed_up
    with Database.open(db_path, backup=False) as db:
        with pytest.raises(AlreadyOpenError) as err:
            restore_backup(db_path, backup)
        assert "Close it there" in err.value.message
        add_people(db, "Still")
    with Database.open(db_path, readonly=True) as db:
        assert db.execute_scalar("SELECT count(*) FROM contact") == 3


def test_a_damaged_file_is_kept_byte_for_byte_and_replaced(backed_up):
    db_path, backup = backed_up
    damage(db_path, "cut")
    damaged = db_path.read_bytes()
    restored = restore_backup(db_path, backup)
    assert restored.contacts == 2
    assert restored.kept is not None and restored.kept.read_bytes() == damaged
    assert "damaged" in restored.kept.name
    with Database.open(db_path) as db:
        assert db.execute_scalar("SELECT count(*) FROM contact") == 2


def test_a_missing_file_is_restored(backed_up):
    db_path, backup = backed_up
    db_path.unlink()
    assert restore_backup(db_path, backup).kept is None
    with Database.open(db_path, readonly=True) as db:
        assert db.execute_scalar("SELECT count(*) FROM contact") == 2


# -- restoring the file a window has open ----------------------------------------------


def test_the_open_file_is_restored_through_its_own_connection(db_path, new_db_file):
    new_db_file(db_path)
    with Database.open(db_path, backup=False) as db:
        add_people(db, "Мария", "Анна")
        before = dump(db_path)
        info = db.back_up()
        add_people(db, "Later")
        restored = db.restore_from(info.path)
        assert restored.contacts == 2
        assert restored.kept is not None and backups.verify(restored.kept) == 3
        assert db.execute_scalar("SELECT count(*) FROM contact") == 2
        add_people(db, "After")  # the file is still open to write
    with Database.open(db_path, backup=False) as db:
        db.execute_scalar("SELECT 1")
    restore_backup(db_path, info.path)
    assert dump(db_path) == before


def test_the_open_file_refuses_a_damaged_backup(db_path, new_db_file):
    new_db_file(db_path)
    with Database.open(db_path, backup=False) as db:
        add_people(db, "Мария")
        info = db.back_up()
        damage(info.path, "page zeroed")
        with pytest.raises(BackupError) as err:
            db.restore_from(info.path)
        assert "nothing was restored" in err.value.message.lower()
        assert db.execute_scalar("SELECT count(*) FROM contact") == 1
    with Database.open(db_path, readonly=True) as reader:
        with pytest.raises(DatabaseFileError):
            reader.restore_from(info.path)


def test_opening_does_not_wait_for_the_days_first_backup(db_path, new_db_file, monkeypatch):
    """The backup of a big file takes seconds: the file opens and takes writes
    meanwhile, and close waits for the backup to finish."""
    import threading

    new_db_file(db_path)
    with Database.open(db_path, backup=False) as db:
        add_people(db, "Мария")
    started, go_on = threading.Event(), threading.Event()
    real = backups.make_backup

    def slow(*args, **kwargs):
        started.set()
        assert go_on.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(backups, "make_backup", slow)
    db = Database.open(db_path)
    try:
        assert started.wait(10)
        add_people(db, "Анна")  # written while the backup waits
        assert reasons(db_path) == []
    finally:
        go_on.set()
        db.close()
    # The day's backup (its snapshot taken after the write), then the one on
    # close after the change.
    assert sorted((b.reason, b.contacts) for b in list_backups(db_path)) == [
        ("close", 2), ("daily", 2)]


def test_a_whole_file_is_restored_in_place(backed_up):
    """Not renamed over: a connection already open on the file (a command writing
    beside the window) reads the restored contents, and its writes land in them."""
    db_path, backup = backed_up
    with Database.open(db_path, backup=False) as db:
        add_people(db, "Later")
    beside = sqlite3.connect(str(db_path), isolation_level=None)
    try:
        assert beside.execute("SELECT count(*) FROM contact").fetchone() == (3,)
        inode = db_path.stat().st_ino
        restore_backup(db_path, backup)
        assert db_path.stat().st_ino == inode
        assert beside.execute("SELECT count(*) FROM contact").fetchone() == (2,)
    finally:
        beside.close()
    with Database.open(db_path, readonly=True) as db:
        assert db.execute_scalar("SELECT count(*) FROM contact") == 2


def test_rotation_follows_the_files_own_setting(tmp_path, db_path):
    from datetime import datetime, timedelta

    from crmdesk.core.storage.backups import ROTATION_SETTING, Rotation, to_keep
    from crmdesk.core.storage.settings import set_setting

    # one backup a day for 40 days, newest first
    made = [datetime(2026, 12, 5, 9) - timedelta(days=i) for i in range(40)]
    assert len(to_keep(made)) == len(to_keep(made, Rotation()))
    short = to_keep(made, Rotation(daily=2, weekly=0, monthly=0, last=1))
    assert short == {0, 1}
    assert Rotation.parse("3, 2 ,1") == Rotation(3, 2, 1)
    for bad in ("7,4", "a,b,c", "0,4,12", "7,4,99999"):
        with pytest.raises(ValueError):
            Rotation.parse(bad)
    # the file's setting is what its backups rotate by
    import sqlite3

    from crmdesk.core.storage.backups import rotation_of

    with Database.open(db_path, backup=False) as db:
        with db.session() as s:
            set_setting(s, ROTATION_SETTING, "1,0,0")
    conn = sqlite3.connect(db_path)
    try:
        assert rotation_of(conn) == Rotation(1, 0, 0)
        conn.execute("UPDATE setting SET value = 'nonsense' WHERE key = ?", (ROTATION_SETTING,))
        assert rotation_of(conn) == Rotation()  # what makes no sense: the default
    finally:
        conn.close()
