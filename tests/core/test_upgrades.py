"""Files written by each released schema (1, 2 and 3), made by that version's own
code (tests/fixtures/schemas, see its README), opened with today's Database.open:
backed up, upgraded to the same schema a new file has, with everything that went
in still there and read by today's services; and an upgrade that fails partway
leaves the file as it was."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from types import ModuleType

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import crmdesk.core.storage.field_models  # noqa: F401 - its tables are part of the metadata
from crmdesk.core.companies.records import load_company
from crmdesk.core.contacts.records import count_contacts, load_contact, set_collation
from crmdesk.core.errors import DatabaseFileError
from crmdesk.core.fields.values import get_values
from crmdesk.core.history.records import count_interactions, get_interaction, interactions_of
from crmdesk.core.lookup.query import find_ids
from crmdesk.core.maintenance.check import check_database
from crmdesk.core.storage import backups, migrate, sort_keys
from crmdesk.core.storage.database import APPLICATION_ID, SCHEMA_VERSION, Database, read_header
from crmdesk.core.storage.field_models import COMPANY, CONTACT
from crmdesk.core.storage.migrate import include_object
from crmdesk.core.storage.models import Base
from crmdesk.core.storage.settings import get_setting

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
SCHEMAS = [1, 2, 3]


def _people() -> ModuleType:
    """The data the generators put into the fixtures (plain data, no crmdesk)."""
    spec = importlib.util.spec_from_file_location("schema_people", FIXTURES / "people.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


people = _people()


def fixture(version: int) -> Path:
    return FIXTURES / f"schema{version}.crmdesk"


@pytest.fixture(autouse=True)
def own_backup_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "backups"
    monkeypatch.setenv(backups.BACKUP_DIR_ENV, str(folder))
    return folder


@pytest.fixture(params=SCHEMAS, ids=[f"schema{v}" for v in SCHEMAS])
def version(request: pytest.FixtureRequest) -> int:
    return int(request.param)


@pytest.fixture
def old_file(tmp_path: Path, version: int) -> Path:
    path = tmp_path / "contacts.crmdesk"
    shutil.copyfile(fixture(version), path)
    return path


@pytest.fixture
def upgraded(old_file: Path) -> Iterator[Database]:
    db = Database.open(old_file)
    yield db
    db.close()


def test_the_fixtures_are_what_their_versions_wrote(version: int) -> None:
    """Each file is a whole crmdesk file of its own schema: nothing was upgraded by
    accident (a test that opened the fixture itself would have)."""
    assert read_header(fixture(version)) == (APPLICATION_ID, version)
    conn = sqlite3.connect(fixture(version).as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            f"{version:04d}",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    # In WAL mode, as crmdesk leaves its files (the header's format versions are 2).
    assert fixture(version).read_bytes()[18:20] == b"\x02\x02"


# -- the schema ----------------------------------------------------------------------------


def _ddl(path: Path) -> dict[tuple[str, str], str | None]:
    conn = sqlite3.connect(path)
    try:
        return {(kind, name): sql for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master")}
    finally:
        conn.close()


def test_an_upgraded_file_has_the_schema_of_a_new_one(upgraded: Database, tmp_path: Path,
                                                       new_db_file) -> None:
    assert migrate.current_revision(upgraded.engine) == migrate.head()
    with upgraded.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object,
                                                         "compare_type": True})
        # What autogenerate would do to make the models of today: nothing. (The
        # full-text tables are made by hand in 0001 and left out by include_object;
        # the comparison of sqlite_master below covers them.)
        assert compare_metadata(context, Base.metadata) == []
    upgraded.close()
    assert read_header(upgraded.path) == (APPLICATION_ID, SCHEMA_VERSION)
    # Every table, index and trigger, word for word as a new file has it (batch
    # mode copies tables: their CREATE statements must still come out the same).
    fresh = new_db_file(tmp_path / "new.crmdesk")
    assert _ddl(upgraded.path) == _ddl(fresh)


# -- the data ------------------------------------------------------------------------------


def test_every_contact_reads_as_it_went_in(upgraded: Database, version: int) -> None:
    with upgraded.reading() as s:
        assert count_contacts(s) == len(people.CONTACTS) - len(people.TRASHED)
        assert count_contacts(s, trash=True) == len(people.TRASHED)
        assert get_setting(s, "phone_region") == people.PHONE_REGION
        assert get_setting(s, "collation") == people.COLLATION
        for n, want in enumerate(people.CONTACTS, 1):
            got = load_contact(s, n)
            # (Status and source: test_statuses_and_sources_are_kept.)
            for attr in ("given_name", "family_name", "middle_name", "prefix", "nickname",
                         "company", "job_title", "notes"):
                assert getattr(got, attr) == want.get(attr, ""), (n, attr)
            assert got.name_order == want.get("name_order", "given_first")
            assert (got.birthday_year, got.birthday_month, got.birthday_day) == want.get(
                "birthday", (None, None, None))
            assert [(p.number, p.label, p.e164) for p in got.phones] == want.get("phones", [])
            assert [p.primary for p in got.phones] == [i == 0 for i in range(len(got.phones))]
            assert [(e.address, e.label) for e in got.emails] == want.get("emails", [])
            assert [(a.street, a.city, a.postcode, a.country, a.label) for a in got.addresses] == [
                (a.get("street", ""), a.get("city", ""), a.get("postcode", ""), a["country"],
                 a.get("label", "")) for a in want.get("addresses", [])]
            assert [(ln.url, ln.label) for ln in got.links] == want.get("links", [])
            assert sorted(got.tags) == sorted(want.get("tags", []))
            assert (got.deleted_at is not None) == (n in people.TRASHED)
            assert got.display_name
        photo = load_contact(s, people.WITH_PHOTO)
        assert (photo.photo, photo.photo_mime) == (people.PHOTO, "image/png")
        who, relation, other = people.RELATIVE
        assert [(r.relation, r.contact_id) for r in load_contact(s, who).relatives] == [
            (relation, other)]
        for n, want in enumerate(people.COMPANIES, 1):
            company = load_company(s, n)
            assert (company.name, company.industry) == (want["name"], want["industry"])
            assert [(p.number, p.label, p.e164) for p in company.phones] == want["phones"]
            assert [e.address for e in company.emails] == [a for a, _l in want["emails"]]
            assert [a.city for a in company.addresses] == [a["city"] for a in want["addresses"]]


# Migration 0003 rebuilds the choice table in batch mode (copy, drop, rename): with
# foreign keys on, the drop set every status and lead source to NULL. Migrations now
# run with the keys off and checked before the commit (storage/migrate.upgrade).
@pytest.mark.parametrize("version", SCHEMAS, ids=[f"schema{v}" for v in SCHEMAS])
def test_statuses_and_sources_are_kept(upgraded: Database, version: int) -> None:
    with upgraded.reading() as s:
        for n, want in enumerate(people.CONTACTS, 1):
            got = load_contact(s, n)
            status = want.get("status", "")
            if n == people.STATUS_CHANGE[0]:
                status = people.STATUS_CHANGE[1]
            assert (got.status, got.source) == (status, want.get("source", "")), n
    # Contact 2 went from Lead to Customer: both changes, with their statuses.
    with upgraded.engine.connect() as conn:
        changes = [tuple(r) for r in conn.exec_driver_sql(
            "SELECT o.name, n.name FROM status_change c LEFT JOIN choice o ON o.id = "
            "c.old_status_id LEFT JOIN choice n ON n.id = c.new_status_id "
            "WHERE c.contact_id = 2 ORDER BY c.id")]
    assert changes == [(None, "Lead"), ("Lead", "Customer")]


def test_custom_values_read_as_they_went_in(upgraded: Database, version: int) -> None:
    if version < 2:
        pytest.skip("schema 1 has no custom fields")
    with upgraded.reading() as s:
        contacts = get_values(s, CONTACT, list(range(1, len(people.CONTACTS) + 1)))
        assert {n: v for n, v in contacts.items() if v} == people.VALUES
        companies = get_values(s, COMPANY, list(range(1, len(people.COMPANIES) + 1)))
        assert {n: v for n, v in companies.items() if v} == people.COMPANY_VALUES
        _entity, key, _label, _type, n, value = people.ARCHIVED
        assert get_values(s, CONTACT, [n], keys=[key]) == {n: {key: value}}
    name, keys = people.SECTION
    with upgraded.engine.connect() as conn:
        in_section = conn.exec_driver_sql(
            "SELECT f.key FROM field_def f JOIN field_section x ON x.id = f.section_id "
            "WHERE x.name = ? ORDER BY f.key", (name,)).scalars().all()
    assert in_section == sorted(keys)


def test_history_reads_as_it_went_in(upgraded: Database, version: int) -> None:
    if version < 3:
        pytest.skip("history came with schema 3")
    expected = []
    for kind, subject, at, who, outcome, details, each in people.HISTORY:
        for group in ([[c] for c in who] if each else [who]):
            expected.append((kind, subject, at, group, outcome, details))
    with upgraded.reading() as s:
        assert count_interactions(s) == len(expected)
        ids = interactions_of(s, range(1, len(people.CONTACTS) + 1))
        got = []
        for iid in ids:
            entry = get_interaction(s, iid)
            got.append((entry.kind, entry.subject, entry.at.astimezone(UTC), entry.contact_ids,
                        entry.outcome, entry.details))
    assert got == expected


def test_the_search_finds_contacts_by_fragments(upgraded: Database, version: int) -> None:
    def found(text: str) -> set[int]:
        with upgraded.reading() as s:
            return set(find_ids(s, CONTACT, text, strict=True))

    assert found("Смирн") == {9}  # Анна Смирнова
    assert found("Кузнец") == {10}
    assert found("Šiaul") == {2, 3, 6}  # Šiaulienė, and the two of AB Šiaulių bankas
    assert found("siaul") == {2, 3, 6}  # without its accent too
    assert found("Žemait") == {1}
    assert found("长城") == {13, 14}  # their company
    assert found("Müll") == {18}
    assert found("Nilsson") == set()  # in the trash
    if version >= 2:
        assert found("Постоянный") == {8}  # a custom long text
        assert found("LT-0002") == {2}


def test_sort_keys_are_those_of_today(upgraded: Database) -> None:
    """Migrations 0004 and 0005 computed every sort key as today's code does."""
    def keys() -> list[tuple[str, int, str]]:
        with upgraded.engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(  # type: ignore[misc]
                "SELECT 'contact', id, sort_key FROM contact UNION ALL "
                "SELECT 'company', id, sort_key FROM company ORDER BY 1, 2")]

    before = keys()
    assert all(key for _t, _i, key in before)
    set_collation(upgraded, people.COLLATION)
    assert keys() == before


