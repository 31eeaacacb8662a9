"""A call list: any list of contacts as a sheet for Excel, LibreOffice or paper.

The user picks the columns (name, company, every phone formatted for dialling,
e-mail, city, last contact, notes, custom fields ...) and the order; the rows
come in the order of the list they were looking at (lookup.query.find_ids).

- CSV: UTF-8 with a byte-order mark by default (without it Excel shows Cyrillic
  and Chinese as mojibake), or plain UTF-8, windows-1251 or windows-1257, with a
  comma, semicolon or tab. A text the chosen encoding cannot hold is refused
  before anything is written, naming the contact.
- XLSX (openpyxl): typed cells (dates as dates, numbers as numbers), a frozen
  header row, an autofilter, column widths that fit.
- PDF: a call sheet to print and write on (io/call_sheet_pdf.py).

Every format reads its rows from one source, ``call_list()``: the header, each
column's kind and the rows, so a sheet on paper and one in Excel always agree.

No formula injection: a CSV cell that starts like a formula gets an apostrophe
(io.history_csv.safe_cell); an XLSX text cell is written as text, never as a
formula. Files are written atomically (io.atomic).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import islice
from operator import itemgetter
from typing import Any

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmdesk.core.activities.recurrence import local_zone
from crmdesk.core.errors import FileWriteError
from crmdesk.core.fields import service as fields
from crmdesk.core.i18n import _
from crmdesk.core.lookup import listing
from crmdesk.core.lookup.activity_fields import (
    next_activity_times,
    next_singles,
    now_utc,
    open_series_next,
)
from crmdesk.core.lookup.ordering import SOURCE_CHOICE, STATUS_CHOICE
from crmdesk.core.storage.models import Address, Company, Contact, Email, Phone
from crmdesk.core.storage.raw_rows import raw_rows
from crmdesk.core.storage.settings import get_setting
from crmdesk.io.atomic import atomic_binary, atomic_text
from crmdesk.io.history_csv import safe_cell

# How a phone is written for dialling.
INTERNATIONAL = "international"  # +370 612 34567: from anywhere
NATIONAL = "national"  # 8 612 34567: from inside the file's phone country
ENCODINGS = {"utf-8-sig": "UTF-8 (Excel)", "utf-8": "UTF-8", "cp1251": "Windows-1251",
             "cp1257": "Windows-1257"}
DELIMITERS = (",", ";", "\t")
DEFAULT_COLUMNS = ["name", "company", "phones", "email", "city", "last_contact"]

TEXT, NUMBER, DAY, MOMENT = "text", "number", "day", "moment"
_RISKY = frozenset("=@\t\r+-")  # a first character safe_cell looks at
_FIRST = itemgetter(slice(0, 1))
_STR = frozenset({str})
# What phone numbers are written with: a cell of only these, "+" or "-" first or not,
# is a number to safe_cell (history_csv._NUMBER_OR_PHONE), never a formula.
_DIALLED = frozenset("0123456789 ().,;/+-")
_MOMENTS = frozenset({datetime, type(None)})
_CHUNK = 500


@dataclass(frozen=True)
class ExportColumn:
    key: str
    title: Callable[[], str]
    kind: str = TEXT


def _builtin() -> list[ExportColumn]:
    return [
        ExportColumn("name", lambda: _("Name")),
        ExportColumn("given_name", lambda: _("Given name")),
        ExportColumn("family_name", lambda: _("Family name")),
        ExportColumn("company", lambda: _("Company")),
        ExportColumn("job_title", lambda: _("Job title")),
        ExportColumn("department", lambda: _("Department")),
        ExportColumn("phones", lambda: _("Phones")),
        ExportColumn("phone", lambda: _("Phone")),
        ExportColumn("email", lambda: _("E-mail")),
        ExportColumn("city", lambda: _("City")),
        ExportColumn("country", lambda: _("Country")),
        ExportColumn("status", lambda: _("Status")),
        ExportColumn("source", lambda: _("Lead source")),
        ExportColumn("last_contact", lambda: _("Last contact"), MOMENT),
        ExportColumn("last_attempt", lambda: _("Last attempt"), MOMENT),
        ExportColumn("next_activity", lambda: _("Next activity"), MOMENT),
        ExportColumn("notes", lambda: _("Notes")),
    ]


def export_columns(session: Session) -> dict[str, ExportColumn]:
    """Every column a call list can have: the built-in ones and one per custom
    contact field (``cf:<key>``, typed as the field is)."""
    out = {c.key: c for c in _builtin()}
    for f in fields.describe_fields(session, fields.CONTACT):
        kind = {fields.NUMBER: NUMBER, fields.MONEY: NUMBER, fields.DATE: DAY}.get(f.type, TEXT)
        out[listing.custom_key(f.key)] = ExportColumn(listing.custom_key(f.key),
                                                      _fixed(f.label), kind)
    return out


def _fixed(label: str) -> Callable[[], str]:
    return lambda: label


def check_columns(session: Session, keys: Sequence[str]) -> list[str]:
    """The keys, each known (else a FileWriteError naming it and what there is)."""
    known = export_columns(session)
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise FileWriteError(_("There is no column {key!r}. Columns: {keys}.").format(
            key=unknown[0], keys=", ".join(known)))
    if not keys:
        raise FileWriteError(_("Choose at least one column."))
    return list(keys)


def dialling(number: str, e164: str | None, *, style: str, region: str) -> str:
    """A phone as it is dialled: +370 612 34567 (international) or 8 612 34567 (from
    inside ``region``); as typed when it could not be read."""
    if not e164:
        return number.strip()
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return number.strip()
    if style == NATIONAL and region and phonenumbers.region_code_for_number(parsed) == region:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _local(moment: datetime | None) -> datetime | None:
    """Stored UTC as the user's clock, without a zone (what a spreadsheet shows)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone().replace(tzinfo=None, microsecond=0)


