"""The lookup language of DESIGN.md: one syntax for the search box, saved lookups,
the CLI and reports.

    ivanov  "ООО Ромашка"  tag:newsletter  city:Vilnius status:customer
    status:lead OR status:prospect   -tag:do-not-call   (a OR b) c
    fleet_size>10  trade_show:"Baltic Expo"  last_contact<2026-06-01
    birthday:this-month  created:last-30-days  has:email  missing:address

lookup_syntax.py turns the text into a tree; this module compiles the tree
into one SQLAlchemy condition on Contact. Words go to the full-text search
(search.text_filter); ``key:value`` goes to a built-in field of the registry
in lookup_fields.py or to a custom field through fields.py; a key of a
*company* custom field looks at the contact's company. Nothing the user typed
ever becomes SQL text: keys select registry entries or field_def rows, and
values are bound parameters.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, not_, or_, select, true
from sqlalchemy.orm import Session

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.fields.catalog import all_fields
from crmdesk.core.fields.info import FieldInfo
from crmdesk.core.fields.query import (
    filter_expression,
    owner_ids,
    presence_expression,
    value_condition,
)
from crmdesk.core.i18n import _
from crmdesk.core.lookup.contact_fields import (
    BUILTINS,
    BuiltinField,
    LookupContext,
    builtin_keys,
    ensure_sql_functions,
    register,
    words_filter,
)
from crmdesk.core.lookup.syntax import (
    And,
    Cond,
    Everything,
    Node,
    Not,
    Or,
    Presence,
    Text,
    parse,
    to_text,
)
from crmdesk.core.search.fulltext import Term, has_fts, name_rank
from crmdesk.core.storage.field_models import COMPANY, CONTACT
from crmdesk.core.storage.models import Company, Contact
from crmdesk.core.storage.name_order import name_ordered_ids, remembered
from crmdesk.core.storage.raw_rows import fetch_ids
from crmdesk.core.text.folding import digits, fold, looks_like_phone

__all__ = [
    "And", "BuiltinField", "CompiledLookup", "Cond", "Everything", "Node", "Not", "Or",
    "Presence", "Text", "builtin_keys", "compile_lookup", "contact_ids_for_lookup",
    "known_keys", "parse", "register", "to_text",
]


@dataclass(frozen=True)
class CompiledLookup:
    """A lookup as SQL: ``condition`` on Contact, and the words that rank name matches first."""

    condition: ColumnElement[bool]
    rank_terms: tuple[Term, ...]
    tree: Node


def _term(text: str) -> Term | None:
    folded = digits(text) if looks_like_phone(text) else fold(text)
    return Term(folded) if folded else None


class _Compiler:
    def __init__(self, session: Session, today: date) -> None:
        ensure_sql_functions(session)
        self.ctx = LookupContext(session=session, today=today, fts=has_fts(session),
                                 sqlite=session.get_bind().dialect.name == "sqlite")
        self.contact_fields = {f.key: f for f in all_fields(session, CONTACT)}
        self.company_fields = {f.key: f for f in all_fields(session, COMPANY)}

    # -- resolving keys ---------------------------------------------------------------

    def _unknown(self, key: str, pos: int) -> QuerySyntaxError:
        keys = sorted(BUILTINS) + sorted(self.contact_fields) + sorted(self.company_fields)
        near = [k for k in keys if k.startswith(key) and k != key]
        near += [k for k in difflib.get_close_matches(key, keys, n=3, cutoff=0.6)
                 if k not in near]
        folded = fold(key.replace("_", " "))
        near += [f.key for f in (*self.contact_fields.values(), *self.company_fields.values())
                 if folded and folded in fold(f.label) and f.key not in near]
        message = _("Unknown field {key!r} at position {n}").format(key=key, n=pos + 1)
        if near:
            message += " — " + _("did you mean {keys}?").format(keys=", ".join(near[:3]))
        else:
            message += ". " + _("Put it in quotes to look for the text itself.")
        return QuerySyntaxError(message, position=pos)

    def _custom(self, key: str) -> FieldInfo | None:
        return self.contact_fields.get(key) or self.company_fields.get(key)

    @staticmethod
    def _via_company(field: FieldInfo, cond: ColumnElement[bool]) -> ColumnElement[bool]:
        if field.entity == CONTACT:
            return cond
        return and_(Contact.company_id.is_not(None),
                    Contact.company_id.in_(select(Company.id).where(cond)))

    @staticmethod
    def at(exc: QuerySyntaxError, pos: int) -> QuerySyntaxError:
        if exc.position is not None:
            return exc
        text = exc.message.rstrip(".")
        return QuerySyntaxError(_("{problem} at position {n}.").format(problem=text, n=pos + 1),
                                position=pos)

    # -- nodes ------------------------------------------------------------------------

    def cond(self, node: Cond) -> ColumnElement[bool]:
        builtin = BUILTINS.get(node.key)
        try:
            if builtin is not None:
                return builtin.condition(self.ctx, node.op, node.value)
            field = self._custom(node.key)
            if field is None:
                raise self._unknown(node.key, node.pos)
            return self._via_company(field, filter_expression(field, node.op, node.value,
                                                              today=self.ctx.today))
        except QuerySyntaxError as exc:
            raise self.at(exc, node.value_pos) from None

    def presence(self, node: Presence) -> ColumnElement[bool]:
        builtin = BUILTINS.get(node.key)
        if builtin is not None:
            cond = builtin.present(self.ctx)
        else:
            field = self._custom(node.key)
            if field is None:
                raise self._unknown(node.key, node.pos + (4 if node.present else 8))
            cond = self._via_company(field, presence_expression(field))
        return cond if node.present else not_(cond)

    def compile(self, node: Node) -> ColumnElement[bool]:
        if isinstance(node, Everything):
            return true()
        if isinstance(node, Text):
            term = _term(node.text)
            return words_filter([term], fts=self.ctx.fts) if term else true()
        if isinstance(node, Cond):
            return self.cond(node)
        if isinstance(node, Presence):
            return self.presence(node)
        if isinstance(node, Not):
            return not_(self.compile(node.item))
        if isinstance(node, Or):
            return or_(*(self.compile(i) for i in node.items))
        # And: the words together in one full-text condition (one index query).
        terms = [t for i in node.items if isinstance(i, Text) and (t := _term(i.text))]
        parts = [words_filter(terms, fts=self.ctx.fts)] if terms else []
        parts += [self.compile(i) for i in node.items if not isinstance(i, Text)]
        return and_(*parts) if parts else true()


def _rank_terms(node: Node) -> tuple[Term, ...]:
    """The words that every match contains (not under OR or NOT): they rank name matches."""
    if isinstance(node, Text):
        term = _term(node.text)
        return (term,) if term else ()
    if isinstance(node, And):
        return tuple(t for i in node.items for t in _rank_terms(i))
    return ()


def compile_lookup(session: Session, query: str | Node, *,
                   today: date | None = None) -> CompiledLookup:
    """The lookup as a condition on Contact (for the contact list, reports, exports).

    Use the condition in a statement run in this same session: on SQLite it
    may call functions registered on the session's connection.
    """
    tree = parse(query) if isinstance(query, str) else query
    condition = _Compiler(session, today or date.today()).compile(tree)
    return CompiledLookup(condition, _rank_terms(tree), tree)


def contact_ids_for_lookup(session: Session, query: str | Node, trash: bool = False, *,
                           today: date | None = None, limit: int | None = None) -> list[int]:
    """Ids of the contacts a lookup finds, ordered like search.search_contact_ids
    (contacts whose name has the words first, then by name)."""
    tree = parse(query) if isinstance(query, str) else query
    compiler = _Compiler(session, today or date.today())
    live = Contact.deleted_at.is_not(None) if trash else Contact.deleted_at.is_(None)
    if isinstance(tree, Cond | Presence) and _one_custom_condition(tree, compiler):
        ids = _by_set(session, compiler, tree, live, trash)
        return ids if limit is None else ids[:limit]
    stmt = select(Contact.id).where(live, compiler.compile(tree))
    order: list[Any] = [Contact.sort_key, Contact.id]
    rank = _rank_terms(tree)
    if rank:
        order.insert(0, name_rank(list(rank)))
    stmt = stmt.order_by(*order)
    if limit is not None:
        stmt = stmt.limit(limit)
    return fetch_ids(session, stmt)


# -- a lookup that is one custom-field condition ------------------------------------------
#
# The commonest lookup from the list's column filters, "fleet_size>10", names one custom
# field. SQLite answers it in name order by building an index of the matching ids and
# probing it once per contact: on 100,000 contacts ~50 ms more than reading the ids off
# the field's covering index into a Python set and keeping the name-ordered contacts
# that are in it (or, when few match and the name order is not at hand, sorting just
# those by their sort keys).

_FEW = 10_000
_FEW_SHARE = 10  # ... and at most a tenth of all contacts
_CHUNK = 2_000


def _one_custom_condition(node: Node, compiler: _Compiler) -> bool:
    return (isinstance(node, Cond) or (isinstance(node, Presence) and node.present)) \
        and node.key not in BUILTINS and node.key in compiler.contact_fields


def _by_set(session: Session, compiler: _Compiler, node: Cond | Presence,
            live: ColumnElement[bool], trash: bool) -> list[int]:
    field = compiler.contact_fields[node.key]
    if isinstance(node, Cond):
        try:
            cond = value_condition(field, node.op, node.value, today=compiler.ctx.today)
        except QuerySyntaxError as exc:
            raise compiler.at(exc, node.value_pos) from None
    else:
        cond = true()
    matched = owner_ids(session, field, cond)
    names, count = remembered(session, trash=trash)
    if names is None and len(matched) <= _FEW and (count is None or len(matched) * _FEW_SHARE < count):
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


def known_keys(session: Session) -> dict[str, str]:
    """{key: label} of every field a contact lookup can name (for completion and help)."""
    out = {key: field.label() for key, field in sorted(BUILTINS.items())}
    for entity in (CONTACT, COMPANY):
        for f in all_fields(session, entity):
            out.setdefault(f.key, f.label if entity == CONTACT else
                           _("{label} (company)").format(label=f.label))
    return out
