"""The lookup language of DESIGN.md, compiled: a query tree to one SQLAlchemy condition.

    ivanov  "ООО Ромашка"  tag:newsletter  city:Vilnius status:customer
    status:lead OR status:prospect   -tag:do-not-call   (a OR b) c
    fleet_size>10  trade_show:"Baltic Expo"  last_contact<2026-06-01
    birthday:this-month  created:last-30-days  has:email  missing:address
    kind:call outcome:reached ivanov  (in the history)   industry:retail  (companies)

syntax.py turns the text into a tree; this module compiles the tree against
one entity's field registry (contact_fields, company_fields, history_fields)
into one condition on that entity's records. Words and phrases go to the
registry's word search, all the words ANDed in one condition (for contacts
one query of the full-text index); ``key:value`` goes to a built-in field of
the registry or to a custom field through fields/query.py. Nothing the user
typed ever becomes SQL text: keys select registry entries or field_def rows,
and values are bound parameters. query.py turns text into ordered ids with
it; this module is for whoever needs the condition itself.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, not_, or_, true
from sqlalchemy.orm import Session

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.fields.catalog import all_fields, label_aliases
from crmdesk.core.fields.info import FieldInfo
from crmdesk.core.fields.keys import label_key
from crmdesk.core.fields.query import filter_expression, presence_expression
from crmdesk.core.i18n import _
from crmdesk.core.lookup.company_fields import COMPANIES
from crmdesk.core.lookup.contact_fields import CONTACTS
from crmdesk.core.lookup.history_fields import HISTORY, HISTORY_LOOKUP
from crmdesk.core.lookup.registry import LookupContext, Registry, Via, ensure_sql_functions, same
from crmdesk.core.lookup.syntax import (
    And,
    Cond,
    Everything,
    Node,
    Not,
    Or,
    Presence,
    Text,
    has_conditions,
    parse,
)
from crmdesk.core.search.fulltext import Term, has_fts
from crmdesk.core.storage.field_models import COMPANY, CONTACT
from crmdesk.core.text.folding import fold

__all__ = ["ENTITIES", "CompiledLookup", "compile_lookup", "known_keys", "registry_of",
           "terms_of"]

ENTITIES: dict[str, Registry] = {CONTACT: CONTACTS, COMPANY: COMPANIES,
                                 HISTORY: HISTORY_LOOKUP}


def registry_of(entity: str) -> Registry:
    registry = ENTITIES.get(entity)
    if registry is None:
        raise ValueError(f"no lookup registry for {entity!r}")
    return registry


@dataclass(frozen=True)
class CompiledLookup:
    """A lookup as SQL: ``condition`` on the entity's records; ``rank_terms``: the words
    every match holds (contacts whose name has them come first); ``field``: the custom
    field when the whole lookup is one condition on one of the entity's own (query.py
    answers that from the field's index)."""

    condition: ColumnElement[bool]
    rank_terms: tuple[Term, ...]
    tree: Node
    field: FieldInfo | None = None

    @property
    def words_only(self) -> bool:
        """Nothing but words and phrases, ANDed (no field, OR or NOT)."""
        return not has_conditions(self.tree)


def terms_of(node: Node) -> tuple[Term, ...]:
    """The search terms of the words every match contains (not under OR or NOT)."""
    if isinstance(node, Text):
        term = Term.of(node.text)
        return (term,) if term else ()
    if isinstance(node, And):
        return tuple(t for i in node.items for t in terms_of(i))
    return ()