def test_check_finds_nothing_wrong(upgraded: Database) -> None:
    report = check_database(upgraded, deep=True)
    assert report.problems == []
    assert report.contacts + report.trashed == len(people.CONTACTS)


def test_the_cli_check_finds_nothing_wrong(old_file: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    Database.open(old_file).close()
    env = {**os.environ, backups.BACKUP_DIR_ENV: str(tmp_path / "backups")}
    done = subprocess.run([sys.executable, "-m", "crmdesk", "check", "--deep", "--db",
                           str(old_file)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


# -- the backup ----------------------------------------------------------------------------

# What SQLite's online backup API writes anew in the copy's 100-byte header (the
# API copies pages, then sets these of the copy's own): the file format versions
# (18, 19: the copy is left in rollback-journal mode, the file is in WAL mode),
# the change counter (24-27), the schema cookie (40-43) and "version valid for"
# (92-95). Everything else, every page after the first and the rest of the first,
# must be the original's byte for byte.
BACKUP_REWRITES = {18, 19, *range(24, 28), *range(40, 44), *range(92, 96)}


def test_the_original_is_backed_up_before_the_upgrade(old_file: Path, version: int) -> None:
    Database.open(old_file).close()
    made = [b for b in backups.list_backups(old_file) if b.reason == f"before-{version:04d}"]
    assert len(made) == 1, backups.list_backups(old_file)
    original = fixture(version).read_bytes()
    copy = made[0].path.read_bytes()
    assert len(copy) == len(original)
    differ = {i for i, (a, b) in enumerate(zip(original, copy, strict=True)) if a != b}
    assert differ <= BACKUP_REWRITES, sorted(differ - BACKUP_REWRITES)
    # ... and its contents, read by SQLite, are the original's to the last row.
    assert _dump(made[0].path) == _dump(fixture(version))
    assert read_header(made[0].path) == (APPLICATION_ID, version)


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path.as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# -- an upgrade that fails ---------------------------------------------------------------


class StepFailed(RuntimeError):
    pass


@pytest.fixture
def failing_last_step(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Migration 0005 (the last step, after the earlier ones have run in the same
    transaction) raises. The migration scripts import recompute_sort_keys when
    alembic loads them, so patching the module they import it from is enough."""
    calls: list[str] = []

    def fail(conn: object, language: str) -> int:
        calls.append(language)
        raise StepFailed("migration 0005 failed halfway")

    monkeypatch.setattr(sort_keys, "recompute_sort_keys", fail)
    return calls


def test_a_failed_upgrade_leaves_the_file_untouched(old_file: Path, version: int,
                                                   failing_last_step: list[str]) -> None:
    with pytest.raises(Exception):  # noqa: B017 - whatever it is, the file must be intact
        Database.open(old_file)
    assert failing_last_step, "the patched migration step never ran"
    assert old_file.read_bytes() == fixture(version).read_bytes()
    assert sorted(p.name for p in old_file.parent.iterdir() if p.name != "backups") == [
        old_file.name]
    # The backup made before it is there, whole, and holds the original.
    made = [b for b in backups.list_backups(old_file) if b.reason == f"before-{version:04d}"]
    assert len(made) == 1
    assert _dump(made[0].path) == _dump(fixture(version))


def test_after_a_failed_upgrade_the_next_open_upgrades(old_file: Path, version: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    real = sort_keys.recompute_sort_keys
    monkeypatch.setattr(sort_keys, "recompute_sort_keys",
                        lambda conn, language: (_ for _ in ()).throw(StepFailed("halfway")))
    with pytest.raises(DatabaseFileError) as raised:
        Database.open(old_file)
    assert isinstance(raised.value.__cause__, StepFailed)
    monkeypatch.setattr(sort_keys, "recompute_sort_keys", real)
    with Database.open(old_file) as db:
        assert migrate.current_revision(db.engine) == migrate.head()
        assert check_database(db, deep=True).problems == []
        with db.reading() as s:
            assert load_contact(s, 1).family_name == "Žemaitytė"


def test_a_failed_upgrade_says_where_the_backup_is(old_file: Path, version: int,
                                                  failing_last_step: list[str]) -> None:
    with pytest.raises(DatabaseFileError) as raised:
        Database.open(old_file)
    assert "The file was not changed" in str(raised.value)
    made = [b for b in backups.list_backups(old_file) if b.reason == f"before-{version:04d}"]
    assert len(made) == 1
    assert str(made[0].path) in str(raised.value)
