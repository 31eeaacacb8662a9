"""Commits another process made to the file: `crmdesk log` from a phone system's
call hook, a cron job's import, a second window.

SQLite tells each connection whether anyone else committed since it last asked
(PRAGMA data_version). The watch keeps a read-only connection of its own, which
never writes, so every commit shows there; the window's own commits are told
apart by the Database's generation (it counts them). When both happen between
two polls the outside one is taken for the window's own: the next change from
outside, or the next own change, brings the lists up to date.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Protocol


class _Counted(Protocol):
    path: Path | None
    generation: int

    def changed_outside(self) -> None: ...


class OutsideChanges:
    """Asks the file, on each poll, whether another process committed to it."""

    def __init__(self, db: _Counted) -> None:
        self.db = db
        self._conn: sqlite3.Connection | None = None
        if db.path is not None:
            try:
                # as_uri: file:///C:/... on Windows too (a plain file: URI is not)
                self._conn = sqlite3.connect(Path(db.path).as_uri() + "?mode=ro", uri=True,
                                             check_same_thread=False)
            except sqlite3.Error:
                self._conn = None
        self._version = self._read()
        self._generation = db.generation

    def _read(self) -> int | None:
        if self._conn is None:
            return None
        try:
            row = self._conn.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:  # the file went away, is locked for a moment ...
            return None
        return int(row[0]) if row else None

    def poll(self) -> bool:
        """True when another process committed since the last poll; the Database's
        generation then moves on, so what was read from the file is read again
        (the one- and two-letter search texts)."""
        version = self._read()
        if version is None or version == self._version:
            return False
        self._version = version
        own = self.db.generation != self._generation
        if not own:
            self.db.changed_outside()
        self._generation = self.db.generation
        return not own

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
