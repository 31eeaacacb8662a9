"""The agenda, the task list and the overview's list: tables of occurrences and
yearly dates.

A model and a view, not a QTreeWidget: a month of agenda at 100,000 contacts is
ten thousand rows (two hundred birthdays a day), and the agenda grows by a month
at a time as one scrolls. A row is formatted only when Qt paints it, and more
rows are appended (``append_items``) without touching those shown; filling a
QTreeWidget with ten thousand items took the GUI thread about 200 ms.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from crmdesk.core.activities.listing import Occurrence, is_overdue
from crmdesk.core.activities.yearly import YearlyDate
from crmdesk.core.i18n import _

OccRole = Qt.ItemDataRole.UserRole
OVERDUE = QColor("#c62828")
SAMPLE_ROWS = 60  # rows measured for the columns' widths: about a screenful
MAX_WIDTH = 360  # a column no wider (long titles are cut; the last column stretches)
Row = Occurrence | YearlyDate
_Index = QModelIndex | QPersistentModelIndex


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


def merged(items: list[Occurrence], dates: list[YearlyDate]) -> list[Row]:
    """Occurrences and yearly dates in one time order (a day's dates at its midnight,
    after the activities that start then); both lists come sorted."""
    keyed: list[tuple[str, int, Row]] = [
        (o.start.strftime("%Y-%m-%d %H:%M"), 0, o) for o in items]
    keyed += [(y.day.isoformat() + " 00:00", 1, y) for y in dates]
    keyed.sort(key=lambda k: (k[0], k[1]))  # stable: each list keeps its own order
    return [row for _k, _n, row in keyed]


class OccurrenceModel(QAbstractTableModel):
    """Rows of occurrences and yearly dates, formatted when asked for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self.now = datetime.now().astimezone()
        self.headers = [_("When"), _("Kind"), _("What"), _("With"), _("Priority"),
                        _("State")]

    def set_rows(self, rows: list[Row], now: datetime) -> None:
        self.beginResetModel()
        self.rows, self.now = rows, now
        self.endResetModel()

    def append_rows(self, rows: list[Row]) -> None:
        if not rows:
            return
        at = len(self.rows)
        self.beginInsertRows(QModelIndex(), at, at + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None

    def text(self, row: int, column: int) -> str:
        item = self.rows[row]
        if isinstance(item, YearlyDate):
            return {0: item.day.isoformat() + "  " + _("all day"), 2: item.text()}.get(column,
                                                                                     "")
        if column == 0:
            return when_text(item)
        if column == 1:
            return item.kind
        if column == 2:
            return item.label()
        if column == 3:
            return ", ".join(item.contact_names)
        if column == 4:
            return priority_name(item.priority)
        return state_text(item, self.now)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == OccRole:
            item = self.rows[index.row()]
            return item if isinstance(item, Occurrence) else None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in (0, 5):
            item = self.rows[index.row()]
            if isinstance(item, Occurrence) and is_overdue(item, self.now):
                return QBrush(OVERDUE)
        return None


class OccurrenceList(QTreeView):
    """Occurrences one per row; Enter or a double-click opens one."""

    activated = Signal(object)
    selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setItemsExpandable(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_model = OccurrenceModel(self)
        self.setModel(self.list_model)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.header().setStretchLastSection(True)
        self.doubleClicked.connect(self._activated)
        self.selectionModel().currentRowChanged.connect(
            lambda current, _old: self.selected.emit(self._occ(current)))

    def _occ(self, index: QModelIndex) -> Occurrence | None:
        value = self.list_model.data(index, OccRole) if index.isValid() else None
        return value if isinstance(value, Occurrence) else None

    def _activated(self, index: QModelIndex) -> None:
        occ = self._occ(index)
        if occ is not None:
            self.activated.emit(occ)

    def show_items(self, items: list[Occurrence], dates: list[YearlyDate],
                   now: datetime, *, keep_order: bool = False) -> None:
        """Show ``items`` and ``dates`` (merged in time order unless ``keep_order``: then
        the items as given, the dates after them)."""
        current = self.current()
        rows: list[Row] = [*items, *dates] if keep_order else merged(items, dates)
        self.list_model.set_rows(rows, now)
        self._size_columns(0, grow=False)
        if current is not None:
            self.select_key(current.key)

    def append_items(self, items: list[Occurrence], dates: list[YearlyDate]) -> None:
        """Add later rows below (the agenda's next days): what is shown stays put."""
        at = self.list_model.rowCount()
        self.list_model.append_rows(merged(items, dates))
        self._size_columns(at, grow=True)

    def _size_columns(self, first: int, *, grow: bool) -> None:
        """Widths from a screenful of rows from ``first`` (resizeColumnToContents would
        measure every row of a long agenda); ``grow``: only ever wider (appended rows)."""
        count = min(SAMPLE_ROWS, self.list_model.rowCount() - first)
        metrics = self.fontMetrics()
        for column in range(self.list_model.columnCount() - 1):
            texts = [self.list_model.headers[column]] + [
                self.list_model.text(first + i, column) for i in range(count)]
            width = min(MAX_WIDTH, max(metrics.horizontalAdvance(t) for t in texts) + 24)
            if not grow or width > self.columnWidth(column):
                self.setColumnWidth(column, width)

    # -- what tests and the view read ------------------------------------------------
    def row_count(self) -> int:
        return self.list_model.rowCount()

    def texts(self, column: int) -> list[str]:
        """Every row's text in ``column``, as shown."""
        return [self.list_model.text(i, column) for i in range(self.row_count())]

    def rows(self) -> list[Row]:
        return list(self.list_model.rows)

    def current(self) -> Occurrence | None:
        return self._occ(self.currentIndex())

    def select_key(self, key: tuple[int, datetime | None]) -> None:
        for i, row in enumerate(self.list_model.rows):
            if isinstance(row, Occurrence) and row.key == key:
                self.setCurrentIndex(self.list_model.index(i, 0))
                return

    def occurrences(self) -> list[Occurrence]:
        return [r for r in self.list_model.rows if isinstance(r, Occurrence)]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current():
            self.activated.emit(self.current())
            return
        super().keyPressEvent(event)
