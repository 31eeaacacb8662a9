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
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from crmdesk.cli.common import (
    EXIT_OK,
    Subparsers,
    add_db_option,
    db_path,
    print_json,
    print_table,
)
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _, ngettext

FORMATS = ("csv", "tsv", "xlsx", "ods", "vcard", "ics")
POLICIES = ("skip", "fill", "update", "create")


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "import", help=_("bring contacts in from a vCard, CSV, Excel or LibreOffice file; "
                         "activities from a calendar file (.ics)"),
        description=_("Import the contacts in FILE: vCards (from a phone, Outlook, Google or "
                      "Apple), or a table (CSV/TSV, XLSX, ODS) whose columns are matched to "
                      "fields by their headers. --dry-run shows what would be imported and "
                      "which rows have problems, and writes nothing. The import is one "
                      "transaction: all of it, or nothing. A calendar file (.ics: Outlook, "
                      "Google, Thunderbird ...) adds its events and to-dos to the "
                      "calendar."))
    add_db_option(p)
    p.add_argument("file", metavar="FILE", nargs="?", default=None,
                   help=_("the file to import"))
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
    p.add_argument("--mapping", metavar="NAME", default=None,
                   help=_("start from the mapping saved as NAME (--map goes on top)"))
    p.add_argument("--save-mapping", metavar="NAME", default=None,
                   help=_("save the columns' mapping as NAME, for the next file like this"))
    p.add_argument("--name-order", choices=("given_first", "family_first",
                                            "family_given_patronymic"), default=None,
                   help=_("the order of the parts of a full-name column (default: "
                          "proposed from the data)"))
    dates = p.add_mutually_exclusive_group()
    dates.add_argument("--day-first", dest="dayfirst", action="store_const", const=True,
                       default=None, help=_("read 03/04/1980 as 3 April"))
    dates.add_argument("--month-first", dest="dayfirst", action="store_const", const=False,
                       help=_("read 03/04/1980 as March 4"))
    p.add_argument("--on-duplicate", choices=POLICIES, default=None,
                   help=_("what to do with a contact that looks like one already in the "
                          "file (the same e-mail, the same phone, a similar name): skip it, "
                          "fill the existing contact's empty fields, update the existing "
                          "contact with the file's values, or create it anyway (default)"))
    p.add_argument("--dry-run", action="store_true",
                   help=_("show what would be imported; write nothing"))
    p.add_argument("--undo", metavar="BATCH", default=None,
                   help=_("undo the import BATCH (its number, or 'last'): the contacts it "
                          "added go to the trash, the ones it updated get their values "
                          "back"))
    p.add_argument("--list-batches", action="store_true",
                   help=_("list the imports of the file, with their batch numbers"))
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    p.set_defaults(run=run)


def _delimiter(value: str | None) -> str | None:
    if value is None:
        return None
    if value.lower() in ("tab", "\\t"):
        return "\t"
    if len(value) != 1:
        raise CrmdeskError(_("--delimiter must be one character (or 'tab'), not {value!r}.")
                           .format(value=value))
    return value


def _read(args: argparse.Namespace, path: Path, preset: Any = None) -> Any:
    from crmdesk.io.contacts_in.importer import (
        format_of,
        prepare_table,
        prepare_vcards,
        read_file,
    )
    from crmdesk.io.contacts_in.mapping import apply_overrides, suggest_mapping
    from crmdesk.io.contacts_in.table import read_table

    data = read_file(path)
    kind = format_of(path, data, args.format)
    if kind == "vcard":
        if args.map:
            raise CrmdeskError(_("--map is for tables (CSV, XLSX, ODS); a vCard's fields "
                                 "are its own."))
        return prepare_vcards(data, encoding=args.encoding)
    table = read_table(data, kind, encoding=args.encoding, delimiter=_delimiter(args.delimiter),
                       sheet=args.sheet, has_header=False if args.no_header else None)
    fatal = [p for p in table.problems if p.line == 0 and not table.rows]
    if fatal:
        raise CrmdeskError(fatal[0].message)
    mapping = suggest_mapping(table.header, table.rows)
    if preset is not None:
        from crmdesk.io.contacts_in.presets import apply_preset

        mapping = apply_preset(mapping, table.header, preset, table.rows)
    mapping = apply_overrides(mapping, table.header, args.map, table.rows)
    if args.name_order:
        mapping.name_order = args.name_order
    if args.dayfirst is not None:
        mapping.dayfirst = args.dayfirst
    if table.rows and not mapping.columns:
        raise CrmdeskError(_("No column of {path} could be matched to a field (the columns "
                             "are: {columns}); say which is which with --map COL=FIELD.")
                           .format(path=path.name, columns=", ".join(table.header)))
    return prepare_table(kind, table, mapping)


