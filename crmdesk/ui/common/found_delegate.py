"""The Name cell of a searched list: the name, then, dimmed, where the search
words were found when no shown column holds them ("Address: Žalgirio g. 5")."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from crmdesk.ui.contacts.table_model import FoundRole

# Between the name and the explanation, in average characters.
GAP = 3
_Index = QModelIndex | QPersistentModelIndex


def found_of(index: _Index) -> str:
    text = index.data(FoundRole)
    return text if isinstance(text, str) else ""


class FoundDelegate(QStyledItemDelegate):
    """Paints the name as usual and the found text after it, cut to the room left."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        found = found_of(index)
        if not found:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        name = opt.text
        opt.text = ""  # the background, selection and focus as for any cell
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = rect.adjusted(margin, 0, -margin, 0)
        metrics = opt.fontMetrics
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active
                 else QPalette.ColorGroup.Inactive)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.save()
        painter.setPen(opt.palette.color(group, text_role))
        shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, align, shown)
        rest = rect.adjusted(metrics.horizontalAdvance(shown)
                             + metrics.averageCharWidth() * GAP, 0, 0, 0)
        if rest.width() > metrics.horizontalAdvance("……"):
            if not selected:
                painter.setPen(opt.palette.color(group, QPalette.ColorRole.PlaceholderText))
            font = painter.font()
            font.setItalic(True)
            painter.setFont(font)
            painter.drawText(rest, align, painter.fontMetrics().elidedText(
                found, Qt.TextElideMode.ElideRight, rest.width()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        found = found_of(index)
        if found:
            metrics = option.fontMetrics
            hint.setWidth(hint.width() + metrics.averageCharWidth() * GAP
                          + metrics.horizontalAdvance(found))
        return hint
