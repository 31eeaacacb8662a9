"""Many new contacts in one unit of work: the one fast path for the demo and for imports.

Creating contacts one at a time (records.create_contact_in) costs about 10 ms
each in ORM flushes and per-row statements: a quarter of an hour for an import
of 100,000. Here the same records become the same rows (bulk_rows.py applies
the single create's rules), written a few thousand at a time, hundreds of rows
to an INSERT (storage/raw_inserts.py), and indexed for search with the rows
search.build_rows would make (bulk_rows makes them from the records), so what a
bulk-made contact stores is what create_contact would have stored. Everything
happens in the caller's transaction and nothing is committed here: an error, or a progress callback that raises to cancel,
leaves the file as it was once the caller's unit of work rolls back.

While SQLite writes one chunk's rows and fills the full-text index with them
(C code that lets go of the GIL) the next chunk can be read, checked and
turned into rows on a helper thread (``ahead=True``), so both cores work (see
_Turns for why only then).

New ids (contacts, companies, tags) are numbered from the largest in the
file: a writing unit of work holds SQLite's write lock from its BEGIN
IMMEDIATE, so nobody else can take them meanwhile. (A PostgreSQL backend
would draw them from the tables' sequences instead.)
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from crmdesk.core.changes import ADDED, COMPANIES, CONTACTS, LISTS, Changes
from crmdesk.core.contacts.bulk_rows import (
    Chunk,
    InvalidRecordError,
    NewContact,
    Numbering,
    Settings,
    few_collections,
    make_chunk,
    sized,
)
from crmdesk.core.contacts.records import ContactData
from crmdesk.core.errors import Problem
from crmdesk.core.fields.service import CONTACT, FieldValue, fields_by_key
from crmdesk.core.lists.choices import resolve_choice
from crmdesk.core.search import fulltext as search
from crmdesk.core.storage import touched
from crmdesk.core.storage.models import (
    IMPORT_ADDED,
    SOURCE,
    STATUS,
    Address,
    Base,
    Choice,
    Company,
    Contact,
    Email,
    ImportantDate,
    ImportedContact,
    Link,
    Phone,
    Photo,
    Relative,
    SearchRow,
    StatusChange,
    Tag,
    contact_tag,
    utcnow,
)
from crmdesk.core.storage.raw_inserts import insert_rows
from crmdesk.core.storage.settings import get_setting
from crmdesk.core.text.company_names import company_sort_key
from crmdesk.core.text.folding import fold

__all__ = ["CHUNK", "BulkResult", "InvalidRecordError", "NewContact", "add_contacts",
           "big_cache"]

Progress = Callable[[int, int], None]
Record = ContactData | NewContact

# Records made, written and indexed per step: bounds memory, paces the progress.
CHUNK = 5000
_IN = 500  # names per IN (...)


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


@dataclass(frozen=True)
class BulkResult:
    """What add_contacts did.

    ``ids`` are the new contacts in the order of their records (skipped ones
    have none); ``problems`` the warnings (and, with skip_invalid, the errors)
    by the index of the record among those given, from 0; ``skipped`` the
    indexes of the records left out for their errors.
    """

    ids: list[int]
    changes: Changes
    problems: dict[int, list[Problem]] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)
    companies: list[int] = field(default_factory=list)  # made for the contacts' company names


def add_contacts(session: Session, records: Iterable[Record], *,
                 tags: Sequence[str] = (),
                 keep_invalid: bool = False,
                 skip_invalid: bool = False,
                 checked: bool = False,
                 keep_ids: bool = False,
                 keep_dates: bool = False,
                 status_changes: bool = True,
                 batch_id: int | None = None,
                 total: int | None = None,
                 progress: Progress | None = None,
                 after_chunk: Callable[[list[int]], None] | None = None,
                 chunk: int = CHUNK,
                 ahead: bool = False) -> BulkResult:
    """Create a contact for every record (ContactData, or NewContact with custom values),
    in ``session``'s transaction, and return their ids and the Changes.

    Each is stored as records.create_contact stores it: validated, names
    stripped, display name and sort key derived (the file's collation), one
    primary phone, e-mail, address and link, phones with their E.164 form,
    the company found by name or made, the status and source found in their
    lists or added, tags found by name or made, a first status change. The
    search rows are built by search.build_rows, as for a contact typed in.

    - ``tags``: tag names added to every contact (an import's "imported 12 May").
    - A record with an error raises InvalidRecordError (naming the record), and
      the caller's unit of work rolls back; with ``skip_invalid`` it is left out
      and its problems are reported. Warnings never stop a record.
    - Custom values are parsed as fields.set_values parses them; a value its
      field cannot hold is an error, or with ``keep_invalid`` a warning and the
      text kept as typed (Unconverted), as for an import.
    - ``checked``: the caller made the records itself and vouches for them (the
      demo): no validation; a phone keeps the E.164 form it carries
      (PhoneData.e164; parsed when None); a plain ASCII e-mail address is stored
      lower-cased, which is what parsing it would give.
    - ``keep_ids``: every record carries its id (ContactData.id), free in the
      file; the demo numbers its contacts so that an assistant can point at a
      colleague made in the same chunk. Otherwise ids follow the file's largest.
    - ``keep_dates``: a record's created_at and updated_at are kept (else now).
    - ``status_changes`` False: no first status change is recorded; the caller
      writes the contacts' status history itself (the demo's sales funnel).
    - ``batch_id``: the import batch (import_batches.start_batch) the contacts come
      from: each new contact is noted in it as "added", so that undoing the
      import finds exactly these.
    - ``progress(done, total)`` is called before the first record and after
      every chunk, with the records read so far and ``total`` (default: the
      number of records if they have a length, else 0); it may raise to cancel.
    - ``after_chunk(ids)`` is called after every chunk is written: the caller
      writes what belongs to those contacts (the demo: their history).
    - ``ahead``: read, check and prepare the next chunk of records on a helper
      thread while this one is indexed. The records' iterator must then not use
      the session (a generator that makes or parses records is fine).
    """
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    total = total if total is not None else sized(records) or 0
    if not total or total > touched.MANY:
        # Thousands of rows (or who knows how many): no note per row of which
        # contacts changed; the window's caches read everything once afterwards,
        # as they would for this many (storage/touched.py). ~0.4 s of 100,000.
        touched.stop_tracking(session)
    settings = Settings(
        region=get_setting(session, "phone_region"),
        collation=get_setting(session, "collation"),
        fields=fields_by_key(session, CONTACT),
        now=utcnow(), tags=tuple(tags), checked=checked, keep_ids=keep_ids,
        keep_dates=keep_dates, keep_invalid=keep_invalid, skip_invalid=skip_invalid)
    numbering = Numbering((session.scalar(select(func.max(Contact.id))) or 0) + 1)
    names = _Names(session, settings.collation)
    numbered: Iterator[tuple[int, Record]] = iter(enumerate(records))
    ids: list[int] = []
    problems: dict[int, list[Problem]] = {}
    skipped: list[int] = []
    done = 0

    turns = _Turns() if ahead else None

    def prepare() -> Chunk | None:
        return make_chunk(settings, numbering, numbered, chunk,
                          turns.pause if turns is not None else None)

    if progress is not None:
        progress(0, total)
    with big_cache(session), few_collections(), \
            quick_handoffs() if ahead else nullcontext(), ThreadPoolExecutor(
            1, thread_name_prefix="crmdesk-bulk") if ahead else nullcontext() as helper:
        try:
            pending = helper.submit(prepare) if helper is not None else None
            while True:
                if pending is None:
                    part = prepare()
                else:
                    with _helper_runs(turns):
                        part = pending.result()
                if part is None:
                    break
                if helper is not None:  # the next chunk, in the helper's turns
                    pending = helper.submit(prepare)
                names.resolve(part, status_changes=status_changes)
                with _helper_runs(turns):  # statements of a thousand rows each
                    _write(session, part)
                rows = names.search_rows(part)
                later = [row["id"] for row, texts in zip(part.contacts, part.search, strict=True)
                         if texts is None]
                if later:  # contacts with custom values: indexed from what was stored
                    rows = sorted(rows + search.build_rows(session, later),
                                  key=lambda r: cast(int, r["contact_id"]))
                with _helper_runs(turns):  # one long statement: the full-text index
                    insert_rows(session, _table(SearchRow), rows, per=len(rows))
                if batch_id is not None:
                    insert_rows(session, _table(ImportedContact), [
                        {"batch_id": batch_id, "contact_id": cid, "action": IMPORT_ADDED,
                         "before": ""} for cid in part.ids])
                ids += part.ids
                problems.update(part.problems)
                skipped += part.skipped
                done += part.records
                if after_chunk is not None and part.ids:
                    after_chunk(part.ids)
                if progress is not None:
                    progress(done, total)
        finally:
            if turns is not None:
                turns.stop()
    changes = Changes.of(CONTACTS, ids, ADDED) if ids else Changes()
    if names.new_companies:
        changes |= Changes.of(COMPANIES, names.new_companies, ADDED)
    if names.lists_changed():
        changes |= Changes.of(LISTS)
    return BulkResult(ids, changes, problems, skipped, names.new_companies)


# -- what needs the database: companies, tags, list entries -----------------------------


class _Names:
    """Company, tag and list ids for the names in the records, found or made, remembered
    for the whole call (one query per few hundred new names, not one per contact)."""

    def __init__(self, session: Session, collation: str) -> None:
        self.session = session
        self.collation = collation
        self.companies: dict[str, int] = {}  # folded name -> id
        self.tags: dict[str, int] = {}  # folded name -> id
        # folded name -> its stored name folded, as the search row holds it
        self.company_text: dict[str, str] = {}
        self.tag_text: dict[str, str] = {}
        self.choices: dict[tuple[str, str], int | None] = {}
        self.new_companies: list[int] = []
        self.next_company = (session.scalar(select(func.max(Company.id))) or 0) + 1
        self.next_tag = (session.scalar(select(func.max(Tag.id))) or 0) + 1
        self.lists_before: list[tuple[Any, ...]] | None = None

    def _lists(self) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.session.execute(
            select(Choice.id, Choice.name, Choice.archived)
            .where(Choice.kind.in_([STATUS, SOURCE])).order_by(Choice.id))]

    def lists_changed(self) -> bool:
        return self.lists_before is not None and self._lists() != self.lists_before

    def resolve(self, part: Chunk, *, status_changes: bool) -> None:
        """Fill in company_id, status_id and source_id, write the new companies and tags,
        and make the rows of the tag links and (``status_changes``) first status changes."""
        self._companies(part.companies)
        self._tags([t for tags in part.tags for t in tags])
        companies, tag_ids = self.companies, self.tags
        for row, (company, key), status, source, tags in zip(
                part.contacts, part.companies, part.statuses, part.sources, part.tags,
                strict=True):
            cid = row["id"]
            row["company_id"] = companies[key] if company else None
            row["status_id"] = self._choice(STATUS, status)
            row["source_id"] = self._choice(SOURCE, source)
            part.tag_links += [{"contact_id": cid, "tag_id": tag_ids[k]} for _n, k in tags]
            if status_changes and row["status_id"] is not None:
                part.status_changes.append({
                    "contact_id": cid, "old_status_id": None,
                    "new_status_id": row["status_id"], "changed_at": row["created_at"]})

    def search_rows(self, part: Chunk) -> list[dict[str, object]]:
        """The search rows of the chunk's contacts whose texts bulk_rows made, with their
        company's and tags' names put in: search.build_rows' rows for them."""
        rows: list[dict[str, object]] = []
        company_text, tag_text, tag_ids = self.company_text, self.tag_text, self.tags
        for row, texts, (company, key), tags in zip(
                part.contacts, part.search, part.companies, part.tags, strict=True):
            if texts is None:
                continue
            name, middle, notes = texts
            parts = [company_text[key] if company else "", middle]
            if tags:  # in the order build_rows reads them: by tag id
                parts += [tag_text[k] for k in sorted((k for _n, k in tags),
                                                      key=tag_ids.__getitem__)]
            parts.append(notes)
            rows.append({"contact_id": row["id"], "name_text": name,
                         "body_text": "\n".join(p for p in parts if p)})
        return rows

    def _choice(self, kind: str, name: str) -> int | None:
        """As records._apply: lists.resolve_choice, once per name."""
        if not name or not name.strip():
            return None
        key = (kind, name)
        if key not in self.choices:
            if self.lists_before is None:
                self.lists_before = self._lists()
            self.choices[key] = resolve_choice(self.session, kind, name)
        return self.choices[key]

    def _missing(self, known: dict[str, int], names: Iterable[tuple[str, str]]
                 ) -> dict[str, str]:
        wanted: dict[str, str] = {}
        for name, key in names:
            if name and key not in known:
                wanted.setdefault(key, name)
        return wanted

    def _companies(self, names: list[tuple[str, str]]) -> None:
        """As records._company_id: the oldest live company of that folded name, else a new
        one named as first given."""
        wanted = self._missing(self.companies, names)
        keys = list(wanted)
        for start in range(0, len(keys), _IN):
            for key, cid, name in self.session.execute(
                    select(Company.name_key, Company.id, Company.name)
                    .where(Company.name_key.in_(keys[start:start + _IN]),
                           Company.deleted_at.is_(None))
                    .order_by(Company.id.desc())):
                self.companies[key] = cid  # the last one wins: the oldest
                self.company_text[key] = fold(name)
        now = utcnow()
        rows = []
        for key, name in wanted.items():
            if key not in self.companies:
                cid = self.companies[key] = self.next_company
                self.company_text[key] = fold(name)
                self.next_company += 1
                self.new_companies.append(cid)
                rows.append({"id": cid, "name": name, "name_key": key,
                             "sort_key": company_sort_key(name, self.collation), "industry": "",
                             "notes": "", "created_at": now, "updated_at": now,
                             "deleted_at": None})
        insert_rows(self.session, _table(Company), rows)

    def _tags(self, names: list[tuple[str, str]]) -> None:
        """As records._tag_ids: a tag is found by its folded name, else made as first given."""
        wanted = self._missing(self.tags, names)
        keys = list(wanted)
        for start in range(0, len(keys), _IN):
            for key, tid, name in self.session.execute(
                    select(Tag.key, Tag.id, Tag.name).where(Tag.key.in_(keys[start:start + _IN]))):
                self.tags[key] = tid
                self.tag_text[key] = fold(name)
        rows = []
        for key, name in wanted.items():
            if key not in self.tags:
                self.tags[key] = self.next_tag
                self.tag_text[key] = fold(name)
                rows.append({"id": self.next_tag, "name": name, "key": key})
                self.next_tag += 1
        insert_rows(self.session, _table(Tag), rows)


# -- writing -----------------------------------------------------------------------------


class _Stopped(Exception):
    """The helper's preparing is not wanted any more (the call ended)."""


class _Turns:
    """Whose turn it is to run Python: the helper prepares the next chunk only while
    the writer is inside SQLite (writing the chunk's rows, a thousand to a statement,
    and filling the full-text index), or waiting for the helper.

    Both threads share one GIL. The writer gives it up for every call into
    SQLite, however short, and when the helper is busy with Python the writer
    then waits up to the interpreter's switch interval (5 ms) to get it back:
    measured, letting the helper run whenever it could made the demo 5 seconds
    slower at 100,000 contacts, not faster. The helper asks before every record.
    Around the few long statements of a chunk that wait costs little (and
    quick_handoffs makes it a tenth), and the
    helper's work (checking records) is what an import waits for: letting it run
    while the rows are written too took an import of 100,000 CSV rows from about
    21-25 s to 15-21 s on a loaded 2-core machine.
    """

    def __init__(self) -> None:
        self._go = threading.Event()
        self._stopped = False

    def pause(self) -> None:
        """The helper: wait for a turn."""
        self._go.wait()
        if self._stopped:
            raise _Stopped

    def open(self) -> None:
        self._go.set()

    def close(self) -> None:
        if not self._stopped:
            self._go.clear()

    def stop(self) -> None:
        """The writer is done: the helper stops at its next record."""
        self._stopped = True
        self._go.set()


_HANDOFF = 0.0005  # seconds
_HANDOFF_LOCK = threading.Lock()
_handoff_depth = 0
_handoff_before = 0.005


@contextmanager
def quick_handoffs() -> Iterator[None]:
    """The interpreter's switch interval at half a millisecond (from 5) while a writer
    and its helper take turns: every statement the writer ends, it waits for the GIL
    until the helper is made to let go, up to the switch interval each time, and a
    chunk has dozens of statements. Measured on an import of 100,000 CSV rows, two
    rounds: 19.5 -> 16.2 s and 14.8 -> 11.7 s. Other threads (the window's) only
    get the GIL sooner. Restored when the last of these ends."""
    global _handoff_depth, _handoff_before
    with _HANDOFF_LOCK:
        if _handoff_depth == 0:
            _handoff_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_HANDOFF, _handoff_before))
        _handoff_depth += 1
    try:
        yield
    finally:
        with _HANDOFF_LOCK:
            _handoff_depth -= 1
            if _handoff_depth == 0:
                sys.setswitchinterval(_handoff_before)


@contextmanager
def _helper_runs(turns: _Turns | None) -> Iterator[None]:
    if turns is None:
        yield
        return
    turns.open()
    try:
        yield
    finally:
        turns.close()




def _write(session: Session, part: Chunk) -> None:
    """Parents before children, so that every foreign key finds its row."""
    for table, rows in (
            (_table(Contact), part.contacts), (_table(Phone), part.phones),
            (_table(Email), part.emails), (_table(Address), part.addresses),
            (_table(Link), part.links), (_table(ImportantDate), part.dates),
            (_table(Relative), part.relatives), (_table(Photo), part.photos),
            (contact_tag, part.tag_links), (_table(StatusChange), part.status_changes),
            (_table(FieldValue), part.values)):
        insert_rows(session, table, rows)


@contextmanager
def big_cache(session: Session) -> Iterator[None]:
    """A bigger SQLite page cache while many rows go in: the indexes on names, e-mails
    and phone numbers grow in random order, and with the default 2 MB SQLite keeps
    spilling pages to the WAL and reading them back."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size=-65536")  # KiB: 64 MB
    try:
        yield
    finally:
        with suppress(Exception):
            conn.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000):d}")
