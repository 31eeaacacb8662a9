"""What a field registry is, and the building blocks its fields are made of.

Every entity a lookup can find (contacts, companies, history entries) has one
Registry: its built-in fields (``city:``, ``kind:`` ...), what a plain word
looks in, and whose custom fields it can name. compiler.py compiles a query
tree against one of them, so the syntax, the errors and the meaning of
``key<op>value`` are the same everywhere and only the fields differ. A field
added later is one ``register(...)`` call on its entity's registry.

Text is compared folded (text.fold: case- and accent-blind in any script).
Columns stored as typed are folded in SQL by a fold() of our own registered
on the SQLite connection (``crmdesk_fold``); on another database it falls
back to lower(). Every condition is two-valued (never NULL), so ``-city:x``
also finds records without any city.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from babel import Locale
from sqlalchemy import ColumnElement, and_, false, func, literal, or_, select, true
from sqlalchemy.orm import Session

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.fields.query import bad_date, date_condition, date_range_of
from crmdesk.core.i18n import _
from crmdesk.core.search.fulltext import Term
from crmdesk.core.storage.models import Choice, Phone
from crmdesk.core.text.collation import system_language
from crmdesk.core.text.dateranges import DateRange
from crmdesk.core.text.folding import digits, fold
from crmdesk.core.text.parsing import parse_number

# Kinds, for help texts and for a lookup builder in the GUI.
TEXT = "text"
DATE = "date"
DAY = "day"  # a birthday: month and day, year optional
CHOICE = "choice"
PHONE = "phone"
NUMBER = "number"


@dataclass
class LookupContext:
    """What compiling one lookup needs: the session, "today", and the database's abilities.

    ``ranged``: the statement is led by a range on an index of the caller's (the
    History view's period on ``at``), so a condition should not offer SQLite an
    index of its own to start from (see history_fields).
    """

    session: Session
    today: date
    fts: bool
    sqlite: bool
    ranged: bool = False
    memo: dict[str, Any] = field(default_factory=dict)  # what one compile read once
    # A lookup inside this one (a group's saved lookup, ``group:NAME``), compiled by the
    # same compile against the same registry; set by compiler.py.
    nested: Callable[[str], ColumnElement[bool]] | None = None

    def fold(self, column: Any) -> ColumnElement[str]:
        """fold(column) in SQL (see the module docstring)."""
        if self.sqlite:
            result: ColumnElement[str] = func.crmdesk_fold(column)
            return result
        return func.lower(column)

    def digits(self, column: Any) -> ColumnElement[str]:
        if self.sqlite:
            result: ColumnElement[str] = func.crmdesk_digits(column)
            return result
        return func.regexp_replace(column, r"\D", "", "g")


def ensure_sql_functions(session: Session) -> None:
    """Register crmdesk_fold / crmdesk_digits on the session's SQLite connection (once)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return
    pooled = conn.connection
    if pooled.info.get("crmdesk_functions"):
        return
    raw: Any = pooled.dbapi_connection
    raw.create_function("crmdesk_fold", 1, fold, deterministic=True)
    raw.create_function("crmdesk_digits", 1, digits, deterministic=True)
    pooled.info["crmdesk_functions"] = True


Condition = Callable[[LookupContext, str, str], ColumnElement[bool]]
Present = Callable[[LookupContext], ColumnElement[bool]]
# The condition for plain words and "phrases" (all of them, ANDed).
Words = Callable[[LookupContext, list[Term]], ColumnElement[bool]]
# A condition on the records of a custom field's entity, as one on the registry's records.
Via = Callable[[ColumnElement[bool]], ColumnElement[bool]]


@dataclass(frozen=True)
class BuiltinField:
    """``key<op>value`` (``condition``) and ``has:key`` (``present``) on one entity.

    ``leads``: the condition finds its matches through an index of their own (an
    IN list, the full-text index), so a statement should start from them; False
    for a test only the row can answer (a date on the record's own row). Only
    the contact list's plan looks at it (query.py).
    """

    key: str
    label: Callable[[], str]
    kind: str
    condition: Condition
    present: Present
    leads: bool = True


