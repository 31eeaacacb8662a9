"""Custom fields: the one place to define them and to read and write their values.

Everything else in crmdesk (forms, list columns, lookups, exports, imports,
labels, reports) goes through this module: ``describe_fields`` says what
fields there are, ``get_values`` / ``set_values`` read and write their values
for any number of records with one query, and the helpers re-exported here
(``filter_expression``, ``order_expression``, ``sort_ids``, ``parse_value``,
``display_text`` ...) do the rest. The pieces live in fields_*.py to keep
modules small; import them from here.

Every service takes an open Session (the caller's unit of work commits or
rolls back), refuses bad input with a ValidationError whose problems name the
setting at fault, and returns plain data. Labels, option names and values are
only ever bound parameters; keys are checked identifiers that select a row of
field_def, never a column or a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from crmdesk.core.errors import CrmdeskError, NotFoundError, Problem, ValidationError
from crmdesk.core.fields.catalog import (
    all_fields,
    describe_fields,
    describe_sections,
    field_by_id,
    field_by_key,
    fields_by_key,
    invalidate,
    labels_and_keys,
)
from crmdesk.core.fields.info import (
    CHOICE,
    DATE,
    EMAIL,
    FIELD_TYPES,
    LONG_TEXT,
    MONEY,
    MULTI_CHOICE,
    NUMBER,
    NUMERIC,
    PATTERNED,
    PHONE,
    TEXT,
    TEXT_LIKE,
    TYPE_LABELS,
    URL,
    WITH_OPTIONS,
    YES_NO,
    FieldInfo,
    OptionInfo,
    SectionInfo,
    Unconverted,
    check_entity,
)
from crmdesk.core.fields.keys import check_key, derive_key, reserved_keys, slug
from crmdesk.core.fields.query import (
    CustomSort,
    filter_expression,
    order_expression,
    presence_expression,
    sort_ids,
)
from crmdesk.core.fields.retype import (
    RetypeReport,
    preview_retype,
    retype,
    unconverted_values,
)
from crmdesk.core.fields.types import (
    as_text,
    compiled_pattern,
    display_text,
    encode_setting,
    parse_value,
    validate_value,
)
from crmdesk.core.fields.values import (
    default_values,
    get_values,
    owner_column,
    refresh_search,
    set_values,
    write_value,
)
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.search.fulltext import search_texts
from crmdesk.core.storage.field_models import (
    COMPANY,
    CONTACT,
    FieldDef,
    FieldOption,
    FieldSection,
    FieldValue,
)
from crmdesk.core.text.parsing import currencies, default_currency

__all__ = [
    "CHOICE", "COMPANY", "CONTACT", "DATE", "EMAIL", "FIELD_TYPES", "KEEP", "LONG_TEXT",
    "MONEY", "MULTI_CHOICE", "NUMBER", "PHONE", "TEXT", "TEXT_LIKE", "TYPE_LABELS", "URL",
    "YES_NO", "CustomSort", "FieldDef", "FieldInfo", "FieldOption", "FieldSection",
    "FieldValue", "OptionInfo", "RetypeReport", "SectionInfo", "Unconverted", "add_field",
    "add_option", "add_section", "archive_field", "archive_option", "as_text", "count_values",
    "currencies", "default_currency", "default_values", "delete_field", "delete_section",
    "describe_fields", "describe_sections", "display_text", "field_by_id", "field_by_key",
    "fields_by_key", "filter_expression", "get_values", "move_field", "order_expression",
    "owner_column", "parse_value", "presence_expression", "preview_retype", "refresh_search",
    "remove_option", "rename_field", "rename_option", "rename_section", "reorder_fields",
    "reorder_options", "reorder_sections", "reserved_keys", "restore_field", "retype",
    "search_texts", "set_values", "slug", "sort_ids", "unconverted_values", "update_field",
    "validate_value", "write_value",
]

MAX_LABEL = 100
MAX_OPTION = 200
MAX_HELP = 2000
MAX_PATTERN = 500


class _Keep:
    """"Leave this setting as it is" (None is a value: "no limit")."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def _clean_name(text: str, what: str, limit: int, problem_field: str) -> str:
    """Whitespace (line breaks, tabs, control characters) folded to single spaces."""
    cleaned = " ".join("".join(" " if ch.isspace() or ord(ch) < 32 else ch
                               for ch in str(text)).split())
    if not cleaned:
        raise ValidationError([Problem(problem_field, _("{what} cannot be empty.").format(
            what=what))])
    if len(cleaned) > limit:
        raise ValidationError([Problem(problem_field, _(
            "{what} is too long ({n} characters; at most {limit})."
        ).format(what=what, n=len(cleaned), limit=limit))])
    return cleaned


