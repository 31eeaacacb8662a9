"""The History view across all contacts: filtered, sorted ids and blocks of rows.

The same big-list shape as the contact list (listing.py, DESIGN.md "Big
lists"): ``history_ids`` returns every matching interaction id in display
order with one query, ``history_rows`` the shown values of a block of them.
At a million entries a month's filter walks the index on ``at``; sort keys
come from a fixed registry (HISTORY_SORTS), and kinds, outcomes and text are
bound values, so nothing a user picks or types becomes SQL text. A word of the
text filter finds an entry by its subject and details, and by the names of its
contacts (through the search index, search.name_holds) and of its company.

An entry whose contacts are all in the trash leaves the view with them (and
comes back on restore), as a trashed contact leaves every other list. That
test costs something per row, so it is only made while the trash holds a
contact at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, false, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from crmdesk.core.i18n import _
from crmdesk.core.lookup.listing import COUNT, DATETIME, TEXT, ListColumn, fetch_ids
from crmdesk.core.search.fulltext import has_fts, name_holds
from crmdesk.core.storage.models import (
    INTERACTION_KIND,
    OUTCOME,
    Choice,
    Company,
    Contact,
    Interaction,
    interaction_contact,
)
from crmdesk.core.text.folding import fold
from crmdesk.core.text.localtime import day_end, day_start, to_local

_Kind = aliased(Choice, name="kind_choice")
_Outcome = aliased(Choice, name="outcome_choice")
_link = interaction_contact.c

HISTORY_COLUMNS: dict[str, ListColumn] = {
    c.key: c
    for c in (
        ListColumn("at", lambda: _("Date"), DATETIME, 140, True),
        ListColumn("kind", lambda: _("Kind"), TEXT, 110),
        ListColumn("direction", lambda: _("Direction"), TEXT, 80),
        ListColumn("subject", lambda: _("Subject"), TEXT, 280),
        ListColumn("outcome", lambda: _("Outcome"), TEXT, 120),
        ListColumn("contacts", lambda: _("Contacts"), TEXT, 200),
        ListColumn("company", lambda: _("Company"), TEXT, 170),
        ListColumn("duration", lambda: _("Duration"), COUNT, 80, True),
    )
}


@dataclass
class HistoryFilter:
    """What the History view (or ``crmdesk history``) shows; empty fields filter nothing."""

    since: date | None = None  # inclusive, local days
    until: date | None = None  # inclusive
    kinds: Sequence[str] = ()  # list entry names; empty = all
    outcomes: Sequence[str] = ()
    # Every word must be in the subject, the details, a contact's or the company's
    # name (folded).
    text: str = ""
    contact_id: int | None = None

    def __post_init__(self) -> None:
        # Tuples, so that filters compare equal however the lists were given.
        self.kinds = tuple(self.kinds)
        self.outcomes = tuple(self.outcomes)


def words(text: str) -> list[str]:
    """The folded words of a text filter."""
    return fold(text).split()


def _choice_ids(session: Session, kind: str, names: Iterable[str]) -> list[int]:
    wanted = {fold(n) for n in names if fold(n)}
    rows = session.execute(select(Choice.id, Choice.name).where(Choice.kind == kind)).all()
    return [cid for cid, name in rows if fold(name) in wanted]


def trash_in_use(session: Session) -> bool:
    """Whether any contact is in the trash (else not_only_trashed() is needless)."""
    return session.scalar(select(Contact.id).where(Contact.deleted_at.is_not(None))
                          .limit(1)) is not None


def not_only_trashed() -> ColumnElement[bool]:
    """The entry has a contact outside the trash, or none in it."""
    trashed = (select(_link.interaction_id)
               .join(Contact, Contact.id == _link.contact_id)
               .where(Contact.deleted_at.is_not(None)))
    live = exists().where(_link.interaction_id == Interaction.id,
                          Contact.id == _link.contact_id, Contact.deleted_at.is_(None))
    return or_(Interaction.id.not_in(trashed), live)


def _text_condition(session: Session, word: str, fts: bool) -> ColumnElement[bool]:
    """The folded word is in the subject or the details, in the name of a contact of
    the entry, or in the name of its company. Names are looked up first (a few
    contacts, a few companies), then their entries through the link table's
    (contact_id) index, so a word costs one pass over the entries, not a join; a
    word in no name (most words of a subject) costs nothing more than before."""
    out = [func.instr(Interaction.search_text, literal(word)) > 0]
    people = name_holds(word, fts=fts)
    if session.scalar(select(exists(people))):
        out.append(Interaction.id.in_(
            select(_link.interaction_id).where(_link.contact_id.in_(people))))
    named = select(Company.id).where(func.instr(Company.name_key, literal(word)) > 0)
    if session.scalar(select(exists(named))):
        out.append(Interaction.company_id.in_(named))
    return or_(*out)


def conditions(session: Session, flt: HistoryFilter) -> list[ColumnElement[bool]]:
    """The filter as conditions on Interaction."""
    out: list[ColumnElement[bool]] = []
    if flt.since is not None:
        out.append(Interaction.at >= day_start(flt.since))
    if flt.until is not None:
        out.append(Interaction.at < day_end(flt.until))
    # With a date range the index on ``at`` is the way in: a month is ~30,000 of a
    # million entries, while "every call" is half of them. Without statistics SQLite
    # would take the kind's index, so there "+ 0" hides it (a no-op on the value).
    dated = flt.since is not None or flt.until is not None
    kind = Interaction.kind_id + 0 if dated else Interaction.kind_id
    outcome = Interaction.outcome_id + 0 if dated else Interaction.outcome_id
    if flt.kinds:
        ids = _choice_ids(session, INTERACTION_KIND, flt.kinds)
        out.append(kind.in_(ids) if ids else false())
    if flt.outcomes:
        ids = _choice_ids(session, OUTCOME, flt.outcomes)
        out.append(outcome.in_(ids) if ids else false())
    fts = has_fts(session) if flt.text.strip() else False
    for word in words(flt.text):
        out.append(_text_condition(session, word, fts))
    if flt.contact_id is not None:
        out.append(Interaction.id.in_(
            select(_link.interaction_id).where(_link.contact_id == flt.contact_id)))
    elif trash_in_use(session):
        out.append(not_only_trashed())
    return out


# -- sorting: a registry, so a sort key can only pick one of these -------------------

Sorter = Callable[[Select[Any], bool], Select[Any]]


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


def _by_at_scanning(stmt: Select[Any], descending: bool) -> Select[Any]:
    """By date, for a filter on kinds, outcomes or text. Walking the index on ``at``
    would read the table row of every entry in index order to test the filter
    (2.5 s for a word over a million entries); hiding the column from the index
    (coalesce) makes SQLite read the table in one pass and sort what matched
    (0.3 s)."""
    hidden = func.coalesce(Interaction.at, Interaction.at)
    if descending:
        return stmt.order_by(hidden.desc(), Interaction.id.desc())
    return stmt.order_by(hidden, Interaction.id)


def _by_list(alias: Any, column: Any) -> Sorter:
    """By the entry's place in its drop-down list (as contacts sort by status)."""
    def sort(stmt: Select[Any], descending: bool) -> Select[Any]:
        stmt = stmt.outerjoin(alias, alias.id == column)
        return _blank_last(stmt, alias.position, alias.id.is_(None), descending)
    return sort