def _custom_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, fields.Unconverted):
        return value.raw
    if isinstance(value, Decimal | date | bool):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    return str(value)


class Dialler:
    """dialling() for a whole list: the very same text, about ten times faster.

    phonenumbers (pure Python) takes ~0.1 ms a number, seconds for a 100,000-row
    list. The way a number is written depends only on its country code, its
    length and which of the country's formats its leading digits choose, so
    the first number of each such kind is formatted by phonenumbers and the
    result kept as a template for the others. Where that cannot be told cheaply
    (national style in a country code shared by several countries, +1 or +7),
    or a template cannot be made, each number is formatted in full.
    """

    def __init__(self, style: str, region: str) -> None:
        self.style, self.region = style, region
        self._formats: dict[tuple[int, bool], tuple[list[tuple[Any, Any]], int]] = {}
        self._shapes: dict[tuple[str, int], str] = {}
        self._templates: dict[tuple[int, bool, int, int], str | None] = {}
        self._codes: dict[str, tuple[int, tuple[str, ...], bool]] = {}
        self._heads: dict[str, tuple[int, int]] = {}

    def _head_of(self, first: str) -> tuple[int, int]:
        """For numbers starting ``first`` (three digits): how many are the country
        code (0: format each number in full) and how many first digits of the
        national number decide its format (-1: they cannot tell)."""
        code = self._codes.get(first)
        if code is None:
            code = self._codes[first] = self._code_of(first)
        n, regions, national = code
        if n == 0 or (national and len(regions) > 1):
            return 0, -1
        return n, self._formats_of(int(first[:n]), national)[1]

    def _code_of(self, first: str) -> tuple[int, tuple[str, ...], bool]:
        """How many of the first digits are the country code, its countries, and
        whether the number is written the national way (0: no such code)."""
        for n in (1, 2, 3):
            regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(first[:n] or "0"))
            if regions:
                national = self.style == NATIONAL and bool(self.region) \
                    and self.region in regions
                return n, tuple(regions), national
        return 0, (), False

    def _formats_of(self, cc: int, national: bool) -> tuple[list[tuple[Any, Any]], int]:
        """The country's formats (leading digits, pattern), and how many first
        digits decide which one a number takes (-1: it cannot be told from them)."""
        found = self._formats.get((cc, national))
        if found is None:
            from phonenumbers.phonemetadata import PhoneMetadata

            meta = PhoneMetadata.metadata_for_region_or_calling_code(
                cc, phonenumbers.region_code_for_country_code(cc))
            chosen = [] if meta is None else (
                meta.number_format if national or not meta.intl_number_format
                else meta.intl_number_format)
            leading = [str(f.leading_digits_pattern[-1]) if f.leading_digits_pattern else ""
                       for f in chosen]
            patterns = [str(f.pattern) for f in chosen]
            compiled = [(re.compile(lead) if lead else None, re.compile(pattern))
                        for lead, pattern in zip(leading, patterns, strict=True)]
            found = (compiled, _deciding_digits([lead for lead in leading if lead], patterns))
            self._formats[(cc, national)] = found
        return found

    def __call__(self, number: str, e164: str | None) -> str:
        if not e164 or e164[0] != "+" or not e164[1:].isdigit():
            return dialling(number, e164, style=self.style, region=self.region)
        digits = e164[1:]
        head = self._heads.get(digits[:3])
        if head is None:
            head = self._heads[digits[:3]] = self._head_of(digits[:3])
        n, prefix = head
        if n == 0:
            return dialling(number, e164, style=self.style, region=self.region)
        nsn = digits[n:]
        # numbers of one shape (these first digits, this length) share a template
        shape = (digits[:n + prefix], len(digits)) if prefix >= 0 else None
        if shape is not None:
            known = self._shapes.get(shape)
            if known is not None:
                return known.format(*nsn) if known else \
                    dialling(number, e164, style=self.style, region=self.region)
        _n, _regions, national = self._codes[digits[:3]]
        cc = int(digits[:n])
        formats, prefix = self._formats_of(cc, national)
        index = -1
        for i, (leading, pattern) in enumerate(formats):
            if (leading is None or leading.match(nsn)) and pattern.fullmatch(nsn):
                index = i
                break
        key = (cc, national, len(nsn), index)
        if key in self._templates:
            template = self._templates[key]
            text = template.format(*nsn) if template is not None else \
                dialling(number, e164, style=self.style, region=self.region)
        else:
            text = dialling(number, e164, style=self.style, region=self.region)
            template = self._templates[key] = _template(text, nsn)
        if shape is not None:
            self._shapes[shape] = template or ""  # "": formatted in full each time
        return text


