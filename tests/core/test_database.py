"""Opening files: the good case, and each bad file with its own message, untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.errors import (
    AlreadyOpenError,
    DatabaseFileError,
    FolderMissingError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyError,
)
from crmdesk.core.storage.database import APPLICATION_ID, SCHEMA_VERSION, Database, read_header


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_has_wal_foreign_keys_full_sync_and_our_header(db_path):
    assert not db_path.exists()  # made here, not a copy of the tests' template
    with Database.open(db_path) as db, db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert read_header(db_path) == (APPLICATION_ID, SCHEMA_VERSION)


def test_reopen_keeps_data(db_path):
    with Database.open(db_path) as db:
        cid = create_contact(db, ContactData(given_name="Rūta", family_name="Žemaitė"))
    with Database.open(db_path) as db:
        from crmdesk.core.contacts.records import get_contact

        assert get_contact(db, cid).display_name == "Rūta Žemaitė"


def test_missing_folder(tmp_path):
    with pytest.raises(FolderMissingError) as err:
        Database.open(tmp_path / "no" / "such" / "file.crmdesk")
    assert "does not exist" in str(err.value)
    assert not (tmp_path / "no").exists()


def test_text_file_is_not_a_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Dear customer,\n" * 20, encoding="utf-8")
    before = digest(path)
    with pytest.raises(NotADatabaseError) as err:
        Database.open(path)
    assert "not a crmdesk database" in str(err.value)
    assert digest(path) == before
    assert not Path(str(path) + "-wal").exists()


def test_sqlite_file_of_another_program(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotADatabaseError) as err:
        Database.open(path)
    assert "another program" in str(err.value)
    assert digest(path) == before


def test_file_from_newer_crmdesk(tmp_path, db_path):
    Database.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(db_path)
    with pytest.raises(NewerSchemaError) as err:
        Database.open(db_path)
    assert "newer version of crmdesk" in str(err.value)
    assert digest(db_path) == before


def test_unknown_migration_revision_is_refused(db_path):
    Database.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.commit()
    conn.close()
    with pytest.raises(NewerSchemaError):
        Database.open(db_path)
    with pytest.raises(NewerSchemaError):
        Database.open(db_path, readonly=True)


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0 and sys.platform != "linux",
                    reason="permissions")
def test_read_only_file(db_path):
    Database.open(db_path).close()
    db_path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        before = digest(db_path)
        if os.access(db_path, os.W_OK):
            pytest.skip("running as a user who can write read-only files (root)")
        with pytest.raises(ReadOnlyError) as err:
            Database.open(db_path)
        assert "read-only" in str(err.value)
        assert digest(db_path) == before
    finally:
        db_path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_read_only_file_as_root_is_refused_too(db_path, monkeypatch):
    """Root can write anything, so simulate the permission check's answer."""
    Database.open(db_path).close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == db_path and
                        mode == os.W_OK else real_access(p, mode))
    before = digest(db_path)
    with pytest.raises(ReadOnlyError):
        Database.open(db_path)
    assert digest(db_path) == before
    # Reading still works: search a read-only file.
    with Database.open(db_path, readonly=True) as db:
        assert db.execute_scalar("SELECT count(*) FROM contact") == 0


def test_second_writer_in_this_process_is_refused(db):
    with pytest.raises(AlreadyOpenError) as err:
        Database.open(db.path)
    assert "already open" in str(err.value)


def test_second_writer_in_another_process_is_refused(db_path):
    code = (
        "import sys, time\n"
        "from crmdesk.core.storage.database import Database\n"
        "db = Database.open(sys.argv[1])\n"
        "print('open', flush=True)\n"
        "time.sleep(30)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(db_path)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "open"
        with pytest.raises(AlreadyOpenError):
            Database.open(db_path)
        # Readers are welcome while the writer works (WAL).
        with Database.open(db_path, readonly=True) as reader:
            assert reader.execute_scalar("SELECT count(*) FROM contact") == 0
    finally:
        proc.kill()
        proc.wait()
    # The OS dropped the lock with the killed process: the file opens again.
    Database.open(db_path).close()


def test_readonly_open_of_missing_file(tmp_path):
    with pytest.raises(DatabaseFileError) as err:
        Database.open(tmp_path / "nothing.crmdesk", readonly=True)
    assert "There is no database" in str(err.value)
    assert not (tmp_path / "nothing.crmdesk").exists()


def test_folder_given_instead_of_file(tmp_path):
    with pytest.raises(NotADatabaseError):
        Database.open(tmp_path)


def test_truncated_file(db_path, tmp_path):
    with Database.open(db_path) as db:
        create_contact(db, ContactData(given_name="A"))
    broken = tmp_path / "broken.crmdesk"
    broken.write_bytes(db_path.read_bytes()[:50])
    with pytest.raises(NotADatabaseError):
        Database.open(broken)


def test_copy_to_makes_an_openable_copy(db, tmp_path):
    create_contact(db, ContactData(given_name="Copy", family_name="Me"))
    target = db.copy_to(tmp_path / "copy.crmdesk")
    db.close()
    with Database.open(target, readonly=True) as copy:
        assert copy.execute_scalar("SELECT count(*) FROM contact") == 1


def test_copy_onto_itself_is_refused(db):
    with pytest.raises(DatabaseFileError):
        db.copy_to(db.path)


def test_disk_full_is_a_clear_message_and_loses_nothing(db):
    from crmdesk.core.contacts.records import count_contacts, create_contact
    from crmdesk.core.errors import DiskFullError

    create_contact(db, ContactData(given_name="Kept"))
    with db.engine.connect() as conn:
        page_count = conn.exec_driver_sql("PRAGMA page_count").scalar()
    # Cap the file at its current size: the next big write finds the "disk" full.
    from sqlalchemy import event

    @event.listens_for(db.engine, "connect")
    def cap(dbapi_conn, _rec):
        dbapi_conn.execute(f"PRAGMA max_page_count={page_count}")

    db.engine.dispose()
    with pytest.raises(DiskFullError) as err:
        create_contact(db, ContactData(given_name="Big", notes="x" * 900_000))
    assert "full" in str(err.value)
    event.remove(db.engine, "connect", cap)
    db.engine.dispose()
    with db.reading() as s:
        assert count_contacts(s) == 1


def test_older_file_is_backed_up_then_upgraded(db_path):
    """A file made by the first release (schema 0001) opens in this one."""
    from sqlalchemy import create_engine

    from crmdesk.core.storage import migrate
    engine = create_engine(f"sqlite:///{db_path}")
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql("PRAGMA user_version=1")
        conn.exec_driver_sql(
            "INSERT INTO contact (given_name, family_name, middle_name, prefix, suffix, "
            "nickname, name_order, display_name, sort_key, job_title, department, notes, "
            "created_at, updated_at) VALUES ('Old', 'Friend', '', '', '', '', 'given_first', "
            "'Old Friend', 'friend old', '', '', '', '2020-01-01', '2020-01-01')")
    engine.dispose()
    with Database.open(db_path) as db:
        assert migrate.current_revision(db.engine) == migrate.head()
        assert db.execute_scalar("SELECT display_name FROM contact") == "Old Friend"
    assert read_header(db_path) == (APPLICATION_ID, SCHEMA_VERSION)
    from crmdesk.core.storage.backups import list_backups

    backups = [b.path for b in list_backups(db_path) if b.reason == "before-0001"]
    assert len(backups) == 1
    backup = sqlite3.connect(backups[0])
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT display_name FROM contact").fetchone() == ("Old Friend",)
    backup.close()