def _by_text(column: Any) -> Sorter:
    def sort(stmt: Select[Any], descending: bool) -> Select[Any]:
        return _blank_last(stmt, func.lower(column), column == "", descending)
    return sort


def _by_duration(stmt: Select[Any], descending: bool) -> Select[Any]:
    return _blank_last(stmt, Interaction.duration_min, Interaction.duration_min.is_(None),
                       descending)


def _by_company(stmt: Select[Any], descending: bool) -> Select[Any]:
    stmt = stmt.outerjoin(Company, Company.id == Interaction.company_id)
    return _blank_last(stmt, Company.name_key, Company.id.is_(None), descending)


def _by_contacts(stmt: Select[Any], descending: bool) -> Select[Any]:
    first = (select(func.min(Contact.sort_key))
             .join(interaction_contact, _link.contact_id == Contact.id)
             .where(_link.interaction_id == Interaction.id)
             .correlate(Interaction).scalar_subquery())
    return _blank_last(stmt, first, first.is_(None), descending)


HISTORY_SORTS: dict[str, Sorter] = {
    "at": _by_at,
    "kind": _by_list(_Kind, Interaction.kind_id),
    "direction": _by_text(Interaction.direction),
    "subject": _by_text(Interaction.subject),
    "outcome": _by_list(_Outcome, Interaction.outcome_id),
    "contacts": _by_contacts,
    "company": _by_company,
    "duration": _by_duration,
}


