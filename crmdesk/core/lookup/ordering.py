"""The orders a list of ids can come in, per entity: registries of ORDER BY builders.

A sort key a user clicked, or one read back from the settings file, can only
pick one of the functions below (an unknown key is a ValueError), so no SQL
text is ever made from it. Sorting contacts by name is an index walk over
Contact.sort_key (already in the alphabet of the file's collation language);
the other columns sort with one query whose join is index-backed. Empty values
go last in both directions, the way a spreadsheet puts blank cells last, and
ties fall back to the name (history entries: to the newest first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Select,
    Subquery,
    and_,
    case,
    column,
    func,
    null,
    or_,
    select,
    union_all,
    values,
)
from sqlalchemy.orm import Session, aliased

from crmdesk.core.lookup.activity_fields import next_singles, now_utc, open_series_next
from crmdesk.core.storage.models import (
    Address,
    Choice,
    Company,
    Contact,
    Email,
    Interaction,
    Phone,
    interaction_contact,
)

STATUS_CHOICE = aliased(Choice, name="status_choice")
SOURCE_CHOICE = aliased(Choice, name="source_choice")
_Kind = aliased(Choice, name="kind_choice")
_Outcome = aliased(Choice, name="outcome_choice")
_link = interaction_contact.c

# (statement, descending, the ties after the value) -> the statement ordered
Sorter = Callable[[Select[Any], bool, list[Any]], Select[Any]]


def primary(model: Any, owner: Any, owner_col: Any) -> Any:
    """Join condition for an owner's primary phone, e-mail or address."""
    return and_(owner_col == owner.id, model.is_primary.is_(True))


def live_company() -> ColumnElement[bool]:
    """A company in the trash is not shown beside its people (it is again on restore)."""
    return and_(Company.id == Contact.company_id, Company.deleted_at.is_(None))


def ordered(stmt: Select[Any], value: Any, descending: bool,
            ties: Sequence[Any]) -> Select[Any]:
    """ORDER BY value with empty values last in either direction, then the ties.

    A missing value (NULL) and an empty one ('') are the same blank to the user:
    both sort as NULL, so all the blanks keep the tie order (the name)."""
    empty = or_(value.is_(None), value == "")
    blank = case((empty, 1), else_=0)
    keyed = case((empty, null()), else_=value)
    return stmt.order_by(blank, keyed.desc() if descending else keyed, *ties)


# -- contacts ---------------------------------------------------------------------------


def _by_name(stmt: Select[Any], descending: bool, ties: list[Any]) -> Select[Any]:
    if descending:  # ties end with sort_key, id: turned round
        return stmt.order_by(*ties[:-2], Contact.sort_key.desc(), Contact.id.desc())
    return stmt.order_by(*ties)


def _by_company(stmt: Select[Any], descending: bool, ties: list[Any]) -> Select[Any]:
    stmt = stmt.outerjoin(Company, live_company())
    return ordered(stmt, Company.sort_key, descending, ties)


def _by_lowered(column: Any) -> Sorter:
    def sort(stmt: Select[Any], descending: bool, ties: list[Any]) -> Select[Any]:
        return ordered(stmt, func.lower(column), descending, ties)
    return sort


def _by_primary(model: Any, value: Any, lowered: bool = False) -> Sorter:
    def sort(stmt: Select[Any], descending: bool, ties: list[Any]) -> Select[Any]:
        stmt = stmt.outerjoin(model, primary(model, Contact, model.contact_id))
        return ordered(stmt, func.lower(value) if lowered else value, descending, ties)
    return sort


def _by_choice(alias: Any, fk: Any) -> Sorter:
    """The order of the drop-down list (Lead, Prospect, Customer ...), not A-Z."""
    def sort(stmt: Select[Any], descending: bool, ties: list[Any]) -> Select[Any]:
        stmt = stmt.outerjoin(alias, alias.id == fk)
        blank = case((alias.id.is_(None), 1), else_=0)
        pos = alias.position.desc() if descending else alias.position
        return stmt.order_by(blank, pos, *ties)
    return sort


