"""An import from start to end, for `crmdesk import` and File > Import… alike.

A file is read (vCards, or a table mapped column by column) into a Prepared
value: the records with their line or row numbers and what could not be read.
``import_prepared`` then backs the file up and writes the records with the one
bulk service in one unit of work (all or nothing); a dry run is that same
import rolled back, so its counts are the ones the real run would give.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmdesk.core.contacts.bulk import BulkResult, add_contacts
from crmdesk.core.contacts.bulk_rows import NewContact, few_collections
from crmdesk.core.contacts.duplicates import Match, looks_like, names_of
from crmdesk.core.contacts.import_batches import (
    CREATE,
    POLICIES,
    SKIP,
    apply_policy,
    finish_batch,
    start_batch,
)
from crmdesk.core.contacts.records import ContactData
from crmdesk.core.errors import CrmdeskError, ValidationError
from crmdesk.core.fields.service import CONTACT, fields_by_key
from crmdesk.core.i18n import _
from crmdesk.core.storage import backups
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.settings import get_setting
from crmdesk.io.contacts_in.mapping import Mapping, map_rows
from crmdesk.io.contacts_in.table import Table
from crmdesk.io.contacts_in.vcard import read_vcards

FORMATS = ("csv", "tsv", "xlsx", "ods", "vcard")
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx",
              ".xlsm": "xlsx", ".ods": "ods", ".vcf": "vcard", ".vcard": "vcard"}
MAX_FILE = 512 * 1024 * 1024


def format_of(path: Path, data: bytes, chosen: str | None = None) -> str:
    """The file's format: as chosen, else from its name, else from its first bytes."""
    if chosen:
        return chosen
    by_name = EXTENSIONS.get(path.suffix.lower())
    if by_name and path.suffix.lower() != ".txt":  # a .txt may hold anything
        return by_name
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:11].upper() == b"BEGIN:VCARD" or b"B\x00E\x00G\x00I\x00N\x00:" in head[:40]:
        return "vcard"
    if head[:4] == b"PK\x03\x04":
        return "ods" if b"opendocument.spreadsheet" in data[:200] else "xlsx"
    return "csv"


