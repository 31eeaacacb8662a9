"""`crmdesk export`: any lookup's contacts as a call list (CSV, XLSX or a PDF call
sheet to print, io/call_list.py and io/call_sheet_pdf.py) or as vCards for a phone
or another address book (io/vcard_out.py).

The rows come in the list's order (by name unless --sort says otherwise); a call
list's columns are chosen with --columns, custom fields as cf:<key>. A preset
(io/export_presets.py, shared with the window's export) brings its columns, sort
and format; what is typed on the command line goes on top.

Which contacts: ``_sources`` below lists the options that choose them (--lookup;
another source, such as a group, is one more entry there).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crmdesk.cli.common import EXIT_OK, Subparsers, add_db_option, db_path, print_json
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _, ngettext

_SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", ",": ",", ";": ";", "\\t": "\t"}


_SUFFIXES = {".xlsx": "xlsx", ".pdf": "pdf", ".vcf": "vcard", ".vcard": "vcard",
             ".ics": "ics", ".ical": "ics"}
# What a calendar file cannot use: (option, its attribute, the value when not given).
_NOT_FOR_ICS = (("--columns", "columns", None), ("--sort", "sort", None),
                ("--descending", "descending", None), ("--encoding", "encoding", None),
                ("--delimiter", "delimiter", None), ("--national", "national", None),
                ("--paper", "paper", None), ("--title", "title", None),
                ("--preset", "preset", None), ("--save-preset", "save_preset", None))


def add_parser(sub: Subparsers) -> None:
    from crmdesk.io.call_list import DEFAULT_COLUMNS, ENCODINGS

    p = sub.add_parser(
        "export", help=_("write contacts as a call list (CSV, XLSX, PDF) or as vCards; "
                         "the calendar as .ics"),
        description=_("Write the contacts a lookup finds (all of them without --lookup) as "
                      "a CSV or XLSX file or a PDF call sheet to print, in the list's "
                      "order, with the columns you choose (phones are written for "
                      "dialling), or as a vCard file for a phone or another address book "
                      "(every field crmdesk keeps). --format ics writes activities "
                      "instead: the calendar (or --from .. --to, or those with the "
                      "contacts --lookup or --group finds) as a file other calendars "
                      "import."))
    add_db_option(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help=_("the file to write (.csv, .xlsx, .pdf, .vcf or .ics)"))
    p.add_argument("--lookup", default="", metavar="Q",
                   help=_("which contacts, as in the search box (e.g. 'city:Kaunas')"))
    p.add_argument("--group", default=None, metavar="NAME",
                   help=_("which contacts: a group's (crmdesk groups list); with more "
                          "conditions: --lookup 'group:\"NAME\" city:Kaunas'"))
    p.add_argument("--format", choices=("csv", "xlsx", "pdf", "vcard", "ics"),
                   dest="file_format",
                   help=_("csv, xlsx, pdf, vcard or ics (default: from the file name, else "
                          "csv)"))
    p.add_argument("--from", dest="first", metavar="D", default=None,
                   help=_("ics: activities from this day on, e.g. 2026-06-01 or this-month "
                          "(default: all)"))
    p.add_argument("--to", dest="last", metavar="D", default=None,
                   help=_("ics: activities up to this day (inclusive)"))
    p.add_argument("--vcard-version", choices=("3.0", "4.0"), default="3.0",
                   help=_("vCard 3.0 (what every phone reads; the default) or 4.0"))
    p.add_argument("--columns", default=None, metavar="KEYS",
                   help=_("the columns, comma-separated (default: {default}); "
                          "--list-columns shows them all").format(
                              default=",".join(DEFAULT_COLUMNS)))
    p.add_argument("--list-columns", action="store_true",
                   help=_("list the columns there are and exit"))
    p.add_argument("--sort", default=None, metavar="KEY",
                   help=_("the order: name, company, city, last_contact, cf:<key> …"))
    p.add_argument("--descending", action="store_true", default=None,
                   help=_("the other way round"))
    p.add_argument("--encoding", choices=list(ENCODINGS), default=None,
                   help=_("CSV text encoding (default: UTF-8 with a BOM, which Excel needs)"))
    p.add_argument("--delimiter", default=None, choices=list(_SEPARATORS),
                   metavar="SEP", help=_("CSV separator: comma, semicolon or tab"))
    p.add_argument("--national", action="store_true", default=None,
                   help=_("phones of the file's country without the country code"))
    p.add_argument("--paper", choices=("a4", "letter"), default=None,
                   help=_("the PDF's paper (default: what the locale uses)"))
    p.add_argument("--title", default=None,
                   help=_("the PDF call sheet's title (default: the lookup)"))
    p.add_argument("--preset", metavar="NAME", default=None,
                   help=_("start from the export preset saved as NAME (columns, sort, "
                          "format); what you type here goes on top"))
    p.add_argument("--save-preset", metavar="NAME", default=None,
                   help=_("save these columns, sort and format as the preset NAME "
                          "(also shown in the window's export)"))
    p.add_argument("--list-presets", action="store_true",
                   help=_("list the saved export presets and exit"))
    p.add_argument("--json", action="store_true", help=_("say what was written as JSON"))
    p.set_defaults(run=run)


def _lookup_ids(s: Any, args: argparse.Namespace, sort: str, descending: bool) -> list[int]:
    from crmdesk.core.lookup.query import CONTACT, find_ids

    try:
        return find_ids(s, CONTACT, args.lookup, strict=True, sort=sort,
                        descending=descending)
    except ValueError as exc:  # an order that is not one
        raise CrmdeskError(_("{sort!r} is not an order: {error}").format(
            sort=sort, error=exc)) from exc


def _group_ids(s: Any, args: argparse.Namespace, sort: str, descending: bool) -> list[int]:
    from crmdesk.core.contacts.groups import group_named, member_ids

    if args.lookup:
        raise CrmdeskError(_("Give --lookup or --group, not both (--lookup "
                             "'group:\"NAME\" …' is a group narrowed further)."))
    try:
        return member_ids(s, group_named(s, args.group).id, sort=sort,
                          descending=descending)
    except ValueError as exc:  # an order that is not one
        raise CrmdeskError(_("{sort!r} is not an order: {error}").format(
            sort=sort, error=exc)) from exc


# Which contacts: the first source whose option was given, else the lookup (all
# contacts when it is empty). Each is (is it chosen, its ids in the order asked).
_sources: list[tuple[Callable[[argparse.Namespace], bool],
                     Callable[[Any, argparse.Namespace, str, bool], list[int]]]] = [
    (lambda args: args.group is not None, _group_ids),
    (lambda args: True, _lookup_ids),
]


def _ids(s: Any, args: argparse.Namespace, sort: str, descending: bool) -> list[int]:
    for chosen, ids in _sources:
        if chosen(args):
            return ids(s, args, sort, descending)
    return []


def _choice(args: argparse.Namespace, preset: Any, out: Path) -> dict[str, Any]:
    """What to write: the command line, else the preset, else the defaults."""
    from crmdesk.io.call_list import DEFAULT_COLUMNS

    def pick(name: str, from_preset: Any, default: Any) -> Any:
        given = getattr(args, name)
        if given is not None:
            return given
        return from_preset if preset is not None else default

    columns = [k.strip() for k in args.columns.split(",") if k.strip()] \
        if args.columns is not None else (list(preset.columns) if preset is not None
                                          else list(DEFAULT_COLUMNS))
    by_name = _SUFFIXES.get(out.suffix.lower())
    file_format = args.file_format or by_name or (preset.file_format if preset else "csv")
    delimiter = _SEPARATORS[args.delimiter] if args.delimiter is not None else (
        preset.delimiter if preset is not None else ",")
    asked = pick("sort", preset.sort if preset else "", "")
    return {"columns": columns, "file_format": file_format,
            "sort": asked or "name", "asked_sort": asked,
            "descending": bool(pick("descending", preset.descending if preset else False,
                                    False)),
            "encoding": pick("encoding", preset.encoding if preset else "", "utf-8-sig"),
            "delimiter": delimiter,
            "national": bool(pick("national", preset.national if preset else False, False))}


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.storage.database import Database
    from crmdesk.io.call_export import export_contacts
    from crmdesk.io.call_list import INTERNATIONAL, NATIONAL, export_columns
    from crmdesk.io.export_presets import clean_name, export_preset_named, export_presets

    out = Path(args.output)
    if args.save_preset is not None:
        clean_name(args.save_preset)  # a name that cannot be kept: said before writing
    with Database.open(db_path(args), readonly=True) as db, db.reading() as s:
        if args.list_columns:
            for key, column in export_columns(s).items():
                print(f"{key}\t{column.title()}")
            return EXIT_OK
        if args.list_presets:
            for name, preset in sorted(export_presets(s).items()):
                print(f"{name}\t{preset.file_format}\t{','.join(preset.columns)}")
            return EXIT_OK
        if _wants_ics(args, out):
            return _run_ics(s, args, out)
        if args.first is not None or args.last is not None:
            raise CrmdeskError(_("--from and --to choose activities: they are for "
                                 "--format ics (the calendar), not for a list of contacts."))
        preset = export_preset_named(s, args.preset) if args.preset else None
        choice = _choice(args, preset, out)
        if preset is not None:  # the columns a file no longer has are passed over
            known = export_columns(s)
            if args.columns is None:
                choice["columns"] = [c for c in choice["columns"] if c in known]
        ids = _ids(s, args, choice["sort"], choice["descending"])
        file_format = choice["file_format"]
        keys = choice["columns"]
        if file_format == "vcard":
            from crmdesk.io.vcard_out import export_vcards

            keys = []
            written = export_vcards(s, ids, out, version=args.vcard_version)
        else:
            title = args.title if args.title is not None else (
                args.lookup or args.group or (args.preset or ""))
            written = export_contacts(s, ids, keys, out, file_format=file_format,
                                      encoding=choice["encoding"],
                                      delimiter=choice["delimiter"],
                                      phones=NATIONAL if choice["national"] else INTERNATIONAL,
                                      title=title, paper=args.paper or "")
    saved = None
    if args.save_preset:
        saved = _save_preset(args, choice)
    if args.json:
        print_json({"file": str(out), "format": file_format, "rows": written,
                    "columns": keys, "preset": saved or args.preset}, indent=None)
    else:
        print(ngettext("Wrote {n} contact to {path}.", "Wrote {n} contacts to {path}.",
                       written).format(n=written, path=out))
        if saved:
            print(_("Saved the export preset {name!r}.").format(name=saved))
    return EXIT_OK


def _save_preset(args: argparse.Namespace, choice: dict[str, Any]) -> str:
    from crmdesk.core.storage.database import Database
    from crmdesk.io.export_presets import ExportPreset, save_export_preset

    preset = ExportPreset(columns=choice["columns"], file_format=choice["file_format"],
                          sort=choice["asked_sort"],
                          descending=choice["descending"], encoding=choice["encoding"],
                          delimiter=choice["delimiter"], national=choice["national"])
    with Database.open(db_path(args), shared=True) as db, db.session() as s:
        return save_export_preset(s, args.save_preset, preset)


def _wants_ics(args: argparse.Namespace, out: Path) -> bool:
    if args.file_format is not None:
        return bool(args.file_format == "ics")
    return _SUFFIXES.get(out.suffix.lower()) == "ics"


def _run_ics(s: Any, args: argparse.Namespace, out: Path) -> int:
    """The calendar as an .ics file: all of it, a range, or some contacts' activities."""
    from crmdesk.cli.agenda import ics_range
    from crmdesk.io.ics import export_calendar

    given = [option for option, name, unset in _NOT_FOR_ICS
             if getattr(args, name) is not unset]
    if given:
        raise CrmdeskError(ngettext(
            "{options} is for lists of contacts; a calendar file (--format ics) holds "
            "activities with their own fields, so there is nothing to choose there.",
            "{options} are for lists of contacts; a calendar file (--format ics) holds "
            "activities with their own fields, so there is nothing to choose there.",
            len(given)).format(options=", ".join(given)))
    first, last = ics_range(args.first, args.last)
    contacts = None
    if args.lookup or args.group is not None:
        contacts = _ids(s, args, "name", False)
    written = export_calendar(s, out, first, last, contacts)
    if args.json:
        print_json({"file": str(out), "format": "ics", "activities": written,
                    "contacts": None if contacts is None else len(contacts)}, indent=None)
    else:
        print(ngettext("Wrote {n} activity to {path}.", "Wrote {n} activities to {path}.",
                       written).format(n=written, path=out))
    return EXIT_OK