_DIGITS_ONLY = re.compile(r"[(){},0-9]*")


def _deciding_digits(leading: list[str], patterns: list[str]) -> int:
    """How many first digits of a number decide which format it takes, when its
    length is known: the most the leading-digit patterns can read, if every
    format's pattern is only groups of any digits ((\\d{3})(\\d{4}): a matter of
    length); else -1."""
    if not all(_DIGITS_ONLY.fullmatch(p.replace("\\d", "")) for p in patterns):
        return -1
    most = 0
    for pattern in leading:
        if "(?=" in pattern or "(?!" in pattern or "(?<" in pattern:
            return -1  # it looks further than it reads
        width = re._parser.parse(pattern).getwidth()[1]  # type: ignore[attr-defined]
        if width > 12:
            return -1
        most = max(most, width)
    return most


def _template(text: str, nsn: str) -> str | None:
    """``text`` with the digits of ``nsn`` (the last ones, in order) as ``{}``
    slots: "+370 612 34567" -> "+370 {}{}{} {}{}{}{}{}"; None if they are not there."""
    out: list[str] = []
    j = len(nsn) - 1
    for ch in reversed(text):
        if j >= 0 and ch.isdigit():
            if ch != nsn[j]:
                return None
            out.append("{}")
            j -= 1
        elif j >= 0 and ch in "0123456789":
            return None
        else:
            out.append(ch.replace("{", "{{").replace("}", "}}"))
    return "".join(reversed(out)) if j < 0 else None


_BULK = 5000  # from this many contacts on, read whole tables instead of by ids
_OWN: dict[str, Any] = {
    "name": Contact.display_name, "given_name": Contact.given_name,
    "family_name": Contact.family_name,
    # the company's id, named from a dict of live companies (_company_names): a
    # join costs a lookup per contact, a third of this query's time at 100,000
    "company": Contact.company_id,
    "job_title": Contact.job_title, "department": Contact.department,
    "status": STATUS_CHOICE.name, "source": SOURCE_CHOICE.name, "notes": Contact.notes,
    # the user's clock, by SQLite (the C library's localtime, as Python's own), as
    # text: parsing 100,000 timestamps in SQLAlchemy's Python takes half a second
    "last_contact": func.datetime(Contact.last_contact_at, "localtime"),
    "last_attempt": func.datetime(Contact.last_attempt_at, "localtime"),
}
_CHILD: dict[str, tuple[Any, Any]] = {
    "email": (Email, Email.address), "city": (Address, Address.city),
    "country": (Address, Address.country),
}


