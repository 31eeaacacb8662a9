"""`crmdesk fields list|add|rename|archive|restore`: custom fields from a script.

Kept beside the services rather than in cli.py so that the command can be
wired in with two lines (``add_parser(sub, _add_db)`` in build_parser and
``"fields": cmd_fields`` in COMMANDS) and tested without a subprocess
(``main([...])``). It imports no Qt and prints plain text or JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmdesk.core.errors import CrmdeskError, NotFoundError
from crmdesk.core.fields.catalog import field_by_key
from crmdesk.core.fields.info import FIELD_TYPES, FieldInfo
from crmdesk.core.i18n import _
from crmdesk.core.storage.field_models import CONTACT, ENTITIES, FieldValue


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               add_db: Callable[[argparse.ArgumentParser], None] | None = None) -> None:
    """Add the ``fields`` command (with its own sub-commands) to the crmdesk parser."""
    def db(p: argparse.ArgumentParser) -> None:
        if add_db is not None:
            add_db(p)
        else:
            p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                           help=_("the database file"))

    def entity(p: argparse.ArgumentParser) -> None:
        p.add_argument("--entity", choices=ENTITIES, default=CONTACT,
                       help=_("fields of contacts (default) or of companies"))

    top = sub.add_parser("fields", help=_("list and define custom fields"),
                         description=_("List, add, rename, archive and restore the custom "
                                       "fields of contacts and companies."))
    db(top)
    cmds = top.add_subparsers(dest="fields_command", metavar="ACTION", required=True)

    p = cmds.add_parser("list", help=_("print the custom fields"))
    db(p)
    entity(p)
    p.add_argument("--archived", action="store_true", help=_("also archived fields"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))

    p = cmds.add_parser("add", help=_("define a new field"))
    db(p)
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

    p = cmds.add_parser("rename", help=_("give a field a new label (its key stays)"))
    db(p)
    entity(p)
    p.add_argument("key", metavar="KEY")
    p.add_argument("label", metavar="LABEL")

    for name, text in (("archive", _("hide a field; its values are kept")),
                       ("restore", _("bring an archived field back"))):
        p = cmds.add_parser(name, help=text)
        db(p)
        entity(p)
        p.add_argument("key", metavar="KEY")


def _path(args: argparse.Namespace) -> Path:
    from crmdesk.core.storage.database import default_path

    value = getattr(args, "db", None)
    return Path(value) if value else default_path()


def _field(session: Session, entity: str, key: str) -> FieldInfo:
    found = field_by_key(session, entity, key)
    if found is None:
        raise NotFoundError(_("There is no {entity} field with the key {key!r}.").format(
            entity=entity, key=key))
    return found


def cmd_fields(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run ``crmdesk fields ...``; CrmdeskError goes up to the CLI's handler (exit 1)."""
    from crmdesk.core.fields import service as fields
    from crmdesk.core.storage.database import Database

    out = out or sys.stdout
    action = args.fields_command
    path = _path(args)
    if action == "list":
        with Database.open(path, readonly=True) as db, db.reading() as s:
            infos = fields.describe_fields(s, args.entity, include_archived=args.archived)
            owner = fields.owner_column(args.entity)
            counts = dict(s.execute(
                select(FieldValue.field_id, func.count(func.distinct(owner)))
                .group_by(FieldValue.field_id)).all())
        _print_list(infos, {k: int(v) for k, v in counts.items()}, args.json, out)
        return 0
    with Database.open(path) as db, db.session() as s:
        if action == "add":
            section_id = None
            if args.section:
                found = [x for x in fields.describe_sections(s, args.entity)
                         if x.name.casefold() == args.section.strip().casefold()]
                section_id = (found[0].id if found
                              else fields.add_section(s, args.entity, args.section).id)
            info = fields.add_field(
                s, args.entity, args.label, args.type, key=args.key, section_id=section_id,
                help=args.help_text, required=args.required, default=args.default,
                min_value=args.min, max_value=args.max, pattern=args.pattern,
                currency=args.currency, decimals=args.decimals, options=args.option,
                calendar_yearly=args.yearly)
            print(_("Added {label!r} (key {key}, {type}).").format(
                label=info.label, key=info.key, type=info.type_label), file=out)
        elif action == "rename":
            info = fields.rename_field(s, _field(s, args.entity, args.key).id, args.label)
            print(_("{key} is now called {label!r}.").format(key=info.key, label=info.label),
                  file=out)
        elif action in ("archive", "restore"):
            info = fields.archive_field(s, _field(s, args.entity, args.key).id,
                                        archived=action == "archive")
            msg = (_("Archived {key}; its values are kept.") if info.archived
                   else _("Restored {key}."))
            print(msg.format(key=info.key), file=out)
        else:  # pragma: no cover - argparse allows only the actions above
            raise CrmdeskError(_("Unknown action {action!r}.").format(action=action))
    return 0


def _print_list(infos: Sequence[FieldInfo], counts: dict[int, int], as_json: bool,
                out: TextIO) -> None:
    if as_json:
        rows = [{"key": f.key, "label": f.label, "type": f.type, "section": f.section,
                 "required": f.required, "archived": f.archived,
                 "options": [o.label for o in f.options], "values": counts.get(f.id, 0)}
                for f in infos]
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=out)
        return
    if not infos:
        print(_("No custom fields yet. Add one with: crmdesk fields add LABEL --type TYPE"),
              file=out)
        return
    head = (_("key"), _("type"), _("label"), _("section"), _("values"))
    table = [(f.key, f.type, f.label + (" " + _("(archived)") if f.archived else ""),
              f.section, str(counts.get(f.id, 0))) for f in infos]
    widths = [max(len(row[i]) for row in (head, *table)) for i in range(len(head))]
    for row in (head, *table):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip(),
              file=out)


def main(argv: Sequence[str], out: TextIO | None = None) -> int:
    """``crmdesk fields ...`` on its own (tests; before cli.py wires it in)."""
    parser = argparse.ArgumentParser(prog="crmdesk")
    parser.add_argument("--db", metavar="PATH", default=None)
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["fields", *argv])
    try:
        return cmd_fields(args, out)
    except CrmdeskError as exc:
        print(_("crmdesk: {message}").format(message=exc.message), file=sys.stderr)
        return 1

