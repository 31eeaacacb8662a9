"""The History view: every call, meeting, e-mail and letter with everyone, in one list.

It answers "who did we talk to, when, about what" across all contacts. The
list is the big-list model (history_table_model.py) in the same table every
list uses (record_list.py: columns chosen, moved, sorted and remembered); the
filter bar (history_filters.py) narrows it by period, kind and outcome, and
the main window's search box by text. Opening, logging and deleting entries
go through the log dialog (log_dialog.py, imported when first needed), so
the rules for an entry live in one place; afterwards the contacts involved
are reported to the window (their "last contact" may have changed).

Export writes what the list shows: the same filter, order and columns, every
row rather than the ones that happen to be cached, through io.history_csv,
which writes to a temporary file first, so a failed export leaves nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from crmdesk.core.changes import HISTORY, LISTS, REMOVED, Changes
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.history import records as history
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.lookup import listing
from crmdesk.core.lookup import query as lookup_query
from crmdesk.core.storage.database import Database
from crmdesk.ui.common import dialogs
from crmdesk.ui.common.record_list import RecordListView
from crmdesk.ui.common.record_view import RecordView
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.history.filters import ALL_TIME, HistoryFilterBar
from crmdesk.ui.history.table_model import DEFAULT_HISTORY_COLUMNS, HistoryTableModel
from crmdesk.ui.tasks.operations import Operations, Progress
from crmdesk.ui.tasks.writes import run_on_writer

# Exports of more rows than this run on the worker with a progress dialog.
EXPORT_IN_BACKGROUND = 2000
EXPORT_BLOCK = 1000
# First widths (until the user drags them) so that every standard column fits
# a 1280-pixel window beside the navigation, none cut off at the right.
FIRST_WIDTHS = {"at": 130, "subject": 240, "contacts": 180, "company": 150}


def _num(n: int) -> str:
    return QLocale().toString(n)


class HistoryList(RecordListView):
    """The table, with a word in its empty space saying why it is empty."""

    empty_text = ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.record_model.rowCount() or not self.empty_text:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorGroup.Disabled,
                                            QPalette.ColorRole.Text))
        painter.drawText(self.viewport().rect().adjusted(24, 24, -24, -24),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, self.empty_text)
        painter.end()


class HistoryView(RecordView):
    key = "history"
    list_key = "history"

    def __init__(self, db: Database, settings: UiSettings, operations: Operations,
                 parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(db, settings, operations, parent)
        self._pending_row: int | None = None
        self.filters = HistoryFilterBar(db, settings, self, today=today)
        sort_key, descending = settings.sort(self.list_key, list(history.HISTORY_COLUMNS),
                                             ("at", True))
        self.model = HistoryTableModel(db, sort_key=sort_key, descending=descending,
                                       flt=self.filters.filter())
        self.list = HistoryList(self.model, settings, self.list_key, DEFAULT_HISTORY_COLUMNS,
                                fixed=("at",), parent=self)
        self.list.setObjectName("history_list")
        saved = settings.widths(self.list_key)
        for key, width in FIRST_WIDTHS.items():
            if key not in saved:
                self.list.setColumnWidth(self.model.column_of(key), width)

        self.log_button = QPushButton(_("Log…"))
        self.log_button.setToolTip(_("Log a call, meeting, e-mail or letter (Ctrl+L)"))
        self.log_button.clicked.connect(self.log_new)
        self.contact_button = QPushButton(_("Open Contact"))
        self.contact_button.setToolTip(_("Show the contact of the selected entry"))
        self.contact_button.clicked.connect(self.open_contact)
        self.export_button = QPushButton(_("Export…"))
        self.export_button.setToolTip(_("Save the entries shown, as shown, to a CSV file "
                                        "for Excel or LibreOffice"))
        self.export_button.clicked.connect(self.export)
        self.filters.add_group(self.log_button, self.contact_button, self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filters)
        layout.addWidget(self.list, 1)

        self._build_context_menu()
        self.filters.filter_changed.connect(self._filter_changed)
        self.list.record_activated.connect(self.open_entry)
        self.list.text_typed.connect(self.text_typed.emit)
        self.list.selection_changed.connect(self._selection_changed)
        self.model.reloaded.connect(self._reloaded)
        self.model.load_failed.connect(self._load_failed)
        # Read when first shown: a user who never opens History never waits for it.
        self._loaded = False

    def _build_context_menu(self) -> None:
        def action(text: str, slot: Callable[[], object]) -> QAction:
            act = QAction(text, self.list)
            act.triggered.connect(lambda _c=False: slot())
            return act

        self.open_action = action(_("Open…"), lambda: self.open_entry(self.list.current_id()))
        self.contact_action = action(_("Open Contact"), self.open_contact)
        self.log_action = action(_("Log…"), self.log_new)
        self.delete_action = action(_("Delete…"), self.delete_selected)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        # Only while the list has focus: Del in a date field deletes a digit.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sep = QAction(self.list)
        sep.setSeparator(True)
        self.list.addActions([self.open_action, self.contact_action, self.log_action, sep,
                              self.delete_action])
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    # -- what the window shows -----------------------------------------------------------
    def title(self) -> str:
        return _("History")

    def lookup_entity(self) -> str | None:
        return lookup_query.HISTORY

    def search_placeholder(self) -> str:
        return _("Search the history: names, kind:call… (F1)")

    def counts_text(self) -> str:
        shown, total = self.model.rowCount(), self.model.total
        if not self.model.complete:  # the first screenful shows; the rest is on its way
            return _("{shown}+ entries, counting…").format(shown=_num(shown))
        if not total:
            return _("No history yet")
        if self.model.is_filtered():
            return ngettext("{shown} of {total} entry", "{shown} of {total} entries",
                            total).format(shown=_num(shown), total=_num(total))
        return ngettext("{total} entry", "{total} entries", total).format(total=_num(total))

    def empty_text(self) -> str:
        if not self.model.total:
            return _("No history yet.\nPress Ctrl+L to log a call, meeting, e-mail or letter.")
        if self.model.query.strip():
            return _("No entries match the search in this period.")
        if self.filters.period_key() == ALL_TIME:
            return _("No entries of this kind or outcome.")
        return _("No history in this period.")

    def new_record_text(self) -> str:
        return _("Log Interaction")

    def delete_text(self) -> str:
        return _("Delete Entries…")

    def new_record(self) -> None:
        self.log_new()

    def focus_list(self) -> None:
        self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_query(self, text: str) -> None:
        self.model.set_query(text)

    def activate(self) -> None:
        self.filters.catch_up()
        if not self._loaded:
            self._loaded, self.stale = True, False
            self.model.set_filter(self.filters.filter(self.model.query))
            self.model.reload_now()  # the first look: the rows at once, no empty flash
        else:
            self._filter_changed()
        super().activate()
        self.counts_changed.emit()

    def refresh(self) -> None:
        """Names, kinds or entries may have changed: read everything again."""
        self.filters.reload_lists()
        self.model.mark_stale()
        self.model.set_filter(self.filters.filter(self.model.query))
        self.model.reload()

    def _filter_changed(self) -> None:
        self.model.set_filter(self.filters.filter(self.model.query))

    def _reloaded(self) -> None:
        if self._pending_row is not None and self.model.rowCount():
            self.list.select_row(min(self._pending_row, self.model.rowCount() - 1))
        self._pending_row = None
        self.list.empty_text = self.empty_text()
        self.list.viewport().update()
        self._selection_changed()
        self.counts_changed.emit()

    def _selection_changed(self) -> None:
        selected = self.list.selectionModel().hasSelection()
        for widget in (self.contact_button, self.contact_action, self.open_action,
                       self.delete_action):
            widget.setEnabled(selected)
        self.export_button.setEnabled(self.model.rowCount() > 0)
        self.selection_changed.emit()

    def _load_failed(self, exc: object) -> None:
        from crmdesk.ui.common import errors
        assert isinstance(exc, BaseException)
        errors.show_error(self, exc)

    # -- entries -------------------------------------------------------------------------
    def can_delete(self) -> bool:
        return self.list.selectionModel().hasSelection()

    def log_new(self) -> None:
        """Ctrl+L or Log…: a new entry; the dialog asks whom it was with."""
        from crmdesk.ui.history.log_dialog import log_interaction_dialog

        self.after_change(log_interaction_dialog(self, self.db, self.settings))

    def open_entry(self, interaction_id: int | None) -> None:
        """Enter or a double-click: the entry in the log dialog, to read or edit."""
        if interaction_id is None:
            return
        from crmdesk.ui.history.log_dialog import log_interaction_dialog

        self.after_change(log_interaction_dialog(self, self.db, self.settings,
                                                 interaction_id=interaction_id))

    def delete_selected(self) -> None:
        """Del: the selected entries, after asking (history has no trash)."""
        ids = self.list.selected_ids()
        if not ids:
            return
        row = min(self.model.rows_of(ids).values())
        if len(ids) == 1:
            from crmdesk.ui.history.log_dialog import confirm_delete_interaction

            result = confirm_delete_interaction(self, self.db, ids[0])
            if result is not None:
                self.after_change(result, row=row)
            return
        n = len(ids)
        if not dialogs.confirm(
                self, _("Delete Entries"),
                ngettext("Delete {n} history entry?", "Delete {n} history entries?",
                         n).format(n=_num(n)),
                _("Delete"), informative=_("This cannot be undone."), destructive=True):
            return

        def job(progress: Progress | None = None) -> list[Any]:
            results = []
            with self.db.session() as session:
                for done, interaction_id in enumerate(ids):
                    if progress is not None and done % 100 == 0:
                        progress.report(done, n)
                    results.append(history.delete_interaction(session, interaction_id))
            return results

        def finished(results: list[Any]) -> None:
            contacts = {c for r in results for c in r.contact_ids}
            self.after_change(history.LogResult(ids=list(ids), contact_ids=sorted(contacts),
                                                warnings=[], how=REMOVED), row=row)

        if n <= 500:
            finished(run_on_writer(job))
        else:
            self.operations.run(job, label=_("Deleting history entries…"),
                                on_success=finished)

    def after_change(self, result: Any, *, row: int | None = None) -> None:
        """After a log, an edit or a delete: reload, and tell the other views."""
        if result is None:
            return
        changes: Changes = result.changes
        self.model.apply_change(changes.of_kind(HISTORY))
        if row is not None:
            self._pending_row = row  # the next entry takes the deleted one's place
        self.changes_made.emit(changes)
        if result.how == REMOVED:
            n = len(result.ids)
            self.status_message.emit(ngettext("Deleted {n} history entry.",
                                              "Deleted {n} history entries.", n).format(
                n=_num(n)))

    def contacts_of_current(self) -> list[tuple[int, str]]:
        """(id, name) of the current entry's contacts, in name order."""
        interaction_id = self.list.current_id()
        if interaction_id is None:
            return []
        with self.db.reading() as session:
            found = history.history_rows(session, [interaction_id]).get(interaction_id)
            ids = list(found.get("contact_ids", [])) if found else []  # type: ignore[call-overload]
            names = listing.rows(session, ids, ["name"]) if ids else {}
        return [(cid, str(names[cid][0])) for cid in ids if cid in names]

    def open_contact(self) -> None:
        """Show the entry's contact in the Contacts view (asks which, if several)."""
        people = self.contacts_of_current()
        if not people:
            return
        if len(people) > 1:
            index = dialogs.pick(self, _("Open Contact"),
                                 _("This entry is with several people. Open:"),
                                 [name for _cid, name in people])
            if index < 0:
                return
            people = [people[index]]
        self.open_contact_requested.emit(people[0][0])

    # -- export --------------------------------------------------------------------------
    def export(self) -> None:
        """Export… : what is shown, as shown, to a CSV file."""
        self.model.wait()  # a filter or sort just chosen: export its rows, not the last ones
        ids = self.model.ids()
        if not ids:
            return
        start = os.path.join(str(Path.home()), _("history.csv"))
        path = dialogs.save_file(self, _("Export History"), start,
                                 ";;".join([_("CSV files (*.csv)"), _("All files (*)")]))
        if not path:
            return
        if not Path(path).suffix:
            path += ".csv"
        keys = self.list.shown_columns()

        def job(progress: Progress | None = None) -> int:
            return self._write_csv(Path(path), ids, keys, progress)

        def done(n: object) -> None:
            self.status_message.emit(ngettext(
                "Exported {n} entry to {path}.", "Exported {n} entries to {path}.",
                int(n)).format(n=_num(int(n)), path=path))  # type: ignore[call-overload]

        def failed(exc: BaseException) -> None:
            self._export_failed(path, exc)

        if len(ids) <= EXPORT_IN_BACKGROUND:
            try:
                done(job())
            except (OSError, CrmdeskError) as exc:
                failed(exc)
            return
        self.operations.run(job, label=_("Exporting history…"), on_success=done,
                            on_failure=failed)

    def _write_csv(self, path: Path, ids: Sequence[int], keys: list[str],
                   progress: Progress | None) -> int:
        """Every row in list order, read a block at a time (the cache is not touched).

        The values go to io.history_csv as they come from the database: it writes
        dates as 2026-03-18 14:30 and minutes as numbers, which a spreadsheet can
        sort and add up; the text cells are what the list shows.
        """
        from crmdesk.io.history_csv import write_history_csv

        def rows() -> Iterator[dict[str, object]]:
            with self.db.reading() as session:
                for start in range(0, len(ids), EXPORT_BLOCK):
                    chunk = ids[start:start + EXPORT_BLOCK]
                    found = history.history_rows(session, chunk)
                    for interaction_id in chunk:
                        if interaction_id in found:
                            yield found[interaction_id]

        def report(done: int) -> None:
            if progress is not None:
                progress.report(done, len(ids))  # raises Cancelled: no file is left

        return write_history_csv(path, rows(), keys, report)

    def _export_failed(self, path: str, exc: BaseException) -> None:
        from crmdesk.ui.common import errors
        if isinstance(exc, OSError):
            exc = CrmdeskError(_(
                "Could not save the history to {path}: {reason}.\n\nThe folder may be "
                "read-only, or the file open in another program. Choose another folder "
                "and try again; nothing was written.").format(
                path=path, reason=exc.strerror or exc))
        errors.show_error(self, exc)

    # -- changes from elsewhere ----------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        """Names may have changed, entries may have come (a log from a contact)."""
        if changes.touches(LISTS):
            self.filters.reload_lists()  # a new kind or outcome is offered at once
        self.stale = True
        if self.isVisible():
            self.activate()

    def shut_down(self, seconds: float | None = None) -> None:
        self.list.save_columns()
        self.model.stop(seconds)
