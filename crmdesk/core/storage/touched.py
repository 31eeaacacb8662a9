"""Which contacts each commit changed, so that what is kept in memory follows a
change by re-reading only those contacts (issue 23: incremental updates).

The window keeps two things of every contact in memory: the folded search
texts in name order (search/short_fragments.py) and the name order itself
(storage/name_order.py). Reading either again takes 0.1-0.3 s at 100,000
contacts; a Save changes one contact.

How the changed contacts are known, whatever wrote them: every connection that
writes gets TEMP triggers on the contact and search_row tables that put the
contact's id into a TEMP table (``crmdesk_touched``). Temporary objects belong
to the one connection, so they cost nothing to other programs reading the file,
are never saved in it, and roll back with the transaction.

Which commits a cache has seen: every unit of work that wrote also counts itself
in the file (the setting ``commit_seq``, one UPDATE), so that a reading unit of
work learns exactly which commits its snapshot holds (a counter in memory could
be read a moment before or after the snapshot is taken, and a cache would then
file a change under the wrong commit). ``Database.session`` takes the ids out
just before its commit and files them in a ``Journal`` under that count. A
cache made at count S asks the journal for the contacts changed since S:

- a set of ids: re-read those, keep the rest;
- None: not known. Another process wrote (its commits are counted in the file
  but not in this process's journal: a gap), the file was restored (the
  Database's ``epoch`` moves on), the triggers were gone (a migration dropped a table, or a bulk job
  turned them off: ``stop_tracking``), more than ``MANY`` contacts changed, or
  the journal no longer reaches back to G. Then the cache reads everything, as
  before.

A program that does not count its commits (an older crmdesk, a SQLite shell)
is caught by storage/outside.py, which moves the epoch on, and by the caches'
cheap fingerprint of the live contacts (their count and the sum of their ids).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

SEQ_KEY = "commit_seq"  # the setting that counts the commits that wrote
# More contacts than this changed since a cache's generation: it reads everything
# (one pass over 100,000 rows is then cheaper than this many single updates).
MANY = 2000
# How many commits the journal remembers.
KEPT = 256

# Written out in full (no SQL is made from values): each puts the contact's id in
# the TEMP table, once.
_TRIGGERS = {
    "crmdesk_touched_contact_insert":
        "CREATE TEMP TRIGGER IF NOT EXISTS crmdesk_touched_contact_insert "
        "AFTER INSERT ON main.contact BEGIN "
        "INSERT OR IGNORE INTO crmdesk_touched VALUES (new.id); END",
    "crmdesk_touched_contact_update":
        "CREATE TEMP TRIGGER IF NOT EXISTS crmdesk_touched_contact_update "
        "AFTER UPDATE ON main.contact BEGIN "
        "INSERT OR IGNORE INTO crmdesk_touched VALUES (new.id); "
        "INSERT OR IGNORE INTO crmdesk_touched VALUES (old.id); END",
    "crmdesk_touched_contact_delete":
        "CREATE TEMP TRIGGER IF NOT EXISTS crmdesk_touched_contact_delete "
        "AFTER DELETE ON main.contact BEGIN "
        "INSERT OR IGNORE INTO crmdesk_touched VALUES (old.id); END",
    "crmdesk_touched_row_insert":
        "CREATE TEMP TRIGGER IF NOT EXISTS crmdesk_touched_row_insert "
        "AFTER INSERT ON main.search_row BEGIN "
        "INSERT OR IGNORE INTO crmdesk_touched VALUES (new.contact_id); END",
    "crmdesk_touched_row_update":
        "CREATE TEMP TRIGGER IF NOT EXISTS crmdesk_touched_row_update "
        "AFTER UPDATE ON main.search_row BEGIN "
        "INSERT OR IGNORE INTO crmdesk_touched VALUES (new.contact_id); "
        "INSERT OR IGNORE INTO crmdesk_touched VALUES (old.contact_id); END",
    "crmdesk_touched_row_delete":
        "CREATE TEMP TRIGGER IF NOT EXISTS crmdesk_touched_row_delete "
        "AFTER DELETE ON main.search_row BEGIN "
        "INSERT OR IGNORE INTO crmdesk_touched VALUES (old.contact_id); END",
}
_COUNT_TRIGGERS = ("SELECT count(*) FROM sqlite_temp_master WHERE type = 'trigger' "
                   "AND name LIKE 'crmdesk\\_touched\\_%' ESCAPE '\\'")
_DROP = {name: "DROP TRIGGER IF EXISTS temp." + name for name in _TRIGGERS}


def _tracking(raw: Any) -> bool:
    return bool(raw.execute(_COUNT_TRIGGERS).fetchone()[0] == len(_TRIGGERS))


def start_tracking(raw: Any) -> None:
    """Make the triggers on this DBAPI connection, at the start of a writing
    transaction, if they are not there (a file without the tables yet: not now)."""
    try:
        if _tracking(raw):
            return
        raw.execute("CREATE TEMP TABLE IF NOT EXISTS crmdesk_touched "
                    "(contact_id INTEGER PRIMARY KEY)")
        raw.execute("DELETE FROM temp.crmdesk_touched")
        for create in _TRIGGERS.values():
            raw.execute(create)
    except Exception:  # noqa: BLE001 - no tables yet (a new file): tracked from the next one
        return


def stop_tracking(unit: Session | Connection) -> None:
    """For a job that changes thousands of contacts (an import, the Reached tick,
    new sort keys): no trigger fires for its rows, and its commit reads as "not
    known", so every cache reads everything again afterwards (as it would anyway:
    more than MANY changed). The triggers come back with the next writing
    transaction."""
    conn = unit.connection() if isinstance(unit, Session) else unit
    raw: Any = conn.connection.dbapi_connection
    for drop in _DROP.values():
        raw.execute(drop)


def harvest(session: Session) -> frozenset[int] | None:
    """The contacts this unit of work changed, taken out of the TEMP table (just
    before the commit); None when that cannot be told."""
    raw: Any = session.connection().connection.dbapi_connection
    try:
        if not _tracking(raw):
            return None
        ids = [row[0] for row in raw.execute(
            "SELECT contact_id FROM temp.crmdesk_touched LIMIT ?", (MANY + 1,))]
        raw.execute("DELETE FROM temp.crmdesk_touched")
    except Exception:  # noqa: BLE001 - e.g. the TEMP table went with a failed start
        return None
    return None if len(ids) > MANY else frozenset(ids)


class Journal:
    """The contacts each of the last KEPT commits changed, by the generation the
    commit made (None: not known)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[tuple[int, frozenset[int] | None]] = deque(maxlen=KEPT)

    def add(self, generation: int, touched: frozenset[int] | None) -> None:
        with self._lock:
            self._entries.append((generation, touched))

    def since(self, generation: int, now: int) -> frozenset[int] | None:
        """The contacts changed by the commits after ``generation`` up to ``now``."""
        if generation == now:
            return frozenset()
        with self._lock:
            entries = [e for e in self._entries if generation < e[0] <= now]
        if len(entries) != now - generation:  # some fell off the end, or not filed
            return None
        out: set[int] = set()
        for _generation, ids in entries:
            if ids is None:
                return None
            out |= ids
            if len(out) > MANY:
                return None
        return frozenset(out)


