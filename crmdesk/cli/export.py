"""`crmdesk export`: any lookup's contacts as a call list (CSV or XLSX,
io/call_list.py) or as vCards for a phone or another address book (io/vcard_out.py).

The rows come in the list's order (by name unless --sort says otherwise); a call
list's columns are chosen with --columns, custom fields as cf:<key>.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from crmdesk.cli.common import EXIT_OK, Subparsers, add_db_option, db_path, print_json
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _, ngettext

_SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", ",": ",", ";": ";", "\\t": "\t"}


def add_parser(sub: Subparsers) -> None:
    from crmdesk.io.call_list import DEFAULT_COLUMNS, ENCODINGS

    p = sub.add_parser(
        "export", help=_("write contacts as a call list (CSV, XLSX) or as vCards"),
        description=_("Write the contacts a lookup finds (all of them without --lookup) as "
                      "a CSV or XLSX file, in the list's order, with the columns you choose "
                      "(phones are written for dialling), or as a vCard file for a phone "
                      "or another address book (every field crmdesk keeps)."))
    add_db_option(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help=_("the file to write (.csv, .xlsx or .vcf)"))
    p.add_argument("--lookup", default="", metavar="Q",
                   help=_("which contacts, as in the search box (e.g. 'city:Kaunas')"))
    p.add_argument("--format", choices=("csv", "xlsx", "vcard"), dest="file_format",
                   help=_("csv, xlsx or vcard (default: from the file name, else csv)"))
    p.add_argument("--vcard-version", choices=("3.0", "4.0"), default="3.0",
                   help=_("vCard 3.0 (what every phone reads; the default) or 4.0"))
    p.add_argument("--columns", default=",".join(DEFAULT_COLUMNS), metavar="KEYS",
                   help=_("the columns, comma-separated (default: %(default)s); "
                          "--list-columns shows them all"))
    p.add_argument("--list-columns", action="store_true",
                   help=_("list the columns there are and exit"))
    p.add_argument("--sort", default="name", metavar="KEY",
                   help=_("the order: name, company, city, last_contact, cf:<key> …"))
    p.add_argument("--descending", action="store_true", help=_("the other way round"))
    p.add_argument("--encoding", choices=list(ENCODINGS), default="utf-8-sig",
                   help=_("CSV text encoding (default: UTF-8 with a BOM, which Excel needs)"))
    p.add_argument("--delimiter", default="comma", choices=list(_SEPARATORS),
                   metavar="SEP", help=_("CSV separator: comma, semicolon or tab"))
    p.add_argument("--national", action="store_true",
                   help=_("phones of the file's country without the country code"))
    p.add_argument("--json", action="store_true", help=_("say what was written as JSON"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.lookup.query import CONTACT, find_ids
    from crmdesk.core.storage.database import Database
    from crmdesk.io.call_list import INTERNATIONAL, NATIONAL, export_columns, export_contacts

    with Database.open(db_path(args), readonly=True) as db, db.reading() as s:
        if args.list_columns:
            for key, column in export_columns(s).items():
                print(f"{key}\t{column.title()}")
            return EXIT_OK
        out = Path(args.output)
        by_suffix = {".xlsx": "xlsx", ".vcf": "vcard", ".vcard": "vcard"}
        file_format = args.file_format or by_suffix.get(out.suffix.lower(), "csv")
        keys = [k.strip() for k in args.columns.split(",") if k.strip()]
        try:
            ids = find_ids(s, CONTACT, args.lookup, strict=True, sort=args.sort,
                           descending=args.descending)
        except ValueError as exc:  # an order that is not one
            raise CrmdeskError(_("{sort!r} is not an order: {error}").format(
                sort=args.sort, error=exc)) from exc
        if file_format == "vcard":
            from crmdesk.io.vcard_out import export_vcards

            keys = []
            written = export_vcards(s, ids, out, version=args.vcard_version)
        else:
            written = export_contacts(s, ids, keys, out, file_format=file_format,
                                      encoding=args.encoding,
                                      delimiter=_SEPARATORS[args.delimiter],
                                      phones=NATIONAL if args.national else INTERNATIONAL,
                                      title=args.lookup)
    if args.json:
        print_json({"file": str(out), "format": file_format, "rows": written,
                    "columns": keys}, indent=None)
    else:
        print(ngettext("Wrote {n} contact to {path}.", "Wrote {n} contacts to {path}.",
                       written).format(n=written, path=out))
    return EXIT_OK
