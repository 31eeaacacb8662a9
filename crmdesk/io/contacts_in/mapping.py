"""Which column of a table goes to which field, and the rows made into contacts.

Every address-book program names its columns its own way (Google's "Phone 1 -
Value", Outlook's "Mobile Phone" or, in Russian, "Мобильный телефон",
Thunderbird's "Mobile Number", 1C's "ФИО"), so a column's header is looked up
in what those programs write, and the user can send any column to any field
or custom field. A mapping is a small value (column -> Target) with two choices
the data alone cannot settle but can propose: the order of the parts of a
whole name, and whether 03/04/1980 is the 3rd of April or the 4th of March.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from crmdesk.core.contacts.bulk_rows import NewContact, few_collections
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    DateData,
    EmailData,
    LinkData,
    PhoneData,
)
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _
from crmdesk.core.text.folding import fold
from crmdesk.core.text.parsing import parse_date, system_dayfirst
from crmdesk.io.contacts_in.headers import ENGLISH, OTHER_LANGUAGES
from crmdesk.io.contacts_in.values import (
    FAMILY_FIRST,
    FAMILY_GIVEN_PATRONYMIC,
    GIVEN_FIRST,
    NAME_ORDERS,
    ReadProblem,
    country_code,
    day_problem,
    name_order_of,
    split_full_name,
    vcard_date,
)

# Fields a column can go to. Phones, e-mails, links and address parts take a label
# ("phone:mobile"); "#N" joins the columns of one entry ("phone_type#1" + "phone#1").
NAME_FIELDS = ("prefix", "given_name", "middle_name", "family_name", "suffix", "nickname")
TEXT_FIELDS = (*NAME_FIELDS, "company", "job_title", "department", "status", "source")
ADDRESS_PARTS = ("street", "city", "region", "postcode", "country")
LISTED = ("phone", "email", "url")
TYPES = ("phone_type", "email_type", "url_type", "address_type")
DATES = ("birthday", "anniversary")
OTHER = ("full_name", "notes", "tags", "birth_year", "birth_month", "birth_day")
BUILT_IN = (*TEXT_FIELDS, *ADDRESS_PARTS, "address", *LISTED, *TYPES, *DATES, *OTHER)
CUSTOM = "custom"
IGNORE = "ignore"

_MULTI = re.compile(r"\s*:::\s*")  # Google's several values in one cell
_FREEZE_EVERY = 10_000


class MappingError(CrmdeskError):
    """A --map the user typed names no column or no field."""


@dataclass(frozen=True)
class Target:
    """Where a column goes: a built-in field (with a label for phones, e-mails, links
    and addresses), or a custom field by its key (field "custom", label the key)."""

    field: str
    label: str = ""
    slot: str = ""

    def text(self) -> str:
        slot = f"#{self.slot}" if self.slot else ""
        return f"{self.field}{slot}:{self.label}" if self.label else f"{self.field}{slot}"


def parse_target(text: str) -> Target | None:
    """A target as typed: "email", "phone:mobile", "street:home", "phone#2",
    "custom:fleet_size" or just a custom field's key; "ignore" (or "-") for none."""
    value = text.strip()
    if value in ("", "-", IGNORE):
        return None
    head, _sep, label = value.partition(":")
    name, _hash, slot = head.partition("#")
    name = name.strip().lower().replace("-", "_").replace(" ", "_")
    if name == CUSTOM:
        if not label.strip():
            raise MappingError(_("'custom:' needs a field key after it, like custom:fleet_size."))
        return Target(CUSTOM, label.strip())
    if name in BUILT_IN:
        return Target(name, label.strip().lower(), slot.strip())
    if label or slot or not re.fullmatch(r"[\w.]+", value):
        raise MappingError(_("Unknown field {field!r}. Fields: {fields}; or a custom field's "
                             "key.").format(field=value, fields=", ".join(BUILT_IN)))
    return Target(CUSTOM, value)


@dataclass
class Mapping:
    """Column index -> Target, the order of a whole name's parts, and whether a
    date's day comes first (None: the computer's language decides)."""

    columns: dict[int, Target] = field(default_factory=dict)
    name_order: str = GIVEN_FIRST
    dayfirst: bool | None = None

    def describe(self, header: Sequence[str]) -> list[tuple[str, str]]:
        """(column, target text) for every mapped column, in the file's order."""
        return [(header[i], self.columns[i].text()) for i in sorted(self.columns)
                if i < len(header)]


