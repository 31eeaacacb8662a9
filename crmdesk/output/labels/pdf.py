"""A label plan as a PDF: every label where the plan puts it, every font
embedded, the file whole or not there.

Drawn straight on reportlab's canvas (no platypus frames: 10,000 labels in a
few seconds). The page is the template's paper (an envelope's size for
envelopes) so the printer's "actual size" puts each label on its label.
Outlines (for a test print on plain paper) are thin grey lines of each
label's shape, drawn for every label of the sheet, used or not.

Written to a temporary file beside the target and moved over it only when
complete (os.replace): a cancel, a full disk or a crash leaves the old file,
if any, and nothing half-written.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crmdesk.core.errors import FileWriteError
from crmdesk.core.i18n import _
from crmdesk.output.fonts import REGULAR, fonts
from crmdesk.output.labels.geometry import ELLIPSE, ENVELOPE, MM, ROUND, Template
from crmdesk.output.labels.layout import LabelPlan, Placed

OUTLINE_GREY = 0.6


def _write_error(exc: OSError, path: Path) -> FileWriteError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return FileWriteError(_("The disk holding {path} is full. The file was not written; "
                                "free some space and try again.").format(path=path))
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return FileWriteError(_("crmdesk may not write to the folder {folder}, so {name} "
                                "was not saved. Choose another folder.")
                              .format(folder=path.parent, name=path.name))
    if exc.errno == errno.ENOENT:
        return FileWriteError(_("The folder {folder} does not exist, so {name} was not "
                                "saved.").format(folder=path.parent, name=path.name))
    return FileWriteError(_("{path} could not be written: {reason}. Nothing was saved.")
                          .format(path=path, reason=exc.strerror or exc))


def draw_outlines(c: Any, template: Template, dx: float, dy: float) -> None:
    page_h = template.page_height * MM
    w, h = template.label_width * MM, template.label_height * MM
    c.setStrokeGray(OUTLINE_GREY)
    c.setLineWidth(0.3)
    for sx, sy in template.slots():
        x, y = sx * MM + dx, page_h - (sy * MM + dy) - h
        if template.shape in (ROUND, ELLIPSE):
            c.ellipse(x, y, x + w, y + h, stroke=1, fill=0)
        elif template.radius > 0:
            c.roundRect(x, y, w, h, template.radius * MM, stroke=1, fill=0)
        else:
            c.rect(x, y, w, h, stroke=1, fill=0)


def draw_label(text: Any, label: Placed, page_h: float,
               measure: Callable[[str], float]) -> None:
    """``label``'s lines into the page's text object (one per page: far fewer
    PDF operators than a drawString for every piece)."""
    runs = fonts().runs
    size = label.size
    leading = label.leading
    # the first baseline: the line's top plus the font's ascent (~0.93 em in DejaVu)
    baseline = page_h - label.text_y - size * 0.93
    for line in label.lines:
        x = label.text_x
        if label.centred:
            x = label.x + (label.width - measure(line) * size) / 2
        text.setTextOrigin(x, baseline)
        for font, piece in runs(line, REGULAR):
            text.setFont(font, size)
            text.textOut(piece)
        baseline -= leading


def render(c: Any, plan: LabelPlan, *, progress: Callable[[int, int], None] | None = None
           ) -> None:
    """Draw ``plan`` page by page on a reportlab canvas."""
    from crmdesk.output.labels.layout import Measure

    template = plan.template
    measure = Measure()
    page_h = template.page_height * MM
    dx, dy = plan.options.offset_x * MM, plan.options.offset_y * MM
    by_page: dict[int, list[Placed]] = {}
    for label in plan.labels:
        by_page.setdefault(label.page, []).append(label)
    total = len(plan.labels)
    done = 0
    for page in range(plan.pages):
        if plan.options.outlines and template.kind != ENVELOPE:
            draw_outlines(c, template, dx, dy)
        c.setFillGray(0)
        text = c.beginText()
        for label in by_page.get(page, []):
            draw_label(text, label, page_h, measure)
        c.drawText(text)
        done += len(by_page.get(page, []))
        c.showPage()
        if progress is not None:
            progress(done, total)


CALIBRATION_INSET = 20.0  # mm from the paper's edges to the crosshairs


def calibration_points(template: Template) -> list[tuple[float, float]]:
    """Where the calibration crosses are, in mm from the paper's top-left."""
    w, h, d = template.page_width, template.page_height, CALIBRATION_INSET
    return [(d, d), (w - d, d), (d, h - d), (w - d, h - d), (w / 2, h / 2)]