@dataclass
class _Read:
    """What one read gave: each contact's own columns (a row, in ``own_keys``
    order), the child tables' values by key, and the phones for dialling."""

    own_keys: list[str]
    own: dict[int, Any]
    child: dict[str, dict[int, Any]]
    numbers: dict[int, list[str]]
    companies: dict[int, str]  # live companies' names by id, if the company is shown


def _rows(session: Session, stmt: Any) -> list[Any]:
    """Every row of ``stmt`` as the driver gives it (a fifth of the time of a
    SQLAlchemy result's rows at 100,000 contacts)."""
    with raw_rows(session, stmt) as cursor:
        return cursor.fetchall()  # type: ignore[no-any-return]


def _read(session: Session, chunk: Sequence[int] | None, wanted: set[int],
          keys: Sequence[str], dialler: Dialler | None) -> _Read:
    """The built-in values of ``keys`` for the contacts ``chunk`` (None: of the
    whole table, kept for ``wanted``), and their phones for dialling. Plain SQL
    rows, straight off the driver's cursor: nothing here needs objects."""
    own_keys = [k for k in keys if k in _OWN]
    stmt = select(Contact.id, *[_OWN[k] for k in own_keys])
    if "status" in own_keys:
        stmt = stmt.outerjoin(STATUS_CHOICE, STATUS_CHOICE.id == Contact.status_id)
    if "source" in own_keys:
        stmt = stmt.outerjoin(SOURCE_CHOICE, SOURCE_CHOICE.id == Contact.source_id)
    if chunk is not None:
        stmt = stmt.where(Contact.id.in_(chunk))
    own = {r[0]: r for r in _rows(session, stmt) if r[0] in wanted}
    companies: dict[int, str] = {}
    if "company" in own_keys:
        at = own_keys.index("company") + 1
        companies = _company_names(session, None if chunk is None else
                                   {r[at] for r in own.values() if r[at] is not None})
    child: dict[str, dict[int, Any]] = {}
    tables: dict[Any, list[str]] = {}
    for key in keys:
        if key in _CHILD:
            tables.setdefault(_CHILD[key][0], []).append(key)
    for model, child_keys in tables.items():
        query = select(model.contact_id, *[_CHILD[k][1] for k in child_keys]).where(
            model.is_primary.is_(True))
        if chunk is not None:
            query = query.where(model.contact_id.in_(chunk))
        found = [r for r in _rows(session, query) if r[0] in own]
        for i, key in enumerate(child_keys, 1):
            child[key] = {r[0]: r[i] for r in found}
    if "next_activity" in keys:
        child["next_activity"] = _next_activities(session, chunk, own)
    numbers: dict[int, list[str]] = {}
    if dialler is not None:
        phones = select(Phone.contact_id, Phone.number, Phone.e164).where(
            Phone.contact_id.is_not(None)).order_by(
            Phone.contact_id, Phone.is_primary.desc(), Phone.position)
        if chunk is not None:
            phones = phones.where(Phone.contact_id.in_(chunk))
        for cid, number, e164 in _rows(session, phones):
            if cid is not None and cid in own:
                numbers.setdefault(cid, []).append(dialler(number, e164))
    return _Read(own_keys, own, child, numbers, companies)


def _next_activities(session: Session, chunk: Sequence[int] | None,
                     own: dict[int, Any]) -> dict[int, datetime]:
    """Each contact's next activity (the list's Next activity column), in local time:
    of ``chunk``, or (None) of everyone, read whole."""
    now = now_utc()
    if chunk is not None:
        found = next_activity_times(session, now, list(chunk))
    else:
        found = {}
        for cid, at in [*session.execute(next_singles(now)).all(),
                        *open_series_next(session, now)]:
            if cid in own and (cid not in found or at < found[cid]):
                found[cid] = at
    here = local_zone()  # the calendar's zone, in which the activity was planned
    return {cid: at.replace(tzinfo=UTC).astimezone(here).replace(tzinfo=None)
            for cid, at in found.items()}


