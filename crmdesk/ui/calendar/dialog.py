"""The activity dialog (new and edit), the recurrence editor, the scope question
for a series, and the Clear Activity dialog.

The dialog edits a copy (ActivityData) and the caller saves it through the
writer thread; it reads the lists it offers once, when it opens.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.activities import recurrence
from crmdesk.core.activities.records import ALL, THIS, THIS_AND_FOLLOWING, ActivityData
from crmdesk.core.activities.recurrence import WEEKDAYS, RuleParts, build_rule
from crmdesk.core.contacts.records import summaries
from crmdesk.core.i18n import _
from crmdesk.core.lists.choices import list_choices
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import ACTIVITY_KIND, OUTCOME


def reminder_choices() -> list[tuple[int | None, str]]:
    return [(None, _("No reminder")), (0, _("At the time")), (5, _("5 minutes before")),
            (15, _("15 minutes before")), (30, _("30 minutes before")),
            (60, _("1 hour before")), (120, _("2 hours before")), (60 * 24, _("1 day before")),
            (2 * 60 * 24, _("2 days before")), (7 * 60 * 24, _("1 week before"))]


def _qdt(value: datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day),
                     QTime(value.hour, value.minute))


def _py(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def _wall(value: datetime) -> datetime:
    return recurrence.to_wall(value, recurrence.local_zone())


class RecurrenceEditor(QWidget):
    """Repeat: never, daily, weekly on days, monthly by date or weekday, yearly; until
    a date or N times. A rule it cannot show (typed or imported) is kept as it is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kept = ""
        self.freq = QComboBox(self)
        self.freq.setObjectName("repeat")
        for key, text in (("", _("Does not repeat")), ("DAILY", _("Daily")),
                          ("WEEKLY", _("Weekly")), ("MONTHLY", _("Monthly")),
                          ("YEARLY", _("Yearly"))):
            self.freq.addItem(text, key)
        self.interval = QSpinBox(self)
        self.interval.setRange(1, 99)
        self.interval.setPrefix(_("every "))
        self.days = [QCheckBox(name, self) for name in
                     (_("Mo"), _("Tu"), _("We"), _("Th"), _("Fr"), _("Sa"), _("Su"))]
        self.by_date = QRadioButton(_("on the same date"), self)
        self.by_weekday = QRadioButton(_("on the same weekday (e.g. second Tuesday)"), self)
        self.by_date.setChecked(True)
        self.ends = QComboBox(self)
        self.ends.setObjectName("repeat_ends")
        self.ends.addItem(_("forever"), "never")
        self.ends.addItem(_("until"), "until")
        self.ends.addItem(_("times:"), "count")
        self.until = QDateEdit(self)
        self.until.setCalendarPopup(True)
        self.until.setDate(QDate.currentDate().addMonths(3))
        self.count = QSpinBox(self)
        self.count.setRange(1, 999)
        self.count.setValue(10)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        row1 = QHBoxLayout()
        row1.addWidget(self.freq)
        row1.addWidget(self.interval)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        for box in self.days:
            row2.addWidget(box)
        row2.addStretch(1)
        row3 = QHBoxLayout()
        row3.addWidget(self.by_date)
        row3.addWidget(self.by_weekday)
        row3.addStretch(1)
        row4 = QHBoxLayout()
        row4.addWidget(QLabel(_("Ends"), self))
        row4.addWidget(self.ends)
        row4.addWidget(self.until)
        row4.addWidget(self.count)
        row4.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for row in (row1, row2, row3, row4):
            layout.addLayout(row)
        layout.addWidget(self.summary)
        self.freq.currentIndexChanged.connect(self._update)
        self.ends.currentIndexChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        freq = self.freq.currentData()
        for box in self.days:
            box.setVisible(freq == "WEEKLY")
        self.by_date.setVisible(freq == "MONTHLY")
        self.by_weekday.setVisible(freq == "MONTHLY")
        self.interval.setVisible(bool(freq))
        self.ends.setVisible(bool(freq))
        self.until.setVisible(bool(freq) and self.ends.currentData() == "until")
        self.count.setVisible(bool(freq) and self.ends.currentData() == "count")
        self.summary.setVisible(bool(self.kept))

    def set_rule(self, rule: str) -> None:
        parts = recurrence.parse_rule_parts(rule)
        self.kept = ""
        if parts is None:
            self.freq.setCurrentIndex(0)
            if rule:
                self.kept = rule
                self.summary.setText(_("Repeats by a rule kept as it is: {rule}").format(
                    rule=rule))
            self._update()
            return
        self.freq.setCurrentIndex(self.freq.findData(parts.freq))
        self.interval.setValue(parts.interval)
        for code, box in zip(WEEKDAYS, self.days, strict=True):
            box.setChecked(code in parts.weekdays)
        (self.by_weekday if parts.monthly_by == "weekday" else self.by_date).setChecked(True)
        if parts.count is not None:
            self.ends.setCurrentIndex(2)
            self.count.setValue(parts.count)
        elif parts.until is not None:
            self.ends.setCurrentIndex(1)
            self.until.setDate(QDate(parts.until.year, parts.until.month, parts.until.day))
        else:
            self.ends.setCurrentIndex(0)
        self._update()

    def rule(self, start: datetime) -> str:
        freq = self.freq.currentData()
        if not freq:
            return self.kept
        ends = self.ends.currentData()
        d = self.until.date()
        parts = RuleParts(
            freq=freq, interval=self.interval.value(),
            weekdays=tuple(code for code, box in zip(WEEKDAYS, self.days, strict=True)
                           if box.isChecked()),
            monthly_by="weekday" if self.by_weekday.isChecked() else "date",
            count=self.count.value() if ends == "count" else None,
            until=date(d.year(), d.month(), d.day()) if ends == "until" else None)
        return build_rule(parts, start)


