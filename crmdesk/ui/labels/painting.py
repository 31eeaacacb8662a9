"""A label plan painted with QPainter: the preview in the dialog and the pages
sent to a printer, from the very plan (output/labels/layout.py) that the PDF
draws, so what is seen, printed and saved agree.

The painter works in points (1/72 in) from the page's top-left corner: the
caller scales it to the device (pixels of a preview, dots of a printer). Text
is set in the shipped fonts (DejaVu Sans, WenQuanYi Micro Hei for Chinese,
Japanese and Korean), loaded into Qt from the same files the PDF embeds; each
line is drawn at a fixed pixel size and scaled, so its size is exact at any
resolution.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPen

from crmdesk.core.i18n import _
from crmdesk.output.fonts import FONT_FILES, REGULAR, FontMissingError, font_path
from crmdesk.output.labels.geometry import ELLIPSE, ENVELOPE, MM, ROUND, Template
from crmdesk.output.labels.layout import LabelPlan, Placed
from crmdesk.output.labels.pdf import CALIBRATION_INSET, calibration_points

_BASE = 100  # pixel size the text is drawn at, then scaled to its point size
ASCENT = 0.93  # as the PDF: the first baseline this far (in em) below the line's top


@lru_cache(maxsize=1)
def families() -> tuple[str, ...]:
    """The shipped fonts' family names, loaded into Qt once."""
    out: list[str] = []
    for name in (REGULAR, "CrmdeskCJK"):
        try:
            path = font_path(FONT_FILES[name])
        except FontMissingError:
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            out += [f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in out]
    return tuple(out)


def label_font() -> QFont:
    font = QFont()
    names = list(families())
    if names:
        font.setFamilies(names)
    font.setPixelSize(_BASE)
    font.setStyleStrategy(QFont.StyleStrategy.PreferOutline)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def paint_outlines(painter: QPainter, template: Template, dx: float, dy: float,
                   used: set[int] | None = None) -> None:
    """Every label's shape of the sheet, light grey; ``used`` ones shaded."""
    w, h = template.label_width * MM, template.label_height * MM
    painter.save()
    pen = QPen(QColor(150, 150, 150))
    pen.setWidthF(0.5)
    painter.setPen(pen)
    for i, (sx, sy) in enumerate(template.slots()):
        rect = QRectF(sx * MM + dx, sy * MM + dy, w, h)
        painter.setBrush(QColor(232, 240, 250) if used and i in used else Qt.BrushStyle.NoBrush)
        if template.shape in (ROUND, ELLIPSE):
            painter.drawEllipse(rect)
        elif template.radius > 0:
            painter.drawRoundedRect(rect, template.radius * MM, template.radius * MM)
        else:
            painter.drawRect(rect)
    painter.restore()


def paint_label(painter: QPainter, label: Placed, font: QFont) -> None:
    painter.save()
    painter.setFont(font)
    painter.setPen(QColor(0, 0, 0))
    metrics = painter.fontMetrics()
    scale = label.size / _BASE
    top = label.text_y
    for line in label.lines:
        x = label.text_x
        if label.centred:
            x = label.x + (label.width - metrics.horizontalAdvance(line) * scale) / 2
        painter.save()
        painter.translate(x, top + label.size * ASCENT)
        painter.scale(scale, scale)
        painter.drawText(QPointF(0, 0), line)
        painter.restore()
        top += label.leading
    painter.restore()


def paint_page(painter: QPainter, plan: LabelPlan, page: int, *,
               outlines: bool | None = None, shade_used: bool = False) -> None:
    """Page ``page`` of ``plan`` (the painter in points from the page's corner)."""
    template = plan.template
    dx, dy = plan.options.offset_x * MM, plan.options.offset_y * MM
    labels = plan.on_page(page)
    draw_outlines = plan.options.outlines if outlines is None else outlines
    if draw_outlines and template.kind != ENVELOPE:
        used = {p.slot for p in labels} if shade_used else None
        paint_outlines(painter, template, dx, dy, used)
    font = label_font()
    for label in labels:
        paint_label(painter, label, font)


def paint_calibration(painter: QPainter, template: Template, dx: float = 0.0,
                      dy: float = 0.0) -> None:
    """A page to find a printer's offset: crosshairs 20 mm in from each corner and
    at the centre, each with a ruler in millimetres. Print it at 100 % on plain
    paper, measure how far a crosshair's centre is from 20 mm (right: +X, down:
    +Y), and enter that as the offset to take away (negative)."""
    H = template.page_height * MM  # noqa: N806
    painter.save()
    pen = QPen(QColor(0, 0, 0))
    pen.setWidthF(0.4)
    painter.setPen(pen)
    font = label_font()
    painter.setFont(font)
    inset = CALIBRATION_INSET * MM
    for x_mm, y_mm in calibration_points(template):
        x, y = x_mm * MM + dx, y_mm * MM + dy
        painter.drawLine(QPointF(x - 10 * MM, y), QPointF(x + 10 * MM, y))
        painter.drawLine(QPointF(x, y - 10 * MM), QPointF(x, y + 10 * MM))
        painter.drawEllipse(QPointF(x, y), 1 * MM, 1 * MM)
        for mm in range(-8, 9):
            tick = (1.5 if mm % 5 else 3.0) * MM
            painter.drawLine(QPointF(x + mm * MM, y - tick / 2), QPointF(x + mm * MM, y + tick / 2))
            painter.drawLine(QPointF(x - tick / 2, y + mm * MM), QPointF(x + tick / 2, y + mm * MM))
    painter.save()
    painter.translate(inset + dx, H / 2 - 40 * MM + dy)
    painter.scale(9 / _BASE, 9 / _BASE)
    lines = [_("crmdesk printer calibration: {paper}").format(paper=template.code),
             _("Print at 100 % (actual size). Each cross should be 20 mm from two edges."),
             _("If a cross is to the right or lower, enter that many mm, negative, as the "
               "offset;"),
             _("if it is to the left or higher, enter them positive.")]
    for i, line in enumerate(lines):
        painter.drawText(QPointF(0, i * _BASE * 1.4), line)
    painter.restore()
    painter.restore()
