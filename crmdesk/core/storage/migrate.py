"""Alembic, driven from code: the migration scripts ship inside the package.

Alembic (with Mako and Pygments, ~11 MB of a window's memory, and the parse of
every script) is imported only when a file is upgraded: opening a current file
asks its revision with one SELECT and compares it with the scripts' names
(NNNN_what.py, revision "NNNN", one line of them: test_migrate_without_alembic
checks that this gives what Alembic itself says).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SCRIPTS = Path(__file__).with_name("migrations")


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """The FTS5 tables and their shadow tables are made by hand (0001 for contacts,
    0009 for the history): autogenerate must neither drop nor recreate them. (Here,
    not in migrations/env.py, so that the test comparing models and migrations uses
    the very same rule.)"""
    return not (name or "").startswith(("search_fts", "history_fts"))


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    return cfg


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


@cache
def revisions() -> tuple[str, ...]:
    """The revisions the scripts make, oldest first (from their file names)."""
    return tuple(sorted(p.name[:4] for p in (SCRIPTS / "versions").glob("*.py")
                        if p.name[:4].isdigit() and p.name[4:5] == "_"))


def head() -> str:
    return revisions()[-1]


def is_known(revision: str) -> bool:
    return revision in revisions()


def current_revision(engine: Engine) -> str | None:
    """The file's revision (None: Alembic never ran on it), as Alembic says it."""
    with engine.connect() as conn:
        if conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                "AND name = 'alembic_version'").first() is None:
            return None
        found = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
        if len(found) == 1:
            return str(found[0][0])
        if not found:
            return None
        from alembic.runtime.migration import MigrationContext  # its own message

        return MigrationContext.configure(conn).get_current_revision()


class ForeignKeyError(RuntimeError):
    """An upgrade left rows pointing at rows that are not there (it is rolled back)."""


def upgrade(engine: Engine, target: str = "head") -> None:
    """Run the migrations up to ``target`` in one transaction.

    Foreign keys are off meanwhile, as SQLite's own recipe for changing a table
    says: batch mode rebuilds a table (copy, drop the old one, rename), and with
    keys on, dropping the old table would set every reference to it to NULL
    (ON DELETE SET NULL: a schema 2 file's statuses and lead sources were lost
    that way in 0003). The keys are checked before the commit instead.
    """
    from alembic import command

    cfg = _config()
    with engine.connect() as conn:
        # Not inside a transaction: SQLite ignores this pragma there.
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, target)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise ForeignKeyError(f"the upgrade to {target} left {len(broken)} "
                                          f"rows pointing nowhere, e.g. {tuple(broken[0])}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