def _check_label(session: Session, entity: str, label: str, exclude: int | None = None) -> str:
    label = _clean_name(label, _("A field's name"), MAX_LABEL, "label")
    folded = label.casefold()
    for fid, other, _key, archived in labels_and_keys(session, entity):
        if fid != exclude and other.casefold() == folded:
            msg = (_("There is already an archived field called {label!r}; restore it, or "
                     "choose another name.") if archived
                   else _("There is already a field called {label!r}.")).format(label=other)
            raise ValidationError([Problem("label", msg)])
    return label


def _settings(session: Session, info: FieldInfo) -> FieldInfo:
    """``info`` with its settings checked and typed; settings the type has no use for dropped."""
    problems: list[Problem] = []
    t = info.type
    if t not in FIELD_TYPES:
        raise ValidationError([Problem("type", _("Unknown field type {type!r}.").format(
            type=t))])
    currency = info.currency.strip().upper() if t == MONEY else ""
    if t == MONEY and not currency:
        currency = default_currency()
    if currency and currency not in currencies():
        problems.append(Problem("currency", _("{code!r} is not a currency code (like EUR, USD, "
                                              "RUB or CNY).").format(code=currency)))
    decimals = info.decimals if t in NUMERIC else None
    if decimals is not None and not 0 <= decimals <= 10:
        problems.append(Problem("decimals", _("Decimals must be between 0 and 10.")))
    pattern = (info.pattern or None) if t in PATTERNED else None
    if pattern is not None and (len(pattern) > MAX_PATTERN or compiled_pattern(pattern) is None):
        problems.append(Problem("pattern", _("The pattern is not a valid regular expression.")))
    max_length = info.max_length if t in PATTERNED else None
    if max_length is not None and max_length < 1:
        problems.append(Problem("max_length", _("The maximum length must be at least 1.")))
    help_text = str(info.help or "").strip()
    if len(help_text) > MAX_HELP:
        problems.append(Problem("help", _("The help text is too long (at most {n} "
                                          "characters).").format(n=MAX_HELP)))
    out = replace(info, currency=currency, decimals=decimals, pattern=pattern,
                  max_length=max_length, help=help_text,
                  calendar_yearly=bool(info.calendar_yearly) and t == DATE)
    limits: dict[str, Any] = {}
    for name in ("min_value", "max_value"):
        raw = getattr(info, name)
        if raw is None or raw == "" or t not in (*NUMERIC, DATE):
            limits[name] = None
            continue
        bare = replace(out, required=False, min_value=None, max_value=None)
        value, probs = parse_value(bare, raw, dayfirst=True)
        if probs:
            problems.append(Problem(name, probs[0].message))
        limits[name] = value
    if limits["min_value"] is not None and limits["max_value"] is not None \
            and limits["min_value"] > limits["max_value"]:
        problems.append(Problem("max_value", _("The maximum is below the minimum.")))
    out = replace(out, **limits)
    if problems:
        raise ValidationError(problems)
    if info.default is not None and info.default != "":
        value, probs = parse_value(replace(out, required=False), info.default, dayfirst=True)
        errors = [p for p in probs if p.severity == "error"]
        if errors:
            raise ValidationError([Problem("default", errors[0].message)])
        out = replace(out, default=tuple(value) if isinstance(value, list) else value)
    else:
        out = replace(out, default=None)
    return out


def _store(f: FieldDef, info: FieldInfo) -> None:
    f.label = info.label
    f.type = info.type
    f.help = info.help
    f.required = info.required
    f.default_value = encode_setting(info, info.default)
    f.min_value = encode_setting(info, info.min_value)
    f.max_value = encode_setting(info, info.max_value)
    f.pattern = info.pattern
    f.max_length = info.max_length
    f.currency = info.currency
    f.decimals = info.decimals
    f.calendar_yearly = info.calendar_yearly


def _get_def(session: Session, field_id: int) -> FieldDef:
    f = session.get(FieldDef, field_id)
    if f is None:
        raise NotFoundError(_("That field no longer exists."))
    return f


