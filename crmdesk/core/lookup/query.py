"""Query text to ordered ids: the one way from what a user typed to what a list shows.

``find_ids`` is used by the contact list (listing.contact_ids), ``crmdesk
search``, the Companies view and the History view, and will be by exports,
labels and reports: the same text finds the same records in the same order
everywhere. The text is a lookup (DESIGN.md "Lookup language"): parsed by
syntax.py, compiled against the entity's registry by compiler.py, ordered by
ordering.py. What happens to a malformed lookup is the caller's one explicit
choice: ``strict=True`` raises the QuerySyntaxError that says what and where
(the CLI prints it); ``strict=False`` reads the text as plain words and
phrases (a search box, where ``status:`` is half typed; the box never
interrupts typing).

Tuned for 100,000 contacts (DESIGN.md "Big lists"), because the contact list
runs this on every keystroke:

- a search of nothing but one- and two-letter words is answered from the
  folded texts the window keeps in memory (search/short_fragments.py);
- a lookup that is one condition on one custom field is read off the field's
  index into a set and put in name order from the remembered name order;
- the whole list by last contact walks an index instead of sorting;
- otherwise one SQL statement, whose plan depends on where it starts: from
  the matches (the words' index hits, a status's index, a tag's contacts),
  sorting only those, or walking the (deleted_at, sort_key) index and testing
  each contact (conditions most contacts meet, or that only a row can answer:
  ``-tag:x``, ``missing:last_contact``). See ``_leads``.

Rows come off the cursor without SQLAlchemy's Row objects (raw_rows), and
``limit`` fetches the first screenful only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, select, true
from sqlalchemy.orm import Session

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.fields import service as fields
from crmdesk.core.fields.query import owner_ids, value_condition
from crmdesk.core.i18n import _
from crmdesk.core.lookup.compiler import CompiledLookup, compile_lookup, registry_of, terms_of
from crmdesk.core.lookup.contact_fields import CONTACTS
from crmdesk.core.lookup.history_fields import HISTORY
from crmdesk.core.lookup.ordering import (
    COMPANY_SORTS,
    CONTACT_SORTS,
    HISTORY_SORTS,
    by_at_scanning,
    company_order,
    contact_order,
)
from crmdesk.core.lookup.syntax import (
    And,
    Cond,
    Everything,
    Node,
    Not,
    Or,
    Text,
    has_conditions,
    parse,
    plain_words,
)
from crmdesk.core.search import fulltext as search
from crmdesk.core.search import short_fragments as short_search
from crmdesk.core.search.fulltext import Term
from crmdesk.core.storage.field_models import COMPANY, CONTACT
from crmdesk.core.storage.models import Company, Contact, Interaction
from crmdesk.core.storage.name_order import name_ordered_ids, remembered
from crmdesk.core.storage.raw_rows import fetch_ids as read_ids
from crmdesk.core.text.parsing import format_day, read_date

__all__ = ["COMPANY", "CONTACT", "CUSTOM_PREFIX", "HISTORY", "Within", "compile_text",
           "fetch_ids", "find_ids", "text_memory"]

# A contact list sorted by a custom field: this prefix and the field's key (no built-in
# key has a colon).
CUSTOM_PREFIX = "cf:"


@dataclass(frozen=True)
class Within:
    """What a view adds to the typed query from its own controls, ANDed to it: the
    History view's period, kinds and outcomes; the people of one company.

    Two hints let the one statement keep its best plan: ``ranged``, the
    conditions hold a range on the index the sort walks (the period, on ``at``),
    so the query's own conditions should not offer SQLite another index to
    start from; ``narrowed``, they filter by something no index walks in display
    order (kinds, outcomes), so the matches are read and sorted instead.
    """

    conditions: tuple[ColumnElement[bool], ...] = ()
    ranged: bool = False
    narrowed: bool = False


_NOTHING_MORE = Within()


def fetch_ids(session: Session, stmt: Select[Any]) -> list[int]:
    """The first column of every row, without one Row object per row (raw_rows.fetch_ids:
    as one string on SQLite).

    Duplicates (a damaged file with two primary e-mails for one contact) are
    dropped, keeping the order.
    """
    return list(dict.fromkeys(read_ids(session, stmt)))


def _tree(text: str, strict: bool) -> Node:
    try:
        return parse(text)
    except QuerySyntaxError:
        if strict:
            raise
        return plain_words(text)


def lookup_problem(session: Session, entity: str, text: str) -> QuerySyntaxError | None:
    """What is wrong with ``text`` as a lookup of ``entity`` records (a malformed
    lookup, an unknown field, a date that is none), or None. The search box still
    searches such text as plain words; this is what it says beside the box."""
    try:
        compile_text(session, entity, text, strict=True)
    except QuerySyntaxError as exc:
        return exc
    return None


def lookup_notes(text: str) -> list[str]:
    """How the lookup's dates were read where the day and the month could swap
    ("renewal<6/1/2026" on a US PC: 6/1/2026 is June 1, 2026, not January 6), for
    the search box to say; nothing for a lookup it cannot parse."""
    try:
        tree = parse(text)
    except QuerySyntaxError:
        return []
    notes: list[str] = []

    def walk(node: Node) -> None:
        if isinstance(node, Cond):
            reading = read_date(node.value)
            if reading.value is not None and reading.other is not None:
                notes.append(_("{value} is read as {date}, not {other}.").format(
                    value=node.value, date=format_day(reading.value),
                    other=format_day(reading.other)))
        elif isinstance(node, And | Or):
            for item in node.items:
                walk(item)
        elif isinstance(node, Not):
            walk(node.item)

    walk(tree)
    return list(dict.fromkeys(notes))


def search_terms(text: str) -> tuple[Term, ...]:
    """The words every match of ``text`` contains, as the search reads them (a
    malformed lookup as plain words): what search.where_found explains."""
    return terms_of(_tree(text, strict=False))


def _compiled(session: Session, entity: str, text: str, tree: Node, *, strict: bool,
              today: date | None, ranged: bool = False) -> CompiledLookup:
    try:
        return compile_lookup(session, tree, entity=entity, today=today, ranged=ranged)
    except QuerySyntaxError:  # an unknown field, a date that is none ...
        if strict:
            raise
        return compile_lookup(session, plain_words(text), entity=entity, today=today,
                              ranged=ranged)


def compile_text(session: Session, entity: str, text: str, *, strict: bool,
                 today: date | None = None, ranged: bool = False) -> CompiledLookup:
    """``text`` as a condition on the entity's records (see compiler.compile_lookup).

    ``strict``: a malformed lookup (or one naming an unknown field, or a date
    that is none) raises QuerySyntaxError; otherwise the text is read as plain
    words and phrases instead (syntax.plain_words).
    """
    return _compiled(session, entity, text, _tree(text, strict), strict=strict, today=today,
                     ranged=ranged)


def find_ids(session: Session, entity: str, text: str = "", *, strict: bool,
             sort: str | None = None, descending: bool = False, trash: bool = False,
             limit: int | None = None, today: date | None = None,
             within: Within | None = None) -> list[int]:
    """The ids of the ``entity`` records (CONTACT, COMPANY or HISTORY) that ``text``
    finds, in display order.

    ``sort``: a key of the entity's orders (ordering.py; for contacts also
    ``cf:<key>``, a custom field); by default contacts and companies by name,
    history entries by date. Contacts by name put those whose name holds the
    words first; with another order the name match breaks ties. ``trash``:
    look in the trash instead (contacts, companies). ``limit``: only the first
    so many (the first screenful). ``strict``: what a malformed lookup does
    (see compile_text). ``today``: for relative dates (default: the real one).
    ``within``: the caller's own conditions, ANDed.
    """
    within = within or _NOTHING_MORE
    registry_of(entity)
    if entity == CONTACT:
        key = sort or "name"
        _check_contact_sort(session, key)
        tree = _tree(text, strict)
        memory = text_memory(session)
        if (memory is not None and key == "name" and not trash and not within.conditions
                and not has_conditions(tree)):
            terms = list(terms_of(tree))
            if short_search.applies(terms):  # words only, each under three letters
                found: list[int] = memory.contact_ids(
                    session, session.info["database"].generation, terms,
                    descending=descending, limit=limit)
                return found
        lookup = _compiled(session, entity, text, tree, strict=strict, today=today)
        return _contact_ids(session, lookup, key, descending, trash, limit, within, today)
    if entity == COMPANY:
        key = sort or "name"
        if key not in COMPANY_SORTS:
            raise ValueError(f"unknown company order {key!r}")
        lookup = compile_text(session, entity, text, strict=strict, today=today)
        return _company_ids(session, lookup, key, descending, trash, limit, within)
    key = sort or "at"
    if key not in HISTORY_SORTS:
        raise ValueError(f"unknown history column {key!r}")
    if trash:
        raise ValueError("the history has no trash")
    lookup = compile_text(session, entity, text, strict=strict, today=today,
                          ranged=within.ranged)
    return _history_ids(session, lookup, key, descending, limit, within)


def quick_first_ids(session: Session, text: str, *, sort: str | None = None,
                    descending: bool = False, trash: bool = False,
                    limit: int) -> list[int] | None:
    """The first ``limit`` contacts ``text`` finds, when they come much cheaper than
    the whole list: words of one or two letters answered from the texts in memory,
    stopped after ``limit``; longer words found by the trigram index and put in
    order from memory (fewer than ``limit`` means all). None when only the whole
    list (find_ids) can say which come first."""
    memory = text_memory(session)
    if memory is None or (sort or "name") != "name" or trash:
        return None
    tree = _tree(text, False)
    if has_conditions(tree):
        return None
    terms = list(terms_of(tree))
    generation = session.info["database"].generation
    if short_search.applies(terms):
        first: list[int] = memory.contact_ids(session, generation, terms,
                                              descending=descending, limit=limit)
        return first
    if not terms or not search.has_fts(session) or not all(
            len(x) >= search.TRIGRAM for t in terms for x in t.spellings()):
        return None
    # Words the trigram index answers: its hits, put in order from memory.
    hits = fetch_ids(session, search.fts_ids(terms))
    in_name = fetch_ids(session, search.fts_ids(terms, name_only=True)) if hits else []
    among: list[int] = memory.first_among(session, generation, hits, in_name,
                                          descending=descending, limit=limit)
    return among


def _where(lookup: CompiledLookup) -> list[ColumnElement[bool]]:
    return [] if isinstance(lookup.tree, Everything) else [lookup.condition]


def _first(ids: list[int], limit: int | None) -> list[int]:
    return ids if limit is None else ids[:limit]


def _limited(stmt: Select[Any], limit: int | None) -> Select[Any]:
    return stmt if limit is None else stmt.limit(limit)


# -- contacts ---------------------------------------------------------------------------


def _check_contact_sort(session: Session, key: str) -> None:
    if key in CONTACT_SORTS:
        return
    if key.startswith(CUSTOM_PREFIX) and fields.field_by_key(
            session, CONTACT, key[len(CUSTOM_PREFIX):]) is not None:
        return
    raise ValueError(f"unknown list column {key!r}")


def text_memory(session: Session) -> Any:
    """The database's TextMemory when the window asked for one (short_fragments)."""
    database = session.info.get("database")
    return getattr(database, "text_memory", None)


