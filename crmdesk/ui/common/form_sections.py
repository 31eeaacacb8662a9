"""The parts both record forms are built from.

The core's validate() speaks of fields and row indexes; the helpers here turn
a Problem into something the user sees on the very widget (a coloured border,
an icon in the field that carries the message, a line in the banner at the
top that jumps to the field). A form is a column of Sections, each reading and
writing its part of the record, so that custom-field sections can join later
without the forms changing shape. The field editors Qt lacks are in field_editors.py.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QLocale,
    QPointF,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.errors import Problem
from crmdesk.core.i18n import ngettext
from crmdesk.ui.common.plain_text import tooltip_text

ERROR = "error"
WARNING = "warning"
COLORS = {ERROR: "#c62828", WARNING: "#c77700"}
SPACING = 8  # between a label column and its fields, everywhere in a form

# -- marking a widget -------------------------------------------------------------


def mark(widget: QWidget, severity: str | None, message: str = "") -> None:
    """Show (or, with severity None, remove) a problem on ``widget``.

    Composite editors that know better implement ``show_problem`` themselves.
    """
    own = getattr(widget, "show_problem", None)
    if callable(own):
        own(severity, message)
        return
    if widget.property("plainToolTip") is None:
        widget.setProperty("plainToolTip", widget.toolTip())
    base_tip = widget.property("plainToolTip") or ""
    widget.setToolTip(tooltip_text(message) if severity else base_tip)
    widget.setAccessibleDescription(message if severity else "")
    widget.setProperty("problem", severity or "")
    # The class's own name: the rule reaches this widget, not its children.
    selector = widget.metaObject().className()
    widget.setStyleSheet(
        f"{selector} {{ border: 1px solid {COLORS[severity]}; border-radius: 3px;"
        f" padding: 2px; }}" if severity else "")
    line = widget.lineEdit() if isinstance(widget, QComboBox) else widget
    if isinstance(line, QLineEdit):
        _icon_in_field(line, severity, message)


def _icon_in_field(line: QLineEdit, severity: str | None, message: str) -> None:
    action = line.findChild(QAction, "problemAction")
    if severity is None:
        if action is not None:
            action.setVisible(False)
        return
    if action is None:
        action = QAction(line)
        action.setObjectName("problemAction")
        line.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
    icon = (QStyle.StandardPixmap.SP_MessageBoxCritical if severity == ERROR
            else QStyle.StandardPixmap.SP_MessageBoxWarning)
    action.setIcon(line.style().standardIcon(icon))
    action.setToolTip(tooltip_text(message))
    action.setVisible(True)


# -- small drawn icons (the same on every platform and theme) -------------------------


def drawn_icon(kind: str, color: QColor | str = "#6b6b6b", side: int = 16) -> QIcon:
    """"plus", "cross", "open", or "star" (a filled gold star for On, an outline for Off)."""
    icon = QIcon()
    for state, fill in ((QIcon.State.Off, False), (QIcon.State.On, True)):
        for scale in (1, 2):
            pixmap = QPixmap(side * scale, side * scale)
            pixmap.setDevicePixelRatio(scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pen = QPen(QColor(color), 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                       Qt.PenJoinStyle.RoundJoin)
            c, r = side / 2, side * 0.3
            if kind == "plus":
                painter.setPen(pen)
                painter.drawLine(QPointF(c, c - r), QPointF(c, c + r))
                painter.drawLine(QPointF(c - r, c), QPointF(c + r, c))
            elif kind == "open":  # an arrow out of a box: "open elsewhere"
                painter.setPen(pen)
                a, b = side * 0.2, side * 0.8
                painter.drawPolyline([QPointF(c - 1, a), QPointF(a, a), QPointF(a, b),
                                      QPointF(b, b), QPointF(b, c + 1)])
                painter.drawLine(QPointF(c, c), QPointF(b, a))
                painter.drawPolyline([QPointF(b - r, a), QPointF(b, a), QPointF(b, a + r)])
            elif kind == "cross":
                painter.setPen(pen)
                r *= 0.8
                painter.drawLine(QPointF(c - r, c - r), QPointF(c + r, c + r))
                painter.drawLine(QPointF(c - r, c + r), QPointF(c + r, c - r))
            else:
                outer, inner = side * 0.45, side * 0.19
                points = [QPointF(c + (outer if i % 2 == 0 else inner) * math.sin(i * math.pi / 5),
                                  c + 0.5 - (outer if i % 2 == 0 else inner)
                                  * math.cos(i * math.pi / 5)) for i in range(10)]
                gold = QColor("#e8a400")
                painter.setPen(QPen(gold if fill else QColor("#9a9a9a"), 1.2))
                painter.setBrush(gold if fill else Qt.BrushStyle.NoBrush)
                painter.drawPolygon(QPolygonF(points))
            painter.end()
            icon.addPixmap(pixmap, QIcon.Mode.Normal, state)
            if kind != "star":
                break
    return icon


def link_color(widget: QWidget) -> QColor:
    return widget.palette().color(QPalette.ColorRole.Link)


# -- the banner -------------------------------------------------------------------------


class ProblemsBanner(QFrame):
    """The list of what is wrong, above the form; a click on a line goes to the field."""

    problem_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsBanner")
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.RichText)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                            | Qt.TextInteractionFlag.TextSelectableByMouse)
        self._label.linkActivated.connect(lambda href: self.problem_clicked.emit(int(href)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self._label)
        self.messages: list[str] = []
        self.hide()

    def show_problems(self, problems: list[Problem]) -> None:
        self.messages = [p.message for p in problems]
        if not problems:
            self.hide()
            return
        errors = [(i, p) for i, p in enumerate(problems) if p.severity == ERROR]
        warnings = [(i, p) for i, p in enumerate(problems) if p.severity != ERROR]
        parts = []
        if errors:
            parts.append(self._block(errors, ERROR, ngettext(
                "Please correct this before saving:",
                "Please correct these {n} things before saving:", len(errors)
            ).format(n=len(errors))))
        if warnings:
            parts.append(self._block(warnings, WARNING, ngettext(
                "Please check this (it can be saved as it is):",
                "Please check these {n} things (they can be saved as they are):",
                len(warnings)).format(n=len(warnings))))
        self._label.setText("".join(parts))
        severity = ERROR if errors else WARNING
        fill = "#fdecea" if errors else "#fff6e0"
        self.setStyleSheet(
            f"#problemsBanner {{ background: {fill}; border: 1px solid {COLORS[severity]};"
            f" border-radius: 4px; }} #problemsBanner QLabel {{ color: #222; }}")
        self.show()

    @staticmethod
    def _block(items: list[tuple[int, Problem]], severity: str, heading: str) -> str:
        color = COLORS[severity]
        lines = "".join(
            f'<li><a href="{i}" style="color:{color}; text-decoration:none">'
            f"{html.escape(p.message)}</a></li>" for i, p in items)
        return (f'<p style="margin:0"><b style="color:{color}">{html.escape(heading)}</b></p>'
                f'<ul style="margin-top:2px; margin-bottom:2px; -qt-list-indent:1">{lines}</ul>')


# -- sections -------------------------------------------------------------------------


class Section(QWidget):
    """A titled part of a form that loads and stores its fields of a record.

    Subclasses override load/store/widget_for. ``changed`` fires on every edit;
    ``rows_changed`` when widgets were added, removed or reordered (the form
    then fixes the tab order).
    """

    changed = Signal()
    rows_changed = Signal()

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 6)
        outer.setSpacing(4)
        self.header = QHBoxLayout()
        self.header.setSpacing(4)
        self.title_label = QLabel(title, self)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        # A long title (Lithuanian "Žiniatinklis ir socialiniai tinklai") wraps in a
        # narrow pane rather than widening the form past it.
        self.title_label.setWordWrap(True)
        self.header.addWidget(self.title_label, 1)
        self.header.addStretch(1)
        if title:
            outer.addLayout(self.header)
            rule = QFrame(self)
            rule.setFrameShape(QFrame.Shape.HLine)
            rule.setFrameShadow(QFrame.Shadow.Sunken)
            outer.addWidget(rule)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 2, 0, 0)
        self.body.setSpacing(6)
        outer.addLayout(self.body)

    def add_header_button(self, text: str, tip: str = "") -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setIcon(drawn_icon("plus", link_color(self)))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        palette = button.palette()
        palette.setColor(QPalette.ColorRole.ButtonText, link_color(self))
        button.setPalette(palette)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.header.addWidget(button)
        return button

    def form(self) -> QFormLayout:
        """A label/field layout in the form's common style, added to the body."""
        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.setHorizontalSpacing(SPACING)
        layout.setVerticalSpacing(6)
        layout.setContentsMargins(0, 0, 0, 0)
        self.body.addLayout(layout)
        return layout

    def watch(self, *signals: Any) -> None:
        for signal in signals:
            signal.connect(lambda *_a: self.changed.emit())

    # -- what a form asks of a section --------------------------------------------------
    def load(self, data: Any) -> None:
        raise NotImplementedError

    def store(self, data: Any) -> None:
        raise NotImplementedError

    def widget_for(self, problem: Problem) -> QWidget | None:
        """The widget that shows ``problem``, if it is about a field of this section."""
        return None

    def set_label_width(self, width: int) -> None:
        """Line the section's labels up with the rest of the form."""
        for layout in self.findChildren(QFormLayout):
            for row in range(layout.rowCount()):
                item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
                if item is not None and item.widget() is not None:
                    item.widget().setFixedWidth(width)

    def set_compact(self, compact: bool) -> None:
        """Labels above their fields (a narrow form) or beside them."""
        policy = (QFormLayout.RowWrapPolicy.WrapAllRows if compact
                  else QFormLayout.RowWrapPolicy.DontWrapRows)
        for layout in self.findChildren(QFormLayout):
            if layout.rowWrapPolicy() != policy:
                layout.setRowWrapPolicy(policy)
            if not compact:
                continue
            for row in range(layout.rowCount()):  # above its field, a label is as wide as it is
                item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
                if item is not None and item.widget() is not None:
                    item.widget().setFixedWidth(item.widget().sizeHint().width())

    def label_width(self) -> int:
        widths = [0]
        for layout in self.findChildren(QFormLayout):
            for row in range(layout.rowCount()):
                item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
                if item is not None and item.widget() is not None:
                    widths.append(item.widget().sizeHint().width())
        return max(widths)


