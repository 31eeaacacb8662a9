"""The rows of many new contacts, made from ContactData without touching the database.

bulk.add_contacts writes contacts by the thousand; this is the half of it
that is plain Python, so that it can run on a helper thread while SQLite
indexes the previous thousands. Every rule is the single create's
(records.create_contact): the same validation (records.validate), the same
stripping of name parts (records._SCALARS), one primary entry per list
(records._with_one_primary), the display name and sort key from the same
functions, phones and e-mails normalised by text.validation, custom values
parsed by the fields service as fields.set_values parses them. What needs the
database (company, tag and list ids) is left as names for bulk.py to resolve.

The search row is made here too, from the rows themselves, as search.build_rows
makes it from what is stored (its texts folded by text.fold, in build_rows'
order): reading 100,000 contacts back to index them cost the writer a quarter
of an import. The company's and the tags' names (their stored spelling) are put
in by bulk.py once they are found. A contact with custom values is left to
build_rows, which knows how each kind of value is searched.
tests/core/test_bulk.py holds the two to the same text.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from crmdesk.core.contacts.records import (
    _SCALARS,
    ContactData,
    _with_one_primary,
    errors_only,
    validate,
)
from crmdesk.core.errors import Problem, ValidationError
from crmdesk.core.fields.service import FieldInfo, Unconverted, as_text, parse_value
from crmdesk.core.fields.types import to_rows
from crmdesk.core.i18n import _
from crmdesk.core.text.collation import collation_key, name_sort_key
from crmdesk.core.text.folding import digits, fold
from crmdesk.core.text.validation import normalize_email, phone_e164

Row = dict[str, Any]
SearchTexts = tuple[str, str, str]

# What many contacts share (a city, a country, a job title, a label) is folded once.
_fold_shared = lru_cache(maxsize=4096)(fold)
_SORT_WORDS = 50_000
_NOT_DIGITS = {cp: None for cp in range(128) if not chr(cp).isdigit()}


def _digits(text: str) -> str:
    """text.folding.digits, quicker for ASCII (where it only drops what is not 0-9)."""
    return text.translate(_NOT_DIGITS) if text.isascii() else digits(text)

# A plain ASCII address (no quotes, no IDNA "xn--" label): when it is valid, what
# text.validation.normalize_email makes of it is its lower case. Checked records
# vouch that they are valid, so theirs skip the parser (see bulk.add_contacts).
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]+@(?!xn--)[A-Za-z0-9-]+(?:\.(?!xn--)[A-Za-z0-9-]+)+", re.IGNORECASE)


_FROZEN_LOCK = threading.Lock()
_frozen_depth = 0
_thresholds: tuple[int, ...] = (700, 10, 10)
_YOUNG = 20_000  # new container objects between young collections (Python's default: 700)


@contextmanager
def few_collections() -> Iterator[Callable[[], None]]:
    """Python's cycle collector kept off what is already made while many records are
    read, made or written; yields a function that adds what was made since.

    The collector walks every container object each time the oldest generation has
    grown by a quarter: with 100,000 records (and the table they were read from)
    alive, that was a fifth of an import's time, for nothing (records and rows hold
    no cycles). gc.freeze leaves them out of collections (they are still freed as
    soon as nothing uses them) until the outermost of these ends; meanwhile the
    young generation is collected after 20,000 new objects rather than 700 (the
    rows of a chunk are thousands of dicts, all freed by their count)."""
    global _frozen_depth, _thresholds
    with _FROZEN_LOCK:
        if _frozen_depth == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(max(_YOUNG, _thresholds[0]), *_thresholds[1:])
        _frozen_depth += 1
        gc.freeze()
    try:
        yield gc.freeze
    finally:
        with _FROZEN_LOCK:
            _frozen_depth -= 1
            if _frozen_depth == 0:
                gc.unfreeze()
                gc.set_threshold(*_thresholds)


@dataclass(frozen=True)
class NewContact:
    """A record with its custom field values: ``{field key: value}``, typed or as text."""

    data: ContactData
    values: Mapping[str, Any] = field(default_factory=dict)


class InvalidRecordError(ValidationError):
    """A record that cannot be saved; ``index`` is its place among the records (from 0)."""

    def __init__(self, index: int, name: str, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.index = index
        self.message = _("Contact {n} ({name}): {problems}").format(
            n=index + 1, name=name or "?", problems=self.message)


@dataclass(frozen=True)
class Settings:
    """What the rows need to know, read from the file before the first record."""

    region: str  # phone numbers typed without a country code are from here
    collation: str  # the file's sort language (sort keys)
    fields: Mapping[str, FieldInfo]  # contact custom fields by key
    now: datetime
    tags: tuple[str, ...] = ()  # added to every record
    checked: bool = False  # see bulk.add_contacts
    keep_ids: bool = False
    keep_dates: bool = False
    keep_invalid: bool = False
    skip_invalid: bool = False
    # Sort keys of names met so far, by (name, is a surname): see _sort_key.
    sort_words: dict[tuple[str, bool], str] = field(default_factory=dict, compare=False)


@dataclass
class Chunk:
    """Rows for some records; company, list and tag names still to be resolved."""

    records: int = 0  # how many were read (written or skipped)
    ids: list[int] = field(default_factory=list)
    contacts: list[Row] = field(default_factory=list)
    # Per contact, in the order of ``contacts``: (name, folded name) of its company
    # ("" for none) and of its tags; its status and source as given.
    companies: list[tuple[str, str]] = field(default_factory=list)
    tags: list[list[tuple[str, str]]] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # Child rows, with their contact's id:
    phones: list[Row] = field(default_factory=list)
    emails: list[Row] = field(default_factory=list)
    addresses: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    dates: list[Row] = field(default_factory=list)
    relatives: list[Row] = field(default_factory=list)
    photos: list[Row] = field(default_factory=list)
    values: list[Row] = field(default_factory=list)
    # Filled in by bulk.py once the names are resolved:
    tag_links: list[Row] = field(default_factory=list)
    status_changes: list[Row] = field(default_factory=list)
    problems: dict[int, list[Problem]] = field(default_factory=dict)  # by record index
    skipped: list[int] = field(default_factory=list)  # record indexes
    # Search texts, in the order of ``contacts`` (see the module's docstring):
    # (name_text, body_text's folded texts between the company's and the tags',
    # the folded notes). None for a contact with custom values (build_rows' job).
    search: list[SearchTexts | None] = field(default_factory=list)


class Numbering:
    """The next free contact id; one instance per add_contacts, used by one thread at a time."""

    def __init__(self, first: int) -> None:
        self.next = first

    def take(self) -> int:
        cid = self.next
        self.next += 1
        return cid


def parse_values(settings: Settings, values: Mapping[str, Any]
                 ) -> tuple[list[tuple[FieldInfo, Any]], list[Problem]]:
    """Custom values parsed as fields.set_values parses a patch: an unknown key is
    an error; so is a value its field cannot hold, or with keep_invalid a warning
    and the value kept as text (Unconverted)."""
    parsed: list[tuple[FieldInfo, Any]] = []
    problems: list[Problem] = []
    for key, raw in values.items():
        info = settings.fields.get(key)
        if info is None:
            problems.append(Problem(str(key), _("There is no field {key!r}.").format(key=key)))
            continue
        value, probs = parse_value(info, raw, region=settings.region)
        errors = errors_only(probs)
        if errors and settings.keep_invalid:
            probs = [_replace(p, severity="warning") for p in probs]
            value = None if raw is None else Unconverted(as_text(info, raw))
        problems.extend(probs)
        if not errors or settings.keep_invalid:
            parsed.append((info, value))
    return parsed, problems


def _email_key(address: str, checked: bool) -> str:
    if checked and _PLAIN_EMAIL.fullmatch(address):
        return address.lower()
    return normalize_email(address)[0]


def _phone_e164(number: str, given: str | None, settings: Settings) -> str | None:
    if settings.checked and given is not None:
        return given
    return phone_e164(number, settings.region)


def make_chunk(settings: Settings, numbering: Numbering,
               records: Iterator[tuple[int, ContactData | NewContact]], size: int,
               pause: Callable[[], None] | None = None) -> Chunk | None:
    """The rows of the next ``size`` records (fewer at the end; None when none are left).

    ``pause()`` is called before each record is read (see bulk._Turns). Raises
    InvalidRecordError for a record with errors, unless skip_invalid.
    """
    chunk: Chunk | None = None
    while chunk is None or chunk.records < size:
        if pause is not None:
            pause()
        item = next(records, None)
        if item is None:
            break
        if chunk is None:
            chunk = Chunk()
        chunk.records += 1
        add_record(settings, numbering, chunk, *item)
    return chunk


def add_record(settings: Settings, numbering: Numbering, chunk: Chunk, index: int,
               record: ContactData | NewContact) -> None:
    if isinstance(record, NewContact):
        data, custom = record.data, record.values
    else:
        data, custom = record, {}
    problems = [] if settings.checked else validate(data, region=settings.region)
    parsed: list[tuple[FieldInfo, Any]] = []
    if custom:
        parsed, value_problems = parse_values(settings, custom)
        problems += value_problems
    if problems:
        errors = errors_only(problems)
        if errors and not settings.skip_invalid:
            raise InvalidRecordError(index, data.name() or data.company.strip(), errors)
        chunk.problems[index] = problems
        if errors:
            chunk.skipped.append(index)
            return

    if settings.keep_ids:
        if data.id is None:
            raise ValueError("keep_ids: every record needs its id")
        cid = data.id
    else:
        cid = numbering.take()
    chunk.ids.append(cid)
    row: Row = {"id": cid}
    for attr in _SCALARS:  # as records._apply stores them
        value = getattr(data, attr)
        row[attr] = value.strip() if isinstance(value, str) and attr != "notes" else value
    shown = data.name() or data.company.strip()
    created = (data.created_at if settings.keep_dates else None) or settings.now
    updated = (data.updated_at if settings.keep_dates else None) or created
    row.update(
        display_name=shown,
        sort_key=_sort_key(settings, data, shown),
        company_id=None, status_id=None, source_id=None, created_at=created,
        updated_at=updated, deleted_at=None, last_contact_at=None, last_attempt_at=None)
    chunk.contacts.append(row)
    company = data.company.strip()
    chunk.companies.append((company, _fold_shared(company)))
    chunk.statuses.append(data.status)
    chunk.sources.append(data.source)
    tags: dict[str, str] = {}  # folded -> as given: one link per tag (records._tag_ids)
    for name in (*data.tags, *settings.tags):
        name = name.strip()
        if name:
            tags.setdefault(_fold_shared(name), name)
    chunk.tags.append([(name, key) for key, name in tags.items()])
    before = (len(chunk.phones), len(chunk.emails), len(chunk.addresses), len(chunk.links),
              len(chunk.relatives))
    _children(settings, chunk, cid, data)
    values = len(chunk.values)
    for info, value in parsed:
        for r in to_rows(info, value):
            chunk.values.append({**r, "field_id": info.id, "contact_id": cid, "company_id": None})
    chunk.search.append(None if len(chunk.values) > values else
                        _search_texts(chunk, row, before))


def _sort_key(settings: Settings, data: ContactData, shown: str) -> str:
    """collation.name_sort_key, with each name's key remembered for the call: a table of
    100,000 people has a few thousand first names and surnames."""
    words = settings.sort_words
    if len(words) > _SORT_WORDS:
        words.clear()
    parts = []
    for text, surname in ((data.family_name, True), (data.given_name, False),
                          (data.middle_name, False)):
        key = words.get((text, surname))
        if key is None:
            key = words[text, surname] = collation_key(text, settings.collation,
                                                       surname=surname)
        if key:
            parts.append(key)
    if parts:
        return " ".join(parts)
    return name_sort_key(given=data.given_name, middle=data.middle_name,
                         family=data.family_name, fallback=shown, language=settings.collation)


def _search_texts(chunk: Chunk, row: Row, before: tuple[int, int, int, int, int]
                  ) -> SearchTexts:
    """A new contact's search texts, as search.field_texts and build_rows make them
    from its stored rows (``row`` and the child rows from the positions ``before``)."""
    phones, emails, addresses, links, relatives = before
    texts: list[str] = []
    for value in (row["job_title"], row["department"]):
        if value:
            texts.append(_fold_shared(value))
    for ph in chunk.phones[phones:]:
        number, e164 = ph["number"], ph["e164"]
        texts += (fold(number), _digits(number), _digits(e164) if e164 else "")
    for em in chunk.emails[emails:]:
        texts.append(fold(em["address"]))
    for ad in chunk.addresses[addresses:]:
        if ad["street"]:
            texts.append(fold(ad["street"]))
        texts += (_fold_shared(ad[part]) for part in ("city", "region", "postcode", "country")
                  if ad[part])
    for ln in chunk.links[links:]:
        texts.append(fold(ln["url"]))
    for rel in chunk.relatives[relatives:]:
        texts.append(fold(rel["name"]))
    name = "\n".join(x for x in (fold(row["display_name"]), fold(row["nickname"])) if x)
    return name, "\n".join(x for x in texts if x), fold(row["notes"])


def _primaries(items: Sequence[Any]) -> Sequence[bool]:
    """records._with_one_primary; one entry (most contacts' phone and e-mail) is primary."""
    return (True,) if len(items) == 1 else _with_one_primary(items)


def _children(settings: Settings, chunk: Chunk, cid: int, data: ContactData) -> None:
    """Phones, e-mails, addresses, links, dates, relatives and photo, as records._write_children
    writes them for a new contact."""
    for pos, (ph, primary) in enumerate(zip(data.phones, _primaries(data.phones),
                                            strict=True)):
        chunk.phones.append({
            "contact_id": cid, "company_id": None, "label": ph.label.strip(),
            "number": ph.number.strip(), "e164": _phone_e164(ph.number, ph.e164, settings),
            "is_primary": primary, "position": pos})
    for pos, (em, primary) in enumerate(zip(data.emails, _primaries(data.emails),
                                            strict=True)):
        chunk.emails.append({
            "contact_id": cid, "company_id": None, "label": em.label.strip(),
            "address": em.address.strip(), "normalized": _email_key(em.address, settings.checked),
            "is_primary": primary, "position": pos})
    for pos, (ad, primary) in enumerate(zip(data.addresses, _primaries(data.addresses),
                                            strict=True)):
        chunk.addresses.append({
            "contact_id": cid, "company_id": None, "label": ad.label.strip(),
            "street": ad.street.strip(), "city": ad.city.strip(), "region": ad.region.strip(),
            "postcode": ad.postcode.strip(), "country": ad.country.strip().upper(),
            "is_primary": primary, "position": pos})
    if data.links:  # (most have none)
        for pos, (ln, primary) in enumerate(zip(data.links, _primaries(data.links),
                                                strict=True)):
            chunk.links.append({
                "contact_id": cid, "company_id": None, "label": ln.label.strip(),
                "url": ln.url.strip(), "is_primary": primary, "position": pos})
    for pos, d in enumerate(data.dates):
        chunk.dates.append({"contact_id": cid, "label": d.label.strip(), "year": d.year,
                            "month": d.month, "day": d.day, "position": pos})
    for pos, r in enumerate(data.relatives):
        chunk.relatives.append({"contact_id": cid, "relation": r.relation.strip(),
                                "name": r.name.strip(), "related_contact_id": r.contact_id,
                                "position": pos})
    if data.photo:
        chunk.photos.append({"contact_id": cid, "data": data.photo,
                             "mime_type": data.photo_mime or "image/jpeg"})


def sized(records: Sequence[Any] | Any) -> int | None:
    """How many records there are, when that can be known without reading them."""
    try:
        return len(records)
    except TypeError:
        return None
