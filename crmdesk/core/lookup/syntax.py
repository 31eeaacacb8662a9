"""The lookup language's grammar: text in, a small query tree out, and back again.

    query   := or                      (nothing at all: every record)
    or      := and ( "OR" and )*
    and     := unary ( ["AND"] unary )*        juxtaposition is AND
    unary   := ("-" | "NOT") unary | primary
    primary := "(" or ")" | key op value | has:key | missing:key | word | "phrase"
    op      := ":" | "=" | "<" | "<=" | ">" | ">="

The tree (khard's composable queries, lucc/khard khard/query.py, are the
model) knows nothing of fields or SQL: compiler.py compiles it against one
entity's field registry, and only there is a key checked. This module is the
only place where query text is split: words and "phrases" become the search
terms of the full-text index from these same tokens (search.Term.of).
``to_text`` prints a tree back as a query that parses to the same tree, which
is how a lookup built by clicking is saved. Nodes remember where they started (``pos``, 0-based) so that an
error found later can still point at the place; positions take no part in
comparing trees.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.i18n import _

MAX_DEPTH = 64
MAX_LENGTH = 10_000
KEYWORDS = ("OR", "AND", "NOT")
# A key starts with a letter of any script: a field is also named by its label
# written as a key (дата_договора, 合同日期; fields/catalog.label_aliases).
_KEY = re.compile(r"[^\W\d_]\w*")
_OPS = ("<=", ">=", ":", "=", "<", ">")


@dataclass(frozen=True)
class Everything:
    """The empty query: every record."""

    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Text:
    """A word or a "phrase": found anywhere in the record's text."""

    text: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Cond:
    """``key op value``: a condition on one field (built-in or custom)."""

    key: str
    op: str
    value: str
    pos: int = field(default=0, compare=False)
    value_pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Presence:
    """``has:key`` (present) or ``missing:key``."""

    key: str
    present: bool = True
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Not:
    item: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]
    pos: int = field(default=0, compare=False)


Node = Everything | Text | Cond | Presence | Not | And | Or


def has_conditions(node: Node) -> bool:
    """Is this more than words ANDed together (a field, OR, NOT)?"""
    if isinstance(node, Everything | Text):
        return False
    if isinstance(node, And):
        return any(has_conditions(i) for i in node.items)
    return True


def error(message: str, pos: int) -> QuerySyntaxError:
    """A syntax error whose message names the place (1-based, as people count)."""
    return QuerySyntaxError(_("{problem} at position {n}.").format(problem=message, n=pos + 1),
                            position=pos)


# -- tokens ---------------------------------------------------------------------------

LPAREN, RPAREN, OR, AND, NOT, TEXT, COND, PRESENCE = (
    "(", ")", "OR", "AND", "NOT", "text", "cond", "presence")


@dataclass(frozen=True)
class Token:
    kind: str
    pos: int
    text: str = ""
    key: str = ""
    op: str = ""
    value_pos: int = 0
    end: int = 0


def _phrase(query: str, i: int) -> tuple[str, int]:
    """A "quoted phrase" starting at the quote at ``i``: (its text, index after it).

    Backslash escapes a quote or a backslash; a phrase still being typed
    (no closing quote yet) runs to the end.
    """
    out: list[str] = []
    j = i + 1
    while j < len(query):
        ch = query[j]
        if ch == "\\" and j + 1 < len(query) and query[j + 1] in '"\\':
            out.append(query[j + 1])
            j += 2
            continue
        if ch == '"':
            return "".join(out), j + 1
        out.append(ch)
        j += 1
    return "".join(out), j


def _bare(query: str, i: int) -> int:
    """End of a bare word or value at ``i``: whitespace, a quote, or a ")" it did not open."""
    depth = 0
    j = i
    while j < len(query):
        ch = query[j]
        if ch.isspace() or ch == '"':
            break
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    return j


