"""What the contact and the company form have in common: load a snapshot, edit,
validate as the user types, save a patch, revert, ask before leaving.

The form keeps two copies of the record: the snapshot as loaded from the
file, and the baseline, the widgets' own reading of that snapshot right after
loading it. Dirty means "the widgets now read differently from the baseline",
so typing a letter and deleting it again is not a change. Saving takes from
the widgets only the fields that differ from the baseline and everything else
from the snapshot, so a field the widgets cannot show exactly (a note with
Windows line ends, say) is never rewritten by a save of another field.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.contacts import Change
from crmdesk.core.database import Database
from crmdesk.core.errors import CrmdeskError, NotFoundError, Problem, ValidationError
from crmdesk.core.i18n import _
from crmdesk.core.settings import get_setting
from crmdesk.ui import dialogs, errors
from crmdesk.ui.form_kit import (
    ERROR,
    ProblemsBanner,
    Section,
    chain_tab_order,
    focus_chain,
    mark,
    muted,
)

READ_ONLY = {"id", "company_id", "display_name", "created_at", "updated_at", "deleted_at"}


class RecordForm(QWidget):
    """A form for one record; subclasses say what the record is and how it is saved."""

    dirty_changed = Signal(bool)
    VALIDATE_AFTER_MS = 400

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._id: int | None = None
        self._snapshot: Any = None
        self._baseline: Any = None
        self._dirty = False
        self._loading = False
        self._tried_to_save = False
        self._region = ""
        self._problems: list[Problem] = []
        self._problem_widgets: list[QWidget | None] = []
        self._marked: list[QWidget] = []
        self._sections: list[Section] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.VALIDATE_AFTER_MS)
        self._timer.timeout.connect(self.validate_now)

        self._stack = QStackedWidget(self)
        self._placeholder = muted(QLabel(self))
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._stack.addWidget(self._placeholder)
        page = QWidget(self)
        self._stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

        self._page_layout = QVBoxLayout(page)
        self._page_layout.setContentsMargins(0, 0, 0, 0)
        self._page_layout.setSpacing(0)
        self._top = QVBoxLayout()
        self._top.setContentsMargins(12, 10, 12, 6)
        self._top.setSpacing(8)
        self.banner = ProblemsBanner(page)
        self.banner.problem_clicked.connect(self._go_to_problem)
        self._top.addWidget(self.banner)
        self._page_layout.addLayout(self._top)

        self._scroll = QScrollArea(page)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # it follows the focus anyway
        inner = QWidget(self._scroll)
        self._sections_layout = QVBoxLayout(inner)
        self._sections_layout.setContentsMargins(12, 4, 12, 12)
        self._sections_layout.setSpacing(10)
        self._sections_layout.addStretch(1)
        self._scroll.setWidget(inner)
        self._page_layout.addWidget(self._scroll, 1)

        rule = QFrame(page)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        self._page_layout.addWidget(rule)
        bar = QHBoxLayout()
        bar.setContentsMargins(12, 6, 12, 8)
        self.dirty_label = muted(QLabel(_("Unsaved changes"), page))
        self.dirty_label.setVisible(False)
        self.revert_button = QPushButton(_("Revert"), page)
        self.revert_button.setToolTip(_("Undo the changes not saved yet (Esc)"))
        self.save_button = QPushButton(_("Save"), page)
        self.save_button.setToolTip(_("Save the changes (Ctrl+S)"))
        self.revert_button.clicked.connect(self.revert)
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.dirty_label)
        bar.addStretch(1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        self._page_layout.addLayout(bar)
        self._enable_buttons()
        self._show_placeholder(self.empty_text())

    # -- what subclasses provide -----------------------------------------------------------
    def empty_text(self) -> str:
        raise NotImplementedError

    def blank(self) -> Any:
        """A new, empty record."""
        raise NotImplementedError

    def fetch(self, record_id: int) -> Any:
        raise NotImplementedError

    def check(self, data: Any) -> list[Problem]:
        raise NotImplementedError

    def create(self, data: Any) -> int:
        raise NotImplementedError

    def update(self, record_id: int, data: Any, original: Any) -> Change:
        raise NotImplementedError

    def announce(self, change: Change) -> None:
        """Emit the subclass's *_saved signal."""
        raise NotImplementedError

    def describe(self, data: Any) -> str:
        """The record's name, for the unsaved-changes question."""
        raise NotImplementedError

    def refresh_lists(self) -> None:
        """Re-read completion lists (company names, tags ...) before a record is shown."""

    def loaded(self, data: Any) -> None:
        """A record (or a new one) was just put into the widgets."""

    def edited(self, data: Any) -> None:
        """The widgets changed; ``data`` is their reading (keep headers current)."""

    # -- building ----------------------------------------------------------------------------
    def add_section(self, section: Section, *, pinned: bool = False) -> Section:
        """Add a part of the form: in the scrolling column, or pinned above it."""
        if pinned:
            self._top.insertWidget(self._top.count() - 1, section)
        else:
            self._sections_layout.insertWidget(self._sections_layout.count() - 1, section)
        self._sections.append(section)
        section.changed.connect(self._on_edited)
        section.rows_changed.connect(self._rows_changed)
        return section

    def finish_layout(self) -> None:
        """Line the labels of every section up in one column (call after adding sections)."""
        width = max([s.label_width() for s in self._sections] + [0])
        for section in self._sections:
            section.set_label_width(width)
        self._fix_tab_order()

    def _rows_changed(self) -> None:
        QTimer.singleShot(0, self._fix_tab_order)  # after the new row's widgets settle

    def _fix_tab_order(self) -> None:
        page = self._stack.widget(1)
        if page is not None and page.layout() is not None:
            chain_tab_order(focus_chain(page.layout()))

    # -- the public interface -----------------------------------------------------------------
    def current_id(self) -> int | None:
        return self._id

    def is_dirty(self) -> bool:
        if self._snapshot is None or self._loading:
            return False
        current = self.read()
        return any(getattr(current, f) != getattr(self._baseline, f) for f in self._editable())

    def load(self, record_id: int, *, keep_scroll: bool = False) -> None:
        """Show a stored record. Unsaved edits are dropped: call maybe_save() first."""
        try:
            data = self.fetch(record_id)
        except NotFoundError as exc:
            self.clear()
            self._show_placeholder(exc.message)
            return
        keep_scroll = keep_scroll or record_id == self._id
        scroll = self._scroll.verticalScrollBar().value()
        self._fill(data)
        if keep_scroll:
            QTimer.singleShot(0, lambda: self._scroll.verticalScrollBar().setValue(scroll))
        else:
            self._scroll.verticalScrollBar().setValue(0)

    def start_new(self, data: Any) -> None:
        self._fill(data)
        self._scroll.verticalScrollBar().setValue(0)

    def clear(self) -> None:
        """No record: an empty page, nothing to save."""
        self._timer.stop()
        self._id = None
        self._snapshot = self._baseline = None
        self._show([])
        self._set_dirty(False)
        self._show_placeholder(self.empty_text())

    def revert(self) -> None:
        """Back to what was loaded (or to the empty new record)."""
        if self._snapshot is not None:
            self._fill(self._snapshot)

    def save(self) -> int | None:
        """Save; the record's id, or None when it could not be saved (the form says why)."""
        if self._snapshot is None:
            return None
        self._timer.stop()
        self._tried_to_save = True
        if self._id is not None and not self.is_dirty():
            return self._id
        data = self.edited_data()
        problems = self.check(data)
        self._show(problems)
        if any(p.severity == ERROR for p in problems):
            self._go_to_problem(next(i for i, p in enumerate(problems) if p.severity == ERROR))
            return None
        try:
            if self._id is None:
                new_id = self.create(data)
                change = Change(frozenset({new_id}), added=True)
            else:
                change = self.update(self._id, data, self._snapshot)
                new_id = self._id
        except ValidationError as exc:
            self._show(exc.problems)
            if exc.problems:
                self._go_to_problem(0)
            return None
        except CrmdeskError as exc:
            errors.show_error(self, exc, title=_("Not saved"))
            return None
        self.load(new_id, keep_scroll=True)  # what the file now holds is what the form shows
        self.announce(change)
        return new_id

    def maybe_save(self) -> bool:
        """Before leaving the record: False when the user wants to stay on it."""
        if not self.is_dirty():
            return True
        name = self.describe(self.read()) or _("this record")
        answer = dialogs.choose(
            self, _("Unsaved changes"),
            _("Save the changes to {name}?").format(name=name),
            [_("Save"), _("Discard changes"), _("Cancel")],
            informative=_("If you discard them, the changes are lost."))
        if answer == 0:
            return self.save() is not None
        if answer == 1:
            self.revert()
            return True
        return False

    def problems(self) -> list[Problem]:
        """What the form shows as wrong right now."""
        return list(self._problems)

    def validate_now(self) -> list[Problem]:
        self._timer.stop()
        if self._snapshot is None:
            return []
        problems = self.check(self.edited_data())
        self._show(problems)
        return problems

    # -- reading the widgets -------------------------------------------------------------------
    def read(self) -> Any:
        """The widgets' values as a record (read-only fields from the snapshot)."""
        data = replace(self._snapshot) if self._snapshot is not None else self.blank()
        for section in self._sections:
            section.store(data)
        return data

    def edited_data(self) -> Any:
        """The record to save: changed fields from the widgets, the rest as loaded."""
        current = self.read()
        if self._snapshot is None:
            return current
        result = replace(self._snapshot)
        for f in self._editable():
            value = getattr(current, f)
            if value != getattr(self._baseline, f):
                setattr(result, f, value)
        return result

    def _editable(self) -> list[str]:
        if self._snapshot is None:
            return []
        return [f.name for f in fields(self._snapshot) if f.name not in READ_ONLY]

    # -- internals -----------------------------------------------------------------------------
    def _fill(self, data: Any) -> None:
        self._timer.stop()
        with self.db.reading() as s:
            self._region = get_setting(s, "phone_region")
        self.refresh_lists()
        self._loading = True
        try:
            for section in self._sections:
                section.load(data)
        finally:
            self._loading = False
        self._snapshot = data
        self._id = data.id
        self._baseline = self.read()
        self._tried_to_save = False
        self._stack.setCurrentIndex(1)
        self._set_dirty(False)
        self.loaded(data)
        if self._id is not None:
            self.validate_now()  # stored data can carry warnings (a phone kept as typed)
        else:
            self._show([])
        self._fix_tab_order()

    def _on_edited(self) -> None:
        if self._loading or self._snapshot is None:
            return
        current = self.read()
        self._set_dirty(any(getattr(current, f) != getattr(self._baseline, f)
                            for f in self._editable()))
        self.edited(current)
        if self._dirty or self._id is not None or self._tried_to_save:
            self._timer.start()
        else:
            self._show([])

    def _set_dirty(self, dirty: bool) -> None:
        changed = dirty != self._dirty
        self._dirty = dirty
        self.dirty_label.setVisible(dirty)
        self._enable_buttons()
        if changed:
            self.dirty_changed.emit(dirty)

    def _enable_buttons(self) -> None:
        self.save_button.setEnabled(self._dirty)
        self.revert_button.setEnabled(self._dirty)

    def _show_placeholder(self, text: str) -> None:
        self._placeholder.setText(text)
        self._stack.setCurrentIndex(0)

    def widget_for(self, problem: Problem) -> QWidget | None:
        for section in self._sections:
            widget = section.widget_for(problem)
            if widget is not None:
                return widget
        return None

    def _show(self, problems: list[Problem]) -> None:
        """Mark each problem on its widget and list them all in the banner."""
        for widget in self._marked:
            mark(widget, None)
        order = {ERROR: 0}
        problems = sorted(problems, key=lambda p: order.get(p.severity, 1))
        self._problems = problems
        self._problem_widgets = [self.widget_for(p) for p in problems]
        per_widget: dict[int, tuple[QWidget, str, list[str]]] = {}
        for problem, widget in zip(problems, self._problem_widgets, strict=True):
            if widget is None:
                continue
            _w, severity, messages = per_widget.get(id(widget), (widget, problem.severity, []))
            if problem.severity == ERROR:
                severity = ERROR
            per_widget[id(widget)] = (widget, severity, [*messages, problem.message])
        self._marked = []
        for widget, severity, messages in per_widget.values():
            mark(widget, severity, "\n".join(messages))
            self._marked.append(widget)
        self.banner.show_problems(problems)

    def _go_to_problem(self, index: int) -> None:
        if not 0 <= index < len(self._problem_widgets):
            return
        widget = self._problem_widgets[index]
        if widget is None:
            return
        if self._scroll.widget().isAncestorOf(widget):
            self._scroll.ensureWidgetVisible(widget, 40, 40)
        target = widget.focusProxy() or widget
        for child in [target, *target.findChildren(QWidget)]:
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus:
                child.setFocus(Qt.FocusReason.OtherFocusReason)
                break