def _leads(node: Node) -> bool:
    """Should SQLite start from this lookup's matches (and sort them), rather than walk
    the contacts in name order testing each? Yes for words (the full-text index) and
    for conditions that find their matches through an index of their own (a status,
    a tag, a custom field); no for NOT, has:/missing: (most contacts, or a test only
    the row can answer) and the fields that say so (dates on the contact's row).
    At 100,000 contacts the wrong choice costs 5-15 times: ``-tag:x`` 80 ms walking
    instead of 170, ``status:customer`` 36 ms from its index instead of 140."""
    if isinstance(node, Text):
        return True
    if isinstance(node, Cond):
        builtin = CONTACTS.fields.get(node.key)
        return builtin is None or builtin.leads
    if isinstance(node, And):
        return any(_leads(i) for i in node.items)
    if isinstance(node, Or):
        return all(_leads(i) for i in node.items)
    return False  # Everything, Presence, Not


def _contact_ids(session: Session, lookup: CompiledLookup, sort: str, descending: bool,
                 trash: bool, limit: int | None, within: Within,
                 today: date | None) -> list[int]:
    tree = lookup.tree
    alone = not within.conditions  # no other condition of the caller's
    if sort.startswith(CUSTOM_PREFIX):
        conds = [*within.conditions, *_where(lookup)]
        return _first(fields.sort_ids(session, CONTACT, sort[len(CUSTOM_PREFIX):],
                                      descending=descending,
                                      where=and_(*conds) if conds else None, trash=trash),
                      limit)
    if isinstance(tree, Everything) and sort in _LAST and alone:
        return _first(_last_sorted_ids(session, _LAST[sort], descending, trash), limit)
    terms = list(lookup.rank_terms)
    if lookup.field is not None and sort == "name" and not descending and alone:
        return _first(_by_set(session, lookup, trash, today), limit)
    deleted: Any = Contact.deleted_at
    if _leads(tree):
        # Wrapped, so SQLite cannot walk the (deleted_at, sort_key) index over
        # all 100,000 contacts probing each against the matches; it starts from
        # the matches instead (FTS: 0.4 ms instead of 15 ms) and sorts those.
        deleted = func.coalesce(Contact.deleted_at, None)
    stmt = select(Contact.id).where(deleted.is_not(None) if trash else deleted.is_(None),
                                    *within.conditions, *_where(lookup))
    rank = search.name_rank(terms) if terms else None
    return fetch_ids(session, _limited(contact_order(stmt, sort, descending, rank, session),
                                       limit))


