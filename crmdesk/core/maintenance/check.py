"""`crmdesk check`: is this file whole? SQLite's own checks plus ours.

Ours: the search index matches the contacts; no history entry is about
nobody (contacts.purge_contacts deletes those); and, with ``deep``, every
stored derived value (search text, the history's folded text, each
contact's last contact and last attempt) is what it would be if computed now.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from crmdesk.core.errors import NotADatabaseError
from crmdesk.core.history.last_contact import newest_at, reach_conditions
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.search.fulltext import build_rows, has_fts
from crmdesk.core.storage import migrate
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import (
    Company,
    Contact,
    Interaction,
    SearchRow,
    interaction_contact,
)
from crmdesk.core.text.folding import fold

DEEP_BATCH = 10_000  # history entries read at a time by the deep check


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    contacts: int = 0
    trashed: int = 0
    companies: int = 0
    interactions: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(db: Database, *, deep: bool = False) -> CheckReport:
    """Integrity of the file, foreign keys, schema revision, and the search index.

    ``deep`` also rebuilds every search row in memory and compares it with the
    stored one (slow on big files; the plain check compares counts).
    """
    report = CheckReport()
    try:
        report.problems += _integrity_problems(db)
    except NotADatabaseError as exc:
        report.problems.append(_damage(exc))
        return report
    try:
        _check_contents(db, report, deep=deep)
    except NotADatabaseError as exc:
        report.problems.append(_damage(exc))
    return report


def _damage(exc: NotADatabaseError) -> str:
    """What SQLite said of the part it could not read, else our own words."""
    cause = exc.__cause__
    said = str(getattr(cause, "orig", None) or cause or exc.message)
    return _("The file is damaged: SQLite cannot read all of it ({error}).").format(error=said)


def _integrity_problems(db: Database) -> list[str]:
    """SQLite's own check of every page, one problem a line (the first 100)."""
    problems: list[str] = []
    with db.reading() as s:
        for (found,) in s.execute(text("PRAGMA integrity_check(100)")):
            for line in str(found).splitlines():
                if line != "ok" and not line.startswith("*** in database"):
                    problems.append(_("SQLite integrity: {line}").format(line=line))
    return problems


def _check_contents(db: Database, report: CheckReport, *, deep: bool) -> None:
    with db.reading() as s:
        for row in s.execute(text("PRAGMA foreign_key_check")):
            report.problems.append(
                _("Broken link in table {table}, row {rowid}").format(table=row[0], rowid=row[1])
            )
        current = migrate.current_revision(db.engine)
        if current != migrate.head():
            report.problems.append(
                _("Schema revision {rev} is not the current one ({head}).").format(
                    rev=current, head=migrate.head()
                )
            )
        report.contacts = s.scalar(
            select(func.count()).select_from(Contact).where(Contact.deleted_at.is_(None))
        ) or 0
        report.trashed = s.scalar(
            select(func.count()).select_from(Contact).where(Contact.deleted_at.is_not(None))
        ) or 0
        report.companies = s.scalar(select(func.count()).select_from(Company)) or 0
        indexed = s.scalar(select(func.count()).select_from(SearchRow)) or 0
        if indexed != report.contacts + report.trashed:
            report.problems.append(
                _("The search index holds {n} contacts, the file {m}.").format(
                    n=indexed, m=report.contacts + report.trashed
                )
            )
        report.interactions = s.scalar(select(func.count()).select_from(Interaction)) or 0
        report.problems += _history_problems(s, deep=deep)
        if has_fts(s):
            problem = _fts_integrity(db, "search_fts")
            if problem:
                report.problems.append(_("Full-text index: {err}").format(err=problem))
            problem = _fts_integrity(db, "history_fts")
            if problem:
                report.problems.append(
                    _("The history's search index: {err}").format(err=problem))
        if deep:
            ids = list(s.scalars(select(Contact.id)))
            stored = {
                r.contact_id: (r.name_text, r.body_text) for r in s.scalars(select(SearchRow))
            }
            for fresh in build_rows(s, ids):
                if stored.get(fresh["contact_id"]) != (fresh["name_text"], fresh["body_text"]):  # type: ignore[call-overload]
                    report.problems.append(
                        _("The search text of contact {id} is out of date.").format(
                            id=fresh["contact_id"]
                        )
                    )


def _history_problems(s: Session, *, deep: bool) -> list[str]:
    problems: list[str] = []
    link = interaction_contact.c
    orphans = s.scalar(
        select(func.count()).select_from(Interaction)
        .where(Interaction.company_id.is_(None),
               Interaction.id.not_in(select(link.interaction_id)))) or 0
    if orphans:
        problems.append(ngettext(
            "{n} history entry belongs to no contact and no company.",
            "{n} history entries belong to no contact and no company.", orphans).format(
                n=orphans))
    if not deep:
        return problems
    reached, attempt = reach_conditions(s)
    stale = list(s.scalars(
        select(Contact.id).where(
            Contact.last_contact_at.is_distinct_from(newest_at(reached))
            | Contact.last_attempt_at.is_distinct_from(newest_at(attempt)))
        .order_by(Contact.id)))
    if stale:
        problems.append(ngettext(
            "The last contact or last attempt of {n} contact is out of date (contact {id}).",
            "The last contact or last attempt of {n} contacts is out of date (contact {id} "
            "and others).", len(stale)).format(n=len(stale), id=stale[0]))
    last_id = 0
    wrong: list[int] = []
    while True:
        batch = s.execute(
            select(Interaction.id, Interaction.subject, Interaction.details,
                   Interaction.search_text)
            .where(Interaction.id > last_id).order_by(Interaction.id).limit(DEEP_BATCH)).all()
        if not batch:
            break
        wrong += [r[0] for r in batch if fold(r[1] + "\n" + r[2]) != r[3]]
        last_id = batch[-1][0]
    if wrong:
        problems.append(ngettext(
            "The search text of {n} history entry is out of date (entry {id}).",
            "The search text of {n} history entries is out of date (entry {id} and others).",
            len(wrong)).format(n=len(wrong), id=wrong[0]))
    return problems


_FTS_CHECKS = {  # written out: no SQL is made from a name
    "search_fts": "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)",
    "history_fts": "INSERT INTO history_fts(history_fts, rank) VALUES ('integrity-check', 1)",
}


def _fts_integrity(db: Database, table: str) -> str | None:
    """FTS5's own integrity check of ``table`` (if the file has it). It is phrased as
    an INSERT, so it needs a connection that may write; it runs in a transaction
    that is rolled back and changes nothing. On a read-only file it is skipped."""
    if db.path is None or not os.access(db.path, os.W_OK):
        return None
    conn = sqlite3.connect(str(db.path), isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("BEGIN")
        try:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
                conn.execute(_FTS_CHECKS[table])
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()
    return None
