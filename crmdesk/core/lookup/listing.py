"""What the big lists show and in which order, without Qt.

A list (DESIGN.md "Big lists") asks for two things: the ordered ids of every
record that matches (one query, however many there are), and the shown values
of a block of those ids (one query per table). Both are built here from a
whitelist of columns, so a column key a user picked, or one read back from the
settings file, can only ever select one of the expressions below; no SQL text
is ever made from it or from what was typed in the search box.

Sorting by name is an index walk over Contact.sort_key (already in the
alphabet of the file's collation language). The other columns sort with one
query whose join is index-backed; empty values go last in both directions,
the way a spreadsheet puts blank cells last, and ties fall back to the name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.fields import service as fields
from crmdesk.core.fields.info import FieldInfo
from crmdesk.core.i18n import _
from crmdesk.core.lookup.compiler import CompiledLookup, compile_lookup
from crmdesk.core.lookup.syntax import has_conditions
from crmdesk.core.lookup.syntax import parse as parse_lookup
from crmdesk.core.search import fulltext as search
from crmdesk.core.search import short_fragments as short_search
from crmdesk.core.storage.field_models import CONTACT
from crmdesk.core.storage.models import Address, Choice, Company, Contact, Email, Phone
from crmdesk.core.storage.raw_rows import raw_rows

# Kinds of value, so that a view knows how to show and align them.
TEXT = "text"
DATETIME = "datetime"
DAY = "day"  # (year or None, month, day): a birthday
COUNT = "count"
CUSTOM_NUMBER = "custom_number"  # a custom number or money: already formatted, aligned right

_Status = aliased(Choice, name="status_choice")
_Source = aliased(Choice, name="source_choice")


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
    )
}
# A custom field's column: this prefix and the field's key (no built-in key has a colon).
CUSTOM_PREFIX = "cf:"


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


def _primary(model: Any, owner: Any, owner_col: Any) -> Any:
    """Join condition for an owner's primary phone, e-mail or address."""
    return and_(owner_col == owner.id, model.is_primary.is_(True))


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


def fetch_ids(session: Session, stmt: Select[Any]) -> list[int]:
    """The first column of every row, without one Row object per row (dbapi_rows).

    Duplicates (a damaged file with two primary e-mails for one contact) are
    dropped, keeping the order.
    """
    with raw_rows(session, stmt) as cursor:
        return list(dict.fromkeys(row[0] for row in cursor))


def _ordered(stmt: Select[Any], value: Any, descending: bool,
             ties: Sequence[Any]) -> Select[Any]:
    """ORDER BY value with empty values last in either direction, then the ties."""
    blank = case((or_(value.is_(None), value == ""), 1), else_=0)
    return stmt.order_by(blank, value.desc() if descending else value, *ties)


# -- contacts -----------------------------------------------------------------


def _live_company() -> ColumnElement[bool]:
    """A company in the trash is not shown beside its people (it is again on restore)."""
    return and_(Company.id == Contact.company_id, Company.deleted_at.is_(None))


def _contact_order(stmt: Select[Any], key: str, descending: bool,
                   rank: ColumnElement[int] | None) -> Select[Any]:
    ties: list[Any] = [Contact.sort_key, Contact.id]
    if rank is not None:
        ties.insert(0, rank)
    if key == "name":
        if descending:
            return stmt.order_by(*ties[:-2], Contact.sort_key.desc(), Contact.id.desc())
        return stmt.order_by(*ties)
    if key == "company":
        stmt = stmt.outerjoin(Company, _live_company())
        return _ordered(stmt, Company.name_key, descending, ties)
    if key in ("job_title", "department"):
        return _ordered(stmt, func.lower(getattr(Contact, key)), descending, ties)
    if key == "phone":
        stmt = stmt.outerjoin(Phone, _primary(Phone, Contact, Phone.contact_id))
        return _ordered(stmt, Phone.number, descending, ties)
    if key == "email":
        stmt = stmt.outerjoin(Email, _primary(Email, Contact, Email.contact_id))
        return _ordered(stmt, Email.normalized, descending, ties)
    if key in ("city", "country"):
        stmt = stmt.outerjoin(Address, _primary(Address, Contact, Address.contact_id))
        return _ordered(stmt, func.lower(getattr(Address, key)), descending, ties)
    if key in ("status", "source"):
        # The order of the drop-down list (Lead, Prospect, Customer ...), not A-Z.
        alias = _Status if key == "status" else _Source
        fk = Contact.status_id if key == "status" else Contact.source_id
        stmt = stmt.outerjoin(alias, alias.id == fk)
        blank = case((alias.id.is_(None), 1), else_=0)
        pos = alias.position.desc() if descending else alias.position
        return stmt.order_by(blank, pos, *ties)
    if key == "birthday":
        blank = case((Contact.birthday_month.is_(None), 1), else_=0)
        month, day = Contact.birthday_month, Contact.birthday_day
        if descending:
            return stmt.order_by(blank, month.desc(), day.desc(), *ties)
        return stmt.order_by(blank, month, day, *ties)
    column = {"created": Contact.created_at, "updated": Contact.updated_at,
              "deleted": Contact.deleted_at, "last_contact": Contact.last_contact_at,
              "last_attempt": Contact.last_attempt_at}[key]
    return _ordered(stmt, column, descending, ties)


