"""The database file: opening it safely, one writer at a time, units of work.

Everything that can be wrong with a file is checked before SQLite writes a
byte to it (the 100-byte SQLite header tells whether the file is SQLite at
all, whose it is (application_id) and which schema it has (user_version)), so a
refused file is left exactly as it was. A window holds an OS lock on
``<file>.lock`` for as long as it has the file open (one window per file; the
lock file says which process holds it); the OS drops it when the process dies,
even by SIGKILL, so a killed crmdesk never locks its user out. A command that
writes (``shared=True``: `crmdesk log` from a phone system's call hook, a cron
job's import) takes the lock only while it opens (and perhaps upgrades) the
file, so it works beside an open window: SQLite serialises the writers, each
waiting its turn (busy timeout), and the window notices what was written.

Transactions follow SQLAlchemy's documented pysqlite recipe: the driver's own
transaction handling is off (it would BEGIN only before DML, so a read was no
snapshot and a check-then-write was not atomic) and crmdesk says BEGIN itself:
a plain (deferred) BEGIN for a reading unit of work, which then sees one
snapshot of the file, and BEGIN IMMEDIATE for a writing one, which takes the
write lock before its first read, so what it checks is what it changes.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

import platformdirs
from filelock import FileLock, Timeout
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from crmdesk.core.errors import (
    AlreadyOpenError,
    CrmdeskError,
    DatabaseFileError,
    DiskFullError,
    FolderMissingError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyError,
)
from crmdesk.core.i18n import _
from crmdesk.core.storage import backups, migrate, touched
from crmdesk.core.storage.backups import OWNER_ONLY, BackupError, BackupInfo
from crmdesk.core.storage.defaults import seed_defaults
from crmdesk.core.storage.settings import set_setting
from crmdesk.core.text.collation import system_language, system_region

log = logging.getLogger(__name__)

# "CRMD": written into the SQLite header so that crmdesk knows its own files.
APPLICATION_ID = 0x43524D44
# Bumped with every migration that changes the schema (see migrations/).
SCHEMA_VERSION = 9
SQLITE_MAGIC = b"SQLite format 3\x00"
FILE_SUFFIX = ".crmdesk"
# What SQLite and crmdesk put beside a database file while it is open.
BESIDE = ("-wal", "-shm", "-journal", ".lock")


def _beside(path: Path) -> list[Path]:
    return [Path(str(path) + suffix) for suffix in BESIDE]


# A new database file is made owner-only before SQLite opens it: SQLite then
# gives the -wal and -shm it makes beside it the same permissions.
create_owner_only = backups.create_owner_only


def default_path() -> Path:
    """The user's own database: CRMDESK_DB if set, else the user data folder."""
    env = os.environ.get("CRMDESK_DB")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("crmdesk", appauthor=False) / f"contacts{FILE_SUFFIX}"


def read_header(path: Path) -> tuple[int, int] | None:
    """(application_id, user_version) from the file's header; None for an empty file.

    Raises NotADatabaseError when the file is not SQLite at all, or when its
    header says it is longer than it is (a copy that did not finish).
    """
    with open(path, "rb") as fh:
        head = fh.read(100)
    if not head:
        return None
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise NotADatabaseError(
            _("{path} is not a crmdesk database: it is not a database file at all.").format(
                path=path
            )
        )
    _check_size(path, head)
    user_version = struct.unpack(">i", head[60:64])[0]
    app_id = struct.unpack(">i", head[68:72])[0]
    return app_id, user_version


def _damaged(path: Path) -> NotADatabaseError:
    return NotADatabaseError(
        _("{path} is damaged: it ends before its last page, as a copy that did not finish "
          "does. It was not changed; open a backup or a whole copy instead.").format(path=path)
    )


