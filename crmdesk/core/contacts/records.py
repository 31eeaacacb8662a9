"""Contact services: each user action is one transaction that returns plain data.

A view loads a ContactData snapshot, edits a copy, and saves it back (the
service writes only what differs); lists ask for ContactSummary rows by id.
Nothing here hands out a live ORM object.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from crmdesk.core.changes import ADDED, CONTACTS, REMOVED, Changes
from crmdesk.core.errors import ERROR, CrmdeskError, NotFoundError, Problem, ValidationError
from crmdesk.core.fields.values import set_values
from crmdesk.core.history.records import delete_orphans, interactions_of
from crmdesk.core.i18n import _
from crmdesk.core.lists.choices import resolve_choice
from crmdesk.core.search import fulltext as search
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.field_models import CONTACT
from crmdesk.core.storage.models import (
    FAMILY_FIRST,
    GIVEN_FIRST,
    SOURCE,
    STATUS,
    Address,
    Choice,
    Company,
    Contact,
    Email,
    ImportantDate,
    Link,
    Phone,
    Photo,
    Relative,
    StatusChange,
    Tag,
    contact_tag,
    utcnow,
)
from crmdesk.core.storage.settings import get_setting, set_setting
from crmdesk.core.storage.sort_keys import recompute_sort_keys
from crmdesk.core.text.collation import name_sort_key
from crmdesk.core.text.folding import display_name, fold
from crmdesk.core.text.validation import (
    MAX_LONG,
    MAX_NAME,
    MAX_SHORT,
    check_day,
    check_length,
    normalize_country,
    normalize_email,
    normalize_phone,
)

MAX_PHOTO = 10 * 1024 * 1024


@dataclass(slots=True)
class PhoneData:
    number: str
    label: str = ""
    primary: bool = False
    e164: str | None = None  # filled in by the service


@dataclass(slots=True)
class EmailData:
    address: str
    label: str = ""
    primary: bool = False


@dataclass(slots=True)
class AddressData:
    street: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    label: str = ""
    primary: bool = False


@dataclass
class LinkData:
    url: str
    label: str = ""
    primary: bool = False


@dataclass
class DateData:
    label: str
    month: int
    day: int
    year: int | None = None


@dataclass
class RelativeData:
    relation: str
    name: str = ""
    contact_id: int | None = None


@dataclass(slots=True)
class ContactData:
    """Everything a user can see and edit on a contact.

    With slots (as its phones, e-mails and addresses): an import holds 100,000 of
    these at once, and with 31 fields each one's attribute dictionary took 1.6 KB
    (more keys than CPython shares between instances), 130 MB in all."""

    id: int | None = None
    prefix: str = ""
    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    suffix: str = ""
    nickname: str = ""
    name_order: str = GIVEN_FIRST
    company: str = ""  # the company's name; saved as a link to a company record
    job_title: str = ""
    department: str = ""
    birthday_year: int | None = None
    birthday_month: int | None = None
    birthday_day: int | None = None
    status: str = ""
    source: str = ""
    notes: str = ""
    phones: list[PhoneData] = field(default_factory=list)
    emails: list[EmailData] = field(default_factory=list)
    addresses: list[AddressData] = field(default_factory=list)
    links: list[LinkData] = field(default_factory=list)
    dates: list[DateData] = field(default_factory=list)
    relatives: list[RelativeData] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    photo: bytes | None = None
    photo_mime: str = ""
    # Read-only, filled in on load:
    company_id: int | None = None
    display_name: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None

    def name(self) -> str:
        return display_name(
            prefix=self.prefix, given=self.given_name, middle=self.middle_name,
            family=self.family_name, suffix=self.suffix, nickname=self.nickname,
            family_first=self.name_order == FAMILY_FIRST,
        )


READ_ONLY = {"id", "company_id", "display_name", "created_at", "updated_at", "deleted_at"}
EDITABLE = [f.name for f in fields(ContactData) if f.name not in READ_ONLY]


@dataclass(frozen=True)
class ContactSummary:
    """One row of a contact list."""

    id: int
    name: str
    company: str
    phone: str
    email: str
    city: str
    status: str
    updated_at: datetime | None


@dataclass(frozen=True)
class Saved:
    """A record saved by save_contact or save_company: its id and what changed."""

    id: int
    changes: Changes


# -- validation ---------------------------------------------------------------


def validate(data: ContactData, *, region: str = "") -> list[Problem]:
    """Every problem with ``data``; errors block saving, warnings do not."""
    problems: list[Problem] = []
    if data.name_order not in (GIVEN_FIRST, FAMILY_FIRST):
        problems.append(Problem("name_order", _("Unknown name order.")))
    if not (data.name() or data.company.strip()):
        problems.append(Problem("given_name", _("A contact needs a name, or at least a company.")))
    for attr, label in (
        ("prefix", _("The title")), ("given_name", _("The first name")),
        ("middle_name", _("The middle name")), ("family_name", _("The last name")),
        ("suffix", _("The suffix")), ("nickname", _("The nickname")),
        ("job_title", _("The job title")), ("department", _("The department")),
    ):
        p = check_length(attr, getattr(data, attr), MAX_NAME, label)
        if p:
            problems.append(p)
    for attr, label, limit in (
        ("company", _("The company name"), MAX_SHORT),
        ("notes", _("The notes"), MAX_LONG),
    ):
        p = check_length(attr, getattr(data, attr), limit, label)
        if p:
            problems.append(p)
    p = check_day("birthday", data.birthday_year, data.birthday_month, data.birthday_day,
                  _("The birthday"))
    if p:
        problems.append(p)
    for i, ph in enumerate(data.phones):
        _e164, p = normalize_phone(ph.number, region)
        if p:
            problems.append(replace(p, index=i))
    for i, em in enumerate(data.emails):
        _norm, p = normalize_email(em.address)
        if p:
            problems.append(replace(p, index=i))
    for i, ad in enumerate(data.addresses):
        _code, p = normalize_country(ad.country)
        if p:
            problems.append(replace(p, index=i))
        if not any((ad.street.strip(), ad.city.strip(), ad.postcode.strip(), ad.region.strip())):
            problems.append(Problem("addresses", _("The address is empty."), index=i))
    for i, ln in enumerate(data.links):
        url = ln.url.strip()
        if not url:
            problems.append(Problem("links", _("The web address is empty."), index=i))
        elif any(ch.isspace() for ch in url):
            problems.append(Problem("links", _("A web address cannot contain spaces."), index=i))
        elif len(url) > 2000:
            problems.append(Problem("links", _("The web address is too long."), index=i))
    for i, d in enumerate(data.dates):
        p = check_day("dates", d.year, d.month, d.day, d.label or _("The date"))
        if p:
            problems.append(replace(p, index=i))
    for i, r in enumerate(data.relatives):
        if not (r.name.strip() or r.contact_id):
            problems.append(Problem("relatives", _("A relative needs a name."), index=i))
    for tag in data.tags:
        if len(tag) > MAX_NAME:
            problems.append(Problem("tags", _("A tag is too long (at most 200 characters).")))
    if data.photo is not None and len(data.photo) > MAX_PHOTO:
        problems.append(Problem("photo", _("The photo is too large (at most 10 MB).")))
    return problems


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


# -- writing ------------------------------------------------------------------


def _company_id(session: Session, name: str) -> int | None:
    name = name.strip()
    if not name:
        return None
    key = fold(name)
    found = session.scalar(
        select(Company.id)
        .where(Company.name_key == key, Company.deleted_at.is_(None))
        .order_by(Company.id)
        .limit(1)
    )
    if found is not None:
        return found
    company = Company(name=name, name_key=key)
    session.add(company)
    session.flush()
    return company.id


def _tag_ids(session: Session, names: Iterable[str]) -> list[int]:
    ids: list[int] = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        key = fold(name)
        tag = session.scalar(select(Tag).where(Tag.key == key))
        if tag is None:
            tag = Tag(name=name, key=key)
            session.add(tag)
            session.flush()
        if tag.id not in ids:
            ids.append(tag.id)
    return ids


def _with_one_primary(items: Sequence[Any]) -> list[bool]:
    """Exactly one primary entry per list: the one marked, else the first."""
    flags = [bool(getattr(i, "primary", False)) for i in items]
    if not items:
        return []
    first = flags.index(True) if True in flags else 0
    return [i == first for i in range(len(items))]


def _write_children(session: Session, contact: Contact, data: ContactData,
                    changed: set[str], region: str) -> None:
    cid = contact.id
    if "phones" in changed:
        session.execute(delete(Phone).where(Phone.contact_id == cid))
        for pos, (ph, primary) in enumerate(zip(data.phones, _with_one_primary(data.phones),
                                                strict=True)):
            e164, _p = normalize_phone(ph.number, region)
            session.add(Phone(contact_id=cid, label=ph.label.strip(), number=ph.number.strip(),
                              e164=e164, is_primary=primary, position=pos))
    if "emails" in changed:
        session.execute(delete(Email).where(Email.contact_id == cid))
        for pos, (em, primary) in enumerate(zip(data.emails, _with_one_primary(data.emails),
                                                strict=True)):
            norm, _p = normalize_email(em.address)
            session.add(Email(contact_id=cid, label=em.label.strip(), address=em.address.strip(),
                              normalized=norm, is_primary=primary, position=pos))
    if "addresses" in changed:
        session.execute(delete(Address).where(Address.contact_id == cid))
        for pos, (ad, primary) in enumerate(zip(data.addresses,
                                                _with_one_primary(data.addresses), strict=True)):
            session.add(Address(
                contact_id=cid, label=ad.label.strip(), street=ad.street.strip(),
                city=ad.city.strip(), region=ad.region.strip(), postcode=ad.postcode.strip(),
                country=ad.country.strip().upper(), is_primary=primary, position=pos))
    if "links" in changed:
        session.execute(delete(Link).where(Link.contact_id == cid))
        for pos, (ln, primary) in enumerate(zip(data.links, _with_one_primary(data.links),
                                                strict=True)):
            session.add(Link(contact_id=cid, label=ln.label.strip(), url=ln.url.strip(),
                             is_primary=primary, position=pos))
    if "dates" in changed:
        session.execute(delete(ImportantDate).where(ImportantDate.contact_id == cid))
        for pos, d in enumerate(data.dates):
            session.add(ImportantDate(contact_id=cid, label=d.label.strip(), year=d.year,
                                      month=d.month, day=d.day, position=pos))
    if "relatives" in changed:
        session.execute(delete(Relative).where(Relative.contact_id == cid))
        for pos, r in enumerate(data.relatives):
            session.add(Relative(contact_id=cid, relation=r.relation.strip(),
                                 name=r.name.strip(), related_contact_id=r.contact_id,
                                 position=pos))
    if "tags" in changed:
        session.execute(delete(contact_tag).where(contact_tag.c.contact_id == cid))
        ids = _tag_ids(session, data.tags)
        if ids:
            session.execute(contact_tag.insert(), [{"contact_id": cid, "tag_id": t} for t in ids])
    if "photo" in changed or "photo_mime" in changed:
        session.execute(delete(Photo).where(Photo.contact_id == cid))
        if data.photo:
            session.add(Photo(contact_id=cid, data=data.photo,
                              mime_type=data.photo_mime or "image/jpeg"))


_SCALARS = ["prefix", "given_name", "middle_name", "family_name", "suffix", "nickname",
            "name_order", "job_title", "department", "birthday_year", "birthday_month",
            "birthday_day", "notes"]


def _apply(session: Session, contact: Contact, data: ContactData, changed: set[str],
           region: str) -> None:
    for attr in _SCALARS:
        if attr in changed:
            value = getattr(data, attr)
            setattr(contact, attr, value.strip() if isinstance(value, str) and attr != "notes"
                    else value)
    if "company" in changed:
        contact.company_id = _company_id(session, data.company)
    if "status" in changed:
        new_status = resolve_choice(session, STATUS, data.status)
        if new_status != contact.status_id:
            session.add(StatusChange(contact_id=contact.id, old_status_id=contact.status_id,
                                     new_status_id=new_status))
            contact.status_id = new_status
    if "source" in changed:
        contact.source_id = resolve_choice(session, SOURCE, data.source)
    contact.display_name = data.name() or data.company.strip()
    contact.sort_key = name_sort_key(given=data.given_name, middle=data.middle_name,
                                     family=data.family_name, fallback=contact.display_name,
                                     language=get_setting(session, "collation"))
    contact.updated_at = utcnow()
    _write_children(session, contact, data, changed, region)


def _check(data: ContactData, region: str) -> None:
    errors = errors_only(validate(data, region=region))
    if errors:
        raise ValidationError(errors)


def create_contact_in(session: Session, data: ContactData) -> int:
    """Create within an open session (imports and the demo use this in bulk)."""
    region = get_setting(session, "phone_region")
    _check(data, region)
    contact = Contact(created_at=utcnow())
    session.add(contact)
    session.flush()
    _apply(session, contact, data, set(EDITABLE), region)
    session.flush()
    search.refresh(session, [contact.id])
    return contact.id


def create_contact(db: Database, data: ContactData) -> int:
    with db.session() as s:
        return create_contact_in(s, data)


def update_contact_in(session: Session, contact_id: int, data: ContactData,
                      *, original: ContactData | None = None) -> Changes:
    """Save an edited copy; with ``original`` (the snapshot it was loaded from)
    only the fields the user changed are written."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError(_("That contact no longer exists."))
    region = get_setting(session, "phone_region")
    _check(data, region)
    if original is None:
        changed = set(EDITABLE)
    else:
        changed = {f for f in EDITABLE if getattr(original, f) != getattr(data, f)}
    if changed:
        _apply(session, contact, data, changed, region)
        session.flush()
        search.refresh(session, [contact_id])
    return Changes.of(CONTACTS, [contact_id])


