"""What the big lists show and in which order, without Qt.

A list (DESIGN.md "Big lists") asks for two things: the ordered ids of every
record that matches (one query, however many there are), and the shown values
of a block of those ids (one query per table). Both are built here from a
whitelist of columns, so a column key a user picked, or one read back from the
settings file, can only ever select one of the expressions below; no SQL text
is ever made from it or from what was typed in the search box.

The ids come from the one entry point from query text to ids (query.find_ids,
which orders them with ordering.py); this module holds the columns and reads
the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmdesk.core.fields import service as fields
from crmdesk.core.fields.info import FieldInfo
from crmdesk.core.i18n import _
from crmdesk.core.lookup.activity_fields import next_activity_times, now_utc
from crmdesk.core.lookup.ordering import SOURCE_CHOICE, STATUS_CHOICE, live_company
from crmdesk.core.lookup.query import CUSTOM_PREFIX, Within, fetch_ids, find_ids, text_memory
from crmdesk.core.storage.field_models import COMPANY, CONTACT
from crmdesk.core.storage.models import Address, Company, Contact, Email, Phone

__all__ = [
    "COMPANY_COLUMNS", "CONTACT_COLUMNS", "COUNT", "CUSTOM_NUMBER", "CUSTOM_PREFIX", "DATETIME",
    "DAY", "DEFAULT_COMPANY_COLUMNS", "DEFAULT_CONTACT_COLUMNS", "TEXT",
    "TRASH_COMPANY_COLUMNS", "TRASH_CONTACT_COLUMNS", "ListColumn", "company_ids",
    "company_rows", "contact_columns", "contact_ids", "count_all", "custom_key", "fetch_ids",
    "prepare_sorting", "rows", "warm_text_memory",
]

# Kinds of value, so that a view knows how to show and align them.
TEXT = "text"
DATETIME = "datetime"
DAY = "day"  # (year or None, month, day): a birthday
COUNT = "count"
CUSTOM_NUMBER = "custom_number"  # a custom number or money: already formatted, aligned right

@dataclass(frozen=True)
class ListColumn:
    """One column a list can show: its key (saved in settings), title and kind."""

    key: str
    title: Callable[[], str]  # called when shown, so that the language can change
    kind: str = TEXT
    width: int = 160  # a sensible first width, in pixels at 96 dpi
    descending_first: bool = False  # dates: the newest first is what one wants


CONTACT_COLUMNS: dict[str, ListColumn] = {
    c.key: c
    for c in (
        ListColumn("name", lambda: _("Name"), width=200),
        ListColumn("company", lambda: _("Company"), width=170),
        ListColumn("job_title", lambda: _("Job title")),
        ListColumn("department", lambda: _("Department")),
        ListColumn("phone", lambda: _("Phone"), width=135),
        ListColumn("email", lambda: _("E-mail"), width=200),
        ListColumn("city", lambda: _("City"), width=110),
        ListColumn("country", lambda: _("Country"), width=70),
        ListColumn("status", lambda: _("Status"), width=100),
        ListColumn("source", lambda: _("Lead source"), width=120),
        ListColumn("birthday", lambda: _("Birthday"), DAY, width=110),
        ListColumn("created", lambda: _("Created"), DATETIME, 140, True),
        ListColumn("updated", lambda: _("Updated"), DATETIME, 130, True),
        ListColumn("deleted", lambda: _("Deleted"), DATETIME, 140, True),
        # Derived from the history (history_last.py): when the person was last reached,
        # and last tried without reaching them.
        ListColumn("last_contact", lambda: _("Last contact"), DATETIME, 140, True),
        ListColumn("last_attempt", lambda: _("Last attempt"), DATETIME, 140, True),
        # Derived from the calendar (activity_fields.py): the soonest open activity.
        ListColumn("next_activity", lambda: _("Next activity"), DATETIME, 140),
    )
}
def custom_key(field_key: str) -> str:
    return CUSTOM_PREFIX + field_key


def _custom_field(session: Session, key: str) -> FieldInfo | None:
    if not key.startswith(CUSTOM_PREFIX):
        return None
    return fields.field_by_key(session, CONTACT, key[len(CUSTOM_PREFIX):])


def _title(label: str) -> Callable[[], str]:
    return lambda: label


def contact_columns(session: Session) -> dict[str, ListColumn]:
    """The built-in contact columns and one per custom contact field (not archived)."""
    out = dict(CONTACT_COLUMNS)
    for f in fields.describe_fields(session, CONTACT):
        out[custom_key(f.key)] = ListColumn(
            custom_key(f.key), _title(f.label),
            CUSTOM_NUMBER if f.type in (fields.NUMBER, fields.MONEY) else TEXT,
            width=110 if f.type in (fields.NUMBER, fields.MONEY, fields.DATE,
                                    fields.YES_NO) else 150)
    return out


def _known_contact(session: Session, key: str) -> str:
    if key in CONTACT_COLUMNS or _custom_field(session, key) is not None:
        return key
    raise ValueError(f"unknown list column {key!r}")


DEFAULT_CONTACT_COLUMNS = ["name", "company", "phone", "email", "city", "status", "updated"]
TRASH_CONTACT_COLUMNS = ["name", "company", "email", "deleted"]

COMPANY_COLUMNS: dict[str, ListColumn] = {
    c.key: c
    for c in (
        ListColumn("name", lambda: _("Name"), width=240),
        ListColumn("industry", lambda: _("Industry"), width=150),
        ListColumn("phone", lambda: _("Phone"), width=150),
        ListColumn("city", lambda: _("City"), width=130),
        ListColumn("contacts", lambda: _("Contacts"), COUNT, 80, True),
        ListColumn("updated", lambda: _("Updated"), DATETIME, 140, True),
        ListColumn("deleted", lambda: _("Deleted"), DATETIME, 140, True),
    )
}
DEFAULT_COMPANY_COLUMNS = ["name", "industry", "phone", "city", "contacts"]
TRASH_COMPANY_COLUMNS = ["name", "industry", "deleted"]


def _known(columns: dict[str, ListColumn], key: str) -> str:
    if key not in columns:
        raise ValueError(f"unknown list column {key!r}")
    return key


# Page cache for the connection that runs list queries: sorting 100,000 rows by
# a joined column fits in memory instead of spilling to temporary files
# (SQLite's 2 MB default), which makes a re-sort ~40% faster. 8 MB sorts as
# fast as 16 did at 100,000 contacts and leaves room for short_search's texts
# under the 300 MB the window may take.
SORT_CACHE_KIB = 8192


def prepare_sorting(session: Session) -> None:
    """Give this session's connection room to sort big lists (SQLite only; a constant)."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql(f"PRAGMA cache_size=-{SORT_CACHE_KIB:d}")


