"""Every contact's and company's sort key, computed again.

For a change of the file's collation (Settings), and for a file whose keys were
made by an earlier version of the rules (migration 0005). Written with Core
tables on a Connection so that the migration, which must not use the live ORM
models, runs the very same code.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crmdesk.core.text.collation import name_sort_key
from crmdesk.core.text.company_names import company_sort_key

_CHUNK = 5000

_contact = sa.table("contact", sa.column("id", sa.Integer), sa.column("given_name", sa.String),
                    sa.column("middle_name", sa.String), sa.column("family_name", sa.String),
                    sa.column("display_name", sa.String), sa.column("sort_key", sa.String))
_company = sa.table("company", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("sort_key", sa.String))
_setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.String))


def stored_collation(conn: Connection) -> str:
    """The file's collation setting, read without the ORM."""
    value = conn.scalar(sa.select(_setting.c.value).where(_setting.c.key == "collation"))
    return value or ""


def recompute_sort_keys(conn: Connection, language: str) -> int:
    """Give every contact and company (the trash too) the sort key of ``language``'s
    alphabet. Returns how many contacts there are. Only changed keys are written."""
    contacts = conn.execute(sa.select(_contact.c.id, _contact.c.given_name,
                                      _contact.c.middle_name, _contact.c.family_name,
                                      _contact.c.display_name, _contact.c.sort_key)).all()
    changed = []
    for cid, given, middle, family, shown, old in contacts:
        key = name_sort_key(given=given or "", middle=middle or "", family=family or "",
                            fallback=shown or "", language=language)
        if key != old:
            changed.append({"cid": cid, "key": key})
    _write(conn, _contact, changed)
    companies = []
    for cid, name, old in conn.execute(sa.select(_company.c.id, _company.c.name,
                                                 _company.c.sort_key)):
        key = company_sort_key(name or "", language)
        if key != old:
            companies.append({"cid": cid, "key": key})
    _write(conn, _company, companies)
    return len(contacts)


def _write(conn: Connection, table: sa.TableClause, rows: list[dict[str, object]]) -> None:
    stmt = (table.update().where(table.c.id == sa.bindparam("cid"))
            .values(sort_key=sa.bindparam("key")))
    for start in range(0, len(rows), _CHUNK):
        conn.execute(stmt, rows[start:start + _CHUNK])
