"""Reading and writing custom values: the one way in and out for every part of crmdesk.

``get_values`` answers for a whole block of records with one query (a list
showing 200 rows and three custom columns, or a contact's form with 1,000
fields defined, costs the same single query once the description is cached);
``set_values`` checks and writes a patch for one record in three statements.
Values are in their Python form (fields_types.py) both ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from crmdesk.core.errors import NotFoundError, Problem
from crmdesk.core.fields.catalog import describe_fields, fields_by_key
from crmdesk.core.fields.info import (
    PHONE,
    FieldInfo,
    Unconverted,
    check_entity,
)
from crmdesk.core.fields.types import as_text, from_rows, parse_value, to_rows
from crmdesk.core.i18n import _
from crmdesk.core.search import fulltext as search
from crmdesk.core.storage.field_models import CONTACT, FieldValue
from crmdesk.core.storage.models import Company, Contact, utcnow
from crmdesk.core.storage.settings import get_setting

_CHUNK = 500


def owner_column(entity: str) -> InstrumentedAttribute[int | None]:
    """field_value's column that points at a record of ``entity``."""
    return FieldValue.contact_id if check_entity(entity) == CONTACT else FieldValue.company_id


def refresh_search(session: Session, entity: str, contact_ids: Iterable[int]) -> None:
    """Re-index contacts whose searchable custom values changed (companies have no index)."""
    ids = list(contact_ids)
    if entity == CONTACT and ids:
        search.refresh(session, ids)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _wanted(session: Session, entity: str, keys: Iterable[str] | None) -> list[FieldInfo]:
    if keys is None:
        return describe_fields(session, entity)
    by_key = fields_by_key(session, entity)
    out: list[FieldInfo] = []
    for key in keys:
        info = by_key.get(key)
        if info is None:
            raise NotFoundError(_("There is no field {key!r}.").format(key=key))
        out.append(info)
    return out


def get_values(session: Session, entity: str, ids: Sequence[int],
               keys: Iterable[str] | None = None) -> dict[int, dict[str, Any]]:
    """{record id: {key: value}} for these contacts or companies: one query per 500 ids.

    ``keys`` None means every field that is not archived. A record without a
    value in a field has no entry for its key; every id asked for is in the
    answer. Values are in their Python form (see fields_types); a kept value
    that the type cannot hold comes as Unconverted.
    """
    wanted = _wanted(session, entity, keys)
    by_id = {f.id: f for f in wanted}
    out: dict[int, dict[str, Any]] = {i: {} for i in ids}
    if not by_id or not ids:
        return out
    owner = owner_column(entity)
    grouped: dict[tuple[int, int], list[tuple[Any, ...]]] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        stmt = select(owner, FieldValue.field_id, FieldValue.seq, FieldValue.value_text,
                      FieldValue.value_num, FieldValue.value_date, FieldValue.value_bool,
                      FieldValue.option_id, FieldValue.raw).where(owner.in_(chunk))
        if keys is not None and len(by_id) <= 50:
            stmt = stmt.where(FieldValue.field_id.in_(list(by_id)))
        for r in session.execute(stmt):
            if r[1] in by_id and r[0] is not None:
                grouped.setdefault((r[0], r[1]), []).append(tuple(r[2:]))
    for (oid, fid), rows in grouped.items():
        info = by_id[fid]
        value = from_rows(info, rows)
        if value is not None:
            out[oid][info.key] = value
    return out


def default_values(session: Session, entity: str) -> dict[str, Any]:
    """{key: default} of the fields that have one: what a new record's form starts with."""
    return {f.key: f.default for f in describe_fields(session, entity) if f.default is not None}


def write_value(session: Session, info: FieldInfo, owner_id: int, value: Any) -> None:
    """Replace one record's value of one field (already parsed), without any checks."""
    owner = owner_column(info.entity)
    session.execute(delete(FieldValue).where(owner == owner_id, FieldValue.field_id == info.id))
    rows = [{**r, "field_id": info.id, owner.key: owner_id} for r in to_rows(info, value)]
    if rows:
        session.execute(insert(FieldValue).execution_options(render_nulls=True), rows)


def set_values(session: Session, entity: str, entity_id: int, values: Mapping[str, Any], *,
               keep_invalid: bool = False, refresh: bool = True) -> list[Problem]:
    """Save ``{key: value}`` for one record: text as typed or typed values; None clears.

    Returns the problems. If any is an error nothing is written, unless
    ``keep_invalid`` (imports): then what does not fit is kept as text
    (Unconverted) and the errors come back as warnings. The record's
    ``updated`` time moves on, and a contact's search text is refreshed
    (``refresh=False`` for bulk imports, which re-index all their contacts at
    the end with search.refresh). NotFoundError if the record is gone.
    """
    by_key = fields_by_key(session, entity)
    problems: list[Problem] = []
    parsed: list[tuple[FieldInfo, Any]] = []
    region: str | None = None
    for key, raw in values.items():
        info = by_key.get(key)
        if info is None:
            problems.append(Problem(str(key), _("There is no field {key!r}.").format(key=key)))
            continue
        if info.type == PHONE and region is None:

            region = get_setting(session, "phone_region")
        value, probs = parse_value(info, raw, region=region or "")
        errors = [p for p in probs if p.severity == "error"]
        if errors and keep_invalid:
            probs = [replace(p, severity="warning") for p in probs]
            value = None if raw is None else Unconverted(as_text(info, raw))
        problems.extend(probs)
        if not errors or keep_invalid:
            parsed.append((info, value))
    if any(p.severity == "error" for p in problems):
        return problems
    if not parsed:
        return problems
    model: Any = Contact if entity == CONTACT else Company
    # First, so that a record deleted meanwhile is a plain "no longer exists".
    touched = session.execute(update(model).where(model.id == entity_id)
                              .values(updated_at=utcnow()))
    if not getattr(touched, "rowcount", 1):
        raise NotFoundError(_("That record no longer exists."))
    owner = owner_column(entity)
    session.execute(delete(FieldValue).where(owner == entity_id,
                                             FieldValue.field_id.in_([i.id for i, _v in parsed])))
    rows = [{**r, "field_id": info.id, owner.key: entity_id}
            for info, value in parsed for r in to_rows(info, value)]
    if rows:
        session.execute(insert(FieldValue).execution_options(render_nulls=True), rows)
    if refresh and any(info.text_like or isinstance(v, Unconverted) for info, v in parsed):
        refresh_search(session, entity, [entity_id])
    return problems


