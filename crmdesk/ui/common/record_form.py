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

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from crmdesk.core.changes import Changes
from crmdesk.core.contacts.records import Saved
from crmdesk.core.errors import CrmdeskError, NotFoundError, Problem, ValidationError
from crmdesk.core.fields.service import (
    default_values,
    describe_fields,
    get_values,
    parse_value,
)
from crmdesk.core.i18n import _
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.settings import get_setting
from crmdesk.ui.common import dialogs, errors
from crmdesk.ui.common.form_sections import (
    ERROR,
    ProblemsBanner,
    Section,
    chain_tab_order,
    focus_chain,
    mark,
    muted,
)
from crmdesk.ui.fields.form_sections import CustomSection, build_sections, empty_value
from crmdesk.ui.tasks.writes import write

COMPACT_LABEL_WIDTH = 84  # a row's label box (Mobile, Home ...) in a narrow form
READ_ONLY = {"id", "company_id", "display_name", "created_at", "updated_at", "deleted_at"}


class RecordForm(QWidget):
    """A form for one record; subclasses say what the record is and how it is saved."""

    dirty_changed = Signal(bool)
    VALIDATE_AFTER_MS = 400
    ENTITY: str | None = None  # fields.CONTACT or fields.COMPANY: shows custom fields

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
        self._custom_sections: list[CustomSection] = []
        self._custom_snapshot: dict[str, Any] = {}  # the stored values, as loaded
        self._custom_baseline: dict[str, Any] = {}  # the editors' reading of them
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.VALIDATE_AFTER_MS)
        self._timer.timeout.connect(self.validate_now)
        self._compact = False  # labels above their fields: a narrow pane
        self._wide_width = 0  # the width the fields need with labels beside them
        self._narrow_width = 0  # ... and with labels above them
        self._label_width = 0  # the one label column of the wide layout

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
        # The fields reflow to the width there is (see _reflow): never sideways scrolling.
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(self._scroll)
        self._sections_layout = QVBoxLayout(inner)
        self._sections_layout.setContentsMargins(12, 4, 12, 12)
        self._sections_layout.setSpacing(10)
        self._sections_layout.addStretch(1)
        self._scroll.setWidget(inner)
        self._page_layout.addWidget(self._scroll, 1)
        self.tabs: QTabWidget | None = None  # made by add_tab(): Details | History

        # The Save/Revert bar sits below the scrolling fields, outside them: always in
        # reach, however long the record.
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

    def save_record(self, session: Session, record_id: int | None, data: Any, original: Any,
                    custom: dict[str, Any]) -> Saved:
        """The core service that saves the record and its custom values (on the writer)."""
        raise NotImplementedError

    def announce(self, changes: Changes) -> None:
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
        section.set_compact(self._compact)
        if pinned:
            self._top.insertWidget(self._top.count() - 1, section)
        else:
            self._sections_layout.insertWidget(self._sections_layout.count() - 1, section)
        self._sections.append(section)
        section.changed.connect(self._on_edited)
        section.rows_changed.connect(self._rows_changed)
        return section

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Put a page beside the fields (a contact's History); the fields become the
        first tab, "Details", under the same pinned header. Returns the new tab's index."""
        if self.tabs is None:
            page = self._stack.widget(1)
            index = self._page_layout.indexOf(self._scroll)
            self._page_layout.removeWidget(self._scroll)
            self.tabs = QTabWidget(page)
            self.tabs.setObjectName("formTabs")
            self.tabs.setDocumentMode(True)
            self.tabs.addTab(self._scroll, _("Details"))
            self._page_layout.insertWidget(index, self.tabs, 1)
            self.tabs.currentChanged.connect(lambda _i: self._fix_tab_order())
        # A page beside the fields must not make the whole form wider than the pane
        # (the fields reflow; the page is laid out in the width there is).
        policy = widget.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        widget.setSizePolicy(policy)
        return self.tabs.addTab(widget, title)

    def finish_layout(self) -> None:
        """Line the labels of every section up in one column (call after adding sections)."""
        if self.ENTITY is not None and not self._custom_sections:
            self._build_custom()
        self._align()

    def _align(self) -> None:
        self._label_width = max([s.label_width() for s in self._sections] + [0])
        self._set_compact(self._compact)
        self._measure()
        self._fix_tab_order()

    # -- reflowing to the width there is -------------------------------------------------
    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """As narrow as the reflowed fields allow, so that a pane holding the form
        never needs a horizontal scroll bar (and never hides the Save bar under one)."""
        hint = super().minimumSizeHint()
        if not self._narrow_width:
            return hint
        return QSize(self._narrow_width, hint.height())

    def _measure(self) -> None:
        """The width the scrolling fields need with labels beside them and above them."""
        was = self._compact
        widths = {}
        for compact in (False, True):
            self._set_compact(compact)
            widths[compact] = self._fields_width()
        self._set_compact(was)
        self._wide_width, self._narrow_width = widths[False], widths[True]
        self.updateGeometry()
        self._reflow()

    def _fields_width(self) -> int:
        """The narrowest the scrolling column can be as it is laid out now."""
        widest = 0
        for section in self._sections:
            if section.parentWidget() is not self._scroll.widget() or section.isHidden():
                continue
            for layout in [*section.findChildren(QLayout), section.layout()]:
                layout.invalidate()  # asked for at once, not at the next paint
            widest = max(widest, section.layout().minimumSize().width())
        margins = self._sections_layout.contentsMargins()
        return (widest + margins.left() + margins.right()
                + self._scroll.verticalScrollBar().sizeHint().width()
                + 2 * self._scroll.frameWidth())

    def _set_compact(self, compact: bool) -> None:
        self._compact = compact
        # Narrow: labels above their fields, the row labels' boxes narrower, thin margins.
        self._sections_layout.setContentsMargins(*((4, 4, 2, 12) if compact
                                                   else (12, 4, 12, 12)))
        for section in self._sections:
            section.set_label_width(COMPACT_LABEL_WIDTH if compact else self._label_width)
            section.set_compact(compact)

    def is_compact(self) -> bool:
        """Labels above their fields (a narrow pane) rather than beside them."""
        return self._compact

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._reflow()

    def _reflow(self) -> None:
        if self._wide_width:
            compact = self.width() < self._wide_width
            if compact != self._compact:
                self._set_compact(compact)

    def _rows_changed(self) -> None:
        QTimer.singleShot(0, self._fix_tab_order)  # after the new row's widgets settle
        QTimer.singleShot(0, self._measure)

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
        return (any(getattr(current, f) != getattr(self._baseline, f) for f in self._editable())
                or bool(self.custom_changes()))

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
            self._fill(self._snapshot, custom=self._custom_snapshot)

    def save(self) -> int | None:
        """Save; the record's id, or None when it could not be saved (the form says why)."""
        if self._snapshot is None:
            return None
        self._timer.stop()
        self._tried_to_save = True
        if self._id is not None and not self.is_dirty():
            return self._id
        data = self.edited_data()
        problems = self._check_all(data)
        self._show(problems)
        if any(p.severity == ERROR for p in problems):
            self._go_to_problem(self._first_error())
            return None
        custom = self.custom_changes(all_filled=self._id is None)
        record_id, original = self._id, (self._snapshot if self._id is not None else None)
        try:
            # The record and its custom values: one unit of work on the writer thread.
            saved = write(self.db, lambda s: self.save_record(s, record_id, data, original,
                                                              custom))
        except ValidationError as exc:
            self._show(exc.problems)
            if exc.problems:
                self._go_to_problem(self._first_error())
            return None
        except CrmdeskError as exc:
            errors.show_error(self, exc, title=_("Not saved"))
            return None
        self.load(saved.id, keep_scroll=True)  # what the file now holds is what the form shows
        self.announce(saved.changes)
        return saved.id

    def _first_error(self) -> int:
        return next((i for i, p in enumerate(self._problems) if p.severity == ERROR), 0)

    # -- custom fields ---------------------------------------------------------------------
    def custom_editors(self) -> dict[str, Any]:
        """{key: editor} of every custom field on the form."""
        return {k: e for section in self._custom_sections for k, e in section.editors.items()}

    def custom_values(self) -> dict[str, Any]:
        """The custom editors' reading: {key: form value}."""
        return {k: e.value() for k, e in self.custom_editors().items()}

    def custom_changes(self, *, all_filled: bool = False) -> dict[str, Any]:
        """{key: form value} of the custom fields edited since loading (with
        ``all_filled``, of every one that is not empty: a new record)."""
        if self._snapshot is None:
            return {}
        out = {}
        for key, editor in self.custom_editors().items():
            value = editor.value()
            if value != self._custom_baseline.get(key, empty_value(editor.field)) or (
                    all_filled and value != empty_value(editor.field)):
                out[key] = value
        return out

    def reload_fields(self) -> None:
        """Rebuild the custom sections (after the fields were edited), keeping what
        the user has typed in fields that are still there."""
        if self.ENTITY is None:
            return
        edits = self.custom_changes()
        self._build_custom()
        self._align()
        if self._snapshot is None:
            return
        self._custom_snapshot = self._read_custom(self._snapshot)
        self._loading = True
        try:
            self._apply_custom(self._custom_snapshot, clear=True)
        finally:
            self._loading = False
        self._custom_baseline = self.custom_values()
        self._apply_custom({k: v for k, v in edits.items() if k in self._custom_baseline})
        self._on_edited()
        self._rows_changed()

    def _build_custom(self) -> None:
        for section in self._custom_sections:
            self._sections.remove(section)
            self._sections_layout.removeWidget(section)
            section.hide()
            section.setParent(None)  # gone from the form at once, freed later
            section.deleteLater()
        with self.db.reading() as s:
            defs = describe_fields(s, self.ENTITY) if self.ENTITY else []
        self._custom_sections = build_sections(defs, self._sections_layout.parentWidget())
        for section in self._custom_sections:
            self.add_section(section)

    def _read_custom(self, data: Any) -> dict[str, Any]:
        assert self.ENTITY is not None
        with self.db.reading() as s:
            if data.id is None:
                return default_values(s, self.ENTITY)
            return get_values(s, self.ENTITY, [data.id]).get(data.id, {})

    def _apply_custom(self, values: dict[str, Any], *, clear: bool = False) -> None:
        for key, editor in self.custom_editors().items():
            if key in values:
                editor.set_value(values[key])
            elif clear:
                editor.set_value(None)

    def _custom_problems(self) -> list[Problem]:
        """What the core says about the custom values; a value that was stored like
        that already is a warning, not a reason to refuse saving other changes."""
        if not self._custom_sections:
            return []
        changed = self.custom_changes(all_filled=self._id is None)
        out: list[Problem] = []
        for key, editor in self.custom_editors().items():
            value = editor.value()
            _value, problems = parse_value(editor.field, value, region=self._region)
            for p in problems:
                if p.severity == ERROR and key not in changed and self._id is not None:
                    p = replace(p, severity="warning")
                out.append(p)
        return out

    def _check_all(self, data: Any) -> list[Problem]:
        return self.check(data) + self._custom_problems()

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
        problems = self._check_all(self.edited_data())
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
    def _fill(self, data: Any, *, custom: dict[str, Any] | None = None) -> None:
        self._timer.stop()
        with self.db.reading() as s:
            self._region = get_setting(s, "phone_region")
        self.refresh_lists()
        if self._custom_sections and custom is None:
            custom = self._read_custom(data)
        self._loading = True
        try:
            for section in self._sections:
                section.load(data)
            if self._custom_sections:
                self._apply_custom(custom or {}, clear=True)
        finally:
            self._loading = False
        self._snapshot = data
        self._id = data.id
        self._baseline = self.read()
        self._custom_snapshot = dict(custom or {})
        self._custom_baseline = self.custom_values()
        self._tried_to_save = False
        self._stack.setCurrentIndex(1)
        self._set_dirty(False)
        self.loaded(data)
        if self._id is not None:
            self.validate_now()  # stored data can carry warnings (a phone kept as typed)
        else:
            self._show([])
        self._measure()  # the rows just loaded may need another width
        self._fix_tab_order()

    def _on_edited(self) -> None:
        if self._loading or self._snapshot is None:
            return
        current = self.read()
        self._set_dirty(any(getattr(current, f) != getattr(self._baseline, f)
                            for f in self._editable()) or bool(self.custom_changes()))
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
            if self.tabs is not None:
                self.tabs.setCurrentWidget(self._scroll)
            self._scroll.ensureWidgetVisible(widget, 40, 40)
        target = widget.focusProxy() or widget
        for child in [target, *target.findChildren(QWidget)]:
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus:
                child.setFocus(Qt.FocusReason.OtherFocusReason)
                break
