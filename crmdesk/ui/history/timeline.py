"""A contact's history on its form: what happened with them, newest first.

"When did we last talk, and what did we agree?" is answered by a glance down
this list, so it shows the date, the kind, which way it went, the subject and
the outcome on one line and the details of the selected entry below. Filters
(a kind, words) narrow it as one types. Status changes are part of the story
and shown among the entries, but they are made on the form, not here.
Entries are read through core.history.timeline; every change goes through the
log dialog, and history_changed tells the form (and through it the lists)
which contacts' last-contact dates may have moved. The company form shows the
same widget for a company (set_company): the entries of the company and of its
people, without status changes (those belong to one contact).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.errors import CrmdeskError
from crmdesk.core.history.records import (
    LogResult,
    TimelineEntry,
    company_timeline,
    status_change_label,
    timeline,
)
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.lists.choices import list_choices
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import INTERACTION_KIND
from crmdesk.ui.common import errors
from crmdesk.ui.common.form_sections import muted, when
from crmdesk.ui.common.plain_text import tooltip_text
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.history.log_dialog import confirm_delete_interaction, log_interaction_dialog

FILTER_AFTER_MS = 200
ARROWS = {"out": "→", "in": "←"}
EntryRole = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("at", "kind", "direction", "subject", "outcome")


def arrow_tip(direction: str) -> str:
    return {"out": _("Outgoing"), "in": _("Incoming")}.get(direction, "")


def duration_text(minutes: int | None) -> str:
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)
    if hours:
        return ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)


class TimelineWidget(QWidget):
    """One contact's (or company's) history, with filters and Log / Open / Delete."""

    # An entry was logged, edited or deleted here: the core LogResult.
    history_changed = Signal(object)
    # The number of entries changed (the form puts it on its tab).
    count_changed = Signal(int)

    def __init__(self, db: Database, settings: UiSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.db = db
        self.settings = settings if settings is not None else UiSettings()
        self.contact_id: int | None = None
        self.company_id: int | None = None
        self.total = 0
        self._entries: list[TimelineEntry] = []
        self._timer = QTimer(self, singleShot=True, interval=FILTER_AFTER_MS)
        self._timer.timeout.connect(self.apply_filter)

        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("kindFilter")
        self.kind_filter.setToolTip(_("Show one kind of entry only"))
        self.kind_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_filter.setMinimumContentsLength(8)
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.text_filter = QLineEdit(self)
        self.text_filter.setObjectName("textFilter")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setPlaceholderText(_("Find in subjects and details"))
        self.text_filter.textChanged.connect(lambda _t: self._timer.start())
        self.log_button = QPushButton(_("Log…"), self)
        self.log_button.setToolTip(_("Record a call, meeting, e-mail or letter (Ctrl+L)"))
        self.open_button = QPushButton(_("Open"), self)
        self.open_button.setToolTip(_("See or change the selected entry (Enter)"))
        self.delete_button = QPushButton(_("Delete"), self)
        self.delete_button.setToolTip(_("Delete the selected entry (Del)"))
        self.log_button.clicked.connect(self.log_new)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        for button in (self.log_button, self.open_button, self.delete_button):
            button.setAutoDefault(False)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.kind_filter)
        bar.addWidget(self.text_filter, 3)
        bar.addWidget(self.log_button)
        bar.addWidget(self.open_button)
        bar.addWidget(self.delete_button)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("timelineList")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels([_("When"), _("Kind"), "", _("Subject"), _("Outcome")])
        self.tree.headerItem().setToolTip(2, _("Direction: → outgoing, ← incoming"))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # Kind and outcome are capped (the form's pane is narrow): the subject,
        # what the entry was about, keeps the room.
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Interactive)):
            header.setSectionResizeMode(column, mode)
        self.tree.itemDoubleClicked.connect(lambda *_a: self.open_selected())
        self.tree.currentItemChanged.connect(lambda *_a: self._selected())
        self.tree.installEventFilter(self)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in ((_("Log…") + "\tCtrl+L", self.log_new),
                           (_("Open") + "\tEnter", self.open_selected),
                           (_("Delete") + "\tDel", self.delete_selected)):
            action = QAction(text, self.tree)
            action.triggered.connect(lambda _c=False, s=slot: s())
            self.tree.addAction(action)

        self.empty = QLabel(self)
        self.empty.setObjectName("timelineEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        muted(self.empty)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tree)

        self.details = QPlainTextEdit(self)
        self.details.setObjectName("timelineDetails")
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)
        self.details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details.setPlaceholderText(_("The details of the selected entry show here."))
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self._fill_kinds()
        self._show_entries()

    # -- the public interface --------------------------------------------------------------
    def set_contact(self, contact_id: int | None) -> None:
        """Show this contact's history (None: nobody, nothing to show)."""
        self._show_owner(contact_id, None)

    def set_company(self, company_id: int | None) -> None:
        """Show the history of this company and its people (None: nothing to show)."""
        self._show_owner(None, company_id)

    def _show_owner(self, contact_id: int | None, company_id: int | None) -> None:
        if (contact_id, company_id) != (self.contact_id, self.company_id):
            self.text_filter.blockSignals(True)
            self.text_filter.clear()
            self.text_filter.blockSignals(False)
            self.kind_filter.blockSignals(True)
            self.kind_filter.setCurrentIndex(0)
            self.kind_filter.blockSignals(False)
        self.contact_id, self.company_id = contact_id, company_id
        self.refresh()

    def refresh(self) -> None:
        """Read the history again (after a change here or elsewhere)."""
        self._fill_kinds()
        self._load(recount=True)

    def apply_filter(self) -> None:
        self._timer.stop()
        self._load(recount=False)

    def entries(self) -> list[TimelineEntry]:
        """What is listed, top to bottom."""
        return list(self._entries)

    def current_entry(self) -> TimelineEntry | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        index = item.data(0, EntryRole)
        if not isinstance(index, int) or not 0 <= index < len(self._entries):
            return None
        return self._entries[index]

    def select_entry(self, interaction_id: int) -> bool:
        for row, entry in enumerate(self._entries):
            if entry.id == interaction_id:
                self.tree.setCurrentItem(self.tree.topLevelItem(row))
                return True
        return False

    # -- verbs ------------------------------------------------------------------------------
    def log_new(self) -> None:
        if self.company_id is not None:
            # Whom it was with is chosen in the dialog; the entry is the company's.
            self._after(log_interaction_dialog(self, self.db, self.settings,
                                               company_id=self.company_id))
            return
        if self.contact_id is None:
            return
        self._after(log_interaction_dialog(self, self.db, self.settings,
                                           contact_ids=[self.contact_id]))

    def open_selected(self) -> None:
        entry = self.current_entry()
        if entry is None or entry.id is None or not entry.editable:
            return
        self._after(log_interaction_dialog(self, self.db, self.settings,
                                           interaction_id=entry.id), select=entry.id)

    def delete_selected(self) -> None:
        entry = self.current_entry()
        if entry is None or entry.id is None or not entry.editable:
            return
        row = self.tree.indexOfTopLevelItem(self.tree.currentItem())
        result = confirm_delete_interaction(self, self.db, entry.id)
        self._after(result)
        if result is not None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(
                min(row, self.tree.topLevelItemCount() - 1)))
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _after(self, result: LogResult | None, *, select: int | None = None) -> None:
        if result is None:
            return
        self.refresh()
        target = select if select is not None else (result.ids[0] if result.ids else None)
        if target is not None:
            self.select_entry(target)
        self.history_changed.emit(result)

    # -- internals -------------------------------------------------------------------------
    def _fill_kinds(self) -> None:
        current = self.kind_filter.currentData() or ""
        with self.db.reading() as s:
            kinds = [c.name for c in list_choices(s, INTERACTION_KIND, include_archived=True)]
        if self.company_id is None:
            kinds.append(status_change_label())
        if [self.kind_filter.itemData(i) for i in range(1, self.kind_filter.count())] == kinds:
            return
        self.kind_filter.blockSignals(True)
        self.kind_filter.clear()
        self.kind_filter.addItem(_("All kinds"), "")
        for name in kinds:
            self.kind_filter.addItem(name, name)
        self.kind_filter.setCurrentIndex(max(self.kind_filter.findData(current), 0))
        self.kind_filter.blockSignals(False)

    def _load(self, *, recount: bool) -> None:
        kind = str(self.kind_filter.currentData() or "")
        text = self.text_filter.text().strip()
        selected = self.current_entry()
        keep = selected.id if selected is not None else None
        owner = self.contact_id if self.company_id is None else self.company_id
        read = timeline if self.company_id is None else company_timeline
        if owner is None:
            self._entries, self.total = [], 0
        else:
            try:
                with self.db.reading() as s:
                    self._entries = read(s, owner, kind=kind, text=text)
                    if recount:
                        self.total = (len(self._entries) if not kind and not text
                                      else len(read(s, owner)))
            except CrmdeskError as exc:
                errors.show_error(self, exc)
                self._entries = []
        self._show_entries(keep)
        if recount:
            self.count_changed.emit(self.total)

    def _show_entries(self, keep: int | None = None) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        italic = QFont(self.tree.font())
        italic.setItalic(True)
        grey = QColor(Qt.GlobalColor.darkGray)
        for index, entry in enumerate(self._entries):
            item = QTreeWidgetItem([when(entry.at), entry.kind, ARROWS.get(entry.direction, ""),
                                    entry.subject, entry.outcome])
            item.setData(0, EntryRole, index)
            item.setToolTip(2, arrow_tip(entry.direction))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignCenter)
            item.setToolTip(1, tooltip_text(entry.kind))
            item.setToolTip(4, tooltip_text(entry.outcome))
            item.setToolTip(3, tooltip_text("\n\n".join(
                t for t in (entry.subject, entry.details[:500]) if t.strip())))
            if not entry.editable:
                for column in range(len(COLUMNS)):
                    item.setFont(column, italic)
                    item.setForeground(column, grey)
                item.setToolTip(1, _("Changed on the form; not an entry of its own"))
            self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)
        cap = self.tree.fontMetrics().horizontalAdvance("x") * 11
        for column in (1, 4):
            self.tree.header().resizeSection(
                column, min(cap, max(self.tree.sizeHintForColumn(column),
                                     self.tree.header().sectionSizeHint(column))))
        if self._entries:
            self.stack.setCurrentWidget(self.tree)
            row = next((i for i, e in enumerate(self._entries)
                        if keep is not None and e.id == keep), 0)
            self.tree.setCurrentItem(self.tree.topLevelItem(row))
        else:
            self.stack.setCurrentWidget(self.empty)
            filtered = bool(self.kind_filter.currentData() or self.text_filter.text().strip())
            self.empty.setText(
                _("No entry matches the filter.") if filtered and self.total
                else _("Nothing recorded yet with this company or its people.")
                if self.company_id is not None
                else _("Nothing recorded yet. Press Ctrl+L to log a call."))
        self.log_button.setEnabled(self.contact_id is not None or self.company_id is not None)
        self._selected()

    def _selected(self) -> None:
        entry = self.current_entry()
        editable = entry is not None and entry.editable and entry.id is not None
        self.open_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        self.details.setPlainText(self._describe(entry, self.company_id is not None)
                                  if entry is not None else "")

    @staticmethod
    def _describe(entry: TimelineEntry, always_with: bool = False) -> str:
        """The entry in words; "With:" names the people when there are several, or
        always on a company's tab (the people differ from entry to entry)."""
        head = [when(entry.at), entry.kind]
        if entry.direction:
            head.append(arrow_tip(entry.direction).lower())
        if entry.duration_min:
            head.append(duration_text(entry.duration_min))
        if entry.outcome:
            head.append(entry.outcome)
        lines = [" · ".join(x for x in head if x)]
        if entry.subject:
            lines.append(entry.subject)
        if len(entry.contacts) > 1 or (always_with and entry.contacts):
            lines.append(_("With: {names}").format(names=", ".join(entry.contacts)))
        if entry.details.strip():
            lines += ["", entry.details]
        return "\n".join(lines)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter opens the selected entry, Del deletes it (keys of the list only)."""
        if watched is self.tree and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                return super().eventFilter(watched, event)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)


class HistoryTab:
    """A form's History tab (contact or company): a TimelineWidget whose tab shows
    the count, and is off, with a tip, until the record has been saved."""

    # The record form this is mixed into provides these.
    tabs: Any
    _id: int | None
    history_changed: Any

    def unsaved_history_tip(self) -> str:
        """The tab's tip while the record is new (the tab is off until it is saved)."""
        return ""

    def add_history_tab(self, db: Database) -> None:
        self.timeline = TimelineWidget(db, None, self)  # type: ignore[arg-type]
        self.history_tab = self.add_tab(self.timeline, _("History"))  # type: ignore[attr-defined]
        self.timeline.count_changed.connect(lambda _n: self._show_history_count())
        self.timeline.history_changed.connect(self.history_changed)

    def set_settings(self, settings: UiSettings) -> None:
        """The window's settings (the log dialog remembers the last kind there)."""
        self.timeline.settings = settings

    def refresh_history(self) -> None:
        """Something was logged elsewhere (Ctrl+L, the History view): read the tab again."""
        if self._id is not None:
            self.timeline.refresh()

    def show_history(self) -> None:
        assert self.tabs is not None
        self.tabs.setCurrentIndex(self.history_tab)

    def _show_history_count(self) -> None:
        assert self.tabs is not None
        saved = self._id is not None
        n = self.timeline.total
        self.tabs.setTabText(self.history_tab,
                             _("History ({n})").format(n=n) if saved and n else _("History"))
        self.tabs.setTabEnabled(self.history_tab, saved)
        self.tabs.setTabToolTip(self.history_tab, "" if saved else self.unsaved_history_tip())
        if not saved and self.tabs.currentIndex() == self.history_tab:
            self.tabs.setCurrentIndex(0)