def contact_ids(session: Session, query: str = "", sort_key: str = "name",
                descending: bool = False, trash: bool = False,
                company_id: int | None = None) -> list[int]:
    """Every matching contact's id in display order (the whole list, ids only).

    With a search and the name order, contacts whose name matches come first
    (search.name_rank); with another order the chosen column decides and the
    name match breaks ties.
    """
    _known_contact(session, sort_key)
    terms = search.parse_terms(query)
    if sort_key.startswith(CUSTOM_PREFIX):
        return _custom_sorted_ids(session, query, sort_key, descending, trash, company_id)
    if sort_key in _LAST and not terms and company_id is None:
        return _last_sorted_ids(session, _LAST[sort_key], descending, trash)
    deleted: Any = Contact.deleted_at
    if terms:
        # Wrapped, so SQLite cannot walk the (deleted_at, sort_key) index over
        # all 100,000 contacts probing each against the matches; it starts from
        # the matches instead (FTS: 0.4 ms instead of 15 ms) and sorts those.
        deleted = func.coalesce(Contact.deleted_at, None)
    stmt = select(Contact.id).where(deleted.is_not(None) if trash else deleted.is_(None))
    if company_id is not None:
        stmt = stmt.where(Contact.company_id == company_id)
    rank = None
    compiled = lookup_of(session, query)
    if compiled is not None:
        stmt = stmt.where(compiled.condition)
        if compiled.rank_terms:
            rank = search.name_rank(list(compiled.rank_terms))
    elif terms:
        memory = _text_memory(session)
        if (memory is not None and sort_key == "name" and not trash and company_id is None
                and short_search.applies(terms)):
            found: list[int] = memory.contact_ids(session, session.info["database"].generation,
                                                  terms, descending=descending)
            return found
        stmt = stmt.where(search.text_filter(terms, fts=search.has_fts(session)))
        rank = search.name_rank(terms)
    return fetch_ids(session, _contact_order(stmt, sort_key, descending, rank))


def _text_memory(session: Session) -> Any:
    """The database's TextMemory when the window asked for one (short_search)."""
    database = session.info.get("database")
    return getattr(database, "text_memory", None)


def warm_text_memory(session: Session) -> None:
    """Fill the TextMemory now (on a background thread, before the user types)."""
    memory = _text_memory(session)
    if memory is not None:
        memory.warm(session, session.info["database"].generation)


def _custom_sorted_ids(session: Session, query: str, sort_key: str, descending: bool,
                      trash: bool, company_id: int | None) -> list[int]:
    """contact_ids sorted by a custom field (fields.sort_ids: blanks last, then by name)."""
    conds: list[ColumnElement[bool]] = []
    if company_id is not None:
        conds.append(Contact.company_id == company_id)
    compiled = lookup_of(session, query)
    terms = search.parse_terms(query)
    if compiled is not None:
        conds.append(compiled.condition)
    elif terms:
        conds.append(search.text_filter(terms, fts=search.has_fts(session)))
    where = and_(*conds) if conds else None
    return fields.sort_ids(session, CONTACT, sort_key[len(CUSTOM_PREFIX):],
                           descending=descending, where=where, trash=trash)


_LAST: dict[str, Any] = {"last_contact": Contact.last_contact_at,
                         "last_attempt": Contact.last_attempt_at}


