"""The main window: navigation between views, the toolbar and search box, menus,
the status bar, and the keyboard shortcuts that act on whichever view is shown.

The window owns no records. It passes the search text (debounced) and the
verbs (New, Save, Discard, Delete, Undo) to the current view, carries each
Change a view reports to every other view, and asks every view with unsaved
edits before it switches views, opens another file or closes. Views for
History, Calendar and Reports arrive through add_view().
"""

from __future__ import annotations

import linecache
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.changes import COMPANIES, CONTACTS, FIELDS, LISTS, Changes
from crmdesk.core.errors import CrmdeskError, DatabaseFileError, ReadOnlyError
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.lookup import listing
from crmdesk.core.lookup.query import lookup_notes, lookup_problem
from crmdesk.core.search.short_fragments import remember_texts
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import (
    ACTIVITY_KIND,
    INTERACTION_KIND,
    OUTCOME,
    SOURCE,
    STATUS,
)
from crmdesk.core.storage.outside import OutsideChanges
from crmdesk.ui.common import dialogs, errors
from crmdesk.ui.common.elided_label import ElidedLabel
from crmdesk.ui.common.record_view import (
    FormFactory,
    RecordView,
    real_company_form,
    real_contact_form,
)
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.companies.view import CompaniesView
from crmdesk.ui.contacts.lookup_builder import LookupBuilder
from crmdesk.ui.contacts.table_model import reader
from crmdesk.ui.contacts.view import ContactsView
from crmdesk.ui.fields.editor import FieldsEditor
from crmdesk.ui.history.view import HistoryView
from crmdesk.ui.lists.choice_lists import ChoiceListDialog, kind_title
from crmdesk.ui.tasks.operations import Operations
from crmdesk.ui.tasks.writes import open_database
from crmdesk.ui.trash.view import TrashView
from crmdesk.ui.window import about
from crmdesk.ui.window.database_files import DatabaseFiles
from crmdesk.ui.window.groups_nav import GroupsNav
from crmdesk.ui.window.restore_dialog import offer_newest_backup, offer_restore
from crmdesk.ui.window.search_help import SearchHelp

SEARCH_DELAY_MS = 100
_PROBLEM_STYLE = "QLabel#lookup_problem { color: #b3261e; padding-right: 6px; }"
_NOTE_STYLE = "QLabel#lookup_problem { color: #5f6368; padding-right: 6px; }"
# How long typing pauses before a malformed lookup is pointed out.
PROBLEM_DELAY_MS = 600
# How often the file is asked whether another process wrote to it.
OUTSIDE_POLL_MS = 1500
# How long closing waits for a job that was asked to stop, in seconds.
CLOSE_WAIT_S = 10.0


