"""The quick "Log interaction" dialog (Ctrl+L): a call noted in seconds, a mailing
to a whole selection, or an entry of the history put right later.

Logging only happens if it takes seconds, so the dialog opens with everything
already guessed (the kind used last time, now, outgoing) and the cursor in the
subject: type, Tab to the outcome, Enter. The rules are core.history's: its
errors are shown on the fields and nothing typed is lost; its warnings (a date
in the future: history is the past, the calendar is the future) show as the
user types and are asked about once more before saving.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QEvent, QLocale, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from crmdesk.core.contacts.records import summaries
from crmdesk.core.errors import CrmdeskError, Problem, ValidationError
from crmdesk.core.history.records import (
    InteractionData,
    LogResult,
    delete_interaction,
    get_interaction,
    last_kind,
    log_interaction,
    update_interaction,
    validate_interaction,
)
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.lists.choices import list_choices
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import INTERACTION_KIND, OUTCOME
from crmdesk.core.text.parsing import parse_date
from crmdesk.ui.common import dialogs, errors
from crmdesk.ui.common.form_sections import COLORS, ERROR, WARNING, ProblemsBanner, mark, when
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.tasks.writes import write

KIND_KEY = "history/last_kind"
NAMES_SHOWN = 3  # "Anna Smith, John Brown, Jonas Kazlauskas and 47 more"
CHECK_AFTER_MS = 250
LONGEST_CALL_MIN = 8 * 60  # longer is asked about before saving (a typo, most likely)
LONGEST_ENTRY_MIN = 12 * 60


def directions() -> list[tuple[str, str]]:
    """(stored value, what the user reads): the arrows match the timeline's."""
    return [("out", _("Outgoing →")), ("in", _("Incoming ←")), ("", _("—"))]


def contact_names(db: Database, ids: Sequence[int]) -> str:
    """A few names and how many more: enough to see whom the entry is about."""
    ids = list(dict.fromkeys(ids))
    with db.reading() as s:
        shown = [c.name or _("(no name)") for c in summaries(s, ids[:NAMES_SHOWN])]
    more = len(ids) - len(shown)
    text = ", ".join(shown)
    if more > 0:
        text = ngettext("{names} and {n} more", "{names} and {n} more", more).format(
            names=text, n=more)
    return text


def _to_qdatetime(value: datetime) -> QDateTime:
    local = value.astimezone() if value.tzinfo is not None else value
    return QDateTime(QDate(local.year, local.month, local.day),
                     QTime(local.hour, local.minute, local.second))


def _datetime_format() -> str:
    """The user's short date and time, always with a four-digit year."""
    fmt = QLocale().dateTimeFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in fmt:
        fmt = fmt.replace("yy", "yyyy")
    return fmt


def _dayfirst() -> bool:
    """Whether the user's own short date puts the day before the month."""
    fmt = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return fmt.find("d") < fmt.find("M")


# The time at the end of what was typed: "10:00", "9.30", "10:00:15", "2:30 PM".
_TIME = re.compile(r"(?:^|[\sT,]+)(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*([^\d\s:.,]+\.?))?$")


