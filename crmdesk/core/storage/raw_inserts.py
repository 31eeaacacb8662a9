"""Many new rows written straight through the DBAPI cursor, for the bulk paths.

SQLAlchemy's Core executemany costs ~7 us a row in Python (a parameter dict
built and processed per row): at 100,000 contacts with their phones, e-mails
and addresses that is more time than SQLite takes to write them. Here the
INSERT is still built and compiled by SQLAlchemy from the table (nothing is
SQL text made by hand, no value is ever part of it), the values go to the
driver as plain lists, and only the columns whose type needs it (dates,
yes/no) pass through SQLAlchemy's own bind processors, so what is stored is
byte for byte what the ORM would store. It runs on the session's connection,
in its transaction.

The rows go as multi-row VALUES, hundreds to a statement, not as an
executemany of one-row statements, for two reasons. FTS5 writes out its
pending terms at the end of every statement, so the search index (filled by a
trigger on search_row) takes about five times longer row by row. And the
driver lets go of the GIL around every statement: one row at a time, a
thread preparing the next rows meanwhile (bulk.add_contacts with ahead) takes
it each time and the writer waits up to a switch interval (5 ms) to get it
back, for every row; hundreds to a statement, that wait comes a few times a
chunk.

SQLite only; any other database gets SQLAlchemy's own executemany (portable,
slower). The home of this module is storage/ next to raw_rows.py; it lives
with the bulk contact service until it moves there.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

Row = Mapping[str, Any]

# Rows per statement at most; fewer when the row is wide (SQLite's limit on
# variables per statement: 32,766 by default, 999 before 3.32).
MAX_ROWS = 1000


class _Plan:
    """One table's INSERT for a set of columns: its SQL for any number of rows, and
    how a row dict becomes parameters."""

    def __init__(self, dialect: Any, table: Table, columns: Sequence[str]):
        def compiled(rows: int) -> Any:
            return insert(table).values([{c: None for c in columns}] * rows).compile(
                dialect=dialect)

        # SQLAlchemy compiles n rows in time growing with n squared (half a second
        # for 1,000 contacts), so it compiles one row and two, and n rows are the
        # one-row statement with its VALUES group repeated, checked against the two.
        one, two = compiled(1), compiled(2)
        sql1, sql2 = str(one), str(two)
        group = sql2[len(sql1) + 2:]
        self.head = sql1[: len(sql1) - len(group)]
        if not group or sql2 != self.head + group + ", " + group:
            raise ValueError(f"cannot insert many rows into {table.name} at once")
        self.group = group
        names = [n.rsplit("_m", 1)[0] for n in one.positiontup or ()]  # "name_m0" -> "name"
        if sorted(names) != sorted(columns):
            raise ValueError(f"cannot insert {table.name} by columns {list(columns)}")
        self.names = names
        self.get: Callable[[Row], Any] = (
            itemgetter(*names) if len(names) > 1 else lambda r: (r[names[0]],))
        self.processors: list[tuple[int, Callable[[Any], Any]]] = []
        for pos, name in enumerate(names):
            proc = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            if proc is not None:
                self.processors.append((pos, proc))

    def statement(self, rows: int) -> str:
        return self.head + ", ".join([self.group] * rows)

    def params(self, rows: Sequence[Row]) -> list[Any]:
        """The values of ``rows``, row after row, column by column: made by C loops
        (itemgetter, chain), then each converted column replaced in one slice."""
        flat = list(chain.from_iterable(map(self.get, rows)))
        width = len(self.names)
        for pos, proc in self.processors:
            flat[pos::width] = map(proc, flat[pos::width])
        return flat


_PLANS: dict[tuple[str, Table, tuple[str, ...]], _Plan] = {}
_PLANS_LOCK = threading.Lock()


def _plan(session: Session, table: Table, columns: Sequence[str]) -> _Plan:
    dialect = session.connection().dialect
    key = (dialect.name, table, tuple(columns))
    with _PLANS_LOCK:
        plan = _PLANS.get(key)
        if plan is None:
            plan = _PLANS[key] = _Plan(dialect, table, columns)
        return plan


def _raw(session: Session) -> Any:
    return session.connection().connection.dbapi_connection


def insert_rows(session: Session, table: Table, rows: Sequence[Row],
                columns: Sequence[str] | None = None, *, per: int = MAX_ROWS) -> None:
    """INSERT ``rows``: dicts that all have the keys of ``columns`` (default: the
    keys of the first row), up to ``per`` to a statement. Columns left out get
    the database's default, not SQLAlchemy's Python-side one: give every value a
    column needs."""
    if not rows:
        return
    cols = list(columns) if columns is not None else list(rows[0])
    if session.connection().dialect.name != "sqlite":
        session.execute(insert(table), [{c: r[c] for c in cols} for r in rows])
        return
    raw = _raw(session)
    per = max(1, min(per, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(cols)))
    plan = _plan(session, table, cols)
    cursor = raw.cursor()
    try:
        for start in range(0, len(rows), per):
            part = rows[start:start + per]
            cursor.execute(plan.statement(len(part)), plan.params(part))
    finally:
        cursor.close()
