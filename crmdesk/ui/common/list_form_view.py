"""A big list beside the form of the selected record: what Contacts and Companies share.

The list (RecordListView) and the form (the form engineer's ContactForm or
CompanyForm, used only through its documented methods) have to agree on one
thing: which record is being edited. Moving to another row with unsaved
changes asks the form (maybe_save); when the user says Cancel the selection
goes back to the record being edited. After a save the list reloads if rows
came or went and then selects the saved record, or, when the save happened
because the user was moving on, the row they moved to.

The first time it is shown the list gets most of the width and the form what
it needs; afterwards the user's split is kept. An empty search result says so
over the list (empty_text). A view may show a panel for a selection of several
records instead of one record's form (build_selection_panel).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.changes import Changes, KindChanges
from crmdesk.core.i18n import _
from crmdesk.core.storage.database import Database
from crmdesk.ui.common.record_list import RecordListView
from crmdesk.ui.common.record_view import FormFactory, RecordView, run_batched
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.contacts.table_model import RecordTableModel
from crmdesk.ui.tasks.operations import Operations


class ListFormView(RecordView):
    """Subclasses set the model, the form and the words."""

    list_key = ""
    default_columns: list[str] = []

    def __init__(self, db: Database, settings: UiSettings, operations: Operations,
                 model: RecordTableModel, form_factory: FormFactory,
                 parent: QWidget | None = None) -> None:
        super().__init__(db, settings, operations, parent)
        self.model = model
        self.list = RecordListView(model, settings, self.list_key, self.default_columns,
                                   parent=self)
        self.form = form_factory(db, self)
        self._form_shown = False
        self._asking = False
        self._navigating: int | None = None
        self._pending_select: int | None = None
        self._pending_row: int | None = None
        self._undo_ids: list[int] = []
        self._before_new: int | None = None

        self.placeholder = QLabel(self.placeholder_text())
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail = QStackedWidget()
        self.detail.addWidget(self.placeholder)
        self.detail.addWidget(scroll)
        self.selection_panel = self.build_selection_panel()
        if self.selection_panel is not None:
            self.detail.addWidget(self.selection_panel)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName(f"splitter_{self.list_key}")
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.build_detail(self.detail))
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        state = settings.state(self.splitter.objectName())
        self._split_pending = state is None or not self.splitter.restoreState(state)
        if self._split_pending:
            self.splitter.setSizes([620, 420])
        self.splitter.splitterMoved.connect(self._save_splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._build_context_menu()
        self.list.selectionModel().currentRowChanged.connect(self._current_changed)
        self.list.selection_changed.connect(self.selection_changed.emit)
        self.list.selection_changed.connect(self._selection_shown)
        model.reloaded.connect(self._show_empty_text)
        self.list.text_typed.connect(self.text_typed.emit)
        self.list.record_activated.connect(self._activated)
        model.reloaded.connect(self._reloaded)
        model.load_failed.connect(self._load_failed)
        self.saved_signal().connect(self._saved)
        self.form.dirty_changed.connect(lambda *_a: self.dirty_changed.emit())

    # -- what subclasses say ---------------------------------------------------------
    def placeholder_text(self) -> str:
        return ""

    def build_detail(self, detail: QWidget) -> QWidget:
        """The right-hand side; Companies adds the company's people below the form."""
        return detail

    def empty_text(self, query: str) -> str:
        """What an empty search result says (and what to try); "" for nothing."""
        return ""

    def nothing_text(self) -> str:
        """What the list says while there is nothing in it at all; "" for nothing."""
        return ""

    def build_selection_panel(self) -> Any:
        """A widget with set_count(n) shown instead of the form while several
        records are selected; None for none."""
        return None

    def saved_signal(self) -> Any:
        raise NotImplementedError

    def form_new(self) -> None:
        raise NotImplementedError

    def trash_service(self) -> Callable[[Database, list[int]], Changes]:
        raise NotImplementedError

    def restore_service(self) -> Callable[[Database, list[int]], Changes]:
        raise NotImplementedError

    def announce(self, changes: Changes) -> None:
        """Tell the window (and through it the other views) what changed."""
        self.changes_made.emit(changes)

    def trashed_text(self, n: int) -> str:
        raise NotImplementedError

    def restored_text(self, n: int) -> str:
        raise NotImplementedError

    # -- the list --------------------------------------------------------------------
    def _build_context_menu(self) -> None:
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.new_action = QAction(self.new_record_text(), self)
        self.new_action.triggered.connect(self.new_record)
        self.delete_action = QAction(_("Move to Trash"), self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        # Only while the list has focus: Del in a form field deletes a letter.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        select_all = QAction(_("Select All"), self)
        select_all.triggered.connect(self.list.selectAll)
        sep = QAction(self)
        sep.setSeparator(True)
        self.list.addActions([self.new_action, sep, self.delete_action, select_all])
        self.list.selection_changed.connect(
            lambda: self.delete_action.setEnabled(self.can_delete()))

    def focus_list(self) -> None:
        self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_query(self, text: str) -> None:
        self.model.set_query(text)

    def refresh(self) -> None:
        self.model.mark_stale()
        self.model.reload()

    def outside_change(self) -> None:
        self.model.reload_everything()
        form = self.form
        record_id = form.current_id()
        if record_id is not None and not form.is_dirty():
            form.load(record_id, keep_scroll=True)  # as saved now; typing is never replaced

    def activate(self) -> None:
        super().activate()
        self.counts_changed.emit()

    def _reloaded(self) -> None:
        if self._pending_select is not None:
            record_id, self._pending_select = self._pending_select, None
            self.list.select_id(record_id)
        elif self._pending_row is not None:
            row, self._pending_row = self._pending_row, None
            self.list.select_row(min(row, self.model.rowCount() - 1))
        self.counts_changed.emit()

    def _show_empty_text(self) -> None:
        query = self.model.query.strip()
        if self.model.rowCount():
            text = ""
        elif query:
            text = self.empty_text(query)
        else:
            text = self.nothing_text()
        self.list.set_empty_text(text)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._show_empty_text()  # the list read before this view was first shown
        if self._split_pending and self.splitter.width() > 0:
            # The first time: the form gets what it needs, the list the rest.
            self._split_pending = False
            total = self.splitter.width() - self.splitter.handleWidth()
            form = max(340, min(440, total * 36 // 100))
            self.splitter.setSizes([total - form, form])

    def _load_failed(self, exc: object) -> None:
        from crmdesk.ui.common import errors
        assert isinstance(exc, BaseException)
        errors.show_error(self, exc)

    # -- the form -------------------------------------------------------------------
    def _show_form(self, shown: bool) -> None:
        self._form_shown = shown
        self._selection_shown()

    def several_selected(self) -> int:
        """How many records are selected when that is several (the panel shows), else 0."""
        if self.selection_panel is None or self._asking:
            return 0
        if self._form_shown and self.form.current_id() is None:
            return 0  # a new record being typed
        n = self.list.selected_count()
        return n if n > 1 else 0

    def _selection_shown(self) -> None:
        n = self.several_selected()
        if n and not self.is_dirty():
            self.selection_panel.set_count(n)
            self.detail.setCurrentWidget(self.selection_panel)
        else:
            self.detail.setCurrentIndex(1 if self._form_shown else 0)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record_id = self.model.id_at(current.row()) if current.isValid() else None
        if record_id is None or self._asking:
            return
        if self._form_shown and record_id == self.form.current_id():
            return
        if self._form_shown and self.form.is_dirty():
            self._asking = True
            self._navigating = record_id
            try:
                leave = self.form.maybe_save()
            finally:
                self._asking = False
                self._navigating = None
            if not leave:
                QTimer.singleShot(0, self._back_to_form_record)
                return
        self.open_record(record_id)

    def _back_to_form_record(self) -> None:
        self._asking = True
        try:
            if not self.list.select_id(self.form.current_id()):
                self.list.clearSelection()
        finally:
            self._asking = False

    def open_record(self, record_id: int) -> None:
        """Show this record in the form (the list selection is the caller's business)."""
        from crmdesk.core.errors import NotFoundError
        from crmdesk.ui.common import errors
        try:
            self.form.load(record_id)
        except NotFoundError as exc:  # deleted by something else meanwhile
            self._show_form(False)
            errors.show_error(self, exc)
            self.model.reload()
            return
        self._show_form(True)

    def _activated(self, _record_id: int) -> None:
        if self._form_shown:
            self.form.setFocus(Qt.FocusReason.OtherFocusReason)
            self.form.focusNextChild()

    def _saved(self, changes: Changes) -> None:
        target = self._navigating if self._navigating is not None else self.form.current_id()
        self.apply_own_change(changes, select=target)
        self.announce(changes)

    def apply_own_change(self, changes: Changes, *, select: int | None = None) -> None:
        # The ids are read again: a row may move.
        self.model.apply_change(changes.of_kind(self.KIND))
        if select is not None and self.list.current_id() != select:
            self.list.select_id(select)
        self._pending_select = select  # and followed to where it is then

    def new_record(self) -> None:
        if not self.maybe_save():
            return
        self._before_new = self.list.current_id() or (
            self.form.current_id() if self._form_shown else None)
        self._asking = True
        try:
            self.list.clearSelection()
            self.list.selectionModel().clearCurrentIndex()
        finally:
            self._asking = False
        self.form_new()
        self._show_form(True)
        focus_first = getattr(self.form, "focus_first_field", None)
        if focus_first is not None:
            focus_first()  # the field a new record starts with (a contact's first name)
        else:
            self.form.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.form.focusNextChild()

    def save(self) -> bool:
        if not self._form_shown or not self.form.is_dirty():
            return True
        return self.form.save() is not None

    def revert(self) -> None:
        if not self._form_shown:
            return
        if self.form.current_id() is None:
            # Esc on a new record: it was never there; back to where the user was.
            self.form.revert()
            self._show_form(False)
            if not self.list.select_id(self._before_new):
                self.list.clearSelection()
            self.list.setFocus()
            return
        self.form.revert()

    def is_dirty(self) -> bool:
        return self._form_shown and bool(self.form.is_dirty())

    def can_revert(self) -> bool:
        """Esc: also leaves a new record that was not typed into."""
        return self._form_shown and (bool(self.form.is_dirty()) or self.form.current_id() is None)

    def maybe_save(self) -> bool:
        if not self.is_dirty():
            return True
        return bool(self.form.maybe_save())

    # -- delete, undo ---------------------------------------------------------------
    def can_delete(self) -> bool:
        return bool(self.list.selectionModel().hasSelection()
                    or (self._form_shown and self.form.current_id() is not None))

    def delete_selected(self) -> None:
        ids = self.list.selected_ids()
        if not ids and self._form_shown and self.form.current_id() is not None:
            ids = [self.form.current_id()]
        if not ids:
            return
        rows = list(self.model.rows_of(ids).values())
        if self._form_shown and self.form.current_id() in ids:
            self.form.revert()  # its unsaved edits go with it; Undo brings the record back
        service = self.trash_service()
        run_batched(self.operations, self.db, ids, service,
                    lambda change: self._trashed(change, rows), _("Moving to the trash…"))

    def _trashed(self, changes: Changes, rows: list[int]) -> None:
        ids = changes.ids(self.KIND)
        if self._form_shown and self.form.current_id() in ids:
            self._show_form(False)
        self._undo_ids = sorted(ids)
        self._pending_row = min(rows) if rows else None
        self.model.apply_change(changes.of_kind(self.KIND))
        self.announce(changes)
        self.status_message.emit(self.trashed_text(len(ids)))

    def undo_text(self) -> str:
        return _("Undo Move to Trash") if self._undo_ids else ""

    def undo(self) -> None:
        ids, self._undo_ids = self._undo_ids, []
        if not ids:
            return

        def done(changes: Changes) -> None:
            self.apply_own_change(changes, select=ids[0])
            self.announce(changes)
            self.status_message.emit(self.restored_text(len(changes.ids(self.KIND))))

        run_batched(self.operations, self.db, ids, self.restore_service(), done,
                    _("Restoring…"))

    # -- changes from elsewhere -------------------------------------------------------
    def reload_after(self, changes: KindChanges) -> None:
        if self.isVisible():
            self.model.apply_change(changes)
        else:
            self.stale = True

    def _save_splitter(self) -> None:
        self.settings.set_state(self.splitter.objectName(), self.splitter.saveState())

    def shut_down(self, seconds: float | None = None) -> None:
        self.list.save_columns()
        self._save_splitter()
        self.model.stop(seconds)