def update_contact(db: Database, contact_id: int, data: ContactData,
                   *, original: ContactData | None = None) -> Changes:
    with db.session() as s:
        return update_contact_in(s, contact_id, data, original=original)


def save_values(session: Session, entity: str, record_id: int,
                custom: dict[str, Any] | None) -> list[Problem]:
    """A record's custom values, in the record's own unit of work: an error in
    any of them refuses the whole save (ValidationError), so a record is never
    saved without the values the user typed with it. Warnings come back."""
    if not custom:
        return []
    problems = set_values(session, entity, record_id, custom)
    if any(p.severity == ERROR for p in problems):
        raise ValidationError(problems)
    return problems


def save_contact(session: Session, contact_id: int | None, data: ContactData, *,
                 original: ContactData | None = None,
                 custom: dict[str, Any] | None = None) -> Saved:
    """The contact form's Save: the record and its custom values, all or nothing.

    ``contact_id`` None creates; ``original`` limits an update to what changed;
    ``custom`` is ``{field key: form value}`` of the changed custom fields.
    """
    if contact_id is None:
        new_id = create_contact_in(session, data)
        changes = Changes.of(CONTACTS, [new_id], ADDED)
    elif original is None or any(getattr(original, f) != getattr(data, f) for f in EDITABLE):
        new_id = contact_id
        changes = update_contact_in(session, contact_id, data, original=original)
    else:
        new_id = contact_id
        changes = Changes.of(CONTACTS, [contact_id])
    save_values(session, CONTACT, new_id, custom)
    return Saved(new_id, changes)


# -- reading ------------------------------------------------------------------


def load_contact(session: Session, contact_id: int) -> ContactData:
    c = session.get(Contact, contact_id)
    if c is None:
        raise NotFoundError(_("That contact no longer exists."))
    status = session.get(Choice, c.status_id).name if c.status_id else ""  # type: ignore[union-attr]
    source = session.get(Choice, c.source_id).name if c.source_id else ""  # type: ignore[union-attr]
    company = session.get(Company, c.company_id).name if c.company_id else ""  # type: ignore[union-attr]
    photo = session.get(Photo, contact_id)

    def children(model: Any) -> list[Any]:
        return list(session.scalars(
            select(model).where(model.contact_id == contact_id).order_by(model.position)
        ))

    return ContactData(
        id=c.id, prefix=c.prefix, given_name=c.given_name, middle_name=c.middle_name,
        family_name=c.family_name, suffix=c.suffix, nickname=c.nickname,
        name_order=c.name_order, company=company, job_title=c.job_title,
        department=c.department, birthday_year=c.birthday_year,
        birthday_month=c.birthday_month, birthday_day=c.birthday_day, status=status,
        source=source, notes=c.notes,
        phones=[PhoneData(p.number, p.label, p.is_primary, p.e164) for p in children(Phone)],
        emails=[EmailData(e.address, e.label, e.is_primary) for e in children(Email)],
        addresses=[AddressData(a.street, a.city, a.region, a.postcode, a.country, a.label,
                               a.is_primary) for a in children(Address)],
        links=[LinkData(ln.url, ln.label, ln.is_primary) for ln in children(Link)],
        dates=[DateData(d.label, d.month, d.day, d.year) for d in children(ImportantDate)],
        relatives=[RelativeData(r.relation, r.name, r.related_contact_id)
                   for r in children(Relative)],
        tags=sorted((t.name for t in c.tags), key=fold),
        photo=photo.data if photo else None, photo_mime=photo.mime_type if photo else "",
        company_id=c.company_id, display_name=c.display_name, created_at=c.created_at,
        updated_at=c.updated_at, deleted_at=c.deleted_at,
    )


def get_contact(db: Database, contact_id: int) -> ContactData:
    with db.reading() as s:
        return load_contact(s, contact_id)


def summaries(session: Session, ids: Sequence[int]) -> list[ContactSummary]:
    """List rows for these ids, in the order given, with one query per table."""
    if not ids:
        return []
    rows = session.execute(
        select(Contact.id, Contact.display_name, Company.name, Choice.name, Contact.updated_at)
        .outerjoin(Company, Company.id == Contact.company_id)
        .outerjoin(Choice, Choice.id == Contact.status_id)
        .where(Contact.id.in_(ids))
    ).all()
    phone = dict(session.execute(
        select(Phone.contact_id, Phone.number)
        .where(Phone.contact_id.in_(ids), Phone.is_primary.is_(True))
    ).all())
    email = dict(session.execute(
        select(Email.contact_id, Email.address)
        .where(Email.contact_id.in_(ids), Email.is_primary.is_(True))
    ).all())
    city = dict(session.execute(
        select(Address.contact_id, Address.city)
        .where(Address.contact_id.in_(ids), Address.is_primary.is_(True))
    ).all())
    by_id = {
        r[0]: ContactSummary(r[0], r[1], r[2] or "", phone.get(r[0], ""), email.get(r[0], ""),
                             city.get(r[0], ""), r[3] or "", r[4])
        for r in rows
    }
    return [by_id[i] for i in ids if i in by_id]


