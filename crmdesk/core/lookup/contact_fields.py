"""The contacts' lookup fields (``city:``, ``tag:``, ``birthday:`` ...), as a registry.

Each entry says how ``key<op>value`` and ``has:key`` become a condition on
Contact (registry.py says what an entry is). A field added by a later issue is
one ``register(...)`` call or one line below (the history's ``last_contact``
and ``last_attempt`` are ``datetime_field``s on columns of Contact), and its
key is then reserved for custom fields too (fields/keys.py, kept in step by
test_reserved_keys). A contact lookup names custom fields of contacts, and of
companies, seen through the contact's company.

Words go to the full-text index (search.text_filter). Name parts, notes,
addresses are stored as typed, so their conditions fold in SQL (registry.py)
after a cheap first cut by the full-text index, which already holds every one
of these texts folded.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select, true

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.fields.query import anniversary_condition, bad_date, date_range_of
from crmdesk.core.i18n import _
from crmdesk.core.lookup import activity_fields
from crmdesk.core.lookup.registry import (
    CHOICE,
    DATE,
    DAY,
    PHONE,
    TEXT,
    BuiltinField,
    Condition,
    LookupContext,
    Present,
    Registry,
    always,
    choice_field,
    column_present,
    contains,
    country_codes,
    datetime_field,
    match,
    only,
    phone_digits,
    same,
    same_phone,
)
from crmdesk.core.search.fulltext import Term, text_filter
from crmdesk.core.storage.field_models import COMPANY, CONTACT
from crmdesk.core.storage.models import (
    GROUP_STATIC,
    SOURCE,
    STATUS,
    Address,
    Company,
    Contact,
    ContactGroup,
    Email,
    Link,
    Phone,
    SearchRow,
    Tag,
    contact_tag,
    group_member,
)
from crmdesk.core.text.folding import fold

__all__ = ["BUILTINS", "CONTACTS", "DATE", "BuiltinField", "builtin_keys", "register",
           "words_filter"]


def words_filter(terms: list[Term], *, fts: bool) -> ColumnElement[bool]:
    """search.text_filter: its bound values are unique, so it may appear several times in
    one statement (``jonas OR ruta``, a field's first cut beside the words)."""
    return text_filter(terms, fts=fts)


def _words(ctx: LookupContext, terms: list[Term]) -> ColumnElement[bool]:
    return words_filter(terms, fts=ctx.fts)


def _via_company(cond: ColumnElement[bool]) -> ColumnElement[bool]:
    """A condition on Company (a company custom field) seen through the contact's company."""
    return and_(Contact.company_id.is_not(None),
                Contact.company_id.in_(select(Company.id).where(cond)))


CONTACTS = Registry(CONTACT, Contact, _words, custom={CONTACT: same, COMPANY: _via_company})
BUILTINS = CONTACTS.fields
register = CONTACTS.register


def builtin_keys() -> frozenset[str]:
    return CONTACTS.keys()


def prefilter(ctx: LookupContext, needle: str) -> ColumnElement[bool]:
    """Contacts whose indexed text holds ``needle`` at all: a fast first cut."""
    return words_filter([Term(needle)], fts=ctx.fts)


# -- building blocks (also for fields registered later) -----------------------------------


def contact_text(key: str, column: Any) -> Condition:
    """``key:word`` on a text column of Contact (contains; ``=`` equals)."""
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        only(key, op)
        needle = fold(value)
        if not needle:
            return true()
        return and_(prefilter(ctx, needle), match(ctx, column, op, needle))
    return condition


def child_text(key: str, model: Any, *columns: Any) -> Condition:
    """``key:word`` on any of a child table's text columns (addresses, links ...)."""
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        only(key, op)
        needle = fold(value)
        if not needle:
            return true()
        found = exists().where(model.contact_id == Contact.id,
                               or_(*(match(ctx, c, op, needle) for c in columns)))
        return and_(prefilter(ctx, needle), found)
    return condition


def child_present(model: Any, column: Any = None) -> Present:
    """``has:key`` for a child table: one pass over its contact_id index, not a probe per
    contact (an IN list is far cheaper in SQLite than 100,000 correlated EXISTS)."""
    def present(ctx: LookupContext) -> ColumnElement[bool]:
        owners = select(model.contact_id)
        if column is not None:
            owners = owners.where(column != "")
        result: ColumnElement[bool] = Contact.id.in_(owners)
        return result
    return present


# -- the fields ---------------------------------------------------------------------------


def _name(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("name", op)
    needle = fold(value)
    if not needle:
        return true()
    if op == "=":
        return match(ctx, Contact.display_name, op, needle)
    # name_text is the folded name and nickname already: no function needed.
    return and_(prefilter(ctx, needle), exists().where(
        SearchRow.contact_id == Contact.id, func.instr(SearchRow.name_text, needle) > 0))


def _company(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("company", op)
    needle = fold(value)
    return _via_company(contains(Company.name_key, op, needle))


def _country(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("country", op)
    codes = country_codes(op, value)
    if not codes:
        return false()
    return Contact.id.in_(select(Address.contact_id).where(Address.country.in_(codes)))


def _email(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("email", op)
    needle = fold(value)
    if not needle:
        return true()
    # normalized is lower-cased already: plain SQL, so one pass over the e-mails.
    return Contact.id.in_(select(Email.contact_id).where(
        contains(Email.normalized, op, needle)))


def _phone(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("phone", op)
    needle = phone_digits(value)
    return and_(prefilter(ctx, needle),
                exists().where(Phone.contact_id == Contact.id, same_phone(ctx, op, needle)))


def _tag(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("tag", op)
    tagged = select(contact_tag.c.contact_id).join(Tag, Tag.id == contact_tag.c.tag_id)
    return Contact.id.in_(tagged.where(Tag.key == fold(value)))


def _group(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    """``group:"Kaunas VIP"``: the members of a static group, or whom a saved lookup
    finds now (its lookup compiled in place). A group whose lookup names the group
    again, however indirectly, is an error, not a loop."""
    only("group", op)
    row = ctx.session.execute(select(ContactGroup.id, ContactGroup.name, ContactGroup.kind,
                                     ContactGroup.query)
                              .where(ContactGroup.key == fold(value))).first()
    if row is None:
        raise QuerySyntaxError(_("There is no group named {name!r}.").format(name=value))
    group_id, name, kind, text = row
    if kind == GROUP_STATIC:
        return Contact.id.in_(select(group_member.c.contact_id)
                              .where(group_member.c.group_id == group_id))
    inside: set[int] = ctx.memo.setdefault("groups inside", set())
    if group_id in inside or ctx.nested is None:
        raise QuerySyntaxError(_("The group {name!r} refers to itself.").format(name=name))
    inside.add(group_id)
    try:
        return ctx.nested(text)
    except QuerySyntaxError as exc:
        raise QuerySyntaxError(_("The group {name!r}: {problem}").format(
            name=name, problem=exc.message)) from None
    finally:
        inside.discard(group_id)


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
    BuiltinField("group", lambda: _("Group"), CHOICE, _group,
                 lambda ctx: Contact.id.in_(select(group_member.c.contact_id))),
    BuiltinField("status", lambda: _("Status"), CHOICE,
                 choice_field("status", STATUS, lambda ctx: Contact.status_id),
                 lambda ctx: Contact.status_id.is_not(None)),
    BuiltinField("source", lambda: _("Lead source"), CHOICE,
                 choice_field("source", SOURCE, lambda ctx: Contact.source_id),
                 lambda ctx: Contact.source_id.is_not(None)),
    # Dates on the contact's own row: tested walking the list in name order (leads=False).
    BuiltinField("birthday", lambda: _("Birthday"), DAY, _birthday,
                 lambda ctx: Contact.birthday_month.is_not(None), leads=False),
    BuiltinField("created", lambda: _("Created"), DATE,
                 datetime_field("created", lambda: Contact.created_at), always, leads=False),
    BuiltinField("updated", lambda: _("Updated"), DATE,
                 datetime_field("updated", lambda: Contact.updated_at), always, leads=False),
    # Derived from the history (history_last.py); missing: never reached / never tried.
    BuiltinField("last_contact", lambda: _("Last contact"), DATE,
                 datetime_field("last_contact", lambda: Contact.last_contact_at),
                 lambda ctx: Contact.last_contact_at.is_not(None), leads=False),
    BuiltinField("last_attempt", lambda: _("Last attempt"), DATE,
                 datetime_field("last_attempt", lambda: Contact.last_attempt_at),
                 lambda ctx: Contact.last_attempt_at.is_not(None), leads=False),
    # From the calendar (activity_fields.py): what is planned next, what is overdue.
    BuiltinField("next_activity", lambda: _("Next activity"), DATE,
                 activity_fields.next_activity, activity_fields.next_activity_present),
    BuiltinField("overdue", lambda: _("Overdue activity"), CHOICE,
                 activity_fields.overdue, activity_fields.overdue_present),
):
    register(_field)