def _condition(query: str, i: int) -> Token | None:
    m = _KEY.match(query, i)
    if not m:
        return None
    j = m.end()
    op = next((o for o in _OPS if query.startswith(o, j)), None)
    if op is None:
        return None
    k = j + len(op)
    if op == ":" and query.startswith("//", k):
        return None  # http://example.com is a word, not a field "http"
    key = m.group().lower()
    if k >= len(query) or query[k].isspace() or query[k] == ")":
        raise error(_("A value is missing after {cond!r}").format(cond=query[i:k]), i)
    if query[k] == '"':
        value, end = _phrase(query, k)
    else:
        end = _bare(query, k)
        value = query[k:end]
    if key in ("has", "missing") and op == ":":
        if not _KEY.fullmatch(value):
            raise error(_("{what} needs a field name, like has:email").format(
                what=key + ":"), k)
        return Token(PRESENCE, i, text=value.lower(), key=key, op=op, value_pos=k, end=end)
    return Token(COND, i, text=value, key=key, op=op, value_pos=k, end=end)


def _plain(query: str) -> list[Token]:
    """Words and "phrases", nothing else: parentheses, minus signs, OR and ``key:value``
    are letters like any other. Never fails."""
    tokens: list[Token] = []
    i = 0
    n = len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            text, end = _phrase(query, i)
            tokens.append(Token(TEXT, i, text=text))
            i = end
        else:
            end = i
            while end < n and not query[end].isspace() and query[end] != '"':
                end += 1
            tokens.append(Token(TEXT, i, text=query[i:end]))
            i = end
    return tokens


def tokenize(query: str, *, plain: bool = False) -> list[Token]:
    """The tokens of a lookup: the one place where query text is split, into words,
    "phrases", conditions, operators and parentheses (QuerySyntaxError where that
    cannot be done). ``plain``: words and phrases only (see plain_words)."""
    if plain:
        return _plain(query)
    if len(query) > MAX_LENGTH:
        raise error(_("The lookup is too long (at most {n} characters)").format(n=MAX_LENGTH),
                    MAX_LENGTH)
    tokens: list[Token] = []
    i = 0
    n = len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(Token(ch, i))
            i += 1
        elif ch == "-":
            if i + 1 >= n or query[i + 1].isspace() or query[i + 1] == ")":
                raise error(_("Nothing follows the minus sign (write -tag:x to leave out "
                              "what matches tag:x)"), i)
            tokens.append(Token(NOT, i))
            i += 1
        elif ch == '"':
            text, end = _phrase(query, i)
            tokens.append(Token(TEXT, i, text=text))
            i = end
        else:
            cond = _condition(query, i)
            if cond is not None:
                tokens.append(cond)
                i = cond.end
                continue
            end = _bare(query, i)
            if end == i:  # a lone ")" is handled above; this cannot loop, but be sure
                end = i + 1
            word = query[i:end]
            if word in KEYWORDS:
                tokens.append(Token(word, i))
            elif word[0] in "<>":
                raise error(_("A comparison needs a field name right before it, without "
                              "spaces (like fleet_size>10)"), i)
            else:
                tokens.append(Token(TEXT, i, text=word))
            i = end
    return tokens


