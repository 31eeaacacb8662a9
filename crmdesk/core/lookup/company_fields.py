"""The companies' lookup fields (``industry:retail``, ``city:Vilnius``, ``contacts>5`` ...).

The Companies view's search box and any later export or report of companies
speak the same language as the contact list, with these fields and the
company custom fields. A plain word looks in the name and the industry, as
the box always has. Companies are few beside contacts (a few thousand in a
file of 100,000 people) and have no full-text index of their own, so the
conditions here are plain scans; names are stored folded (``name_key``), the
few distinct industries are folded in Python (registry.value_match), the rest
is folded in SQL (registry.py). Companies have no tags.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true

from crmdesk.core.i18n import _
from crmdesk.core.lookup.registry import (
    DATE,
    NUMBER,
    PHONE,
    TEXT,
    BuiltinField,
    Condition,
    LookupContext,
    Present,
    Registry,
    always,
    column_present,
    contains,
    country_codes,
    datetime_field,
    match,
    number_field,
    only,
    phone_digits,
    same,
    same_phone,
    text_field,
    value_match,
)
from crmdesk.core.search.fulltext import Term
from crmdesk.core.storage.field_models import COMPANY
from crmdesk.core.storage.models import Address, Company, Contact, Email, Link, Phone
from crmdesk.core.text.folding import fold


def _words(ctx: LookupContext, terms: list[Term]) -> ColumnElement[bool]:
    """Every word in the name or the industry."""
    return and_(*(or_(*(or_(contains(Company.name_key, ":", x),
                            value_match(ctx, Company.industry, ":", x))
                        for x in t.spellings()))
                  for t in terms))


COMPANIES = Registry(COMPANY, Company, _words, custom={COMPANY: same})


def _owned_text(key: str, model: Any, *columns: Any) -> Condition:
    """``key:word`` on any of the company's own addresses, links ... (not its people's)."""
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        only(key, op)
        needle = fold(value)
        if not needle:
            return true()
        result: ColumnElement[bool] = Company.id.in_(select(model.company_id).where(
            or_(*(match(ctx, c, op, needle) for c in columns))))
        return result
    return condition


def _owned_present(model: Any, column: Any = None) -> Present:
    def present(ctx: LookupContext) -> ColumnElement[bool]:
        owners = select(model.company_id).where(model.company_id.is_not(None))
        if column is not None:
            owners = owners.where(column != "")
        result: ColumnElement[bool] = Company.id.in_(owners)
        return result
    return present


def _name(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("name", op)
    needle = fold(value)
    return contains(Company.name_key, op, needle) if needle else true()


def _country(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("country", op)
    codes = country_codes(op, value)
    if not codes:
        return false()
    result: ColumnElement[bool] = Company.id.in_(
        select(Address.company_id).where(Address.country.in_(codes)))
    return result


def _email(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("email", op)
    needle = fold(value)
    if not needle:
        return true()
    result: ColumnElement[bool] = Company.id.in_(
        select(Email.company_id).where(contains(Email.normalized, op, needle)))
    return result


def _phone(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("phone", op)
    needle = phone_digits(value)
    result: ColumnElement[bool] = Company.id.in_(select(Phone.company_id).where(
        Phone.company_id.is_not(None), same_phone(ctx, op, needle)))
    return result


def _people() -> Any:
    """How many people (not in the trash) work there."""
    return (select(func.count()).select_from(Contact)
            .where(Contact.company_id == Company.id, Contact.deleted_at.is_(None))
            .correlate(Company).scalar_subquery())


def _contacts(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    return number_field("contacts", _people())(ctx, op, value)


def _has_contacts(ctx: LookupContext) -> ColumnElement[bool]:
    result: ColumnElement[bool] = Company.id.in_(
        select(Contact.company_id).where(Contact.deleted_at.is_(None)))
    return result


for _field in (
    BuiltinField("name", lambda: _("Name"), TEXT, _name, column_present(Company.name)),
    BuiltinField("industry", lambda: _("Industry"), TEXT,
                 text_field("industry", Company.industry, few=True),
                 column_present(Company.industry)),
    BuiltinField("notes", lambda: _("Notes"), TEXT, text_field("notes", Company.notes),
                 column_present(Company.notes)),
    BuiltinField("city", lambda: _("City"), TEXT, _owned_text("city", Address, Address.city),
                 _owned_present(Address, Address.city)),
    BuiltinField("region", lambda: _("Region"), TEXT,
                 _owned_text("region", Address, Address.region),
                 _owned_present(Address, Address.region)),
    BuiltinField("postcode", lambda: _("Postcode"), TEXT,
                 _owned_text("postcode", Address, Address.postcode),
                 _owned_present(Address, Address.postcode)),
    BuiltinField("address", lambda: _("Address"), TEXT,
                 _owned_text("address", Address, Address.street, Address.city, Address.region,
                             Address.postcode), _owned_present(Address)),
    BuiltinField("country", lambda: _("Country"), TEXT, _country,
                 _owned_present(Address, Address.country)),
    BuiltinField("email", lambda: _("E-mail"), TEXT, _email, _owned_present(Email)),
    BuiltinField("phone", lambda: _("Phone"), PHONE, _phone, _owned_present(Phone)),
    BuiltinField("web", lambda: _("Web address"), TEXT, _owned_text("web", Link, Link.url),
                 _owned_present(Link)),
    BuiltinField("contacts", lambda: _("Contacts"), NUMBER, _contacts, _has_contacts),
    BuiltinField("created", lambda: _("Created"), DATE,
                 datetime_field("created", lambda: Company.created_at), always),
    BuiltinField("updated", lambda: _("Updated"), DATE,
                 datetime_field("updated", lambda: Company.updated_at), always),
):
    COMPANIES.register(_field)