# -- contacts -----------------------------------------------------------------


def contact_ids(session: Session, query: str = "", sort_key: str = "name",
                descending: bool = False, trash: bool = False,
                company_id: int | None = None) -> list[int]:
    """Every matching contact's id in display order (the whole list, ids only): the
    contact list's search box, through the one entry point (query.find_ids).

    The box speaks the lookup language (``city:Vilnius status:customer``); a
    query that is not (yet) a valid lookup, as while ``status:`` is being typed,
    is read as plain words. With a search and the name order, contacts whose
    name matches come first (search.name_rank); with another order the chosen
    column decides and the name match breaks ties.
    """
    within = None if company_id is None else Within((Contact.company_id == company_id,))
    return find_ids(session, CONTACT, query, strict=False, sort=sort_key,
                    descending=descending, trash=trash, within=within)


def warm_text_memory(session: Session) -> None:
    """Fill the TextMemory now (on a background thread, before the user types)."""
    memory = text_memory(session)
    if memory is not None:
        memory.warm(session, session.info["database"].generation)


def count_all(session: Session, *, trash: bool = False, companies: bool = False) -> int:
    model: Any = Company if companies else Contact
    cond = model.deleted_at.is_not(None) if trash else model.deleted_at.is_(None)
    return session.scalar(select(func.count()).select_from(model).where(cond)) or 0