def count_contacts(session: Session, *, trash: bool = False) -> int:
    cond = Contact.deleted_at.is_not(None) if trash else Contact.deleted_at.is_(None)
    return session.scalar(select(func.count()).select_from(Contact).where(cond)) or 0


# -- trash, restore, purge, tags ----------------------------------------------


CHUNK = 500  # ids per IN (...): SQLite refuses very long parameter lists


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _existing(session: Session, ids: Iterable[int]) -> list[int]:
    wanted = sorted(set(ids))
    found: list[int] = []
    for chunk in _chunks(wanted):
        found += session.scalars(select(Contact.id).where(Contact.id.in_(chunk)))
    return found


def trash_contacts(db: Database, ids: Iterable[int]) -> Changes:
    """Move to the trash (restorable); the contacts leave every list and search."""
    with db.session() as s:
        found = _existing(s, ids)
        now = utcnow()
        for chunk in _chunks(found):
            s.execute(update(Contact).where(Contact.id.in_(chunk), Contact.deleted_at.is_(None))
                      .values(deleted_at=now))
        return Changes.of(CONTACTS, found, REMOVED)


def restore_contacts(db: Database, ids: Iterable[int]) -> Changes:
    with db.session() as s:
        found = _existing(s, ids)
        for chunk in _chunks(found):
            s.execute(update(Contact).where(Contact.id.in_(chunk)).values(deleted_at=None))
        return Changes.of(CONTACTS, found, ADDED)


