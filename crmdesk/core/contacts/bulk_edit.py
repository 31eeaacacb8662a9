"""Change one field of many contacts at once: first a preview, then one transaction.

The preview says how many contacts would change, shows a sample of before ->
after, and names the contacts whose change would be refused and why (a
primary address that would be left empty ...); a value no contact could take
(a status that is not in the list, a number that is none) is refused as a
whole, before anything is planned. The apply then saves through the same
rules as the contact form (records.save_contact: validation, the status
history, the search rows; fields.values.set_values for custom fields), all in
the caller's one unit of work, so either every accepted contact changes or
none does. Contacts whose value is already the one asked for are left alone
(their ``updated`` time does not move).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmdesk.core.changes import CONTACTS, Changes
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    errors_only,
    load_contact,
    save_contact,
    validate,
)
from crmdesk.core.errors import CrmdeskError, ValidationError
from crmdesk.core.fields.catalog import all_fields, field_by_key
from crmdesk.core.fields.info import LONG_TEXT, FieldInfo
from crmdesk.core.fields.types import display_text, parse_value
from crmdesk.core.fields.values import get_values, set_values
from crmdesk.core.i18n import _
from crmdesk.core.lists.choices import list_choices
from crmdesk.core.lookup.registry import country_codes
from crmdesk.core.storage.field_models import CONTACT
from crmdesk.core.storage.models import SOURCE, STATUS, Address, Choice, Company, Contact
from crmdesk.core.storage.settings import get_setting
from crmdesk.core.text.folding import fold
from crmdesk.core.text.validation import MAX_NAME, MAX_SHORT, check_length, normalize_country

__all__ = ["BulkChange", "BulkPreview", "BulkResult", "EditableField", "Refused",
           "apply_edit", "editable_fields", "preview_edit"]

# What a built-in field's editor is: a line of text, a drop-down of a list, a country,
# or text added to the end of the notes.
TEXT = "text"
CHOICE = "choice"
COUNTRY = "country"
APPEND = "append"

SAMPLE = 20  # before -> after rows a preview shows


@dataclass(frozen=True)
class EditableField:
    """A field a bulk edit can set: ``key`` (a built-in name, or a custom field's key),
    its label, ``kind`` (TEXT, CHOICE, COUNTRY, APPEND, or a custom field's type), the
    choices a drop-down offers, and whether it may be cleared."""

    key: str
    label: str
    kind: str
    options: tuple[str, ...] = ()
    custom: bool = False
    clearable: bool = True


@dataclass(frozen=True)
class BulkChange:
    contact_id: int
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class Refused:
    contact_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class BulkPreview:
    """What applying would do: ``changing`` contacts change (``sample``: some of them),
    ``unchanged`` have the value already, ``refused`` would be left as they are."""

    field: EditableField
    value: str
    total: int
    changing: int
    unchanged: int
    sample: tuple[BulkChange, ...]
    refused: tuple[Refused, ...]


@dataclass(frozen=True)
class BulkResult:
    changed: int
    refused: tuple[Refused, ...]
    changes: Changes = field(default_factory=Changes)


def _builtins(session: Session) -> list[EditableField]:
    return [
        EditableField("status", _("Status"), CHOICE,
                      tuple(c.name for c in list_choices(session, STATUS))),
        EditableField("source", _("Lead source"), CHOICE,
                      tuple(c.name for c in list_choices(session, SOURCE))),
        EditableField("company", _("Company"), TEXT),
        EditableField("job_title", _("Job title"), TEXT),
        EditableField("department", _("Department"), TEXT),
        EditableField("city", _("City (primary address)"), TEXT),
        EditableField("country", _("Country (primary address)"), COUNTRY),
        EditableField("notes", _("Notes (add a line at the end)"), APPEND, clearable=False),
    ]


def _custom(info: FieldInfo) -> EditableField:
    return EditableField(info.key, info.label, info.type,
                         tuple(o.label for o in info.active_options), custom=True,
                         clearable=not info.required)


def editable_fields(session: Session) -> list[EditableField]:
    """The fields a bulk edit offers: the built-in ones, then the contacts' custom fields."""
    return _builtins(session) + [_custom(f) for f in all_fields(session, CONTACT)
                                 if not f.archived]


def _field(session: Session, key: str) -> EditableField:
    for f in _builtins(session):
        if f.key == key:
            return f
    info = field_by_key(session, CONTACT, key)
    if info is None or info.archived:
        raise CrmdeskError(_("There is no field {key!r} to change.").format(key=key))
    return _custom(info)


# -- built-in fields: what a contact's data becomes ---------------------------------------

Setter = Callable[[ContactData], tuple[str, str]]  # sets the value; (before, after) texts


def _primary(data: ContactData) -> AddressData | None:
    for a in data.addresses:
        if a.primary:
            return a
    return data.addresses[0] if data.addresses else None


def _address_setter(attr: str, value: str) -> Setter:
    def setter(data: ContactData) -> tuple[str, str]:
        address = _primary(data)
        if address is None:
            if not value:
                return "", ""
            address = AddressData(primary=True)
            data.addresses.append(address)
        before = getattr(address, attr)
        setattr(address, attr, value)
        return before, value
    return setter


def _attr_setter(attr: str, value: str) -> Setter:
    def setter(data: ContactData) -> tuple[str, str]:
        before = getattr(data, attr)
        setattr(data, attr, value)
        return before, value
    return setter


def _append_setter(value: str) -> Setter:
    def setter(data: ContactData) -> tuple[str, str]:
        before = data.notes
        data.notes = (before.rstrip("\n") + "\n" + value) if before.strip() else value
        return _tail(before), _tail(data.notes)
    return setter


def _tail(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else "…" + text[-n:]


def _choice_value(session: Session, f: EditableField, kind: str, value: str) -> str:
    if not value:
        return ""
    for c in list_choices(session, kind, include_archived=True):
        if fold(c.name) == fold(value):
            return c.name
    raise CrmdeskError(_("{label}: {value!r} is not in the list ({names}). Tools > Lists "
                         "adds an entry.").format(label=f.label, value=value,
                                                  names=", ".join(f.options) or _("none yet")))


def _country_value(value: str) -> str:
    if not value:
        return ""
    code, problem = normalize_country(value)
    if problem is None:
        return code
    codes = country_codes("=", value) or country_codes(":", value)
    if len(codes) == 1:
        return codes[0]
    raise CrmdeskError(_("{value!r} is not a country (write its name, or two letters such "
                         "as LT, RU, CN or US).").format(value=value))


def _EMPTY_ADDRESS() -> str:  # noqa: N802 - a message, called when shown
    return _("The address would have no street, city, region or postcode.")


_LIMITS = {"company": MAX_SHORT, "job_title": MAX_NAME, "department": MAX_NAME,
           "city": MAX_NAME}


def _cleaned(f: EditableField, value: str) -> str:
    """The value as it will be saved; CrmdeskError when it is too long for anyone."""
    value = value.strip() if f.kind != APPEND else value.rstrip()
    limit = _LIMITS.get(f.key)
    if limit is not None:
        problem = check_length(f.key, value, limit, f.label)
        if problem is not None:
            raise CrmdeskError(problem.message)
    return value


def _setter(session: Session, f: EditableField, value: str) -> Setter:
    value = _cleaned(f, value)
    if f.kind == APPEND:
        if not value.strip():
            raise CrmdeskError(_("Type the line to add to the notes."))
        return _append_setter(value)
    if f.key in ("status", "source"):
        return _attr_setter(f.key, _choice_value(session, f, STATUS if f.key == "status"
                                                 else SOURCE, value))
    if f.key == "city":
        return _address_setter("city", value)
    if f.key == "country":
        return _address_setter("country", _country_value(value))
    return _attr_setter(f.key, value)


def _live_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """{id: name} of the live contacts of ``ids``, in the order given."""
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        found.update(session.execute(select(Contact.id, Contact.display_name).where(
            Contact.id.in_(ids[start:start + 500]), Contact.deleted_at.is_(None))).all())
    return {i: found[i] for i in ids if i in found}


@dataclass
class _Plan:
    changes: list[tuple[BulkChange, Any]]  # and what to save: (data, original) or a value
    unchanged: int
    refused: list[Refused]


def _plan_builtin(session: Session, f: EditableField, ids: Sequence[int],
                  value: str) -> _Plan:
    setter = _setter(session, f, value)
    region = get_setting(session, "phone_region")
    plan = _Plan([], 0, [])
    for cid in ids:
        original = load_contact(session, cid)
        if original.deleted_at is not None:
            continue
        data = copy.deepcopy(original)
        before, after = setter(data)
        if data == original:
            plan.unchanged += 1
            continue
        errors = errors_only(validate(data, region=region))
        name = original.display_name or original.name()
        if errors:
            empty = _("The address is empty.")
            plan.refused.append(Refused(cid, name, "; ".join(
                _EMPTY_ADDRESS() if p.message == empty else p.message
                for p in errors)))
            continue
        plan.changes.append((BulkChange(cid, name, before, after), (data, original)))
    return plan


def _value_after(session: Session, f: EditableField, value: str) -> str:
    """What a built-in field becomes (the preview's fast path; _setter's rules)."""
    value = _cleaned(f, value)
    if f.key in ("status", "source"):
        return _choice_value(session, f, STATUS if f.key == "status" else SOURCE, value)
    if f.key == "country":
        return _country_value(value)
    return value


def _preview_builtin(session: Session, f: EditableField, ids: Sequence[int],
                     value: str) -> _Plan:
    """_plan_builtin's answer read a block of contacts at a time instead of one contact
    at a time (a preview is read again as the user types). The apply still plans
    with the whole contact (_plan_builtin), so a contact whose other data would
    not pass the form's checks is refused there, and said."""
    after = _value_after(session, f, value)
    plan = _Plan([], 0, [])
    column: Any = {"status": Choice.name, "source": Choice.name, "company": Company.name,
                   "job_title": Contact.job_title, "department": Contact.department,
                   "notes": Contact.notes}.get(f.key, Contact.notes)
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        stmt = select(Contact.id, Contact.display_name, column).where(
            Contact.id.in_(chunk), Contact.deleted_at.is_(None))
        if f.key in ("status", "source"):
            stmt = stmt.outerjoin(Choice, Choice.id == (Contact.status_id if f.key == "status"
                                                        else Contact.source_id))
        elif f.key == "company":
            stmt = stmt.outerjoin(Company, Company.id == Contact.company_id)
        rows = {r[0]: (r[1], r[2] or "") for r in session.execute(stmt).all()}
        addresses: dict[int, tuple[str, ...]] = {}
        if f.key in ("city", "country"):
            found = session.execute(
                select(Address.contact_id, Address.street, Address.city, Address.region,
                       Address.postcode, Address.country, Address.is_primary)
                .where(Address.contact_id.in_(list(rows)))
                .order_by(Address.contact_id, Address.position, Address.id)).all()
            for owner, *parts, primary in found:
                if owner is None:
                    continue
                if owner not in addresses or (primary and not addresses[owner][5]):
                    addresses[owner] = (*parts, "1" if primary else "")
        for cid in chunk:
            if cid not in rows:
                continue
            name, before = rows[cid]
            new = after
            if f.kind == APPEND:
                notes = (before.rstrip("\n") + "\n" + after) if before.strip() else after
                before, new = _tail(before), _tail(notes)
            elif f.key in ("city", "country"):
                address = addresses.get(cid)
                if address is None:
                    if not after:
                        plan.unchanged += 1
                        continue
                    before = ""
                    if f.key == "country":  # a new address of nothing but a country
                        plan.refused.append(Refused(cid, name, _EMPTY_ADDRESS()))
                        continue
                else:
                    street, city, region, postcode, country = address[:5]
                    before = city if f.key == "city" else country
                    if f.key == "city":
                        city = after
                    if before != after and not any((street, city, region, postcode)):
                        plan.refused.append(Refused(cid, name, _EMPTY_ADDRESS()))
                        continue
            if before == new and f.kind != APPEND:
                plan.unchanged += 1
                continue
            plan.changes.append((BulkChange(cid, name, before, new), None))
    return plan


def _plan_custom(session: Session, f: EditableField, ids: Sequence[int],
                 value: str) -> _Plan:
    info = field_by_key(session, CONTACT, f.key)
    assert info is not None
    region = get_setting(session, "phone_region")
    raw: Any = value if value.strip() else None
    if f.kind == LONG_TEXT and raw is not None:
        raw = value.strip()
    parsed, problems = parse_value(info, raw, region=region)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CrmdeskError("; ".join(p.message for p in errors))
    live = _live_names(session, ids)
    values = get_values(session, CONTACT, list(live), [info.key])
    after = display_text(info, parsed)
    plan = _Plan([], 0, [])
    for cid, name in live.items():
        current = values.get(cid, {}).get(info.key)
        if current == parsed:
            plan.unchanged += 1
            continue
        plan.changes.append((BulkChange(cid, name, display_text(info, current), after), raw))
    return plan


def _plan(session: Session, key: str, ids: Sequence[int], value: str, *,
          preview: bool = False) -> tuple[EditableField, _Plan]:
    f = _field(session, key)
    if not value.strip() and not f.clearable:
        raise CrmdeskError(_("{label} cannot be left empty.").format(label=f.label))
    ids = list(dict.fromkeys(ids))
    if f.custom:
        return f, _plan_custom(session, f, ids, value)
    return f, (_preview_builtin if preview else _plan_builtin)(session, f, ids, value)


def preview_edit(session: Session, contact_ids: Sequence[int], key: str, value: str, *,
                 sample: int = SAMPLE) -> BulkPreview:
    """What setting ``key`` to ``value`` (empty: clearing it) on these contacts would do;
    CrmdeskError for a value none of them could take. Writes nothing."""
    f, plan = _plan(session, key, contact_ids, value, preview=True)
    total = len(plan.changes) + plan.unchanged + len(plan.refused)
    return BulkPreview(f, value, total, len(plan.changes), plan.unchanged,
                       tuple(c for c, _x in plan.changes[:sample]), tuple(plan.refused))


def apply_edit(session: Session, contact_ids: Sequence[int], key: str, value: str, *,
               progress: Callable[[int, int], None] | None = None) -> BulkResult:
    """Set ``key`` to ``value`` on these contacts in the caller's one unit of work (the
    refused ones are left as they are, and said). It plans again, so a contact changed
    since the preview is judged as it is now. ``progress(done, total)`` is called as
    it goes; whatever it raises (Cancel) rolls the whole change back with the unit."""
    f, plan = _plan(session, key, contact_ids, value)
    changes = Changes()
    for done, (change, what) in enumerate(plan.changes):
        if progress is not None and done % 50 == 0:
            progress(done, len(plan.changes))
        if f.custom:
            problems = set_values(session, CONTACT, change.contact_id, {f.key: what})
            if any(p.severity == "error" for p in problems):
                raise ValidationError(problems)
            changes |= Changes.of(CONTACTS, [change.contact_id])
        else:
            data, original = what
            changes |= save_contact(session, change.contact_id, data,
                                    original=original).changes
    session.flush()
    return BulkResult(len(plan.changes), tuple(plan.refused), changes)

