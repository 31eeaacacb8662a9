"""Shared test set-up: Qt headless, a fresh database file per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# New files take their alphabet and phone region from the locale: make it the
# same on every machine that runs the tests (tests that need another set it).
os.environ["LANG"] = "C.UTF-8"
for _var in ("LC_ALL", "LC_COLLATE"):
    os.environ.pop(_var, None)
# Tests never touch the user's own database.
os.environ.setdefault("CRMDESK_DB", str(Path(os.environ.get("TMPDIR", "/tmp")) /
                                       f"crmdesk-test-{os.getpid()}.crmdesk"))

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "contacts.crmdesk"


@pytest.fixture
def db(db_path: Path):
    from crmdesk.core.storage.database import Database

    database = Database.open(db_path)
    yield database
    database.close()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA
