"""Import batches: what one import added or updated, so that it can be listed and undone.

An import is one unit of work that records its batch (ImportBatch) and a row per
contact it touched (ImportedContact): "added", or "updated" with ``before``,
the JSON of the fields (and custom values) the update changed as they were and
as the import left them. Undoing the batch moves the contacts it added to the
trash (restorable, as a user's Delete) and puts the updated fields back.

A contact edited after the import is still undone, field by field, for what the
import itself wrote: a field the user has changed since keeps the user's value
(it is theirs now), and the undo says which contacts and fields those were. A
contact the import added and the user edited since still goes to the trash (the
import brought it; the trash can give it back), and is named too. Refusing the
whole undo for one later edit would leave the user with no way back at all.

A duplicates policy's fill and update (``fill_in``, ``update_with``) are here
too: they turn an existing contact and an imported record into the contact to
save with records.update_contact_in, the one write path.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from crmdesk.core.changes import ADDED, CONTACTS, REMOVED, Changes
from crmdesk.core.contacts.merge import field_labels, union_children
from crmdesk.core.contacts.records import (
    EDITABLE,
    AddressData,
    ContactData,
    DateData,
    EmailData,
    LinkData,
    PhoneData,
    RelativeData,
    load_contact,
    save_values,
    update_contact_in,
)
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.fields.service import CONTACT, fields_by_key
from crmdesk.core.i18n import _
from crmdesk.core.search import fulltext as search
from crmdesk.core.storage.field_models import FieldValue
from crmdesk.core.storage.models import (
    IMPORT_ADDED,
    IMPORT_UPDATED,
    Contact,
    ImportBatch,
    ImportedContact,
    utcnow,
)

SKIP, FILL, UPDATE, CREATE = "skip", "fill", "update", "create"
POLICIES = (SKIP, FILL, UPDATE, CREATE)

# Single-valued fields as a policy sees them (a birthday is one value of three parts).
_SINGLE = ["prefix", "given_name", "middle_name", "family_name", "suffix", "nickname",
           "company", "job_title", "department", "status", "source", "notes"]
_BIRTHDAY = ("birthday_year", "birthday_month", "birthday_day")
_LISTS = ("phones", "emails", "addresses", "links", "dates", "relatives", "tags")
_CHILD_TYPES: dict[str, type] = {"phones": PhoneData, "emails": EmailData,
                                 "addresses": AddressData, "links": LinkData,
                                 "dates": DateData, "relatives": RelativeData}


# -- the duplicates policy ---------------------------------------------------------------


def fill_in(existing: ContactData, row: ContactData) -> ContactData:
    """``existing`` with the row's values in its empty fields, and the phones, e-mails,
    addresses, links, dates, relatives and tags it lacks added."""
    out = dataclasses.replace(existing)
    for name in _SINGLE:
        if not str(getattr(existing, name) or "").strip() and getattr(row, name):
            setattr(out, name, getattr(row, name))
    if existing.birthday_month is None and row.birthday_month is not None:
        for name in _BIRTHDAY:
            setattr(out, name, getattr(row, name))
    if existing.photo is None and row.photo:
        out.photo, out.photo_mime = row.photo, row.photo_mime
    union_children(out, row)
    return out


def update_with(existing: ContactData, row: ContactData) -> ContactData:
    """``existing`` with the row's non-empty values in place of its own; the phones,
    e-mails, addresses, links, dates, relatives and tags it lacks are added (the ones
    it has stay: a file that lists one phone does not say the others are gone)."""
    out = dataclasses.replace(existing)
    for name in _SINGLE:
        if str(getattr(row, name) or "").strip():
            setattr(out, name, getattr(row, name))
    if row.birthday_month is not None:
        for name in _BIRTHDAY:
            setattr(out, name, getattr(row, name))
    if row.photo:
        out.photo, out.photo_mime = row.photo, row.photo_mime
    union_children(out, row)
    return out


def apply_policy(session: Session, batch_id: int | None, contact_id: int, row: ContactData,
                 custom: dict[str, Any], policy: str) -> bool:
    """Fill or update one existing contact from an imported record, through
    records.update_contact_in and save_values (their checks, search text, status
    history), and note it in the batch with what it changed. False if nothing
    changed. ValidationError (nothing written) if the result cannot be saved."""
    existing = load_contact(session, contact_id)
    merged = (fill_in if policy == FILL else update_with)(existing, row)
    changed = [f for f in EDITABLE if getattr(existing, f) != getattr(merged, f)]
    known = fields_by_key(session, CONTACT)
    before_rows = _custom_rows(session, contact_id, [known[k].id for k in custom if k in known])
    if policy == FILL:
        custom = {k: v for k, v in custom.items()
                  if k in known and not before_rows.get(known[k].id)}
    custom = {k: v for k, v in custom.items() if v not in (None, "")}
    if not changed and not custom:
        return False
    with session.begin_nested():
        if changed:
            update_contact_in(session, contact_id, merged, original=existing)
        save_values(session, CONTACT, contact_id, custom)
        session.flush()
        after = load_contact(session, contact_id)
        ids = [known[k].id for k in custom]
        after_rows = _custom_rows(session, contact_id, ids)
        custom_changed = [i for i in ids if before_rows.get(i, []) != after_rows.get(i, [])]
        fields_changed = [f for f in EDITABLE if getattr(existing, f) != getattr(after, f)]
        if not fields_changed and not custom_changed:
            return False
        if batch_id is not None:
            before = {"fields": {f: _dump(f, getattr(existing, f)) for f in fields_changed},
                      "after": {f: _dump(f, getattr(after, f)) for f in fields_changed},
                      "custom": {str(i): before_rows.get(i, []) for i in custom_changed},
                      "custom_after": {str(i): after_rows.get(i, []) for i in custom_changed}}
            session.execute(insert(ImportedContact), [{
                "batch_id": batch_id, "contact_id": contact_id, "action": IMPORT_UPDATED,
                "before": json.dumps(before, ensure_ascii=False)}])
    return True


def _dump(name: str, value: Any) -> Any:
    """A ContactData field as JSON can hold it."""
    if name == "photo":
        return base64.b64encode(value).decode("ascii") if value else None
    if name in _CHILD_TYPES:
        return [dataclasses.asdict(v) for v in value]
    return value


def _load(name: str, value: Any) -> Any:
    if name == "photo":
        return base64.b64decode(value) if value else None
    if name in _CHILD_TYPES:
        return [_CHILD_TYPES[name](**v) for v in value]
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


_VALUE_COLUMNS = ("seq", "value_text", "value_key", "value_num", "value_date", "value_bool",
                  "option_id", "raw")


def _custom_rows(session: Session, contact_id: int, field_ids: Sequence[int]
                 ) -> dict[int, list[dict[str, Any]]]:
    """The stored rows of these custom fields of one contact, as JSON can hold them."""
    out: dict[int, list[dict[str, Any]]] = {}
    if not field_ids:
        return out
    cols = [getattr(FieldValue, c) for c in _VALUE_COLUMNS]
    for r in session.execute(select(FieldValue.field_id, *cols)
                             .where(FieldValue.contact_id == contact_id,
                                    FieldValue.field_id.in_(list(field_ids)))
                             .order_by(FieldValue.field_id, FieldValue.seq)):
        out.setdefault(r[0], []).append(
            {c: _jsonable(v) for c, v in zip(_VALUE_COLUMNS, r[1:], strict=True)})
    return out


def _put_custom_rows(session: Session, contact_id: int, field_id: int,
                     rows: list[dict[str, Any]]) -> None:
    session.execute(delete(FieldValue).where(FieldValue.contact_id == contact_id,
                                             FieldValue.field_id == field_id))
    if rows:
        session.execute(insert(FieldValue).execution_options(render_nulls=True), [
            {**r, "value_date": date.fromisoformat(r["value_date"]) if r["value_date"] else None,
             "field_id": field_id, "contact_id": contact_id, "company_id": None}
            for r in rows])


# -- batches -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchInfo:
    """One import as the user sees it in a list or an Undo question."""

    id: int
    started_at: datetime
    source: str
    file_format: str
    added: int
    updated: int
    undone_at: datetime | None


@dataclass(frozen=True)
class Undone:
    """What undoing an import did."""

    batch: BatchInfo
    trashed: list[int]  # contacts the import added, now in the trash
    restored: list[int]  # contacts the import updated, put back
    # Contacts edited since the import: (id, name, the fields the user changed since,
    # kept as the user left them; empty for an added contact, which went to the trash).
    edited_since: list[tuple[int, str, list[str]]] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)


def start_batch(session: Session, source: str, file_format: str) -> int:
    """A new import batch, in the import's own unit of work (it goes if the import does)."""
    batch = ImportBatch(started_at=utcnow(), source=source[:1000], file_format=file_format)
    session.add(batch)
    session.flush()
    return batch.id


def finish_batch(session: Session, batch_id: int) -> BatchInfo:
    """Count what the batch added and updated into its row."""
    rows = session.execute(select(ImportedContact.action).where(
        ImportedContact.batch_id == batch_id)).scalars().all()
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
        added=sum(1 for a in rows if a == IMPORT_ADDED),
        updated=sum(1 for a in rows if a == IMPORT_UPDATED)))
    return batch_info(session, batch_id)


def note_added(session: Session, batch_id: int, ids: Iterable[int]) -> None:
    """The contacts a batch added (add_contacts calls this after every chunk)."""
    rows = [{"batch_id": batch_id, "contact_id": cid, "action": IMPORT_ADDED, "before": ""}
            for cid in ids]
    if rows:
        session.execute(insert(ImportedContact), rows)


def _info(b: ImportBatch) -> BatchInfo:
    return BatchInfo(b.id, b.started_at, b.source, b.file_format, b.added, b.updated,
                     b.undone_at)


def batch_info(session: Session, batch_id: int) -> BatchInfo:
    b = session.get(ImportBatch, batch_id)
    if b is None:
        raise CrmdeskError(_("There is no import {id} in this file (see "
                             "'crmdesk import --list-batches').").format(id=batch_id))
    return _info(b)


def list_batches(session: Session) -> list[BatchInfo]:
    """Every import of the file, the newest first."""
    return [_info(b) for b in session.scalars(
        select(ImportBatch).order_by(ImportBatch.id.desc()))]