def _check_section(session: Session, entity: str, section_id: int | None) -> None:
    if section_id is None:
        return
    s = session.get(FieldSection, section_id)
    if s is None or s.entity != entity:
        raise NotFoundError(_("That section no longer exists."))


# -- fields -------------------------------------------------------------------------------


def add_field(session: Session, entity: str, label: str, type: str, *,  # noqa: A002
              key: str | None = None, section_id: int | None = None, help: str = "",  # noqa: A002
              required: bool = False, default: Any = None, min_value: Any = None,
              max_value: Any = None, pattern: str | None = None, max_length: int | None = None,
              currency: str = "", decimals: int | None = None,
              options: Iterable[str] = (), calendar_yearly: bool = False) -> FieldInfo:
    """Define a new field; its key is ``key`` if given (checked), else derived from the label."""
    check_entity(entity)
    label = _check_label(session, entity, label)
    taken = {key for _id, _label, key, _archived in labels_and_keys(session, entity)}
    if key is None:
        key = derive_key(label, taken)
    else:
        problem = check_key(key, taken)
        if problem is not None:
            raise ValidationError([problem])
    _check_section(session, entity, section_id)
    option_labels = _clean_options(options) if type in WITH_OPTIONS else []
    draft = FieldInfo(id=0, entity=entity, key=key, label=label, type=type, help=help,
                      required=required, min_value=min_value, max_value=max_value,
                      pattern=pattern, max_length=max_length, currency=currency,
                      decimals=decimals, calendar_yearly=calendar_yearly,
                      options=tuple(OptionInfo(-i - 1, o, i) for i, o in enumerate(option_labels)))
    info = _settings(session, replace(draft, default=None))
    position = (session.scalar(select(func.max(FieldDef.position))
                               .where(FieldDef.entity == entity)) or 0) + 1
    row = FieldDef(entity=entity, key=key, section_id=section_id, position=position,
                   archived=False)
    _store(row, info)
    session.add(row)
    session.flush()
    for i, text in enumerate(option_labels):
        session.add(FieldOption(field_id=row.id, label=text, position=i))
    session.flush()
    invalidate(session)
    if default is not None and default != "":
        return update_field(session, row.id, default=default)
    return field_by_id(session, row.id)


def update_field(session: Session, field_id: int, *, label: Any = KEEP, help: Any = KEEP,  # noqa: A002
                 required: Any = KEEP, default: Any = KEEP, min_value: Any = KEEP,
                 max_value: Any = KEEP, pattern: Any = KEEP, max_length: Any = KEEP,
                 currency: Any = KEEP, decimals: Any = KEEP,
                 calendar_yearly: Any = KEEP) -> FieldInfo:
    """Change a field's settings (not its key, not its type: see retype). KEEP leaves one be."""
    info = field_by_id(session, field_id)
    changes = {name: value for name, value in (
        ("help", help), ("required", required), ("default", default),
        ("min_value", min_value), ("max_value", max_value), ("pattern", pattern),
        ("max_length", max_length), ("currency", currency), ("decimals", decimals),
        ("calendar_yearly", calendar_yearly)) if value is not KEEP}
    if label is not KEEP:
        changes["label"] = _check_label(session, info.entity, label, exclude=field_id)
    new = _settings(session, replace(info, **changes))
    _store(_get_def(session, field_id), new)
    session.flush()
    invalidate(session)
    return field_by_id(session, field_id)


def rename_field(session: Session, field_id: int, label: str) -> FieldInfo:
    """A new label; the key stays, so lookups and exports keep working."""
    return update_field(session, field_id, label=label)


def reorder_fields(session: Session, entity: str, ordered_ids: Sequence[int]) -> None:
    """Put fields in this order (within their sections)."""
    check_entity(entity)
    known = {f.id for f in all_fields(session, entity)}
    for pos, fid in enumerate(ordered_ids):
        if fid in known:
            session.execute(update(FieldDef).where(FieldDef.id == fid).values(position=pos))
    invalidate(session)


def move_field(session: Session, field_id: int, section_id: int | None,
               index: int | None = None) -> FieldInfo:
    """Move a field into a section (None: the main part of the form), at ``index`` there."""
    info = field_by_id(session, field_id)
    _check_section(session, info.entity, section_id)
    siblings = [f.id for f in all_fields(session, info.entity)
                if f.section_id == section_id and f.id != field_id]
    siblings.insert(len(siblings) if index is None else max(0, index), field_id)
    session.execute(update(FieldDef).where(FieldDef.id == field_id)
                    .values(section_id=section_id))
    for pos, fid in enumerate(siblings):
        session.execute(update(FieldDef).where(FieldDef.id == fid).values(position=pos))
    invalidate(session)
    return field_by_id(session, field_id)