def parse_when(text: str) -> tuple[QDate, QTime] | None:
    """A day and a time as people type them, with whatever separators they use:
    "2026-12-20 10:00", "20.12.2026 10:00", "12/20/2026 10:00" (an ambiguous
    5/3/2026 is read the user's locale's way), "2026-12-20 2:30 PM"; None unless
    both the day and the time are there."""
    text = " ".join(text.split())
    m = _TIME.search(text)
    if m is None:
        return None
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    marker = (m[4] or "").replace(".", "").casefold()
    if marker:
        locale = QLocale()
        am = {"am", locale.amText().replace(".", "").casefold()}
        pm = {"pm", locale.pmText().replace(".", "").casefold()}
        if not 1 <= hour <= 12 or marker not in am | pm:
            return None
        hour = hour % 12 + (12 if marker in pm else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    day = parse_date(text[:m.start()].strip(" ,"), dayfirst=_dayfirst())
    if day is None:
        return None
    return QDate(day.year, day.month, day.day), QTime(hour, minute, second)


class _WhenEdit(QLineEdit):
    """The day and time of an entry, typed the way the user writes them.

    A line of text, not Qt's date-time box: that one reads only its own format,
    and takes a typed "-" or "/" for "next part", so "2026-12-20 10:00" went
    partly into the next field (the duration) and saved a call at the current
    time lasting 20 h 20 min. Here every separator stays in the field; Tab
    leaves it. ``dateTime()`` is invalid while the text is not a day and a time.
    """

    dateTimeChanged = Signal(QDateTime)  # noqa: N815 - the name QDateTimeEdit uses

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._format = _datetime_format()
        self._value = QDateTime()
        self._shown_text = ""
        example = QLocale().toString(QDateTime(QDate(2026, 12, 20), QTime(10, 0)), self._format)
        self.setPlaceholderText(example)
        self.setToolTip(_("The day and the time, as you write them: {example}, "
                          "2026-12-20 10:00 …").format(example=example))
        self.textChanged.connect(lambda *_a: self.dateTimeChanged.emit(self.dateTime()))

    def setDateTime(self, value: QDateTime) -> None:  # noqa: N802 - QDateTimeEdit's name
        self._value = QDateTime(value)
        self._shown_text = QLocale().toString(value, self._format)
        self.setText(self._shown_text)

    def dateTime(self) -> QDateTime:  # noqa: N802 - QDateTimeEdit's name
        """What the field says; the value set, to the second, while it is not edited."""
        if self.text() == self._shown_text:
            return QDateTime(self._value)
        typed = self.typed()
        return QDateTime(*typed) if typed is not None else QDateTime()

    def typed(self) -> tuple[QDate, QTime] | None:
        """The day and the time as typed (None while it is not one)."""
        if self.text() == self._shown_text and self._value.isValid():
            return self._value.date(), self._value.time()
        return parse_when(self.text())


class _ChoiceBox(QComboBox):
    """An editable drop-down of one user-kept list: pick an entry or type a new one."""

    def __init__(self, db: Database, kind: str, *, allow_empty: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        with db.reading() as s:
            self.names = [c.name for c in list_choices(s, kind)]
        if allow_empty:
            self.addItem("")
        self.addItems(self.names)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
        self.setCompleter(completer)

    def text(self) -> str:
        return self.currentText().strip()

    def set_text(self, text: str) -> None:
        index = next((i for i in range(self.count())
                      if self.itemText(i).casefold() == text.casefold()), -1)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setCurrentIndex(-1)
            self.setEditText(text)


class LogDialog(QDialog):
    """Log a new interaction for some contacts, or edit (or delete) a stored one."""

    # The core LogResult of a save or a delete.
    logged = Signal(object)

    def __init__(self, db: Database, settings: UiSettings, parent: QWidget | None = None, *,
                 contact_ids: Sequence[int] = (), interaction_id: int | None = None,
                 company_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logDialog")
        self.db = db
        self.settings = settings
        self.interaction_id = interaction_id
        self.contact_ids = list(dict.fromkeys(contact_ids))
        # A new entry logged from a company's History tab belongs to that company,
        # whichever company the chosen contacts are at (None: the first contact's).
        self.company_id = company_id
        self.result_value: LogResult | None = None
        self._original: InteractionData | None = None
        self._shown_at: QDateTime | None = None
        self._tried = False
        self._problems: list[Problem] = []
        if interaction_id is not None:
            with db.reading() as s:
                self._original = get_interaction(s, interaction_id)
            self.contact_ids = list(self._original.contact_ids)
        self.setWindowTitle(_("Edit Interaction") if self.editing else _("Log Interaction"))
        self._build()
        self._fill()
        self._timer = QTimer(self, singleShot=True, interval=CHECK_AFTER_MS)
        self._timer.timeout.connect(self.check_now)
        for signal in (self.kind.editTextChanged, self.when.dateTimeChanged,
                       self.subject.textChanged, self.duration.valueChanged,
                       self.outcome.editTextChanged):
            signal.connect(lambda *_a: self._timer.start())
        self.check_now()
        self.subject.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def editing(self) -> bool:
        return self.interaction_id is not None

    def choose_contacts(self) -> None:
        """Add or remove the people this entry is about (a search with ticks)."""
        from crmdesk.ui.common.contact_picker import pick_contacts

        chosen = pick_contacts(self, self.db, self.contact_ids)
        if chosen is None:
            return
        self.contact_ids = chosen
        self.about.setText(contact_names(self.db, chosen) or _("nobody yet"))
        self.each.setVisible(not self.editing and len(chosen) > 1)
        self._timer.start()

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = ProblemsBanner(self)
        self.banner.problem_clicked.connect(self._go_to_problem)
        self.about = QLabel(contact_names(self.db, self.contact_ids) or _("nobody yet"), self)
        self.about.setObjectName("about")
        self.about.setWordWrap(True)
        self.about.setTextFormat(Qt.TextFormat.PlainText)
        self.each = QCheckBox(_("A separate entry for each contact"), self)
        self.each.setToolTip(_("On: every contact gets an entry of their own (a mailing). "
                               "Off: one entry with all of them (a meeting)."))
        self.each.setObjectName("each")
        self.each.setChecked(True)
        self.each.setVisible(not self.editing and len(self.contact_ids) > 1)
        self.choose_button = QPushButton(_("C&hoose…"), self)
        self.choose_button.setObjectName("choose_contacts")
        self.choose_button.setAutoDefault(False)
        self.choose_button.setToolTip(_("Choose whom this was with"))
        self.choose_button.clicked.connect(self.choose_contacts)

        self.kind = _ChoiceBox(self.db, INTERACTION_KIND, allow_empty=False, parent=self)
        self.kind.setObjectName("kind")
        self.direction = QComboBox(self)
        self.direction.setObjectName("direction")
        for value, text in directions():
            self.direction.addItem(text, value)
        self.when = _WhenEdit(self)
        self.when.setObjectName("when")
        self.duration = QSpinBox(self)
        self.duration.setObjectName("duration")
        self.duration.setRange(0, 24 * 60 * 7)
        self.duration.setSuffix(" " + _("min"))
        self.duration.setSpecialValueText(_("—"))
        self.duration.setToolTip(_("How long it took, in minutes (leave at — if it "
                                   "does not matter)"))
        self.subject = QLineEdit(self)
        self.subject.setObjectName("subject")
        self.subject.setPlaceholderText(_("What it was about, in a few words"))
        self.outcome = _ChoiceBox(self.db, OUTCOME, allow_empty=True, parent=self)
        self.outcome.setObjectName("outcome")
        self.outcome.lineEdit().setPlaceholderText(_("Reached, left message, no answer…"))
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("details")
        self.details.setTabChangesFocus(True)  # keyboard-only: Tab moves on
        self.details.setPlaceholderText(_("What was said and agreed (Ctrl+Enter saves)"))
        self.details.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.details.installEventFilter(self)

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip(_("Save (Enter; Ctrl+Enter in the details)"))
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.delete_button = QPushButton(_("Delete…"), self)
        self.delete_button.setAutoDefault(False)
        self.delete_button.clicked.connect(self.delete)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.setVisible(self.editing)  # after addButton, which shows it
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.save)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        about = QVBoxLayout()
        about.setSpacing(2)
        about_line = QHBoxLayout()
        about_line.addWidget(self.about, 1)
        about_line.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignTop)
        about.addLayout(about_line)
        about.addWidget(self.each)
        form.addRow(_("About"), about)
        form.addRow(self._label(_("&Kind"), self.kind),
                    self._pair(self.kind, _("Di&rection"), self.direction))
        form.addRow(self._label(_("&When"), self.when),
                    self._pair(self.when, _("D&uration"), self.duration))
        self.future_note = QLabel(self)
        self.future_note.setWordWrap(True)
        self.future_note.setStyleSheet(f"color: {COLORS[WARNING]};")
        self.future_note.setObjectName("futureNote")
        self.future_note.hide()
        form.addRow("", self.future_note)
        form.addRow(self._label(_("&Subject"), self.subject), self.subject)
        form.addRow(self._label(_("Ou&tcome"), self.outcome), self.outcome)
        form.addRow(self._label(_("&Details"), self.details), self.details)
        from crmdesk.ui.calendar.follow_up import FollowUpBox

        self.follow_up = FollowUpBox(self)
        if self.interaction_id is None:
            form.addRow(self._label(_("&Follow up"), self.follow_up), self.follow_up)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form, 1)
        layout.addWidget(buttons)
        order = [self.choose_button, self.each, self.kind, self.direction, self.when, self.duration, self.subject,
                 self.outcome, self.details, self.save_button, self.cancel_button,
                 self.delete_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.resize(560, 440)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _pair(self, first: QWidget, text: str, second: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(first, 1)
        row.addSpacing(12)
        row.addWidget(self._label(text, second))
        row.addWidget(second)
        return row

    def _fill(self) -> None:
        data = self._original
        if data is None:
            remembered = self.settings.text(KIND_KEY)
            if remembered.casefold() not in {n.casefold() for n in self.kind.names}:
                with self.db.reading() as s:
                    remembered = last_kind(s)
            self.kind.set_text(remembered)
            self.direction.setCurrentIndex(0)
            now = QDateTime.currentDateTime()
            self.when.setDateTime(QDateTime(now.date(), QTime(now.time().hour(),
                                                              now.time().minute())))
            self._shown_at = self.when.dateTime()
            return
        self.kind.set_text(data.kind)
        index = self.direction.findData(data.direction)
        self.direction.setCurrentIndex(max(index, 0))
        if data.at is not None:
            self.when.setDateTime(_to_qdatetime(data.at))
        self._shown_at = self.when.dateTime()
        self.duration.setValue(data.duration_min or 0)
        self.subject.setText(data.subject)
        self.outcome.set_text(data.outcome)
        self.details.setPlainText(data.details)

    # -- reading -----------------------------------------------------------------------------
    def data(self) -> InteractionData:
        """What the widgets say, as the core takes it."""
        at: datetime | None
        if not self.when.dateTime().isValid() or self.when.dateTime() == self._shown_at:
            # Not touched: an edited entry keeps its time to the second; a new one
            # is "now" when saved (not the minute the dialog opened: it sorts last).
            # Text that is not a date yet changes nothing: saving is refused for it.
            at = self._original.at if self._original is not None else None
        else:
            at = self.when.dateTime().toPython().astimezone()  # local wall time, made aware
        return InteractionData(
            kind=self.kind.text(),
            subject=self.subject.text(),
            at=at,
            direction=str(self.direction.currentData() or ""),
            duration_min=self.duration.value() or None,
            outcome=self.outcome.text(),
            details=self.details.toPlainText(),
            contact_ids=list(self.contact_ids),
            company_id=(self._original.company_id if self._original is not None
                        else self.company_id),
        )

    # -- checking ------------------------------------------------------------------------------
    def check_now(self) -> list[Problem]:
        """Warnings as the user types; errors too once a save was refused."""
        self._timer.stop()
        try:
            problems = [Problem("at", w, severity=WARNING)
                        for w in validate_interaction(self.data())]
        except ValidationError as exc:
            problems = list(exc.problems) if self._tried else []
        if self._tried:
            problems = self._when_errors() + problems
        problems += self._doubts()
        self._show(problems)
        return problems

    def _when_errors(self) -> list[Problem]:
        """The When text when it is not a day and a time."""
        if self.when.dateTime().isValid():
            return []
        return [Problem("at", _("Type the day and the time, as {example}").format(
            example=self.when.placeholderText()), severity=ERROR)]

    def _doubts(self) -> list[Problem]:
        """What is probably a typo, asked about before saving: a time that is not the
        one typed (the clock moved that night), or an unlikely long duration."""
        doubts = []
        typed, value = self.when.typed(), self.when.dateTime()
        if typed is not None and value.isValid() and (value.date(), value.time()) != typed:
            doubts.append(Problem("at", _(
                "{typed} does not exist on this computer's clock (it changed that "
                "night); it would be saved as {saved}").format(
                    typed=typed[1].toString("HH:mm"), saved=value.time().toString("HH:mm")),
                severity=WARNING))
        minutes = self.duration.value()
        is_call = self.kind.text().casefold() in {"call", _("Call").casefold()}
        longest = LONGEST_CALL_MIN if is_call else LONGEST_ENTRY_MIN
        if minutes > longest:
            doubts.append(Problem("duration", _(
                "{kind} lasting {hours} h {minutes} min?").format(
                    kind=self.kind.text() or _("An entry"), hours=minutes // 60,
                    minutes=minutes % 60), severity=WARNING))
        return doubts

    def widget_for(self, problem: Problem) -> QWidget:
        field = problem.field
        if field in ("at", "when", "date"):
            return self.when
        if field.startswith("duration"):
            return self.duration
        if field.startswith("contact"):
            return self.choose_button
        return {"kind": self.kind, "subject": self.subject, "outcome": self.outcome,
                "direction": self.direction, "details": self.details}.get(field, self.subject)

    def _show(self, problems: list[Problem]) -> None:
        for widget in (self.kind, self.direction, self.when, self.duration, self.subject,
                       self.outcome, self.details, self.about):
            mark(widget, None)
        problems = sorted(problems, key=lambda p: p.severity != ERROR)
        self._problems = problems
        marks: dict[int, tuple[QWidget, str, list[str]]] = {}
        for p in problems:
            widget = self.widget_for(p)
            _w, severity, messages = marks.get(id(widget), (widget, p.severity, []))
            marks[id(widget)] = (widget, ERROR if p.severity == ERROR else severity,
                                 [*messages, p.message])
        for widget, severity, messages in marks.values():
            mark(widget, severity, "\n".join(messages))
        errors_ = [p for p in problems if p.severity == ERROR]
        warnings = [p.message for p in problems if p.severity != ERROR]
        # Errors go in the banner; a warning about the date sits under the date.
        self.banner.show_problems(errors_)
        self.future_note.setText("\n".join(warnings))
        self.future_note.setVisible(bool(warnings))

    def _go_to_problem(self, index: int) -> None:
        errors_ = [p for p in self._problems if p.severity == ERROR]
        if 0 <= index < len(errors_):
            self.widget_for(errors_[index]).setFocus(Qt.FocusReason.OtherFocusReason)

    def problems(self) -> list[Problem]:
        return list(self._problems)

    # -- saving, deleting ----------------------------------------------------------------------
    def save(self) -> LogResult | None:
        """Save and close; None (the dialog stays, with the reason shown) when it cannot."""
        self._timer.stop()
        self._tried = True
        data = self.data()
        when_errors = self._when_errors()
        try:
            warnings = validate_interaction(data)
        except ValidationError as exc:
            self._refused(when_errors + list(exc.problems))
            return None
        if when_errors:
            self._refused(when_errors)
            return None
        doubts = self._doubts()
        self._show([Problem("at", w, severity=WARNING) for w in warnings] + doubts)
        if (warnings or doubts) and not dialogs.confirm(
                self, self.windowTitle(), "\n".join([*warnings, *(d.message for d in doubts)]),
                _("Save Anyway"),
                informative=_("Plans belong in the calendar; the history is what "
                              "has happened.") if warnings else ""):
            first = self.when if warnings else self.widget_for(doubts[0])
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        try:
            interaction_id = self.interaction_id
            each = len(self.contact_ids) > 1 and self.each.isChecked()

            follow_day = self.follow_up.day(date.today()) if interaction_id is None else None

            def unit(s: Session) -> LogResult:
                if interaction_id is not None:
                    return update_interaction(s, interaction_id, data)
                logged = log_interaction(s, data, each=each)
                if follow_day is not None:  # a call in the calendar (calendar/follow_up.py)
                    from crmdesk.core.activities.records import schedule_follow_up

                    schedule_follow_up(s, data.contact_ids, data.subject, follow_day)
                return logged

            result = write(self.db, unit)
        except ValidationError as exc:
            self._refused(exc.problems)
            return None
        except CrmdeskError as exc:
            errors.show_error(self, exc, title=_("Not saved"))
            return None
        if data.kind:
            self.settings.set_text(KIND_KEY, data.kind)
        self.result_value = result
        self.logged.emit(result)
        self.accept()
        return result

    def _refused(self, problems: list[Problem]) -> None:
        self._show(list(problems))
        first = next((p for p in self._problems if p.severity == ERROR), None)
        if first is not None:
            self.widget_for(first).setFocus(Qt.FocusReason.OtherFocusReason)

    def delete(self) -> LogResult | None:
        if self.interaction_id is None:
            return None
        result = confirm_delete_interaction(self, self.db, self.interaction_id)
        if result is not None:
            self.result_value = result
            self.logged.emit(result)
            self.accept()
        return result

    # -- keys ----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Enter in the details saves (Enter alone starts a new line there)."""
        if watched is self.details and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                    and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
                self.save()
                return True
        return super().eventFilter(watched, event)


def log_interaction_dialog(parent: QWidget | None, db: Database, settings: UiSettings, *,
                           contact_ids: Sequence[int] = (),
                           interaction_id: int | None = None,
                           company_id: int | None = None) -> LogResult | None:
    """Run the dialog modally: the LogResult of what was saved (or deleted), or None."""
    try:
        dialog = LogDialog(db, settings, parent, contact_ids=contact_ids,
                           interaction_id=interaction_id, company_id=company_id)
    except CrmdeskError as exc:  # the entry was deleted meanwhile, say
        errors.show_error(parent, exc)
        return None
    try:
        dialog.exec()
        return dialog.result_value
    finally:
        dialog.deleteLater()


def describe_entry(data: InteractionData) -> str:
    """"Call on 3/4/2026 14:05: Prices for spring", for a question about the entry."""
    text = _("{kind} on {when}").format(kind=data.kind or _("Entry"),
                                         when=when(data.at) if data.at else "")
    return _("{entry}: {subject}").format(entry=text, subject=data.subject) \
        if data.subject.strip() else text


def confirm_delete_interaction(parent: QWidget | None, db: Database,
                               interaction_id: int) -> LogResult | None:
    """Ask, then delete one entry of the history; None when cancelled or refused."""
    try:
        with db.reading() as s:
            data = get_interaction(s, interaction_id)
        n = len(data.contact_ids)
        if not dialogs.confirm(
                parent, _("Delete Entry"),
                _("Delete this entry of the history?"), _("Delete"),
                informative=describe_entry(data) + "\n\n" + ngettext(
                    "It is gone for the contact it is about, too.",
                    "It is gone for all {n} contacts it is about.", n).format(n=n),
                destructive=True):
            return None
        result: LogResult = write(db, lambda s: delete_interaction(s, interaction_id))
        return result
    except CrmdeskError as exc:
        errors.show_error(parent, exc, title=_("Not deleted"))
        return None
