"""Company services: the same shape as contacts.py (plain data in, plain data out)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from crmdesk.core.changes import ADDED, COMPANIES, CONTACTS, REMOVED, Changes
from crmdesk.core.contacts.records import (
    AddressData,
    EmailData,
    LinkData,
    PhoneData,
    Saved,
    _with_one_primary,
    save_values,
)
from crmdesk.core.errors import CrmdeskError, NotFoundError, Problem, ValidationError
from crmdesk.core.history.records import delete_orphans
from crmdesk.core.i18n import _
from crmdesk.core.search import fulltext as search
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.field_models import COMPANY
from crmdesk.core.storage.models import (
    Address,
    Company,
    Contact,
    Email,
    Interaction,
    Link,
    Phone,
    utcnow,
)
from crmdesk.core.storage.settings import get_setting
from crmdesk.core.text.company_names import company_sort_key
from crmdesk.core.text.folding import fold
from crmdesk.core.text.validation import (
    MAX_LONG,
    MAX_SHORT,
    check_length,
    normalize_country,
    normalize_email,
    normalize_phone,
)


@dataclass
class CompanyData:
    id: int | None = None
    name: str = ""
    industry: str = ""
    notes: str = ""
    phones: list[PhoneData] = field(default_factory=list)
    emails: list[EmailData] = field(default_factory=list)
    addresses: list[AddressData] = field(default_factory=list)
    links: list[LinkData] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class CompanySummary:
    id: int
    name: str
    industry: str
    phone: str
    city: str
    contacts: int


def validate_company(data: CompanyData, *, region: str = "") -> list[Problem]:
    problems: list[Problem] = []
    if not data.name.strip():
        problems.append(Problem("name", _("A company needs a name.")))
    for attr, label, limit in (("name", _("The name"), MAX_SHORT),
                               ("industry", _("The industry"), MAX_SHORT),
                               ("notes", _("The notes"), MAX_LONG)):
        p = check_length(attr, getattr(data, attr), limit, label)
        if p:
            problems.append(p)
    for i, ph in enumerate(data.phones):
        _e, p = normalize_phone(ph.number, region)
        if p:
            problems.append(replace(p, index=i))
    for i, em in enumerate(data.emails):
        _n, p = normalize_email(em.address)
        if p:
            problems.append(replace(p, index=i))
    for i, ad in enumerate(data.addresses):
        _c, p = normalize_country(ad.country)
        if p:
            problems.append(replace(p, index=i))
    for i, ln in enumerate(data.links):
        if not ln.url.strip() or any(ch.isspace() for ch in ln.url.strip()):
            problems.append(Problem("links", _("The web address is not valid."), index=i))
    return problems


def _write(session: Session, company: Company, data: CompanyData, region: str) -> None:
    company.name = data.name.strip()
    company.name_key = fold(company.name)
    company.sort_key = company_sort_key(company.name, get_setting(session, "collation"))
    company.industry = data.industry.strip()
    company.notes = data.notes
    company.updated_at = utcnow()
    cid = company.id
    for model in (Phone, Email, Address, Link):
        session.execute(delete(model).where(model.company_id == cid))
    for pos, (ph, primary) in enumerate(zip(data.phones, _with_one_primary(data.phones),
                                            strict=True)):
        e164, _p = normalize_phone(ph.number, region)
        session.add(Phone(company_id=cid, label=ph.label.strip(), number=ph.number.strip(),
                          e164=e164, is_primary=primary, position=pos))
    for pos, (em, primary) in enumerate(zip(data.emails, _with_one_primary(data.emails),
                                            strict=True)):
        norm, _p = normalize_email(em.address)
        session.add(Email(company_id=cid, label=em.label.strip(), address=em.address.strip(),
                          normalized=norm, is_primary=primary, position=pos))
    for pos, (ad, primary) in enumerate(zip(data.addresses, _with_one_primary(data.addresses),
                                            strict=True)):
        session.add(Address(company_id=cid, label=ad.label.strip(), street=ad.street.strip(),
                            city=ad.city.strip(), region=ad.region.strip(),
                            postcode=ad.postcode.strip(), country=ad.country.strip().upper(),
                            is_primary=primary, position=pos))
    for pos, (ln, primary) in enumerate(zip(data.links, _with_one_primary(data.links),
                                            strict=True)):
        session.add(Link(company_id=cid, label=ln.label.strip(), url=ln.url.strip(),
                         is_primary=primary, position=pos))


def _check(data: CompanyData, region: str) -> None:
    errors = [p for p in validate_company(data, region=region) if p.severity == "error"]
    if errors:
        raise ValidationError(errors)


def create_company_in(session: Session, data: CompanyData) -> int:
    region = get_setting(session, "phone_region")
    _check(data, region)
    company = Company(name=data.name.strip(), name_key=fold(data.name),
                      sort_key=company_sort_key(data.name, get_setting(session, "collation")))
    session.add(company)
    session.flush()
    _write(session, company, data, region)
    return company.id


def create_company(db: Database, data: CompanyData) -> int:
    with db.session() as s:
        return create_company_in(s, data)


def update_company_in(session: Session, company_id: int, data: CompanyData) -> Changes:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFoundError(_("That company no longer exists."))
    region = get_setting(session, "phone_region")
    _check(data, region)
    renamed = company.name != data.name.strip()
    _write(session, company, data, region)
    session.flush()
    changes = Changes.of(COMPANIES, [company_id])
    if renamed:
        # Its people's search text and their Company column change with it.
        changes |= Changes.of(CONTACTS, search.refresh_company(session, company_id))
    return changes


def update_company(db: Database, company_id: int, data: CompanyData) -> Changes:
    with db.session() as s:
        return update_company_in(s, company_id, data)


def save_company(session: Session, company_id: int | None, data: CompanyData, *,
                 original: CompanyData | None = None,
                 custom: dict[str, Any] | None = None) -> Saved:
    """The company form's Save: the record and its custom values, all or nothing."""
    if company_id is None:
        new_id = create_company_in(session, data)
        changes = Changes.of(COMPANIES, [new_id], ADDED)
    elif original is None or original != data:
        new_id = company_id
        changes = update_company_in(session, company_id, data)
    else:
        new_id = company_id
        changes = Changes.of(COMPANIES, [company_id])
    save_values(session, COMPANY, new_id, custom)
    return Saved(new_id, changes)


