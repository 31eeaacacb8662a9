"""`crmdesk phone-country`: the country a phone number typed without its code
belongs to, and what becomes of the numbers already typed that way.

Without a code it says the current country. With one it lists the numbers whose
international form would change and, with --reread or --keep, makes the change
(one unit of work): --reread gives them their form in the new country, --keep
leaves them as they are. Numbers typed with +code are never touched.
"""

from __future__ import annotations

import argparse

from crmdesk.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    Subparsers,
    add_db_option,
    db_path,
    print_json,
    print_table,
    say,
)
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _, ngettext

# Rows listed on a terminal; --json lists all.
SHOWN = 50


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "phone-country",
        help=_("show or change the country of numbers typed without a country code"),
        description=_("Without COUNTRY: the country phone numbers typed without their "
                      "code (+…) belong to. With COUNTRY (a two-letter code, or 'none'): "
                      "the numbers typed that way whose international form would change; "
                      "--reread changes the country and re-reads them, --keep changes it "
                      "and leaves them as they are."))
    add_db_option(p)
    p.add_argument("country", nargs="?", metavar="COUNTRY",
                   help=_("a two-letter country code (LT, US, DE …), or none"))
    what = p.add_mutually_exclusive_group()
    what.add_argument("--reread", action="store_true",
                      help=_("change it and re-read the numbers typed without a code"))
    what.add_argument("--keep", action="store_true",
                      help=_("change it and keep those numbers as they are"))
    p.add_argument("--json", action="store_true", help=_("print the numbers as JSON"))
    p.set_defaults(run=run)


def _region(code: str) -> str:
    from crmdesk.core.text.validation import normalize_country

    if code.strip().lower() in ("none", "-", ""):
        return ""
    region, problem = normalize_country(code)
    if problem is not None or len(region) != 2:
        raise CrmdeskError(_("{code!r} is not a two-letter country code (LT, US, DE …).")
                           .format(code=code))
    return region


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.maintenance.phone_region import change_region, preview
    from crmdesk.core.storage.database import Database
    from crmdesk.core.storage.settings import get_setting

    with Database.open(db_path(args), shared=True) as db:
        with db.reading() as s:
            current = get_setting(s, "phone_region")
        if args.country is None:
            if args.json:
                print_json({"country": current}, indent=None)
            else:
                print(current or _("none: numbers need their country code"))
            return EXIT_OK
        region = _region(args.country)
        with db.reading() as s:
            found = preview(s, region)
        if args.json:
            print_json({"country": region, "was": current, "numbers": [
                {"contact": r.contact_id, "company": r.company_id, "name": r.owner,
                 "typed": r.number, "now": r.before, "becomes": r.after} for r in found]})
        elif found:
            print(ngettext("{n} number typed without a country code would change:",
                           "{n} numbers typed without a country code would change:",
                           len(found)).format(n=len(found)))
            print_table([_("Name"), _("Typed"), _("Now"), _("Becomes")],
                        [[r.owner, r.number, r.before or "-", r.after or "-"]
                         for r in found[:SHOWN]])
            if len(found) > SHOWN:
                print(_("… and {n} more.").format(n=len(found) - SHOWN))
        if not (args.reread or args.keep):
            if found:
                say(_("crmdesk: nothing was changed; say --reread to re-read these numbers "
                      "in the new country, or --keep to keep them as they are."))
                return EXIT_USAGE
            args.keep = True  # nothing to re-read: just the setting
        with db.session() as s:
            change_region(s, region, reread=bool(args.reread))
    if not args.json:
        print(_("Numbers typed without a country code are now read as {country}.").format(
            country=region or _("none")))
        if args.reread and found:
            print(ngettext("{n} number was re-read.", "{n} numbers were re-read.",
                           len(found)).format(n=len(found)))
    return EXIT_OK
