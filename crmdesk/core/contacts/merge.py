"""Merge two records of one person: OTHER into KEEP, in one unit of work.

A merge must lose nothing the user had. For each single-valued field (a name
part, the company, the job title, the birthday, the status, the photo, a
custom field) one side's value is kept: KEEP's, unless it is empty or the user
chose OTHER's. Everything that comes in lists is kept from both: phones,
e-mails, addresses, links, important dates, relatives, tags (the same phone
or e-mail once). OTHER's history entries, status changes and static-group
memberships move to KEEP, contacts that named OTHER as a relative now name
KEEP, both notes stay, and a notes line records the merge ("Merged with <name>
on <date>"). OTHER then goes to the trash (restorable, with what was not
moved: nothing but itself and the values it lost to KEEP's).

KEEP is saved through records.update_contact_in, so its display name, sort key,
search text and status history follow the single save's rules, and its last
contact is recomputed from the history it now has.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crmdesk.core.changes import CONTACTS, HISTORY, REMOVED, Changes
from crmdesk.core.contacts.records import ContactData, load_contact, update_contact_in
from crmdesk.core.errors import CrmdeskError, NotFoundError
from crmdesk.core.fields.service import CONTACT, fields_by_key
from crmdesk.core.fields.types import as_text
from crmdesk.core.fields.values import get_values
from crmdesk.core.history.last_contact import recompute_last
from crmdesk.core.i18n import _
from crmdesk.core.search import fulltext as search
from crmdesk.core.storage.field_models import FieldValue
from crmdesk.core.storage.models import (
    Contact,
    Relative,
    StatusChange,
    group_member,
    interaction_contact,
    utcnow,
)
from crmdesk.core.text.folding import fold
from crmdesk.core.text.validation import normalize_email

# The single-valued fields a merge chooses between, with their labels.
BIRTHDAY, PHOTO = "birthday", "photo"


def field_labels() -> dict[str, str]:
    return {"prefix": _("Title"), "given_name": _("First name"),
            "middle_name": _("Middle name"), "family_name": _("Last name"),
            "suffix": _("Suffix"), "nickname": _("Nickname"), "name_order": _("Name order"),
            "company": _("Company"), "job_title": _("Job title"),
            "department": _("Department"), BIRTHDAY: _("Birthday"), "status": _("Status"),
            "source": _("Lead source"), PHOTO: _("Photo")}


CHOICES = list(field_labels())


def _key(kind: str, item: Any) -> Any:
    """What makes two entries of a list the same entry."""
    if kind == "phones":
        return item.e164 or "".join(ch for ch in item.number if ch.isdigit() or ch == "+")
    if kind == "emails":
        return normalize_email(item.address)[0] or fold(item.address.strip())
    if kind == "addresses":
        return (fold(item.street), fold(item.city), fold(item.postcode), item.country.upper())
    if kind == "links":
        return fold(item.url.strip()).rstrip("/")
    if kind == "dates":
        return (fold(item.label), item.month, item.day, item.year)
    if kind == "relatives":
        return (fold(item.relation), fold(item.name), item.contact_id)
    return fold(item)


def union_children(out: ContactData, other: ContactData) -> None:
    """Add to ``out`` every phone, e-mail, address, link, date, relative and tag of
    ``other`` it lacks (not as primary: ``out`` keeps its own)."""
    for kind in ("phones", "emails", "addresses", "links", "dates", "relatives", "tags"):
        mine = list(getattr(out, kind))
        seen = {_key(kind, x) for x in mine}
        for item in getattr(other, kind):
            k = _key(kind, item)
            if k in seen or k in ("", None):
                continue
            seen.add(k)
            if hasattr(item, "primary"):
                item = dataclasses.replace(item, primary=False)
            mine.append(item)
        setattr(out, kind, mine)


def _value(data: ContactData, name: str) -> Any:
    if name == BIRTHDAY:
        return (data.birthday_year, data.birthday_month, data.birthday_day)
    if name == PHOTO:
        return data.photo
    return getattr(data, name)


def _empty(value: Any) -> bool:
    if value == (None, None, None):
        return True
    return value is None or (isinstance(value, str) and not value.strip()) or value == b""


def _set(data: ContactData, name: str, source: ContactData) -> None:
    if name == BIRTHDAY:
        data.birthday_year, data.birthday_month, data.birthday_day = \
            source.birthday_year, source.birthday_month, source.birthday_day
    elif name == PHOTO:
        data.photo, data.photo_mime = source.photo, source.photo_mime
    else:
        setattr(data, name, getattr(source, name))


def text_of(data: ContactData, name: str) -> str:
    """A single-valued field as the merge dialog shows it."""
    value = _value(data, name)
    if name == BIRTHDAY:
        year, month, day = value
        if month is None:
            return ""
        return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    if name == PHOTO:
        return _("a photo ({size} KB)").format(size=max(1, len(value) // 1024)) if value else ""
    if name == "name_order":
        return _("family name first") if value == "family_first" else _("given name first")
    return str(value or "")


@dataclass(frozen=True)
class Difference:
    """A single-valued field the two contacts hold differently."""

    field: str  # a name in CHOICES, or "custom:<key>"
    label: str
    this: str  # KEEP's value as shown
    that: str  # OTHER's


@dataclass(frozen=True)
class MergePlan:
    """What the merge dialog shows before a merge."""

    keep: int
    other: int
    keep_name: str
    other_name: str
    differences: list[Difference]
    kept_from_both: list[str]  # "Phones: 3", "History entries: 12", ...


@dataclass(frozen=True)
class Merged:
    """A merge done: the contact kept, the one trashed, and what changed."""

    keep: int
    other: int
    note: str
    changes: Changes


def _load_pair(session: Session, keep: int, other: int) -> tuple[ContactData, ContactData]:
    if keep == other:
        raise CrmdeskError(_("A contact cannot be merged with itself."))
    try:
        a, b = load_contact(session, keep), load_contact(session, other)
    except NotFoundError:
        missing = keep if session.get(Contact, keep) is None else other
        raise CrmdeskError(_("There is no contact {id}.").format(id=missing)) from None
    for data in (a, b):
        if data.deleted_at is not None:
            raise CrmdeskError(_("Contact {id} ({name}) is in the trash; restore it before "
                                 "merging.").format(id=data.id, name=data.display_name))
    return a, b


def _custom_texts(session: Session, ids: Sequence[int]) -> dict[int, dict[int, str]]:
    """{contact: {field id: its value as shown}} (to compare and to show)."""
    infos = {info.key: info for info in fields_by_key(session, CONTACT).values()}
    values = get_values(session, CONTACT, list(ids))
    return {cid: {infos[k].id: as_text(infos[k], v) for k, v in found.items() if k in infos}
            for cid, found in values.items()}


def _children_counts(session: Session, ids: Sequence[int]) -> dict[str, int]:
    from sqlalchemy import func

    def count(table: Any, column: Any) -> int:
        return session.scalar(select(func.count()).select_from(table)
                              .where(column.in_(list(ids)))) or 0

    return {_("History entries"): count(interaction_contact, interaction_contact.c.contact_id),
            _("Groups"): count(group_member, group_member.c.contact_id),
            _("Status changes"): count(StatusChange.__table__, StatusChange.contact_id)}


def plan_merge(session: Session, keep: int, other: int) -> MergePlan:
    """The differing single-valued fields and what is kept from both, for the dialog."""
    a, b = _load_pair(session, keep, other)
    labels = field_labels()
    diffs = [Difference(name, labels[name], text_of(a, name), text_of(b, name))
             for name in CHOICES if _value(a, name) != _value(b, name)
             and not _empty(_value(b, name))]
    texts = _custom_texts(session, [keep, other])
    for info in fields_by_key(session, CONTACT).values():
        mine, theirs = texts[keep].get(info.id, ""), texts[other].get(info.id, "")
        if theirs and mine != theirs:
            diffs.append(Difference(f"custom:{info.key}", info.label, mine, theirs))
    merged = dataclasses.replace(a)
    union_children(merged, b)
    kept = [f"{label}: {len(getattr(merged, kind))}" for kind, label in (
        ("phones", _("Phones")), ("emails", _("E-mails")), ("addresses", _("Addresses")),
        ("links", _("Links")), ("dates", _("Important dates")),
        ("relatives", _("Relatives")), ("tags", _("Tags")))]
    kept += [f"{label}: {n}" for label, n in _children_counts(session, [keep, other]).items()]
    kept = [k for k in kept if not k.endswith(": 0")]  # only what there is
    if a.notes.strip() or b.notes.strip():
        kept.append(_("Notes of both"))
    return MergePlan(keep, other, a.display_name, b.display_name, diffs, kept)


def parse_prefer(texts: Iterable[str]) -> set[str]:
    """``other:company,other:birthday`` (or plain field names) as a set of fields whose
    OTHER value is wanted. CrmdeskError names an unknown field."""
    out: set[str] = set()
    for text in texts:
        for part in text.split(","):
            part = part.strip()
            if not part:
                continue
            side, sep, name = part.partition(":")
            if sep and side in ("other", "this", "keep"):
                if side != "other":
                    continue
            else:
                name = part
            if name not in CHOICES and name != "notes" and not name.startswith("custom:"):
                raise CrmdeskError(_("Unknown field {name!r} to merge; choose from: "
                                     "{fields}, or custom:KEY.").format(
                                         name=name, fields=", ".join([*CHOICES, "notes"])))
            out.add(name)
    return out


def merge_contacts(session: Session, keep: int, other: int, *,
                   prefer_other: Iterable[str] = (),
                   today: date | None = None,
                   progress: Callable[[int, int], None] | None = None) -> Merged:
    """Merge ``other`` into ``keep`` in the caller's unit of work (see the module doc).
    ``prefer_other``: the single-valued fields (names of CHOICES, or "custom:KEY")
    whose value comes from ``other`` where it has one."""
    a, b = _load_pair(session, keep, other)
    wanted = set(prefer_other)
    merged = dataclasses.replace(a)
    for name in CHOICES:
        theirs = _value(b, name)
        if not _empty(theirs) and (name in wanted or _empty(_value(a, name))):
            _set(merged, name, b)
    union_children(merged, b)
    merged.relatives = [r for r in merged.relatives if r.contact_id not in (keep, other)]
    when = (today or date.today()).isoformat()
    note = _("Merged with {name} (contact {id}) on {date}.").format(
        name=b.display_name or "?", id=other, date=when)
    first, second = (b.notes, a.notes) if "notes" in wanted else (a.notes, b.notes)
    notes = [n.strip() for n in (first, second) if n.strip()]
    if len(notes) == 2 and notes[0] == notes[1]:
        notes.pop()
    merged.notes = "\n\n".join([*notes, note])
    update_contact_in(session, keep, merged, original=a)
    _move_custom(session, keep, other, wanted)
    moved = _move_links(session, keep, other)
    now = utcnow()
    session.execute(update(Contact).where(Contact.id == other).values(deleted_at=now))
    session.execute(update(Contact).where(Contact.id == keep).values(updated_at=now))
    recompute_last(session, [keep])
    session.flush()
    search.refresh(session, [keep, other])
    changes = Changes.of(CONTACTS, [keep]) | Changes.of(CONTACTS, [other], REMOVED)
    if moved:
        changes |= Changes.of(HISTORY, moved)
    return Merged(keep, other, note, changes)


def _move_custom(session: Session, keep: int, other: int, wanted: set[str]) -> None:
    """OTHER's custom values to KEEP where KEEP has none, or OTHER's was chosen."""
    fields = fields_by_key(session, CONTACT)
    have = {fid for fid in session.scalars(select(FieldValue.field_id).where(
        FieldValue.contact_id == keep))}
    theirs = set(session.scalars(select(FieldValue.field_id).where(
        FieldValue.contact_id == other)))
    chosen = {fields[k.removeprefix("custom:")].id for k in wanted
              if k.startswith("custom:") and k.removeprefix("custom:") in fields}
    for fid in theirs:
        if fid in have and fid not in chosen:
            continue
        session.execute(delete(FieldValue).where(FieldValue.contact_id == keep,
                                                 FieldValue.field_id == fid))
        session.execute(update(FieldValue).where(FieldValue.contact_id == other,
                                                 FieldValue.field_id == fid)
                        .values(contact_id=keep))


def _move_links(session: Session, keep: int, other: int) -> list[int]:
    """History entries, status changes, group memberships and relatives' links from
    OTHER to KEEP. Returns the history entries that moved."""
    ic = interaction_contact
    mine = set(session.scalars(select(ic.c.interaction_id).where(ic.c.contact_id == keep)))
    theirs = list(session.scalars(select(ic.c.interaction_id).where(ic.c.contact_id == other)))
    session.execute(delete(ic).where(ic.c.contact_id == other))
    moving = [i for i in theirs if i not in mine]
    if moving:
        session.execute(ic.insert(), [{"interaction_id": i, "contact_id": keep}
                                      for i in moving])
    gm = group_member
    groups = set(session.scalars(select(gm.c.group_id).where(gm.c.contact_id == keep)))
    other_groups = list(session.scalars(select(gm.c.group_id).where(gm.c.contact_id == other)))
    session.execute(delete(gm).where(gm.c.contact_id == other))
    new_groups = [g for g in other_groups if g not in groups]
    if new_groups:
        session.execute(gm.insert(), [{"group_id": g, "contact_id": keep} for g in new_groups])
    session.execute(update(StatusChange).where(StatusChange.contact_id == other)
                    .values(contact_id=keep))
    session.execute(update(Relative).where(Relative.related_contact_id == other,
                                           Relative.contact_id != keep)
                    .values(related_contact_id=keep))
    return theirs
