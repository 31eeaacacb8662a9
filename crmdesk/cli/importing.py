"""`crmdesk import FILE`: contacts from a vCard, CSV/TSV, XLSX or ODS file, in one go.

The file is read by io.contacts_in (nothing it holds makes this fail: what
cannot be read is reported with its line or row), the columns of a table are
mapped as suggested from their headers with the user's --map on top, and the
contacts are written by the one bulk service in one unit of work, so an import
is all or nothing. A dry run is that same import rolled back: the counts it
prints are the ones the real run would give.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmdesk.cli.common import EXIT_OK, Subparsers, add_db_option, db_path, print_json
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _, ngettext

FORMATS = ("csv", "tsv", "xlsx", "ods", "vcard")
_EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx",
               ".xlsm": "xlsx", ".ods": "ods", ".vcf": "vcard", ".vcard": "vcard"}
MAX_FILE = 512 * 1024 * 1024


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "import", help=_("bring contacts in from a vCard, CSV, Excel or LibreOffice file"),
        description=_("Import the contacts in FILE: vCards (from a phone, Outlook, Google or "
                      "Apple), or a table (CSV/TSV, XLSX, ODS) whose columns are matched to "
                      "fields by their headers. --dry-run shows what would be imported and "
                      "which rows have problems, and writes nothing. The import is one "
                      "transaction: all of it, or nothing."))
    add_db_option(p)
    p.add_argument("file", metavar="FILE", help=_("the file to import"))
    p.add_argument("--format", choices=FORMATS, default=None,
                   help=_("the file's format (default: from its name and contents)"))
    p.add_argument("--encoding", metavar="E", default=None,
                   help=_("the text encoding, e.g. utf-8, cp1251, cp1257, koi8-r, gb18030, "
                          "shift_jis (default: found from the file)"))
    p.add_argument("--delimiter", metavar="D", default=None,
                   help=_("the column delimiter of a CSV: , ; | or 'tab' (default: found)"))
    p.add_argument("--sheet", metavar="S", default=None,
                   help=_("the sheet of a workbook, by name or number from 1 (default: "
                          "the first)"))
    p.add_argument("--no-header", action="store_true",
                   help=_("the table's first row is a contact, not column names"))
    p.add_argument("--map", action="append", default=[], metavar="COL=FIELD",
                   help=_("send column COL (its header or number) to FIELD: given_name, "
                          "family_name, full_name, company, phone:mobile, email:work, "
                          "street:home, city, country, birthday, tags, notes, a custom "
                          "field's key, or 'ignore' (repeat for several)"))
    p.add_argument("--name-order", choices=("given_first", "family_first",
                                            "family_given_patronymic"), default=None,
                   help=_("the order of the parts of a full-name column (default: "
                          "proposed from the data)"))
    dates = p.add_mutually_exclusive_group()
    dates.add_argument("--day-first", dest="dayfirst", action="store_const", const=True,
                       default=None, help=_("read 03/04/1980 as 3 April"))
    dates.add_argument("--month-first", dest="dayfirst", action="store_const", const=False,
                       help=_("read 03/04/1980 as March 4"))
    p.add_argument("--dry-run", action="store_true",
                   help=_("show what would be imported; write nothing"))
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    p.set_defaults(run=run)


@dataclass
class _Read:
    """A file read and mapped: the records with their line or row numbers."""

    kind: str
    records: list[Any] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    mapping: list[tuple[str, str]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    # A crmdesk vCard's custom values per record: {key: (label, text)}.
    custom: list[dict[str, tuple[str, str]]] = field(default_factory=list)


class _DryRun(Exception):  # noqa: N818 - not an error: how a dry run rolls back
    def __init__(self, result: Any) -> None:
        super().__init__("dry run")
        self.result = result


def _format_of(path: Path, data: bytes, chosen: str | None) -> str:
    if chosen:
        return chosen
    by_name = _EXTENSIONS.get(path.suffix.lower())
    if by_name and path.suffix.lower() != ".txt":  # a .txt may hold anything
        return by_name
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:11].upper() == b"BEGIN:VCARD" or b"B\x00E\x00G\x00I\x00N\x00:" in head[:40]:
        return "vcard"
    if head[:4] == b"PK\x03\x04":
        return "ods" if b"opendocument.spreadsheet" in data[:200] else "xlsx"
    return "csv"


def _read_file(path: Path) -> bytes:
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


def _delimiter(value: str | None) -> str | None:
    if value is None:
        return None
    if value.lower() in ("tab", "\\t"):
        return "\t"
    if len(value) != 1:
        raise CrmdeskError(_("--delimiter must be one character (or 'tab'), not {value!r}.")
                           .format(value=value))
    return value


def _read(args: argparse.Namespace, path: Path) -> _Read:
    from crmdesk.io.contacts_in.mapping import apply_overrides, map_rows, suggest_mapping
    from crmdesk.io.contacts_in.table import read_table
    from crmdesk.io.contacts_in.vcard import read_vcards

    data = _read_file(path)
    kind = _format_of(path, data, args.format)
    if kind == "vcard":
        if args.map:
            raise CrmdeskError(_("--map is for tables (CSV, XLSX, ODS); a vCard's fields "
                                 "are its own."))
        found = read_vcards(data, encoding=args.encoding)
        if not found.records and found.problems and found.problems[0].line == 0:
            raise CrmdeskError(found.problems[0].message)  # no card in it at all
        return _Read(kind, list(found.records), found.lines,
                     [(p.line, p.message) for p in found.problems], custom=found.custom)
    table = read_table(data, kind, encoding=args.encoding, delimiter=_delimiter(args.delimiter),
                       sheet=args.sheet, has_header=False if args.no_header else None)
    fatal = [p for p in table.problems if p.line == 0 and not table.rows]
    if fatal:
        raise CrmdeskError(fatal[0].message)
    mapping = apply_overrides(suggest_mapping(table.header, table.rows), table.header,
                              args.map, table.rows)
    if args.name_order:
        mapping.name_order = args.name_order
    if args.dayfirst is not None:
        mapping.dayfirst = args.dayfirst
    if table.rows and not mapping.columns:
        raise CrmdeskError(_("No column of {path} could be matched to a field (the columns "
                             "are: {columns}); say which is which with --map COL=FIELD.")
                           .format(path=path.name, columns=", ".join(table.header)))
    mapped = map_rows(table.header, table.rows, table.row_numbers, mapping)
    details = {"encoding": table.encoding, "delimiter": table.delimiter} if kind in (
        "csv", "tsv") else {"sheet": table.sheet, "sheets": table.sheets}
    details.update({"name_order": mapping.name_order, "day_first": mapping.dayfirst})
    return _Read(kind, list(mapped.records), mapped.rows,
                 [(p.line, p.message) for p in [*table.problems, *mapped.problems]],
                 mapping.describe(table.header), details)


def _check_custom_keys(session: Any, read: _Read) -> None:
    from crmdesk.core.fields.service import CONTACT, fields_by_key

    wanted = {key for target in read.mapping for key in [target[1]]
              if key.startswith("custom:")}
    known = fields_by_key(session, CONTACT)
    missing = sorted(k.removeprefix("custom:") for k in wanted
                     if k.removeprefix("custom:") not in known)
    if missing:
        raise CrmdeskError(_("There is no custom field {keys}; add it first with "
                             "'crmdesk fields add', or map the column elsewhere.").format(
                                 keys=", ".join(repr(k) for k in missing)))


def _with_custom_values(session: Any, read: _Read) -> None:
    """A crmdesk vCard's custom values go to the fields of the same key; a value for
    a field this file does not have goes to the notes, with its label, and is said."""
    from crmdesk.core.contacts.bulk_rows import NewContact
    from crmdesk.core.fields.service import CONTACT, fields_by_key

    if not any(read.custom):
        return
    known = fields_by_key(session, CONTACT)
    for i, (record, custom) in enumerate(zip(read.records, read.custom, strict=True)):
        values = {key: text for key, (_label, text) in custom.items() if key in known}
        others = [(label, text) for key, (label, text) in custom.items() if key not in known]
        if others:
            lines = "\n".join(f"{label}: {text}" for label, text in others)
            record.notes = f"{record.notes}\n\n{lines}" if record.notes else lines
            read.problems.append((read.lines[i], _(
                "There is no custom field {fields} here; the values were put in the "
                "notes.").format(fields=", ".join(repr(label) for label, _t in others))))
        if values:
            read.records[i] = NewContact(record, values)


class _Progress:
    """Records done, their rate and the time left, on one line of a terminal's stderr."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not total or done == 0:
            return
        spent = max(time.monotonic() - self.start, 1e-6)
        rate = done / spent
        left = (total - done) / rate if rate else 0
        print("\r" + _("{done}/{total} contacts, {rate:.0f}/s, {left:.0f} s left").format(
            done=done, total=total, rate=rate, left=left) + "   ", end="", file=sys.stderr,
            flush=True)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            print(file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.contacts.bulk import BulkResult, add_contacts
    from crmdesk.core.storage import backups
    from crmdesk.core.storage.database import Database

    path = Path(args.file)
    read = _read(args, path)
    result: BulkResult
    target = db_path(args)
    with ExitStack() as stack:
        if args.dry_run and not target.exists():
            # A dry run leaves no new file behind: it tries a new one in a temporary folder.
            target = Path(stack.enter_context(tempfile.TemporaryDirectory())) / target.name
        existed = target.exists()
        db = stack.enter_context(Database.open(target, shared=True))
        if existed and not args.dry_run and read.records:
            # What the file held before, to go back to if the import was not wanted.
            db.back_up(backups.BEFORE_IMPORT)
        progress = _Progress() if sys.stderr.isatty() else None
        try:
            with db.session() as s:
                _check_custom_keys(s, read)
                _with_custom_values(s, read)
                result = add_contacts(s, read.records, skip_invalid=True, keep_invalid=True,
                                      progress=progress)
                if args.dry_run:
                    raise _DryRun(result)  # rolls the unit of work back
        except _DryRun as dry:
            result = dry.result
        finally:
            if progress is not None:
                progress.close()
    problems = list(read.problems)
    for index, found in sorted(result.problems.items()):
        line = read.lines[index]
        left_out = index in result.skipped
        for problem in found:
            text = problem.message if left_out or problem.severity == "error" else \
                _("warning: {message}").format(message=problem.message)
            problems.append((line, text))
    for index in result.skipped:
        problems.append((read.lines[index], _("This contact was left out.")))
    problems.sort(key=lambda p: p[0])
    rows = len({line for line, _m in problems if line > 0})
    new = len(read.records) - len(result.skipped)
    if args.json:
        print_json({"file": str(path), "format": read.kind, "dry_run": bool(args.dry_run),
                    "new": new, "ids": [] if args.dry_run else result.ids,
                    "left_out": len(result.skipped), "rows_with_problems": rows,
                    "problems": [{"line": line, "message": m} for line, m in problems],
                    "mapping": [{"column": c, "field": f} for c, f in read.mapping],
                    **read.details})
        return EXIT_OK
    where = _("row") if read.kind in ("xlsx", "ods") else _("line")
    if args.dry_run:
        print(ngettext("Dry run: {n} new contact", "Dry run: {n} new contacts", new)
              .format(n=new) + ", " +
              ngettext("{k} row with problems", "{k} rows with problems", rows).format(k=rows)
              + _("; nothing was written."))
    else:
        print(ngettext("Imported {n} contact from {file}.", "Imported {n} contacts from {file}.",
                       new).format(n=new, file=path.name) +
              (" " + ngettext("{k} row with problems:", "{k} rows with problems:", rows)
               .format(k=rows) if rows else ""))
    if read.mapping and args.dry_run:
        print(_("Columns: {pairs}").format(
            pairs=", ".join(f"{c} → {f}" for c, f in read.mapping)))
    for line, message in problems:
        print(f"  {where} {line}: {message}" if line else f"  {message}")
    return EXIT_OK