class TerminalProgress:
    """A progress bar with the rate and the time left (tqdm) on a terminal's stderr;
    nothing at all when stderr is piped or redirected, so scripts get clean output.
    The bar is made at the first report, when the total is known."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.bar: Any = None
        self.on_terminal = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.on_terminal:
            return
        if self.bar is None:
            from tqdm import tqdm

            # A terminal that does not say its size (0 x 0) gets 80 x 24, not an
            # invisible bar.
            size = shutil.get_terminal_size((80, 24))
            self.bar = tqdm(total=total or None, unit=self.unit, file=sys.stderr,
                            ncols=min(size.columns or 80, 120), nrows=size.lines or 24,
                            mininterval=0.1)
        elif total and self.bar.total != total:
            self.bar.total = total
        self.bar.update(max(0, done - self.bar.n))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.storage.database import Database
    from crmdesk.io.contacts_in.importer import import_prepared

    if args.list_batches:
        return _list_batches(args)
    if args.undo is not None:
        return _undo(args)
    if args.file is None:
        raise CrmdeskError(_("Name the file to import (or use --undo BATCH or "
                             "--list-batches)."))
    path = Path(args.file)
    target = db_path(args)
    if _is_calendar(args, path):
        return _import_calendar(args, path, target)
    preset = None
    if args.mapping:
        from crmdesk.io.contacts_in.presets import preset_named

        if not target.exists():
            raise CrmdeskError(_("There is no database at {path} to take the mapping "
                                 "from.").format(path=target))
        with Database.open(target, readonly=True) as db, db.reading() as s:
            preset = preset_named(s, args.mapping)
    read = _read(args, path, preset)
    if args.save_mapping and read.table_mapping is None:
        raise CrmdeskError(_("--save-mapping is for tables (CSV, XLSX, ODS)."))
    with ExitStack() as stack:
        if args.dry_run and not target.exists():
            # A dry run leaves no new file behind: it tries a new one in a temporary folder.
            target = Path(stack.enter_context(tempfile.TemporaryDirectory())) / target.name
        existed = target.exists()
        db = stack.enter_context(Database.open(target, shared=True))
        progress = TerminalProgress(_(" contacts"))
        try:
            report = import_prepared(db, read, dry_run=args.dry_run, progress=progress,
                                     backup=existed,
                                     on_duplicate=args.on_duplicate or "create",
                                     source=path.name)
        finally:
                progress.close()
        if args.save_mapping and not args.dry_run:
            from crmdesk.io.contacts_in.presets import preset_of, save_preset

            with db.session() as s:
                save_preset(s, args.save_mapping, preset_of(read.table_mapping, read.header))
    problems, rows, new = report.problems, report.rows_with_problems, report.new
    if args.json:
        print_json({"file": str(path), "format": read.kind, "dry_run": bool(args.dry_run),
                    "new": new, "ids": report.ids, "batch": report.batch,
                    "on_duplicate": report.policy, "updated": report.updated,
                    "unchanged": report.unchanged,
                    "skipped_duplicates": report.skipped_duplicates,
                    "left_out": report.left_out, "rows_with_problems": rows,
                    "possible_duplicates": [{"line": line, "message": m}
                                            for line, m in report.duplicates],
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
    said = _policy_said(report, dry=bool(args.dry_run))
    if said:
        print(said)
    if read.mapping and args.dry_run:
        print(_("Columns: {pairs}").format(
            pairs=", ".join(f"{c} → {f}" for c, f in read.mapping)))
    for line, message in problems:
        print(f"  {where} {line}: {message}" if line else f"  {message}")
    if report.duplicates:
        print(ngettext("{m} may already be in the file:", "{m} may already be in the file:",
                       len(report.duplicates)).format(m=len(report.duplicates)))
        for line, message in report.duplicates:
            print(f"  {where} {line}: {message}")
    if report.batch is not None and (new or report.updated):
        print(_("To undo this import: crmdesk import --undo {batch}").format(
            batch=report.batch))
    return EXIT_OK


# Options for contacts that a calendar file has no use for: (option, attribute).
_CONTACT_ONLY = (("--mapping", "mapping"), ("--save-mapping", "save_mapping"),
                 ("--on-duplicate", "on_duplicate"), ("--map", "map"),
                 ("--encoding", "encoding"), ("--delimiter", "delimiter"),
                 ("--sheet", "sheet"), ("--no-header", "no_header"),
                 ("--name-order", "name_order"), ("--day-first/--month-first", "dayfirst"))


def _is_calendar(args: argparse.Namespace, path: Path) -> bool:
    """An .ics file: so named, --format ics, or a file that starts BEGIN:VCALENDAR."""
    from crmdesk.io.ics import is_calendar_file

    if args.format is not None:
        return bool(args.format == "ics")
    if is_calendar_file(path.name):
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        return False  # the contacts' reading says why
    return is_calendar_file(path.name, head)


def _import_calendar(args: argparse.Namespace, path: Path, target: Path) -> int:
    """A calendar file goes to the calendar (what `crmdesk calendar-import` does)."""
    from crmdesk.cli.agenda import import_calendar

    given = [option for option, name in _CONTACT_ONLY
             if getattr(args, name) not in (None, False, [])]
    if given:
        raise CrmdeskError(ngettext(
            "{options} is for contacts; {file} is a calendar file, whose events and "
            "to-dos go to the calendar as they are. Leave it out.",
            "{options} are for contacts; {file} is a calendar file, whose events and "
            "to-dos go to the calendar as they are. Leave them out.",
            len(given)).format(options=", ".join(given), file=path.name))
    return import_calendar(target, path, dry_run=bool(args.dry_run), as_json=bool(args.json))


def _policy_said(report: Any, *, dry: bool) -> str:
    """What the duplicates policy did (or would do), in one line; "" if nothing."""
    parts = []
    if report.updated:
        n = len(report.updated)
        parts.append((ngettext("{n} existing contact would be filled in",
                               "{n} existing contacts would be filled in", n)
                      if report.policy == "fill" else
                      ngettext("{n} existing contact would be updated",
                               "{n} existing contacts would be updated", n)).format(n=n)
                     if dry else
                     (ngettext("{n} existing contact filled in",
                               "{n} existing contacts filled in", n)
                      if report.policy == "fill" else
                      ngettext("{n} existing contact updated",
                               "{n} existing contacts updated", n)).format(n=n))
    if report.unchanged:
        parts.append(ngettext("{n} duplicate had nothing new",
                              "{n} duplicates had nothing new",
                              report.unchanged).format(n=report.unchanged))
    if report.skipped_duplicates:
        parts.append(ngettext("{n} duplicate skipped", "{n} duplicates skipped",
                              report.skipped_duplicates).format(n=report.skipped_duplicates))
    return "; ".join(parts) + "." if parts else ""


def _batch_id(session: Any, text: str) -> int:
    from crmdesk.core.contacts.import_batches import last_batch

    if text.strip().lower() == "last":
        last = last_batch(session)
        if last is None:
            raise CrmdeskError(_("There is no import to undo in this file."))
        return last.id
    try:
        return int(text)
    except ValueError:
        raise CrmdeskError(_("--undo takes an import's batch number (see --list-batches) or "
                             "'last', not {text!r}.").format(text=text)) from None


def _undo(args: argparse.Namespace) -> int:
    from crmdesk.core.contacts.import_batches import label_of, undo_batch
    from crmdesk.core.storage.database import Database

    target = db_path(args)
    if not target.exists():
        raise CrmdeskError(_("There is no database at {path}.").format(path=target))
    with Database.open(target, shared=True) as db:
        progress = TerminalProgress(_(" contacts"))
        try:
            with db.session() as s:
                undone = undo_batch(s, _batch_id(s, args.undo), progress=progress)
        finally:
            progress.close()
    batch = undone.batch
    if args.json:
        print_json({"batch": batch.id, "file": batch.source, "trashed": undone.trashed,
                    "restored": undone.restored,
                    "edited_since": [{"id": cid, "name": name, "kept_fields": kept}
                                     for cid, name, kept in undone.edited_since]})
        return EXIT_OK
    print(_("Undid the import of {file} ({when}): {trashed} and {restored}.").format(
        file=batch.source or "?", when=batch.started_at.strftime("%Y-%m-%d %H:%M"),
        trashed=ngettext("{n} contact it added moved to the trash",
                         "{n} contacts it added moved to the trash",
                         len(undone.trashed)).format(n=len(undone.trashed)),
        restored=ngettext("{n} contact it updated put back as it was",
                          "{n} contacts it updated put back as they were",
                          len(undone.restored)).format(n=len(undone.restored))))
    for cid, name, kept in undone.edited_since:
        if kept:
            print("  " + _("{name} (contact {id}) was edited after the import; your later "
                           "changes to {fields} were kept.").format(
                               name=name, id=cid,
                               fields=", ".join(label_of(k) for k in kept)))
        else:
            print("  " + _("{name} (contact {id}) was edited after the import; it went to "
                           "the trash with the rest (restore it from there).").format(
                               name=name, id=cid))
    return EXIT_OK


def _list_batches(args: argparse.Namespace) -> int:
    from crmdesk.core.contacts.import_batches import list_batches
    from crmdesk.core.storage.database import Database

    with Database.open(db_path(args), readonly=True) as db, db.reading() as s:
        batches = list_batches(s)
    if args.json:
        print_json([{"batch": b.id, "started_at": b.started_at.isoformat(), "file": b.source,
                     "format": b.file_format, "added": b.added, "updated": b.updated,
                     "undone_at": b.undone_at.isoformat() if b.undone_at else None}
                    for b in batches])
        return EXIT_OK
    if not batches:
        print(_("No contacts were imported into this file."))
        return EXIT_OK
    print_table([_("Batch"), _("When"), _("File"), _("Added"), _("Updated"), _("Undone")],
                [[str(b.id), b.started_at.strftime("%Y-%m-%d %H:%M"), b.source,
                  str(b.added), str(b.updated),
                  b.undone_at.strftime("%Y-%m-%d %H:%M") if b.undone_at else ""]
                 for b in batches])
    return EXIT_OK