def archive_field(session: Session, field_id: int, archived: bool = True) -> FieldInfo:
    """Hide a field from forms, lists and new lookups; its values stay and come back with it."""
    _get_def(session, field_id).archived = archived
    session.flush()
    invalidate(session)
    return field_by_id(session, field_id)


def restore_field(session: Session, field_id: int) -> FieldInfo:
    return archive_field(session, field_id, archived=False)


def count_values(session: Session, field_id: int) -> int:
    """How many records have a value in this field (what deleting it would lose)."""
    info = field_by_id(session, field_id)
    owner = owner_column(info.entity)
    return session.scalar(select(func.count(func.distinct(owner)))
                          .where(FieldValue.field_id == field_id)) or 0


def delete_field(session: Session, field_id: int, *, confirmed_count: int) -> int:
    """Delete a field and its values for good, after the user confirmed ``count_values``.

    If the count changed since (values were added meanwhile), nothing is
    deleted and the user is asked again.
    """
    info = field_by_id(session, field_id)
    n = count_values(session, field_id)
    if n != confirmed_count:
        raise CrmdeskError(ngettext(
            "{label!r} now has a value in {n} record; please confirm again.",
            "{label!r} now has values in {n} records; please confirm again.", n,
        ).format(label=info.label, n=n))
    affected = _owners_with_values(session, info) if info.entity == CONTACT and info.text_like \
        else []
    session.execute(delete(FieldValue).where(FieldValue.field_id == field_id))
    session.execute(delete(FieldOption).where(FieldOption.field_id == field_id))
    session.execute(delete(FieldDef).where(FieldDef.id == field_id))
    invalidate(session)
    refresh_search(session, info.entity, affected)
    return n


def _owners_with_values(session: Session, info: FieldInfo,
                        option_id: int | None = None) -> list[int]:
    owner = owner_column(info.entity)
    stmt = select(owner).where(FieldValue.field_id == info.id).distinct()
    if option_id is not None:
        stmt = stmt.where(FieldValue.option_id == option_id)
    return [i for i in session.scalars(stmt) if i is not None]


# -- options ------------------------------------------------------------------------------


def _clean_options(labels: Iterable[str]) -> list[str]:
    out: list[str] = []
    for text in labels:
        label = _clean_name(text, _("An option"), MAX_OPTION, "options")
        if any(o.casefold() == label.casefold() for o in out):
            raise ValidationError([Problem("options", _("The option {label!r} is there twice.")
                                           .format(label=label))])
        out.append(label)
    return out


def _field_of_option(session: Session, option_id: int) -> tuple[FieldOption, FieldInfo]:
    option = session.get(FieldOption, option_id)
    if option is None:
        raise NotFoundError(_("That option no longer exists."))
    return option, field_by_id(session, option.field_id)


def _check_option_label(info: FieldInfo, label: str, exclude: int | None = None) -> str:
    label = _clean_name(label, _("An option"), MAX_OPTION, "options")
    if any(o.id != exclude and o.label.casefold() == label.casefold() for o in info.options):
        raise ValidationError([Problem("options", _(
            "{field} already has the option {label!r}.").format(field=info.label, label=label))])
    return label


def add_option(session: Session, field_id: int, label: str) -> OptionInfo:
    """A new entry at the end of a drop-down or multi-choice list."""
    info = field_by_id(session, field_id)
    if info.type not in WITH_OPTIONS:
        raise CrmdeskError(_("{field} is not a drop-down or multiple-choice field.").format(
            field=info.label))
    label = _check_option_label(info, label)
    position = max((o.position for o in info.options), default=-1) + 1
    option = FieldOption(field_id=field_id, label=label, position=position)
    session.add(option)
    session.flush()
    invalidate(session)
    return OptionInfo(option.id, label, position)


def rename_option(session: Session, option_id: int, label: str) -> int:
    """Rename an option; every record that has it shows the new name. Returns how many."""
    option, info = _field_of_option(session, option_id)
    option.label = _check_option_label(info, label, exclude=option_id)
    session.flush()
    invalidate(session)
    affected = _owners_with_values(session, info, option_id)
    refresh_search(session, info.entity, affected)
    return len(affected)