_LAST: dict[str, Any] = {"last_contact": Contact.last_contact_at,
                         "last_attempt": Contact.last_attempt_at}


def _last_sorted_ids(session: Session, column: Any, descending: bool,
                     trash: bool) -> list[int]:
    """The whole list by last contact (or attempt), in the order contact_order gives
    (blanks last, ties by name), as two walks of the (deleted_at, column, sort_key)
    index: ~15 ms at 100,000 contacts instead of a ~350 ms sort. A contact that
    changes between the two reads is shown once."""
    live = Contact.deleted_at.is_not(None) if trash else Contact.deleted_at.is_(None)
    dated = (select(Contact.id).where(live, column.is_not(None))
             .order_by(column.desc() if descending else column, Contact.sort_key, Contact.id))
    blank = select(Contact.id).where(live, column.is_(None)).order_by(Contact.sort_key,
                                                                      Contact.id)
    return list(dict.fromkeys(fetch_ids(session, dated) + fetch_ids(session, blank)))


# A lookup that is one custom-field condition (the commonest from the list's column
# filters, "fleet_size>10"). SQLite answers it in name order by building an index of
# the matching ids and probing it once per contact: on 100,000 contacts ~50 ms more than
# reading the ids off the field's covering index into a Python set and keeping the
# name-ordered contacts that are in it (or, when few match and the name order is not at
# hand, sorting just those by their sort keys).