def count_commit(session: Session) -> int | None:
    """Count this unit of work's commit in the file (it has written); the new count,
    or None when it could not be counted (then the caller moves the epoch on)."""
    conn = session.connection()
    try:
        conn.exec_driver_sql(
            "INSERT INTO setting (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE "
            "SET value = CAST(value AS INTEGER) + 1", (SEQ_KEY,))
        value = conn.exec_driver_sql("SELECT value FROM setting WHERE key = ?",
                                     (SEQ_KEY,)).scalar()
        return int(str(value))
    except Exception:  # noqa: BLE001 - no setting table (a new file), a damaged value
        return None


@dataclass(frozen=True)
class Mark:
    """Where a cache stands: the Database's epoch and the file's commit count."""

    epoch: int
    seq: int


def mark(session: Session) -> Mark | None:
    """What this unit of work's snapshot holds (None: nothing to tell by)."""
    database = session.info.get("database")
    if database is None or getattr(database, "journal", None) is None:
        return None
    try:
        value = session.connection().exec_driver_sql(
            "SELECT value FROM setting WHERE key = ?", (SEQ_KEY,)).scalar()
        seq = int(value) if value is not None else 0
    except Exception:  # noqa: BLE001 - a damaged value: never incremental
        return None
    return Mark(database.epoch, seq)


def changed_since(session: Session, old: Mark | None) -> tuple[Mark | None,
                                                                frozenset[int] | None]:
    """(where this snapshot stands, the contacts changed since ``old``; None: not
    known, read everything)."""
    now = mark(session)
    if now is None or old is None or now.epoch != old.epoch or now.seq < old.seq:
        return now, None
    return now, session.info["database"].journal.since(old.seq, now.seq)
