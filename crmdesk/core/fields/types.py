"""What each custom-field type accepts, and how its values are stored and shown.

Every path a value takes (a form, an import, a change of type, a lookup)
goes through ``parse_value``: it reads what a person typed ("1 234,50 EUR",
"31.12.2026", "taip") or a value already typed by code (Decimal, date, bool),
checks the field's rules, and returns the value in its one Python form:

    text, long text, phone, e-mail, URL, drop-down -> str
    number, money                                  -> Decimal (exact)
    date                                           -> datetime.date
    yes/no                                         -> bool
    multi-choice                                   -> list[str] (option labels)

Problems name the field by its key and say in plain words what is wrong;
warnings (a phone number of an odd length) keep the value as typed. The
readings of numbers, dates and yes/no themselves are in fields_parse.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import numbers as babel_numbers

from crmdesk.core.errors import WARNING, Problem
from crmdesk.core.fields.info import (
    CHOICE,
    DATE,
    EMAIL,
    LONG_TEXT,
    MONEY,
    MULTI_CHOICE,
    NUMBER,
    NUMERIC,
    PHONE,
    TEXT,
    URL,
    YES_NO,
    FieldInfo,
    Unconverted,
)
from crmdesk.core.i18n import _
from crmdesk.core.text.folding import digits, fold
from crmdesk.core.text.parsing import (
    format_day,
    format_number,
    parse_bool,
    parse_date,
    parse_number,
    read_date,
    read_money,
    read_number,
)
from crmdesk.core.text.validation import MAX_LONG, MAX_SHORT, normalize_email, normalize_phone

MAX_DECIMALS = 10
MAX_MAGNITUDE = Decimal(10) ** 15  # a million billion: beyond any small-business figure
MAX_EMAIL = 320
MAX_URL = 2000
MAX_PHONE = 100



def plain_decimal(value: Decimal) -> str:
    """"1234.50", never "1.2345E+3": how numbers are kept and exported."""
    text = format(value, "f")
    return "0" if text in ("-0", "+0") else text


def _decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def default_decimals(field: FieldInfo) -> int | None:
    if field.decimals is not None:
        return field.decimals
    if field.type == MONEY and field.currency:
        return int(babel_numbers.get_currency_precision(field.currency))
    return None


# -- one value of one field ---------------------------------------------------------


def _problem(field: FieldInfo, message: str, severity: str = "error") -> Problem:
    return Problem(field.key, message, severity=severity)


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return all(is_empty(v) for v in value)
    return False


def _match_option(field: FieldInfo, label: str) -> str | None:
    key = fold(label)
    for o in field.options:
        if fold(o.label) == key:
            return o.label
    return None


def _split_choices(field: FieldInfo, value: Any) -> list[str]:
    """The chosen labels in a value: a list, or text like "Golf, Tennis; Chess".

    Text is split at commas, semicolons and line breaks, but pieces that make
    up an option's own label ("Sales, North") are joined back first.
    """
    if not isinstance(value, str):
        if isinstance(value, Iterable):
            return [str(v).strip() for v in value if str(v).strip()]
        return [str(value).strip()]
    parts = [p.strip() for p in re.split(r"[;,\n]", value)]
    labels = {fold(o.label) for o in field.options}
    out: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            joined = ", ".join(parts[i:j])
            if j == i + 1 or fold(joined) in labels:
                if joined:
                    out.append(joined)
                i = j
                break
    return out


def _parse_numeric(field: FieldInfo, value: Any) -> tuple[Decimal | None, list[Problem]]:
    if isinstance(value, bool):
        return None, [_problem(field, _("{label}: yes/no is not a number.").format(
            label=field.label))]
    understood: list[Problem] = []  # a number that could be read two ways, as read
    if isinstance(value, Decimal | int):
        number: Decimal | None = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value)
        if field.type == MONEY:
            reading, meant = read_money(text)
            if (reading.value is not None and meant and field.currency
                    and field.currency not in meant):
                return None, [_problem(field, _(
                    "{label} is kept in {currency}; {value!r} is in another currency."
                ).format(label=field.label, currency=field.currency, value=text))]
        else:
            reading = read_number(text)
        number = reading.value
        if number is None and reading.ambiguous:
            first, second = (format_number(r) for r in reading.readings[:2])
            return None, [_problem(field, _(
                "{label}: {value!r} could be {first} or {second}; type it as one of them."
            ).format(label=field.label, value=text, first=first, second=second))]
        if number is None:
            return None, [_problem(field, _(
                "{label}: {value!r} is not a number (write it like 1234.50 or 1 234,50)."
            ).format(label=field.label, value=text))]
        if reading.ambiguous:
            understood = [_problem(field, _(
                "{label}: {value!r} was read as {number} (not {other})."
            ).format(label=field.label, value=text, number=format_number(number),
                     other=format_number(reading.readings[1])), WARNING)]
    if number is None or not number.is_finite() or abs(number) >= MAX_MAGNITUDE:
        return None, [_problem(field, _("{label}: the number is too large.").format(
            label=field.label))]
    places = default_decimals(field)
    limit = MAX_DECIMALS if places is None else places
    if _decimal_places(number) > limit:
        normalized = number.normalize()
        if _decimal_places(normalized) > limit:
            if limit == 0:
                msg = _("{label} takes whole numbers only.").format(label=field.label)
            else:
                msg = _("{label}: at most {n} digits after the decimal point.").format(
                    label=field.label, n=limit)
            return None, [_problem(field, msg)]
        number = normalized
    return number, understood


def _parse_text(field: FieldInfo, value: Any, region: str) -> tuple[str | None, list[Problem]]:
    text = str(value)
    if field.type != LONG_TEXT:
        # One line: line breaks from a paste or an import become spaces.
        text = re.sub(r"\s*[\r\n]+\s*", " ", text)
    text = text.strip() if field.type != LONG_TEXT else text.strip("\r\n")
    limit = {TEXT: MAX_SHORT, LONG_TEXT: MAX_LONG, EMAIL: MAX_EMAIL, URL: MAX_URL,
             PHONE: MAX_PHONE}[field.type]
    if field.max_length is not None:
        limit = min(limit, field.max_length)
    if len(text) > limit:
        return None, [_problem(field, _(
            "{label} is too long ({n} characters; at most {limit})."
        ).format(label=field.label, n=len(text), limit=limit))]
    problems: list[Problem] = []
    if field.type == EMAIL:
        _norm, p = normalize_email(text)
        if p is not None:
            return None, [replace(p, field=field.key)]
    elif field.type == PHONE:
        _e164, p = normalize_phone(text, region)
        if p is not None:
            if p.severity == "error":
                return None, [replace(p, field=field.key)]
            problems.append(replace(p, field=field.key))
    elif field.type == URL:
        if any(ch.isspace() for ch in text):
            return None, [_problem(field, _("A web address cannot contain spaces."))]
        if "." not in text and "://" not in text and not text.startswith("localhost"):
            return None, [_problem(field, _("{value!r} does not look like a web address.")
                                   .format(value=text))]
    return text, problems


def parse_value(field: FieldInfo, value: Any, *, region: str = "",
                dayfirst: bool | None = None, limits: bool = True) -> tuple[Any, list[Problem]]:
    """(the value in its Python form or None for "empty", problems).

    ``limits`` False skips required/min/max/pattern (a change of type converts
    what it can and leaves the rules for the next edit). An Unconverted value
    comes back unchanged: saving a form that still shows it keeps it.
    """
    if isinstance(value, Unconverted):
        return value, []
    if is_empty(value):
        if limits and field.required:
            return None, [_problem(field, _("{label} is required.").format(label=field.label))]
        return None, []
    problems: list[Problem] = []
    result: Any
    if field.type in NUMERIC:
        result, problems = _parse_numeric(field, value)
    elif field.type == DATE:
        if isinstance(value, datetime):
            result = value.date()
        elif isinstance(value, date):
            result = value
        else:
            reading = read_date(str(value), dayfirst=dayfirst)
            result = reading.value
            if result is None:
                problems = [_problem(field, _(
                    "{label}: {value!r} is not a date (write it like 2026-03-31)."
                ).format(label=field.label, value=str(value)))]
            elif reading.other is not None:
                problems = [_problem(field, _(
                    "{label}: {value!r} was read as {date} (not {other})."
                ).format(label=field.label, value=str(value), date=format_day(result),
                         other=format_day(reading.other)), WARNING)]
    elif field.type == YES_NO:
        result = value if isinstance(value, bool) else parse_bool(str(value))
        if result is None:
            problems = [_problem(field, _("{label}: {value!r} is neither yes nor no.").format(
                label=field.label, value=str(value)))]
    elif field.type == CHOICE:
        parts = [value.strip()] if isinstance(value, str) else _split_choices(field, value)
        if len(parts) != 1:
            return None, [_problem(field, _("{label} holds one choice only.").format(
                label=field.label))]
        result = _match_option(field, parts[0])
        if result is None:
            problems = [_unknown_option(field, parts[0])]
    elif field.type == MULTI_CHOICE:
        chosen: list[str] = []
        for part in _split_choices(field, value):
            label = _match_option(field, part)
            if label is None:
                return None, [_unknown_option(field, part)]
            if label not in chosen:
                chosen.append(label)
        order = {o.label: o.position for o in field.options}
        result = sorted(chosen, key=lambda x: order.get(x, 0))
    else:
        result, problems = _parse_text(field, value, region)
    if result is None or not limits:
        return result, problems
    return result, problems + _check_limits(field, result)


def _unknown_option(field: FieldInfo, text: str) -> Problem:
    names = ", ".join(o.label for o in field.active_options[:12])
    return _problem(field, _("{label}: {value!r} is not one of the choices ({names}).").format(
        label=field.label, value=text, names=names or _("none yet")))


@lru_cache(maxsize=256)
def compiled_pattern(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _check_limits(field: FieldInfo, value: Any) -> list[Problem]:
    low: Any = field.min_value
    high: Any = field.max_value
    if low is not None and type(value) is type(low) and value < low:
        return [_problem(field, _("{label} must be at least {limit}.").format(
            label=field.label, limit=as_text(field, field.min_value)))]
    if high is not None and type(value) is type(high) and value > high:
        return [_problem(field, _("{label} must be at most {limit}.").format(
            label=field.label, limit=as_text(field, field.max_value)))]
    if field.pattern and isinstance(value, str):
        compiled = compiled_pattern(field.pattern)
        if compiled is not None and not compiled.fullmatch(value):
            hint = f" {field.help}" if field.help else ""
            return [_problem(field, _("{label}: {value!r} does not have the expected form.")
                             .format(label=field.label, value=value) + hint)]
    return []


def validate_value(field: FieldInfo, value: Any, *, region: str = "") -> Problem | None:
    """The first problem with ``value`` for ``field`` (an error before a warning), or None."""
    _result, problems = parse_value(field, value, region=region)
    problems.sort(key=lambda p: p.severity != "error")
    return problems[0] if problems else None


# -- storage ---------------------------------------------------------------------------


_EMPTY_ROW: dict[str, Any] = {"seq": 0, "value_text": None, "value_key": None,
                              "value_num": None, "value_date": None, "value_bool": None,
                              "option_id": None, "raw": None}


def to_rows(field: FieldInfo, value: Any) -> list[dict[str, Any]]:
    """The field_value columns for a parsed value (no owner or field id yet).

    Every row has every column, so that the rows of a whole patch (or of a
    change of type) go to the database as one executemany, not one per shape.
    """
    if value is None:
        return []
    rows: list[dict[str, Any]]
    if isinstance(value, Unconverted):
        rows = [{"raw": value.raw}]
    elif field.type in NUMERIC:
        rows = [{"value_text": plain_decimal(value), "value_num": float(value)}]
    elif field.type == DATE:
        rows = [{"value_date": value}]
    elif field.type == YES_NO:
        rows = [{"value_bool": bool(value)}]
    elif field.type in (CHOICE, MULTI_CHOICE):
        ids = {o.label: o.id for o in field.options}
        labels = [value] if field.type == CHOICE else list(value)
        rows = [{"seq": i, "option_id": ids[label]} for i, label in enumerate(labels)]
    else:
        key = digits(value) if field.type == PHONE else fold(value)
        rows = [{"value_text": value, "value_key": key}]
    return [{**_EMPTY_ROW, **row} for row in rows]


def from_rows(field: FieldInfo, rows: list[tuple[Any, ...]]) -> Any:
    """The value from its rows: (seq, value_text, value_num, value_date, value_bool,
    option_id, raw), or None when there is nothing."""
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: r[0])
    first = rows[0]
    if first[6] is not None:
        return Unconverted(first[6])
    if field.type in NUMERIC:
        if first[1] is not None:
            return Decimal(first[1])
        return None if first[2] is None else Decimal(repr(first[2]))
    if field.type == DATE:
        return first[3]
    if field.type == YES_NO:
        return None if first[4] is None else bool(first[4])
    if field.type == CHOICE:
        return field.option_label(first[5])
    if field.type == MULTI_CHOICE:
        labels = [field.option_label(r[5]) for r in rows]
        order = {o.label: o.position for o in field.options}
        return sorted((x for x in labels if x is not None), key=lambda x: order.get(x, 0))
    return first[1]


# -- text forms --------------------------------------------------------------------------


def as_text(field: FieldInfo, value: Any) -> str:
    """The value as plain, locale-free text: what exports write and a change of type reads."""
    if value is None:
        return ""
    if isinstance(value, Unconverted):
        return value.raw
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def display_text(field: FieldInfo, value: Any, locale: str | None = None) -> str:
    """The value as a person reads it, in ``locale`` (babel): lists, labels, reports."""
    if value is None:
        return ""
    if isinstance(value, Unconverted):
        return value.raw
    loc = locale or "en"
    try:
        if field.type == MONEY and isinstance(value, Decimal):
            return str(babel_numbers.format_currency(value, field.currency or "XXX",
                                                     locale=loc))
        if field.type == NUMBER and isinstance(value, Decimal):
            return str(babel_numbers.format_decimal(value, locale=loc,
                                                    decimal_quantization=False))
        if field.type == DATE and isinstance(value, date):
            from babel.dates import format_date

            return str(format_date(value, "medium", locale=loc))
    except (ValueError, LookupError):
        pass
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return as_text(field, value)


def encode_setting(field: FieldInfo, value: Any) -> str | None:
    """A default or a limit as stored in field_def (canonical text), or None."""
    return None if value is None else as_text(field, value)


def decode_setting(info: FieldInfo, default: str | None, low: str | None,
                   high: str | None) -> FieldInfo:
    """The FieldInfo with its stored default and limits read back with its type."""
    def typed(text: str | None) -> Any:
        if text is None or text == "":
            return None
        if info.type in NUMERIC:
            return parse_number(text)
        if info.type == DATE:
            return parse_date(text, dayfirst=True)
        return None

    default_value: Any = None
    if default not in (None, ""):
        base = replace(info, required=False, min_value=None, max_value=None, pattern=None)
        parsed, problems = parse_value(base, default, dayfirst=True, limits=False)
        default_value = None if problems else parsed
        if isinstance(default_value, list):  # FieldInfo stays hashable
            default_value = tuple(default_value)
    return replace(info, default=default_value, min_value=typed(low), max_value=typed(high))

