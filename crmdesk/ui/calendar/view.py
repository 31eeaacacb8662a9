"""The Calendar view: Day, Week, Month, Agenda and Tasks over one range of days.

Reads a range with one call (activities.listing.occurrences_between, birthdays
from yearly.py) and writes every change through the writer thread
(ui/tasks/writes.py via errors.run_unit): new, edit, move by dragging,
delete, clear. A series asks which occurrences an edit, a move or a delete
means. Reports what changed with ``changes_made`` like every view.

Big ranges follow the big-list rule (first screenful first). The month view
reads each day's first few yearly dates and their count ("+212 more", which
opens the agenda at that day) instead of every birthday of six weeks. The
agenda reads its first days and shows them, then the rest of its first month
REST_DELAY_MS later, and a month more whenever one scrolls near its end, up to
a year ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.activities import recurrence
from crmdesk.core.activities.listing import (
    Occurrence,
    is_overdue,
    occurrences_between,
    open_tasks,
)
from crmdesk.core.activities.neglected import Neglected, neglected_contacts
from crmdesk.core.activities.records import (
    ALL,
    ActivityData,
    clear_activity,
    create_activity,
    delete_activity,
    move_activity,
    snapshot,
    update_activity,
)
from crmdesk.core.activities.yearly import YearlyDate, yearly_dates, yearly_days
from crmdesk.core.changes import ACTIVITIES, CONTACTS, LISTS, Changes
from crmdesk.core.i18n import _
from crmdesk.core.lists.choices import list_choices
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import ACTIVITY_KIND
from crmdesk.core.text.localtime import to_local
from crmdesk.ui.calendar.dialog import ActivityDialog, ClearDialog, ask_scope
from crmdesk.ui.calendar.grid import ALLDAY_MAX, MonthGrid, TimeGrid
from crmdesk.ui.calendar.lists import OccurrenceList
from crmdesk.ui.common import errors
from crmdesk.ui.common.record_view import RecordView
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.tasks.operations import Operations
from crmdesk.ui.tasks.worker import Worker, shared

TODAY, DAY, WEEK, MONTH, AGENDA, TASKS = "today", "day", "week", "month", "agenda", "tasks"
MODES = (TODAY, DAY, WEEK, MONTH, AGENDA, TASKS)
AGENDA_DAYS = 30  # a page of agenda (Page Down), read at a time; the task list's reach
AGENDA_SPAN = 365  # how far ahead the agenda goes on as one scrolls
FIRST_DAYS = 3  # the agenda's first screenful: read and shown before the rest
REST_DELAY_MS = 40  # the rest is asked for once the first screenful is painted
MONTH_DATES_PER_DAY = 12  # yearly dates read per month cell (more than one can show)


def week_start(day: date) -> date:
    from PySide6.QtCore import QLocale

    first = QLocale().firstDayOfWeek().value - 1  # Qt: Monday is 1
    return day - timedelta(days=(day.weekday() - first) % 7)


def new_activity(db: Database, parent: QWidget, data: ActivityData) -> Changes | None:
    """The activity dialog for a new one, saved on the writer thread; None: cancelled."""
    dialog = ActivityDialog(db, data, new=True, parent=parent)
    try:
        while dialog.exec() == QDialog.DialogCode.Accepted:
            wanted = dialog.result_data()
            ok, changes = errors.run_unit(dialog, db,
                                          lambda s, w=wanted: create_activity(s, w))
            if ok:
                return changes
        return None
    finally:
        dialog.deleteLater()


def reader() -> Worker:
    return shared("reader")


@dataclass(frozen=True)
class _Params:
    mode: str
    first: date
    after: date
    now: datetime
    kind: str
    priority: int
    more: bool = False  # the agenda's later days, appended below those shown


@dataclass(frozen=True)
class _Answer:
    params: _Params
    items: list[Occurrence]
    dates: list[YearlyDate]
    neglected: list[Neglected]
    counts: dict[date, int] = field(default_factory=dict)  # month: yearly dates a day


def _read(db: Database, p: _Params) -> _Answer:
    """What a mode shows (runs on the reader thread)."""
    here = recurrence.local_zone()
    start = datetime.combine(p.first, time.min, tzinfo=here)
    end = datetime.combine(p.after, time.min, tzinfo=here)
    dates: list[YearlyDate] = []
    neglected: list[Neglected] = []
    counts: dict[date, int] = {}
    with db.reading() as s:
        if p.mode == TASKS:
            items = open_tasks(s, until=end, kinds=[p.kind] if p.kind else [],
                               min_priority=p.priority)
        elif p.mode == TODAY:
            # Today's activities, and before them what is overdue; the week's dates.
            overdue = [o for o in open_tasks(s, until=start) if is_overdue(o, p.now)]
            keys = {o.key for o in overdue}
            items = overdue + [o for o in occurrences_between(s, start, end)
                               if o.key not in keys]
            dates = yearly_dates(s, p.first, p.first + timedelta(days=6))
            neglected = neglected_contacts(s, p.now)
        elif p.mode == MONTH:
            items = occurrences_between(s, start, end)
            dates, counts = yearly_days(s, p.first, p.after - timedelta(days=1),
                                        MONTH_DATES_PER_DAY)
        elif p.mode in (DAY, WEEK):
            # A day shows ALLDAY_MAX all-day rows at most: its first dates and a count.
            items = occurrences_between(s, start, end)
            dates, counts = yearly_days(s, p.first, p.after - timedelta(days=1), ALLDAY_MAX)
        else:
            # The agenda's later days list what starts in them: one lasting across
            # the edge of what was shown is there already.
            items = occurrences_between(s, start, end, starting=p.more)
            dates = yearly_dates(s, p.first, p.after - timedelta(days=1))
    return _Answer(p, items, dates, neglected, counts)


class _Inbox(QObject):
    """Receives the reader thread's answers on the GUI thread (queued)."""

    loaded = Signal(int, object)
    failed = Signal(int, object)