@dataclass
class Registry:
    """One entity's lookup fields.

    ``entity``: its name (field_models.CONTACT, COMPANY, or HISTORY);
    ``model``: the mapped class whose ids a lookup finds; ``words``: what a
    plain word looks in; ``custom``: whose custom fields it can name (a
    field_def entity, and how a condition on that entity's records becomes one
    on ours), in the order a key is looked for.
    """

    entity: str
    model: Any
    words: Words
    custom: dict[str, Via] = field(default_factory=dict)
    fields: dict[str, BuiltinField] = field(default_factory=dict)

    def register(self, builtin: BuiltinField) -> BuiltinField:
        """Add (or replace) a built-in field. (Custom fields may not take a contact's
        built-in keys: fields/keys.py reserves them, test_reserved_keys keeps the lists
        in step.)"""
        self.fields[builtin.key] = builtin
        return builtin

    def keys(self) -> frozenset[str]:
        return frozenset(self.fields)


def same(cond: ColumnElement[bool]) -> ColumnElement[bool]:
    """The Via of a registry's own custom fields."""
    return cond


def only(key: str, op: str, allowed: tuple[str, ...] = (":", "=")) -> None:
    if op not in allowed:
        raise QuerySyntaxError(_(
            "{key} cannot be compared with {op!r}: comparisons work on dates and numbers. "
            "Use {key}:value."
        ).format(key=key, op=op))


def match(ctx: LookupContext, column: Any, op: str, needle: str) -> ColumnElement[bool]:
    """fold(column) holds the folded ``needle`` (``:``) or is it (``=``)."""
    folded = ctx.fold(column)
    if op == "=":
        return folded == literal(needle)
    return func.instr(folded, literal(needle)) > 0


def _folded_values(ctx: LookupContext, column: Any) -> list[tuple[str, str]]:
    key = "distinct:" + str(column)
    found: list[tuple[str, str]] | None = ctx.memo.get(key)
    if found is None:
        found = [(v, fold(v)) for v in ctx.session.scalars(select(column).distinct()) if v]
        ctx.memo[key] = found
    return found


def value_match(ctx: LookupContext, column: Any, op: str, needle: str) -> ColumnElement[bool]:
    """match() for a column of few distinct values (a company's industry): the values
    are read and folded in Python once per lookup, then it is an IN list; folding
    every row in SQL would call Python once per row."""
    hits = [v for v, f in _folded_values(ctx, column)
            if (f == needle if op == "=" else needle in f)]
    if not hits:
        return false()
    result: ColumnElement[bool] = column.in_(hits)
    return result


def contains(column: Any, op: str, needle: str) -> ColumnElement[bool]:
    """The same on a column stored folded already (no function needed)."""
    result: ColumnElement[bool] = (column == literal(needle) if op == "="
                                   else func.instr(column, literal(needle)) > 0)
    return result


# -- building blocks ----------------------------------------------------------------------


def column_present(column: Any) -> Present:
    def present(ctx: LookupContext) -> ColumnElement[bool]:
        return and_(column.is_not(None), column != "")
    return present


def not_null(column: Any) -> Present:
    def present(ctx: LookupContext) -> ColumnElement[bool]:
        result: ColumnElement[bool] = column.is_not(None)
        return result
    return present


def always(ctx: LookupContext) -> ColumnElement[bool]:
    return true()


def text_field(key: str, column: Any, *, few: bool = False) -> Condition:
    """``key:word`` on a text column (contains; ``=`` equals), with no first cut.
    ``few``: the column holds few distinct values (see value_match)."""
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        only(key, op)
        needle = fold(value)
        if not needle:
            return true()
        return (value_match if few else match)(ctx, column, op, needle)
    return condition


def utc_bounds(r: DateRange) -> tuple[datetime, datetime]:
    """The local days of ``r`` as [start, end) in naive UTC, as timestamps are kept."""
    def utc(day: date) -> datetime:
        local = datetime.combine(day, time.min).astimezone()
        return local.astimezone(UTC).replace(tzinfo=None)
    return utc(r.start), utc(r.end + timedelta(days=1))


def datetime_field(key: str, column: Callable[[], Any]) -> Condition:
    """``key<date`` etc. on a UTC timestamp: days are the user's local days."""
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        r = date_range_of(value, ctx.today)
        if r is None:
            raise bad_date(value)
        start, end = utc_bounds(r)
        col = column()
        cond = {":": and_(col >= start, col < end), "=": and_(col >= start, col < end),
                "<": col < start, "<=": col < end, ">": col >= end, ">=": col >= start}[op]
        return and_(col.is_not(None), cond)
    return condition


def date_field(key: str, column: Callable[[], Any]) -> Condition:
    """``key<date`` etc. on a date column (or a scalar subquery giving a date)."""
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        r = date_range_of(value, ctx.today)
        if r is None:
            raise bad_date(value)
        col = column()
        return and_(col.is_not(None), date_condition(col, op, r))
    return condition


def number_field(key: str, column: Any) -> Condition:
    """``key>10`` etc. on a number column (``:`` and ``=`` are equal)."""
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        parsed = parse_number(value)
        if parsed is None:
            raise QuerySyntaxError(_("{value!r} is not a number ({key} holds numbers).")
                                   .format(value=value, key=key))
        number = float(parsed)
        col = column
        cond = {":": col == number, "=": col == number, "<": col < number,
                "<=": col <= number, ">": col > number, ">=": col >= number}[op]
        return and_(col.is_not(None), cond)
    return condition


def choice_field(key: str, kind: str, column: Callable[[LookupContext], Any]) -> Condition:
    """``key:name`` on an entry of a user-editable drop-down list (status, kind ...):
    the entry named so (any case and accents); with ``:`` also the entries holding it."""
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        only(key, op)
        needle = fold(value)
        names = ctx.session.execute(select(Choice.id, Choice.name)
                                    .where(Choice.kind == kind)).all()
        ids = [cid for cid, name in names if fold(name) == needle]
        if not ids and op == ":" and needle:
            ids = [cid for cid, name in names if needle in fold(name)]
        if not ids:
            return false()
        col = column(ctx)
        return and_(col.is_not(None), col.in_(ids))
    return condition


@cache
def _territories(own: str) -> dict[str, frozenset[str]]:
    """Folded country names (English, Russian, Lithuanian, Chinese, ``own``) -> codes."""
    names: dict[str, set[str]] = {}
    for lang in {"en", "ru", "lt", "zh", own or "en"}:
        try:
            territories = Locale.parse(lang).territories
        except (ValueError, LookupError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(fold(name), set()).add(code)
    return {name: frozenset(codes) for name, codes in names.items()}


def country_codes(op: str, value: str) -> list[str]:
    """The ISO codes ``country:value`` means: a code itself, or a country's name in
    English, Russian, Lithuanian, Chinese or the PC's language (``:`` also its start)."""
    word = value.strip()
    codes: set[str] = set()
    if len(word) == 2 and word.isalpha():
        codes.add(word.upper())
    needle = fold(word)
    for name, found in _territories(system_language()).items():
        if name == needle or (op == ":" and len(needle) >= 3 and name.startswith(needle)):
            codes |= found
    return sorted(codes)


def phone_digits(value: str) -> str:
    """The digits ``phone:value`` looks for; a value without any is the user's error."""
    needle = digits(value)
    if not needle:
        raise QuerySyntaxError(_("Phone numbers are looked up by their digits; {value!r} has "
                                 "none.").format(value=value))
    return needle


def same_phone(ctx: LookupContext, op: str, needle: str) -> ColumnElement[bool]:
    """A phone row that is the number ``needle`` (``=``) or holds its digits (``:``), as
    typed or in its international form, whoever owns it (a contact or a company)."""
    typed = ctx.digits(Phone.number)
    e164 = func.coalesce(Phone.e164, "")
    if op == "=":
        return or_(typed == needle, func.ltrim(e164, "+") == needle)
    return or_(func.instr(e164, needle) > 0, func.instr(typed, needle) > 0)