_FEW = 10_000
_FEW_SHARE = 10  # ... and at most a tenth of all contacts
_CHUNK = 2_000


def _by_set(session: Session, lookup: CompiledLookup, trash: bool,
            today: date | None) -> list[int]:
    field, node = lookup.field, lookup.tree
    assert field is not None
    cond: ColumnElement[bool] | None = true()
    if isinstance(node, Cond):  # compiled already: the value is one the field can compare
        cond = value_condition(field, node.op, node.value, today=today)
    matched = owner_ids(session, field, cond)
    names, count = remembered(session, trash=trash)
    if names is None and len(matched) <= _FEW and (count is None
                                                   or len(matched) * _FEW_SHARE < count):
        ids = sorted(matched)
        keyed: list[tuple[str, int]] = []
        # Whether a contact is in the trash is checked here, not in SQL: with it in the
        # WHERE, SQLite walks the trash index past every contact instead of looking up
        # just these ids. One cached statement, the ids bound as a list.
        stmt = select(Contact.id, Contact.sort_key, Contact.deleted_at).where(
            Contact.id.in_(bindparam("ids", expanding=True)))
        conn = session.connection()
        for start in range(0, len(ids), _CHUNK):
            keyed += [(r[1], r[0]) for r in conn.execute(stmt, {"ids": ids[start:start + _CHUNK]})
                      if (r[2] is None) != trash]
        # Python orders str by code point, SQLite's BINARY collation by UTF-8 bytes: the same.
        return [cid for _key, cid in sorted(keyed)]
    if names is None:
        names = name_ordered_ids(session, trash=trash)
    return list(filter(matched.__contains__, names))


# -- companies and history entries --------------------------------------------------------


def _company_ids(session: Session, lookup: CompiledLookup, sort: str, descending: bool,
                 trash: bool, limit: int | None, within: Within) -> list[int]:
    live = Company.deleted_at.is_not(None) if trash else Company.deleted_at.is_(None)
    stmt = select(Company.id).where(live, *within.conditions, *_where(lookup))
    return fetch_ids(session, _limited(company_order(stmt, sort, descending), limit))


def _history_ids(session: Session, lookup: CompiledLookup, sort: str, descending: bool,
                 limit: int | None, within: Within) -> list[int]:
    sorter = HISTORY_SORTS[sort]
    if sort == "at" and (within.narrowed or not isinstance(lookup.tree, Everything)):
        sorter = by_at_scanning
    stmt = select(Interaction.id).where(*within.conditions, *_where(lookup))
    return fetch_ids(session, _limited(sorter(stmt, descending), limit))