def last_batch(session: Session) -> BatchInfo | None:
    """The newest import that is not undone and did something, if any."""
    b = session.scalars(select(ImportBatch).where(
        ImportBatch.undone_at.is_(None), (ImportBatch.added + ImportBatch.updated) > 0)
        .order_by(ImportBatch.id.desc()).limit(1)).first()
    return _info(b) if b is not None else None


def undo_batch(session: Session, batch_id: int,
               progress: Callable[[int, int], None] | None = None) -> Undone:
    """Undo one import, in the caller's unit of work: its added contacts to the trash,
    its updates put back (see the module doc for contacts edited since).
    CrmdeskError if there is no such import or it was undone already."""
    info = batch_info(session, batch_id)
    if info.undone_at is not None:
        raise CrmdeskError(_("The import of {file} (batch {id}) was already undone on "
                             "{when}.").format(file=info.source or "?", id=batch_id,
                                               when=info.undone_at.strftime("%Y-%m-%d %H:%M")))
    rows = session.execute(select(ImportedContact.contact_id, ImportedContact.action,
                                  ImportedContact.before)
                           .where(ImportedContact.batch_id == batch_id)).all()
    added = [cid for cid, action, _b in rows if action == IMPORT_ADDED]
    edited: list[tuple[int, str, list[str]]] = []
    now = utcnow()
    trashed: list[int] = []
    for start in range(0, len(added), 500):
        chunk = added[start:start + 500]
        for cid, name, created, updated in session.execute(
                select(Contact.id, Contact.display_name, Contact.created_at,
                       Contact.updated_at).where(Contact.id.in_(chunk),
                                                 Contact.deleted_at.is_(None))):
            trashed.append(cid)
            if created is not None and updated is not None and updated > created:
                edited.append((cid, name, []))
        session.execute(update(Contact).where(Contact.id.in_(chunk),
                                              Contact.deleted_at.is_(None))
                        .values(deleted_at=now))
        if progress is not None:
            progress(start + len(chunk), len(rows))
    restored: list[int] = []
    for cid, action, before_text in rows:
        if action != IMPORT_UPDATED:
            continue
        kept = _put_back(session, cid, json.loads(before_text or "{}"))
        restored.append(cid)
        if kept:
            edited.append((cid, session.get(Contact, cid).display_name  # type: ignore[union-attr]
                           if session.get(Contact, cid) else "", kept))
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id)
                    .values(undone_at=now))
    changes = Changes()
    if trashed:
        changes |= Changes.of(CONTACTS, trashed, REMOVED)
    if restored:
        changes |= Changes.of(CONTACTS, restored)
    if progress is not None:
        progress(len(rows), len(rows))
    return Undone(batch_info(session, batch_id), sorted(trashed), restored, edited, changes)


def _put_back(session: Session, contact_id: int, before: dict[str, Any]) -> list[str]:
    """Put back what an import's update changed, where it is still as the import left
    it; return the fields (and custom field labels) the user changed since."""
    if session.get(Contact, contact_id) is None:
        return []
    current = load_contact(session, contact_id)
    restored = dataclasses.replace(current)
    kept: list[str] = []
    for name, old in before.get("fields", {}).items():
        if name not in EDITABLE:
            continue
        after = before.get("after", {}).get(name)
        if _dump(name, getattr(current, name)) != after:
            kept.append(name)
            continue
        setattr(restored, name, _load(name, old))
    if restored != current:
        update_contact_in(session, contact_id, restored, original=current)
    custom_before = before.get("custom", {})
    ids = [int(i) for i in custom_before]
    now_rows = _custom_rows(session, contact_id, ids)
    labels = {info.id: info.label for info in fields_by_key(session, CONTACT).values()}
    touched = False
    for fid in ids:
        if now_rows.get(fid, []) != before.get("custom_after", {}).get(str(fid), []):
            kept.append(labels.get(fid, str(fid)))
            continue
        _put_custom_rows(session, contact_id, fid, custom_before[str(fid)])
        touched = True
    if touched:
        search.refresh(session, [contact_id])
    return kept


def label_of(name: str) -> str:
    """A field named in Undone.edited_since, as the user reads it (a custom field's is
    its label already)."""
    labels = {**field_labels(), "birthday_year": _("Birthday"), "birthday_month": _("Birthday"),
              "birthday_day": _("Birthday"), "notes": _("Notes"), "phones": _("Phones"),
              "emails": _("E-mails"), "addresses": _("Addresses"), "links": _("Links"),
              "dates": _("Important dates"), "relatives": _("Relatives"), "tags": _("Tags"),
              "photo_mime": _("Photo")}
    return labels.get(name, name)


def added_changes(ids: Sequence[int]) -> Changes:
    return Changes.of(CONTACTS, ids, ADDED) if ids else Changes()
