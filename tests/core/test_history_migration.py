"""Migration 0003 (history): a version-2 file upgrades and keeps its data; the models and
the migrations describe the same schema; `crmdesk check` looks at the history too."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, event, inspect

import crmdesk.core.storage.field_models  # noqa: F401 - its tables are part of the metadata
from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.history import records as history
from crmdesk.core.history.records import InteractionData, log_interaction
from crmdesk.core.lists import choices
from crmdesk.core.maintenance.check import check_database
from crmdesk.core.storage import migrate
from crmdesk.core.storage.database import APPLICATION_ID, SCHEMA_VERSION, Database, read_header
from crmdesk.core.storage.defaults import DEFAULTS, REACHED
from crmdesk.core.storage.migrate import include_object
from crmdesk.core.storage.models import INTERACTION_KIND, OUTCOME, Base

OLD_CONTACT = (
    "INSERT INTO contact (given_name, family_name, middle_name, prefix, suffix, nickname, "
    "name_order, display_name, sort_key, job_title, department, notes, created_at, "
    "updated_at, status_id) VALUES ('Old', 'Friend', '', '', '', '', 'given_first', "
    "'Old Friend', 'friend old', '', '', '', '2020-01-01', '2020-01-01', 1)")


def _engine(path):
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _fk(conn, _record):
        conn.execute("PRAGMA foreign_keys=ON")

    return engine


def make_version_2_file(path):
    """A file as crmdesk 0.2 left it: schema 0002, its lists, one contact with a phone."""
    engine = _engine(path)
    migrate.upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql("PRAGMA user_version=2")
        conn.exec_driver_sql("INSERT INTO choice (kind, name, position, archived) "
                             "VALUES ('status', 'Lead', 0, 0)")
        conn.exec_driver_sql(OLD_CONTACT)
        conn.exec_driver_sql("INSERT INTO phone (contact_id, label, number, is_primary, "
                             "position) VALUES (1, '', '+370 600 00000', 1, 0)")
    engine.dispose()


def test_a_version_2_file_is_backed_up_then_upgraded(db_path):
    make_version_2_file(db_path)
    with Database.open(db_path) as db:
        assert migrate.current_revision(db.engine) == migrate.head()
        assert db.execute_scalar("SELECT display_name FROM contact") == "Old Friend"
        assert db.execute_scalar("SELECT number FROM phone") == "+370 600 00000"
        assert db.execute_scalar("SELECT last_contact_at FROM contact") is None
        with db.reading() as s:
            kinds = choices.list_choices(s, INTERACTION_KIND)
            outcomes = choices.list_choices(s, OUTCOME)
            assert [c.name for c in choices.list_choices(s, "status")] == ["Lead"]
        assert [k.name for k in kinds] == DEFAULTS[INTERACTION_KIND]
        assert {k.name for k in kinds if k.reached} == REACHED[INTERACTION_KIND]
        assert {o.name for o in outcomes if o.reached} == REACHED[OUTCOME]
        when = datetime.now(UTC) - timedelta(days=1)
        with db.session() as s:
            log_interaction(s, InteractionData(kind="Call", contact_ids=[1], at=when))
        with db.reading() as s:
            assert [e.kind for e in history.timeline(s, 1)] == ["Call"]
        # (The contact was written by hand, without its search row: only the history counts.)
        problems = check_database(db, deep=True).problems
        assert not [p for p in problems if "history" in p or "last contact" in p]
    assert read_header(db_path) == (APPLICATION_ID, SCHEMA_VERSION)
    from crmdesk.core.storage.backups import list_backups

    backups = [b.path for b in list_backups(db_path) if b.reason == "before-0002"]
    assert len(backups) == 1
    backup = sqlite3.connect(backups[0])
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
    assert backup.execute("SELECT display_name FROM contact").fetchone() == ("Old Friend",)
    backup.close()


def test_lists_a_file_already_has_are_not_seeded_again(tmp_path):
    engine = _engine(tmp_path / "old.db")
    migrate.upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO choice (kind, name, position, archived) "
                             "VALUES ('outcome', 'Sold', 0, 0)")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        outcomes = conn.exec_driver_sql(
            "SELECT name FROM choice WHERE kind = 'outcome'").fetchall()
        kinds = conn.exec_driver_sql(
            "SELECT count(*) FROM choice WHERE kind = 'interaction_kind'").scalar()
    assert outcomes == [("Sold",)] and kinds == 7
    engine.dispose()


def test_the_models_match_the_migrations(tmp_path):
    """What alembic autogenerate would find to do after all migrations: nothing."""
    engine = _engine(tmp_path / "new.db")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object,
                                                         "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    indexes = {i["name"] for i in inspect(engine).get_indexes("interaction")}
    assert {"ix_interaction_at", "ix_interaction_kind_id", "ix_interaction_outcome_id",
            "ix_interaction_company_id"} <= indexes
    links = {i["name"] for i in inspect(engine).get_indexes("interaction_contact")}
    assert "ix_interaction_contact_contact" in links
    engine.dispose()


def test_downgrade_keeps_contacts_and_their_children(tmp_path):
    """Batch mode would copy the contact table, and dropping the old copy with foreign
    keys on would cascade into phones; the downgrade drops the columns in place."""
    path = tmp_path / "old.db"
    make_version_2_file(path)
    engine = _engine(path)
    migrate.upgrade(engine)
    config = migrate._config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM phone").scalar() == 1
        assert "interaction" not in inspect(conn).get_table_names()
        columns = {c["name"] for c in inspect(conn).get_columns("contact")}
        assert "last_contact_at" not in columns
    engine.dispose()


def test_check_finds_history_problems(db):
    cid = create_contact(db, ContactData(given_name="Ann", family_name="Adams"))
    with db.session() as s:
        log_interaction(s, InteractionData(kind="Call", subject="Hi", contact_ids=[cid]))
        log_interaction(s, InteractionData(kind="Note", subject="Two", contact_ids=[cid]))
    report = check_database(db, deep=True)
    assert report.ok and report.interactions == 2
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE contact SET last_contact_at = NULL")
        conn.exec_driver_sql("UPDATE interaction SET search_text = 'x' WHERE id = 2")
        conn.exec_driver_sql("DELETE FROM interaction_contact WHERE interaction_id = 2")
    assert len(check_database(db).problems) == 1  # the orphan; the rest needs --deep
    problems = check_database(db, deep=True).problems
    assert len(problems) == 3
    assert "no contact and no company" in problems[0]
    assert f"contact {cid}" in problems[1]
    assert "entry 2" in problems[2]


@pytest.mark.parametrize("key", ["last_contact", "last_attempt"])
def test_the_new_lookup_keys_are_reserved_for_custom_fields(key):
    from crmdesk.core.fields.keys import reserved_keys

    assert key in reserved_keys()