def draw_calibration(c: Any, template: Template, dx: float = 0.0, dy: float = 0.0) -> None:
    """Crosshairs 20 mm in from each corner and at the centre, with millimetre
    ticks, and how to read them: printed at 100 % on plain paper, a cross that
    lands 1.5 mm right of where it should is an offset of -1.5 mm."""
    page_h = template.page_height * MM
    c.setStrokeGray(0)
    c.setLineWidth(0.4)
    for x_mm, y_mm in calibration_points(template):
        x, y = x_mm * MM + dx, page_h - (y_mm * MM + dy)
        c.line(x - 10 * MM, y, x + 10 * MM, y)
        c.line(x, y - 10 * MM, x, y + 10 * MM)
        c.circle(x, y, 1 * MM)
        for mm in range(-8, 9):
            tick = (1.5 if mm % 5 else 3.0) * MM
            c.line(x + mm * MM, y - tick / 2, x + mm * MM, y + tick / 2)
            c.line(x - tick / 2, y + mm * MM, x + tick / 2, y + mm * MM)
    lines = [_("crmdesk printer calibration: {paper}").format(paper=template.code),
             _("Print at 100 % (actual size). Each cross should be 20 mm from two edges."),
             _("If a cross is to the right or lower, enter that many mm, negative, as the "
               "offset;"),
             _("if it is to the left or higher, enter them positive.")]
    c.setFillGray(0)
    c.setFont(REGULAR, 9)
    top = page_h / 2 + 40 * MM - dy
    for i, line in enumerate(lines):
        c.drawString(CALIBRATION_INSET * MM + dx, top - i * 12.6, line)


def write_calibration_pdf(path: str | os.PathLike[str], template: Template, *,
                          offset_x: float = 0.0, offset_y: float = 0.0) -> Path:
    """The calibration page (draw_calibration) on ``template``'s paper, atomically."""
    from reportlab.pdfgen.canvas import Canvas

    fonts()
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        with open(tmp, "xb") as stream:
            c = Canvas(stream, pagesize=(template.page_width * MM, template.page_height * MM),
                       initialFontName=REGULAR, initialFontSize=9)
            c.setTitle(_("Printer calibration"))
            draw_calibration(c, template, offset_x * MM, offset_y * MM)
            c.showPage()
            c.save()
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _write_error(exc, target) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_pdf(path: str | os.PathLike[str], plan: LabelPlan, *, title: str = "",
              progress: Callable[[int, int], None] | None = None) -> Path:
    """Write ``plan`` to ``path`` (atomically); ``progress(done, total)`` may
    raise to cancel, and then nothing is left behind."""
    from reportlab.pdfgen.canvas import Canvas

    fonts()  # registered before the canvas needs them
    target = Path(path)
    if target.is_dir():
        raise FileWriteError(_("{path} is a folder; choose a file name.").format(path=target))
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    size = (plan.template.page_width * MM, plan.template.page_height * MM)
    try:
        with open(tmp, "xb") as stream:
            c = Canvas(stream, pagesize=size, pageCompression=1, initialFontName=REGULAR,
                       initialFontSize=10)
            c.setTitle(title or plan.template.code)
            c.setCreator("crmdesk")
            render(c, plan, progress=progress)
            c.save()
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _write_error(exc, target) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