def _check_size(path: Path, head: bytes) -> None:
    """Refuse a file cut short, from its header alone (before SQLite touches it).

    The page size must be a power of two from 512 to 65536 (1 means 65536) and
    the file a whole number of pages; and where the header's own page count is
    valid (its "valid for" number equals the change counter) the file must hold
    that many pages. Only with no write-ahead log beside it: then the header
    tells the file's length; with one, the log may hold the rest.
    """
    page_size = struct.unpack(">H", head[16:18])[0]
    if page_size == 1:
        page_size = 65536
    if page_size < 512 or page_size & (page_size - 1):
        raise NotADatabaseError(
            _("{path} is damaged: its header is not that of a whole database file. It was "
              "not changed.").format(path=path)
        )
    size = path.stat().st_size
    if size % page_size:
        raise _damaged(path)
    wal = Path(str(path) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return
    change_counter, pages = struct.unpack(">II", head[24:32])
    valid_for = struct.unpack(">I", head[92:96])[0]
    if pages and valid_for == change_counter and size < pages * page_size:
        raise _damaged(path)


# Backups on close after changes: at most one in this long.
CLOSE_QUIET = timedelta(minutes=5)

# How long a writer waits for another one (a script logging a call while the
# window saves) before it is told the file is busy.
BUSY_TIMEOUT_MS = 5000
# The execution option that makes a unit of work a writing one (BEGIN IMMEDIATE).
_WRITE = "crmdesk_write"

_CHANGES_AT_BEGIN = "crmdesk_changes_at_begin"

WriteCheck = Callable[[], None]
_write_checks: list[WriteCheck] = []


def add_write_check(check: WriteCheck) -> None:
    """Call ``check`` whenever a writing transaction is about to begin, on the
    thread that begins it. The window installs one that reports a write on the
    GUI thread (writes belong on the worker); the tests install one that fails."""
    _write_checks.append(check)


def remove_write_check(check: WriteCheck) -> None:
    if check in _write_checks:
        _write_checks.remove(check)


def _pragmas(dbapi_conn: Any, _record: Any, *, readonly: bool) -> None:
    # The recipe: pysqlite must not issue BEGIN or COMMIT on its own.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS:d}")
    if readonly:
        cur.execute("PRAGMA query_only=ON")
    else:
        cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _say_holder(lock: Any, kind: str) -> None:
    """Write into the held lock file who holds it ("window 1234"), for the message a
    refused opener gets; best effort (some systems do not let another handle write)."""
    try:
        with open(lock.lock_file, "r+", encoding="ascii") as f:
            f.write(f"{kind} {os.getpid()}\n")
            f.truncate()
    except OSError:
        pass


def lock_holder(path: str | os.PathLike[str]) -> tuple[str, int] | None:
    """Who holds a file's lock, as its lock file says: ("window", 1234), or None."""
    try:
        words = Path(str(path) + ".lock").read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return None
    if len(words) == 2 and words[0] in ("window", "command") and words[1].isdigit():
        return words[0], int(words[1])
    return None


def _held_message(path: str | os.PathLike[str]) -> str:
    holder = lock_holder(path)
    if holder is None:
        return _("{path} is already open in another crmdesk window. Close it there first, "
                 "or open a different file.").format(path=path)
    kind, pid = holder
    if kind == "window":
        return _("{path} is already open in a crmdesk window (process {pid}). Close it "
                 "there first, or open a different file.").format(path=path, pid=pid)
    return _("{path} is being upgraded by a crmdesk command (process {pid}). Try again "
             "in a moment.").format(path=path, pid=pid)


def has_written(session: Session) -> bool:
    """Whether this unit of work has changed anything not yet committed."""
    conn = session.connection()
    before = conn.info.get(_CHANGES_AT_BEGIN)
    raw: Any = conn.connection.dbapi_connection
    return before is None or raw.total_changes != before


def _begin(conn: Any) -> None:
    """Every transaction's first statement (the "begin" event)."""
    # How many rows this connection had changed when the transaction began:
    # has_written() compares, so a cache knows whether this unit of work sees
    # what every other one sees.
    writing = bool(conn.get_execution_options().get(_WRITE))
    if writing:
        # Which contacts this unit of work changes (touched.py); made before the
        # count below, so that making them is not taken for a write.
        touched.start_tracking(conn.connection.dbapi_connection)
    conn.info[_CHANGES_AT_BEGIN] = conn.connection.dbapi_connection.total_changes
    if writing:
        for check in list(_write_checks):
            check()
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


# What SQLite says of a file that is damaged (a page that is not what it should
# be; the full-text index's own pages unreadable).
_DAMAGED = ("not a database", "malformed", "vtable constructor failed")


def translate_error(exc: BaseException, path: Path | str) -> BaseException:
    """Turn SQLite's words for a full disk or a read-only file into ours."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    msg = str(original).lower()
    if "disk is full" in msg or "disk i/o error" in msg:
        return DiskFullError(
            _("The disk holding {path} is full. Nothing of the last change was saved; "
              "free some space and try again.").format(path=path)
        )
    if "readonly" in msg or "read-only" in msg:
        return ReadOnlyError(
            _("{path} is read-only: crmdesk cannot save to it.").format(path=path)
        )
    if "database is locked" in msg:
        holder = lock_holder(path) if path else None
        if holder is not None:
            return AlreadyOpenError(
                _("{path} is busy: the crmdesk {holder} (process {pid}) is writing to it "
                  "and did not finish in time. Try again in a moment.").format(
                    path=path, holder=_("window") if holder[0] == "window" else _("command"),
                    pid=holder[1]))
        return AlreadyOpenError(
            _("{path} is busy: another program is writing to it. Try again in a moment.").format(
                path=path
            )
        )
    if any(word in msg for word in _DAMAGED):
        return NotADatabaseError(
            _("{path} is damaged: part of it cannot be read. It was not changed; restore "
              "a backup of it, or open a whole copy.").format(path=path)
        )
    return exc


def _raise_translated(exc: DBAPIError | sqlite3.Error, path: Path | str) -> NoReturn:
    """Raise ours for what SQLite said (a full disk, a damaged file ...), else ``exc``."""
    ours = translate_error(exc, path)
    if ours is exc:
        raise exc
    raise ours from exc


class Database:
    """One open database file (later also a server URL). Pass it in; never a global."""

    def __init__(self, engine: Engine, path: Path | None, *, readonly: bool, lock: Any = None):
        self.engine = engine
        self.path = path
        self.readonly = readonly
        self._lock = lock
        self._lock_made = False
        # Whether to back the file up on close, and whether it was changed.
        self._backups = False
        self._changed = False
        self._daily: threading.Thread | None = None
        self._sessions = sessionmaker(engine, expire_on_commit=False, info={"database": self})
        self._write_sessions = sessionmaker(engine.execution_options(**{_WRITE: True}),
                                            expire_on_commit=False, info={"database": self})
        # Commits made through session() so far (and changes seen from outside):
        # what a cache of this file's contents compares to know it is stale.
        self.generation = 0
        # Which contacts this process's commits changed, by the file's commit count,
        # and a number that moves on when that cannot be told (a restore, another
        # program's commit): what the in-memory texts and name order follow
        # (touched.py).
        self.journal = touched.Journal()
        self.epoch = 0
        self.text_memory: Any = None
        # Set when writing must stop (the file was removed under the window): every
        # writing unit of work raises it before it begins.
        self._refusal: CrmdeskError | None = None
        event.listen(engine, "begin", self._refuse_if_told, insert=True)

    def refuse_writes(self, error: CrmdeskError | None) -> None:
        """From now on every writing unit of work raises ``error`` before it takes the
        write lock (None: writes are allowed again)."""
        self._refusal = error

    def _refuse_if_told(self, conn: Any) -> None:
        if self._refusal is not None and conn.get_execution_options().get(_WRITE):
            raise self._refusal

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, create: bool = True, readonly: bool = False,
        backup: bool = True, shared: bool = False,
    ) -> Database:
        """Open (or create) a crmdesk file, refusing anything that is not safe to use.

        Opened to write, an existing file is backed up on its first open of the day,
        and again on close if anything was changed (``backup=False``: neither).
        ``shared``: a command's open, which works beside a window that has the file
        (see the module docstring) instead of being refused by it."""
        path = Path(path).expanduser().absolute()
        if not path.parent.is_dir():
            raise FolderMissingError(
                _("The folder {folder} does not exist, so {name} cannot be opened or "
                  "created there.").format(folder=path.parent, name=path.name)
            )
        exists = path.exists()
        if exists and path.is_dir():
            raise NotADatabaseError(
                _("{path} is a folder, not a crmdesk database.").format(path=path)
            )
        if not exists and (readonly or not create):
            raise DatabaseFileError(_("There is no database at {path}.").format(path=path))

        header = read_header(path) if exists else None
        if header is not None:
            app_id, user_version = header
            if app_id != APPLICATION_ID:
                raise NotADatabaseError(
                    _("{path} is a database of another program, not a crmdesk database. "
                      "It was not changed.").format(path=path)
                )
            if user_version > SCHEMA_VERSION:
                raise NewerSchemaError(
                    _("{path} was saved by a newer version of crmdesk. Update crmdesk to "
                      "open it; the file was not changed.").format(path=path)
                )

        # What is beside the file now: whatever opening it adds is taken away
        # again if the file is refused.
        beside_before = {p for p in _beside(path) if p.exists()}
        lock = None
        beside_window = False
        if not readonly:
            if exists and not os.access(path, os.W_OK):
                raise ReadOnlyError(
                    _("{path} is read-only, so crmdesk cannot save to it. Make it writable, "
                      "or save a copy elsewhere.").format(path=path)
                )
            if not os.access(path.parent, os.W_OK):
                raise ReadOnlyError(
                    _("The folder {folder} is read-only, so crmdesk cannot save {name} "
                      "there.").format(folder=path.parent, name=path.name)
                )
            # Not thread-local: the window may open a file on its worker thread
            # and close it on the GUI thread.
            lock = FileLock(str(path) + ".lock", timeout=0, thread_local=False,
                            mode=OWNER_ONLY)
            try:
                lock.acquire()
            except Timeout:
                if not shared:
                    raise AlreadyOpenError(_held_message(path)) from None
                # A window has the file: it is upgraded and prepared; write beside it.
                lock = None
                beside_window = True
            else:
                _say_holder(lock, "command" if shared else "window")
        engine = None
        try:
            if not exists:
                create_owner_only(path)
            engine = cls._make_engine(path, readonly=readonly)
            db = cls(engine, path, readonly=readonly, lock=lock)
            db._lock_made = lock is not None and Path(lock.lock_file) not in beside_before
            if beside_window:
                db._check_revision(current_only=True)
            elif not readonly:
                db._prepare(new=header is None)
                db._backups = backup and not shared
                if backup and header is not None:
                    db._daily_backup()
            else:
                db._check_revision()
            if shared and lock is not None:  # opened (and upgraded): the lock goes
                db._release_lock()
            return db
        except BaseException:
            if engine is not None:
                engine.dispose()
            if lock is not None:
                lock.release()
            if exists:
                for extra in _beside(path):
                    if extra not in beside_before:
                        extra.unlink(missing_ok=True)
            raise

    @staticmethod
    def _make_engine(path: Path, *, readonly: bool) -> Engine:
        if readonly and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            # A file the user may not change: SQLite's read-only mode. With no
            # write-ahead log beside it the file holds everything, and nobody can
            # be changing it, so it is read as immutable: nothing (no -shm) is
            # made beside it, which a read-only connection could not remove.
            uri = path.as_uri() + "?mode=ro"
            if not Path(str(path) + "-wal").exists():
                uri += "&immutable=1"

            def creator() -> sqlite3.Connection:
                return sqlite3.connect(uri, uri=True, check_same_thread=False)

            engine = create_engine("sqlite://", creator=creator, poolclass=QueuePool)
        else:
            # A reader of a file it may change still connects read-write, with
            # query_only on: then the last connection to close folds the -wal back
            # into the file and removes -wal and -shm, which a read-only one cannot.

            def creator() -> sqlite3.Connection:
                return sqlite3.connect(str(path), check_same_thread=False)

            # A plain pool: a connection lives until disposed, whichever thread
            # (GUI or worker) borrows it; "sqlite://" alone would get a
            # per-thread pool that closes connections another thread still uses.
            engine = create_engine("sqlite://", creator=creator, poolclass=QueuePool)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, record: Any) -> None:
            _pragmas(dbapi_conn, record, readonly=readonly)

        event.listen(engine, "begin", _begin)
        return engine

    def _autocommit(self, sql: str) -> None:
        """A statement that must run outside any transaction (journal mode, checkpoint)."""
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute(sql)  # type: ignore[union-attr]
        finally:
            raw.close()

    def _prepare(self, *, new: bool) -> None:
        try:
            self._autocommit("PRAGMA journal_mode=WAL")
            current = migrate.current_revision(self.engine)
            if not new and current is None:
                raise NotADatabaseError(
                    _("{path} is not a crmdesk database.").format(path=self.path)
                )
            if current is not None and not migrate.is_known(current):
                raise NewerSchemaError(
                    _("{path} was saved by a newer version of crmdesk. Update crmdesk to "
                      "open it; the file was not changed.").format(path=self.path)
                )
            if current != migrate.head():
                kept = self.backup_before_migration(current) if current is not None else None
                writer = self.engine.execution_options(**{_WRITE: True})
                try:
                    migrate.upgrade(writer)
                except (DBAPIError, sqlite3.Error):
                    raise
                except Exception as exc:  # a migration's own failure: rolled back
                    if kept is None:
                        raise
                    raise DatabaseFileError(_(
                        "Upgrading {path} to this version of crmdesk failed ({error}). The "
                        "file was not changed; a copy of it as it was is at {backup}."
                    ).format(path=self.path, error=exc, backup=kept)) from exc
                with writer.begin() as conn:
                    conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID:d}")
                    conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION:d}")
                # The header lives in the main file only after a checkpoint; other
                # processes read it from there before they open the file.
                self._autocommit("PRAGMA wal_checkpoint(TRUNCATE)")
                if current is None:
                    with self.session() as s:
                        seed_defaults(s)
                        # Lists follow the alphabet of the language of the PC the
                        # file was made on; Settings can change it later.
                        set_setting(s, "collation", system_language())
                        set_setting(s, "phone_region", system_region())
        except (DBAPIError, sqlite3.Error) as exc:
            _raise_translated(exc, self.path or "")

    def _check_revision(self, *, current_only: bool = False) -> None:
        try:
            current = migrate.current_revision(self.engine)
        except (DBAPIError, sqlite3.Error) as exc:
            _raise_translated(exc, self.path or "")
        if current is None:
            raise NotADatabaseError(_("{path} is not a crmdesk database.").format(path=self.path))
        if current_only and current != migrate.head():
            # Being upgraded by the window that holds it: a moment, then it is ready.
            raise AlreadyOpenError(_held_message(self.path or Path()))
        if not migrate.is_known(current):
            raise NewerSchemaError(
                _("{path} was saved by a newer version of crmdesk. Update crmdesk to open "
                  "it; the file was not changed.").format(path=self.path)
            )
        if current != migrate.head():
            raise DatabaseFileError(
                _("{path} was saved by an older version of crmdesk; open it once in crmdesk "
                  "to update it.").format(path=self.path)
            )

    def backup_before_migration(self, revision: str) -> Path:
        """A verified backup before a migration touches the file (none, no migration)."""
        return self.back_up(f"before-{revision}").path

    # -- backups -------------------------------------------------------------
    def back_up(self, reason: str = backups.ON_DEMAND, *,
                to: str | os.PathLike[str] | None = None) -> BackupInfo:
        """A verified backup: into the file's backup folder (rotated), or to ``to``
        (a new file, never one that exists, kept out of rotation)."""
        assert self.path is not None
        raw = self.engine.raw_connection()
        try:
            source: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
            if to is None:
                return backups.make_backup(source, self.path, reason)
            target = Path(to).expanduser().absolute()
            if target == self.path:
                raise BackupError(_("A backup cannot replace the file itself."))
            contacts = backups.write_backup(source, target)
            return BackupInfo(target, datetime.now().replace(microsecond=0),
                              target.stat().st_size, contacts, reason)
        finally:
            raw.close()

    def restore_from(self, backup: str | os.PathLike[str]) -> Restored:
        """Put ``backup`` in the place of this open file, through this writer's own
        connection (SQLite's backup API writes it in one transaction; readers see
        the old file or the new, never a mixture). The backup is checked first and
        the file as it was is backed up. For the window, which holds the file."""
        if self.readonly or self._lock is None or self.path is None:
            raise ReadOnlyError(_("{path} is open only to read: nothing was restored.").format(
                path=self.path))
        backup = Path(backup).expanduser().absolute()
        contacts = check_backup(backup)
        try:
            kept = self.back_up(backups.BEFORE_RESTORE).path
        except BackupError:
            kept = backups.keep_aside(self.path, backups.DAMAGED)
        raw = self.engine.raw_connection()
        try:
            source = sqlite3.connect(backup.as_uri() + "?mode=ro&immutable=1", uri=True)
            try:
                source.backup(raw.driver_connection)  # type: ignore[arg-type]
            finally:
                source.close()
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from exc
        finally:
            raw.close()
        # Connections made from now on read the new schema and contents.
        self.engine.dispose()
        self.generation += 1
        self.epoch += 1
        self._changed = True
        if self.execute_scalar("SELECT count(*) FROM contact") != contacts:
            raise BackupError(_("{path} does not hold what the backup holds after the "
                                "restore; the file as it was is kept in {kept}.").format(
                                    path=self.path, kept=kept))
        # A backup made by an older version is brought up to date, as on opening.
        self._prepare(new=False)
        return Restored(contacts, kept)

    def _daily_backup(self) -> None:
        """The first open of the day backs up a file that holds anything.

        On a thread of its own with a connection of its own (a file of 100,000
        contacts takes seconds to copy and check, and the window must not wait
        for that to show them); SQLite's backup reads one snapshot while this
        process goes on writing. close() waits for it. A backup that fails does
        not keep the file from opening; it is logged."""
        assert self.path is not None
        made = backups.newest(self.path)
        if made is not None and made.date() == datetime.now().date():
            return
        self._daily = threading.Thread(target=self._run_daily_backup, args=(self.path,),
                                       name="crmdesk-daily-backup", daemon=True)
        self._daily.start()

    @staticmethod
    def _run_daily_backup(path: Path) -> None:
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            try:
                conn.execute("PRAGMA query_only=ON")
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS:d}")
                holds = conn.execute("SELECT EXISTS (SELECT 1 FROM contact) "
                                     "OR EXISTS (SELECT 1 FROM company)").fetchone()[0]
                if holds:
                    backups.make_backup(conn, path, backups.DAILY)
            finally:
                conn.close()
        except (BackupError, sqlite3.Error, OSError):
            log.warning("the daily backup of %s failed", path, exc_info=True)

    def wait_for_backup(self) -> None:
        """Until the day's first backup, if one is being made, is done."""
        if self._daily is not None:
            self._daily.join()
            self._daily = None

    def _backup_on_close(self) -> None:
        """After changes, a backup on close; but at most one every CLOSE_QUIET, so a
        script that logs a call a minute does not copy the file each time."""
        assert self.path is not None
        made = backups.newest(self.path, reason=backups.ON_CLOSE)
        if made is not None and datetime.now() - made < CLOSE_QUIET:
            return
        try:
            self.back_up(backups.ON_CLOSE)
        except (BackupError, DatabaseFileError):
            log.warning("the backup of %s on close failed", self.path, exc_info=True)

    # -- use ---------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        """One writing unit of work (BEGIN IMMEDIATE): commit at the end, roll back
        on any exception. Another writer waits its turn (busy timeout)."""
        s = self._write_sessions()
        try:
            yield s
            wrote = s.in_transaction() and has_written(s)
            seq: int | None = None
            if wrote:
                self._changed = True
                changed = touched.harvest(s)
                seq = touched.count_commit(s)
            s.commit()
            self.generation += 1
            if wrote:
                if seq is None:
                    self.epoch += 1
                else:
                    self.journal.add(seq, changed)
        except (DBAPIError, sqlite3.Error) as exc:
            s.rollback()
            _raise_translated(exc, self.path or "")
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def changed_outside(self) -> None:
        """Another program committed (storage/outside.py): what was read is read again."""
        self.generation += 1
        self.epoch += 1

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A reading unit of work: one snapshot of the file (BEGIN); never commits."""
        s = self._sessions()
        try:
            yield s
        except (DBAPIError, sqlite3.Error) as exc:
            _raise_translated(exc, self.path or "")
        finally:
            s.rollback()
            s.close()

    def copy_to(self, target: str | os.PathLike[str]) -> Path:
        """A consistent copy of the whole file (SQLite's online backup), for "Save a copy as"."""
        target = Path(target)
        if self.path is not None and target.absolute() == self.path:
            raise DatabaseFileError(_("A copy cannot replace the file itself."))
        tmp = target.with_name(target.name + ".part")
        try:
            tmp.unlink(missing_ok=True)
            create_owner_only(tmp)
            raw = self.engine.raw_connection()
            try:
                dest = sqlite3.connect(str(tmp))
                try:
                    raw.driver_connection.backup(dest)  # type: ignore[union-attr]
                    dest.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dest.close()
            finally:
                raw.close()
            shutil.move(str(tmp), str(target))
        except (OSError, sqlite3.Error) as exc:
            tmp.unlink(missing_ok=True)
            raise translate_error(exc, target) from exc
        return target

    def close(self) -> None:
        self.wait_for_backup()
        if self._backups and self._changed and self._lock is not None:
            self._changed = False
            self._backup_on_close()
        self.engine.dispose()
        self._release_lock()

    def _release_lock(self) -> None:
        if self._lock is not None:
            if self._lock_made:
                # The lock file this open made goes with it: nothing is left
                # beside the file (SQLite removed its -wal and -shm on close).
                Path(self._lock.lock_file).unlink(missing_ok=True)
            else:  # one that was there stays, without naming a holder that has gone
                try:
                    with open(self._lock.lock_file, "r+", encoding="ascii") as f:
                        f.truncate()
                except OSError:
                    pass
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def execute_scalar(self, sql: str) -> Any:
        """A constant SQL statement (never built from input), for checks and tests."""
        with self.engine.connect() as conn:
            return conn.execute(text(sql)).scalar()


# -- restoring -----------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    contacts: int  # in the file now
    kept: Path | None  # where the file as it was before the restore is kept


def check_backup(backup: Path) -> int:
    """The contacts in ``backup`` if it is a whole crmdesk file this version can open;
    else BackupError, saying why."""
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(_("There is no backup at {path}.").format(path=backup))
    try:
        header = read_header(backup)
    except NotADatabaseError as exc:
        raise BackupError(
            _("The backup {path} is damaged or is not a crmdesk database: nothing was "
              "restored.").format(path=backup)) from exc
    if header is None or header[0] != APPLICATION_ID:
        raise BackupError(_("{path} is not a crmdesk backup: nothing was restored.").format(
            path=backup))
    if header[1] > SCHEMA_VERSION:
        raise BackupError(_("The backup {path} was made by a newer version of crmdesk: "
                            "nothing was restored.").format(path=backup))
    try:
        return backups.verify(backup)
    except BackupError as exc:
        raise BackupError(exc.message + " " + _("Nothing was restored.")) from exc


def restore_backup(path: str | os.PathLike[str], backup: str | os.PathLike[str]) -> Restored:
    """Put ``backup`` in the place of the database file ``path``.

    The backup is checked first, whole; then the file is locked as a window locks
    it (refused while a window has it open) and backed up itself. A whole file
    then takes the backup in place, in one SQLite transaction (a command writing
    beside it waits its turn); a damaged one (kept as it is, byte for byte) is
    replaced by a copy written beside it and renamed over it. Either way a
    failure at any point leaves the old file or the restored one, never a mixture.
    """
    path = Path(path).expanduser().absolute()
    backup = Path(backup).expanduser().absolute()
    if backup == path:
        raise BackupError(_("A file cannot be restored from itself."))
    contacts = check_backup(backup)
    lock_path = Path(str(path) + ".lock")
    lock_made = not lock_path.exists()
    lock = FileLock(str(lock_path), timeout=0, thread_local=False, mode=OWNER_ONLY)
    try:
        lock.acquire()
    except Timeout:
        raise AlreadyOpenError(
            _("{path} is open in crmdesk (a window or a command). Close it there, then "
              "restore; nothing was restored.").format(path=path)) from None
    try:
        kept, whole = _keep_current(path) if path.exists() else (None, False)
        if whole:
            _restore_in_place(path, backup, contacts)
            return Restored(contacts, kept)
        tmp = path.with_name(path.name + ".restoring")
        tmp.unlink(missing_ok=True)
        create_owner_only(tmp)
        try:
            source = sqlite3.connect(backup.as_uri() + "?mode=ro&immutable=1", uri=True)
            try:
                backups.copy_into(source, tmp)
            finally:
                source.close()
            if backups.verify(tmp) != contacts:
                raise BackupError(_("The restored copy does not match the backup; nothing "
                                    "was restored."))
            # The old file's log and index must not be read with the new file.
            for suffix in ("-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            os.replace(tmp, path)
        except (OSError, sqlite3.Error) as exc:
            raise translate_error(exc, path) from exc
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        if lock_made:
            lock_path.unlink(missing_ok=True)
        lock.release()
    return Restored(contacts, kept)


def _keep_current(path: Path) -> tuple[Path, bool]:
    """Back up the file about to be replaced: verified if SQLite can read it whole,
    else copied byte for byte (a damaged file may still hold what the user needs).
    The copy, and whether the file was whole."""
    try:
        read_header(path)
        source = sqlite3.connect(str(path), isolation_level=None)
        try:
            return backups.make_backup(source, path, backups.BEFORE_RESTORE).path, True
        finally:
            source.close()
    except (NotADatabaseError, BackupError, sqlite3.Error):
        return backups.keep_aside(path, backups.DAMAGED), False


def _restore_in_place(path: Path, backup: Path, contacts: int) -> None:
    """Copy ``backup`` into the whole file at ``path`` with SQLite's backup API, as
    one write transaction: a command writing beside it (they open the file shared)
    waits its turn and then writes into the restored file, never into a file
    renamed away; a reader sees the old contents or the new."""
    try:
        source = sqlite3.connect(backup.as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            dest = sqlite3.connect(str(path), isolation_level=None)
            try:
                dest.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS:d}")
                source.backup(dest)
                got = backups.count_contacts(dest)
            finally:
                dest.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    if got != contacts:
        raise BackupError(_("{path} does not hold what the backup holds after the restore.")
                          .format(path=path))
