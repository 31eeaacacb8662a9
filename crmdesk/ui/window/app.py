"""Starting the GUI: the application object, translations, the first file, the window.

`run()` is what `crmdesk` (no arguments) and `crmdesk gui` call. It refuses
clearly when there is no screen (Qt would abort the process instead), opens
the database the user asked for, else the last one used, else their own in
the user data folder, and when that file cannot be used it says why in the
core's words and offers another file, a new one, or quitting.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from crmdesk.core.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from crmdesk.core.storage.database import Database
    from crmdesk.ui.common.settings import UiSettings

EXIT_OK = 0
EXIT_NO_DISPLAY = 1
EXIT_NO_DATABASE = 1


def has_display() -> bool:
    """Whether Qt can show a window here (Linux/BSD need X11 or Wayland)."""
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def run(db_path: str | None = None, argv: list[str] | None = None) -> int:
    """Show the main window on ``db_path`` (or the usual file) until it is closed.

    ``argv`` goes to QApplication (Qt's own options such as -style); the
    return value is the process exit code.
    """
    if not has_display():
        print(_("crmdesk needs a screen to open its window, and there is none here "
                "(no DISPLAY or WAYLAND_DISPLAY). The command-line tools work without one: "
                "try `crmdesk --help`."), file=sys.stderr)
        return EXIT_NO_DISPLAY
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from crmdesk.ui.common import errors
    from crmdesk.ui.common.settings import UiSettings
    from crmdesk.ui.tasks.writes import install_gui_thread_check, remove_gui_thread_check
    from crmdesk.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication(
        list(argv) if argv is not None else sys.argv[:1])
    configure_application(app)  # type: ignore[arg-type]
    errors.install_excepthook()
    check = install_gui_thread_check()  # a write begun on the GUI thread goes to the log
    try:
        settings = UiSettings()
        db = open_first_database(db_path, settings)
        if db is None:
            return EXIT_NO_DATABASE
        window = MainWindow(db, settings)
        if db.path is not None:
            settings.add_recent(str(db.path))
        window.show()
        QTimer.singleShot(0, window.offer_demo_if_empty)
        _windows.append(window)
        code = app.exec()
        _windows.remove(window)
        return int(code)
    finally:
        remove_gui_thread_check(check)


_windows: list[object] = []  # the running window, kept referenced while Qt runs


def configure_application(app: QApplication) -> None:
    """Names for QSettings, the catalogue of the user's language, Qt's own strings,
    and the wheel guard (the wheel scrolls forms, never changes an unfocused value)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from crmdesk import __version__
    from crmdesk.core import i18n
    from crmdesk.ui.common import plain_text, wheel_guard
    from crmdesk.ui.window.qt_words import CatalogueTranslator

    app.setOrganizationName("crmdesk")
    app.setApplicationName("crmdesk")
    app.setApplicationDisplayName("crmdesk")
    app.setApplicationVersion(__version__)
    if not any(os.environ.get(v) for v in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")):
        # Windows and macOS tell Qt, not the environment, which language the user reads.
        i18n.install([lang.replace("-", "_") for lang in QLocale.system().uiLanguages()])
    # crmdesk's catalogue for Qt's standard buttons first; Qt's own, where it has
    # one for the language, is asked before it (the last installed is asked first).
    app.installTranslator(CatalogueTranslator(app))
    translator = QTranslator(app)
    if translator.load(QLocale.system(), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    wheel_guard.install(app)
    plain_text.install(app)


def initial_path(db_path: str | None, recent: list[str]) -> tuple[Path, bool]:
    """(file to open, whether it is the user's default file in the data folder)."""
    from crmdesk.core.storage.database import default_path

    if db_path:
        return Path(db_path).expanduser(), False
    if not os.environ.get("CRMDESK_DB"):
        for path in recent[:1]:
            if Path(path).is_file():
                return Path(path), False
    return default_path(), True


def open_first_database(db_path: str | None, settings: UiSettings) -> Database | None:
    """The Database to start with, asking the user while the file cannot be used."""
    from crmdesk.core.errors import CrmdeskError, NotADatabaseError, ReadOnlyError
    from crmdesk.core.storage.backups import list_backups
    from crmdesk.core.storage.database import restore_backup
    from crmdesk.ui.common import dialogs, errors
    from crmdesk.ui.tasks.writes import open_database, run_on_writer
    from crmdesk.ui.window.database_files import with_suffix
    from crmdesk.ui.window.restore_dialog import when_text

    path, is_default = initial_path(db_path, settings.recent_files())
    while True:
        readonly = False
        good = None
        try:
            if is_default:
                path.parent.mkdir(parents=True, exist_ok=True)
            return open_database(str(path))
        except ReadOnlyError as exc:
            problem, readonly = exc.message, True
        except NotADatabaseError as exc:  # damaged: its newest good backup, if any
            problem = exc.message
            good = next((b for b in list_backups(path) if b.contacts is not None), None)
        except CrmdeskError as exc:
            problem = exc.message
        except Exception as exc:  # noqa: BLE001 - a bug: shown with details, then quit
            errors.show_error(None, exc)
            return None
        choices = [_("Open Another File…"), _("Create a New Database…"), _("Quit")]
        if readonly:  # a file one may look at but not change: look at it
            choices.insert(0, _("Open It Read-Only"))
        if good is not None:
            choices.insert(0, _("Restore the Newest Backup"))
            problem += "\n\n" + _(
                "The newest good backup of {name} is from {date}, with {n} contacts. The "
                "damaged file is kept as it is, in the backup folder.").format(
                    name=path.name, date=when_text(good), n=good.contacts)
        choice = dialogs.choose(None, _("crmdesk"), problem, choices,
                                informative=_("What would you like to do?"))
        if good is not None:
            if choice == 0:
                try:
                    run_on_writer(lambda p=path, b=good.path: restore_backup(p, b))
                except CrmdeskError as exc:
                    errors.show_error(None, exc)
                continue  # open it again, restored
            choice -= 1
        if readonly:
            if choice == 0:
                try:
                    return open_database(str(path), create=False, readonly=True)
                except CrmdeskError as exc:
                    errors.show_error(None, exc)
                    return None
            choice -= 1
        if choice == 0:
            chosen = dialogs.open_file(None, _("Open Database"), str(path.parent))
        elif choice == 1:
            chosen = dialogs.save_file(None, _("New Database"),
                                       str(path.parent / ("contacts" + ".crmdesk")),
                                       confirm_overwrite=False)
            chosen = with_suffix(chosen) if chosen else ""
        else:
            return None
        if chosen:
            path, is_default = Path(chosen), False
