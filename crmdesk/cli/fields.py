"""`crmdesk fields list|add|rename|archive|restore`: custom fields from a script.

Every change is one unit of work through the fields services; the listing
comes from crmdesk.core.fields.listing as plain values.
"""

from __future__ import annotations

import argparse

from crmdesk.cli.common import (
    EXIT_OK,
    Subparsers,
    add_db_option,
    db_path,
    print_json,
    print_table,
)
from crmdesk.core.fields.listing import CONTACT, ENTITIES, FIELD_TYPES, FieldUse
from crmdesk.core.i18n import _


def add_parser(sub: Subparsers) -> None:
    def entity(p: argparse.ArgumentParser) -> None:
        p.add_argument("--entity", choices=ENTITIES, default=CONTACT,
                       help=_("fields of contacts (default) or of companies"))

    top = sub.add_parser("fields", help=_("list and define custom fields"),
                         description=_("List, add, rename, archive and restore the custom "
                                       "fields of contacts and companies."))
    add_db_option(top)
    top.set_defaults(run=run)
    actions = top.add_subparsers(dest="fields_command", metavar="ACTION", required=True)

    p = actions.add_parser("list", help=_("print the custom fields"))
    add_db_option(p)
    entity(p)
    p.add_argument("--archived", action="store_true", help=_("also archived fields"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))

    p = actions.add_parser("add", help=_("define a new field"))
    add_db_option(p)
    entity(p)
    p.add_argument("label", metavar="LABEL", help=_("the field's name as the form shows it"))
    p.add_argument("--type", choices=FIELD_TYPES, default="text", help=_("the kind of value"))
    p.add_argument("--key", help=_("the key for lookups and exports (default: from the "
                                   "label)"))
    p.add_argument("--option", action="append", default=[], metavar="TEXT",
                   help=_("an entry of a drop-down or multiple-choice list (repeat it)"))
    p.add_argument("--required", action="store_true", help=_("a value must be given"))
    p.add_argument("--help-text", default="", metavar="TEXT", help=_("a hint under the field"))
    p.add_argument("--section", metavar="NAME", help=_("the form section (made if new)"))
    p.add_argument("--default", metavar="VALUE", help=_("the value new records start with"))
    p.add_argument("--min", metavar="VALUE", help=_("the smallest number or earliest date"))
    p.add_argument("--max", metavar="VALUE", help=_("the largest number or latest date"))
    p.add_argument("--pattern", metavar="REGEX", help=_("a regular expression text must match"))
    p.add_argument("--currency", default="", metavar="CODE", help=_("money: EUR, USD ..."))
    p.add_argument("--decimals", type=int, metavar="N", help=_("digits after the point"))
    p.add_argument("--yearly", action="store_true",
                   help=_("dates: show on the calendar every year"))

    p = actions.add_parser("rename", help=_("give a field a new label (its key stays)"))
    add_db_option(p)
    entity(p)
    p.add_argument("key", metavar="KEY")
    p.add_argument("label", metavar="LABEL")

    for name, text in (("archive", _("hide a field; its values are kept")),
                       ("restore", _("bring an archived field back"))):
        p = actions.add_parser(name, help=text)
        add_db_option(p)
        entity(p)
        p.add_argument("key", metavar="KEY")


def run(args: argparse.Namespace) -> int:
    """Run ``crmdesk fields ACTION``; a CrmdeskError goes up to the one handler (exit 1)."""
    if args.fields_command == "list":
        return _list(args)
    return _change(args)


def _list(args: argparse.Namespace) -> int:
    from crmdesk.core.fields.listing import fields_in_use
    from crmdesk.core.storage.database import Database

    with Database.open(db_path(args), readonly=True) as db, db.reading() as s:
        found = fields_in_use(s, args.entity, include_archived=args.archived)
    if args.json:
        print_json([{"key": u.field.key, "label": u.field.label, "type": u.field.type,
                     "section": u.field.section, "required": u.field.required,
                     "archived": u.field.archived,
                     "options": [o.label for o in u.field.options], "values": u.records}
                    for u in found])
        return EXIT_OK
    if not found:
        print(_("No custom fields yet. Add one with: crmdesk fields add LABEL --type TYPE"))
        return EXIT_OK
    print_table((_("key"), _("type"), _("label"), _("section"), _("values")),
                [_row(use) for use in found])
    return EXIT_OK


def _row(use: FieldUse) -> tuple[str, ...]:
    f = use.field
    label = f.label + (" " + _("(archived)") if f.archived else "")
    return (f.key, f.type, label, f.section, str(use.records))


def _change(args: argparse.Namespace) -> int:
    """add, rename, archive or restore: one unit of work, one line saying what was done."""
    from crmdesk.core.fields import service as fields
    from crmdesk.core.fields.listing import field_with_key, section_named
    from crmdesk.core.storage.database import Database

    action = args.fields_command
    with Database.open(db_path(args), shared=True) as db, db.session() as s:
        if action == "add":
            section_id = section_named(s, args.entity, args.section) if args.section else None
            info = fields.add_field(
                s, args.entity, args.label, args.type, key=args.key, section_id=section_id,
                help=args.help_text, required=args.required, default=args.default,
                min_value=args.min, max_value=args.max, pattern=args.pattern,
                currency=args.currency, decimals=args.decimals, options=args.option,
                calendar_yearly=args.yearly)
            message = _("Added {label!r} (key {key}, {type}).").format(
                label=info.label, key=info.key, type=info.type_label)
        elif action == "rename":
            info = fields.rename_field(s, field_with_key(s, args.entity, args.key).id,
                                       args.label)
            message = _("{key} is now called {label!r}.").format(key=info.key,
                                                                  label=info.label)
        else:  # archive or restore: argparse allows no other action
            info = fields.archive_field(s, field_with_key(s, args.entity, args.key).id,
                                        archived=action == "archive")
            message = (_("Archived {key}; its values are kept.") if info.archived
                       else _("Restored {key}.")).format(key=info.key)
    print(message)
    return EXIT_OK