_CONTACT_VALUES: dict[str, Any] = {
    "name": Contact.display_name,
    "company": Company.name,
    "job_title": Contact.job_title,
    "department": Contact.department,
    "status": STATUS_CHOICE.name,
    "source": SOURCE_CHOICE.name,
    "created": Contact.created_at,
    "updated": Contact.updated_at,
    "deleted": Contact.deleted_at,
    "last_contact": Contact.last_contact_at,
    "last_attempt": Contact.last_attempt_at,
}
_CHILD_VALUES: dict[str, tuple[Any, Any]] = {
    "phone": (Phone, Phone.number),
    "email": (Email, Email.address),
    "city": (Address, Address.city),
    "country": (Address, Address.country),
}


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def rows(session: Session, ids: Sequence[int], columns: Sequence[str], *,
         locale: str | None = None) -> dict[int, tuple[Any, ...]]:
    """The values of ``columns`` for these contacts: {id: (value per column)}.

    One query for the contact row (with its company and choices joined), one
    per child table a column needs, one (fields.get_values) for all the
    custom columns, and one for the next activity (two when a series has one of
    these contacts on it); a block of 64 rows costs ~4 ms at 100,000 contacts. Custom values come as
    text for people to read (fields.display_text in ``locale``). Ids that no
    longer exist are missing from the answer.
    """
    custom: dict[str, FieldInfo] = {}
    for key in columns:
        _known_contact(session, key)
        info = _custom_field(session, key)
        if info is not None:
            custom[key] = info
    out: dict[int, list[Any]] = {}
    for chunk in _chunks(ids):
        main = [k for k in columns if k in _CONTACT_VALUES]
        wanted = [_CONTACT_VALUES[k] for k in main]
        if "birthday" in columns:
            wanted += [Contact.birthday_year, Contact.birthday_month, Contact.birthday_day]
        stmt = select(Contact.id, *wanted).where(Contact.id.in_(chunk))
        if "company" in columns:
            stmt = stmt.outerjoin(Company, live_company())
        if "status" in columns:
            stmt = stmt.outerjoin(STATUS_CHOICE, STATUS_CHOICE.id == Contact.status_id)
        if "source" in columns:
            stmt = stmt.outerjoin(SOURCE_CHOICE, SOURCE_CHOICE.id == Contact.source_id)
        found: dict[int, dict[str, Any]] = {}
        for r in session.execute(stmt):
            values = dict(zip(main, r[1:1 + len(main)], strict=True))
            if "birthday" in columns:
                y, m, d = r[1 + len(main):]
                values["birthday"] = (y, m, d) if m and d else None
            found[r[0]] = values
        tables: dict[Any, list[str]] = {}
        for key in columns:
            if key in _CHILD_VALUES:
                tables.setdefault(_CHILD_VALUES[key][0], []).append(key)
        for model, keys in tables.items():
            cols = [_CHILD_VALUES[k][1] for k in keys]
            for r in session.execute(
                select(model.contact_id, *cols)
                .where(model.contact_id.in_(chunk), model.is_primary.is_(True))
            ):
                if r[0] in found:
                    found[r[0]].update(zip(keys, r[1:], strict=True))
        if "next_activity" in columns:
            for cid, at in next_activity_times(session, now_utc(), list(found)).items():
                found[cid]["next_activity"] = at
        if custom:
            by_id = fields.get_values(session, CONTACT, list(found),
                                      [f.key for f in custom.values()])
            for cid, values in found.items():
                stored = by_id.get(cid, {})
                for key, info in custom.items():
                    value = stored.get(info.key)
                    values[key] = (None if value is None
                                   else fields.display_text(info, value, locale))
        for cid, values in found.items():
            out[cid] = [values.get(k) for k in columns]
    return {cid: tuple(v) for cid, v in out.items()}


# -- companies ----------------------------------------------------------------


def company_ids(session: Session, query: str = "", sort_key: str = "name",
                descending: bool = False, trash: bool = False) -> list[int]:
    """The Companies view's list: the companies a lookup finds (``industry:retail``;
    plain words in the name or the industry), in display order (query.find_ids)."""
    return find_ids(session, COMPANY, query, strict=False, sort=sort_key,
                    descending=descending, trash=trash)


def company_rows(session: Session, ids: Sequence[int],
                 columns: Sequence[str]) -> dict[int, tuple[Any, ...]]:
    """Shown values for a block of companies, one query per table."""
    for key in columns:
        _known(COMPANY_COLUMNS, key)
    simple = {"name": Company.name, "industry": Company.industry,
              "updated": Company.updated_at, "deleted": Company.deleted_at}
    out: dict[int, tuple[Any, ...]] = {}
    for chunk in _chunks(ids):
        main = [k for k in columns if k in simple]
        found: dict[int, dict[str, Any]] = {
            r[0]: dict(zip(main, r[1:], strict=True))
            for r in session.execute(
                select(Company.id, *(simple[k] for k in main)).where(Company.id.in_(chunk))
            )
        }
        if "phone" in columns:
            for cid, number in session.execute(
                select(Phone.company_id, Phone.number)
                .where(Phone.company_id.in_(chunk), Phone.is_primary.is_(True))
            ):
                if cid in found:
                    found[cid]["phone"] = number
        if "city" in columns:
            for cid, city in session.execute(
                select(Address.company_id, Address.city)
                .where(Address.company_id.in_(chunk), Address.is_primary.is_(True))
            ):
                if cid in found:
                    found[cid]["city"] = city
        if "contacts" in columns:
            for cid, n in session.execute(
                select(Contact.company_id, func.count())
                .where(Contact.company_id.in_(chunk), Contact.deleted_at.is_(None))
                .group_by(Contact.company_id)
            ):
                if cid in found:
                    found[cid]["contacts"] = n
            for values in found.values():
                values.setdefault("contacts", 0)
        for cid, values in found.items():
            out[cid] = tuple(values.get(k) for k in columns)
    return out