def _company_names(session: Session, ids: set[int] | None) -> dict[int, str]:
    """The names of the companies ``ids`` (None: of all) not in the trash, by id (a
    company in the trash is not shown beside its people, as in the list:
    ordering.live_company)."""
    stmt = select(Company.id, Company.name).where(Company.deleted_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Company.id.in_(ids))
    return dict(_rows(session, stmt))


def _getter(key: str, read: _Read, extra: dict[int, dict[str, Any]]
            ) -> Callable[[int, Any], Any]:
    """How the column ``key`` of a contact is found in ``read``: (id, own row) -> value."""
    if key == "phones":
        numbers = read.numbers
        return lambda cid, own: "; ".join(numbers.get(cid, ()))
    if key == "phone":
        numbers = read.numbers
        return lambda cid, own: (numbers.get(cid) or [""])[0]
    if key == "company":
        at, companies = read.own_keys.index(key) + 1, read.companies
        return lambda cid, own: companies.get(own[at], "")
    if key in ("last_contact", "last_attempt"):
        at = read.own_keys.index(key) + 1
        moment = datetime.fromisoformat
        return lambda cid, own: moment(own[at]) if own[at] else None
    if key in _OWN:
        at = read.own_keys.index(key) + 1
        return lambda cid, own: own[at] if own[at] is not None else ""
    if key in _CHILD:
        values = read.child.get(key, {})
        return lambda cid, own: values.get(cid) if values.get(cid) is not None else ""
    if key == "next_activity":
        nexts = read.child.get(key, {})
        return lambda cid, own: nexts.get(cid)
    field_key = key[len(listing.CUSTOM_PREFIX):]
    return lambda cid, own: _custom_value(extra.get(cid, {}).get(field_key))


def _column(key: str, read: _Read, extra: dict[int, dict[str, Any]], cids: list[int],
            owns: list[Any]) -> list[Any]:
    """The column ``key`` of the contacts ``cids`` (their own rows ``owns``): what
    _getter gives for each, in one comprehension where the column is a plain one
    (a 100,000-row export makes 700,000 cells)."""
    if key == "company":
        at, companies = read.own_keys.index(key) + 1, read.companies
        return [companies.get(own[at], "") for own in owns]
    if key in _OWN and key not in ("last_contact", "last_attempt"):
        at = read.own_keys.index(key) + 1
        return [own[at] if own[at] is not None else "" for own in owns]
    if key in _CHILD:
        values = read.child.get(key, {})
        return [value if (value := values.get(cid)) is not None else "" for cid in cids]
    if key == "phones":
        numbers = read.numbers
        return ["; ".join(numbers[cid]) if cid in numbers else "" for cid in cids]
    get = _getter(key, read, extra)
    return [get(cid, own) for cid, own in zip(cids, owns, strict=True)]


def contact_values(session: Session, ids: Sequence[int], keys: Sequence[str], *,
                   phones: str = INTERNATIONAL,
                   progress: Callable[[int, int], None] | None = None) -> Iterable[list[Any]]:
    """One row per contact, in the order of ``ids``: text as str, dates as date or
    datetime (local time), numbers as Decimal. Contacts gone meanwhile are skipped.
    ``progress(done, total)`` is called as it goes (it may raise to stop).

    A long list (an export of everything) reads each table whole, in one query,
    rather than 500 ids at a time: ten times fewer round trips."""
    keys = list(keys)
    dialler = Dialler(phones, get_setting(session, "phone_region")) \
        if "phones" in keys or "phone" in keys else None
    custom = [k[len(listing.CUSTOM_PREFIX):] for k in keys
              if k.startswith(listing.CUSTOM_PREFIX)]
    total = len(ids)
    bulk = total >= _BULK
    if bulk:
        if progress is not None:
            progress(0, total)
        read = _read(session, None, set(ids), keys, dialler)
    for start in range(0, total, _CHUNK):
        if progress is not None and (not bulk or start % (_CHUNK * 20) == 0):
            progress(start, total)
        chunk = list(ids[start:start + _CHUNK])
        if not bulk:
            read = _read(session, chunk, set(chunk), keys, dialler)
        extra = fields.get_values(session, fields.CONTACT, chunk, custom) if custom else {}
        own_rows = read.own
        cids = [cid for cid in chunk if cid in own_rows]
        owns = [own_rows[cid] for cid in cids]
        columns = [_column(key, read, extra, cids, owns) for key in keys]
        yield from map(list, zip(*columns, strict=True))


