"""Backups of a database file: made, verified, rotated and listed.

A backup is made with SQLite's online backup API from a connection to the
file, so it is one consistent snapshot even while another process writes;
it is written beside its final name, checked (SQLite's integrity check and
the contacts it holds, counted in the same snapshot as the source) and only
then given its name, owner-only. Each database file has its own folder in the
user data folder (or under CRMDESK_BACKUP_DIR), named after the file and a
hash of its full path, so two files called contacts.crmdesk never share one.

Rotation keeps the newest few, then the newest of each of the last days,
weeks and months (restic's rule) and removes only files named as backups.
This module works on plain sqlite3 connections; database.py, which knows the
file's header and lock, makes the backups at the right moments and restores.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import platformdirs

from crmdesk.core.errors import DatabaseFileError
from crmdesk.core.i18n import _

BACKUP_DIR_ENV = "CRMDESK_BACKUP_DIR"
OWNER_ONLY = 0o600
# What rotation keeps: the newest KEEP_LAST, and the newest backup of each of
# the last KEEP_DAILY days, KEEP_WEEKLY weeks and KEEP_MONTHLY months.
KEEP_LAST = 5
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12

# The file's own setting (in its setting table) for how many days, weeks and
# months of backups are kept: "7,4,12".
ROTATION_SETTING = "backup_keep"


@dataclass(frozen=True)
class Rotation:
    """How many backups rotation keeps: the newest ``last``, and the newest of each
    of the last ``daily`` days, ``weekly`` weeks and ``monthly`` months."""

    daily: int = KEEP_DAILY
    weekly: int = KEEP_WEEKLY
    monthly: int = KEEP_MONTHLY
    last: int = KEEP_LAST

    @classmethod
    def parse(cls, text: str) -> Rotation:
        """"7,4,12" (days, weeks, months); ValueError with a plain message if not."""
        parts = [p.strip() for p in text.replace(";", ",").split(",")]
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise ValueError(_("Say how many days, weeks and months of backups to keep, "
                               "like 7,4,12."))
        days, weeks, months = (int(p) for p in parts)
        if not (1 <= days <= 366 and 0 <= weeks <= 520 and 0 <= months <= 1200):
            raise ValueError(_("Keep 1 to 366 days, 0 to 520 weeks and 0 to 1200 months "
                               "of backups."))
        return cls(days, weeks, months)

    def text(self) -> str:
        return f"{self.daily},{self.weekly},{self.monthly}"


def rotation_of(source: sqlite3.Connection) -> Rotation:
    """The file's rotation setting, read through ``source``; the default when it has
    none (or none that makes sense)."""
    try:
        row = source.execute("SELECT value FROM setting WHERE key = ?",
                             (ROTATION_SETTING,)).fetchone()
        return Rotation.parse(row[0]) if row and row[0] else Rotation()
    except (sqlite3.Error, ValueError):
        return Rotation()


SUFFIX = ".crmdesk"
_STAMP = "%Y-%m-%d_%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{4}-\d{2}-\d{2}_\d{6})(?:-(?P<n>\d+))?"
                   r"-(?P<reason>[a-z0-9-]+)\.crmdesk$")

# Why a backup was made; the last part of its name.
DAILY = "daily"
ON_CLOSE = "close"
ON_DEMAND = "manual"
BEFORE_RESTORE = "before-restore"
BEFORE_IMPORT = "before-import"
DAMAGED = "damaged"


def reason_text(reason: str) -> str:
    """Why a backup was made, in words ("first open of the day")."""
    words = {
        DAILY: _("first open of the day"),
        ON_CLOSE: _("on close"),
        ON_DEMAND: _("on demand"),
        BEFORE_RESTORE: _("before a restore"),
        BEFORE_IMPORT: _("before an import"),
        DAMAGED: _("damaged file, kept as it was"),
    }
    if reason in words:
        return words[reason]
    return _("before an upgrade") if reason.startswith("before-") else reason


class BackupError(DatabaseFileError):
    """A backup could not be made, or is not one that can be restored."""

    said = ""  # what SQLite said of a damaged file, if that was the reason


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made: datetime
    size: int
    contacts: int | None  # None: the backup cannot be read (damaged)
    reason: str


def create_owner_only(path: Path) -> None:
    """Make ``path`` as a new, empty file only its owner may read (POSIX).
    An existing file is left as it is."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        return
    os.close(fd)