class MainWindow(QMainWindow):
    # Another database file is open now (views were rebuilt).
    database_changed = Signal()

    def __init__(self, db: Database, settings: UiSettings, *,
                 contact_form: FormFactory = real_contact_form,
                 company_form: FormFactory = real_company_form,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self._contact_form = contact_form
        self._company_form = company_form
        self.operations = Operations(self)
        self.files = DatabaseFiles(self)
        self.views: list[RecordView] = []
        self._view_actions: list[QAction] = []
        self._queries: dict[str, str] = {}
        self._closed = False
        # Tools > Fields builds its dialog here (a test may put its own).
        self.fields_editor_factory = FieldsEditor
        self.setObjectName("main_window")

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_central()
        self._build_status_bar()
        self._outside: OutsideChanges | None = None
        self._file_gone = False  # the file was removed or moved while open
        self._watch_outside()
        self._build_views()
        self._show_read_only()
        self.setAcceptDrops(True)  # a file of contacts dropped here is imported
        self._restore_window()
        self.operations.busy_changed.connect(self._update_actions)
        # Another process's commits (a phone hook's `crmdesk log`) show within a moment.
        self._outside_timer = QTimer(self, interval=OUTSIDE_POLL_MS)
        self._outside_timer.timeout.connect(self.check_outside)
        self._outside_timer.start()
        # PySide's import hook reads the source of every module imported after it
        # (PYSIDE-2029: to see whether the module uses PySide), and Python keeps those
        # lines in linecache: ~10 MB of text nobody reads. Tracebacks read again what
        # they need.
        linecache.clearcache()

    # -- building -----------------------------------------------------------------
    def _action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None,
                icon: QStyle.StandardPixmap | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        keys = QKeySequence.StandardKey
        self.new_action = self._action(_("New Contact"), self._new, keys.New, sp.SP_FileIcon)
        self.save_action = self._action(_("Save"), self._save, keys.Save,
                                        sp.SP_DialogSaveButton, _("Save the changes (Ctrl+S)"))
        self.revert_action = self._action(_("Discard Changes"), self._escape, "Esc",
                                          sp.SP_DialogResetButton,
                                          _("Go back to what was saved (Esc)"))
        # Del itself belongs to each list (so that Del in a text field deletes a
        # letter); the menu shows the key after the tab.
        self.delete_action = self._action(_("Move to Trash") + "\tDel", self._delete, None,
                                          sp.SP_TrashIcon, _("Move the selected records to "
                                                             "the trash (Del)"))
        self.delete_action.setIconText(_("Delete"))
        self.undo_action = self._action(_("Undo"), self._undo, keys.Undo)
        self.log_action = self._action(
            _("Log Interaction…"), self._log, "Ctrl+L", None,
            _("Record a call, meeting, e-mail or letter with the selected contacts (Ctrl+L)"))
        self.schedule_action = self._action(
            _("Schedule…"), lambda: self.calendar.schedule_for(
                self.current_view().log_targets()), "Ctrl+K", None,
            _("Plan a call, meeting or to-do with the selected contacts (Ctrl+K)"))
        self.find_action = self._action(_("Find"), self.focus_search, keys.Find)
        self.new_db_action = self._action(_("New Database…"), self.files.new_database)
        self.open_action = self._action(_("Open…"), self.files.open_database, keys.Open)
        self.copy_action = self._action(_("Save a Copy As…"), self.files.save_copy,
                                        "Ctrl+Shift+S")
        self.quit_action = self._action(_("Quit"), self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.search_help_action = self._action(_("Searching…"), self.show_search_help, "F1")
        self.build_lookup_action = self._action(
            _("Build Lookup…"), self.build_lookup, "Ctrl+Shift+F", None,
            _("Click a lookup together from fields and conditions (Ctrl+Shift+F)"))
        self.about_action = self._action(_("About crmdesk"),
                                         lambda: about.show_about(self, self.db.path))
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_qt_action = self._action(_("About Qt"), QApplication.aboutQt)
        self.about_qt_action.setMenuRole(QAction.MenuRole.AboutQtRole)
        self.demo_action = self._action(_("Open the Demo Database"), self.files.open_demo)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.addActions([self.new_db_action, self.open_action])
        self.recent_menu = file_menu.addMenu(_("Open &Recent"))
        self.recent_menu.aboutToShow.connect(
            lambda: self.files.fill_recent_menu(self.recent_menu))
        file_menu.addSeparator()
        self.import_action = file_menu.addAction(_("&Import Contacts…"),
                                                 lambda: self.import_contacts())
        self.undo_import_action = file_menu.addAction(_("&Undo Last Import…"),
                                                      self.undo_last_import)
        self.export_action = file_menu.addAction(_("&Export Call List…"),
                                                 self.export_call_list)
        self.print_action = file_menu.addAction(_("&Print…"),
                                                lambda: self.print_list(preview=False))
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_preview_action = file_menu.addAction(
            _("Print Pre&view…"), lambda: self.print_list(preview=True))
        self.labels_action = file_menu.addAction(_("Print &Labels…"), self.print_labels)
        self.envelopes_action = file_menu.addAction(_("Print E&nvelopes…"),
                                                    self.print_envelopes)
        file_menu.addAction(self.copy_action)
        self.restore_action = file_menu.addAction(_("Restore from a &Backup…"),
                                                  lambda: offer_restore(self))
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit = bar.addMenu(_("&Edit"))
        edit.addActions([self.undo_action])
        edit.addSeparator()
        edit.addActions([self.new_action, self.save_action, self.revert_action,
                         self.delete_action])
        edit.addSeparator()
        edit.addAction(self.log_action)
        edit.addAction(self.schedule_action)
        self.merge_action = edit.addAction(_("&Merge Contacts…"), self.merge_contacts)
        edit.addSeparator()
        edit.addAction(self.find_action)
        edit.addAction(self.build_lookup_action)
        self.view_menu = bar.addMenu(_("&View"))
        self.view_group = QActionGroup(self)
        self._view_separator = self.view_menu.addSeparator()
        self.columns_menu = self.view_menu.addMenu(_("&Columns"))
        self.columns_menu.aboutToShow.connect(self._fill_columns_menu)
        self.sort_menu = self.view_menu.addMenu(_("Sort &Names As"))
        self.sort_menu.aboutToShow.connect(lambda: self.files.fill_sort_menu(self.sort_menu))
        # Tools: settings of the file (later also Lists, Backups).
        self.tools_menu = bar.addMenu(_("&Tools"))
        self.fields_action = self.tools_menu.addAction(_("&Fields…"), self.edit_fields)
        self.duplicates_action = self.tools_menu.addAction(_("Find &Duplicates…"),
                                                           self.find_duplicates)
        self.lists_menu = self.tools_menu.addMenu(_("&Lists"))
        self.list_actions = {}
        for kind in (STATUS, SOURCE, INTERACTION_KIND, OUTCOME, ACTIVITY_KIND):
            self.list_actions[kind] = self.lists_menu.addAction(
                kind_title(kind) + "…", lambda k=kind: self.edit_list(k))
        self.phone_region_action = self.tools_menu.addAction(
            _("Phone &Country…"), self.files.choose_phone_region)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.search_help_action)
        help_menu.addAction(self.demo_action)
        help_menu.addSeparator()
        help_menu.addActions([self.about_action, self.about_qt_action])

    def _build_toolbar(self) -> None:
        tools = QToolBar(_("Toolbar"))
        tools.setObjectName("main_toolbar")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tools.addActions([self.new_action, self.save_action, self.revert_action,
                          self.delete_action])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tools.addWidget(spacer)
        # What is wrong with a lookup, beside the box; typing goes on meanwhile.
        self.lookup_problem = ElidedLabel(mode=Qt.TextElideMode.ElideRight, minimum_chars=24)
        self.lookup_problem.setObjectName("lookup_problem")
        self.lookup_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.lookup_problem.setAlignment(Qt.AlignmentFlag.AlignRight
                                         | Qt.AlignmentFlag.AlignVCenter)
        self.lookup_problem.setStyleSheet(_PROBLEM_STYLE)
        self._lookup_problem_action = tools.addWidget(self.lookup_problem)
        self._lookup_problem_action.setVisible(False)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("search_box")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(300)
        self.search_box.setMaximumWidth(460)
        self.search_box.setToolTip(_("Search (Ctrl+F). Down arrow or Enter: go to the list."))
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.installEventFilter(self)
        tools.addWidget(self.search_box)
        self.search_help_button = QToolButton()
        self.search_help_button.setObjectName("search_help_button")
        self.search_help_button.setText("?")
        self.search_help_button.setToolTip(_("How to search (F1)"))
        self.search_help_button.clicked.connect(self.show_search_help)
        tools.addWidget(self.search_help_button)
        self.build_lookup_button = QToolButton()
        self.build_lookup_button.setObjectName("build_lookup_button")
        self.build_lookup_button.setText(_("Build…"))
        self.build_lookup_button.setToolTip(_("Build a lookup from fields and conditions "
                                              "(Ctrl+Shift+F)"))
        self.build_lookup_button.clicked.connect(self.build_lookup)
        tools.addWidget(self.build_lookup_button)
        self.addToolBar(tools)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        # A problem is shown once typing pauses, so a half-typed `status:` is not flagged.
        self._problem_timer = QTimer(self, singleShot=True, interval=PROBLEM_DELAY_MS)
        self._problem_timer.timeout.connect(self.check_lookup)
        self.search_box.textChanged.connect(self._lookup_edited)

    def _build_central(self) -> None:
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("navigation")
        self.sidebar.setFixedWidth(150)
        self.sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        self.sidebar.setSpacing(2)
        self.sidebar.setStyleSheet("QListWidget#navigation { padding-top: 6px; }"
                                   "QListWidget#navigation::item { padding: 6px 10px; }")
        self.sidebar.currentRowChanged.connect(self._sidebar_row_changed)
        self.stack = QStackedWidget()
        # Above everything while the file is open read-only: what can and cannot be done.
        self.read_only_banner = QLabel()
        self.read_only_banner.setObjectName("read_only_banner")
        self.read_only_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet(
            "QLabel#read_only_banner { background: #fff4ce; color: #3b2f00; "
            "border-bottom: 1px solid #e0c97a; padding: 6px 10px; }")
        self.read_only_banner.hide()
        panes = QWidget()
        row = QHBoxLayout(panes)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        # The views, and under them the groups (saved lookups, static groups).
        self.groups_nav = GroupsNav(self)
        nav = QVBoxLayout()
        nav.setSpacing(0)
        nav.addWidget(self.sidebar)
        nav.addWidget(self.groups_nav.widget, 1)
        row.addLayout(nav)
        row.addWidget(self.stack, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.read_only_banner)
        layout.addWidget(panes, 1)
        self.setCentralWidget(central)

    def _show_read_only(self) -> None:
        """The banner, and no verbs that would change the file, while it is read-only."""
        readonly = bool(getattr(self.db, "readonly", False))
        self.read_only_banner.setVisible(readonly)
        if readonly:
            self.read_only_banner.setText(_(
                "{name} is open read-only: you can look, search and copy, but not change "
                "it. To change it, make the file (and its folder) writable and open it "
                "again, or save a copy elsewhere.").format(
                    name=self.db.path.name if self.db.path else _("The file")))

    def _build_status_bar(self) -> None:
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        # The count always shows whole; a long path gives way to it, cut in the middle.
        self.count_label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        self.file_label = ElidedLabel()
        self.file_label.setObjectName("file_label")
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.file_label, 1)

    def _build_views(self) -> None:
        ops = self.operations
        self.contacts = ContactsView(self.db, self.settings, ops, self._contact_form)
        self.companies = CompaniesView(self.db, self.settings, ops, self._company_form)
        self.history = HistoryView(self.db, self.settings, ops)
        self.trash = TrashView(self.db, self.settings, ops)
        from crmdesk.ui.calendar.view import CalendarView

        self.calendar = CalendarView(self.db, self.settings, ops)
        self.add_view(self.contacts, "Ctrl+1")
        self.add_view(self.companies, "Ctrl+2")
        self.add_view(self.history, "Ctrl+3")
        self.add_view(self.calendar, "Ctrl+5")
        self.add_view(self.trash, "Ctrl+4")
        self.calendar.show_requested.connect(lambda: self.show_view(self.calendar))
        self.companies.new_contact_requested.connect(self._new_contact_at)
        self._enter(self.contacts)
        self._update_title()
        self.warm_search()
        self.groups_nav.attach(self.contacts)

    def add_view(self, view: RecordView, shortcut: str | None = None) -> None:
        """Put a view in the navigation (History, Calendar and Reports come this way)."""
        self.views.append(view)
        self.stack.addWidget(view)
        self.sidebar.addItem(view.title())
        action = QAction(view.title(), self)
        action.setCheckable(True)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _c=False, v=view: self.show_view(v))
        self.view_group.addAction(action)
        self.view_menu.insertAction(self._view_separator, action)
        self._view_actions.append(action)
        view.counts_changed.connect(lambda v=view: self._counts_changed(v))
        view.dirty_changed.connect(self._update_actions)
        view.selection_changed.connect(self._update_actions)
        view.changes_made.connect(lambda ch, v=view: self.broadcast(ch, source=v))
        view.text_typed.connect(self._typed_in_list)
        view.status_message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        view.open_contact_requested.connect(self.open_contact)

    def _teardown_views(self) -> None:
        for view in self.views:
            view.shut_down()
            self.stack.removeWidget(view)
            view.deleteLater()
        for action in self._view_actions:
            self.view_group.removeAction(action)
            self.view_menu.removeAction(action)
            action.deleteLater()
        self.views, self._view_actions, self._queries = [], [], {}
        self.sidebar.blockSignals(True)
        self.sidebar.clear()
        self.sidebar.blockSignals(False)

    # -- views ----------------------------------------------------------------------
    def current_view(self) -> RecordView:
        return self.views[self.stack.currentIndex()]

    def show_view(self, view: RecordView) -> bool:
        """Switch to ``view``; False if the user chose to stay with unsaved changes."""
        index = self.views.index(view)
        if self.stack.currentWidget() is view:
            self._sync_navigation(index)
            return True
        old = self.current_view()
        if not old.maybe_save():
            self._sync_navigation(self.stack.currentIndex())
            return False
        self._queries[old.key] = self.search_box.text()
        self._search_timer.stop()
        self._enter(view)
        return True

    def _enter(self, view: RecordView) -> None:
        index = self.views.index(view)
        self.stack.setCurrentIndex(index)
        self._sync_navigation(index)
        self.search_box.blockSignals(True)
        self.search_box.setText(self._queries.get(view.key, ""))
        self.search_box.blockSignals(False)
        self.search_box.setPlaceholderText(view.search_placeholder())
        self.check_lookup()
        view.activate()
        self._counts_changed(view)
        self._update_actions()

    def _sync_navigation(self, index: int) -> None:
        self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(index)
        self.sidebar.blockSignals(False)
        if 0 <= index < len(self._view_actions):
            self._view_actions[index].setChecked(True)

    def _sidebar_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.views):
            QTimer.singleShot(0, lambda: self.show_view(self.views[row]))

    def broadcast(self, changes: Changes, *, source: RecordView | None = None) -> None:
        """What one action changed, to every view but the one that made it (which has
        updated itself): the window's whole event system, whatever the kind of record."""
        if not changes:
            return
        self.groups_nav.on_changes(changes)
        if changes.touches(FIELDS):
            # Forms, list columns and lookups are built from the field definitions:
            # the views are built anew, where the user was; they read everything.
            self.rebuild_views()
            return
        for view in self.views:
            if view is not source:
                view.on_changes(changes)
        self._update_actions()
        if changes.touches(CONTACTS) or changes.touches(COMPANIES):
            self.warm_search()

    def warm_search(self) -> None:
        """Read the texts for one- and two-letter searches on the reader thread, after
        the list reloads already queued there, so the next keystroke finds them."""
        db = self.db
        remember_texts(db)
        reader().submit(lambda: _warm_search(db))

    def refresh_all(self) -> None:
        for view in self.views:
            view.refresh()

    def import_contacts(self, path: str | None = None) -> None:
        """File > Import Contacts… (or a file dropped on the window): the import dialog,
        then every view shows what came in."""
        from crmdesk.ui.contacts.import_dialog import import_file, import_filters

        if getattr(self.db, "readonly", False) or self.operations.busy():
            return
        if not self.leave_all():
            return
        if path is None:
            path = dialogs.open_file(self, _("Import Contacts"), str(Path.home()),
                                     import_filters())
            if not path:
                return
        dialog = import_file(self, path)
        if dialog is None or dialog.exec() != dialog.DialogCode.Accepted:
            return
        report = dialog.report
        self.broadcast(dialog.changes)
        if report is not None:
            self.statusBar().showMessage(ngettext(
                "Imported {n} contact from {file}.", "Imported {n} contacts from {file}.",
                report.new).format(n=report.new, file=Path(path).name), 10000)

    def undo_last_import(self) -> None:
        from crmdesk.ui.contacts.import_dialog import undo_last_import

        undo_last_import(self)

    def merge_contacts(self) -> None:
        from crmdesk.ui.contacts.merge_dialog import merge_selected

        merge_selected(self)

    def find_duplicates(self) -> None:
        from crmdesk.ui.contacts.duplicates_dialog import find_duplicates_dialog

        find_duplicates_dialog(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.import_contacts(path))

    def print_labels(self, *, envelopes: bool = False) -> None:
        """File > Print Labels…: the contacts shown (or selected) on label sheets."""
        from crmdesk.ui.labels.dialog import open_labels_dialog

        open_labels_dialog(self, envelopes=envelopes)

    def print_envelopes(self) -> None:
        """File > Print Envelopes…: one envelope a contact."""
        self.print_labels(envelopes=True)

    def export_call_list(self) -> None:
        """File > Export Call List…: the contacts list shown, as CSV or XLSX."""
        if self.show_view(self.contacts):
            self.contacts.export_call_list()

    def print_list(self, *, preview: bool) -> None:
        """File > Print… / Print Preview…: the contacts list shown, as a call sheet."""
        if self.show_view(self.contacts):
            from crmdesk.ui.contacts.print_sheet import print_list

            print_list(self.contacts, preview=preview)

    def check_outside(self) -> bool:
        """Show what another process (a script's `crmdesk log`, a second window) wrote
        to the file since the last look; True if it did. A file removed or moved
        away meanwhile is said at once, and nothing more is written to it (what
        would be saved would go with the removed file)."""
        path = self.db.path
        if path is not None and not self._file_gone and not path.exists():
            self._file_gone = True
            self.read_only_banner.setText(_(
                "{name} was removed or moved while it was open. What you change now "
                "would be lost with it, so crmdesk saves nothing more: File > Save a "
                "Copy As… keeps what is shown, or open the file where it is now.").format(
                    name=path.name))
            self.read_only_banner.show()
            # Every form, dialog and job of this file: a write is refused.
            self.db.refuse_writes(DatabaseFileError(_(
                "{name} was removed or moved while it was open: nothing was saved. Save a "
                "copy (File > Save a Copy As…), or open the file where it is now.").format(
                    name=path.name)))
            self._update_actions()
            return False
        if self._outside is None or not self._outside.poll():
            return False
        for view in self.views:
            view.outside_change()
        self.groups_nav.reload()
        self.warm_search()
        self.statusBar().showMessage(
            _("The file was changed by another program; what is shown was brought up "
              "to date."), 8000)
        return True

    def _watch_outside(self) -> None:
        if self._outside is not None:
            self._outside.close()
        self._outside = OutsideChanges(self.db)

    def open_contact(self, contact_id: int) -> None:
        """Show a contact in the Contacts view (from a company's people list)."""
        if not self.show_view(self.contacts):
            return
        if not self.contacts.show_contact(contact_id):
            self.search_box.blockSignals(True)
            self.search_box.clear()
            self.search_box.blockSignals(False)
            self.contacts._pending_select = contact_id
            self.contacts.model.set_query("")
            self.contacts.list.setFocus()

    def _new_contact_at(self, company: str) -> None:
        if self.show_view(self.contacts):
            self.contacts.new_contact_at(company)

    # -- search ---------------------------------------------------------------------
    def apply_search(self) -> None:
        self._search_timer.stop()
        if self.views:
            self.current_view().set_query(self.search_box.text())

    def _lookup_edited(self, _text: str) -> None:
        if self._lookup_problem_action.isVisible():
            self.check_lookup()  # a fixed lookup loses its message at once
        self._problem_timer.start()

    def check_lookup(self) -> None:
        """Say beside the search box what is wrong with the lookup typed (with its
        position), or nothing; the list meanwhile shows the words as typed."""
        self._problem_timer.stop()
        text = self.search_box.text()
        entity = self.current_view().lookup_entity() if self.views else None
        problem = None
        if entity and text.strip():
            try:
                with self.db.reading() as session:
                    problem = lookup_problem(session, entity, text)
            except Exception:  # noqa: BLE001 - a database gone is said elsewhere
                problem = None
        if problem is None:
            # Nothing wrong; a date whose day and month could swap is said as read.
            notes = lookup_notes(text) if entity and text.strip() else []
            self.lookup_problem.setStyleSheet(_NOTE_STYLE if notes else _PROBLEM_STYLE)
            self.lookup_problem.setText(" ".join(notes))
            self.lookup_problem.setToolTip(" ".join(notes))
            self._lookup_problem_action.setVisible(bool(notes))
            return
        message = str(problem)
        self.lookup_problem.setStyleSheet(_PROBLEM_STYLE)
        self.lookup_problem.setText(message)
        self.lookup_problem.setToolTip(_("{problem}\nMeanwhile the list shows what the words "
                                         "find as plain text. F1: how to search.")
                                       .format(problem=message))
        self._lookup_problem_action.setVisible(True)

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _typed_in_list(self, text: str) -> None:
        self.search_box.setFocus(Qt.FocusReason.OtherFocusReason)
        self.search_box.setText(self.search_box.text() + text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.apply_search()
                self.current_view().focus_list()
                return True
            if key == Qt.Key.Key_Escape:
                # Esc in the search box: clear it, then go back to the list.
                if self.search_box.text():
                    self.search_box.clear()
                    self.apply_search()
                else:
                    self.current_view().focus_list()
                return True
        return super().eventFilter(watched, event)

    # -- the verbs -------------------------------------------------------------------
    def _new(self) -> None:
        view = self.current_view()
        if view.new_record_text():
            view.new_record()
        elif self.show_view(self.contacts):
            self.contacts.new_record()
        self._update_actions()

    def _save(self) -> None:
        self.current_view().save()
        self._update_actions()

    def _escape(self) -> None:
        self.current_view().revert()
        self._update_actions()

    def _delete(self) -> None:
        self.current_view().delete_selected()

    def _log(self) -> None:
        """Ctrl+L: the current view knows for whom (see RecordView.log_targets)."""
        self.current_view().log_new()
        self._update_actions()

    def _undo(self) -> None:
        self.current_view().undo()
        self._update_actions()

    def _update_actions(self) -> None:
        if not self.views:
            return
        view = self.current_view()
        new_text = view.new_record_text() or self.contacts.new_record_text()
        self.new_action.setText(new_text)
        self.new_action.setToolTip(_("{action} (Ctrl+N)").format(action=new_text))
        dirty = view.is_dirty()
        self.save_action.setEnabled(dirty)
        self.revert_action.setEnabled(view.can_revert())
        self.delete_action.setEnabled(view.can_delete())
        deleting = view.delete_text()
        self.delete_action.setText((deleting or _("Move to Trash")) + "\tDel")
        self.delete_action.setToolTip(
            _("{action} (Del)").format(action=deleting.rstrip("…")) if deleting
            else _("Move the selected records to the trash (Del)"))
        self.log_action.setEnabled(view.can_log())
        undo = view.undo_text()
        self.undo_action.setText(undo or _("Undo"))
        self.undo_action.setEnabled(bool(undo))
        busy = self.operations.busy()
        for action in (self.new_db_action, self.open_action, self.copy_action,
                       self.demo_action, self.export_action, self.import_action,
                       self.labels_action, self.envelopes_action):
            action.setEnabled(not busy)
        if getattr(self.db, "readonly", False) or self._file_gone:
            for action in (self.new_action, self.save_action, self.delete_action,
                           self.log_action, self.undo_action, self.phone_region_action,
                           self.fields_action, self.import_action,
                           self.undo_import_action, self.merge_action,
                           *self.list_actions.values()):
                action.setEnabled(False)
        self.setWindowModified(any(v.is_dirty() for v in self.views))

    def _counts_changed(self, view: RecordView) -> None:
        if self.views and view is self.current_view():
            self.count_label.setText(view.counts_text())
        self._update_actions()

    def _fill_columns_menu(self) -> None:
        self.columns_menu.clear()
        view = self.current_view()
        lists = [getattr(view, "list", None) or getattr(view, "current_list", lambda: None)()]
        if lists[0] is None:
            self.columns_menu.addAction(_("No columns to choose here")).setEnabled(False)
            return
        source = lists[0].header_menu()
        for action in source.actions():
            self.columns_menu.addAction(action)
        self._columns_source = source  # keep the actions' parent alive while shown

    # -- the database file -------------------------------------------------------------
    def _update_title(self) -> None:
        path = self.db.path
        name = path.name if path is not None else _("database")
        self.setWindowTitle(_("{name}[*] — crmdesk").format(name=name))
        self.file_label.setText(str(path) if path is not None else "")
        self.file_label.setToolTip(str(path) if path is not None else "")

    def leave_all(self) -> bool:
        """Every view with unsaved edits gets its chance to save; False = stay."""
        for view in sorted(self.views, key=lambda v: v is not self.current_view()):
            if view.is_dirty():
                if view is not self.current_view():
                    self.show_view(view)
                if not view.maybe_save():
                    return False
        return True

    def switch_database(self, path: str, *, create: bool) -> bool:
        target = Path(path).expanduser().absolute()
        if self.db.path is not None and target == self.db.path:
            return True
        if self.operations.busy():
            dialogs.still_busy(self)
            return False
        if not self.leave_all():
            return False
        try:
            try:
                db = open_database(str(target), create=create)
            except ReadOnlyError as exc:  # one may look at it, not change it
                if not dialogs.confirm(self, _("Open"), exc.message, _("Open It Read-Only"),
                                       informative=_("You can look, search and copy, but "
                                                     "not change it.")):
                    return False
                db = open_database(str(target), create=False, readonly=True)
        except CrmdeskError as exc:
            if not offer_newest_backup(self, target, exc):  # a damaged file
                errors.show_error(self, exc)
            return self.db.path == target
        self._teardown_views()
        if self._outside is not None:
            # First: the old file's last connection then folds its -wal back and
            # removes -wal and -shm, which it cannot while another is open.
            self._outside.close()
        old, self.db = self.db, db
        old.close()
        self._file_gone = False
        self._watch_outside()
        self._build_views()
        self._show_read_only()
        self.settings.add_recent(str(target))
        self.statusBar().showMessage(_("Opened {path}.").format(path=target), 8000)
        self.database_changed.emit()
        return True

    def edit_fields(self) -> None:
        """Tools > Fields: edit the custom fields, then rebuild what shows them.

        Forms and list columns are built from the field definitions, so after a
        change the views are built anew (as after opening a file), keeping the
        current view, its search and the selected record.
        """
        if self.operations.busy():
            dialogs.still_busy(self)
            return
        if not self.leave_all():
            return
        editor = self.fields_editor_factory(self.db, self)
        if _changed_while_open(editor, editor.fields_changed):
            self.broadcast(Changes.of(FIELDS))

    def edit_list(self, kind: str) -> None:
        """Tools > Lists: edit a drop-down list; then every view reads it again."""
        dialog = ChoiceListDialog(self.db, kind, self)
        if _changed_while_open(dialog, dialog.list_changed):
            self.broadcast(Changes.of(LISTS))

    def show_search_help(self) -> None:
        """F1 or "?": the lookup language, with the user's own fields."""
        SearchHelp(self.db, self).exec()

    def build_lookup(self) -> None:
        """Edit > Build Lookup… or the button beside "?": the box's lookup as rows; OK
        puts the text built into the box and searches."""
        entity = (self.current_view().lookup_entity() if self.views else None) or "contact"
        dialog = LookupBuilder(self.db, self.search_box.text(), entity, self)
        if dialog.exec():  # accepted
            self.search_box.setText(dialog.text())
            self.apply_search()
            self.check_lookup()
        dialog.deleteLater()

    def rebuild_views(self) -> None:
        """Build the views anew on the same file, where the user was."""
        index = self.stack.currentIndex()
        view = self.current_view()
        self._queries[view.key] = self.search_box.text()
        queries = dict(self._queries)
        current_list = getattr(view, "list", None)
        selected = current_list.current_id() if current_list is not None else None
        self._teardown_views()
        self._queries = queries
        self._build_views()
        if 0 <= index < len(self.views):
            target = self.views[index]
            if target is not self.current_view():
                self._enter(target)
            if selected is not None and hasattr(target, "_pending_select"):
                target._pending_select = selected  # chosen again once the rows are in
            if self.search_box.text():
                self.apply_search()

    def offer_demo_if_empty(self) -> None:
        self.files.offer_demo_if_empty()

    # -- window state ----------------------------------------------------------------
    def _restore_window(self) -> None:
        geometry = self.settings.state("main_window_geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        state = self.settings.state("main_window_state")
        if state is not None:
            self.restoreState(state)

    def _save_window(self) -> None:
        self.settings.set_state("main_window_geometry", self.saveGeometry())
        self.settings.set_state("main_window_state", self.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed:
            event.accept()
            return
        if not self.leave_all():
            event.ignore()
            return
        if self.operations.busy():
            if not dialogs.confirm(self, _("Quit"), _("crmdesk is still working on a job."),
                                   _("Stop It and Quit"),
                                   informative=_("What it has done so far is kept.")):
                event.ignore()
                return
            self.operations.cancel_all()
        # A job that does not stop (a statement SQLite is still running) does not keep
        # the window open: after a while it is left behind, and the file is not closed
        # under it; SQLite drops its unfinished transaction when the process ends.
        stuck = self.operations.running_labels()
        finished = self.operations.wait(CLOSE_WAIT_S)
        if not finished:
            dialogs.inform(self, _("Quit"), _(
                "“{job}” did not stop in time, so crmdesk closes without it. Everything "
                "saved before it is kept; the part it had not finished is not saved."
            ).format(job=", ".join(s.rstrip("…") for s in stuck) or _("A job")))
        self._save_window()
        for view in self.views:
            view.shut_down(CLOSE_WAIT_S if finished else 0.5)
        self._outside_timer.stop()
        if self._outside is not None:
            self._outside.close()
        if finished:
            self.db.close()
        self.settings.sync()
        self._closed = True
        event.accept()


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
    """The one file of contacts being dropped on the window, if that is what it is."""
    from crmdesk.io.contacts_in.importer import EXTENSIONS
    from crmdesk.ui.contacts.import_dialog import CALENDAR_SUFFIXES

    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = urls[0].toLocalFile()
    suffix = Path(path).suffix.lower()
    return path if suffix in EXTENSIONS or suffix in CALENDAR_SUFFIXES else None


def _changed_while_open(dialog: Any, changed_signal: Any) -> bool:
    """Run a modal editor that saves as it goes; whether it saved anything."""
    changed: list[bool] = []
    changed_signal.connect(lambda: changed.append(True))
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
    return bool(changed)


def _warm_search(db: Database) -> None:
    try:
        with db.reading() as session:
            listing.warm_text_memory(session)
    except Exception:  # noqa: BLE001 - only a head start: the search reads them itself
        logging.getLogger("crmdesk.ui").debug("warming the search failed", exc_info=True)
