"""Files crmdesk makes are the user's alone (0600 on POSIX): the database, what
SQLite puts beside it, its lock, copies, and the log. Files that already exist
keep the permissions the user gave them."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.storage.database import Database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@pytest.fixture(autouse=True)
def usual_umask():
    """The umask most systems start users with, which alone would give 0644."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_everything_beside_it_are_owner_only(tmp_path):
    path = tmp_path / "new.crmdesk"
    with Database.open(path) as db:
        create_contact(db, ContactData(given_name="Private", family_name="Person"))
        beside = sorted(tmp_path.iterdir())
        assert {p.name for p in beside} >= {"new.crmdesk", "new.crmdesk-wal",
                                             "new.crmdesk-shm", "new.crmdesk.lock"}
        assert {p.name: mode(p) for p in beside} == {p.name: 0o600 for p in beside}
    assert mode(path) == 0o600


def test_a_copy_is_owner_only(db, tmp_path):
    copy = db.copy_to(tmp_path / "copy.crmdesk")
    assert mode(copy) == 0o600


def test_an_existing_file_keeps_its_permissions(tmp_path, new_db_file):
    path = new_db_file(tmp_path / "shared.crmdesk")
    path.chmod(0o640)
    lock = Path(str(path) + ".lock")
    lock.touch()
    lock.chmod(0o644)
    with Database.open(path) as db:
        create_contact(db, ContactData(given_name="Kept"))
        assert mode(lock) == 0o644
    assert mode(path) == 0o640


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the log folder is XDG's")
def test_the_log_of_an_unexpected_error_is_owner_only(tmp_path, monkeypatch, capsys):
    from crmdesk.cli.common import handle_errors, log_file

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def boom() -> int:
        raise RuntimeError("disk gremlins")

    assert handle_errors(boom) == 1
    assert "disk gremlins" in capsys.readouterr().err
    assert log_file().is_relative_to(tmp_path)
    assert mode(log_file()) == 0o600
