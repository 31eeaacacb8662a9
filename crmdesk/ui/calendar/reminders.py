"""Reminders while crmdesk runs: a check every half minute (and once at start, so
reminders that fell due while crmdesk was closed show), a system-tray message
where there is a tray, and the reminder window: snooze 5 minutes, an hour or
until tomorrow, dismiss, open, clear."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.activities import recurrence, reminders
from crmdesk.core.activities.reminders import Reminder
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.storage.database import Database
from crmdesk.ui.common import errors

CHECK_MS = 30_000
ReminderRole = Qt.ItemDataRole.UserRole


def reminder_text(r: Reminder) -> str:
    occ = r.occurrence
    when = occ.start.strftime("%Y-%m-%d") + " " + (_("all day") if occ.all_day
                                                    else occ.start.strftime("%H:%M"))
    who = ", ".join(occ.contact_names)
    return " · ".join(x for x in (when, occ.kind, occ.label(), who) if x)


class ReminderWindow(QDialog):
    """The reminders due now; each button acts on the selected one."""

    changed = Signal(object)  # Changes
    open_requested = Signal(object)  # an Occurrence
    clear_requested = Signal(object)  # an Occurrence

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("reminder_window")
        self.setWindowTitle(_("Reminders"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.heading = QLabel(self)
        self.list = QListWidget(self)
        self.list.setObjectName("reminder_list")
        self.list.setMinimumWidth(460)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (("5min", _("Snooze 5 min")), ("1h", _("Snooze 1 hour")),
                          ("tomorrow", _("Until Tomorrow")), ("dismiss", _("Dismiss")),
                          ("open", _("Open")), ("clear", _("Clear…"))):
            button = QPushButton(text, self)
            button.setObjectName(f"reminder_{key}")
            button.clicked.connect(lambda _c=False, k=key: self.act(k))
            buttons.addWidget(button)
            self.buttons[key] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def show_reminders(self, due: list[Reminder]) -> None:
        keep = self.selected()
        self.list.clear()
        for r in due:
            item = QListWidgetItem(reminder_text(r))
            item.setData(ReminderRole, r)
            self.list.addItem(item)
        self.heading.setText(ngettext("{n} reminder", "{n} reminders", len(due)).format(
            n=len(due)))
        row = 0
        if keep is not None:
            row = next((i for i, r in enumerate(due) if r.activity_id == keep.activity_id), 0)
        self.list.setCurrentRow(row)

    def selected(self) -> Reminder | None:
        item = self.list.currentItem()
        return item.data(ReminderRole) if item is not None else None

    def act(self, key: str) -> None:
        r = self.selected()
        if r is None:
            return
        if key == "open":
            self.open_requested.emit(r.occurrence)
            return
        if key == "clear":
            self.clear_requested.emit(r.occurrence)
            return
        here = recurrence.local_zone()
        if key == "dismiss":
            ok, changes = errors.run_unit(self, self.db, lambda s: reminders.dismiss(s, r))
        else:
            until = reminders.snooze_choices(datetime.now(here))[key]
            ok, changes = errors.run_unit(self, self.db, lambda s: reminders.snooze(
                s, r.activity_id, until))
        if ok:
            self.list.takeItem(self.list.currentRow())
            self.changed.emit(changes)
            if self.list.count() == 0:
                self.hide()


class ReminderCenter(QObject):
    """Looks for due reminders on a timer; shows the window (and a tray message)."""

    changed = Signal(object)
    # Reminders found on the reader thread, shown on the GUI thread (queued).
    found = Signal(object)

    def __init__(self, db: Database, parent: QWidget,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.parent_widget = parent
        self.clock = clock
        self.window = ReminderWindow(db, parent)
        self.window.changed.connect(self.changed.emit)
        self.tray: QSystemTrayIcon | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check_later)
        self._seen: set[tuple[int, datetime]] = set()
        self._stopped = False
        self.found.connect(self._show)

    def start(self) -> None:
        """Look now (what fell due while crmdesk was closed) and every half minute."""
        self._stopped = False
        self.timer.start()
        QTimer.singleShot(0, self.check_later)

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()
        self.window.hide()

    def _due(self) -> list[Reminder] | None:
        now = self.clock() if self.clock else datetime.now(recurrence.local_zone())
        try:
            with self.db.reading() as s:
                return reminders.due_reminders(s, now)
        except Exception:  # the file went away under us: try again at the next tick
            return None

    def check_later(self) -> None:
        """Read what is due on the reader thread; the window follows when it answers."""
        from crmdesk.ui.tasks.worker import shared

        def job() -> None:
            if not self._stopped:
                due = self._due()
                if due is not None:
                    self.found.emit(due)

        shared("reader").submit(job)

    def check(self) -> list[Reminder]:
        """Read and show at once (the reminder window's own buttons, tests)."""
        due = self._due()
        if due is None:
            return []
        self._show(due)
        return due

    def _show(self, due: object) -> None:
        if self._stopped or not isinstance(due, list):
            return
        if not due:
            if self.window.isVisible():
                self.window.hide()
            return
        self.window.show_reminders(due)
        if not self.window.isVisible():
            self.window.show()
            self.window.raise_()
        fresh = [r for r in due if (r.activity_id, r.occurrence.start) not in self._seen]
        self._seen.update((r.activity_id, r.occurrence.start) for r in due)
        if fresh:
            self._tray_message(fresh)

    def _tray_message(self, fresh: list[Reminder]) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self.tray is None:
            app = QApplication.instance()
            icon = app.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation) \
                if isinstance(app, QApplication) else None
            self.tray = QSystemTrayIcon(self)
            if icon is not None:
                self.tray.setIcon(icon)
            self.tray.show()
        self.tray.showMessage(_("crmdesk reminder"), "\n".join(reminder_text(r)
                                                                for r in fresh[:3]))