class CalendarView(RecordView):
    key = "calendar"
    # Something outside the view (a reminder's Open) wants the calendar shown.
    show_requested = Signal()

    def __init__(self, db: Database, settings: UiSettings, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(db, settings, operations, parent)
        self.mode = WEEK
        self.day = date.today()
        self.now: datetime | None = None  # tests pin the clock
        self.current: Occurrence | None = None
        self.shown: list[Occurrence] = []
        self._generation = 0
        # The agenda: the day after the last one read, and whether more is asked for.
        self.agenda_until: date | None = None
        self._agenda_asked = False
        self._agenda_from: date | None = None  # the day the agenda shown starts at
        # Read again after a change: how far it was read and scrolled, and what was
        # chosen, to be so again once as much is read.
        self._agenda_keep: tuple[date, int, tuple[int, datetime | None] | None] | None = None
        self._rest_timer = QTimer(self, singleShot=True, interval=REST_DELAY_MS)
        self._rest_timer.timeout.connect(self.more_agenda)
        self._inbox = _Inbox(self)
        self._inbox.loaded.connect(self._loaded)
        self._inbox.failed.connect(self._failed)
        self._build()
        self.refresh()
        from crmdesk.ui.calendar.reminders import ReminderCenter

        self.reminders = ReminderCenter(db, self)
        self.reminders.changed.connect(self._done)
        self.reminders.window.open_requested.connect(self.reveal)
        self.reminders.window.clear_requested.connect(self._clear_from_reminder)
        self.reminders.start()

    # -- building -------------------------------------------------------------------
    def _build(self) -> None:
        bar = QHBoxLayout()
        self.today_button = QToolButton(self)
        self.today_button.setText(_("Today"))
        self.today_button.setToolTip(_("Go to today (Ctrl+Home)"))
        self.today_button.setObjectName("today")
        self.today_button.clicked.connect(self.go_today)
        self.back = QToolButton(self)
        self.back.setText("◀")
        self.back.setToolTip(_("Earlier (Page Up)"))
        self.back.clicked.connect(lambda: self.step(-1))
        self.forward = QToolButton(self)
        self.forward.setText("▶")
        self.forward.setToolTip(_("Later (Page Down)"))
        self.forward.clicked.connect(lambda: self.step(1))
        self.range_label = QLabel(self)
        self.range_label.setObjectName("range_label")
        f = self.range_label.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.range_label.setFont(f)
        # The range's name gives way (cut) rather than widening the window.
        self.range_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                       QSizePolicy.Policy.Preferred)
        bar.addWidget(self.today_button)
        bar.addWidget(self.back)
        bar.addWidget(self.forward)
        self.mode_buttons: dict[str, QToolButton] = {}
        group = QButtonGroup(self)
        names = {TODAY: _("Overview"), DAY: _("Day"), WEEK: _("Week"), MONTH: _("Month"),
                 AGENDA: _("Agenda"), TASKS: _("Tasks")}
        for mode in MODES:
            button = QToolButton(self)
            button.setText(names[mode])
            button.setCheckable(True)
            button.setObjectName(f"mode_{mode}")
            button.clicked.connect(lambda _c=False, m=mode: self.set_mode(m))
            group.addButton(button)
            bar.addWidget(button)
            self.mode_buttons[mode] = button
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("kind_filter")
        self.priority_filter = QComboBox(self)
        self.priority_filter.setObjectName("priority_filter")
        for value, text in ((0, _("Any priority")), (1, _("Normal and high")),
                            (2, _("High only"))):
            self.priority_filter.addItem(text, value)
        self.kind_filter.currentIndexChanged.connect(self.refresh)
        self.priority_filter.currentIndexChanged.connect(self.refresh)
        bar.addStretch(1)
        heading = QHBoxLayout()
        heading.addWidget(self.range_label, 1)
        heading.addWidget(self.kind_filter)
        heading.addWidget(self.priority_filter)

        actions = QHBoxLayout()
        self.new_button = QPushButton(_("New Activity…"), self)
        self.new_button.clicked.connect(lambda: self.new_record())
        self.edit_button = QPushButton(_("Edit…"), self)
        self.edit_button.clicked.connect(lambda: self.edit(self.current))
        self.clear_button = QPushButton(_("Clear…"), self)
        self.clear_button.setObjectName("clear_button")
        self.clear_button.setToolTip(_("Done or not done, with a result: logged in the history "
                                       "(Ctrl+D)"))
        self.clear_button.clicked.connect(lambda: self.clear(self.current))
        self.contact_button = QPushButton(_("Open Contact"), self)
        self.contact_button.clicked.connect(self.open_contact)
        self.import_button = QPushButton(_("Import .ics…"), self)
        self.import_button.setToolTip(_("Add the events and to-dos of a calendar file"))
        self.import_button.clicked.connect(self.import_ics)
        self.export_button = QPushButton(_("Export .ics…"), self)
        self.export_button.setToolTip(_("Write the calendar to a file other calendars read"))
        self.export_button.clicked.connect(self.export_ics)
        for button in (self.new_button, self.edit_button, self.clear_button,
                       self.contact_button):
            actions.addWidget(button)
        self.detail = QLabel(self)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        actions.addWidget(self.detail, 1)

        self.grid = TimeGrid(self)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.grid)
        self.scroll.verticalScrollBar().valueChanged.connect(lambda _v: self.grid.update())
        self.month = MonthGrid(self)
        self.agenda = OccurrenceList(self)
        self.agenda.setObjectName("agenda_list")
        self.agenda.verticalScrollBar().valueChanged.connect(self._agenda_scrolled)
        self.tasks = OccurrenceList(self)
        self.tasks.setObjectName("task_list")
        self.today_list = OccurrenceList(self)
        self.today_list.setObjectName("today_list")
        self.neglected = QTreeWidget(self)
        self.neglected.setObjectName("neglected_list")
        self.neglected.setRootIsDecorated(False)
        self.neglected.setHeaderLabels([_("Not contacted lately"), _("Status"),
                                        _("Last contact"), _("Days")])
        self.neglected.itemActivated.connect(self._open_neglected)
        self.neglect_button = QPushButton(_("Days Without Contact…"), self)
        self.neglect_button.setObjectName("neglect_button")
        self.neglect_button.clicked.connect(self.edit_neglect_days)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.neglected, 1)
        lower_buttons = QHBoxLayout()
        lower_buttons.addStretch(1)
        lower_buttons.addWidget(self.neglect_button)
        lower_layout.addLayout(lower_buttons)
        self.overview = QSplitter(Qt.Orientation.Vertical, self)
        self.overview.addWidget(self.today_list)
        self.overview.addWidget(lower)
        self.overview.setStretchFactor(0, 3)
        self.overview.setStretchFactor(1, 2)
        self.pages = QStackedWidget(self)
        for page in (self.scroll, self.month, self.agenda, self.tasks, self.overview):
            self.pages.addWidget(page)
        for source in (self.grid, self.month, self.agenda, self.tasks, self.today_list):
            source.selected.connect(self._selected)
            source.activated.connect(self.edit)
        self.grid.moved.connect(self.move)
        self.grid.new_at.connect(lambda at: self.new_record(at))
        self.month.day_chosen.connect(self._open_day)
        self.month.more_chosen.connect(self.open_agenda_at)
        self.grid.more_chosen.connect(self.open_agenda_at)
        files = QHBoxLayout()
        files.addStretch(1)
        files.addWidget(self.import_button)
        files.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(heading)
        layout.addLayout(actions)
        layout.addWidget(self.pages, 1)
        layout.addLayout(files)
        clear_action = QAction(_("Clear Activity…"), self)
        clear_action.setShortcut(QKeySequence("Ctrl+D"))
        clear_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        clear_action.triggered.connect(lambda: self.clear(self.current))
        self.addAction(clear_action)
        for key, step in (("PgUp", -1), ("PgDown", 1)):
            act = QAction(self)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _c=False, n=step: self.step(n))
            self.addAction(act)
        today_action = QAction(self)
        today_action.setShortcut(QKeySequence("Ctrl+Home"))
        today_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        today_action.triggered.connect(self.go_today)
        self.addAction(today_action)
        self._fill_kinds()
        self.set_mode(WEEK, reload=False)

    def _fill_kinds(self) -> None:
        wanted = self.kind_filter.currentData()
        self.kind_filter.blockSignals(True)
        self.kind_filter.clear()
        self.kind_filter.addItem(_("Every kind"), "")
        with self.db.reading() as s:
            for c in list_choices(s, ACTIVITY_KIND):
                self.kind_filter.addItem(c.name, c.name)
        self.kind_filter.setCurrentIndex(max(0, self.kind_filter.findData(wanted)))
        self.kind_filter.blockSignals(False)

    # -- RecordView --------------------------------------------------------------------
    def title(self) -> str:
        return _("Calendar")

    def counts_text(self) -> str:
        open_count = sum(1 for o in self.shown if o.state == "open")
        return _("{n} planned, {open} open").format(n=len(self.shown), open=open_count)

    def new_record_text(self) -> str:
        return _("New Activity")

    def delete_text(self) -> str:
        return _("Delete Activity")

    def can_delete(self) -> bool:
        return self.current is not None

    def log_targets(self) -> list[int]:
        return list(self.current.contact_ids) if self.current else []

    def focus_list(self) -> None:
        self._page_widget().setFocus()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(LISTS):
            self._fill_kinds()
        if changes.touches(ACTIVITIES) or changes.touches(CONTACTS) or changes.touches(LISTS):
            super().on_changes(changes)

    # -- navigation ---------------------------------------------------------------------
    def _page_widget(self) -> QWidget:
        return {DAY: self.grid, WEEK: self.grid, MONTH: self.month, AGENDA: self.agenda,
                TASKS: self.tasks, TODAY: self.today_list}[self.mode]

    def set_mode(self, mode: str, *, reload: bool = True) -> None:
        self.mode = mode
        self.mode_buttons[mode].setChecked(True)
        self.pages.setCurrentWidget({DAY: self.scroll, WEEK: self.scroll, MONTH: self.month,
                                     AGENDA: self.agenda, TASKS: self.tasks,
                                     TODAY: self.overview}[mode])
        tasks = mode == TASKS
        self.kind_filter.setVisible(tasks)
        self.priority_filter.setVisible(tasks)
        if reload:
            self.refresh()
        if mode in (DAY, WEEK):
            self.scroll.verticalScrollBar().setValue(int(self.grid.top() + 7.5 * 44
                                                         - self.grid.top()))

    def step(self, n: int) -> None:
        from dateutil.relativedelta import relativedelta

        if self.mode == DAY:
            self.day += timedelta(days=n)
        elif self.mode == WEEK:
            self.day += timedelta(days=7 * n)
        elif self.mode == MONTH:
            self.day = self.day.replace(day=1) + relativedelta(months=n)
        else:
            self.day += timedelta(days=AGENDA_DAYS * n)
        self.refresh()

    def open_agenda_at(self, day: date) -> None:
        """The agenda from ``day`` on: a month cell's "+N more" (its whole list)."""
        self.day = day
        self.set_mode(AGENDA)

    def go_today(self) -> None:
        self.day = (self.now or datetime.now()).date()
        self.refresh()

    def _open_day(self, day: date) -> None:
        self.day = day
        self.set_mode(DAY)

    def days(self) -> tuple[date, date]:
        """The first day shown and the day after the last."""
        if self.mode == DAY:
            return self.day, self.day + timedelta(days=1)
        if self.mode == WEEK:
            first = week_start(self.day)
            return first, first + timedelta(days=7)
        if self.mode == MONTH:
            first = week_start(self.day.replace(day=1))
            return first, first + timedelta(days=42)
        if self.mode == TASKS:
            today = (self.now or datetime.now()).date()
            return today, today + timedelta(days=AGENDA_DAYS)
        if self.mode == TODAY:
            today = (self.now or datetime.now()).date()
            return today, today + timedelta(days=1)
        return self.day, self.day + timedelta(days=AGENDA_SPAN)

    # -- reading -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the range shown on the reader thread; the answer is shown when it comes
        (a newer refresh supersedes it). A busy month is tens of milliseconds of reading
        the window need not wait for."""
        first, after = self.days()
        if self.mode == AGENDA:
            after = first + timedelta(days=FIRST_DAYS)  # the first screenful
        self._rest_timer.stop()
        self._agenda_keep = None
        if (self.mode == AGENDA and self.agenda_until is not None
                and self._agenda_from == self.day):
            self._agenda_keep = (self.agenda_until, self.agenda.verticalScrollBar().value(),
                                 self.current.key if self.current is not None else None)
        self.agenda_until, self._agenda_asked = None, False
        self._generation += 1
        self._submit(_Params(self.mode, first, after, self._now(),
                             self.kind_filter.currentData() or "",
                             int(self.priority_filter.currentData() or 0)))

    def _now(self) -> datetime:
        here = recurrence.local_zone()
        return self.now.astimezone(here) if self.now else datetime.now(here)

    def more_agenda(self) -> None:
        """Read the agenda's next days (the rest of its first month, then a month more)
        and append them; nothing once a year is shown."""
        if self.mode != AGENDA or self.agenda_until is None or self._agenda_asked:
            return
        last = self.day + timedelta(days=AGENDA_SPAN)
        if self.agenda_until >= last:
            return
        month = self.day + timedelta(days=AGENDA_DAYS)
        until = min(last, month if self.agenda_until < month
                    else self.agenda_until + timedelta(days=AGENDA_DAYS))
        if self._agenda_keep is not None:  # as far as it was read before the change
            until = min(last, max(until, self._agenda_keep[0]))
        self._agenda_asked = True
        self._submit(_Params(AGENDA, self.agenda_until, until, self._now(), "", 0, more=True))

    def _agenda_scrolled(self, _value: int = 0) -> None:
        """Less than a screenful below what is in sight: read the next month. Counted in
        rows, not by the scroll bar, which learns of appended rows only later."""
        rows = self.agenda.row_count()
        if rows == 0:
            self.more_agenda()
            return
        height = max(1, self.agenda.sizeHintForRow(0))
        in_sight = max(1, self.agenda.viewport().height() // height)
        top = max(0, self.agenda.indexAt(self.agenda.viewport().rect().topLeft()).row())
        if rows - (top + in_sight) < in_sight:
            self.more_agenda()

    def agenda_complete(self) -> bool:
        """A year of agenda is shown (tests wait for it)."""
        return (self.agenda_until is not None
                and self.agenda_until >= self.day + timedelta(days=AGENDA_SPAN))

    def _submit(self, params: _Params) -> None:
        generation, db, inbox = self._generation, self.db, self._inbox

        def job() -> None:
            if generation != self._generation:
                return  # superseded before it began
            try:
                answer = _read(db, params)
            except Exception as exc:  # noqa: BLE001 - shown on the GUI thread
                inbox.failed.emit(generation, exc)
            else:
                inbox.loaded.emit(generation, answer)

        reader().submit(job)

    def wait(self) -> None:
        """Until the reads asked for are shown (tests, and a reminder's Open)."""
        reader().wait()
        QCoreApplication.sendPostedEvents(self)

    def _failed(self, generation: int, exc: object) -> None:
        if generation == self._generation and isinstance(exc, BaseException):
            errors.show_error(self, exc, title=_("Calendar"))

    def _loaded(self, generation: int, answer: object) -> None:
        if generation != self._generation or not isinstance(answer, _Answer):
            return
        p, items, dates = answer.params, answer.items, answer.dates
        first, after, now = p.first, p.after, p.now
        if p.more:
            self._agenda_asked = False
            self.agenda_until = after
            self.shown = self.shown + items
            self.agenda.append_items(items, dates)
            self.counts_changed.emit()
            if self._agenda_keep is not None and after >= self._agenda_keep[0]:
                # Read again after a change: the choice and the place kept.
                _until, place, key = self._agenda_keep
                if key is not None:
                    self.agenda.select_key(key)
                self.agenda.executeDelayedItemsLayout()  # the scroll bar's new length
                self.agenda.verticalScrollBar().setValue(place)
                self._agenda_keep = None
            # A short month, or scrolled to its end while this was read: more.
            self._agenda_scrolled()
            return
        self.shown = items
        self.grid.now = self.month.now = now.replace(tzinfo=None) if self.now else None
        if p.mode in (DAY, WEEK):
            self.grid.show_days([first + timedelta(days=i) for i in range((after - first).days)],
                                items, dates, answer.counts)
        elif p.mode == MONTH:
            self.month.show_month(self.day.replace(day=1), first, items, dates, answer.counts)
        elif p.mode == AGENDA:
            self.agenda.show_items(items, dates, now)
            self.agenda_until, self._agenda_from = after, first
            self._rest_timer.start()  # the rest of the month, once this is painted
            first, after = self.days()
        elif p.mode == TODAY:
            self.today_list.show_items(items, dates, now, keep_order=True)
            self._show_neglected(answer.neglected)
        else:
            self.tasks.show_items(items, [], now)
        self.range_label.setText(self._range_text(first, after))
        if self.current is not None and not any(o.key == self.current.key for o in items):
            self._selected(None)
        self.counts_changed.emit()

    def _range_text(self, first: date, after: date) -> str:
        from PySide6.QtCore import QDate, QLocale

        loc = QLocale()

        def q(d: date) -> QDate:
            return QDate(d.year, d.month, d.day)

        if self.mode == DAY:
            return loc.toString(q(first), "dddd d MMMM yyyy")
        if self.mode == MONTH:
            return loc.toString(q(self.day.replace(day=1)), "MMMM yyyy")
        if self.mode == TODAY:
            return _("Today, {day}: overdue, planned, and the week's birthdays").format(
                day=loc.toString(q(first), "d MMMM yyyy"))
        if self.mode == TASKS:
            return _("Open calls and to-dos, due by {day}").format(
                day=loc.toString(q(after - timedelta(days=1)), "d MMM yyyy"))
        last = after - timedelta(days=1)
        return f"{loc.toString(q(first), 'd MMM yyyy')} – {loc.toString(q(last), 'd MMM yyyy')}"

    def _selected(self, occ: Any) -> None:
        self.current = occ if isinstance(occ, Occurrence) else None
        has = self.current is not None
        self.edit_button.setEnabled(has)
        self.clear_button.setEnabled(has and self.current is not None
                                     and self.current.state == "open")
        self.contact_button.setEnabled(bool(has and self.current and self.current.contact_ids))
        if self.current is not None:
            o = self.current
            self.detail.setText(" · ".join(x for x in (
                o.kind, o.label(), ", ".join(o.contact_names), o.location) if x))
        else:
            self.detail.setText("")
        self.selection_changed.emit()

    # -- writing -----------------------------------------------------------------------
    def _done(self, changes: Changes | None) -> None:
        if changes:
            self.changes_made.emit(changes)
            self.refresh()

    def new_record(self, at: datetime | None = None, contact_ids: list[int] | None = None
                   ) -> None:
        if at is None:
            base = datetime.combine(self.day, time(9, 0))
            at = base
        data = ActivityData(kind=_("Call"), start=at, end=at + timedelta(minutes=30),
                            contact_ids=list(contact_ids or []))
        self._done(new_activity(self.db, self, data))

    def edit(self, occ: Any) -> None:
        if not isinstance(occ, Occurrence):
            return
        with self.db.reading() as s:
            data = snapshot(s, occ.activity_id)
        here = recurrence.local_zone()
        series_start = recurrence.to_wall(data.start, here)
        shown_start = recurrence.to_wall(occ.start, here)
        if occ.series and occ.occurrence_at is not None:
            length = (data.end - data.start) if data.end is not None else None
            data.start = occ.start
            data.end = occ.start + length if length is not None else None
        dialog = ActivityDialog(self.db, data, new=False, parent=self)
        try:
            while dialog.exec() == QDialog.DialogCode.Accepted:
                wanted = dialog.result_data()
                scope = ALL
                if occ.series:
                    chosen = ask_scope(self, _("Change"))
                    if chosen is None:
                        continue
                    scope = chosen
                if occ.series and scope == ALL and series_start != shown_start:
                    # The dialog showed this occurrence: the series moves by as much.
                    back = series_start - shown_start
                    wanted.start = recurrence.to_wall(wanted.start, here) + back
                    if wanted.end is not None:
                        wanted.end = recurrence.to_wall(wanted.end, here) + back
                ok, changes = errors.run_unit(dialog, self.db, lambda s, w=wanted, sc=scope:
                                              update_activity(s, occ.activity_id, w, scope=sc,
                                                              occurrence_at=occ.occurrence_at))
                if ok:
                    self._done(changes)
                    return
        finally:
            dialog.deleteLater()

    def move(self, occ: Occurrence, new_start: datetime) -> None:
        scope = ALL
        if occ.series:
            chosen = ask_scope(self, _("Move"))
            if chosen is None:
                self.refresh()
                return
            scope = chosen
        ok, changes = errors.run_unit(self, self.db, lambda s: move_activity(
            s, occ.activity_id, new_start, scope=scope, occurrence_at=occ.occurrence_at))
        if ok:
            self._done(changes)
            self.status_message.emit(_("Moved to {when}.").format(
                when=new_start.strftime("%Y-%m-%d %H:%M")))

    def delete_selected(self) -> None:
        occ = self.current
        if occ is None:
            return
        if occ.series:
            scope = ask_scope(self, _("Delete"))
            if scope is None:
                return
        else:
            from crmdesk.ui.common import dialogs

            scope = ALL
            if not dialogs.confirm(
                    self, _("Delete Activity"),
                    _("Delete {what}? It is gone for good; its history entries stay.").format(
                        what=occ.label()), _("Delete")):
                return
        ok, changes = errors.run_unit(self, self.db, lambda s: delete_activity(
            s, occ.activity_id, scope=scope, occurrence_at=occ.occurrence_at))
        if ok:
            self._selected(None)
            self._done(changes)

    def clear(self, occ: Occurrence | None) -> None:
        if occ is None or occ.state != "open":
            return
        dialog = ClearDialog(self.db, f"{occ.kind}: {occ.label()}", self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            done = dialog.done_radio.isChecked()
            result = dialog.result.currentText().strip()
            notes = dialog.notes.toPlainText()
            follow = dialog.follow.isChecked()
        finally:
            dialog.deleteLater()
        ok, cleared = errors.run_unit(self, self.db, lambda s: clear_activity(
            s, occ.activity_id, done=done, result=result, notes=notes,
            occurrence_at=occ.occurrence_at if occ.series else None))
        if not ok or cleared is None:
            return
        self._done(cleared.changes)
        self.status_message.emit(_("Cleared; logged in the history.")
                                 if cleared.interaction_id else _("Cleared."))
        if follow:
            self._done(new_activity(self.db, self, cleared.follow_up))

    def shut_down(self, seconds: float | None = None) -> None:
        self.reminders.stop()
        self._generation += 1  # a queued read sees it is superseded
        reader().wait(seconds)
        super().shut_down(seconds)

    def schedule_for(self, contact_ids: list[int]) -> None:
        """Ctrl+K from any view: a new activity with these contacts, tomorrow at 9:00."""
        at = datetime.combine((self.now or datetime.now()).date() + timedelta(days=1),
                              time(9, 0))
        self.new_record(at, contact_ids)

    def reveal(self, occ: Occurrence) -> None:
        """Show the day of ``occ`` with it selected, and open it."""
        self.show_requested.emit()
        self.day = occ.start.date()
        if self.mode not in (DAY, WEEK):
            self.set_mode(DAY, reload=False)
        self.refresh()
        self.wait()
        self.grid.select(next((o for o in self.grid.items if o.key == occ.key), None))
        self.edit(occ)

    def _clear_from_reminder(self, occ: Occurrence) -> None:
        self.clear(occ)
        self.reminders.check()

    def _show_neglected(self, people: list[Neglected]) -> None:
        self.neglected.clear()
        for n in people:
            last = (to_local(n.last_contact).strftime("%Y-%m-%d") if n.last_contact
                    else _("never"))
            item = QTreeWidgetItem([n.name, n.status, last, str(n.days)])
            item.setData(0, Qt.ItemDataRole.UserRole, n.contact_id)
            self.neglected.addTopLevelItem(item)
        for col in range(self.neglected.columnCount()):
            self.neglected.resizeColumnToContents(col)

    def edit_neglect_days(self) -> None:
        from crmdesk.ui.calendar.neglect_dialog import NeglectDialog

        dialog = NeglectDialog(self.db, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.changes is not None:
                self.changes_made.emit(dialog.changes)
                self.refresh()
        finally:
            dialog.deleteLater()

    def _open_neglected(self, item: QTreeWidgetItem) -> None:
        contact_id = item.data(0, Qt.ItemDataRole.UserRole)
        if contact_id is not None:
            self.open_contact_requested.emit(int(contact_id))

    # -- calendar files ------------------------------------------------------------------
    def import_ics(self) -> None:
        from crmdesk.ui.common import dialogs

        path = dialogs.open_file(self, _("Import a Calendar File"), "",
                                 _("Calendar files (*.ics *.ical *.ifb);;All files (*)"))
        if not path:
            return
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError as exc:
            errors.show_error(self, exc, title=_("Not imported"))
            return
        from crmdesk.io.ics import import_ics

        ok, result = errors.run_unit(self, self.db, lambda s: import_ics(s, raw))
        if not ok or result is None:
            return
        self._done(result.changes)
        text = _("Added {added} activities ({changed} occurrences changed).").format(
            added=result.added, changed=result.changed)
        if result.problems:
            text += "\n\n" + _("Not imported:") + "\n" + "\n".join(result.problems[:20])
        dialogs.inform(self, _("Import a Calendar File"), text)

    def export_ics(self) -> None:
        from crmdesk.ui.common import dialogs

        path = dialogs.save_file(self, _("Export the Calendar"), "calendar.ics",
                                 _("Calendar files (*.ics)"))
        if not path:
            return
        from crmdesk.core.activities.records import stored_activities
        from crmdesk.io.atomic import atomic_binary
        from crmdesk.io.ics import write_ics

        with self.db.reading() as s:
            data = write_ics(stored_activities(s))
        try:
            with atomic_binary(path) as out:
                out.write(data)
        except OSError as exc:
            errors.show_error(self, exc, title=_("Not exported"))
            return
        self.status_message.emit(_("Wrote the calendar to {path}.").format(path=path))

    def open_contact(self) -> None:
        if self.current is not None and self.current.contact_ids:
            self.open_contact_requested.emit(self.current.contact_ids[0])
