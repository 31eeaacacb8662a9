"""Custom fields as a script names and lists them: by key, by section name, with counts.

`crmdesk fields` (and any other script) speaks of fields by key and of sections
by name, and lists each field with how many records hold a value in it. These
functions answer in plain values, so a caller never queries the tables itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmdesk.core.errors import NotFoundError
from crmdesk.core.fields.catalog import describe_fields, describe_sections, field_by_key
from crmdesk.core.fields.info import FieldInfo, check_entity
from crmdesk.core.fields.service import add_section
from crmdesk.core.fields.values import owner_column
from crmdesk.core.i18n import _
from crmdesk.core.storage.field_models import CONTACT, ENTITIES, FIELD_TYPES, FieldValue

# What a script chooses from: the entities that have fields, the types of field.
__all__ = ["CONTACT", "ENTITIES", "FIELD_TYPES", "FieldUse", "field_with_key",
           "fields_in_use", "section_named"]


@dataclass(frozen=True)
class FieldUse:
    """A field and how many records (contacts or companies) have a value in it."""

    field: FieldInfo
    records: int


def fields_in_use(session: Session, entity: str, *,
                  include_archived: bool = False) -> list[FieldUse]:
    """The fields of ``entity`` in form order, each with its number of records that
    have a value (one query for all the counts)."""
    infos = describe_fields(session, entity, include_archived=include_archived)
    owner = owner_column(entity)
    counts = {int(field_id): int(n) for field_id, n in session.execute(
        select(FieldValue.field_id, func.count(func.distinct(owner)))
        .group_by(FieldValue.field_id))}
    return [FieldUse(info, counts.get(info.id, 0)) for info in infos]


def field_with_key(session: Session, entity: str, key: str) -> FieldInfo:
    """The field of ``entity`` called ``key``; NotFoundError if there is none."""
    found = field_by_key(session, check_entity(entity), key)
    if found is None:
        raise NotFoundError(_("There is no {entity} field with the key {key!r}.").format(
            entity=entity, key=key))
    return found


def section_named(session: Session, entity: str, name: str) -> int:
    """The id of the form section called ``name`` (any case), made if there is none."""
    wanted = name.strip().casefold()
    for section in describe_sections(session, entity):
        if section.name.casefold() == wanted:
            return section.id
    return add_section(session, entity, name).id
