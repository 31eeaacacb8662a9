"""The History export: a CSV that Excel opens as it is, written whole or not at all."""

from __future__ import annotations

import csv
import errno
import io
import os
from datetime import UTC, datetime

import pytest

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.errors import CrmdeskError, FileWriteError
from crmdesk.core.history.records import (
    HISTORY_COLUMNS,
    HistoryFilter,
    InteractionData,
    history_ids,
    history_rows,
    log_interaction,
)
from crmdesk.io import atomic
from crmdesk.io.history_csv import safe_cell, write_history_csv

COLUMNS = list(HISTORY_COLUMNS)


def read(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to see UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture
def shown(db):
    """The History view's rows, as the GUI and the CLI pass them."""
    a = create_contact(db, ContactData(given_name="Мария", family_name="Иванова",
                                       company="ООО Ромашка"))
    b = create_contact(db, ContactData(given_name="小明", family_name="王",
                                       name_order="family_first"))
    with db.session() as s:
        log_interaction(s, InteractionData(
            kind="Call", subject="Счёт, \"срочно\"", details="Line 1\nLine 2",
            at=datetime(2026, 5, 4, 9, 15, tzinfo=UTC), direction="out", duration_min=7,
            outcome="Reached", contact_ids=[a, b]))
        log_interaction(s, InteractionData(
            kind="Note", subject="=HYPERLINK(\"http://evil\")", contact_ids=[b],
            at=datetime(2026, 5, 5, 10, 0, tzinfo=UTC)))
    with db.reading() as s:
        ids = history_ids(s, HistoryFilter())
        found = history_rows(s, ids)
    return [found[i] for i in ids]


def test_rows_as_a_spreadsheet_reads_them(shown, tmp_path):
    path = tmp_path / "history.csv"
    assert write_history_csv(path, shown, [*COLUMNS, "details"]) == 2
    header, note, call = read(path)
    assert header == ["Date", "Kind", "Direction", "Subject", "Outcome", "Contacts",
                      "Company", "Duration", "Details"]
    local = datetime(2026, 5, 4, 9, 15, tzinfo=UTC).astimezone()
    assert call[0] == local.strftime("%Y-%m-%d %H:%M")
    assert call[1:] == ["Call", "Outgoing", "Счёт, \"срочно\"", "Reached",
                        "Мария Иванова, 王小明", "ООО Ромашка", "7", "Line 1\nLine 2"]
    assert note[3] == "'=HYPERLINK(\"http://evil\")"  # text, not a formula
    assert note[7] == ""  # no duration


def test_column_objects_and_a_mapping_of_rows(shown, tmp_path):
    path = tmp_path / "h.csv"
    by_id = dict(enumerate(shown))
    write_history_csv(path, by_id, [HISTORY_COLUMNS["subject"], HISTORY_COLUMNS["kind"]])
    assert read(path)[0] == ["Subject", "Kind"]
    assert len(read(path)) == 3


@pytest.mark.parametrize("text, safe", [
    ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("+cmd", "'+cmd"), ("-cmd", "'-cmd"),
    ("+7 (495) 123-45-67", "+7 (495) 123-45-67"), ("-5", "-5"), ("plain", "plain"),
    ("", ""), ("\tx", "'\tx"),
])
def test_formulas_stay_text(text, safe):
    assert safe_cell(text) == safe


@pytest.fixture
def out(tmp_path):
    """An empty folder to write into (the database lives in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_replaces_an_old_file_only_when_complete(shown, out):
    tmp_path = out
    path = tmp_path / "h.csv"
    path.write_text("old contents", encoding="utf-8")

    def cancel(_n):
        raise KeyboardInterrupt

    many = shown * 600  # past the first progress call
    with pytest.raises(KeyboardInterrupt):
        write_history_csv(path, many, COLUMNS, progress=cancel)
    assert path.read_text(encoding="utf-8") == "old contents"
    assert os.listdir(tmp_path) == ["h.csv"]  # no temporary file left behind
    calls = []
    assert write_history_csv(path, many, COLUMNS, progress=calls.append) == 1200
    assert calls == [1000] and len(read(path)) == 1201


def test_read_only_folder_is_a_clear_message(shown, out, monkeypatch):
    folder = out / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    if os.name == "nt" or os.geteuid() == 0:
        # Root (a CI container) writes into read-only folders: let the OS say no anyway.
        def refuse(*_args, **_kw):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(atomic, "open", refuse, raising=False)
    try:
        with pytest.raises(FileWriteError) as err:
            write_history_csv(folder / "h.csv", shown, COLUMNS)
        assert "may not write to the folder" in str(err.value)
        assert str(folder) in str(err.value)
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "is full"), (errno.EROFS, "read-only"), (errno.EACCES, "read-only"),
    (errno.EIO, "could not be written"),
])
def test_disk_errors_are_clear_messages_and_leave_nothing(shown, out, monkeypatch,
                                                          code, words):
    """A full or read-only disk, mid-write: a plain message, no half file, the old file
    untouched. (Simulated: the write that fails is the final flush to disk.)"""
    tmp_path = out
    path = tmp_path / "h.csv"
    path.write_text("old", encoding="utf-8")

    def failing_fsync(_fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.os, "fsync", failing_fsync)
    with pytest.raises(CrmdeskError) as err:
        write_history_csv(path, shown, COLUMNS)
    assert words in str(err.value) and "h.csv" in str(err.value)
    assert path.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["h.csv"]


def test_a_missing_folder_or_a_folder_as_target(shown, tmp_path):
    with pytest.raises(FileWriteError, match="does not exist"):
        write_history_csv(tmp_path / "nope" / "h.csv", shown, COLUMNS)
    with pytest.raises(FileWriteError, match="is a folder"):
        write_history_csv(tmp_path, shown, COLUMNS)
