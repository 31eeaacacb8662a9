"""`crmdesk merge KEEP OTHER`: two records of one person become one (core/contacts/merge).

Without --prefer, KEEP's single values win wherever it has one; lists (phones,
e-mails, tags, history ...) are kept from both either way. `crmdesk duplicates`
finds the pairs; `--dry-run` shows what differs before anything is written.
"""

from __future__ import annotations

import argparse

from crmdesk.cli.common import EXIT_OK, Subparsers, add_db_option, db_path, print_json, print_table
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "merge", help=_("merge two contacts that are one person"),
        description=_("Merge contact OTHER_ID into KEEP_ID: every phone, e-mail, address, "
                      "link, date, tag, custom value, history entry and group of both is "
                      "kept; for a single value (a name part, the company, the birthday ...) "
                      "KEEP's wins unless it is empty or --prefer says otherwise. A line in "
                      "the notes records the merge, and OTHER goes to the trash."))
    add_db_option(p)
    p.add_argument("keep", metavar="KEEP_ID", type=int, help=_("the contact that stays"))
    p.add_argument("other", metavar="OTHER_ID", type=int,
                   help=_("the contact merged into it (then in the trash)"))
    p.add_argument("--prefer", action="append", default=[], metavar="other:FIELD,...",
                   help=_("take these fields' values from OTHER: given_name, family_name, "
                          "company, job_title, birthday, status, photo, notes, custom:KEY ... "
                          "(comma-separated or repeated)"))
    p.add_argument("--dry-run", action="store_true",
                   help=_("show the fields that differ and what is kept; merge nothing"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crmdesk.core.contacts.merge import merge_contacts, parse_prefer, plan_merge
    from crmdesk.core.storage.database import Database

    prefer = parse_prefer(args.prefer)
    target = db_path(args)
    if not target.exists():
        raise CrmdeskError(_("There is no database at {path}.").format(path=target))
    with Database.open(target, shared=not args.dry_run, readonly=args.dry_run) as db:
        with db.reading() as s:
            plan = plan_merge(s, args.keep, args.other)
        if args.dry_run:
            if args.json:
                print_json({"keep": plan.keep, "other": plan.other,
                            "differences": [{"field": d.field, "keep": d.this,
                                             "other": d.that} for d in plan.differences],
                            "kept_from_both": plan.kept_from_both})
                return EXIT_OK
            _show(plan, prefer)
            return EXIT_OK
        with db.session() as s:
            merged = merge_contacts(s, args.keep, args.other, prefer_other=prefer)
    if args.json:
        print_json({"keep": merged.keep, "other": merged.other, "note": merged.note,
                    "from_other": sorted(prefer)})
        return EXIT_OK
    print(_("Merged {other} (contact {other_id}) into {keep} (contact {keep_id}); "
            "{other} is in the trash.").format(other=plan.other_name, other_id=plan.other,
                                               keep=plan.keep_name, keep_id=plan.keep))
    print(_("Kept from both: {what}.").format(what=", ".join(plan.kept_from_both)))
    return EXIT_OK


def _show(plan: object, prefer: set[str]) -> None:
    from crmdesk.core.contacts.merge import MergePlan

    assert isinstance(plan, MergePlan)
    print(_("Merging {other} (contact {other_id}) into {keep} (contact {keep_id}) would "
            "keep:").format(other=plan.other_name, other_id=plan.other, keep=plan.keep_name,
                            keep_id=plan.keep))
    if plan.differences:
        print_table([_("Field"), _("Contact {id}").format(id=plan.keep),
                     _("Contact {id}").format(id=plan.other), _("Kept")],
                    [[d.label, d.this, d.that,
                      d.that if d.field in prefer or not d.this else d.this]
                     for d in plan.differences])
    print(_("Kept from both: {what}.").format(what=", ".join(plan.kept_from_both)))