# -- suggestions ---------------------------------------------------------------------------


def _key(header: str) -> str:
    """A header compared without case, accents or punctuation: "E-mail 2 Address" is
    "e mail 2 address" (the spaces stay: "Birth Day" is not "Birthday")."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(header)).split())


def _table(pairs: str) -> dict[str, str]:
    """"header=target" lines as {folded header: target}."""
    out: dict[str, str] = {}
    for line in pairs.strip().splitlines():
        head, _sep, target = line.rpartition("=")
        if head.strip():
            out[_key(head)] = target.strip()
    return out


_KNOWN = {**_table(ENGLISH), **_table(OTHER_LANGUAGES)}

# Google Contacts: "E-mail 1 - Value", "Phone 2 - Type", "Address 1 - City" ...
_GOOGLE = re.compile(r"(e-?mail|phone|address|website|organization|event|relation)\s*"
                     r"(\d+)\s*-\s*(.+)", re.IGNORECASE)
_GOOGLE_PARTS = {"street": "street", "city": "city", "region": "region",
                 "postal code": "postcode", "country": "country", "po box": "street",
                 "extended address": "street", "formatted": "address"}
# "Email Home", "Website Blog", "Home Mobile", "Assistant's Phone".
_WORD_LABEL = re.compile(r"(e-?mail|phone|website|web page|url)\s+(?!\d)([\w ]+)",
                         re.IGNORECASE)
_LABEL_WORD = re.compile(r"([\w' ]+?)(?:'s)?\s+(e-?mail|phone|mobile|fax|web page|website)",
                         re.IGNORECASE)
_KINDS = {"email": "email", "e-mail": "email", "phone": "phone", "website": "url",
          "web page": "url", "url": "url", "mobile": "phone", "fax": "phone"}
# Apple exporters and crmdesk: "Phone (Mobile)", "Email : Work", "phone:mobile".
_LABELLED = re.compile(r"(phone|tel|e-?mail|url|address|street|city|region|postcode|country)"
                       r"\s*[(:]\s*([\w ]+?)\s*\)?", re.IGNORECASE)


def _google(header: str) -> Target | None:
    m = _GOOGLE.fullmatch(header.strip())
    if not m:
        return None
    kind, slot, part = m.group(1).lower().replace("-", ""), m.group(2), _key(m.group(3))
    if kind == "organization":
        target = {"name": "company", "title": "job_title", "department": "department"}.get(part)
        return Target(target) if target and slot == "1" else None
    if kind == "event":
        return None
    if kind == "relation":
        return None
    base = {"email": "email", "phone": "phone", "website": "url", "address": "address"}[kind]
    if part in ("type", "label"):
        return Target(f"{base}_type", slot=slot)
    if part == "value":
        return Target(base, slot=slot)
    if base == "address" and part in _GOOGLE_PARTS:
        return Target(_GOOGLE_PARTS[part], slot=slot)
    return None


def suggest_target(header: str) -> Target | None:
    """The field a column with this header most likely holds, or None."""
    google = _google(header)
    if google is not None:
        return google
    known = _KNOWN.get(_key(header))
    if known:
        return parse_target(known)  # None for a column known to hold nothing to keep
    m = _LABELLED.fullmatch(header.strip())
    if m:
        kind = m.group(1).lower().replace("-", "")
        kind = {"tel": "phone", "email": "email"}.get(kind, kind)
        label = m.group(2).lower()
        return Target(kind, {"cell": "mobile", "iphone": "mobile"}.get(label, label))
    m = _WORD_LABEL.fullmatch(header.strip()) or _LABEL_WORD.fullmatch(header.strip())
    if m:
        first, second = m.group(1).lower(), m.group(2).lower()
        kind, label = (first, second) if first in _KINDS else (second, first)
        if kind in ("mobile", "fax"):
            label = f"{label} {kind}" if label not in ("primary", "main") else kind
        label = label.removesuffix("'s").replace("home page", "homepage")
        return Target(_KINDS[kind], "" if label in ("primary", "main") else label)
    try:
        return parse_target(header) if header.strip().lower() in BUILT_IN else None
    except MappingError:
        return None


_PATRONYMIC = re.compile(r"(вич|вна|чна|ична|оглы|кызы|vich|vna)$", re.IGNORECASE)


def propose_name_order(values: Sequence[str], header: str = "") -> str:
    """The order of a whole name's parts, proposed from the column: family, given,
    patronymic when the last of three words is a patronymic ("Иванов Иван Иванович",
    or the column is 1C's "ФИО"), given first otherwise."""
    if _key(header) == _key("ФИО"):
        return FAMILY_GIVEN_PATRONYMIC
    last = middle = 0
    for value in values[:200]:
        words = value.split()
        if len(words) == 3:
            last += bool(_PATRONYMIC.search(words[2]))
            middle += bool(_PATRONYMIC.search(words[1]))
    return FAMILY_GIVEN_PATRONYMIC if last > middle else GIVEN_FIRST


_NUMERIC_DATE = re.compile(r"\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\s*")


def propose_dayfirst(values: Sequence[str]) -> bool | None:
    """Whether the dates of a column write the day first: True if one has a first
    number over 12, False if one has a second number over 12, None if none says."""
    votes = {True: 0, False: 0}
    for value in values:
        m = _NUMERIC_DATE.fullmatch(value)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > 12 >= b:
                votes[True] += 1
            elif b > 12 >= a:
                votes[False] += 1
    if votes[True] == votes[False]:
        return None
    return votes[True] > votes[False]


def suggest_mapping(header: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> Mapping:
    """A mapping proposed from the headers (and, for name order and dates, the rows)."""
    mapping = Mapping()
    for i, head in enumerate(header):
        target = suggest_target(head)
        if target is not None:
            mapping.columns[i] = target
    _propose(mapping, header, rows)
    return mapping


def _propose(mapping: Mapping, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    sample = rows[:500]
    names = [i for i, t in mapping.columns.items() if t.field == "full_name"]
    if names:
        i = names[0]
        mapping.name_order = propose_name_order(
            [r[i] for r in sample if i < len(r)], header[i] if i < len(header) else "")
    dates = [i for i, t in mapping.columns.items() if t.field in DATES]
    mapping.dayfirst = propose_dayfirst([r[i] for r in sample for i in dates if i < len(r)])


def apply_overrides(mapping: Mapping, header: Sequence[str], pairs: Sequence[str],
                    rows: Sequence[Sequence[str]] = ()) -> Mapping:
    """``mapping`` with the user's "COLUMN=FIELD" choices on top. A column is named by
    its header (any case) or its number from 1; an unknown one raises MappingError."""
    folded = [fold(h) for h in header]
    for pair in pairs:
        column, sep, target_text = pair.rpartition("=")
        if not sep or not column.strip():
            raise MappingError(_("--map takes COLUMN=FIELD, like \"Mobile=phone:mobile\"; "
                                 "got {pair!r}.").format(pair=pair))
        name = column.strip()
        if fold(name) in folded:
            index = folded.index(fold(name))
        elif name.isdigit() and 1 <= int(name) <= len(header):
            index = int(name) - 1
        else:
            raise MappingError(_("There is no column {column!r}. The columns are: "
                                 "{columns}.").format(column=name, columns=", ".join(header)))
        target = parse_target(target_text)
        if target is None:
            mapping.columns.pop(index, None)
        else:
            mapping.columns[index] = target
    _propose(mapping, header, rows)
    return mapping


# -- rows to contacts ----------------------------------------------------------------------


@dataclass
class MappedRows:
    """The contacts made from a table's rows, each with its row number, and what
    could not be taken as it was."""

    records: list[NewContact] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)


def _values(cell: str, target: Target) -> list[str]:
    if target.field in LISTED and ":::" in cell:
        return [v for v in _MULTI.split(cell) if v.strip()]
    return [cell]


def _tags(cell: str) -> list[str]:
    out = []
    for part in re.split(r"\s*(?::::|;|,)\s*", cell):
        tag = part.strip().removeprefix("* ").strip()
        if tag and tag.casefold() not in ("my contacts", "mycontacts") and tag not in out:
            out.append(tag)
    return out


def _date(cell: str, dayfirst: bool | None) -> tuple[int | None, int, int] | None:
    found = vcard_date(cell)
    if found:
        return found
    day = parse_date(cell, dayfirst=system_dayfirst() if dayfirst is None else dayfirst)
    if day is not None:
        return day.year, day.month, day.day
    m = re.fullmatch(r"\s*(\d{1,2})[./-](\d{1,2})\.?\s*", cell)  # a birthday without a year
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        first = system_dayfirst() if dayfirst is None else dayfirst
        month, day_ = (b, a) if first else (a, b)
        if 1 <= month <= 12 and 1 <= day_ <= 31:
            return None, month, day_
    return None


_TEXT_FIELDS = frozenset(TEXT_FIELDS)
_LISTED = frozenset(LISTED)
_TYPES = frozenset(TYPES)
_ADDRESS = frozenset((*ADDRESS_PARTS, "address"))


class _Row:
    """One row on its way to a contact: entries of phones, e-mails, links and addresses
    gathered by (kind, slot or label), so that "Home City" joins "Home Street"."""

    def __init__(self, mapping: Mapping, number: int, problems: list[ReadProblem]) -> None:
        self.mapping = mapping
        self.number = number
        self.problems = problems
        self.data = ContactData()
        self.values: dict[str, str] = {}
        self.notes: list[str] = []
        self.kept: list[str] = []  # values that fit no field, kept after the notes
        self.entries: dict[tuple[str, str], dict[str, list[str]]] = {}
        self.birth: dict[str, str] = {}
        self.full_name = ""

    def entry(self, kind: str, target: Target) -> dict[str, list[str]]:
        key = (kind, target.slot or target.label)
        slot = self.entries.setdefault(key, {})
        if target.label:
            slot.setdefault("label", [target.label])
        return slot

    def take(self, header: str, target: Target, cell: str) -> None:
        f = target.field
        if f in _TEXT_FIELDS:
            old = getattr(self.data, f)
            setattr(self.data, f, f"{old} {cell}" if old else cell)
        elif f == "full_name":
            if not self.full_name:
                self.full_name = cell
        elif f == "notes":
            self.notes.append(cell)
        elif f == "tags":
            self.data.tags.extend(t for t in _tags(cell) if t not in self.data.tags)
        elif f in _LISTED:
            for value in _values(cell, target):
                # Each value its own entry, unless a slot joins it to its type column.
                entry = self.entries.setdefault((f, target.slot or f"{header}|{value}"), {})
                if target.label:
                    entry.setdefault("label", [target.label])
                entry.setdefault("value", []).append(value.strip())
        elif f in _TYPES:
            kind = f.removesuffix("_type")
            self.entries.setdefault((kind if kind != "address" else "address", target.slot),
                                    {})["label"] = [cell.removeprefix("* ").strip().lower()]
        elif f in _ADDRESS:
            part = "whole" if f == "address" else f
            self.entry("address", target).setdefault(part, []).append(cell)
        elif f in DATES:
            self.date(f, cell)
        elif f in ("birth_year", "birth_month", "birth_day"):
            self.birth[f] = cell
        elif f == CUSTOM:
            self.values[target.label] = cell

    def date(self, f: str, cell: str) -> None:
        found = _date(cell, self.mapping.dayfirst)
        if found is None:
            self.problems.append(ReadProblem(self.number, _(
                "The {field} {text!r} is not a date; it was kept in the notes.").format(
                    field=_("birthday") if f == "birthday" else _("anniversary"), text=cell)))
            self.kept.append(_("Birthday: {text}").format(text=cell) if f == "birthday"
                             else _("Anniversary: {text}").format(text=cell))
            return
        refused = day_problem(_("The birthday") if f == "birthday" else f, found)
        if refused:
            self.problems.append(ReadProblem(self.number, refused))
            self.kept.append(_("Birthday: {text}").format(text=cell) if f == "birthday"
                             else _("Anniversary: {text}").format(text=cell))
            return
        year, month, day = found
        if f == "birthday":
            self.data.birthday_year, self.data.birthday_month, self.data.birthday_day = found
        else:
            self.data.dates.append(DateData("anniversary", month, day, year))

    def finish(self) -> NewContact | None:
        data = self.data
        if self.birth:
            self.birth_parts()
        if self.full_name and not (data.given_name or data.family_name):
            data.given_name, data.middle_name, data.family_name = split_full_name(
                self.full_name, self.mapping.name_order)
            if self.mapping.name_order == FAMILY_FIRST:
                data.name_order = FAMILY_FIRST
        for (kind, _slot), entry in self.entries.items():
            label = (entry.get("label") or [""])[0]
            if kind == "phone":
                data.phones.extend(PhoneData(v, label) for v in entry.get("value", []))
            elif kind == "email":
                data.emails.extend(EmailData(v, label) for v in entry.get("value", []))
            elif kind == "url":
                data.links.extend(LinkData(v, label) for v in entry.get("value", []))
            elif kind == "address":
                self.address(entry, label)
        if data.name_order != FAMILY_FIRST:
            data.name_order = name_order_of(data)
        data.notes = "\n\n".join(self.notes + self.kept)
        # (data.name() is empty exactly when every part of the name is blank)
        if not (data.company or any(part.strip() for part in (
                data.given_name, data.family_name, data.middle_name, data.prefix,
                data.suffix, data.nickname))):
            fallback = next((x.address for x in data.emails), "") or \
                next((x.number for x in data.phones), "")
            if not fallback:
                if any((data.notes, data.addresses, self.values)):
                    self.problems.append(ReadProblem(self.number, _(
                        "The row has no name, company, e-mail or phone; it was skipped.")))
                return None
            data.nickname = fallback
        return NewContact(data, self.values)

    def birth_parts(self) -> None:
        """Thunderbird's birthday in three columns (the year may be empty)."""
        text = {k: self.birth.get(k, "").strip() for k in ("birth_year", "birth_month",
                                                            "birth_day")}
        try:
            year = int(text["birth_year"]) if text["birth_year"] else None
            month, day = int(text["birth_month"]), int(text["birth_day"])
        except ValueError:
            self.problems.append(ReadProblem(self.number, _(
                "The birthday {text!r} is not a date; it was kept in the notes.").format(
                    text="-".join(v for v in text.values() if v))))
            self.kept.append(_("Birthday: {text}").format(
                text="-".join(v for v in text.values() if v)))
            return
        refused = day_problem(_("The birthday"), (year, month, day))
        if refused:
            self.problems.append(ReadProblem(self.number, refused))
            self.kept.append(_("Birthday: {text}").format(
                text="-".join(v for v in text.values() if v)))
            return
        self.data.birthday_year, self.data.birthday_month, self.data.birthday_day = \
            year, month, day

    def address(self, entry: dict[str, list[str]], label: str) -> None:
        parts = {p: "\n".join(values) if len(values) > 1 else values[0]
                 for p, values in entry.items() if p != "label" and values}
        for p in (*ADDRESS_PARTS, "whole"):
            parts.setdefault(p, "")
        if not any(parts[p] for p in ADDRESS_PARTS):
            parts["street"] = parts["whole"]  # the whole address in one cell
        # else the parts say it better than Google's "Formatted" copy of them
        if not any(parts[p] for p in ("street", "city", "region", "postcode")):
            if parts["country"]:
                parts["region"] = parts["country"]
                parts["country"] = ""
            else:
                return
        code = country_code(parts["country"]) if parts["country"] else ""
        if code is None:  # a country crmdesk cannot name by code: kept in the region
            parts["region"] = ", ".join(x for x in (parts["region"], parts["country"]) if x)
            code = ""
        self.data.addresses.append(AddressData(
            street=parts["street"], city=parts["city"].replace("\n", ", "),
            region=parts["region"].replace("\n", ", "),
            postcode=parts["postcode"].replace("\n", " "), country=code, label=label))


def map_rows(header: Sequence[str], rows: Sequence[Sequence[str]], row_numbers: Sequence[int],
             mapping: Mapping) -> MappedRows:
    """Every row as a contact (with its custom values) by ``mapping``. A row that holds
    nothing to name a contact by is left out and reported; a value that cannot be
    read as its field wants (a date) is kept in the notes and reported."""
    if mapping.name_order not in NAME_ORDERS:
        raise MappingError(_("Unknown name order {order!r}.").format(order=mapping.name_order))
    out = MappedRows()
    columns = [(index, header[index] if index < len(header) else str(index), target)
               for index, target in sorted(mapping.columns.items())]
    with few_collections() as freeze:
        for count, (row, number) in enumerate(zip(rows, row_numbers, strict=True), 1):
            builder = _Row(mapping, number, out.problems)
            width = len(row)
            for index, name, target in columns:
                if index < width:
                    cell = row[index].strip()
                    if cell:
                        builder.take(name, target, cell)
            record = builder.finish()
            if record is not None:
                out.records.append(record)
                out.rows.append(number)
            if count % _FREEZE_EVERY == 0:
                freeze()  # the records so far: see few_collections
    return out