def load_company(session: Session, company_id: int) -> CompanyData:
    c = session.get(Company, company_id)
    if c is None:
        raise NotFoundError(_("That company no longer exists."))

    def rows(model: type) -> list:  # type: ignore[type-arg]
        return list(session.scalars(select(model).where(model.company_id == company_id)  # type: ignore[attr-defined]
                                    .order_by(model.position)))  # type: ignore[attr-defined]

    return CompanyData(
        id=c.id, name=c.name, industry=c.industry, notes=c.notes,
        phones=[PhoneData(p.number, p.label, p.is_primary, p.e164) for p in rows(Phone)],
        emails=[EmailData(e.address, e.label, e.is_primary) for e in rows(Email)],
        addresses=[AddressData(a.street, a.city, a.region, a.postcode, a.country, a.label,
                               a.is_primary) for a in rows(Address)],
        links=[LinkData(ln.url, ln.label, ln.is_primary) for ln in rows(Link)],
        created_at=c.created_at, updated_at=c.updated_at, deleted_at=c.deleted_at,
    )


def get_company(db: Database, company_id: int) -> CompanyData:
    with db.reading() as s:
        return load_company(s, company_id)


def company_ids(session: Session, query: str = "", *, trash: bool = False) -> list[int]:
    """Companies whose name contains every word of ``query`` (folded), by name."""
    stmt = select(Company.id).where(
        Company.deleted_at.is_not(None) if trash else Company.deleted_at.is_(None)
    )
    for word in fold(query).split():
        stmt = stmt.where(func.instr(Company.name_key, word) > 0)
    return list(session.scalars(stmt.order_by(Company.sort_key, Company.id)))


def company_summaries(session: Session, ids: Sequence[int]) -> list[CompanySummary]:
    if not ids:
        return []
    rows = session.execute(
        select(Company.id, Company.name, Company.industry).where(Company.id.in_(ids))
    ).all()
    phone = dict(session.execute(select(Phone.company_id, Phone.number).where(
        Phone.company_id.in_(ids), Phone.is_primary.is_(True))).all())
    city = dict(session.execute(select(Address.company_id, Address.city).where(
        Address.company_id.in_(ids), Address.is_primary.is_(True))).all())
    counts = dict(session.execute(
        select(Contact.company_id, func.count())
        .where(Contact.company_id.in_(ids), Contact.deleted_at.is_(None))
        .group_by(Contact.company_id)).all())
    by_id = {r[0]: CompanySummary(r[0], r[1], r[2], phone.get(r[0], ""), city.get(r[0], ""),
                                  counts.get(r[0], 0)) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def company_contact_ids(session: Session, company_id: int) -> list[int]:
    return list(session.scalars(
        select(Contact.id).where(Contact.company_id == company_id, Contact.deleted_at.is_(None))
        .order_by(Contact.sort_key, Contact.id)))


def company_names(session: Session) -> list[str]:
    """For completion in the contact form's company box."""
    return list(session.scalars(
        select(Company.name).where(Company.deleted_at.is_(None)).order_by(Company.sort_key, Company.id)))


def trash_companies(db: Database, ids: Iterable[int]) -> Changes:
    """To the trash; its contacts stay (they keep the link, and show it again on restore)."""
    with db.session() as s:
        found = list(s.scalars(select(Company.id).where(Company.id.in_(set(ids)))))
        s.execute(update(Company).where(Company.id.in_(found), Company.deleted_at.is_(None))
                  .values(deleted_at=utcnow()))
        return Changes.of(COMPANIES, found, REMOVED)


def restore_companies(db: Database, ids: Iterable[int]) -> Changes:
    with db.session() as s:
        found = list(s.scalars(select(Company.id).where(Company.id.in_(set(ids)))))
        s.execute(update(Company).where(Company.id.in_(found)).values(deleted_at=None))
        return Changes.of(COMPANIES, found, ADDED)


def purge_companies(db: Database, ids: Iterable[int]) -> Changes:
    """Delete for good (only from the trash); contacts lose the link but are kept.

    History entries about the company lose it too; one that was about the
    company alone (its contacts purged before) is deleted with it.
    """
    with db.session() as s:
        found = list(s.scalars(select(Company.id).where(Company.id.in_(set(ids)))))
        live = s.scalars(select(Company.id).where(Company.id.in_(found),
                                                  Company.deleted_at.is_(None))).all()
        if live:
            raise CrmdeskError(_("Only companies in the trash can be deleted for good."))
        affected = list(s.scalars(select(Contact.id).where(Contact.company_id.in_(found))))
        s.execute(update(Contact).where(Contact.company_id.in_(found)).values(company_id=None))
        entries = list(s.scalars(select(Interaction.id)
                                 .where(Interaction.company_id.in_(found))))
        s.execute(delete(Company).where(Company.id.in_(found)))
        delete_orphans(s, entries)
        search.refresh(s, affected)
        return Changes.of(COMPANIES, found, REMOVED)
