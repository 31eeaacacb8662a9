"""A command that writes while a window has the file open waits its turn and
succeeds (crmdesk log from a phone system's call hook); a second window is refused
with a message naming the process that has the file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from cli_process import crmdesk

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.errors import AlreadyOpenError
from crmdesk.core.storage.database import Database, lock_holder, translate_error


def test_a_command_writes_beside_an_open_window(db_path):
    window = Database.open(db_path)  # as the window opens it: it holds the file
    try:
        cid = create_contact(window, ContactData(given_name="Jonas", family_name="Petraitis"))
        assert lock_holder(db_path) == ("window", os.getpid())
        done = crmdesk("log", "--db", str(db_path), "--contact", str(cid), "--kind", "Call",
                       "--subject", "Called about the offer", "--outcome", "Reached")
        assert done.returncode == 0, done.stderr
        with window.reading() as s:
            from sqlalchemy import text

            subjects = s.execute(text("SELECT subject FROM interaction")).scalars().all()
        assert subjects == ["Called about the offer"]
        # ... and the command left the window's lock as it was
        assert lock_holder(db_path) == ("window", os.getpid())
        with pytest.raises(AlreadyOpenError):
            Database.open(db_path)
    finally:
        window.close()


def test_a_second_window_is_told_which_process_has_the_file(db_path):
    Database.open(db_path).close()
    code = ("import sys, time\n"
            "from crmdesk.core.storage.database import Database\n"
            "db = Database.open(sys.argv[1])\n"
            "print('open', flush=True)\n"
            "time.sleep(30)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db_path)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "open"
        with pytest.raises(AlreadyOpenError) as err:
            Database.open(db_path)
        assert f"already open in a crmdesk window (process {proc.pid})" in err.value.message
        # a command still writes, through SQLite's own turn-taking
        with Database.open(db_path, shared=True) as command:
            create_contact(command, ContactData(given_name="Ona"))
    finally:
        proc.kill()
        proc.wait()


def test_a_busy_file_names_who_is_writing(db_path):
    Database.open(db_path).close()
    (db_path.parent / (db_path.name + ".lock")).write_text("window 4321\n")
    said = translate_error(sqlite3.OperationalError("database is locked"), db_path)
    assert isinstance(said, AlreadyOpenError)
    assert "the crmdesk window (process 4321) is writing to it" in said.message


def test_a_lock_file_left_there_names_nobody_after_close(db_path):
    Database.open(db_path).close()
    lock = db_path.parent / (db_path.name + ".lock")
    lock.write_text("")  # there before the window: it stays, as it was
    window = Database.open(db_path)
    assert lock_holder(db_path) == ("window", os.getpid())
    window.close()
    assert lock.exists() and lock_holder(db_path) is None