# -- parsing --------------------------------------------------------------------------


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = tokenize(query)
        self.i = 0
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            return Everything()
        node = self.parse_or()
        token = self.peek()
        if token is not None:  # only a ")" stops parse_or early
            raise error(_("The parenthesis has no matching '('"), token.pos)
        return node

    def parse_or(self) -> Node:
        start = self.peek()
        items = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == OR:
            self.take()
            items.append(self.parse_and(after=token))
        if len(items) == 1:
            return items[0]
        flat: list[Node] = []
        for item in items:
            flat.extend(item.items if isinstance(item, Or) else (item,))
        return Or(tuple(flat), pos=start.pos if start else 0)

    def parse_and(self, after: Token | None = None) -> Node:
        items: list[Node] = []
        start = self.peek()
        while (token := self.peek()) is not None and token.kind not in (OR, RPAREN):
            if token.kind == AND:
                self.take()
                nxt = self.peek()
                if not items or nxt is None or nxt.kind in (OR, RPAREN, AND):
                    raise error(_("AND needs something on both sides"), token.pos)
                continue
            items.append(self.parse_unary())
        if not items:
            token = self.peek()
            if after is not None:
                raise error(_("OR needs something on both sides"), after.pos)
            if token is None:  # pragma: no cover - parse() checks for no tokens at all
                return Everything()
            if token.kind == OR:
                raise error(_("OR needs something on both sides"), token.pos)
            raise error(_("The parenthesis has no matching '('"), token.pos)
        if len(items) == 1:
            return items[0]
        flat: list[Node] = []
        for item in items:
            flat.extend(item.items if isinstance(item, And) else (item,))
        return And(tuple(flat), pos=start.pos if start else 0)

    def parse_unary(self) -> Node:
        token = self.take()
        if token.kind == NOT:
            nxt = self.peek()
            if nxt is None or nxt.kind in (OR, RPAREN, AND):
                raise error(_("Nothing follows NOT"), token.pos)
            return Not(self.nested(self.parse_unary), pos=token.pos)
        if token.kind == LPAREN:
            nxt = self.peek()
            if nxt is not None and nxt.kind == RPAREN:
                raise error(_("The parentheses are empty"), token.pos)
            if nxt is None:
                raise error(_("The parenthesis is never closed"), token.pos)
            node = self.nested(self.parse_or)
            close = self.peek()
            if close is None or close.kind != RPAREN:
                raise error(_("The parenthesis is never closed"), token.pos)
            self.take()
            return node
        if token.kind == RPAREN:  # pragma: no cover - parse_and stops before a ")"
            raise error(_("The parenthesis has no matching '('"), token.pos)
        if token.kind == TEXT:
            return Text(token.text, pos=token.pos)
        if token.kind == PRESENCE:
            return Presence(token.text, token.key == "has", pos=token.pos)
        if token.kind == COND:
            return Cond(token.key, token.op, token.text, pos=token.pos,
                        value_pos=token.value_pos)
        raise error(_("OR needs something on both sides"), token.pos)

    def nested(self, parse: Callable[[], Node]) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise error(_("The lookup is nested too deeply"), self.tokens[self.i - 1].pos)
        try:
            return parse()
        finally:
            self.depth -= 1


def parse(query: str) -> Node:
    """The tree of a lookup; QuerySyntaxError (with a position) if it is malformed."""
    return _Parser(query).parse()


def plain_words(query: str) -> Node:
    """``query`` read as nothing but words and "phrases", all ANDed: how a search box
    reads a lookup that is not (yet) valid, ``status:`` half typed or a "(" not yet
    closed, so that typing is never interrupted. Never fails."""
    items = tuple(Text(t.text, pos=t.pos) for t in tokenize(query, plain=True))
    if not items:
        return Everything()
    return items[0] if len(items) == 1 else And(items, pos=items[0].pos)


# -- printing -------------------------------------------------------------------------


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _same(tokens: list[Token], kind: str, **expect: str) -> bool:
    if len(tokens) != 1 or tokens[0].kind != kind:
        return False
    return all(getattr(tokens[0], k) == v for k, v in expect.items())


def _balanced(text: str) -> bool:
    """Parentheses that close in order: only then can a bare word keep them (a lone "("
    would swallow the ")" of a group around it)."""
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _word(text: str) -> str:
    try:
        if text and _balanced(text) and _same(tokenize(text), TEXT, text=text):
            return text
    except QuerySyntaxError:
        pass
    return quote(text)


def _cond(node: Cond) -> str:
    bare = node.key + node.op + node.value
    try:
        if node.value and _balanced(node.value) and _same(
                tokenize(bare), COND, key=node.key, op=node.op, text=node.value):
            return bare
    except QuerySyntaxError:
        pass
    return node.key + node.op + quote(node.value)


def to_text(node: Node) -> str:
    """The query for a tree: parse(to_text(tree)) == tree for every tree parse can make."""
    if isinstance(node, Everything):
        return ""
    if isinstance(node, Text):
        return _word(node.text)
    if isinstance(node, Cond):
        return _cond(node)
    if isinstance(node, Presence):
        return ("has:" if node.present else "missing:") + node.key
    if isinstance(node, Not):
        inner = to_text(node.item)
        return "-(" + inner + ")" if isinstance(node.item, And | Or) else "-" + inner
    if isinstance(node, And):
        return " ".join("(" + to_text(i) + ")" if isinstance(i, Or) else to_text(i)
                        for i in node.items)
    return " OR ".join(to_text(i) for i in node.items)