class _Compiler:
    def __init__(self, session: Session, registry: Registry, today: date,
                 ranged: bool) -> None:
        ensure_sql_functions(session)
        self.session = session
        self.registry = registry
        self.ctx = LookupContext(session=session, today=today, fts=has_fts(session),
                                 sqlite=session.get_bind().dialect.name == "sqlite",
                                 ranged=ranged, nested=self.nested)
        self._custom: dict[str, tuple[FieldInfo, Via]] | None = None
        self._aliases: dict[str, tuple[FieldInfo, Via]] | None = None

    # -- resolving keys ---------------------------------------------------------------

    def custom_fields(self) -> dict[str, tuple[FieldInfo, Via]]:
        """{key: (field, how its condition becomes one on our records)}, read when a
        lookup first names a key that is not built in (words never need them)."""
        if self._custom is None:
            found: dict[str, tuple[FieldInfo, Via]] = {}
            for entity, via in self.registry.custom.items():
                for f in all_fields(self.session, entity):
                    found.setdefault(f.key, (f, via))
            self._custom = found
        return self._custom

    def custom_field(self, key: str) -> tuple[FieldInfo, Via] | None:
        """The custom field named by its key, else by its label written as a key
        (``дата_договора``; catalog.label_aliases: a key always wins)."""
        found = self.custom_fields().get(key)
        if found is not None:
            return found
        if self._aliases is None:
            vias = self.registry.custom
            self._aliases = {
                alias: (f, vias[f.entity]) for alias, f in label_aliases(
                    self.session, tuple(vias), frozenset(self.registry.fields)).items()}
        return self._aliases.get(label_key(key))

    def own_field(self, node: Node) -> FieldInfo | None:
        """The custom field of the entity's own that the lookup is all about, if it is
        one ``key<op>value`` or ``has:key`` on one."""
        if not (isinstance(node, Cond) or (isinstance(node, Presence) and node.present)):
            return None
        if node.key in self.registry.fields:
            return None
        found = self.custom_field(node.key)
        if found is None or found[1] is not same:
            return None
        return found[0]

    def _unknown(self, key: str, pos: int) -> QuerySyntaxError:
        custom = self.custom_fields()
        keys = sorted(self.registry.fields)
        for entity in self.registry.custom:
            keys += sorted(k for k, (f, _via) in custom.items() if f.entity == entity)
        near = [k for k in keys if k.startswith(key) and k != key]
        near += [k for k in difflib.get_close_matches(key, keys, n=3, cutoff=0.6)
                 if k not in near]
        folded = fold(key.replace("_", " "))
        near += [k for k, (f, _via) in custom.items()
                 if folded and folded in fold(f.label) and k not in near]
        message = _("Unknown field {key!r} at position {n}").format(key=key, n=pos + 1)
        if near:
            message += " — " + _("did you mean {keys}?").format(keys=", ".join(near[:3]))
        else:
            message += ". " + _("Put it in quotes to look for the text itself.")
        return QuerySyntaxError(message, position=pos)

    @staticmethod
    def at(exc: QuerySyntaxError, pos: int) -> QuerySyntaxError:
        if exc.position is not None:
            return exc
        text = exc.message.rstrip(".")
        return QuerySyntaxError(_("{problem} at position {n}.").format(problem=text, n=pos + 1),
                                position=pos)

    def nested(self, text: str) -> ColumnElement[bool]:
        """A lookup inside this one (``group:NAME``): the same fields, the same "today"."""
        return self.compile(parse(text))

    # -- nodes ------------------------------------------------------------------------

    def cond(self, node: Cond) -> ColumnElement[bool]:
        builtin = self.registry.fields.get(node.key)
        try:
            if builtin is not None:
                return builtin.condition(self.ctx, node.op, node.value)
            found = self.custom_field(node.key)
            if found is None:
                raise self._unknown(node.key, node.pos)
            field, via = found
            return via(filter_expression(field, node.op, node.value, today=self.ctx.today))
        except QuerySyntaxError as exc:
            raise self.at(exc, node.value_pos) from None

    def presence(self, node: Presence) -> ColumnElement[bool]:
        builtin = self.registry.fields.get(node.key)
        if builtin is not None:
            cond = builtin.present(self.ctx)
        else:
            found = self.custom_field(node.key)
            if found is None:
                raise self._unknown(node.key, node.pos + (4 if node.present else 8))
            field, via = found
            cond = via(presence_expression(field))
        return cond if node.present else not_(cond)

    def words(self, texts: list[Text]) -> list[ColumnElement[bool]]:
        terms = [t for i in texts if (t := Term.of(i.text))]
        return [self.registry.words(self.ctx, terms)] if terms else []

    def compile(self, node: Node) -> ColumnElement[bool]:
        if isinstance(node, Everything):
            return true()
        if isinstance(node, Text):
            words = self.words([node])
            return words[0] if words else true()
        if isinstance(node, Cond):
            return self.cond(node)
        if isinstance(node, Presence):
            return self.presence(node)
        if isinstance(node, Not):
            return not_(self.compile(node.item))
        if isinstance(node, Or):
            return or_(*(self.compile(i) for i in node.items))
        # And: the words together in one condition (for contacts one index query).
        parts = self.words([i for i in node.items if isinstance(i, Text)])
        parts += [self.compile(i) for i in node.items if not isinstance(i, Text)]
        return and_(*parts) if parts else true()


def compile_lookup(session: Session, query: str | Node, *, entity: str = CONTACT,
                   today: date | None = None, ranged: bool = False) -> CompiledLookup:
    """The lookup as a condition on the entity's records (Contact, Company or
    Interaction); QuerySyntaxError, naming the problem and its place, for a
    malformed lookup or one naming a field the entity does not have.

    Use the condition in a statement run in this same session: on SQLite it may
    call functions registered on the session's connection. ``ranged``: see
    registry.LookupContext.
    """
    tree = parse(query) if isinstance(query, str) else query
    compiler = _Compiler(session, registry_of(entity), today or date.today(), ranged)
    condition = compiler.compile(tree)
    return CompiledLookup(condition, terms_of(tree), tree, compiler.own_field(tree))


def known_keys(session: Session, entity: str = CONTACT) -> dict[str, str]:
    """{key: label} of every field a lookup of ``entity`` can name (for completion
    and help); for contacts, company fields are marked as such."""
    registry = registry_of(entity)
    out = {key: field.label() for key, field in sorted(registry.fields.items())}
    for owner in registry.custom:
        for f in all_fields(session, owner):
            out.setdefault(f.key, f.label if owner == entity else
                           _("{label} (company)").format(label=f.label))
    return out
