"""`crmdesk backup`, `crmdesk backups` and `crmdesk restore`: the backups of a file.

Listing and restoring never open the database itself: they work on a file
that is damaged or gone, which is when they are needed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

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
from crmdesk.core.i18n import _


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser("backup", help=_("back up a database file now"),
                       description=_("Make a verified backup of the file: into its backup "
                                     "folder (where `crmdesk backups` lists them), or to "
                                     "FILE with -o. It can be made while the window is open."))
    add_db_option(p)
    p.add_argument("-o", "--output", metavar="FILE",
                   help=_("write the backup to FILE (a new file) instead"))
    p.set_defaults(run=run_backup)

    p = sub.add_parser("backups", help=_("list the backups of a database file"),
                       description=_("List the backups of the file, newest first, with the "
                                     "date, size and number of contacts of each. crmdesk "
                                     "makes them on the first open of each day, on close "
                                     "after changes, before an upgrade, an import and a "
                                     "restore, and keeps the last 7 days, 4 weeks and 12 "
                                     "months (--keep changes that for this file)."))
    add_db_option(p)
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    p.add_argument("--keep", metavar="D,W,M",
                   help=_("keep the backups of the last D days, W weeks and M months of "
                          "this file from now on (default 7,4,12)"))
    p.set_defaults(run=run_list)

    p = sub.add_parser("restore", help=_("put a backup in the place of a database file"),
                       description=_("Replace the file with BACKUP (a file, or a name from "
                                     "`crmdesk backups`). The backup is checked first, and "
                                     "the file as it was is backed up before it is "
                                     "replaced. The file must not be open in crmdesk."))
    add_db_option(p)
    p.add_argument("backup", metavar="BACKUP", help=_("the backup to restore"))
    p.set_defaults(run=run_restore)


def _set_rotation(path: Path, text: str) -> None:
    """--keep: the file's own rotation setting (the next backup rotates by it)."""
    from crmdesk.core.storage.backups import ROTATION_SETTING, Rotation
    from crmdesk.core.storage.database import Database
    from crmdesk.core.storage.settings import set_setting

    try:
        rotation = Rotation.parse(text)
    except ValueError as exc:
        raise CrmdeskError(str(exc)) from None
    with Database.open(path, create=False, shared=True, backup=False) as db, \
            db.session() as s:
        set_setting(s, ROTATION_SETTING, rotation.text())
    say(_("From now on the backups of the last {d} days, {w} weeks and {m} months are "
          "kept.").format(d=rotation.daily, w=rotation.weekly, m=rotation.monthly))


def human_size(size: int) -> str:
    """A file size as people read it: 512 bytes, 320 KB, 4.2 MB."""
    if size < 1024:
        return _("{n} bytes").format(n=size)
    if size < 1024 * 1024:
        return _("{n} KB").format(n=round(size / 1024))
    return _("{n:.1f} MB").format(n=size / 1024 / 1024)


def run_backup(args: argparse.Namespace) -> int:
    from crmdesk.core.storage.database import Database

    path = db_path(args)
    with Database.open(path, readonly=True) as db:
        info = db.back_up(to=args.output)
    print(_("Backed up {path} ({n} contacts, {size}) to {backup}").format(
        path=path, n=info.contacts, size=human_size(info.size), backup=info.path))
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    from crmdesk.core.storage.backups import folder_for, list_backups

    path = db_path(args)
    if args.keep is not None:
        _set_rotation(path, args.keep)
    found = list_backups(path)
    if args.json:
        print_json([{"file": str(b.path), "date": b.made.isoformat(), "size": b.size,
                     "contacts": b.contacts, "reason": b.reason} for b in found])
        return EXIT_OK
    if not found:
        say(_("There are no backups of {path} yet (they go in {folder}).").format(
            path=path, folder=folder_for(path)))
        return EXIT_OK
    print_table(
        (_("date"), _("size"), _("contacts"), _("made"), _("file")),
        [(b.made.strftime("%Y-%m-%d %H:%M:%S"), human_size(b.size),
          str(b.contacts) if b.contacts is not None else _("damaged"),
          reason_text(b.reason), b.path.name) for b in found])
    say(_("In {folder}").format(folder=folder_for(path)))
    return EXIT_OK


def reason_text(reason: str) -> str:
    """Why a backup was made, in words."""
    from crmdesk.core.storage.backups import reason_text as words

    return words(reason)


def resolve_backup(path: Path, name: str) -> Path:
    """BACKUP as given: a file, else a name in the file's backup folder."""
    from crmdesk.core.storage.backups import folder_for

    given = Path(name).expanduser()
    if given.exists() or given.parent != Path("."):
        return given
    in_folder = folder_for(path) / name
    return in_folder if in_folder.exists() else given


def run_restore(args: argparse.Namespace) -> int:
    from crmdesk.core.storage.database import restore_backup

    path = db_path(args)
    backup = resolve_backup(path, args.backup)
    done = restore_backup(path, backup)
    print(_("Restored {path} from {backup} ({n} contacts).").format(
        path=path, backup=backup, n=done.contacts))
    if done.kept is not None:
        print(_("The file as it was is kept in {kept}").format(kept=done.kept))
    return EXIT_OK