def _by_birthday(stmt: Select[Any], descending: bool, ties: list[Any]) -> Select[Any]:
    blank = case((Contact.birthday_month.is_(None), 1), else_=0)
    month, day = Contact.birthday_month, Contact.birthday_day
    if descending:
        return stmt.order_by(blank, month.desc(), day.desc(), *ties)
    return stmt.order_by(blank, month, day, *ties)


def _by_column(column: Any) -> Sorter:
    def sort(stmt: Select[Any], descending: bool, ties: list[Any]) -> Select[Any]:
        return ordered(stmt, column, descending, ties)
    return sort


def next_activity_table(session: Session | None, now: datetime) -> Subquery:
    """(contact_id, at): every contact's next activity (lookup/activity_fields.py's
    "next": the earliest open single one from now on, or a series' next occurrence),
    one row per contact that has one. Series are worked out in Python (hundreds at
    most) and joined in as VALUES; without a session, single activities only."""
    singles = next_singles(now)
    series = open_series_next(session, now) if session is not None else []
    if not series:
        return singles.subquery("next_activity")
    # A CTE, which SQLite takes as VALUES with column names (a subquery it does not).
    given = values(column("contact_id", Integer), column("at", DateTime),
                   name="series_next").data(series).cte("series_next")
    both = union_all(singles, select(given.c.contact_id, given.c.at)).subquery("both_next")
    return (select(both.c.contact_id, func.min(both.c.at).label("at"))
            .group_by(both.c.contact_id).subquery("next_activity"))


def _by_next_activity(session: Session | None) -> Sorter:
    """The soonest next activity first; contacts with nothing planned last."""
    def sort(stmt: Select[Any], descending: bool, ties: list[Any]) -> Select[Any]:
        table = next_activity_table(session, now_utc())
        stmt = stmt.outerjoin(table, table.c.contact_id == Contact.id)
        return ordered(stmt, table.c.at, descending, ties)
    return sort


CONTACT_SORTS: dict[str, Sorter] = {
    "name": _by_name,
    "company": _by_company,
    "job_title": _by_lowered(Contact.job_title),
    "department": _by_lowered(Contact.department),
    "phone": _by_primary(Phone, Phone.number),
    "email": _by_primary(Email, Email.normalized),
    "city": _by_primary(Address, Address.city, lowered=True),
    "country": _by_primary(Address, Address.country, lowered=True),
    "status": _by_choice(STATUS_CHOICE, Contact.status_id),
    "source": _by_choice(SOURCE_CHOICE, Contact.source_id),
    "birthday": _by_birthday,
    "created": _by_column(Contact.created_at),
    "updated": _by_column(Contact.updated_at),
    "deleted": _by_column(Contact.deleted_at),
    "last_contact": _by_column(Contact.last_contact_at),
    "last_attempt": _by_column(Contact.last_attempt_at),
    "next_activity": _by_next_activity(None),
}


def contact_order(stmt: Select[Any], key: str, descending: bool,
                  rank: ColumnElement[int] | None,
                  session: Session | None = None) -> Select[Any]:
    """Contacts by ``key``; a rank (search.name_rank: name matches first) comes before
    the name among the ties, so with the name order it leads. ``session``: for the
    orders that read something first (the next activity of a series)."""
    ties: list[Any] = [Contact.sort_key, Contact.id]
    if rank is not None:
        ties.insert(0, rank)
    if key == "next_activity":
        return _by_next_activity(session)(stmt, descending, ties)
    return CONTACT_SORTS[key](stmt, descending, ties)


# -- companies --------------------------------------------------------------------------


def _company_by_name(stmt: Select[Any], descending: bool, ties: list[Any]) -> Select[Any]:
    if descending:
        return stmt.order_by(Company.sort_key.desc(), Company.id.desc())
    return stmt.order_by(*ties)


def _company_by_primary(model: Any, value: Any, lowered: bool = False) -> Sorter:
    def sort(stmt: Select[Any], descending: bool, ties: list[Any]) -> Select[Any]:
        stmt = stmt.outerjoin(model, primary(model, Company, model.company_id))
        return ordered(stmt, func.lower(value) if lowered else value, descending, ties)
    return sort