def read_file(path: Path) -> bytes:
    """The file's bytes, or a plain message why they cannot be had."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise CrmdeskError(_("{path} is larger than 512 MB; split it into smaller "
                                 "files.").format(path=path))
        return path.read_bytes()
    except FileNotFoundError:
        raise CrmdeskError(_("There is no file {path}.").format(path=path)) from None
    except IsADirectoryError:
        raise CrmdeskError(_("{path} is a folder, not a file.").format(path=path)) from None
    except PermissionError:
        raise CrmdeskError(_("{path} cannot be read: permission denied.").format(
            path=path)) from None


@dataclass
class Prepared:
    """A file read and mapped: the records with their line or row numbers."""

    kind: str
    records: list[Any] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    mapping: list[tuple[str, str]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    # A crmdesk vCard's custom values per record: {key: (label, text)}.
    custom: list[dict[str, tuple[str, str]]] = field(default_factory=list)
    # A table's columns and how they were mapped (for saving it as a preset).
    header: list[str] = field(default_factory=list)
    table_mapping: Mapping | None = None


def prepare_vcards(data: bytes, *, encoding: str | None = None) -> Prepared:
    found = read_vcards(data, encoding=encoding)
    if not found.records and found.problems and found.problems[0].line == 0:
        raise CrmdeskError(found.problems[0].message)  # no card in it at all
    return Prepared("vcard", list(found.records), found.lines,
                    [(p.line, p.message) for p in found.problems], custom=found.custom)


def prepare_table(kind: str, table: Table, mapping: Mapping) -> Prepared:
    mapped = map_rows(table.header, table.rows, table.row_numbers, mapping)
    details: dict[str, Any] = {"encoding": table.encoding, "delimiter": table.delimiter} \
        if kind in ("csv", "tsv") else {"sheet": table.sheet, "sheets": table.sheets}
    details.update({"name_order": mapping.name_order, "day_first": mapping.dayfirst})
    return Prepared(kind, list(mapped.records), mapped.rows,
                    [(p.line, p.message) for p in [*table.problems, *mapped.problems]],
                    mapping.describe(table.header), details, header=list(table.header),
                    table_mapping=mapping)


def check_custom_keys(session: Any, prepared: Prepared) -> None:
    """Every custom field a column was sent to exists (else nothing is written)."""
    wanted = {target for _column, target in prepared.mapping if target.startswith("custom:")}
    known = fields_by_key(session, CONTACT)
    missing = sorted(k.removeprefix("custom:") for k in wanted
                     if k.removeprefix("custom:") not in known)
    if missing:
        raise CrmdeskError(_("There is no custom field {keys}; add it first with "
                             "'crmdesk fields add', or map the column elsewhere.").format(
                                 keys=", ".join(repr(k) for k in missing)))


def with_custom_values(session: Any, prepared: Prepared
                       ) -> tuple[list[Any], list[tuple[int, str]]]:
    """The records with a crmdesk vCard's custom values in the fields of the same key,
    and what was said: a value for a field this file does not have goes to the
    notes, with its label. ``prepared`` is not changed (a dry run, then the import)."""
    records = list(prepared.records)
    said: list[tuple[int, str]] = []
    if not any(prepared.custom):
        return records, said
    known = fields_by_key(session, CONTACT)
    for i, (record, custom) in enumerate(zip(prepared.records, prepared.custom, strict=True)):
        if not isinstance(record, ContactData):
            continue
        values = {key: text for key, (_label, text) in custom.items() if key in known}
        others = [(label, text) for key, (label, text) in custom.items() if key not in known]
        if others:
            lines = "\n".join(f"{label}: {text}" for label, text in others)
            record = dataclasses.replace(
                record, notes=f"{record.notes}\n\n{lines}" if record.notes else lines)
            said.append((prepared.lines[i], _(
                "There is no custom field {fields} here; the values were put in the "
                "notes.").format(fields=", ".join(repr(label) for label, _t in others))))
        records[i] = NewContact(record, values) if values else record
    return records, said


@dataclass
class ImportReport:
    """What an import did (or a dry run would do)."""

    new: int
    ids: list[int]
    left_out: int
    problems: list[tuple[int, str]]  # (line or row, message), in the file's order
    backup: Path | None = None
    # Records that look like a contact already in the file: (line or row, who and why).
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    policy: str = CREATE
    updated: list[int] = field(default_factory=list)  # existing contacts filled or updated
    unchanged: int = 0  # duplicates that filled or updated nothing (it was all there)
    skipped_duplicates: int = 0  # duplicates left out (policy "skip")
    batch: int | None = None  # the import batch, for undo (None for a dry run)

    @property
    def rows_with_problems(self) -> int:
        return len({line for line, _m in self.problems if line > 0})


class _DryRun(Exception):  # noqa: N818 - not an error: how a dry run rolls back
    def __init__(self, result: Any) -> None:
        super().__init__("dry run")
        self.result = result


@dataclass
class _Done:
    result: BulkResult
    added: list[int]  # the records given to add_contacts, by their index among all
    said: list[tuple[int, str]]
    twins: list[tuple[int, str]]
    updated: list[int]
    unchanged: int
    skipped_duplicates: int
    refused: list[tuple[int, str]]
    batch: int


def import_prepared(db: Database, prepared: Prepared, *, dry_run: bool = False,
                    progress: Callable[[int, int], None] | None = None,
                    backup: bool = True, on_duplicate: str = CREATE,
                    source: str = "") -> ImportReport:
    """Write the records in one unit of work (a dry run rolls it back), after a
    backup of the file as it was ("before an import"), as one import batch that
    can be undone (import_batches.undo_batch).

    ``on_duplicate`` says what becomes of a record that looks like a contact in
    the file (duplicates.looks_like: the same e-mail, the same phone, a similar
    name): "create" it anyway, "skip" it, "fill" the contact's empty fields, or
    "update" the contact with the record's values (import_batches.apply_policy)."""
    if on_duplicate not in POLICIES:
        raise CrmdeskError(_("Unknown duplicates policy {policy!r}: choose skip, fill, "
                             "update or create.").format(policy=on_duplicate))
    made = None
    if backup and not dry_run and prepared.records and db.path is not None:
        made = db.back_up(backups.BEFORE_IMPORT).path
    try:
        with db.session() as s, few_collections():
            done = _write(s, prepared, on_duplicate, source, progress)
            if dry_run:
                raise _DryRun(done)  # rolls the unit of work back
    except _DryRun as dry:
        done = dry.result
    result = done.result
    problems = [*prepared.problems, *done.said, *done.refused]
    for index, found in sorted(result.problems.items()):
        line = prepared.lines[done.added[index]]
        left_out = index in result.skipped
        for problem in found:
            text = problem.message if left_out or problem.severity == "error" else \
                _("warning: {message}").format(message=problem.message)
            problems.append((line, text))
    for index in result.skipped:
        problems.append((prepared.lines[done.added[index]], _("This contact was left out.")))
    problems.sort(key=lambda p: p[0])
    return ImportReport(len(done.added) - len(result.skipped),
                        [] if dry_run else list(result.ids),
                        len(result.skipped) + len(done.refused), problems, made, done.twins,
                        on_duplicate, list(done.updated), done.unchanged,
                        done.skipped_duplicates, None if dry_run else done.batch)