@dataclass
class CallList:
    """What every format writes: the columns' keys, titles and kinds, and the rows."""

    keys: list[str]
    head: list[str]
    kinds: list[str]
    rows: list[list[Any]]

    def names(self) -> list[str]:
        """Each row's contact name (to say whose value a file cannot hold), if shown."""
        if "name" not in self.keys:
            return []
        at = self.keys.index("name")
        return [str(r[at]) for r in self.rows]


def sort_ids(session: Session, ids: Sequence[int], sort: str, *,
             descending: bool = False) -> list[int]:
    """``ids`` in the order ``sort`` (a lookup order: name, company, city,
    last_contact, cf:<key> ...) instead of the list's."""
    from crmdesk.core.lookup.query import CONTACT, find_ids

    try:
        every = find_ids(session, CONTACT, "", strict=True, sort=sort, descending=descending)
    except ValueError as exc:  # an order that is not one
        raise FileWriteError(_("{sort!r} is not an order: {error}").format(
            sort=sort, error=exc)) from exc
    wanted = set(ids)
    return [i for i in every if i in wanted]


def call_list(session: Session, ids: Sequence[int], keys: Sequence[str], *,
              phones: str = INTERNATIONAL, sort: str = "", descending: bool = False,
              progress: Callable[[int, int], None] | None = None) -> CallList:
    """The contacts ``ids`` (in that order, or sorted by ``sort``) with the columns
    ``keys``: the one row source of every call-list format and of printing."""
    keys = check_columns(session, keys)
    columns = export_columns(session)
    if sort:
        ids = sort_ids(session, ids, sort, descending=descending)
    rows = list(contact_values(session, ids, keys, phones=phones, progress=progress))
    return CallList(keys, [columns[k].title() for k in keys], [columns[k].kind for k in keys],
                    rows)


def cell_text(value: Any) -> str:
    """A value as text (CSV, the PDF sheet): dates ISO, numbers plain."""
    return _text(value)


def _text(value: Any) -> str:
    """A value as CSV text: dates ISO (what spreadsheets read as dates)."""
    if value.__class__ is str:
        return value.replace("\r\n", "\n") if "\r" in value else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return value.isoformat(" ", "minutes")  # 2026-11-30 09:15, as strftime but quicker
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).replace("\r\n", "\n")


def _csv_cells(rows: Iterable[Sequence[Any]]) -> list[Sequence[str]]:
    """The rows' columns as CSV text, made safe (safe_cell), a column at a time: a
    column of plain text that no formula could start (names, cities) is taken as it is."""
    rows = list(rows)
    if not rows:
        return []
    columns: list[Sequence[str]] = []
    for column in zip(*rows, strict=True):
        kinds = set(map(type, column))
        if kinds <= _STR and "\r" not in (joined := "".join(column)):
            if _RISKY.isdisjoint(map(_FIRST, column)):
                columns.append(column)  # names, cities: nothing a formula could start
            elif _DIALLED.issuperset(joined):
                columns.append(column)  # phones as dialled: safe_cell keeps each as it is
            else:  # only the cells a formula could start are looked at
                columns.append([safe_cell(v) if v[:1] in _RISKY else v for v in column])
        elif kinds <= _MOMENTS:  # last contact: ISO text, which starts with a digit
            columns.append([v.isoformat(" ", "minutes") if v is not None else ""
                            for v in column])
        else:
            columns.append([safe_cell(_text(v)) for v in column])
    return columns


def _csv_blocks(head: Sequence[str], columns: list[Sequence[str]], delimiter: str,
                block: int = 5_000) -> Iterator[str]:
    """The CSV file's text, exactly as csv.writer (QUOTE_MINIMAL, CRLF) writes it, in
    blocks of ``block`` lines, made a column at a time: a column with no separator,
    quote or line break in it (most) is joined as it is, and only the cells of the
    others that have one are quoted. csv.writer's row-by-row calls took 0.3-0.4 s
    of a 100,000-row export; this ~0.15."""
    special = re.compile(f"[{re.escape(delimiter)}\"\r\n]")

    def quoted(column: Sequence[str]) -> Sequence[str]:
        if special.search("".join(column)) is None:
            return column
        return ['"' + v.replace('"', '""') + '"' if special.search(v) else v for v in column]

    yield delimiter.join(quoted(list(head))) + "\r\n"
    rows = zip(*map(quoted, columns), strict=True)
    while lines := list(islice(rows, block)):
        yield "\r\n".join(map(delimiter.join, lines)) + "\r\n"


