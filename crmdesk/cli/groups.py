"""`crmdesk groups`: the contact groups of the navigation, headless (core/contacts/groups).

    crmdesk groups list                          every group with its count now
    crmdesk groups save NAME --lookup Q          a saved lookup (a dynamic group)
    crmdesk groups save NAME --static [--lookup Q]   a group made by hand
    crmdesk groups add NAME --lookup Q           add whom Q finds to a static group
    crmdesk groups remove NAME --lookup Q        take them out again
    crmdesk groups show NAME                     its contacts, in the list's order
    crmdesk groups delete NAME

A group's contacts are also ``--lookup 'group:NAME'`` to every command that
takes a lookup (search, export, tag).
"""

from __future__ import annotations

import argparse
from typing import Any

from crmdesk.cli.common import (
    EXIT_OK,
    Subparsers,
    add_db_option,
    db_path,
    print_json,
    print_table,
    say,
)
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _, ngettext


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "groups", help=_("list, save, fill and delete contact groups"),
        description=_("Contact groups: saved lookups, whose members are whoever the lookup "
                      "finds now, and static groups, whose members are added by hand. Any "
                      "lookup can name a group: --lookup 'group:\"Kaunas VIP\" "
                      "city:Vilnius'."))
    add_db_option(p)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, help=help_text, description=help_text)
        add_db_option(a)
        a.add_argument("--json", action="store_true", help=_("print JSON"))
        return a

    action("list", _("every group with its number of contacts"))
    save = action("save", _("save a lookup as a group, or make a static group"))
    save.add_argument("name", metavar="NAME")
    save.add_argument("--static", action="store_true",
                      help=_("a group whose members are added by hand (with --lookup: "
                             "starting with whom it finds)"))
    save.add_argument("--lookup", metavar="Q", default=None,
                      help=_("the lookup, as in the search box (e.g. 'city:Kaunas')"))
    for name, text in (("add", _("add the contacts a lookup finds to a static group")),
                       ("remove", _("take the contacts a lookup finds out of a static "
                                    "group"))):
        a = action(name, text)
        a.add_argument("name", metavar="NAME")
        a.add_argument("--lookup", metavar="Q", required=True,
                       help=_("which contacts, as in the search box"))
    show = action("show", _("the contacts of a group, in the list's order"))
    show.add_argument("name", metavar="NAME")
    show.add_argument("--limit", type=int, default=None, metavar="N",
                      help=_("print at most N contacts"))
    delete = action("delete", _("delete a group (its contacts stay)"))
    delete.add_argument("name", metavar="NAME")
    p.set_defaults(run=run)


def _lookup_ids(session: Any, query: str) -> list[int]:
    from crmdesk.core.lookup.query import CONTACT, find_ids

    return find_ids(session, CONTACT, query, strict=True)


def run(args: argparse.Namespace) -> int:
    if args.action in ("list", "show"):
        return _read(args)
    return _write(args)


def _read(args: argparse.Namespace) -> int:
    from crmdesk.core.contacts import groups
    from crmdesk.core.contacts.records import summaries
    from crmdesk.core.storage.database import Database

    with Database.open(db_path(args), readonly=True) as db, db.reading() as s:
        if args.action == "list":
            found = groups.list_groups(s)
            counted = {c.group_id: c for c in groups.counts(s)}
            rows = [(g, counted[g.id]) for g in found]
        else:
            group = groups.group_named(s, args.name)
            people = summaries(s, groups.member_ids(s, group.id, limit=args.limit))
    if args.action == "list":
        if args.json:
            print_json([{"id": g.id, "name": g.name, "kind": g.kind, "lookup": g.query,
                         "count": c.count, "problem": c.problem} for g, c in rows])
        elif not rows:
            say(_("No groups yet: crmdesk groups save NAME --lookup Q makes one."))
        else:
            print_table((_("name"), _("kind"), _("contacts"), _("lookup")),
                        [(g.name, _("static") if g.is_static else _("lookup"),
                          "?" if c.count is None else str(c.count),
                          c.problem if c.problem else g.query) for g, c in rows])
        return EXIT_OK
    if args.json:
        print_json({"group": group.name, "kind": group.kind, "lookup": group.query,
                    "contacts": [{"id": r.id, "name": r.name, "company": r.company,
                                  "phone": r.phone, "email": r.email} for r in people]})
        return EXIT_OK
    if not people:
        say(_("The group {name!r} has no contacts.").format(name=group.name))
        return EXIT_OK
    print_table((_("id"), _("name"), _("company"), _("phone"), _("e-mail")),
                [(str(r.id), r.name, r.company, r.phone, r.email) for r in people])
    return EXIT_OK


def _write(args: argparse.Namespace) -> int:
    from crmdesk.core.contacts import groups
    from crmdesk.core.storage.database import Database

    with Database.open(db_path(args), shared=True) as db, db.session() as s:
        if args.action == "save":
            if args.static:
                ids = _lookup_ids(s, args.lookup) if args.lookup else []
                group = groups.create_static_group(s, args.name, ids)
                n = groups.count_members(s, group.id)
            else:
                if not args.lookup:
                    raise CrmdeskError(_("A saved lookup needs --lookup Q (or --static for "
                                         "a group made by hand)."))
                group = groups.save_lookup_group(s, args.name, args.lookup)
                n = groups.count_members(s, group.id)
            message = ngettext("Saved the group {name!r} ({n} contact).",
                               "Saved the group {name!r} ({n} contacts).", n)
            result: dict[str, Any] = {"id": group.id, "name": group.name, "kind": group.kind,
                                      "lookup": group.query, "count": n}
        elif args.action in ("add", "remove"):
            group = groups.group_named(s, args.name)
            ids = _lookup_ids(s, args.lookup)
            before = groups.count_members(s, group.id)
            (groups.add_members if args.action == "add" else groups.remove_members)(
                s, group.id, ids)
            n = groups.count_members(s, group.id)
            moved = abs(n - before)
            message = (ngettext("Added {moved} contact to {name!r}; it has {n} now.",
                                "Added {moved} contacts to {name!r}; it has {n} now.", moved)
                       if args.action == "add" else
                       ngettext("Took {moved} contact out of {name!r}; it has {n} now.",
                                "Took {moved} contacts out of {name!r}; it has {n} now.",
                                moved))
            result = {"name": group.name, "changed": moved, "count": n}
        else:
            group = groups.group_named(s, args.name)
            groups.delete_group(s, group.id)
            n = 0
            message = _("Deleted the group {name!r} (its contacts stay).")
            result = {"name": group.name, "deleted": True}
    if args.json:
        print_json(result, indent=None)
    else:
        print(message.format(name=group.name, n=n, moved=result.get("changed", 0)))
    return EXIT_OK
