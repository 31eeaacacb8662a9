"""The History view across all contacts: filtered, sorted ids and blocks of rows.

The same big-list shape as the contact list (lookup/listing.py, DESIGN.md
"Big lists"): ``history_ids`` returns every matching interaction id in display
order with one query, ``history_rows`` the shown values of a block of them.
The text of the filter is a lookup (DESIGN.md "Lookup language", the fields in
lookup/history_fields.py): ``kind:call outcome:reached ivanov``, ``at>2026-01-01``;
a plain word finds an entry by its subject and details, and by the names of
its contacts and of its company. It goes through the one entry point from
query text to ids (lookup.query.find_ids), with the filter bar's period, kinds
and outcomes as conditions of the view's own. At a million entries a month's
filter walks the index on ``at``; sort keys come from a fixed registry
(HISTORY_SORTS), and kinds, outcomes and text are bound values, so nothing a
user picks or types becomes SQL text.

An entry whose contacts are all in the trash leaves the view with them (and
comes back on restore), as a trashed contact leaves every other list. That
test costs something per row, so it is only made while the trash holds a
contact at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, exists, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.i18n import _
from crmdesk.core.lookup.listing import COUNT, DATETIME, TEXT, ListColumn
from crmdesk.core.lookup.ordering import HISTORY_SORTS
from crmdesk.core.lookup.query import HISTORY, Within, compile_text, find_ids
from crmdesk.core.lookup.syntax import And, Node, Text, parse, plain_words, tokenize
from crmdesk.core.search.fulltext import TRIGRAM
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

__all__ = ["HISTORY_COLUMNS", "HISTORY_SORTS", "HistoryFilter", "contacts_of", "history_count",
           "history_first_ids", "history_ids", "history_rows", "not_only_trashed", "trash_in_use", "within", "words"]

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
    # A lookup (history_fields.py): every word must be in the subject, the details, a
    # contact's or the company's name (folded); kind:call, at>2026-01-01 ... as typed.
    text: str = ""
    contact_id: int | None = None

    def __post_init__(self) -> None:
        # Tuples, so that filters compare equal however the lists were given.
        self.kinds = tuple(self.kinds)
        self.outcomes = tuple(self.outcomes)


def words(text: str) -> list[str]:
    """The folded words and "phrases" of a text filter, split by the lookup syntax's
    tokenizer (words only: the timelines of one contact or company filter by these)."""
    return [folded for token in tokenize(text, plain=True) if (folded := fold(token.text))]


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


def within(session: Session, flt: HistoryFilter) -> Within:
    """The filter's period, kinds, outcomes and contact (all but its text) as the view's
    own conditions for lookup.query.find_ids."""
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
    if flt.contact_id is not None:
        out.append(Interaction.id.in_(
            select(_link.interaction_id).where(_link.contact_id == flt.contact_id)))
    elif trash_in_use(session):
        out.append(not_only_trashed())
    return Within(tuple(out), ranged=dated, narrowed=bool(flt.kinds or flt.outcomes))


def history_ids(session: Session, flt: HistoryFilter | None = None, sort_key: str = "at",
                descending: bool = True, *, strict: bool = False,
                limit: int | None = None) -> list[int]:
    """Every matching interaction's id in display order (ids only, one query);
    with ``limit``, only the first so many (the first screenful).

    ``strict``: a malformed lookup in the filter's text raises QuerySyntaxError
    (with its place); otherwise the text is read as plain words, as the search
    box does while the user is typing.
    """
    flt = flt or HistoryFilter()
    return find_ids(session, HISTORY, flt.text, strict=strict, sort=sort_key,
                    descending=descending, within=within(session, flt), limit=limit)


# How many of the newest entries the first screenful of a text or kind filter is
# looked for in (each read: ~1.3 us an entry at a million), before the whole
# history is searched: a few first, then as many more as should hold a screenful
# at the rate the few matched (half as many again), up to the second figure.
FIRST_WINDOW, WIDEST_WINDOW = 5_000, 20_000


def history_first_ids(session: Session, flt: HistoryFilter | None = None,
                      sort_key: str = "at", descending: bool = True, *,
                      limit: int) -> list[int] | None:
    """The first ``limit`` ids in display order when they come cheaply, else None
    (then only the whole list, history_ids, says which they are).

    Unfiltered, or within a period, the index on ``at`` is walked and stopped after
    ``limit``. A word or a kind over all time would make that walk read every
    entry when the word is rare, so it is looked for among the newest entries
    only: when ``limit`` of them match, they are the first ``limit`` of the whole
    list too (any other match is older). First among the newest FIRST_WINDOW;
    when fewer match, among as many more as should hold a screenful at that rate,
    up to WIDEST_WINDOW. When every match must hold a word the trigram index
    finds, and the newest entries hold too few, that index's hits are sorted by
    date and cut after ``limit`` instead (a word common only in older entries,
    "quote 20" at a million entries: ~100 ms; a rare one: a few); else None.
    """
    flt = flt or HistoryFilter()
    scope = within(session, flt)
    filtered = bool(flt.text.strip()) or scope.narrowed
    if not filtered or scope.ranged:
        return history_ids(session, flt, sort_key, descending, limit=limit)
    if sort_key != "at" or not descending:
        return None

    def among_newest(count: int) -> list[int]:
        newest = (select(Interaction.id)
                  .order_by(Interaction.at.desc(), Interaction.id.desc()).limit(count))
        windowed = Within((*scope.conditions, Interaction.id.in_(newest)), ranged=True,
                          narrowed=scope.narrowed)
        found: list[int] = find_ids(session, HISTORY, flt.text, strict=False,
                                    sort=sort_key, descending=descending, within=windowed,
                                    limit=limit)
        return found

    ids = among_newest(FIRST_WINDOW)
    if len(ids) >= limit:
        return ids
    indexed = _needs_an_indexed_word(flt.text)
    # As many of the newest as should hold a screenful at the rate the few matched.
    enough = FIRST_WINDOW * limit * 3 // (2 * len(ids)) if ids else None
    if not indexed or (enough is not None and enough <= WIDEST_WINDOW):
        ids = among_newest(min(enough or WIDEST_WINDOW, WIDEST_WINDOW))
        if len(ids) >= limit:
            return ids
    if indexed:
        return history_ids(session, flt, sort_key, descending, limit=limit)
    return None


def _needs_an_indexed_word(text: str) -> bool:
    """Must every entry the filter's text finds hold a word of three characters or more
    (one the trigram index answers: history_fields._in_text)?"""
    try:
        tree: Node = parse(text)
    except QuerySyntaxError:
        tree = plain_words(text)
    items = tree.items if isinstance(tree, And) else (tree,)
    return any(isinstance(i, Text) and len(fold(i.text)) >= TRIGRAM for i in items)


def history_count(session: Session, flt: HistoryFilter | None = None, *,
                  strict: bool = False) -> int:
    """How many entries match (all of them without a filter)."""
    stmt = select(func.count()).select_from(Interaction)
    if flt is not None:
        scope = within(session, flt)
        lookup = compile_text(session, HISTORY, flt.text, strict=strict, ranged=scope.ranged)
        stmt = stmt.where(*scope.conditions, lookup.condition)
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