def _last_sorted_ids(session: Session, column: Any, descending: bool,
                     trash: bool) -> list[int]:
    """The whole list by last contact (or attempt), in the order _contact_order gives
    (blanks last, ties by name), as two walks of the (deleted_at, column, sort_key)
    index: ~15 ms at 100,000 contacts instead of a ~350 ms sort. A contact that
    changes between the two reads is shown once."""
    live = Contact.deleted_at.is_not(None) if trash else Contact.deleted_at.is_(None)
    dated = (select(Contact.id).where(live, column.is_not(None))
             .order_by(column.desc() if descending else column, Contact.sort_key, Contact.id))
    blank = select(Contact.id).where(live, column.is_(None)).order_by(Contact.sort_key,
                                                                      Contact.id)
    return list(dict.fromkeys(fetch_ids(session, dated) + fetch_ids(session, blank)))


def lookup_of(session: Session, query: str) -> CompiledLookup | None:
    """The search box speaks the lookup language (DESIGN.md): ``city:Vilnius
    status:customer`` filters by fields. Plain words stay plain full-text
    search; so does a query that is not (yet) a valid lookup, as it is while
    the user is still typing ``status:`` — the box never interrupts typing."""
    try:
        tree = parse_lookup(query)
        if not has_conditions(tree):
            return None
        return compile_lookup(session, tree)
    except QuerySyntaxError:
        return None


def count_all(session: Session, *, trash: bool = False, companies: bool = False) -> int:
    model: Any = Company if companies else Contact
    cond = model.deleted_at.is_not(None) if trash else model.deleted_at.is_(None)
    return session.scalar(select(func.count()).select_from(model).where(cond)) or 0


_CONTACT_VALUES: dict[str, Any] = {
    "name": Contact.display_name,
    "company": Company.name,
    "job_title": Contact.job_title,
    "department": Contact.department,
    "status": _Status.name,
    "source": _Source.name,
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
    per child table a column needs, and one (fields.get_values) for all the
    custom columns; a block of 64 rows costs ~4 ms at 100,000 contacts. Custom values come as
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
            stmt = stmt.outerjoin(Company, _live_company())
        if "status" in columns:
            stmt = stmt.outerjoin(_Status, _Status.id == Contact.status_id)
        if "source" in columns:
            stmt = stmt.outerjoin(_Source, _Source.id == Contact.source_id)
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


def _contact_count() -> ColumnElement[int]:
    return (
        select(func.count()).select_from(Contact)
        .where(Contact.company_id == Company.id, Contact.deleted_at.is_(None))
        .scalar_subquery()
    )


def company_ids(session: Session, query: str = "", sort_key: str = "name",
                descending: bool = False, trash: bool = False) -> list[int]:
    """Companies whose name or industry holds every word typed, in display order."""
    _known(COMPANY_COLUMNS, sort_key)
    stmt = select(Company.id).where(
        Company.deleted_at.is_not(None) if trash else Company.deleted_at.is_(None)
    )
    for term in search.parse_terms(query):
        word = literal(term.text)
        # industry is not stored folded: lower() covers the common (ASCII) case.
        stmt = stmt.where(or_(func.instr(Company.name_key, word) > 0,
                              func.instr(func.lower(Company.industry), word) > 0))
    ties: list[Any] = [Company.name_key, Company.id]
    if sort_key == "name":
        if descending:
            stmt = stmt.order_by(Company.name_key.desc(), Company.id.desc())
        else:
            stmt = stmt.order_by(*ties)
    elif sort_key == "industry":
        stmt = _ordered(stmt, func.lower(Company.industry), descending, ties)
    elif sort_key == "phone":
        stmt = stmt.outerjoin(Phone, _primary(Phone, Company, Phone.company_id))
        stmt = _ordered(stmt, Phone.number, descending, ties)
    elif sort_key == "city":
        stmt = stmt.outerjoin(Address, _primary(Address, Company, Address.company_id))
        stmt = _ordered(stmt, func.lower(Address.city), descending, ties)
    elif sort_key == "contacts":
        count = _contact_count()
        stmt = stmt.order_by(count.desc() if descending else count, *ties)
    else:
        column = {"updated": Company.updated_at, "deleted": Company.deleted_at}[sort_key]
        stmt = _ordered(stmt, column, descending, ties)
    return fetch_ids(session, stmt)


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