def backup_root() -> Path:
    """Where every file's backup folder lives: CRMDESK_BACKUP_DIR, else the user data folder."""
    env = os.environ.get(BACKUP_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("crmdesk", appauthor=False) / "backups"


def folder_for(db_path: Path, root: Path | None = None) -> Path:
    """The backup folder of one database file (it may not exist yet)."""
    full = str(Path(db_path).expanduser().absolute())
    tag = hashlib.sha256(full.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return (root or backup_root()) / f"{Path(db_path).stem}-{tag}"


# -- making --------------------------------------------------------------------


def count_contacts(conn: sqlite3.Connection) -> int:
    """Contacts in the file, trashed ones too (a constant query, no user input)."""
    row = conn.execute("SELECT count(*) FROM contact").fetchone()
    return int(row[0])


def verify(path: Path) -> int:
    """The contacts in the backup at ``path`` if it is whole; else BackupError.

    Read as immutable and read-only: nothing is made beside it."""
    if not path.is_file():
        raise BackupError(_("There is no backup at {path}.").format(path=path))
    try:
        conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise _damaged_backup(path, str(exc)) from exc
    try:
        lines = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
        if lines != ["ok"]:
            raise _damaged_backup(path, "; ".join(lines))
        return count_contacts(conn)
    except sqlite3.Error as exc:
        raise _damaged_backup(path, str(exc)) from exc
    finally:
        conn.close()


def _said(exc: BackupError) -> str:
    """What SQLite said of a damaged file."""
    return exc.said or exc.message


def _damaged_backup(path: Path, said: str) -> BackupError:
    error = BackupError(
        _("The backup {path} is damaged or is not a crmdesk database ({error}).").format(
            path=path, error=said)
    )
    error.said = said
    return error


def copy_into(source: sqlite3.Connection, target: Path) -> None:
    """SQLite's backup API from ``source`` into the new file ``target``, left as one
    whole file (no write-ahead log beside it)."""
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()


def write_backup(source: sqlite3.Connection, target: Path) -> int:
    """Copy the file ``source`` is connected to into ``target`` (which must not exist),
    verify the copy, and return the contacts in it.

    The copy is written to ``target.part`` and renamed only when it is whole, so a
    failure leaves no half backup. ``source`` must not be in a transaction."""
    target = Path(target)
    if target.exists():
        raise BackupError(_("{path} already exists; a backup never replaces a file.").format(
            path=target))
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.unlink(missing_ok=True)
        create_owner_only(tmp)
        # One snapshot: the count and the copy see the same file.
        source.execute("BEGIN")
        try:
            expected = count_contacts(source)
            copy_into(source, tmp)
        finally:
            source.execute("ROLLBACK")
        try:
            got = verify(tmp)
        except BackupError as exc:
            # A faithful copy of a damaged file is damaged the same way.
            raise BackupError(_("No backup was made: the file is damaged ({error}).").format(
                error=_said(exc))) from exc
        if got != expected:
            raise BackupError(
                _("The backup holds {got} contacts, the file {expected}; it was not kept.")
                .format(got=got, expected=expected))
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(_("The backup {path} could not be written: {error}").format(
            path=target, error=exc.strerror or exc)) from exc
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(_("No backup was made: the file cannot be read whole "
                            "({error}).").format(error=exc)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return expected


def _new_name(folder: Path, db_path: Path, reason: str, now: datetime) -> Path:
    stamp = now.strftime(_STAMP)
    stem = Path(db_path).stem
    target = folder / f"{stem}-{stamp}-{reason}{SUFFIX}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{stamp}-{n}-{reason}{SUFFIX}"
    return target


def make_backup(source: sqlite3.Connection, db_path: Path, reason: str, *,
                root: Path | None = None, now: datetime | None = None) -> BackupInfo:
    """A verified backup of ``db_path`` (read through ``source``) in its backup folder,
    then the folder rotated."""
    now = now or datetime.now()
    folder = folder_for(db_path, root)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BackupError(_("The backup folder {folder} cannot be made: {error}").format(
            folder=folder, error=exc.strerror or exc)) from exc
    target = _new_name(folder, db_path, reason, now)
    rotation = rotation_of(source)
    contacts = write_backup(source, target)
    rotate(folder, keep=target, rotation=rotation)
    return BackupInfo(target, now.replace(microsecond=0), target.stat().st_size, contacts,
                      reason)


def keep_aside(db_path: Path, reason: str, *, root: Path | None = None,
               now: datetime | None = None) -> Path:
    """A plain copy of the file (and its -wal) into its backup folder, for a file
    SQLite cannot read (a damaged file about to be replaced by a restore)."""
    now = now or datetime.now()
    folder = folder_for(db_path, root)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = _new_name(folder, db_path, reason, now)
    for suffix in ("", "-wal"):
        src = Path(str(db_path) + suffix)
        if src.exists():
            dst = Path(str(target) + suffix)
            create_owner_only(dst)
            shutil.copyfile(src, dst)
    return target


# -- listing and rotating --------------------------------------------------------


def _parse(path: Path) -> tuple[datetime, int, str] | None:
    """When a backup was made, its number within that second, and why."""
    match = _NAME.match(path.name)
    if not match:
        return None
    try:
        made = datetime.strptime(match["stamp"], _STAMP)
    except ValueError:
        return None
    return made, int(match["n"] or 1), match["reason"]


def _named(folder: Path) -> list[tuple[datetime, Path, str]]:
    """The backups in ``folder`` by their names, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        parsed = _parse(path) if path.is_file() else None
        if parsed:
            found.append((parsed, path.stat().st_mtime_ns, path))
    # Two in one second: by their number, then by when they were written.
    found.sort(key=lambda t: (*t[0][:2], t[1]), reverse=True)
    return [(made, path, reason) for (made, _n, reason), _mtime, path in found]


def list_backups(db_path: Path, *, root: Path | None = None) -> list[BackupInfo]:
    """The backups of ``db_path``, newest first, each with its contacts counted
    (None for one that cannot be read)."""
    out = []
    for made, path, reason in _named(folder_for(db_path, root)):
        try:
            contacts: int | None = verify_quickly(path)
        except BackupError:
            contacts = None
        out.append(BackupInfo(path, made, path.stat().st_size, contacts, reason))
    return out


def verify_quickly(path: Path) -> int:
    """The contacts in a backup, reading only what that needs (for a listing)."""
    try:
        conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            return count_contacts(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _damaged_backup(path, str(exc)) from exc


def newest(db_path: Path, *, reason: str | None = None,
           root: Path | None = None) -> datetime | None:
    """When the newest backup of ``db_path`` (made for ``reason``, if given) was made."""
    for made, _path, why in _named(folder_for(db_path, root)):
        if reason is None or why == reason:
            return made
    return None


def to_keep(made: list[datetime], rotation: Rotation | None = None) -> set[int]:
    """Which of the backups made at ``made`` (newest first) rotation keeps, by index."""
    rotation = rotation or Rotation()
    keep = set(range(min(rotation.last, len(made))))
    buckets: list[tuple[Callable[[datetime], Hashable], int]] = [
        (lambda d: d.date(), rotation.daily),
        (lambda d: tuple(d.isocalendar())[:2], rotation.weekly),
        (lambda d: (d.year, d.month), rotation.monthly),
    ]
    for key, count in buckets:
        if count <= 0:
            continue
        seen: list[Hashable] = []
        for i, when in enumerate(made):
            bucket = key(when)
            if bucket in seen:
                continue
            seen.append(bucket)
            keep.add(i)
            if len(seen) == count:
                break
    return keep


def rotate(folder: Path, *, keep: Path | None = None,
           rotation: Rotation | None = None) -> list[Path]:
    """Remove the backups in ``folder`` that rotation does not keep (never ``keep``,
    never a file not named as a backup); the removed ones."""
    named = _named(folder)
    kept = to_keep([made for made, _p, _r in named], rotation)
    removed = []
    for i, (_made, path, _reason) in enumerate(named):
        if i in kept or path == keep:
            continue
        for extra in (path, Path(str(path) + "-wal")):
            extra.unlink(missing_ok=True)
        removed.append(path)
    return removed

