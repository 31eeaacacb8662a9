"""The History view's filter bar: a period, a kind, an outcome.

The text part of the filter is the main window's search box (as in every
view), so this bar only holds what the search box cannot say. A period is
picked from presets people think in (this week, last month ...), or typed as
From/To dates; touching a date makes the period "Custom". Presets are words
of the lookup language (core.daterange), so "This week" here and
``at:this-week`` in a lookup are the same seven days, and they are worked
out again from today's date whenever the view is shown, so a window left open
overnight does not keep showing yesterday as "Today".

The default period is "Last 30 days": the History view answers "what has
been going on lately", newest first; the count in the status bar
("12 of 4,312 entries") says there is more, and "All time" is one click away.
At a million entries it also keeps the first look instant. The period the
user picked last is remembered (QSettings).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from crmdesk.core.history.records import HistoryFilter
from crmdesk.core.i18n import _
from crmdesk.core.lists import choices
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import INTERACTION_KIND, OUTCOME
from crmdesk.core.text.dateranges import parse_date_range
from crmdesk.ui.common.flow_layout import FlowLayout
from crmdesk.ui.common.settings import UiSettings

ALL_TIME = "all"
CUSTOM = "custom"
DEFAULT_PERIOD = "last-30-days"
# (key: a lookup-language date word, or ALL_TIME / CUSTOM; title)
PERIODS: list[tuple[str, object]] = [
    ("today", lambda: _("Today")),
    ("this-week", lambda: _("This week")),
    ("this-month", lambda: _("This month")),
    ("last-month", lambda: _("Last month")),
    ("last-30-days", lambda: _("Last 30 days")),
    ("this-year", lambda: _("This year")),
    (ALL_TIME, lambda: _("All time")),
    (CUSTOM, lambda: _("Custom")),
]
_NO_DATE = QDate(1900, 1, 1)  # the date edits' minimum: shown as "—", no limit


def period_range(key: str, today: date) -> tuple[date | None, date | None]:
    """The first and last day of a preset (None, None: all time)."""
    if key in (ALL_TIME, CUSTOM):
        return None, None
    rng = parse_date_range(key, today)
    return (rng.start, rng.end) if rng is not None else (None, None)


def _qdate(day: date | None) -> QDate:
    return QDate(day.year, day.month, day.day) if day is not None else _NO_DATE


def _pydate(qdate: QDate) -> date | None:
    if not qdate.isValid() or qdate <= _NO_DATE:
        return None
    return date(qdate.year(), qdate.month(), qdate.day())


class HistoryFilterBar(QWidget):
    """Period (preset + From/To), kind and outcome; says when any of them changed.

    Its groups wrap onto a second line on a narrow window (flow_layout.py); the
    view adds its buttons as one more group.
    """

    # Ask filter() for the new values. (No arguments: see views.py.)
    filter_changed = Signal()

    def __init__(self, db: Database, settings: UiSettings, parent: QWidget | None = None,
                 *, today: date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self._today = today  # tests pin the day; None: the clock
        self.period = QComboBox()
        self.period.setObjectName("history_period")
        for key, title in PERIODS:
            self.period.addItem(title(), key)  # type: ignore[operator]
        self.period.setToolTip(_("Which entries to show, by date"))
        self.from_edit = self._date_edit("history_from", _("From this day (included)"))
        self.to_edit = self._date_edit("history_to", _("To this day (included)"))
        self.kind = QComboBox()
        self.kind.setObjectName("history_kind")
        self.kind.setToolTip(_("Only entries of this kind"))
        self.outcome = QComboBox()
        self.outcome.setObjectName("history_outcome")
        self.outcome.setToolTip(_("Only entries with this outcome"))
        for combo in (self.kind, self.outcome):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(10)

        self.flow = FlowLayout(self)
        self.flow.setContentsMargins(8, 6, 8, 6)
        period_label = QLabel(_("&Period:"))
        period_label.setBuddy(self.period)
        kind_label = QLabel(_("&Kind:"))
        kind_label.setBuddy(self.kind)
        outcome_label = QLabel(_("O&utcome:"))
        outcome_label.setBuddy(self.outcome)
        self.add_group(period_label, self.period, self.from_edit, QLabel("–"), self.to_edit)
        self.add_group(kind_label, self.kind)
        self.add_group(outcome_label, self.outcome)

        self.reload_lists()
        saved = str(settings.qsettings.value("history/period", DEFAULT_PERIOD) or "")
        if self.period.findData(saved) < 0:
            saved = DEFAULT_PERIOD
        self._custom = (self._saved_date("history/since"), self._saved_date("history/until"))
        self.set_period(saved, emit=False)

        self.period.currentIndexChanged.connect(
            lambda _i: self.set_period(str(self.period.currentData())))
        self.from_edit.dateChanged.connect(lambda _d: self._dates_edited())
        self.to_edit.dateChanged.connect(lambda _d: self._dates_edited())
        self.kind.currentIndexChanged.connect(lambda _i: self.filter_changed.emit())
        self.outcome.currentIndexChanged.connect(lambda _i: self.filter_changed.emit())

    def add_group(self, *widgets: QWidget) -> QWidget:
        """Widgets that stay together on one line when the bar wraps."""
        group = QWidget()
        row = QHBoxLayout(group)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for widget in widgets:
            row.addWidget(widget)
        self.flow.addWidget(group)
        return group

    def _date_edit(self, name: str, tip: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setMinimumDate(_NO_DATE)
        edit.setSpecialValueText("—")  # the minimum: no limit on that side
        edit.setToolTip(tip)
        return edit

    def today(self) -> date:
        return self._today or date.today()

    # -- the period ------------------------------------------------------------------
    def period_key(self) -> str:
        return str(self.period.currentData())

    def set_period(self, key: str, *, emit: bool = True) -> None:
        """Pick a preset; its days go into From/To (worked out from today)."""
        index = self.period.findData(key)
        if index < 0:
            return
        self.period.blockSignals(True)
        self.period.setCurrentIndex(index)
        self.period.blockSignals(False)
        if key == CUSTOM:
            since, until = self._custom
            if since is None and until is None:
                since, until = period_range(DEFAULT_PERIOD, self.today())
        else:
            since, until = period_range(key, self.today())
        self._show_dates(since, until)
        self.settings.qsettings.setValue("history/period", key)
        if emit:
            self.filter_changed.emit()

    def set_dates(self, since: date | None, until: date | None) -> None:
        """A custom period, as if typed into From and To."""
        self._show_dates(since, until)
        self._dates_edited()

    def _show_dates(self, since: date | None, until: date | None) -> None:
        for edit, day in ((self.from_edit, since), (self.to_edit, until)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)

    def _dates_edited(self) -> None:
        self._custom = (_pydate(self.from_edit.date()), _pydate(self.to_edit.date()))
        for key, day in zip(("history/since", "history/until"), self._custom, strict=True):
            self.settings.qsettings.setValue(key, day.isoformat() if day else "")
        if self.period_key() != CUSTOM:
            self.period.blockSignals(True)
            self.period.setCurrentIndex(self.period.findData(CUSTOM))
            self.period.blockSignals(False)
            self.settings.qsettings.setValue("history/period", CUSTOM)
        self.filter_changed.emit()

    def _saved_date(self, key: str) -> date | None:
        try:
            return date.fromisoformat(str(self.settings.qsettings.value(key, "") or ""))
        except ValueError:
            return None

    def catch_up(self) -> None:
        """Shown again: a preset means its days as of now (the date may have changed)."""
        key = self.period_key()
        if key != CUSTOM:
            since, until = period_range(key, self.today())
            if (since, until) != (_pydate(self.from_edit.date()), _pydate(self.to_edit.date())):
                self._show_dates(since, until)

    # -- kinds and outcomes --------------------------------------------------------------
    def reload_lists(self) -> None:
        """The kinds and outcomes as the user has them now (they edit these lists)."""
        with self.db.reading() as session:
            kinds = [c.name for c in choices.list_choices(session, INTERACTION_KIND)]
            outcomes = [c.name for c in choices.list_choices(session, OUTCOME)]
        self._fill(self.kind, _("All kinds"), kinds)
        self._fill(self.outcome, _("All outcomes"), outcomes)

    @staticmethod
    def _fill(combo: QComboBox, everything: str, names: list[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, "")
        for name in names:
            combo.addItem(name, name)
        index = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def set_kind(self, name: str) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(name), 0))

    def set_outcome(self, name: str) -> None:
        self.outcome.setCurrentIndex(max(self.outcome.findData(name), 0))

    # -- the answer ------------------------------------------------------------------------
    def filter(self, text: str = "") -> HistoryFilter:
        kind = str(self.kind.currentData() or "")
        outcome = str(self.outcome.currentData() or "")
        return HistoryFilter(since=_pydate(self.from_edit.date()),
                             until=_pydate(self.to_edit.date()),
                             kinds=[kind] if kind else [], outcomes=[outcome] if outcome else [],
                             text=text)