def _company_by_people(stmt: Select[Any], descending: bool, ties: list[Any]) -> Select[Any]:
    count = (select(func.count()).select_from(Contact)
             .where(Contact.company_id == Company.id, Contact.deleted_at.is_(None))
             .scalar_subquery())
    return stmt.order_by(count.desc() if descending else count, *ties)


COMPANY_SORTS: dict[str, Sorter] = {
    "name": _company_by_name,
    "industry": _by_lowered(Company.industry),
    "phone": _company_by_primary(Phone, Phone.number),
    "city": _company_by_primary(Address, Address.city, lowered=True),
    "contacts": _company_by_people,
    "updated": _by_column(Company.updated_at),
    "deleted": _by_column(Company.deleted_at),
}


def company_order(stmt: Select[Any], key: str, descending: bool) -> Select[Any]:
    return COMPANY_SORTS[key](stmt, descending, [Company.sort_key, Company.id])


# -- history entries --------------------------------------------------------------------

HistorySorter = Callable[[Select[Any], bool], Select[Any]]


def _newest_first(descending: bool) -> list[Any]:
    return ([Interaction.at.desc(), Interaction.id.desc()] if descending
            else [Interaction.at, Interaction.id])


def _blank_last(stmt: Select[Any], value: Any, blank: ColumnElement[bool],
                descending: bool) -> Select[Any]:
    """ORDER BY value, empty values last in either direction, then the newest first."""
    return stmt.order_by(case((blank, 1), else_=0), value.desc() if descending else value,
                         *_newest_first(True))


def _by_at(stmt: Select[Any], descending: bool) -> Select[Any]:
    return stmt.order_by(*_newest_first(descending))


def by_at_scanning(stmt: Select[Any], descending: bool) -> Select[Any]:
    """By date, for a filter on kinds, outcomes or text. Walking the index on ``at``
    would read the table row of every entry in index order to test the filter
    (2.5 s for a word over a million entries); hiding the column from the index
    (coalesce) makes SQLite read the table in one pass and sort what matched
    (0.3 s)."""
    hidden = func.coalesce(Interaction.at, Interaction.at)
    if descending:
        return stmt.order_by(hidden.desc(), Interaction.id.desc())
    return stmt.order_by(hidden, Interaction.id)


def _by_list(alias: Any, column: Any) -> HistorySorter:
    """By the entry's place in its drop-down list (as contacts sort by status)."""
    def sort(stmt: Select[Any], descending: bool) -> Select[Any]:
        stmt = stmt.outerjoin(alias, alias.id == column)
        return _blank_last(stmt, alias.position, alias.id.is_(None), descending)
    return sort


def _by_text(column: Any) -> HistorySorter:
    def sort(stmt: Select[Any], descending: bool) -> Select[Any]:
        return _blank_last(stmt, func.lower(column), column == "", descending)
    return sort


def _by_duration(stmt: Select[Any], descending: bool) -> Select[Any]:
    return _blank_last(stmt, Interaction.duration_min, Interaction.duration_min.is_(None),
                       descending)


def _entry_by_company(stmt: Select[Any], descending: bool) -> Select[Any]:
    stmt = stmt.outerjoin(Company, Company.id == Interaction.company_id)
    return _blank_last(stmt, Company.sort_key, Company.id.is_(None), descending)


def _by_contacts(stmt: Select[Any], descending: bool) -> Select[Any]:
    first = (select(func.min(Contact.sort_key))
             .join(interaction_contact, _link.contact_id == Contact.id)
             .where(_link.interaction_id == Interaction.id)
             .correlate(Interaction).scalar_subquery())
    return _blank_last(stmt, first, first.is_(None), descending)


HISTORY_SORTS: dict[str, HistorySorter] = {
    "at": _by_at,
    "kind": _by_list(_Kind, Interaction.kind_id),
    "direction": _by_text(Interaction.direction),
    "subject": _by_text(Interaction.subject),
    "outcome": _by_list(_Outcome, Interaction.outcome_id),
    "contacts": _by_contacts,
    "company": _entry_by_company,
    "duration": _by_duration,
}
