"""`crmdesk labels` and `crmdesk envelopes`: mailing labels or envelopes for any
lookup or group, as a PDF to print at 100 % (output/labels).

The same choices as File > Print Labels…: the sheet (a catalogue code, or a
gLabels template file), which address, which lines, upper case, the order,
one per household, copies, where to start on a partly used sheet, outlines for
a test print on plain paper, and the printer's offset in millimetres. Contacts
that get no label (no address, or one a postman could not deliver to) are
listed after the run, never dropped in silence.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

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

_PAIR = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*[,;x ]\s*([-+]?\d+(?:[.,]\d+)?)\s*$")


def _pair(text: str, what: str) -> tuple[float, float]:
    match = _PAIR.match(text or "")
    if not match:
        raise CrmdeskError(_("{what} is two numbers with a comma between, like 2,3; not "
                             "{text!r}.").format(what=what, text=text))
    return (float(match.group(1).replace(",", ".")), float(match.group(2).replace(",", ".")))


def add_common(p: argparse.ArgumentParser, *, envelopes: bool) -> None:
    from crmdesk.output.labels.layout import SORTS
    from crmdesk.output.labels.recipients import ADDRESS_KINDS

    add_db_option(p)
    p.add_argument("-o", "--output", metavar="OUT.pdf", help=_("the PDF to write"))
    p.add_argument("--lookup", default="", metavar="Q",
                   help=_("which contacts, as in the search box (e.g. 'city:Kaunas'); "
                          "everyone without it"))
    p.add_argument("--group", metavar="NAME", help=_("the contacts of a group"))
    p.add_argument("--template-file", metavar="FILE.xml",
                   help=_("a gLabels template file (with --template naming one of its "
                          "sheets when it has several)"))
    p.add_argument("--list-templates", nargs="?", const="", metavar="SEARCH",
                   help=_("list the sheets and envelopes crmdesk knows (matching SEARCH: "
                          "a brand or a code) and exit"))
    p.add_argument("--search", metavar="TEXT", help=_("with --list-templates: what to look for"))
    p.add_argument("--address", choices=ADDRESS_KINDS, default="mailing",
                   help=_("which address: mailing (the default), work (the company's for "
                          "business contacts), home or primary"))
    p.add_argument("--no-title", action="store_true",
                   help=_("the name without its title (Dr., Mr.)"))
    p.add_argument("--job-title", action="store_true", help=_("add the job title"))
    p.add_argument("--department", action="store_true", help=_("add the department"))
    p.add_argument("--no-company", action="store_true", help=_("leave out the company"))
    p.add_argument("--upper", action="store_true", help=_("everything in capitals"))
    p.add_argument("--sort", choices=SORTS, default="list",
                   help=_("the order: list (as the lookup lists them), postcode, name or "
                          "country"))
    p.add_argument("--household", "--per-household", action="store_true", dest="household",
                   help=_("one for each address shared by several contacts"))
    p.add_argument("--copies", type=int, default=1, metavar="N", help=_("of each (default 1)"))
    p.add_argument("--offset", metavar="X,Y", default="0,0",
                   help=_("move everything X mm right and Y mm down, for a printer that "
                          "prints a little off (negative: left, up)"))
    p.add_argument("--font-size", type=float, default=10.0, metavar="PT",
                   help=_("the largest text size (default 10 pt; long text is set smaller)"))
    p.add_argument("--home-country", metavar="CC",
                   help=_("your own country (no country line for addresses there); by "
                          "default the file's phone country"))
    p.add_argument("--json", action="store_true", help=_("say what was written as JSON"))
    p.add_argument("--calibration", action="store_true",
                   help=_("write a calibration page instead: crosses 20 mm from the edges "
                          "to print on plain paper and measure the printer's offset"))
    if envelopes:
        p.add_argument("--envelope", "--template", dest="template", default="DL",
                       metavar="CODE", help=_("#10, Monarch, DL (the default), C5, C6 or C4"))
        p.add_argument("--sender", metavar="LINES",
                       help=_("the return address, lines separated by '|' (default: the "
                              "one saved in the file)"))
        p.add_argument("--save-sender", action="store_true",
                       help=_("keep --sender in the file for the next envelopes"))
    else:
        p.add_argument("--template", metavar="CODE",
                       help=_("the sheet's code from its box, e.g. 5160, L7160, 'Herma 4464'"))
        p.add_argument("--start", metavar="ROW,COL",
                       help=_("the first label to use on a partly used sheet"))
        p.add_argument("--start-row", type=int, metavar="R")
        p.add_argument("--start-column", type=int, metavar="C")
        p.add_argument("--outlines", "--outline", action="store_true", dest="outlines",
                       help=_("draw each label's outline, for a test print on plain paper"))


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "labels", help=_("print mailing labels as a PDF"),
        description=_("Write mailing labels for the contacts a lookup or group finds as a "
                      "PDF: print it at 100 % (no 'fit to page') on the sheet you name."))
    add_common(p, envelopes=False)
    p.set_defaults(run=run, envelopes=False)


def _template(args: argparse.Namespace, kind: str):  # type: ignore[no-untyped-def]
    from crmdesk.output.labels.catalogue import find
    from crmdesk.output.labels.glabels import TemplateFileError, read_file

    try:
        if args.template_file:
            sheets = tuple(read_file(args.template_file))
            if args.template:
                return find(args.template, templates=sheets)
            if len(sheets) > 1:
                raise CrmdeskError(_("{path} has {n} sheets; name one with --template: "
                                     "{names}").format(path=args.template_file, n=len(sheets),
                                                       names=", ".join(t.code for t in
                                                                       sheets[:20])))
            return sheets[0]
        if not args.template:
            raise CrmdeskError(_("Name the sheet with --template CODE (the code on its box, "
                                 "e.g. 5160 or L7160); --list-templates lists them."))
        return find(args.template, kind=kind)
    except (TemplateFileError, ValueError) as exc:
        if isinstance(exc, CrmdeskError):
            raise
        raise CrmdeskError(str(exc)) from exc


def list_templates(args: argparse.Namespace, kind: str) -> int:
    from crmdesk.output.labels.catalogue import search

    text = " ".join(t for t in (args.list_templates, args.search) if t)
    found = search(text, kind=kind)
    if args.json:
        print_json([{"code": t.code, "kind": t.kind, "description": t.description,
                     "size": t.summary(), "equivalents": list(t.equivalents)}
                    for t in found])
        return EXIT_OK
    if not found:
        print(_("No template matches {text!r}.").format(text=text))
        return EXIT_OK
    print_table([_("Code"), _("What"), _("Size"), _("Also sold as")],
                [[t.code, t.description, t.summary(),
                  ", ".join(e for e in t.equivalents[:6])
                  + (" …" if len(t.equivalents) > 6 else "")] for t in found])
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.storage.database import Database
    from crmdesk.output.labels import make_plan
    from crmdesk.output.labels.geometry import ENVELOPE, SHEET, GeometryError
    from crmdesk.output.labels.layout import LabelOptions
    from crmdesk.output.labels.pdf import write_pdf
    from crmdesk.output.labels.recipients import (
        home_country,
        lookup_ids,
        save_sender,
        sender_lines,
    )

    kind = ENVELOPE if args.envelopes else SHEET
    if args.list_templates is not None or args.search is not None:
        args.list_templates = args.list_templates or ""
        return list_templates(args, kind)
    if not args.output:
        raise CrmdeskError(_("Say where to write the PDF with -o OUT.pdf."))
    template = _template(args, kind)
    if args.calibration:
        from crmdesk.output.labels.pdf import write_calibration_pdf

        dx, dy = _pair(args.offset, "--offset")
        write_calibration_pdf(args.output, template, offset_x=dx, offset_y=dy)
        print(_("Wrote a calibration page for {template} to {path}. Print it at 100 % on "
                "plain paper and measure where the crosses land.").format(
                    template=template.code, path=args.output))
        return EXIT_OK
    if args.copies < 1 or args.copies > 1000:
        raise CrmdeskError(_("--copies is a number from 1 to 1000."))
    if not 4 <= args.font_size <= 72:
        raise CrmdeskError(_("--font-size is between 4 and 72 points."))
    offset = _pair(args.offset, "--offset")
    row = column = 1
    if not args.envelopes:
        if args.start:
            row_f, col_f = _pair(args.start, "--start")
            row, column = int(row_f), int(col_f)
        row = args.start_row or row
        column = args.start_column or column
        try:
            template.slot_at(row, column)
        except GeometryError as exc:
            raise CrmdeskError(str(exc)) from exc
    lookup = args.lookup
    if args.group:
        from crmdesk.core.contacts.groups import group_term

        lookup = f"{group_term(args.group)} ({lookup})" if lookup else group_term(args.group)
    sender: tuple[str, ...] = ()
    saving = bool(getattr(args, "save_sender", False))
    with Database.open(db_path(args), readonly=not saving, shared=saving) as db:
        if args.envelopes and args.sender is not None:
            sender = tuple(s.strip() for s in args.sender.split("|") if s.strip())
            if args.save_sender:
                with db.session() as s:
                    save_sender(s, sender)
        with db.reading() as s:
            if args.envelopes and args.sender is None:
                sender = sender_lines(s)
            ids = lookup_ids(s, lookup)
            options = LabelOptions(
                address=args.address, title=not args.no_title, job_title=args.job_title,
                company=not args.no_company, department=args.department, upper=args.upper,
                sort=args.sort, household=args.household, copies=args.copies,
                start_row=row, start_column=column,
                outlines=bool(getattr(args, "outlines", False)), offset_x=offset[0],
                offset_y=offset[1], font_size=args.font_size,
                min_font_size=min(6.0, args.font_size),
                home_country=(args.home_country or home_country(s)).upper(), sender=sender)
            plan = make_plan(s, ids, template, options)
    out = Path(args.output)
    if not plan.labels or (args.envelopes and not any(p.slot == 0 for p in plan.labels)):
        for line in plan.report():
            print(line)
        if not ids:
            raise CrmdeskError(_("The lookup found no contacts; nothing was written."))
        raise CrmdeskError(ngettext(
            "The contact found has no address a label can be printed for; nothing was "
            "written.",
            "None of the {n} contacts found has an address a label can be printed for; "
            "nothing was written.", len(ids)).format(n=len(ids)))
    write_pdf(out, plan, title=args.lookup or template.code)
    count = sum(1 for p in plan.labels if p.slot >= 0)
    if args.json:
        print_json({"file": str(out), "template": template.code, "labels": count,
                    "pages": plan.pages, "contacts": len(ids),
                    "skipped": [{"name": n, "why": w} for n, w in plan.skipped],
                    "cut": plan.cut}, indent=None)
        return EXIT_OK
    if args.envelopes:
        print(ngettext("Wrote {n} envelope ({template}) to {path}.",
                       "Wrote {n} envelopes ({template}) to {path}.", count)
              .format(n=count, template=template.code, path=out))
    else:
        print(ngettext("Wrote {n} label to {path} ({template}, pages: {pages}).",
                       "Wrote {n} labels to {path} ({template}, pages: {pages}).", count)
              .format(n=count, pages=plan.pages, template=template.code, path=out))
    print(_("Print it at 100 % (actual size), not 'fit to page'."))
    for line in plan.report():
        print(line)
    return EXIT_OK
