"""`crmdesk check`: is this file whole? SQLite's own checks plus ours."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from crmdesk.core import migrate
from crmdesk.core.database import Database
from crmdesk.core.i18n import _
from crmdesk.core.models import Company, Contact, SearchRow
from crmdesk.core.search import build_rows, has_fts


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    contacts: int = 0
    trashed: int = 0
    companies: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(db: Database, *, deep: bool = False) -> CheckReport:
    """Integrity of the file, foreign keys, schema revision, and the search index.

    ``deep`` also rebuilds every search row in memory and compares it with the
    stored one (slow on big files; the plain check compares counts).
    """
    report = CheckReport()
    with db.reading() as s:
        for (line,) in s.execute(text("PRAGMA integrity_check")):
            if line != "ok":
                report.problems.append(_("SQLite integrity: {line}").format(line=line))
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
        if has_fts(s):
            problem = _fts_integrity(db)
            if problem:
                report.problems.append(_("Full-text index: {err}").format(err=problem))
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
    return report


def _fts_integrity(db: Database) -> str | None:
    """FTS5's own integrity check. It is phrased as an INSERT, so it needs a
    connection that may write; it runs in a transaction that is rolled back and
    changes nothing. On a read-only file it is skipped."""
    if db.path is None or not os.access(db.path, os.W_OK):
        return None
    conn = sqlite3.connect(str(db.path), isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("BEGIN")
        try:
            conn.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()
    return None