def _write(s: Any, prepared: Prepared, policy: str, source: str,
           progress: Callable[[int, int], None] | None) -> _Done:
    """The import's unit of work: the batch, the duplicates as the policy says, the
    new contacts through add_contacts."""
    check_custom_keys(s, prepared)
    records, said = with_custom_values(s, prepared)
    datas = [r.data if isinstance(r, NewContact) else r for r in records]
    found = looks_like(s, datas, get_setting(s, "phone_region"))
    twins = _describe(s, prepared, found)
    batch = start_batch(s, source, prepared.kind)
    total = len(records)
    added: list[int] = []
    updated: list[int] = []
    refused: list[tuple[int, str]] = []
    unchanged = skipped = 0
    handled = 0
    for i, matches in enumerate(found):
        if not matches or policy == CREATE:
            added.append(i)
            continue
        handled += 1
        if policy == SKIP:
            skipped += 1
            continue
        record = records[i]
        custom = dict(record.values) if isinstance(record, NewContact) else {}
        try:
            changed = apply_policy(s, batch, matches[0].second, datas[i], custom, policy)
        except ValidationError as error:
            refused.append((prepared.lines[i], _(
                "Contact {id} was not changed: {why}").format(
                    id=matches[0].second, why=str(error))))
            continue
        if changed:
            if matches[0].second not in updated:
                updated.append(matches[0].second)
        else:
            unchanged += 1
        if progress is not None and handled % 100 == 0:
            progress(handled, total)

    def step(done: int, _total: int) -> None:
        if progress is not None:
            progress(handled + done, total)

    # ahead: the next chunk is checked on a helper thread while SQLite fills the
    # search index with this one (the records are a list: no session needed).
    result = add_contacts(s, [records[i] for i in added], skip_invalid=True,
                          keep_invalid=True, progress=step if progress else None,
                          batch_id=batch, ahead=True)
    finish_batch(s, batch)
    return _Done(result, added, said, twins, updated, unchanged, skipped, refused, batch)


def _describe(session: Any, prepared: Prepared, found: Sequence[Sequence[Match]]
              ) -> list[tuple[int, str]]:
    """(line, "looks like …") for every record like a contact already in the file."""
    names = names_of(session, (m.second for matches in found for m in matches))
    out = []
    for i, matches in enumerate(found):
        if matches:
            best = matches[0]
            out.append((prepared.lines[i], _(
                "looks like {name} (contact {id}): {why}").format(
                    name=names.get(best.second, "?"), id=best.second,
                    why=best.reason_text())))
    return out


def sample_names(prepared: Prepared, limit: int = 50) -> Sequence[str]:
    """The first records' names as a preview shows them."""
    out = []
    for record in prepared.records[:limit]:
        data = record.data if isinstance(record, NewContact) else record
        out.append(data.name() or data.company)
    return out
