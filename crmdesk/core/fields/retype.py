"""Changing a field's type without losing a value.

Every existing value is written out as plain text (fields_types.as_text) and
read back with the new type, the way the user would retype it. What reads
back is converted; what does not is kept, as text, in the value row's ``raw``
column, where the form shows it, exports write it, a later change of type
tries it again, and ``unconverted_values`` lists it. ``preview_retype`` runs
the same conversion without writing, so the editor can show "1,204 convert,
3 do not: ..." before the user confirms.

Into a drop-down or multi-choice field, the distinct texts become the
options (a multi-choice splits "Golf, Tennis" at commas); between the two
list types the options and their ids are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from crmdesk.core.errors import Problem, ValidationError
from crmdesk.core.fields.catalog import field_by_id, invalidate
from crmdesk.core.fields.info import (
    CHOICE,
    DATE,
    FIELD_TYPES,
    MONEY,
    NUMERIC,
    PATTERNED,
    TEXT_LIKE,
    WITH_OPTIONS,
    FieldInfo,
    OptionInfo,
    Unconverted,
)
from crmdesk.core.fields.types import as_text, from_rows, parse_value, to_rows
from crmdesk.core.i18n import _
from crmdesk.core.search import fulltext as search
from crmdesk.core.storage.field_models import CONTACT, FieldDef, FieldOption, FieldValue
from crmdesk.core.storage.settings import get_setting
from crmdesk.core.text.folding import fold
from crmdesk.core.text.parsing import default_currency

MAX_NEW_OPTIONS = 1000


@dataclass
class RetypeReport:
    """What a change of type does (or did): how many values convert, and which do not.

    ``failed`` lists (record id, the value as text) for values that stay as
    kept text; ``new_options`` the options a list type gets from the texts.
    """

    converted: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    new_options: list[str] = field(default_factory=list)
    new_type: str = ""


def _owner(info: FieldInfo) -> Any:
    return FieldValue.contact_id if info.entity == CONTACT else FieldValue.company_id


def _texts(session: Session, info: FieldInfo) -> list[tuple[int, str]]:
    """(owner, the value as text) for every record with a value, in owner order."""
    owner = _owner(info)
    grouped: dict[int, list[tuple[Any, ...]]] = {}
    for r in session.execute(
        select(owner, FieldValue.seq, FieldValue.value_text, FieldValue.value_num,
               FieldValue.value_date, FieldValue.value_bool, FieldValue.option_id,
               FieldValue.raw)
        .where(FieldValue.field_id == info.id).order_by(owner, FieldValue.seq)
    ):
        grouped.setdefault(r[0], []).append(tuple(r[1:]))
    out: list[tuple[int, str]] = []
    for oid, rows in grouped.items():
        text = as_text(info, from_rows(info, rows))
        if text.strip():
            out.append((oid, text))
    return out


def _target(info: FieldInfo, new_type: str, currency: str | None,
            decimals: int | None) -> FieldInfo:
    """The field as it will be: settings the new type has no use for are dropped."""
    if new_type not in FIELD_TYPES:
        raise ValidationError([Problem("type", _("Unknown field type {type!r}.").format(
            type=new_type))])
    same_kind = (info.type in NUMERIC and new_type in NUMERIC) or info.type == new_type
    keep_limits = same_kind or (info.type == DATE and new_type == DATE)
    return replace(
        info, type=new_type,
        min_value=info.min_value if keep_limits else None,
        max_value=info.max_value if keep_limits else None,
        pattern=info.pattern if new_type in PATTERNED and info.type in PATTERNED else None,
        max_length=info.max_length if new_type in PATTERNED and info.type in PATTERNED
        else None,
        currency=(currency if currency is not None else info.currency or default_currency())
        if new_type == MONEY else "",
        decimals=(decimals if decimals is not None
                  else info.decimals if new_type in NUMERIC else None),
        calendar_yearly=info.calendar_yearly and new_type == DATE,
        default=None,
        options=info.options if new_type in WITH_OPTIONS and info.type in WITH_OPTIONS else (),
    )


def _option_labels(target: FieldInfo, texts: list[tuple[int, str]]) -> list[str]:
    """Options a list type needs for these texts, in order of first appearance."""
    have = {fold(o.label) for o in target.options}
    new: list[str] = []
    for _oid, text in texts:
        parts = [text] if target.type == CHOICE else [p.strip() for p in
                                                       text.replace(";", ",").split(",")]
        for part in parts:
            label = " ".join(part.split())[:200]
            if label and fold(label) not in have and len(new) < MAX_NEW_OPTIONS:
                have.add(fold(label))
                new.append(label)
    return new


def _convert(session: Session, target: FieldInfo,
             texts: list[tuple[int, str]]) -> tuple[RetypeReport, list[tuple[int, Any]]]:

    region = get_setting(session, "phone_region")
    report = RetypeReport(new_type=target.type)
    values: list[tuple[int, Any]] = []
    for oid, text in texts:
        value, problems = parse_value(target, text, region=region, dayfirst=None, limits=False)
        if value is None or any(p.severity == "error" for p in problems):
            report.failed.append((oid, text))
            values.append((oid, Unconverted(text)))
        else:
            report.converted += 1
            values.append((oid, value))
    return report, values


def preview_retype(session: Session, field_id: int, new_type: str, *,
                   currency: str | None = None, decimals: int | None = None) -> RetypeReport:
    """What ``retype`` would do, without changing anything."""
    info = field_by_id(session, field_id)
    target = _target(info, new_type, currency, decimals)
    texts = _texts(session, info)
    new_options: list[str] = []
    if target.type in WITH_OPTIONS and info.type not in WITH_OPTIONS:
        new_options = _option_labels(target, texts)
        start = len(target.options)
        target = replace(target, options=target.options + tuple(
            OptionInfo(-i - 1, label, start + i) for i, label in enumerate(new_options)))
    report, _values = _convert(session, target, texts)
    report.new_options = new_options
    return report


def retype(session: Session, field_id: int, new_type: str, *, currency: str | None = None,
           decimals: int | None = None) -> RetypeReport:
    """Change a field's type, converting its values; what does not convert is kept as text."""
    info = field_by_id(session, field_id)
    target = _target(info, new_type, currency, decimals)
    texts = _texts(session, info)
    new_options: list[str] = []
    owner = _owner(info)
    session.execute(delete(FieldValue).where(FieldValue.field_id == field_id))
    if target.type not in WITH_OPTIONS:
        session.execute(delete(FieldOption).where(FieldOption.field_id == field_id))
    elif info.type not in WITH_OPTIONS:  # between list types the options stay as they are
        new_options = _option_labels(target, texts)
        start = len(target.options)
        added: list[OptionInfo] = []
        for i, label in enumerate(new_options):
            row = FieldOption(field_id=field_id, label=label, position=start + i)
            session.add(row)
            session.flush()
            added.append(OptionInfo(row.id, label, start + i))
        target = replace(target, options=target.options + tuple(added))
    report, values = _convert(session, target, texts)
    report.new_options = new_options
    rows = [{**r, "field_id": field_id, owner.key: oid}
            for oid, value in values for r in to_rows(target, value)]
    if rows:
        session.execute(insert(FieldValue).execution_options(render_nulls=True), rows)
    session.execute(update(FieldDef).where(FieldDef.id == field_id).values(
        type=target.type, min_value=None if target.min_value is None else as_text(
            target, target.min_value),
        max_value=None if target.max_value is None else as_text(target, target.max_value),
        pattern=target.pattern, max_length=target.max_length, currency=target.currency,
        decimals=target.decimals,
        calendar_yearly=target.calendar_yearly, default_value=None))
    invalidate(session)
    if info.entity == CONTACT and (info.type in TEXT_LIKE or target.type in TEXT_LIKE):
        search.refresh(session, [oid for oid, _text in texts])
    return report


def unconverted_values(session: Session, field_id: int) -> list[tuple[int, str]]:
    """(record id, kept text) of every value this field's type could not hold."""
    info = field_by_id(session, field_id)
    owner = _owner(info)
    return [(r[0], r[1]) for r in session.execute(
        select(owner, FieldValue.raw)
        .where(FieldValue.field_id == field_id, FieldValue.raw.is_not(None))
        .order_by(owner)
    )]

