"""Shared test set-up: Qt headless, a fresh database file per test.

Making a database file runs every Alembic migration (a quarter of a second);
so each test session (each xdist worker) makes one, closed, and every test gets
a copy of it. Tests about making, opening or migrating files still do it for
real with Database.open on a path of their own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# New files take their alphabet and phone region from the locale: make it the
# same on every machine that runs the tests (tests that need another set it).
os.environ["LANG"] = "C.UTF-8"
# gettext reads LANGUAGE and LC_MESSAGES before LANG: a developer's Lithuanian
# desktop must not turn the English-asserting tests Lithuanian.
for _var in ("LC_ALL", "LC_COLLATE", "LANGUAGE", "LC_MESSAGES"):
    os.environ.pop(_var, None)
# Tests never touch the user's own database.
os.environ.setdefault("CRMDESK_DB", str(Path(os.environ.get("TMPDIR", "/tmp")) /
                                       f"crmdesk-test-{os.getpid()}.crmdesk"))
# ... nor the user's own backups folder (files opened to write are backed up).
os.environ.setdefault("CRMDESK_BACKUP_DIR", str(Path(os.environ.get("TMPDIR", "/tmp")) /
                                               f"crmdesk-test-backups-{os.getpid()}"))

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database file, migrated to the newest schema and closed: the copies'
    source. Made with the environment set above (LANG decides its collation)."""
    from crmdesk.core.storage.database import Database

    path = tmp_path_factory.mktemp("template") / "template.crmdesk"
    Database.open(path).close()
    # Closed cleanly: everything is in the one file, nothing left in a -wal.
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(("-wal", "-shm"))]
    assert leftovers == [], leftovers
    return path


@pytest.fixture
def new_db_file(migrated_template: Path) -> Callable[[Path], Path]:
    """new_db_file(path): a new, migrated, empty database file at path (a copy of
    the template), for Database.open(path) to open as if it had just made it."""

    def copy(path: Path) -> Path:
        assert not path.exists(), path
        shutil.copy(migrated_template, path)
        return path

    return copy


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "contacts.crmdesk"


@pytest.fixture
def db(db_path: Path, new_db_file: Callable[[Path], Path]):
    from crmdesk.core.storage.database import Database

    database = Database.open(new_db_file(db_path))
    yield database
    database.close()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA
