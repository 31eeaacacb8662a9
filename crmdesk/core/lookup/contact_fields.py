"""crmdesk's own lookup fields (``city:``, ``tag:``, ``birthday:`` ...), as a registry.

Each entry says how ``key<op>value`` and ``has:key`` become a condition on
Contact. A field added by a later issue is one ``register(...)`` call or one
line below (the history's ``last_contact`` and ``last_attempt`` are
``datetime_field``s on columns of Contact), and its key is then reserved for custom fields too (fields_keys.py asks here).

Text is compared folded (text.fold: case- and accent-blind in any script).
Name parts, notes, addresses are stored as typed, so on SQLite the
comparison uses a fold() of our own registered on the connection
(``crmdesk_fold``) after a cheap first cut by the full-text index, which
already holds every one of these texts folded; on another database it falls
back to lower(). Every condition is two-valued (never NULL), so ``-city:x``
also finds contacts without any city.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    and_,
    bindparam,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.fields.query import anniversary_condition, bad_date, date_range_of
from crmdesk.core.i18n import _
from crmdesk.core.search.fulltext import Term, text_filter
from crmdesk.core.storage.models import (
    SOURCE,
    STATUS,
    Address,
    Choice,
    Company,
    Contact,
    Email,
    Link,
    Phone,
    SearchRow,
    Tag,
    contact_tag,
)
from crmdesk.core.text.dateranges import DateRange
from crmdesk.core.text.folding import digits, fold

# Kinds, for help texts and for a lookup builder in the GUI.
TEXT = "text"
DATE = "date"
DAY = "day"  # a birthday: month and day, year optional
CHOICE = "choice"
PHONE = "phone"


@dataclass
class LookupContext:
    """What compiling one lookup needs: the session, "today", and the database's abilities."""

    session: Session
    today: date
    fts: bool
    sqlite: bool

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

    def prefilter(self, needle: str) -> ColumnElement[bool]:
        """Contacts whose indexed text holds ``needle`` at all: a fast first cut."""
        return words_filter([Term(needle)], fts=self.fts)


def words_filter(terms: list[Term], *, fts: bool) -> ColumnElement[bool]:
    """search.text_filter, safe to use several times in one statement.

    text_filter binds its FTS5 MATCH string under one fixed name, so in
    ``jonas OR ruta`` the second would silently replace the first; here every
    bound value gets a name of its own.
    """
    def unique(element: Any, **_kw: Any) -> Any:
        if isinstance(element, BindParameter) and not element.unique:
            return bindparam(element.key, element.value, type_=element.type, unique=True)
        return None

    opts: dict[str, Any] = {}
    return visitors.replacement_traverse(text_filter(terms, fts=fts), opts, unique)


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
Presence = Callable[[LookupContext], ColumnElement[bool]]


@dataclass(frozen=True)
class BuiltinField:
    key: str
    label: Callable[[], str]
    kind: str
    condition: Condition
    present: Presence


BUILTINS: dict[str, BuiltinField] = {}


def register(field: BuiltinField) -> BuiltinField:
    """Add (or replace) a built-in lookup field; its key becomes reserved for custom fields."""
    BUILTINS[field.key] = field
    return field


def builtin_keys() -> frozenset[str]:
    return frozenset(BUILTINS)


def only(key: str, op: str, allowed: Iterable[str] = (":", "=")) -> None:
    if op not in allowed:
        raise QuerySyntaxError(_(
            "{key} cannot be compared with {op!r}: comparisons work on dates and numbers. "
            "Use {key}:value."
        ).format(key=key, op=op))


def _match(ctx: LookupContext, column: Any, op: str, needle: str) -> ColumnElement[bool]:
    folded = ctx.fold(column)
    if op == "=":
        return folded == literal(needle)
    return func.instr(folded, literal(needle)) > 0


# -- building blocks (also for fields registered later) -----------------------------------


def contact_text(key: str, column: Any) -> Condition:
    """``key:word`` on a text column of Contact (contains; ``=`` equals)."""
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        only(key, op)
        needle = fold(value)
        if not needle:
            return true()
        return and_(ctx.prefilter(needle), _match(ctx, column, op, needle))
    return condition


def child_text(key: str, model: Any, *columns: Any) -> Condition:
    """``key:word`` on any of a child table's text columns (addresses, links ...)."""
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        only(key, op)
        needle = fold(value)
        if not needle:
            return true()
        found = exists().where(model.contact_id == Contact.id,
                               or_(*(_match(ctx, c, op, needle) for c in columns)))
        return and_(ctx.prefilter(needle), found)
    return condition