# -- focus order ---------------------------------------------------------------------------


def focus_chain(layout: QLayout) -> list[QWidget]:
    """The widgets that take Tab focus, in the order the user sees them.

    Qt's default chain is creation order, so a row added later would be
    reached last; forms call this and chain the result with setTabOrder.
    """
    out: list[QWidget] = []

    def items(lay: QLayout) -> Iterable[Any]:
        if isinstance(lay, QFormLayout):
            for row in range(lay.rowCount()):
                for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole,
                             QFormLayout.ItemRole.SpanningRole):
                    item = lay.itemAt(row, role)
                    if item is not None:
                        yield item
            return
        grid_pos = getattr(lay, "getItemPosition", None)
        indexes = list(range(lay.count()))
        if grid_pos is not None:
            indexes.sort(key=lambda i: tuple(grid_pos(i)[:2]))
        for i in indexes:
            yield lay.itemAt(i)

    def walk_layout(lay: QLayout) -> None:
        for item in items(lay):
            if item.widget() is not None:
                walk_widget(item.widget())
            elif item.layout() is not None:
                walk_layout(item.layout())

    def walk_widget(w: QWidget) -> None:
        if w.isHidden() and w.parentWidget() is not None and not w.parentWidget().isHidden():
            return
        if isinstance(w, QTabWidget):  # its tabs, then the page shown
            if w.tabBar().isEnabled():
                out.append(w.tabBar())
            if w.currentWidget() is not None:
                walk_widget(w.currentWidget())
            return
        if isinstance(w, QSplitter):  # no layout: its parts in order
            for i in range(w.count()):
                walk_widget(w.widget(i))
            return
        inner = getattr(w, "widget", None)
        if w.metaObject().className() == "QScrollArea" and callable(inner):
            if inner() is not None and inner().layout() is not None:
                walk_layout(inner().layout())
            return
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isEnabled():
            out.append(w)
        elif w.layout() is not None:
            walk_layout(w.layout())

    walk_layout(layout)
    return out


def chain_tab_order(widgets: list[QWidget]) -> None:
    for first, second in zip(widgets, widgets[1:], strict=False):
        QWidget.setTabOrder(first, second)


def when(value: datetime | None) -> str:
    """A stored UTC time as the user's local date and time."""
    if value is None:
        return ""
    local = value.replace(tzinfo=UTC).astimezone() if value.tzinfo is None else value.astimezone()
    qdt = QDateTime(QDate(local.year, local.month, local.day),
                    QTime(local.hour, local.minute))
    return QLocale().toString(qdt, QLocale.FormatType.ShortFormat)


def muted(label: QLabel) -> QLabel:
    """Secondary text: smaller and greyer than the rest."""
    palette = label.palette()
    color = palette.color(label.foregroundRole())
    color.setAlpha(150)
    palette.setColor(label.foregroundRole(), color)
    label.setPalette(palette)
    return label
