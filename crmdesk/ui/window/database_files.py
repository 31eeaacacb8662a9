"""The File menu's work: new, open, open recent, save a copy, the demo database,
and the alphabet names are sorted in (a setting of the file itself).

Kept apart from the window so the window stays about views and keys. Every
path comes from a native file dialog (dialogs.py) and every failure is shown
by errors.show_error with the core's own plain message; the file that was
open stays open when another one cannot be opened.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

import platformdirs
from PySide6.QtCore import QLocale, QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _
from crmdesk.core.lookup.listing import count_all
from crmdesk.core.storage.database import FILE_SUFFIX, Database
from crmdesk.ui.common import dialogs, errors
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.tasks.operations import Operations, Progress


class FilesHost(Protocol):
    """What DatabaseFiles needs of the main window (which owns it)."""

    db: Database
    operations: Operations
    settings: UiSettings

    def statusBar(self) -> Any: ...  # noqa: N802 - Qt's name
    def refresh_all(self) -> None: ...
    def broadcast(self, changes: Changes) -> None: ...
    def import_contacts(self, path: str | None = None) -> None: ...
    def switch_database(self, path: str, *, create: bool) -> bool: ...

DEMO_CONTACTS = 2000
# Languages whose alphabet collation.py knows ("" = accent-blind, any language).
SORT_LANGUAGES = ["", "be", "bg", "cs", "da", "et", "fi", "lt", "lv", "nb", "pl", "ru", "sk",
                  "es", "sv", "tr", "uk"]


def demo_path() -> Path:
    return platformdirs.user_data_path("crmdesk", appauthor=False) / f"demo{FILE_SUFFIX}"


def with_suffix(path: str) -> str:
    return path if path.lower().endswith(FILE_SUFFIX) else path + FILE_SUFFIX


def language_name(code: str) -> str:
    if not code:
        return _("Any Language (ignore accents)")
    locale = QLocale(code)
    native = locale.nativeLanguageName() or code
    return f"{native[:1].upper()}{native[1:]} ({code})"


def is_empty(db: Database) -> bool:
    with db.reading() as session:
        return not (count_all(session) or count_all(session, trash=True)
                    or count_all(session, companies=True)
                    or count_all(session, companies=True, trash=True))


class DatabaseFiles(QObject):
    def __init__(self, window: FilesHost) -> None:
        super().__init__(window)
        self.window = window

    def _start_dir(self) -> str:
        path = self.window.db.path
        return str(path.parent) if path is not None else str(Path.home())

    # -- new, open, recent ------------------------------------------------------------
    def new_database(self) -> None:
        path = dialogs.save_file(self.window, _("New Database"),
                                 os.path.join(self._start_dir(), "contacts" + FILE_SUFFIX),
                                 confirm_overwrite=False)
        if not path:
            return
        path = with_suffix(path)
        if os.path.exists(path):
            errors.show_error(self.window, CrmdeskError(
                _("{path} already exists. Use File > Open to open it, or choose another "
                  "name for the new database.").format(path=path)))
            return
        self.window.switch_database(path, create=True)

    def open_database(self) -> None:
        path = dialogs.open_file(self.window, _("Open Database"), self._start_dir())
        if path:
            self.window.switch_database(path, create=False)

    def open_recent(self, path: str) -> None:
        if not os.path.exists(path):
            self.window.settings.remove_recent(path)
            errors.show_error(self.window, CrmdeskError(
                _("{path} is not there any more: it was moved, renamed or deleted. It was "
                  "taken off the list of recent files.").format(path=path)))
            return
        self.window.switch_database(path, create=False)

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        current = self.window.db.path
        files = self.window.settings.recent_files()
        for number, path in enumerate(files, start=1):
            label = f"&{number} {Path(path).name}" if number < 10 else Path(path).name
            action = menu.addAction(label)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.setEnabled(current is None or Path(path) != current)
            action.triggered.connect(lambda _c=False, p=path: self.open_recent(p))
        if not files:
            menu.addAction(_("No Recent Files")).setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction(_("Clear Menu"))
        clear.setEnabled(bool(files))
        clear.triggered.connect(self.window.settings.clear_recent)

    # -- save a copy -----------------------------------------------------------------
    def save_copy(self) -> None:
        db = self.window.db
        stem = db.path.stem if db.path is not None else "contacts"
        path = dialogs.save_file(self.window, _("Save a Copy As"),
                                 os.path.join(self._start_dir(), f"{stem} copy{FILE_SUFFIX}"))
        if not path:
            return
        target = Path(with_suffix(path))

        def job(progress: Progress) -> Path:
            progress.report(0, 0, _("Copying {name}…").format(name=target.name))
            return db.copy_to(target)

        def done(copied: Path) -> None:
            self.window.statusBar().showMessage(
                _("Saved a copy as {path}. You are still working in {name}.").format(
                    path=copied, name=db.path.name if db.path else ""), 10000)

        self.window.operations.run(job, label=_("Saving a copy…"), on_success=done,
                                   cancellable=False)

    # -- the demo ---------------------------------------------------------------------
    def offer_demo_if_empty(self) -> None:
        """On the first start with an empty database, offer the demo once."""
        settings = self.window.settings
        if settings.flag("demo_offered") or not is_empty(self.window.db):
            return
        settings.set_flag("demo_offered", True)
        choice = dialogs.choose(
            self.window, _("Welcome to crmdesk"), _("Your contact list is empty."),
            [_("Open the Demo Database"), _("Import My Contacts…"), _("Start with My Own List")],
            informative=_("The demo is a separate file with {n} made-up people and companies "
                          "to try things on. Your own database stays as it is; File > Open "
                          "Recent brings you back to it.").format(n=QLocale().toString(
                              DEMO_CONTACTS)))
        if choice == 0:
            self.open_demo()
        elif choice == 1:
            self.window.import_contacts()

    def open_demo(self) -> None:
        path = demo_path()
        if path.exists():
            self.window.switch_database(str(path), create=False)
            return

        def job(progress: Progress) -> Path:
            try:
                from crmdesk.core.demo import generate
            except ImportError:
                raise CrmdeskError(_("This version of crmdesk has no demo database.")) from None
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with Database.open(path) as demo:
                    generate(demo, contacts=DEMO_CONTACTS, seed=1,
                             progress=lambda done, total: progress.report(done, total))
            except BaseException:
                # A half-made demo is no use: leave no file behind.
                for suffix in ("", "-wal", "-shm", ".lock"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
                raise
            return path

        self.window.operations.run(
            job, label=_("Making the demo database…"),
            on_success=lambda made: self.window.switch_database(str(made), create=False))

    # -- the alphabet ------------------------------------------------------------------
    def fill_sort_menu(self, menu: QMenu) -> None:
        from crmdesk.core.storage.settings import get_setting

        menu.clear()
        with self.window.db.reading() as session:
            current = get_setting(session, "collation")
        group = QActionGroup(menu)
        names = sorted(SORT_LANGUAGES, key=lambda c: (c != "", language_name(c).casefold()))
        if current not in names:
            names.append(current)
        for code in names:
            action = QAction(language_name(code), menu)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _c=False, c=code: self.set_sort_language(c))
            group.addAction(action)
            menu.addAction(action)

    def set_sort_language(self, language: str) -> None:
        from crmdesk.core.contacts.records import set_collation

        db = self.window.db

        def job(progress: Progress) -> int:
            progress.report(0, 0)
            return set_collation(db, language)

        def done(_n: int) -> None:
            self.window.refresh_all()
            self.window.statusBar().showMessage(
                _("Names are now sorted as in {language}.").format(
                    language=language_name(language)), 8000)

        self.window.operations.run(job, label=_("Sorting names in the new order…"),
                                   on_success=done, cancellable=False)

    # -- the phone country -------------------------------------------------------------
    def choose_phone_region(self) -> None:
        """Which country a number typed without +code belongs to (a setting of the file),
        and what becomes of the numbers typed that way (window/phone_region.py)."""
        from crmdesk.ui.window.phone_region import choose_phone_region

        choose_phone_region(self.window)