def child_present(model: Any, column: Any = None) -> Presence:
    """``has:key`` for a child table: one pass over its contact_id index, not a probe per
    contact (an IN list is far cheaper in SQLite than 100,000 correlated EXISTS)."""
    def present(ctx: LookupContext) -> ColumnElement[bool]:
        owners = select(model.contact_id)
        if column is not None:
            owners = owners.where(column != "")
        result: ColumnElement[bool] = Contact.id.in_(owners)
        return result
    return present


def column_present(column: Any) -> Presence:
    def present(ctx: LookupContext) -> ColumnElement[bool]:
        return and_(column.is_not(None), column != "")
    return present


def utc_bounds(r: DateRange) -> tuple[datetime, datetime]:
    """The local days of ``r`` as [start, end) in naive UTC, as created/updated are kept."""
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
        from crmdesk.core.fields.query import date_condition

        r = date_range_of(value, ctx.today)
        if r is None:
            raise bad_date(value)
        col = column()
        return and_(col.is_not(None), date_condition(col, op, r))
    return condition


# -- the fields ---------------------------------------------------------------------------


def _name(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("name", op)
    needle = fold(value)
    if not needle:
        return true()
    if op == "=":
        return _match(ctx, Contact.display_name, op, needle)
    # name_text is the folded name and nickname already: no function needed.
    return and_(ctx.prefilter(needle), exists().where(
        SearchRow.contact_id == Contact.id, func.instr(SearchRow.name_text, needle) > 0))


def _company(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("company", op)
    needle = fold(value)
    match = Company.name_key == needle if op == "=" else func.instr(Company.name_key,
                                                                    needle) > 0
    return and_(Contact.company_id.is_not(None),
                Contact.company_id.in_(select(Company.id).where(match)))


def _territories() -> dict[str, set[str]]:
    """Folded country names (English, Russian, Lithuanian, Chinese, the PC's) -> codes."""
    from babel import Locale

    from crmdesk.core.text.collation import system_language

    names: dict[str, set[str]] = {}
    for lang in {"en", "ru", "lt", "zh", system_language() or "en"}:
        try:
            territories = Locale.parse(lang).territories
        except (ValueError, LookupError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(fold(name), set()).add(code)
    return names


def _country(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("country", op)
    word = value.strip()
    codes: set[str] = set()
    if len(word) == 2 and word.isalpha():
        codes.add(word.upper())
    needle = fold(word)
    for name, found in _territories().items():
        if name == needle or (op == ":" and len(needle) >= 3 and name.startswith(needle)):
            codes |= found
    if not codes:
        return false()
    return Contact.id.in_(select(Address.contact_id).where(Address.country.in_(sorted(codes))))


def _email(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("email", op)
    needle = fold(value)
    if not needle:
        return true()
    # normalized is lower-cased already: plain SQL, so one pass over the e-mails.
    match = Email.normalized == needle if op == "=" else func.instr(Email.normalized,
                                                                    needle) > 0
    return Contact.id.in_(select(Email.contact_id).where(match))


def _phone(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("phone", op)
    needle = digits(value)
    if not needle:
        raise QuerySyntaxError(_("Phone numbers are looked up by their digits; {value!r} has "
                                 "none.").format(value=value))
    typed = ctx.digits(Phone.number)
    e164 = func.coalesce(Phone.e164, "")
    if op == "=":
        match = or_(typed == needle, func.ltrim(e164, "+") == needle)
    else:
        match = or_(func.instr(e164, needle) > 0, func.instr(typed, needle) > 0)
    return and_(ctx.prefilter(needle), exists().where(Phone.contact_id == Contact.id, match))


def _tag(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("tag", op)
    tagged = select(contact_tag.c.contact_id).join(Tag, Tag.id == contact_tag.c.tag_id)
    return Contact.id.in_(tagged.where(Tag.key == fold(value)))


def _choice(kind: str, column: Any) -> Condition:
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        only(kind, op)
        needle = fold(value)
        names = ctx.session.execute(select(Choice.id, Choice.name)
                                    .where(Choice.kind == kind)).all()
        ids = [cid for cid, name in names if fold(name) == needle]
        if not ids and op == ":" and needle:
            ids = [cid for cid, name in names if needle in fold(name)]
        if not ids:
            return false()
        return and_(column.is_not(None), column.in_(ids))
    return condition


def _birthday(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    r = date_range_of(value, ctx.today)
    if r is None:
        raise bad_date(value)
    month, day, year = Contact.birthday_month, Contact.birthday_day, Contact.birthday_year
    known = and_(month.is_not(None), day.is_not(None))
    if r.relative and op in (":", "="):
        # A birthday "this month" is this month of any year.
        return and_(known, anniversary_condition(month, day, r))
    ymd = year * 10000 + month * 100 + day
    lo = r.start.year * 10000 + r.start.month * 100 + r.start.day
    hi = r.end.year * 10000 + r.end.month * 100 + r.end.day
    cond = {":": ymd.between(lo, hi), "=": ymd.between(lo, hi), "<": ymd < lo, "<=": ymd <= hi,
            ">": ymd > hi, ">=": ymd >= lo}[op]
    return and_(known, year.is_not(None), cond)


def _always(ctx: LookupContext) -> ColumnElement[bool]:
    return true()


for _field in (
    BuiltinField("name", lambda: _("Name"), TEXT, _name, column_present(Contact.display_name)),
    BuiltinField("given", lambda: _("First name"), TEXT,
                 contact_text("given", Contact.given_name), column_present(Contact.given_name)),
    BuiltinField("middle", lambda: _("Middle name"), TEXT,
                 contact_text("middle", Contact.middle_name),
                 column_present(Contact.middle_name)),
    BuiltinField("family", lambda: _("Last name"), TEXT,
                 contact_text("family", Contact.family_name),
                 column_present(Contact.family_name)),
    BuiltinField("nickname", lambda: _("Nickname"), TEXT,
                 contact_text("nickname", Contact.nickname), column_present(Contact.nickname)),
    BuiltinField("job_title", lambda: _("Job title"), TEXT,
                 contact_text("job_title", Contact.job_title),
                 column_present(Contact.job_title)),
    BuiltinField("department", lambda: _("Department"), TEXT,
                 contact_text("department", Contact.department),
                 column_present(Contact.department)),
    BuiltinField("notes", lambda: _("Notes"), TEXT, contact_text("notes", Contact.notes),
                 column_present(Contact.notes)),
    BuiltinField("company", lambda: _("Company"), TEXT, _company,
                 lambda ctx: Contact.company_id.is_not(None)),
    BuiltinField("city", lambda: _("City"), TEXT, child_text("city", Address, Address.city),
                 child_present(Address, Address.city)),
    BuiltinField("region", lambda: _("Region"), TEXT,
                 child_text("region", Address, Address.region),
                 child_present(Address, Address.region)),
    BuiltinField("postcode", lambda: _("Postcode"), TEXT,
                 child_text("postcode", Address, Address.postcode),
                 child_present(Address, Address.postcode)),
    BuiltinField("address", lambda: _("Address"), TEXT,
                 child_text("address", Address, Address.street, Address.city, Address.region,
                            Address.postcode), child_present(Address)),
    BuiltinField("country", lambda: _("Country"), TEXT, _country,
                 child_present(Address, Address.country)),
    BuiltinField("email", lambda: _("E-mail"), TEXT, _email, child_present(Email)),
    BuiltinField("phone", lambda: _("Phone"), PHONE, _phone, child_present(Phone)),
    BuiltinField("web", lambda: _("Web address"), TEXT, child_text("web", Link, Link.url),
                 child_present(Link)),
    BuiltinField("tag", lambda: _("Tag"), CHOICE, _tag,
                 lambda ctx: Contact.id.in_(select(contact_tag.c.contact_id))),
    BuiltinField("status", lambda: _("Status"), CHOICE, _choice(STATUS, Contact.status_id),
                 lambda ctx: Contact.status_id.is_not(None)),
    BuiltinField("source", lambda: _("Lead source"), CHOICE,
                 _choice(SOURCE, Contact.source_id),
                 lambda ctx: Contact.source_id.is_not(None)),
    BuiltinField("birthday", lambda: _("Birthday"), DAY, _birthday,
                 lambda ctx: Contact.birthday_month.is_not(None)),
    BuiltinField("created", lambda: _("Created"), DATE,
                 datetime_field("created", lambda: Contact.created_at), _always),
    BuiltinField("updated", lambda: _("Updated"), DATE,
                 datetime_field("updated", lambda: Contact.updated_at), _always),
    # Derived from the history (history_last.py); missing: never reached / never tried.
    BuiltinField("last_contact", lambda: _("Last contact"), DATE,
                 datetime_field("last_contact", lambda: Contact.last_contact_at),
                 lambda ctx: Contact.last_contact_at.is_not(None)),
    BuiltinField("last_attempt", lambda: _("Last attempt"), DATE,
                 datetime_field("last_attempt", lambda: Contact.last_attempt_at),
                 lambda ctx: Contact.last_attempt_at.is_not(None)),
):
    register(_field)