def history_ids(session: Session, flt: HistoryFilter | None = None, sort_key: str = "at",
                descending: bool = True) -> list[int]:
    """Every matching interaction's id in display order (ids only, one query)."""
    sorter = HISTORY_SORTS.get(sort_key)
    if sorter is None:
        raise ValueError(f"unknown history column {sort_key!r}")
    flt = flt or HistoryFilter()
    stmt = select(Interaction.id).where(*conditions(session, flt))
    if sort_key == "at" and (flt.kinds or flt.outcomes or words(flt.text)):
        sorter = _by_at_scanning
    return fetch_ids(session, sorter(stmt, descending))


def history_count(session: Session, flt: HistoryFilter | None = None) -> int:
    """How many entries match (all of them without a filter)."""
    stmt = select(func.count()).select_from(Interaction)
    if flt is not None:
        stmt = stmt.where(*conditions(session, flt))
    return session.scalar(stmt) or 0


# -- rows -----------------------------------------------------------------------------


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def contacts_of(session: Session, ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """{interaction id: [(contact id, display name)]}, each list in name order."""
    out: dict[int, list[tuple[int, str]]] = {}
    for chunk in _chunks(ids):
        for iid, cid, name in session.execute(
            select(_link.interaction_id, Contact.id, Contact.display_name)
            .join(Contact, Contact.id == _link.contact_id)
            .where(_link.interaction_id.in_(chunk))
            .order_by(_link.interaction_id, Contact.sort_key, Contact.id)
        ):
            out.setdefault(iid, []).append((cid, name))
    return out


def history_rows(session: Session, ids: Sequence[int]) -> dict[int, dict[str, object]]:
    """{id: {column key: value}} for a block of entries; ids that are gone are missing.

    Values: ``at`` an aware local datetime; ``direction`` "in", "out" or "";
    ``duration`` whole minutes or None; ``contacts`` the names joined with ", "
    (in name order); the rest text. Besides the columns each row has
    ``details`` and ``contact_ids``, for exports and tooltips.
    """
    out: dict[int, dict[str, object]] = {}
    for chunk in _chunks(ids):
        stmt = (
            select(Interaction.id, Interaction.at, _Kind.name, Interaction.direction,
                   Interaction.subject, _Outcome.name, Company.name, Interaction.duration_min,
                   Interaction.details)
            .outerjoin(_Kind, _Kind.id == Interaction.kind_id)
            .outerjoin(_Outcome, _Outcome.id == Interaction.outcome_id)
            .outerjoin(Company, Company.id == Interaction.company_id)
            .where(Interaction.id.in_(chunk))
        )
        people = contacts_of(session, chunk)
        for iid, at, kind, direction, subject, outcome, company, duration, details in \
                session.execute(stmt):
            who = people.get(iid, [])
            out[iid] = {
                "at": to_local(at), "kind": kind or "", "direction": direction,
                "subject": subject, "outcome": outcome or "",
                "contacts": ", ".join(name for _cid, name in who), "company": company or "",
                "duration": duration, "details": details,
                "contact_ids": [cid for cid, _name in who],
            }
    return out
