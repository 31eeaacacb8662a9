"""The "follow up" choice of the Log Interaction dialog: tomorrow, in 3 days, next
week, in a month, in 2 months, or a picked date; saved as a call in the calendar
in the same unit of work as the history entry."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.activities.records import follow_up_date
from crmdesk.core.i18n import _

PICK = "pick"


class FollowUpBox(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("follow_up")
        self.picked: date | None = None
        for key, text in (("", _("No follow-up")), ("tomorrow", _("Tomorrow")),
                          ("3days", _("In 3 days")), ("week", _("Next week")),
                          ("month", _("In a month")), ("2months", _("In 2 months")),
                          (PICK, _("Pick a date…"))):
            self.addItem(text, key)
        self.activated.connect(self._chosen)

    def _chosen(self, index: int) -> None:
        if self.itemData(index) != PICK:
            return
        day = pick_date(self, self.picked or date.today())
        if day is None:
            self.setCurrentIndex(0)
            return
        self.picked = day
        self.setItemText(index, _("On {day}").format(day=day.isoformat()))

    def day(self, today: date) -> date | None:
        """The follow-up's day, None for none."""
        key = self.currentData()
        if not key:
            return None
        if key == PICK:
            return self.picked
        return follow_up_date(key, today)


def pick_date(parent: QWidget, start: date) -> date | None:
    dialog = QDialog(parent)
    dialog.setWindowTitle(_("Follow Up On"))
    calendar = QCalendarWidget(dialog)
    calendar.setSelectedDate(QDate(start.year, start.month, start.day))
    calendar.setMinimumDate(QDate.currentDate())
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    calendar.activated.connect(lambda _d: dialog.accept())
    layout = QVBoxLayout(dialog)
    layout.addWidget(calendar)
    layout.addWidget(buttons)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        d = calendar.selectedDate()
        return date(d.year(), d.month(), d.day())
    finally:
        dialog.deleteLater()