class ActivityDialog(QDialog):
    """New or edit: kind, title, when, all day, where, priority, who, reminder, repeat."""

    def __init__(self, db: Database, data: ActivityData, *, new: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(_("New Activity") if new else _("Edit Activity"))
        self.setObjectName("activity_dialog")
        with db.reading() as s:
            kinds = [c.name for c in list_choices(s, ACTIVITY_KIND)]
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        self.kind.setEditable(True)
        self.kind.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.kind.addItems(kinds)
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("title")
        self.start = QDateTimeEdit(self)
        self.start.setObjectName("start")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.end = QDateTimeEdit(self)
        self.end.setObjectName("end")
        self.end.setCalendarPopup(True)
        self.end.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.has_end = QCheckBox(_("Ends"), self)
        self.all_day = QCheckBox(_("All day"), self)
        self.all_day.setObjectName("all_day")
        self.location = QLineEdit(self)
        self.priority = QComboBox(self)
        for value, text in ((0, _("Low")), (1, _("Normal")), (2, _("High"))):
            self.priority.addItem(text, value)
        self.reminder = QComboBox(self)
        self.reminder.setObjectName("reminder")
        for value, text in reminder_choices():
            self.reminder.addItem(text, value)
        self.repeat = RecurrenceEditor(self)
        self.contacts_label = QLabel(self)
        self.contacts_label.setWordWrap(True)
        self.contacts_label.setTextFormat(Qt.TextFormat.PlainText)
        choose = QPushButton(_("Choose…"), self)
        choose.clicked.connect(self._choose_contacts)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(90)
        when = QHBoxLayout()
        when.addWidget(self.start)
        when.addWidget(self.has_end)
        when.addWidget(self.end)
        when.addWidget(self.all_day)
        who = QHBoxLayout()
        who.addWidget(self.contacts_label, 1)
        who.addWidget(choose)
        form = QFormLayout()
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Title"), self.title_edit)
        form.addRow(_("When"), when)
        form.addRow(_("Repeat"), self.repeat)
        form.addRow(_("With"), who)
        form.addRow(_("Location"), self.location)
        form.addRow(_("Priority"), self.priority)
        form.addRow(_("Reminder"), self.reminder)
        form.addRow(_("Notes"), self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.has_end.toggled.connect(self._sync)
        self.all_day.toggled.connect(self._sync)
        self.start.dateTimeChanged.connect(self._start_moved)
        self.data = data
        self._load(data)
        self.title_edit.setFocus()

    def _load(self, data: ActivityData) -> None:
        index = self.kind.findText(data.kind, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.kind.setCurrentIndex(index)
        else:
            self.kind.setEditText(data.kind)
        self.title_edit.setText(data.title)
        start = _wall(data.start)
        self.start.setDateTime(_qdt(start))
        self.has_end.setChecked(data.end is not None)
        self.end.setDateTime(_qdt(_wall(data.end) if data.end else start + timedelta(hours=1)))
        self.all_day.setChecked(data.all_day)
        self.location.setText(data.location)
        self.priority.setCurrentIndex(self.priority.findData(data.priority))
        found = self.reminder.findData(data.reminder_min)
        if found < 0 and data.reminder_min is not None:
            self.reminder.addItem(_("{n} minutes before").format(n=data.reminder_min),
                                  data.reminder_min)
            found = self.reminder.count() - 1
        self.reminder.setCurrentIndex(max(0, found))
        self.repeat.set_rule(data.rrule)
        self.contact_ids = list(data.contact_ids)
        self._show_contacts()
        self.notes.setPlainText(data.notes)
        self._sync()

    def _sync(self) -> None:
        all_day = self.all_day.isChecked()
        fmt = "yyyy-MM-dd" if all_day else "yyyy-MM-dd HH:mm"
        self.start.setDisplayFormat(fmt)
        self.end.setDisplayFormat(fmt)
        self.end.setEnabled(self.has_end.isChecked())

    def _start_moved(self, value: QDateTime) -> None:
        if self.end.dateTime() < value:
            self.end.setDateTime(value.addSecs(3600))

    def _show_contacts(self) -> None:
        if not self.contact_ids:
            self.contacts_label.setText(_("nobody"))
            return
        with self.db.reading() as s:
            names = [c.name for c in summaries(s, self.contact_ids)]
        self.contacts_label.setText(", ".join(names))

    def _choose_contacts(self) -> None:
        from crmdesk.ui.common.contact_picker import pick_contacts

        chosen = pick_contacts(self, self.db, self.contact_ids)
        if chosen is not None:
            self.contact_ids = chosen
            self._show_contacts()

    def result_data(self) -> ActivityData:
        start = _py(self.start.dateTime())
        all_day = self.all_day.isChecked()
        if all_day:
            start = datetime.combine(start.date(), time.min)
        end = _py(self.end.dateTime()) if self.has_end.isChecked() else None
        if end is not None and all_day:
            end = datetime.combine(end.date(), time.min)
        return replace(
            self.data, kind=self.kind.currentText().strip(), title=self.title_edit.text(),
            start=start, end=end, all_day=all_day, location=self.location.text(),
            priority=int(self.priority.currentData()),
            reminder_min=self.reminder.currentData(), rrule=self.repeat.rule(start),
            contact_ids=list(self.contact_ids), notes=self.notes.toPlainText())


def ask_scope(parent: QWidget, verb: str) -> str | None:
    """For a series: this occurrence, this and the following ones, or all? None: Cancel."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Repeating Activity"))
    box.setText(_("This activity repeats. {verb} which of them?").format(verb=verb))
    this = box.addButton(_("This One"), QMessageBox.ButtonRole.AcceptRole)
    following = box.addButton(_("This and Following"), QMessageBox.ButtonRole.AcceptRole)
    every = box.addButton(_("All"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(this)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    return {this: THIS, following: THIS_AND_FOLLOWING, every: ALL}.get(clicked)


class ClearDialog(QDialog):
    """Done or not done, a result, notes; and whether to plan the next step."""

    def __init__(self, db: Database, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Clear Activity"))
        self.setObjectName("clear_dialog")
        with db.reading() as s:
            outcomes = [c.name for c in list_choices(s, OUTCOME)]
        heading = QLabel(title, self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        self.done_radio = QRadioButton(_("Done"), self)
        self.done_radio.setChecked(True)
        self.not_done_radio = QRadioButton(_("Not done"), self)
        self.result = QComboBox(self)
        self.result.setObjectName("result")
        self.result.setEditable(True)
        self.result.addItem("")
        self.result.addItems(outcomes)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.follow = QCheckBox(_("Schedule the next step"), self)
        self.follow.setChecked(True)
        states = QHBoxLayout()
        states.addWidget(self.done_radio)
        states.addWidget(self.not_done_radio)
        states.addStretch(1)
        form = QFormLayout()
        form.addRow(heading)
        form.addRow(states)
        form.addRow(_("Result"), self.result)
        form.addRow(_("Notes"), self.notes)
        form.addRow(self.follow)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Clear"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