def purge_contacts(db: Database, ids: Iterable[int]) -> Changes:
    """Delete for good. Only contacts already in the trash can be purged.

    Their history goes with them where it was theirs alone: an entry shared
    with another contact stays (without them), one about a company stays in
    the History view, and one about nobody left is deleted
    (history.delete_orphans).
    """
    with db.session() as s:
        found = _existing(s, ids)
        for chunk in _chunks(found):
            live = s.scalars(select(Contact.id).where(Contact.id.in_(chunk),
                                                      Contact.deleted_at.is_(None))).first()
            if live is not None:
                raise CrmdeskError(_("Only contacts in the trash can be deleted for good."))
        entries = interactions_of(s, found)
        for chunk in _chunks(found):
            s.execute(delete(Contact).where(Contact.id.in_(chunk)))
        delete_orphans(s, entries)
        return Changes.of(CONTACTS, found, REMOVED)


def empty_trash(db: Database) -> Changes:
    """Purge every contact in the trash (see purge_contacts for their history)."""
    with db.session() as s:
        ids = list(s.scalars(select(Contact.id).where(Contact.deleted_at.is_not(None))))
        entries = interactions_of(s, ids)
        s.execute(delete(Contact).where(Contact.deleted_at.is_not(None)))
        delete_orphans(s, entries)
        return Changes.of(CONTACTS, ids, REMOVED)


def tag_contacts(db: Database, ids: Iterable[int], tag: str) -> Changes:
    if not tag.strip():
        raise CrmdeskError(_("A tag needs a name."))
    if len(tag) > MAX_NAME:
        raise CrmdeskError(_("A tag is too long (at most 200 characters)."))
    with db.session() as s:
        found = _existing(s, ids)
        tag_id = _tag_ids(s, [tag])[0]
        have: set[int] = set()
        for chunk in _chunks(found):
            have.update(s.scalars(select(contact_tag.c.contact_id).where(
                contact_tag.c.tag_id == tag_id, contact_tag.c.contact_id.in_(chunk))))
        new = [{"contact_id": c, "tag_id": tag_id} for c in found if c not in have]
        if new:
            s.execute(contact_tag.insert(), new)
        search.refresh(s, found)
        return Changes.of(CONTACTS, found)


def untag_contacts(db: Database, ids: Iterable[int], tag: str) -> Changes:
    with db.session() as s:
        found = _existing(s, ids)
        tag_id = s.scalar(select(Tag.id).where(Tag.key == fold(tag)))
        if tag_id is not None:
            for chunk in _chunks(found):
                s.execute(delete(contact_tag).where(contact_tag.c.tag_id == tag_id,
                                                    contact_tag.c.contact_id.in_(chunk)))
            search.refresh(s, found)
        return Changes.of(CONTACTS, found)


def all_tags(session: Session) -> list[str]:
    return sorted(session.scalars(select(Tag.name)), key=fold)


def set_collation(db: Database, language: str) -> int:
    """Sort lists by another language's alphabet: recompute every sort key (contacts
    and companies). Returns how many contacts there are."""
    with db.session() as s:
        set_setting(s, "collation", language)
        return recompute_sort_keys(s.connection(), language)