def write_csv(path: str | os.PathLike[str], head: Sequence[str], rows: Iterable[Sequence[Any]],
              *, encoding: str = "utf-8-sig", delimiter: str = ",",
              names: Sequence[str] = ()) -> int:
    """The rows as CSV at ``path``; how many rows. A text ``encoding`` cannot hold is
    refused before the file is made (``names``: each row's contact, to say whose)."""
    if encoding not in ENCODINGS:
        raise FileWriteError(_("{encoding!r} is not one of the encodings: {known}.").format(
            encoding=encoding, known=", ".join(ENCODINGS)))
    if delimiter not in DELIMITERS:
        raise FileWriteError(_("The separator must be a comma, a semicolon or a tab."))
    columns = _csv_cells(rows)
    head = [safe_cell(h) for h in head]
    count = len(columns[0]) if columns else 0
    if not encoding.startswith("utf-8"):
        for number, row in enumerate([head, *zip(*columns, strict=True)]):
            for text in row:
                try:
                    text.encode(encoding)
                except UnicodeEncodeError as exc:
                    who = names[number - 1] if 0 < number <= len(names) else text
                    raise FileWriteError(_(
                        "{who}: {char!r} cannot be written in {encoding}. Choose UTF-8, "
                        "which holds every script; nothing was written."
                    ).format(who=who, char=exc.object[exc.start],
                             encoding=ENCODINGS[encoding])) from None
    with atomic_text(path, encoding=encoding, newline="") as stream:
        if len(head) > 1 and len(columns) == len(head):
            stream.writelines(_csv_blocks(head, columns, delimiter))
        else:  # one column: csv.writer's own way with empty cells ("")
            writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
            writer.writerow(head)
            writer.writerows(zip(*columns, strict=True))
    return count


def write_xlsx(path: str | os.PathLike[str], head: Sequence[str],
               rows: Iterable[Sequence[Any]], *, title: str = "") -> int:
    """The rows as an XLSX workbook at ``path``; how many rows.

    Written with XlsxWriter, row by row in constant memory: twice as fast as
    openpyxl's write-only mode for a 100,000-row list (bench/export_bench.py),
    and every text is written as a string, so none can become a formula."""
    import xlsxwriter

    table = rows if isinstance(rows, list) else [list(r) for r in rows]
    widths = [len(h) for h in head]
    for row in table[:5000]:  # sensible widths from the first rows
        for i, value in enumerate(row):
            length = len(value) if isinstance(value, str) else len(_text(value))
            if length > widths[i]:
                widths[i] = min(60, length)
    with atomic_binary(path) as stream:
        book = xlsxwriter.Workbook(stream, {
            "constant_memory": True, "strings_to_formulas": False,
            "strings_to_urls": False, "strings_to_numbers": False})
        sheet = book.add_worksheet(_sheet_title(title or _("Call list")))
        bold = book.add_format({"bold": True})
        moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        for i, width in enumerate(widths):
            sheet.set_column(i, i, max(8, width + 2))
        sheet.freeze_panes(1, 0)
        if head:
            sheet.autofilter(0, 0, len(table), len(head) - 1)
        for c, h in enumerate(head):
            sheet.write_string(0, c, h, bold)
        string, number = sheet.write_string, sheet.write_number
        for r, row in enumerate(table, 1):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    if value:
                        string(r, c, value)  # text, even "=HYPERLINK(...)"
                elif value is None:
                    continue
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, datetime):
                    sheet.write_datetime(r, c, value, moment)
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day),
                                         day)
                elif isinstance(value, Decimal | int | float):
                    number(r, c, float(value))
                else:
                    string(r, c, str(value))
        book.close()
    return len(table)


def _sheet_title(text: str) -> str:
    """What Excel allows as a sheet's name: 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in text).strip()
    return cleaned[:31] or "Sheet1"


FORMATS = ("csv", "xlsx", "pdf")
