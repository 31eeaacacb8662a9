"""Opening a current file does not import Alembic, and what migrate.py says of the
revisions without it is what Alembic says."""

from __future__ import annotations

import subprocess
import sys

from alembic.runtime.migration import MigrationContext

from crmdesk.core.storage import migrate
from crmdesk.core.storage.database import SCHEMA_VERSION, Database


def test_the_revisions_are_alembics():
    scripts = migrate._scripts()
    assert migrate.head() == scripts.get_current_head()
    assert set(migrate.revisions()) == {s.revision for s in scripts.walk_revisions()}
    assert int(migrate.head()) == SCHEMA_VERSION
    assert not migrate.is_known("9999") and migrate.is_known("0001")


def test_the_current_revision_is_alembics(tmp_path):
    with Database.open(tmp_path / "a.crmdesk") as db:
        with db.engine.connect() as conn:
            assert migrate.current_revision(db.engine) == \
                MigrationContext.configure(conn).get_current_revision() == migrate.head()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM alembic_version")
        assert migrate.current_revision(db.engine) is None
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE alembic_version")
        assert migrate.current_revision(db.engine) is None


def test_opening_a_current_file_leaves_alembic_unimported(tmp_path):
    path = tmp_path / "b.crmdesk"
    Database.open(path).close()  # made (and upgraded) here, in this process
    code = ("import sys; from pathlib import Path; "
            "from crmdesk.core.storage.database import Database; "
            f"db = Database.open(Path({str(path)!r})); db.close(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('alembic', 'mako', 'pygments')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