def archive_option(session: Session, option_id: int, archived: bool = True) -> None:
    """Offer an option no more; the records that have it keep it."""
    option, _info = _field_of_option(session, option_id)
    option.archived = archived
    session.flush()
    invalidate(session)


def reorder_options(session: Session, field_id: int, ordered_ids: Sequence[int]) -> None:
    info = field_by_id(session, field_id)
    known = {o.id for o in info.options}
    for pos, oid in enumerate(ordered_ids):
        if oid in known:
            session.execute(update(FieldOption).where(FieldOption.id == oid)
                            .values(position=pos))
    invalidate(session)


def remove_option(session: Session, option_id: int, *, replace_with: int | None = None) -> int:
    """Delete an option. Records that had it get ``replace_with`` instead, or, without
    one, keep their value as text to fix later (see unconverted_values). Returns how many."""
    option, info = _field_of_option(session, option_id)
    owner = owner_column(info.entity)
    affected = _owners_with_values(session, info, option_id)
    if replace_with is not None:
        if replace_with == option_id or replace_with not in {o.id for o in info.options}:
            raise CrmdeskError(_("Choose another option of the same field to replace it with."))
        for oid in affected:
            current = get_values(session, info.entity, [oid], [info.key])[oid].get(info.key)
            if isinstance(current, list):
                target = info.option_label(replace_with)
                new = [target if x == option.label else x for x in current]
                write_value(session, info, oid, parse_value(info, new, limits=False)[0])
        if info.type == CHOICE:
            session.execute(update(FieldValue).where(FieldValue.option_id == option_id)
                            .values(option_id=replace_with))
    elif info.type == CHOICE:
        session.execute(update(FieldValue).where(FieldValue.option_id == option_id)
                        .values(option_id=None, raw=option.label))
    else:
        for oid in affected:
            current = get_values(session, info.entity, [oid], [info.key])[oid].get(info.key)
            session.execute(delete(FieldValue).where(owner == oid,
                                                     FieldValue.field_id == info.id))
            session.execute(insert(FieldValue), [{
                "field_id": info.id, owner.key: oid, "seq": 0,
                "raw": as_text(info, current)}])
    session.execute(delete(FieldOption).where(FieldOption.id == option_id))
    invalidate(session)
    refresh_search(session, info.entity, affected)
    return len(affected)


# -- sections -----------------------------------------------------------------------------


def add_section(session: Session, entity: str, name: str) -> SectionInfo:
    """A new tab (or group box) of the form, after the others."""
    check_entity(entity)
    name = _check_section_name(session, entity, name)
    position = (session.scalar(select(func.max(FieldSection.position))
                               .where(FieldSection.entity == entity)) or 0) + 1
    section = FieldSection(entity=entity, name=name, position=position)
    session.add(section)
    session.flush()
    invalidate(session)
    return SectionInfo(section.id, entity, name, position)


def _check_section_name(session: Session, entity: str, name: str,
                        exclude: int | None = None) -> str:
    name = _clean_name(name, _("A section's name"), MAX_LABEL, "section")
    for s in describe_sections(session, entity):
        if s.id != exclude and s.name.casefold() == name.casefold():
            raise ValidationError([Problem("section", _(
                "There is already a section called {name!r}.").format(name=s.name))])
    return name


def rename_section(session: Session, section_id: int, name: str) -> SectionInfo:
    section = session.get(FieldSection, section_id)
    if section is None:
        raise NotFoundError(_("That section no longer exists."))
    section.name = _check_section_name(session, section.entity, name, exclude=section_id)
    session.flush()
    invalidate(session)
    return SectionInfo(section.id, section.entity, section.name, section.position)


def reorder_sections(session: Session, entity: str, ordered_ids: Sequence[int]) -> None:
    for pos, sid in enumerate(ordered_ids):
        session.execute(update(FieldSection).where(FieldSection.id == sid,
                                                   FieldSection.entity == entity)
                        .values(position=pos))
    invalidate(session)


def delete_section(session: Session, section_id: int) -> int:
    """Remove a section; its fields move to the main part of the form. Returns how many."""
    section = session.get(FieldSection, section_id)
    if section is None:
        raise NotFoundError(_("That section no longer exists."))
    moved = session.execute(update(FieldDef).where(FieldDef.section_id == section_id)
                            .values(section_id=None))
    session.delete(section)
    session.flush()
    invalidate(session)
    return int(getattr(moved, "rowcount", 0) or 0)
