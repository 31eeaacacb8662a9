"""A lookup as rows a user can click together, and back to the text the search box takes.

The lookup builder (Edit > Build Lookup…) shows a lookup as rows of field,
operator and value, joined by "all" or "any" of them, with groups inside
groups. It must write exactly the language the search box, saved lookups and
``crmdesk search`` read, and open on whatever the box holds, so a newcomer
learns the language by watching it being written. So this module writes no
grammar of its own: text becomes rows through syntax.parse (its tree), and rows
become text through syntax.to_text (its quoting), and the two meet here.

A word or "phrase" found anywhere is a row too, on the field ``ANYWHERE``
("Any field contains ivanov"), so words may stand anywhere a condition can.
``-x`` is a row's ``negated``; ``-(a OR b)`` a group matching "none" of its
rows, ``-(a b)`` one matching "not all" of them.

Round trip: for any text the parser accepts, ``to_text(from_text(t))`` finds
the same records as ``t`` (its canonical form: AND unsaid, ``-has:x`` as
``missing:x``, a double minus dropped), and ``from_text(to_text(g)) == g`` for
every structure ``from_text`` makes. A structure clicked together may hold
what the text cannot keep apart (a group of one row, an "all" group inside an
"all" group); ``normal`` gives what it becomes.

What rows cannot show is text the parser refuses, and (``check``) a field the
records do not have or an operator its type cannot take: ``read`` says so in
plain words, so the dialog can say why and keep the text as typed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Union

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.fields import info as types
from crmdesk.core.fields.catalog import all_fields, label_aliases
from crmdesk.core.fields.info import FieldInfo
from crmdesk.core.fields.keys import label_key
from crmdesk.core.i18n import _
from crmdesk.core.lookup import registry as kinds
from crmdesk.core.lookup.compiler import registry_of
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
)
from crmdesk.core.lookup.syntax import to_text as node_text
from crmdesk.core.storage.field_models import CONTACT
from crmdesk.core.storage.models import (
    INTERACTION_KIND,
    OUTCOME,
    SOURCE,
    STATUS,
    Choice,
    ContactGroup,
    Tag,
)
from crmdesk.core.text.folding import fold

__all__ = ["ALL", "ANY", "ANYWHERE", "blank_out", "HAS", "MISSING", "NONE", "NOT_ALL", "FieldSpec",
           "Group", "Operator", "Reading", "Row", "check", "field_specs", "from_node",
           "from_text", "normal", "operator_label", "operators", "read", "spec_for",
           "to_node", "to_text"]

# The field of a word or "phrase" found anywhere in the record.
ANYWHERE = ""
# Operators beside the language's own (":", "=", "<", "<=", ">", ">="): has:key, missing:key.
HAS, MISSING = "has", "missing"
COMPARISONS = ("<", "<=", ">", ">=")
# How a group joins its rows.
ALL, ANY, NONE, NOT_ALL = "all", "any", "none", "not_all"
MATCHES = (ALL, ANY, NONE, NOT_ALL)

# The builder's kinds of field: which operators fit, which value editor shows.
WORDS = "words"
TEXT = "text"
PHONE = "phone"
CHOICE = "choice"
TAG = "tag"
NUMBER = "number"
MONEY = "money"
DATE = "date"
YES_NO = "yes_no"


@dataclass(frozen=True)
class Row:
    """``key op value``; ``key`` is ANYWHERE for a word, ``op`` HAS/MISSING for presence
    (no value). ``negated``: the row is written with a minus (NOT)."""

    key: str
    op: str = ":"
    value: str = ""
    negated: bool = False

    @property
    def complete(self) -> bool:
        """Filled in: a row whose value is still blank is one being made (``blank_out``)."""
        return self.op in (HAS, MISSING) or bool(self.value.strip())


@dataclass(frozen=True)
class Group:
    """Rows and groups joined by ``match``: ALL, ANY, NONE (not any) or NOT_ALL."""

    match: str = ALL
    items: tuple[Item, ...] = ()


Item = Union[Row, Group]  # noqa: UP007 - a runtime alias used before Group is complete


# -- text -> rows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """Text read as rows: ``group``, or None and ``problem`` (plain words: why not)."""

    group: Group | None
    problem: str = ""


def _item(node: Node) -> Item:
    if isinstance(node, Text):
        return Row(ANYWHERE, ":", node.text)
    if isinstance(node, Cond):
        return Row(node.key, node.op, node.value)
    if isinstance(node, Presence):
        return Row(node.key, HAS if node.present else MISSING)
    if isinstance(node, Not):
        inner = node.item
        if isinstance(inner, Not):  # --x is x
            return _item(inner.item)
        if isinstance(inner, Presence):  # -has:x is missing:x
            return Row(inner.key, MISSING if inner.present else HAS)
        if isinstance(inner, Or | And):
            group = _group(inner)
            return Group(NONE if group.match == ANY else NOT_ALL, group.items)
        row = _item(inner)
        assert isinstance(row, Row)
        return Row(row.key, row.op, row.value, not row.negated)
    if isinstance(node, Everything):  # pragma: no cover - only ever the whole lookup
        return Group()
    return _group(node)


def _group(node: And | Or) -> Group:
    match = ALL if isinstance(node, And) else ANY
    items: list[Item] = []
    for child in node.items:
        item = _item(child)
        if isinstance(item, Group) and item.match == match:
            items.extend(item.items)  # as the parser flattens a AND (b AND c)
        else:
            items.append(item)
    return Group(match, tuple(items))


def from_node(node: Node) -> Group:
    """The rows of a parsed lookup (syntax.parse): always a group, the outermost one."""
    if isinstance(node, Everything):
        return Group()
    item = _item(node)
    if isinstance(item, Row) or item.match in (NONE, NOT_ALL):
        return Group(ALL, (item,))
    return item


def from_text(text: str) -> Reading:
    """``text`` as rows, or why it cannot be (the parser's own message, with the place)."""
    try:
        return Reading(from_node(parse(text)))
    except QuerySyntaxError as exc:
        return Reading(None, str(exc))


# -- rows -> text ----------------------------------------------------------------------


def _row_node(row: Row) -> Node:
    if row.op in (HAS, MISSING):
        node: Node = Presence(row.key, row.op == HAS)
    elif row.key == ANYWHERE:
        node = Text(row.value)
    else:
        node = Cond(row.key, row.op, row.value)
    return Not(node) if row.negated else node


def _node(item: Item) -> Node | None:
    """None: nothing to write (an empty group)."""
    if isinstance(item, Row):
        return _row_node(item)
    nodes = [n for i in item.items if (n := _node(i)) is not None]
    if not nodes:
        return None
    if len(nodes) == 1:
        inner = nodes[0]
    else:
        inner = And(tuple(nodes)) if item.match in (ALL, NOT_ALL) else Or(tuple(nodes))
    return Not(inner) if item.match in (NONE, NOT_ALL) else inner


def blank_out(group: Group) -> Group:
    """The rows without those still being filled in (a blank value): what the dialog
    writes while the user works. (Text read in keeps its ``city:""`` as it is: on a
    drop-down field it finds nobody, so leaving it out would change what is found.)"""
    items: list[Item] = []
    for item in group.items:
        if isinstance(item, Group):
            items.append(blank_out(item))
        elif item.complete:
            items.append(item)
    return Group(group.match, tuple(items))


def to_node(group: Group) -> Node:
    """The query tree of the rows (empty groups left out)."""
    node = _node(group)
    return Everything() if node is None else node


def to_text(group: Group) -> str:
    """The lookup the rows make, in the language's canonical form (values quoted where
    they need it)."""
    return node_text(to_node(group))


def normal(group: Group) -> Group:
    """What a structure becomes once written and read back: empty groups gone, a group of one row unwrapped, an "all" inside an "all" merged."""
    return from_node(to_node(group))


# -- fields and their operators --------------------------------------------------------


@dataclass(frozen=True)
class Operator:
    op: str
    negated: bool = False

    @property
    def needs_value(self) -> bool:
        return self.op not in (HAS, MISSING)


_OPERATORS: dict[str, tuple[Operator, ...]] = {
    WORDS: (Operator(":"), Operator(":", True)),
    TEXT: (Operator(":"), Operator("="), Operator(":", True), Operator("=", True),
           Operator(MISSING), Operator(HAS)),
    PHONE: (Operator(":"), Operator("="), Operator(":", True), Operator(MISSING),
            Operator(HAS)),
    CHOICE: (Operator(":"), Operator(":", True), Operator(MISSING), Operator(HAS)),
    TAG: (Operator(":"), Operator(":", True), Operator(MISSING), Operator(HAS)),
    NUMBER: (Operator("="), Operator("=", True), Operator("<"), Operator("<="), Operator(">"),
             Operator(">="), Operator(MISSING), Operator(HAS)),
    DATE: (Operator(":"), Operator(":", True), Operator("<"), Operator("<="), Operator(">"),
           Operator(">="), Operator(MISSING), Operator(HAS)),
    YES_NO: (Operator(":"), Operator(MISSING), Operator(HAS)),
}
_OPERATORS[MONEY] = _OPERATORS[NUMBER]

# The operators each kind's type can compare with at all (compiler rules); anything
# else is an error the search box reports too.
_ALLOWED: dict[str, tuple[str, ...]] = {
    WORDS: (":",), NUMBER: (":", "=", *COMPARISONS), MONEY: (":", "=", *COMPARISONS),
    DATE: (":", "=", *COMPARISONS)}
_EQUALITY = (":", "=")


def operators(kind: str) -> tuple[Operator, ...]:
    """The operators a field of this kind offers, in menu order."""
    return _OPERATORS.get(kind, _OPERATORS[TEXT])


def fits(kind: str, row: Row) -> bool:
    """Can a field of ``kind`` take the row's operator (and a word no presence)?"""
    if row.op in (HAS, MISSING):
        return kind != WORDS
    return row.op in _ALLOWED.get(kind, _EQUALITY)


_LABELS: dict[str, dict[str, Callable[[], str]]] = {
    TEXT: {":": lambda: _("contains"), "=": lambda: _("is"), "-:": lambda: _("does not contain"),
           "-=": lambda: _("is not")},
    CHOICE: {":": lambda: _("is"), "=": lambda: _("is exactly"), "-:": lambda: _("is not"),
             "-=": lambda: _("is not exactly")},
    NUMBER: {":": lambda: _("equals"), "=": lambda: _("equals"), "-:": lambda: _("does not equal"),
             "-=": lambda: _("does not equal"), "<": lambda: _("is less than"),
             "<=": lambda: _("is at most"), ">": lambda: _("is more than"),
             ">=": lambda: _("is at least")},
    DATE: {":": lambda: _("is in"), "=": lambda: _("is in"), "-:": lambda: _("is not in"),
           "-=": lambda: _("is not in"), "<": lambda: _("is before"),
           "<=": lambda: _("is on or before"), ">": lambda: _("is after"),
           ">=": lambda: _("is on or after")},
}
_LABELS[WORDS] = _LABELS[PHONE] = _LABELS[TEXT]
_LABELS[TAG] = _LABELS[YES_NO] = _LABELS[CHOICE]
_LABELS[MONEY] = _LABELS[NUMBER]


def operator_label(kind: str, op: Operator) -> str:
    """What the operator menu says: "contains", "is before", "is empty" ..."""
    if op.op == MISSING:
        return _("is not empty") if op.negated else _("is empty")
    if op.op == HAS:
        return _("is empty") if op.negated else _("is not empty")
    labels = _LABELS.get(kind, _LABELS[TEXT])
    found = labels.get(("-" if op.negated else "") + op.op)
    if found is not None:
        return found()
    plain = labels.get(op.op)
    word = plain() if plain is not None else op.op
    return _("not: {operator}").format(operator=word) if op.negated else word


@dataclass(frozen=True)
class FieldSpec:
    """A field a row can name: its key, what the menu says, its kind, and for a
    drop-down the values it offers. ``aliases``: other names the lookup accepts for it
    (a custom field's label written as a key, дата_договора)."""

    key: str
    label: str
    kind: str
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    custom: bool = False


_BUILTIN_KINDS = {kinds.TEXT: TEXT, kinds.PHONE: PHONE, kinds.CHOICE: CHOICE,
                  kinds.NUMBER: NUMBER, kinds.DATE: DATE, kinds.DAY: DATE}
_CUSTOM_KINDS = {types.NUMBER: NUMBER, types.MONEY: MONEY, types.DATE: DATE,
                 types.YES_NO: YES_NO, types.CHOICE: CHOICE, types.MULTI_CHOICE: CHOICE,
                 types.PHONE: PHONE}
# The user-editable lists behind built-in drop-down fields.
_LISTS = {"status": STATUS, "source": SOURCE, "kind": INTERACTION_KIND, "outcome": OUTCOME}


def _builtin_choices(session: Session, key: str) -> tuple[str, ...]:
    if key == "tag":
        return tuple(sorted(session.scalars(select(Tag.name)), key=fold))
    if key == "direction":
        return ("in", "out")
    if key == "overdue":
        return ("yes", "no")
    if key == "group":  # the navigation's groups, in its order
        return tuple(session.scalars(select(ContactGroup.name)
                                     .order_by(ContactGroup.position, ContactGroup.id)))
    kind = _LISTS.get(key)
    if kind is None:
        return ()
    stmt = (select(Choice.name).where(Choice.kind == kind, Choice.archived.is_(False))
            .order_by(Choice.position, Choice.id))
    return tuple(session.scalars(stmt))


def _custom_spec(f: FieldInfo, entity: str, aliases: Sequence[str]) -> FieldSpec:
    label = f.label if f.entity == entity else _("{label} (company)").format(label=f.label)
    choices: tuple[str, ...] = ()
    if f.type in types.WITH_OPTIONS:
        choices = tuple(o.label for o in sorted(f.active_options, key=lambda o: o.position))
    elif f.type == types.YES_NO:
        choices = (_("yes"), _("no"))
    return FieldSpec(f.key, label, _CUSTOM_KINDS.get(f.type, TEXT), choices, tuple(aliases),
                     custom=True)


def field_specs(session: Session, entity: str = CONTACT) -> list[FieldSpec]:
    """Every field a lookup of ``entity`` can name, as the builder's field menu lists
    them: "Any field" first, the built-in fields by label, then the user's own (for
    contacts also their company's, marked so), in form order; archived fields last."""
    registry = registry_of(entity)
    specs = [FieldSpec(ANYWHERE, _("Any field"), WORDS)]
    builtin = [FieldSpec(key, f.label(), TAG if key == "tag" else _BUILTIN_KINDS.get(f.kind, TEXT),
                         _builtin_choices(session, key))
               for key, f in registry.fields.items()]
    # History's "at" and "date" are one field under two names: the menu shows "date".
    specs += sorted((s for s in builtin if not (s.key == "at" and "date" in registry.fields)),
                    key=lambda s: fold(s.label))
    owners = tuple(registry.custom)
    by_field: dict[int, list[str]] = {}
    for alias, f in label_aliases(session, owners, frozenset(registry.fields)).items():
        by_field.setdefault(f.id, []).append(alias)
    custom: list[FieldInfo] = [f for owner in owners for f in all_fields(session, owner)]
    seen: set[str] = set()
    for f in sorted(custom, key=lambda f: f.archived):
        if f.key in seen or f.key in registry.fields:
            continue
        seen.add(f.key)
        specs.append(_custom_spec(f, entity, by_field.get(f.id, [])))
    return specs


def spec_for(specs: Iterable[FieldSpec], key: str) -> FieldSpec | None:
    """The field a row's key names: its key, else its label written as a key."""
    specs = list(specs)
    for spec in specs:
        if spec.key == key:
            return spec
    alias = label_key(key)
    for spec in specs:
        if alias and alias in spec.aliases:
            return spec
    return None


def _rows(group: Group) -> Iterable[Row]:
    for item in group.items:
        if isinstance(item, Row):
            yield item
        else:
            yield from _rows(item)


def check(group: Group, specs: Sequence[FieldSpec]) -> str:
    """Why the rows cannot be shown with these fields ("" if they can): a field the
    records do not have, or an operator the field's type cannot take."""
    for row in _rows(group):
        spec = spec_for(specs, row.key)
        if spec is None:
            message = _("There is no field {key!r}.").format(key=row.key)
            near = difflib.get_close_matches(row.key, [s.key for s in specs if s.key], n=1,
                                                cutoff=0.75)
            if near:
                message += " " + _("Did you mean {key}?").format(key=near[0])
            return message
        if not fits(spec.kind, row):
            what = row.op if row.op not in (HAS, MISSING) else row.op + ":"
            return _("{field} cannot be compared with {op!r}.").format(field=spec.label,
                                                                      op=what)
    return ""


def read(session: Session, entity: str, text: str) -> Reading:
    """``text`` as rows of ``entity``'s fields, or why it cannot be shown as rows."""
    reading = from_text(text)
    if reading.group is None:
        return reading
    problem = check(reading.group, field_specs(session, entity))
    return Reading(None, problem) if problem else reading
