"""The custom fields a file defines, read from it once per unit of work.

describe_fields and its kin answer from a description cached on the session
(two queries for every field and option); every service that changes a
definition calls invalidate.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmdesk.core.errors import NotFoundError
from crmdesk.core.fields.info import FieldInfo, OptionInfo, SectionInfo, check_entity
from crmdesk.core.fields.keys import label_key, reserved_keys
from crmdesk.core.fields.types import decode_setting
from crmdesk.core.i18n import _
from crmdesk.core.storage.field_models import FieldDef, FieldOption, FieldSection

_CACHE = "crmdesk.fields.description"


def invalidate(session: Session) -> None:
    """Forget the cached description (every service that changes a definition calls this)."""
    session.info.pop(_CACHE, None)


def _load(session: Session, entity: str, field_id: int | None = None) -> list[FieldInfo]:
    """The fields of ``entity`` (or only the one ``field_id``), in form order: two queries."""
    d = FieldDef
    # Plain columns, not ORM objects: a thousand fields load in a few milliseconds.
    stmt = (select(d.id, d.entity, d.key, d.label, d.type, d.help, d.required, d.currency,
                   d.decimals, d.pattern, d.max_length, d.calendar_yearly, d.section_id,
                   d.position, d.archived, d.default_value, d.min_value, d.max_value,
                   FieldSection.name, FieldSection.position)
            .outerjoin(FieldSection, FieldSection.id == d.section_id)
            .where(d.entity == entity))
    opt_stmt = (select(FieldOption.field_id, FieldOption.id, FieldOption.label,
                       FieldOption.position, FieldOption.archived)
                .join(FieldDef, FieldDef.id == FieldOption.field_id)
                .where(FieldDef.entity == entity)
                .order_by(FieldOption.field_id, FieldOption.position, FieldOption.id))
    if field_id is not None:
        stmt = stmt.where(FieldDef.id == field_id)
        opt_stmt = opt_stmt.where(FieldOption.field_id == field_id)
    options: dict[int, list[OptionInfo]] = {}
    for o in session.execute(opt_stmt):
        options.setdefault(o[0], []).append(OptionInfo(o[1], o[2], o[3], o[4]))
    out: list[tuple[tuple[int, int, int, int], FieldInfo]] = []
    for r in session.execute(stmt):
        info = FieldInfo(
            id=r[0], entity=r[1], key=r[2], label=r[3], type=r[4], help=r[5],
            required=bool(r[6]), currency=r[7], decimals=r[8], pattern=r[9],
            max_length=r[10], calendar_yearly=bool(r[11]),
            options=tuple(options.get(r[0], ())), section_id=r[12], section=r[18] or "",
            position=r[13], archived=bool(r[14]),
        )
        if r[15] is not None or r[16] is not None or r[17] is not None:
            info = decode_setting(info, r[15], r[16], r[17])
        # Fields without a section come first (the form's main tab), then by section.
        order = (0 if r[12] is None else 1, r[19] or 0, r[13], r[0])
        out.append((order, info))
    out.sort(key=lambda pair: pair[0])
    return [info for _order, info in out]


def all_fields(session: Session, entity: str) -> list[FieldInfo]:
    """Every field of ``entity``, archived ones too, in form order (cached per session)."""
    check_entity(entity)
    cache: dict[str, list[FieldInfo]] = session.info.setdefault(_CACHE, {})
    if entity not in cache:
        cache[entity] = _load(session, entity)
    return cache[entity]


def describe_fields(session: Session, entity: str, *,
                    include_archived: bool = False) -> list[FieldInfo]:
    """The fields of contacts or of companies, in the order a form shows them."""
    fields = all_fields(session, entity)
    if include_archived:
        return list(fields)
    return [f for f in fields if not f.archived]


def fields_by_key(session: Session, entity: str) -> dict[str, FieldInfo]:
    """{key: FieldInfo} for every field of ``entity``, archived ones included."""
    return {f.key: f for f in all_fields(session, entity)}


def label_aliases(session: Session, entities: tuple[str, ...],
                  builtin: frozenset[str] = frozenset()) -> dict[str, FieldInfo]:
    """{label written as a key (keys.label_key): field} for the fields of ``entities``.

    A key always wins: an alias that is a built-in name (``builtin`` or a
    reserved key) or any of these fields' keys is not offered, nor one that two
    fields' labels share.
    """
    fields = [f for entity in entities for f in all_fields(session, entity)]
    taken = {f.key for f in fields} | builtin | reserved_keys()
    found: dict[str, FieldInfo] = {}
    shared: set[str] = set()
    for f in fields:
        alias = label_key(f.label)
        if not alias or alias in taken:
            continue
        if alias in found:
            shared.add(alias)
        found[alias] = f
    return {alias: f for alias, f in found.items() if alias not in shared}


def field_by_key(session: Session, entity: str, key: str) -> FieldInfo | None:
    return fields_by_key(session, entity).get(key.lower())


def field_by_id(session: Session, field_id: int) -> FieldInfo:
    """The description of one field (any entity); NotFoundError if it was deleted.

    From the cache when there is one, else read alone (a field editor making
    many changes in a row does not reload every field after each).
    """
    cache: dict[str, list[FieldInfo]] = session.info.get(_CACHE, {})
    for fields in cache.values():
        for f in fields:
            if f.id == field_id:
                return f
    entity = session.scalar(select(FieldDef.entity).where(FieldDef.id == field_id))
    found = _load(session, entity, field_id) if entity is not None else []
    if not found:
        raise NotFoundError(_("That field no longer exists."))
    return found[0]


def labels_and_keys(session: Session, entity: str) -> list[tuple[int, str, str, bool]]:
    """(id, label, key, archived) of every field of ``entity``: one light query, for the
    checks of a new or renamed field."""
    return [(r[0], r[1], r[2], r[3]) for r in session.execute(
        select(FieldDef.id, FieldDef.label, FieldDef.key, FieldDef.archived)
        .where(FieldDef.entity == check_entity(entity)))]


def describe_sections(session: Session, entity: str) -> list[SectionInfo]:
    """The sections (tabs or group boxes) of the form of ``entity``, in order."""
    check_entity(entity)
    return [
        SectionInfo(s.id, s.entity, s.name, s.position)
        for s in session.scalars(
            select(FieldSection).where(FieldSection.entity == entity)
            .order_by(FieldSection.position, FieldSection.id)
        )
    ]
