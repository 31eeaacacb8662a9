"""Files that are not a whole crmdesk database: refused with a plain message, left
exactly as they were, and nothing made beside them.

A small real file is cut at every page boundary and at a sample of offsets
between, and each of its pages is overwritten in turn with zeros and with
random bytes.
"""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest

from crmdesk.core.contacts.records import ContactData, count_contacts, create_contact
from crmdesk.core.errors import (
    DatabaseFileError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyError,
)
from crmdesk.core.maintenance.check import check_database
from crmdesk.core.storage.database import Database

PAGE = 4096
CONTACTS = 40


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a small, whole database file with contacts and notes in it."""
    path = tmp_path_factory.mktemp("whole") / "whole.crmdesk"
    with Database.open(path) as db:
        for i in range(CONTACTS):
            create_contact(db, ContactData(given_name=f"Name{i}", family_name="Family",
                                           notes="note " * 60))
    data = path.read_bytes()
    assert len(data) % PAGE == 0 and len(data) // PAGE > 10
    return data


def beside(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def assert_refused(path: Path, *, writable: bool = True) -> DatabaseFileError:
    """Both a reading and a writing open refuse ``path`` with a crmdesk message, and
    the file is as it was, alone in its folder."""
    before = path.read_bytes()
    modes = (True, False) if writable else (True,)
    error: DatabaseFileError | None = None
    for readonly in modes:
        with pytest.raises(DatabaseFileError) as err:
            Database.open(path, readonly=readonly)
        error = err.value
        assert path.read_bytes() == before
        assert beside(path.parent) == [path.name]
    assert error is not None
    return error


def cut_points(size: int) -> list[int]:
    boundaries = list(range(PAGE, size, PAGE))
    rng = random.Random(18)
    between = rng.sample(range(1, size), 120)
    return sorted({*range(1, 101), *boundaries, *between} - {size})


def test_every_truncation_point_is_refused(whole, tmp_path):
    path = tmp_path / "cut.crmdesk"
    for n in cut_points(len(whole)):
        path.write_bytes(whole[:n])
        error = assert_refused(path)
        assert isinstance(error, NotADatabaseError), n
        assert str(path) in error.message
        assert "Traceback" not in error.message


def test_a_cut_file_says_it_did_not_finish(whole, tmp_path):
    path = tmp_path / "cut.crmdesk"
    path.write_bytes(whole[: len(whole) // 2 // PAGE * PAGE])
    message = assert_refused(path).message
    assert "damaged" in message and "did not finish" in message and "not changed" in message


def test_an_empty_file_is_not_read_as_a_database(tmp_path):
    path = tmp_path / "empty.crmdesk"
    path.write_bytes(b"")
    error = assert_refused(path, writable=False)
    assert "not a crmdesk database" in error.message


@pytest.mark.parametrize("content", [
    pytest.param(bytes(PAGE * 8), id="zeroed"),
    pytest.param(random.Random(1).randbytes(PAGE * 8), id="random bytes"),
    pytest.param("Имя,Телефон\nМария,+7 495 123 45 67\n".encode() * 300, id="text file"),
    pytest.param(b"SQLite format 3\x00" + random.Random(2).randbytes(PAGE - 16), id="bad header"),
])
def test_files_that_are_no_database_are_refused(tmp_path, content):
    path = tmp_path / "hostile.crmdesk"
    path.write_bytes(content)
    error = assert_refused(path)
    assert isinstance(error, NotADatabaseError)
    assert "not a crmdesk database" in error.message or "damaged" in error.message


def test_a_file_from_a_newer_crmdesk_is_refused(whole, tmp_path):
    path = tmp_path / "newer.crmdesk"
    data = bytearray(whole)
    data[60:64] = struct.pack(">i", 999)
    path.write_bytes(bytes(data))
    error = assert_refused(path)
    assert isinstance(error, NewerSchemaError)
    assert "newer version of crmdesk" in error.message


def corrupted(whole: bytes, page: int, kind: str) -> bytes:
    data = bytearray(whole)
    data[page * PAGE:(page + 1) * PAGE] = (
        bytes(PAGE) if kind == "zero" else random.Random(page).randbytes(PAGE))
    return bytes(data)


@pytest.mark.parametrize("kind", ["zero", "random"])
def test_a_damaged_page_is_reported_never_a_crash(whole, tmp_path, kind):
    """Every page in turn: opening refuses the file, or reading it either gives the
    right answer or a plain message; `check` always finds the damage; the file is
    not changed and nothing is left beside it."""
    path = tmp_path / "damaged.crmdesk"
    for page in range(1, len(whole) // PAGE):
        data = corrupted(whole, page, kind)
        path.write_bytes(data)
        try:
            db = Database.open(path, readonly=True)
        except NotADatabaseError as err:
            assert "damaged" in err.message or "not a crmdesk database" in err.message
        else:
            with db:
                try:
                    with db.reading() as s:
                        assert count_contacts(s) == CONTACTS
                except NotADatabaseError as err:
                    assert "damaged" in err.message, page
                report = check_database(db)
                assert not report.ok, page
                assert any("damaged" in p or "integrity" in p for p in report.problems), (
                    page, report.problems)
        assert path.read_bytes() == data, page
        assert beside(tmp_path) == [path.name], page


def test_check_names_what_sqlite_found(whole, tmp_path):
    path = tmp_path / "damaged.crmdesk"
    last = len(whole) // PAGE - 1
    path.write_bytes(corrupted(whole, last, "zero"))
    with Database.open(path, readonly=True) as db:
        report = check_database(db)
    assert report.problems
    assert all("\n" not in p for p in report.problems)


def test_a_read_only_file_opens_for_reading_and_refuses_writes(whole, tmp_path, monkeypatch):
    """The permission check's answer is simulated: the tests may run as root."""
    import os

    path = tmp_path / "readonly.crmdesk"
    path.write_bytes(whole)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == path and
                        mode == os.W_OK else real_access(p, mode))
    with Database.open(path, readonly=True) as db, db.reading() as s:
        assert count_contacts(s) == CONTACTS
    with pytest.raises(ReadOnlyError) as err:
        Database.open(path)
    assert "read-only" in err.value.message
    assert path.read_bytes() == whole
    assert beside(tmp_path) == [path.name]


def test_a_reading_open_leaves_nothing_beside_a_good_file(whole, tmp_path):
    path = tmp_path / "good.crmdesk"
    path.write_bytes(whole)
    with Database.open(path, readonly=True) as db, db.reading() as s:
        assert count_contacts(s) == CONTACTS
    assert beside(tmp_path) == [path.name]


def test_a_reading_open_cannot_write(whole, tmp_path):
    path = tmp_path / "good.crmdesk"
    path.write_bytes(whole)
    with Database.open(path, readonly=True) as db:
        with pytest.raises(ReadOnlyError):
            create_contact(db, ContactData(given_name="Nope"))
        with db.reading() as s:
            assert count_contacts(s) == CONTACTS


def test_a_writing_open_leaves_nothing_beside_the_file_after_close(whole, tmp_path):
    path = tmp_path / "good.crmdesk"
    path.write_bytes(whole)
    with Database.open(path) as db:
        create_contact(db, ContactData(given_name="One", family_name="More"))
    assert beside(tmp_path) == [path.name]
    with Database.open(path, readonly=True) as db, db.reading() as s:
        assert count_contacts(s) == CONTACTS + 1
