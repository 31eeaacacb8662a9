"""Alembic, driven from code: the migration scripts ship inside the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

SCRIPTS = Path(__file__).with_name("migrations")


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """The FTS5 table and its shadow tables are made by hand (0001): autogenerate
    must neither drop nor recreate them. (Here, not in migrations/env.py, so that
    the test comparing models and migrations uses the very same rule.)"""
    return not (name or "").startswith("search_fts")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    return cfg


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    rev = _scripts().get_current_head()
    assert rev is not None
    return rev


def is_known(revision: str) -> bool:
    return any(s.revision == revision for s in _scripts().walk_revisions())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
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
