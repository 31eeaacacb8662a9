"""The agenda list and the task list: plain tables of occurrences (a range is a few
hundred rows; a year of a busy calendar a few thousand)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from crmdesk.core.activities.listing import Occurrence, is_overdue
from crmdesk.core.activities.yearly import YearlyDate
from crmdesk.core.i18n import _

OccRole = Qt.ItemDataRole.UserRole
OVERDUE = QColor("#c62828")


def priority_name(value: int) -> str:
    return {0: _("Low"), 1: _("Normal"), 2: _("High")}.get(value, "")


def when_text(occ: Occurrence) -> str:
    if occ.all_day:
        return occ.start.strftime("%Y-%m-%d") + "  " + _("all day")
    return occ.start.strftime("%Y-%m-%d  %H:%M")


def state_text(occ: Occurrence, now: datetime) -> str:
    if occ.state == "done":
        return _("Done") + (f": {occ.result}" if occ.result else "")
    if occ.state == "not_done":
        return _("Not done") + (f": {occ.result}" if occ.result else "")
    return _("Overdue") if is_overdue(occ, now) else ""


class OccurrenceList(QTreeWidget):
    """Occurrences one per row; Enter or a double-click opens one."""

    activated = Signal(object)
    selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setHeaderLabels([_("When"), _("Kind"), _("What"), _("With"), _("Priority"),
                              _("State")])
        self.itemActivated.connect(self._activated)
        self.currentItemChanged.connect(lambda item, _old: self.selected.emit(
            item.data(0, OccRole) if item is not None else None))

    def _activated(self, item: QTreeWidgetItem) -> None:
        occ = item.data(0, OccRole)
        if occ is not None:
            self.activated.emit(occ)

    def show_items(self, items: list[Occurrence], dates: list[YearlyDate],
                   now: datetime, *, keep_order: bool = False) -> None:
        current = self.current()
        self.clear()
        rows: list[tuple[str, QTreeWidgetItem]] = []
        for occ in items:
            item = QTreeWidgetItem([when_text(occ), occ.kind, occ.label(),
                                    ", ".join(occ.contact_names),
                                    priority_name(occ.priority),
                                    state_text(occ, now)])
            item.setData(0, OccRole, occ)
            if is_overdue(occ, now):
                for col in (0, 5):
                    item.setForeground(col, QBrush(OVERDUE))
            rows.append((occ.start.strftime("%Y-%m-%d %H:%M"), item))
        for y in dates:
            item = QTreeWidgetItem([y.day.isoformat() + "  " + _("all day"), "", y.text(), "",
                                    "", ""])
            item.setData(0, OccRole, None)
            rows.append((y.day.isoformat() + " 00:00", item))
        if not keep_order:
            rows.sort(key=lambda r: r[0])
        self.addTopLevelItems([item for _k, item in rows])
        for col in range(self.columnCount()):
            self.resizeColumnToContents(col)
        if current is not None:
            self.select_key(current.key)

    def current(self) -> Occurrence | None:
        item = self.currentItem()
        return item.data(0, OccRole) if item is not None else None

    def select_key(self, key: tuple[int, datetime | None]) -> None:
        for i in range(self.topLevelItemCount()):
            occ = self.topLevelItem(i).data(0, OccRole)
            if occ is not None and occ.key == key:
                self.setCurrentItem(self.topLevelItem(i))
                return

    def occurrences(self) -> list[Occurrence]:
        out = []
        for i in range(self.topLevelItemCount()):
            occ = self.topLevelItem(i).data(0, OccRole)
            if occ is not None:
                out.append(occ)
        return out

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current():
            self.activated.emit(self.current())
            return
        super().keyPressEvent(event)
