"""Every command on a file that is not a whole crmdesk database: one plain line on
stderr, exit code 1, the file untouched and nothing left beside it.

The commands run in this process (crmdesk.cli.main.main), which is what makes
trying each of them on each kind of bad file quick; one test runs the real
`crmdesk` as a subprocess to see that the user gets the same there.
"""

from __future__ import annotations

import os
import random
import struct
from pathlib import Path

import pytest
from cli_process import crmdesk

from crmdesk.cli.main import main
from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.storage.database import Database

PAGE = 4096


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("whole") / "whole.crmdesk"
    with Database.open(path) as db:
        for i in range(30):
            create_contact(db, ContactData(given_name=f"Name{i}", family_name="Family",
                                           notes="note " * 60))
    return path.read_bytes()


def _newer(data: bytes) -> bytes:
    out = bytearray(data)
    out[60:64] = struct.pack(">i", 999)
    return bytes(out)


def _page_zeroed(data: bytes, page: int) -> bytes:
    out = bytearray(data)
    out[page * PAGE:(page + 1) * PAGE] = bytes(PAGE)
    return bytes(out)


BAD = {
    "cut at a page boundary": lambda d: d[: len(d) // 2 // PAGE * PAGE],
    "cut mid-page": lambda d: d[: len(d) // 2 + 1234],
    "cut inside the header": lambda d: d[:60],
    "zeroed": lambda d: bytes(len(d)),
    "random bytes": lambda d: random.Random(7).randbytes(len(d)),
    "a text file": lambda d: b"Name;Phone\nMaria;+7 495 123 45 67\n" * 100,
    "from a newer crmdesk": _newer,
    "a damaged page": lambda d: _page_zeroed(d, 1),
}

COMMANDS = {
    "search": ["search", "family"],
    "check": ["check"],
    "check --deep": ["check", "--deep"],
    "history": ["history"],
    "fields": ["fields", "list"],
    "log": ["log", "--contact", "1", "--kind", "call", "--subject", "Called"],
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("bad", list(BAD))
def test_every_command_refuses_a_bad_file_plainly(whole, tmp_path, capsys, bad):
    path = tmp_path / "bad.crmdesk"
    data = BAD[bad](whole)
    path.write_bytes(data)
    for name, command in COMMANDS.items():
        code, out, err = run(capsys, command[0], "--db", str(path), *command[1:])
        assert code == 1, (name, out, err)
        assert "Traceback" not in err and "did not expect" not in err, (name, err)
        assert str(path) in err, (name, err)
        assert any(word in err for word in ("damaged", "not a crmdesk database",
                                            "newer version")), (name, err)
        assert path.read_bytes() == data, name
        assert sorted(p.name for p in tmp_path.iterdir()) == [path.name], name


def test_the_demo_never_overwrites_a_bad_file(whole, tmp_path, capsys):
    path = tmp_path / "bad.crmdesk"
    path.write_bytes(whole[:5000])
    code, _out, err = run(capsys, "demo", str(path), "--contacts", "3")
    assert code == 1 and "already exists" in err
    assert path.read_bytes() == whole[:5000]


def test_check_lists_what_is_damaged(whole, tmp_path, capsys):
    path = tmp_path / "bad.crmdesk"
    path.write_bytes(_page_zeroed(whole, len(whole) // PAGE - 1))
    code, out, err = run(capsys, "check", "--db", str(path))
    assert code == 1
    assert out == ""
    assert f"{path}: " in err and "problem(s) found" in err
    assert err.rstrip().endswith("puts one back.")
    assert "Traceback" not in err


def test_a_read_only_file_is_read_but_not_written(whole, tmp_path, capsys, monkeypatch):
    """Read-only simulated through the permission check: the tests may run as root."""
    path = tmp_path / "readonly.crmdesk"
    path.write_bytes(whole)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == path and
                        mode == os.W_OK else real_access(p, mode))
    code, out, err = run(capsys, "search", "--db", str(path), "Name17")
    assert code == 0, err
    assert "Name17 Family" in out
    code, out, err = run(capsys, "check", "--db", str(path))
    assert code == 0, err
    assert "OK (30 contacts" in out
    code, out, err = run(capsys, "log", "--db", str(path), "--contact", "1", "--kind", "call",
                         "--subject", "Called")
    assert code == 1
    assert "read-only" in err and "Traceback" not in err
    assert path.read_bytes() == whole
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_as_a_user_runs_it(whole, tmp_path):
    path = tmp_path / "cut.crmdesk"
    path.write_bytes(whole[: len(whole) - PAGE])
    for command in (["search", "family"], ["check"]):
        out = crmdesk(command[0], "--db", str(path), *command[1:])
        assert out.returncode == 1
        assert out.stdout == ""
        lines = out.stderr.strip().splitlines()
        assert len(lines) == (2 if command[0] == "check" else 1), out.stderr
        assert lines[0].startswith(f"crmdesk: {path} is damaged")
        if command[0] == "check":
            assert lines[1].startswith(f"Its backups: crmdesk backups --db {path}")
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("said", ["database disk image is malformed",
                                  "file is not a database"])
def test_damage_met_outside_a_unit_of_work_is_still_a_plain_message(capsys, said):
    """Units of work translate what SQLite says; the command's error handler does
    too, for anything that reads the file outside one."""
    import sqlite3

    from crmdesk.cli.common import handle_errors

    def damaged() -> int:
        raise sqlite3.DatabaseError(said)

    assert handle_errors(damaged) == 1
    err = capsys.readouterr().err
    assert err.startswith("crmdesk: The database file is damaged")
    assert "did not expect" not in err


def test_a_bug_is_still_a_bug(tmp_path, capsys, monkeypatch):
    from crmdesk.cli.common import handle_errors

    def bug() -> int:
        raise RuntimeError("the file is read-only, said nobody")

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert handle_errors(bug) == 1
    assert "did not expect" in capsys.readouterr().err
