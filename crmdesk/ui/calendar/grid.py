"""The day and week hour grid and the month grid, painted, with drag to move.

Painted rather than built of widgets: a busy week is a few hundred boxes and
repaints on every drag step. Occurrences that overlap in a day share its width
side by side (lanes), as every desktop calendar shows them. A drag snaps to a
quarter of an hour and moves by whole days sideways; letting go emits
``moved`` and the view writes it (the grid never writes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from crmdesk.core.activities.listing import Occurrence, is_overdue
from crmdesk.core.activities.yearly import YearlyDate
from crmdesk.core.i18n import _

HOUR = 44  # pixels per hour
GUTTER = 52  # the hours' column
HEADER = 26  # the days' names
ALLDAY_ROW = 20
ALLDAY_MAX = 5  # all-day rows a day shows at most; the last says "+N more" if need be
SNAP = 15  # minutes

PALETTE = {  # by kind's position in no particular order: calm, readable with black text
    "call": QColor("#cfe3ff"), "meeting": QColor("#d9f2d0"), "to-do": QColor("#fff0c2"),
}
OTHER = QColor("#ead9f7")
DONE = QColor("#e4e4e4")
BIRTHDAY = QColor("#ffd9e0")


def colour(occ: Occurrence) -> QColor:
    if occ.state != "open":
        return DONE
    return PALETTE.get(occ.kind.casefold(), OTHER)


@dataclass
class Box:
    occ: Occurrence
    rect: QRectF


def lanes(items: list[Occurrence]) -> dict[int, tuple[int, int]]:
    """{index: (lane, lanes)} for the timed items of one day, overlapping side by side."""
    order = sorted(range(len(items)), key=lambda i: (items[i].start, items[i].activity_id))
    out: dict[int, tuple[int, int]] = {}
    group: list[tuple[int, int, datetime]] = []  # (index, lane, ends)
    group_end: datetime | None = None

    def close() -> None:
        width = max((lane for _i, lane, _e in group), default=-1) + 1
        for i, lane, _e in group:
            out[i] = (lane, width)

    for i in order:
        occ = items[i]
        ends = max(occ.end or occ.start, occ.start + timedelta(minutes=30))
        if group_end is not None and occ.start >= group_end:
            close()
            group, group_end = [], None
        used = {lane for _j, lane, e in group if e > occ.start}
        lane = next(n for n in range(len(group) + 1) if n not in used)
        group.append((i, lane, ends))
        group_end = ends if group_end is None else max(group_end, ends)
    close()
    return out


class TimeGrid(QWidget):
    """Days side by side, hours down; all-day activities and dates on top. Up and Down
    choose an activity, Enter opens it, Alt+arrows move it.

    A day shows ALLDAY_MAX all-day rows at most (at 100,000 contacts a day has two
    hundred birthdays): its all-day activities, then its yearly dates, the last row
    "+N more", whose click emits ``more_chosen`` (the view opens the agenda)."""

    selected = Signal(object)  # an Occurrence or None
    activated = Signal(object)  # double-click / Enter on an Occurrence
    more_chosen = Signal(object)  # a date whose "+N more" was clicked
    new_at = Signal(object)  # double-click on empty time: a naive datetime
    moved = Signal(object, object)  # (Occurrence, new naive start)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("time_grid")
        self.days: list[date] = [date.today()]
        self.items: list[Occurrence] = []
        self.dates: list[YearlyDate] = []
        self.counts: dict[date, int] = {}  # yearly dates a day has (more than read)
        self._allday: dict[date, tuple[list[Occurrence], list[YearlyDate], int]] = {}
        self.more: dict[date, QRectF] = {}  # where each "+N more" is (unscrolled)
        self.current: Occurrence | None = None
        self.boxes: list[Box] = []
        self._press: QPoint | None = None
        self._drag: Box | None = None
        self._drag_to: datetime | None = None
        self.now: datetime | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    # -- data -----------------------------------------------------------------------
    def show_days(self, days: list[date], items: list[Occurrence],
                  dates: list[YearlyDate], counts: dict[date, int] | None = None) -> None:
        """``dates``: each day's first yearly dates; ``counts``: how many each day has
        in all (None: ``dates`` are all of them)."""
        self.days, self.items, self.dates = days, items, dates
        self.counts = dict(counts or {})
        self._allday = {day: self._allday_of(day) for day in days}
        if self.current is not None:
            self.current = next((o for o in items if o.key == self.current.key), None)
        self.setFixedHeight(self.top() + 24 * HOUR + 1)
        self._layout()
        self.update()

    def allday(self, day: date) -> tuple[list[Occurrence], list[YearlyDate], int]:
        """(all-day activities shown, yearly dates shown, how many more) of ``day``."""
        found = self._allday.get(day)
        return found if found is not None else self._allday_of(day)

    def _allday_of(self, day: date) -> tuple[list[Occurrence], list[YearlyDate], int]:
        acts = [o for o in self.items if o.all_day and self._on(o, day)]
        dates = [y for y in self.dates if y.day == day]
        total = len(acts) + max(len(dates), self.counts.get(day, 0))
        if total <= ALLDAY_MAX:
            return acts, dates, 0
        room = ALLDAY_MAX - 1
        acts, dates = acts[:room], dates[:max(0, room - len(acts))]
        return acts, dates, total - len(acts) - len(dates)

    def allday_rows(self) -> int:
        per_day = []
        for day in self.days:
            acts, dates, more = self.allday(day)
            per_day.append(len(acts) + len(dates) + (1 if more else 0))
        return max(per_day, default=0)

    def top(self) -> int:
        return HEADER + max(1, self.allday_rows()) * ALLDAY_ROW + 4

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(GUTTER + 120 * len(self.days), self.top() + 24 * HOUR)

    def _on(self, occ: Occurrence, day: date) -> bool:
        first = occ.start.date()
        last = ((occ.end - timedelta(seconds=1)).date() if occ.end and occ.end > occ.start
                else first)
        return first <= day <= last

    def column_width(self) -> float:
        return max(20.0, (self.width() - GUTTER) / max(1, len(self.days)))

    def _y(self, moment: time) -> float:
        return self.top() + (moment.hour + moment.minute / 60) * HOUR

    def _layout(self) -> None:
        self.boxes = []
        width = self.column_width()
        self.more = {}
        for col, day in enumerate(self.days):
            x = GUTTER + col * width
            acts, dates, more = self.allday(day)
            for row, occ in enumerate(acts):
                self.boxes.append(Box(occ, QRectF(x + 2, HEADER + row * ALLDAY_ROW + 1,
                                                  width - 4, ALLDAY_ROW - 2)))
            if more:
                row = len(acts) + len(dates)
                self.more[day] = QRectF(x + 2, HEADER + row * ALLDAY_ROW + 1, width - 4,
                                        ALLDAY_ROW - 2)
            timed = [o for o in self.items if not o.all_day and o.start.date() == day]
            placed = lanes(timed)
            for i, occ in enumerate(timed):
                lane, count = placed[i]
                top = self._y(occ.start.time())
                ends = occ.end if occ.end and occ.end.date() == day else None
                bottom = self._y(ends.time()) if ends else top + HOUR / 2
                if occ.end and occ.end.date() > day:
                    bottom = self.top() + 24 * HOUR
                bottom = max(bottom, top + 18)
                lane_w = (width - 6) / count
                self.boxes.append(Box(occ, QRectF(x + 3 + lane * lane_w, top + 1,
                                                  lane_w - 2, bottom - top - 2)))

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        self._layout()
        super().resizeEvent(event)  # type: ignore[arg-type]

    # -- painting -------------------------------------------------------------------
    def sticky(self) -> int:
        """How far the grid is scrolled: the header band is painted that far down,
        so the days' names and the all-day row stay in sight."""
        return max(0, -self.y())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        p.fillRect(self.rect(), pal.base())
        width = self.column_width()
        top = self.top()
        grid = QColor(pal.mid().color())
        light = QColor(grid)
        light.setAlpha(90)
        now = self.now or datetime.now()
        today = now.date()
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        for col, day in enumerate(self.days):
            x = int(GUTTER + col * width)
            if day == today:
                p.fillRect(QRect(x, 0, int(width), self.height()), QColor(255, 244, 214, 90))
            if day.weekday() >= 5:
                p.fillRect(QRect(x, top, int(width), 24 * HOUR), QColor(0, 0, 0, 10))
            p.setPen(QPen(grid))
            p.drawLine(x, 0, x, self.height())
        p.setFont(small)
        for hour in range(24):
            y = top + hour * HOUR
            p.setPen(QPen(grid))
            p.drawLine(GUTTER - 4, y, self.width(), y)
            p.setPen(QPen(light))
            p.drawLine(GUTTER, y + HOUR // 2, self.width(), y + HOUR // 2)
            p.setPen(QPen(pal.placeholderText().color()))
            p.drawText(QRect(0, y + 1, GUTTER - 8, 16),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, f"{hour:02d}:00")
        for box in self.boxes:
            if not box.occ.all_day:
                self._paint_box(p, box, box.rect, small, now)
        if self._drag is not None and self._drag_to is not None:
            ghost = self._ghost_rect()
            if ghost is not None:
                p.setBrush(QColor(60, 120, 220, 60))
                p.setPen(QPen(QColor(60, 120, 220), 1.5, Qt.PenStyle.DashLine))
                p.drawRoundedRect(ghost, 3, 3)
        if today in self.days:
            col = self.days.index(today)
            y = self._y(now.time())
            p.setPen(QPen(QColor("#d33"), 2))
            p.drawLine(int(GUTTER + col * width), int(y), int(GUTTER + (col + 1) * width),
                       int(y))
        self._paint_header(p, small, now)
        p.end()

    def _paint_header(self, p: QPainter, small: QFont, now: datetime) -> None:
        pal = self.palette()
        shift = self.sticky()
        width = self.column_width()
        p.fillRect(QRect(0, shift, self.width(), self.top() - 2), pal.base())
        today = now.date()
        for col, day in enumerate(self.days):
            x = int(GUTTER + col * width)
            if day == today:
                p.fillRect(QRect(x, shift, int(width), self.top() - 2),
                           QColor(255, 244, 214, 90))
            p.setPen(QPen(pal.text().color()))
            f = QFont(self.font())
            f.setBold(day == today)
            p.setFont(f)
            p.drawText(QRect(x, shift, int(width), HEADER), Qt.AlignmentFlag.AlignCenter,
                       _day_name(day))
            p.setPen(QPen(pal.mid().color()))
            p.drawLine(x, shift, x, shift + self.top())
        p.setFont(small)
        p.setPen(QPen(pal.mid().color()))
        p.drawLine(0, shift + self.top() - 2, self.width(), shift + self.top() - 2)
        for box in self.boxes:
            if box.occ.all_day:
                self._paint_box(p, box, box.rect.translated(0, shift), small, now)
        for col, day in enumerate(self.days):
            x = GUTTER + col * width
            acts, dates, more = self.allday(day)
            row = len(acts)
            for y_date in dates:
                rect = QRectF(x + 2, shift + HEADER + row * ALLDAY_ROW + 1, width - 4,
                              ALLDAY_ROW - 2)
                p.setBrush(BIRTHDAY)
                p.setPen(Qt.PenStyle.NoPen)
                p.drawRoundedRect(rect, 3, 3)
                p.setPen(QPen(QColor("#222")))
                p.drawText(rect.adjusted(4, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter,
                           p.fontMetrics().elidedText(y_date.text(),
                                                      Qt.TextElideMode.ElideRight,
                                                      int(rect.width() - 6)))
                row += 1
            if more:
                p.setPen(QPen(pal.link().color()))
                p.drawText(self.more[day].translated(0, shift).adjusted(4, 0, -2, 0),
                           Qt.AlignmentFlag.AlignVCenter, self.more_text(day))

    def more_text(self, day: date) -> str:
        """What the day's last all-day row says ("+212 more"); empty if all fit."""
        more = self.allday(day)[2]
        return _("+{n} more").format(n=more) if more else ""

    def _paint_box(self, p: QPainter, box: Box, rect: QRectF, font: QFont,
                   now: datetime) -> None:
        occ = box.occ
        fill = colour(occ)
        chosen = self.current is not None and occ.key == self.current.key
        p.setBrush(fill)
        edge = QColor("#3b6fd0") if chosen else fill.darker(140)
        if not chosen and is_overdue(occ, now.astimezone()):
            edge = QColor("#c62828")
        p.setPen(QPen(edge, 2 if chosen else 1))
        p.drawRoundedRect(rect, 3, 3)
        p.setPen(QPen(QColor("#222") if occ.state == "open" else QColor("#777")))
        p.setFont(font)
        text = occ.label() if occ.all_day else f"{occ.start:%H:%M} {occ.label()}"
        if occ.state == "done":
            text = "✓ " + text
        elif occ.state == "not_done":
            text = "✗ " + text
        if occ.series:
            text += " ↻"
        inner = rect.adjusted(4, 1, -2, -1)
        metrics = p.fontMetrics()
        if inner.height() < 2 * metrics.height():
            p.drawText(inner, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width())))
            return
        if occ.contact_names and occ.title:
            text += "\n" + ", ".join(occ.contact_names)
        p.drawText(inner, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                   | int(Qt.TextFlag.TextWordWrap), text)

    # -- picking and dragging -----------------------------------------------------------
    def box_at(self, pos: QPoint) -> Box | None:
        shift = self.sticky()
        if pos.y() < shift + self.top():  # the header band, over whatever is under it
            for box in self.boxes:
                if box.occ.all_day and box.rect.translated(0, shift).contains(pos.toPointF()):
                    return box
            return None
        for box in reversed(self.boxes):
            if not box.occ.all_day and box.rect.contains(pos.toPointF()):
                return box
        return None

    def moment_at(self, pos: QPoint) -> datetime | None:
        col = int((pos.x() - GUTTER) // self.column_width())
        if (pos.x() < GUTTER or not 0 <= col < len(self.days)
                or pos.y() < self.top() + self.sticky()):
            return None
        minutes = (pos.y() - self.top()) / HOUR * 60
        minutes = max(0, min(24 * 60 - SNAP, int(minutes // SNAP * SNAP)))
        return datetime.combine(self.days[col], time.min) + timedelta(minutes=minutes)

    def select(self, occ: Occurrence | None) -> None:
        self.current = occ
        self.selected.emit(occ)
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.setFocus()
        pos = event.position()
        day = next((d for d, r in self.more.items()
                    if r.translated(0, self.sticky()).contains(pos)), None)
        if day is not None and event.button() == Qt.MouseButton.LeftButton:
            self.more_chosen.emit(day)
            return
        box = self.box_at(event.position().toPoint())
        self.select(box.occ if box else None)
        if box is not None and event.button() == Qt.MouseButton.LeftButton and not box.occ.all_day:
            self._press = event.position().toPoint()
            self._drag = box
            self._offset = self.moment_at(self._press)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag is None or self._press is None:
            return
        pos = event.position().toPoint()
        if (pos - self._press).manhattanLength() < 6 and self._drag_to is None:
            return
        at = self.moment_at(pos)
        grabbed = self._offset
        if at is None or grabbed is None:
            return
        start = self._drag.occ.start.replace(tzinfo=None)
        self._drag_to = start + (at - grabbed)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        box, target = self._drag, self._drag_to
        self._drag, self._drag_to, self._press = None, None, None
        if box is not None and target is not None and target != box.occ.start.replace(
                tzinfo=None):
            self.moved.emit(box.occ, target)
        self.update()

    def _ghost_rect(self) -> QRectF | None:
        if self._drag is None or self._drag_to is None or self._drag_to.date() not in self.days:
            return None
        col = self.days.index(self._drag_to.date())
        width = self.column_width()
        top = self._y(self._drag_to.time())
        height = self._drag.rect.height()
        return QRectF(GUTTER + col * width + 3, top + 1, width - 6, height)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        box = self.box_at(event.position().toPoint())
        if box is not None:
            self.activated.emit(box.occ)
            return
        at = self.moment_at(event.position().toPoint())
        if at is not None:
            self.new_at.emit(at)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        ordered = [b.occ for b in sorted(self.boxes, key=lambda b: (b.occ.start, b.rect.x()))]
        steps = {Qt.Key.Key_Up: timedelta(minutes=-SNAP), Qt.Key.Key_Down: timedelta(minutes=SNAP),
                 Qt.Key.Key_Left: timedelta(days=-1), Qt.Key.Key_Right: timedelta(days=1)}
        if (event.modifiers() & Qt.KeyboardModifier.AltModifier and key in steps
                and self.current is not None and not self.current.all_day):
            # Alt+arrows move the chosen one: a quarter of an hour, or a day.
            self.moved.emit(self.current, self.current.start.replace(tzinfo=None) + steps[key])
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current is not None:
            self.activated.emit(self.current)
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Tab) and ordered:
            keys = [o.key for o in ordered]
            at = keys.index(self.current.key) if self.current and self.current.key in keys \
                else -1
            step = -1 if key == Qt.Key.Key_Up else 1
            self.select(ordered[max(0, min(len(ordered) - 1, at + step))])
        else:
            super().keyPressEvent(event)


def _day_name(day: date) -> str:
    from PySide6.QtCore import QDate, QLocale

    q = QDate(day.year, day.month, day.day)
    return QLocale().toString(q, "ddd d MMM")


class MonthGrid(QWidget):
    """Six weeks of days; each shows as many entries as fit and "+N more".

    A day's yearly dates come first (its birthdays), then its activities. The view
    reads only each day's first few yearly dates and their count (``counts``): at
    100,000 contacts a day has two hundred birthdays, and a cell shows four lines.
    A click on "+N more" emits ``more_chosen``: the view opens the day's whole list."""

    day_chosen = Signal(object)  # a date (double-click: open it as a day)
    more_chosen = Signal(object)  # a date whose "+N more" was clicked
    activated = Signal(object)
    selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("month_grid")
        self.month = date.today().replace(day=1)
        self.first = self.month
        self.items: list[Occurrence] = []
        self.dates: list[YearlyDate] = []
        self.current: Occurrence | None = None
        self.boxes: list[Box] = []
        self.counts: dict[date, int] = {}
        self.more: dict[date, QRectF] = {}  # where each "+N more" is
        self._more_texts: dict[date, str] = {}
        self._lines: dict[date, list[str]] = {}
        self.now: datetime | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(280, 240)

    def show_month(self, month: date, first: date, items: list[Occurrence],
                   dates: list[YearlyDate], counts: dict[date, int] | None = None) -> None:
        """``dates``: each day's first yearly dates; ``counts``: how many each day has
        in all (None: ``dates`` are all of them)."""
        self.month, self.first, self.items, self.dates = month, first, items, dates
        self.counts = dict(counts or {})
        self.update()

    def more_text(self, day: date) -> str:
        """What the day's cell says below its lines ("+212 more"), as last painted."""
        return self._more_texts.get(day, "")

    def lines(self, day: date) -> list[str]:
        """The entries the day's cell showed, top down, as last painted."""
        return self._lines.get(day, [])

    def cell(self, index: int) -> QRectF:
        w = self.width() / 7
        h = (self.height() - HEADER) / 6
        return QRectF((index % 7) * w, HEADER + (index // 7) * h, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.base())
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.88))
        today = (self.now or datetime.now()).date()
        now = (self.now or datetime.now()).astimezone()
        by_day: dict[date, list[tuple[str, QColor, Occurrence | None]]] = {}
        # A day's yearly dates first, in their order (by name), then its activities.
        for y_date in self.dates:
            by_day.setdefault(y_date.day, []).append((y_date.text(), BIRTHDAY, None))
        for occ in self.items:
            text = occ.label() if occ.all_day else f"{occ.start:%H:%M} {occ.label()}"
            if occ.state == "done":
                text = "✓ " + text
            day = occ.start.date()
            last = day
            if occ.all_day and occ.end is not None:
                last = (occ.end - timedelta(seconds=1)).date()
            while day <= last:
                by_day.setdefault(day, []).append((text, colour(occ), occ))
                day += timedelta(days=1)
        for i in range(7):
            p.setPen(QPen(pal.text().color()))
            name = _day_name(self.first + timedelta(days=i)).split(" ")[0]
            p.drawText(QRectF(i * self.width() / 7, 0, self.width() / 7, HEADER),
                       Qt.AlignmentFlag.AlignCenter, name)
        self.boxes = []
        self.more = {}
        self._more_texts = {}
        self._lines = {}
        line = 17
        for index in range(42):
            day = self.first + timedelta(days=index)
            rect = self.cell(index)
            if day.month != self.month.month:
                p.fillRect(rect, QColor(0, 0, 0, 12))
            if day == today:
                p.fillRect(rect, QColor(255, 244, 214, 140))
            p.setPen(QPen(pal.mid().color()))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(rect)
            p.setPen(QPen(pal.text().color()))
            f = QFont(small)
            f.setBold(day == today)
            p.setFont(f)
            p.drawText(rect.adjusted(4, 2, -4, 0), Qt.AlignmentFlag.AlignRight
                       | Qt.AlignmentFlag.AlignTop, str(day.day))
            p.setFont(small)
            entries = by_day.get(day, [])
            total = len(entries)
            known = len(entries)
            hidden = self.counts.get(day, 0) - sum(1 for e in entries if e[2] is None)
            if hidden > 0:  # yearly dates past the first few read: counted, not read
                total += hidden
                known = sum(1 for e in entries if e[2] is None)
            room = max(0, int((rect.height() - 18) // line))
            shown = entries if total <= room else entries[:min(known, max(0, room - 1))]
            self._lines[day] = [text for text, _fill, _occ in shown]
            for n, (text, fill, occ) in enumerate(shown):
                r = QRectF(rect.x() + 2, rect.y() + 17 + n * line, rect.width() - 4, line - 2)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(fill)
                p.drawRoundedRect(r, 2, 2)
                if occ is not None and self.current is not None and occ.key == self.current.key:
                    p.setPen(QPen(QColor("#3b6fd0"), 2))
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.drawRoundedRect(r, 2, 2)
                elif occ is not None and is_overdue(occ, now):
                    p.setPen(QPen(QColor("#c62828"), 1))
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.drawRoundedRect(r, 2, 2)
                p.setPen(QPen(QColor("#222")))
                p.drawText(r.adjusted(3, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter,
                           p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                      int(r.width() - 5)))
                if occ is not None:
                    self.boxes.append(Box(occ, r))
            if len(shown) < total:
                more = QRectF(rect.x() + 4, rect.y() + 17 + len(shown) * line,
                              rect.width() - 8, line)
                text = _("+{n} more").format(n=total - len(shown))
                p.setPen(QPen(pal.link().color()))
                p.drawText(more, Qt.AlignmentFlag.AlignLeft, text)
                self.more[day] = more
                self._more_texts[day] = text
        p.end()

    def _index_at(self, pos: QPoint) -> int | None:
        for index in range(42):
            if self.cell(index).contains(pos.toPointF()):
                return index
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.setFocus()
        pos = event.position().toPoint()
        day = next((d for d, r in self.more.items() if r.contains(pos.toPointF())), None)
        if day is not None and event.button() == Qt.MouseButton.LeftButton:
            self.more_chosen.emit(day)
            return
        box = next((b for b in self.boxes if b.rect.contains(pos.toPointF())), None)
        self.current = box.occ if box else None
        self.selected.emit(self.current)
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        box = next((b for b in self.boxes if b.rect.contains(pos.toPointF())), None)
        if box is not None:
            self.activated.emit(box.occ)
            return
        index = self._index_at(pos)
        if index is not None:
            self.day_chosen.emit(self.first + timedelta(days=index))
