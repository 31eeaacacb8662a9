"""A call sheet: a call list on paper, to work down with a phone and a pen.

Landscape A4 (Letter where the locale uses it), a title with the list's name or
lookup and the date, the header row repeated on every page, "Page 2 of 7",
blank "Result" and "Notes" columns to write in, zebra rows so a finger can
follow a line, and every value whole: a long one wraps inside its cell, and a
row taller than a page goes on over the next (nothing is cut off or runs over
its column).

The glyphs come from fonts shipped in resources/fonts (DejaVu Sans for Latin,
Lithuanian and Cyrillic; WenQuanYi Micro Hei for Chinese), never from the
user's machine, and are embedded (subsetted) in the file: each text is split
into runs by which font has its characters.

The layout (SheetLayout: columns, wrapped lines, pages) is kept apart from the
drawing, so that printing (ui/contacts/print_sheet.py, with QPainter) puts the
very same sheet on paper as this module's PDF (reportlab's canvas: drawn
directly rather than through platypus tables, which are far too slow for
100,000 rows).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from crmdesk.core.errors import FileWriteError
from crmdesk.core.i18n import _, ngettext
from crmdesk.io.atomic import atomic_binary
from crmdesk.io.call_list import CallList, cell_text

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
REGULAR, BOLD, CJK = "CrmdeskSans", "CrmdeskSans-Bold", "CrmdeskCJK"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", CJK: "wqy-microhei.ttc"}

A4, LETTER = "a4", "letter"
PAPERS = {A4: (841.89, 595.28), LETTER: (792.0, 612.0)}  # landscape, in points
# Where Letter is the paper in the shops (CLDR's paperSize: US-Letter).
LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT",
                                "PA", "PR", "SV", "DO", "NI", "BZ"})

MARGIN = 28.0  # a centimetre
FONT_SIZE = 8.5
LEADING = 10.5
PAD = 3.0
MIN_ROW = 20.0  # room to write a word by hand
TITLE_SIZE = 13.0
TITLE_LEADING = 16.0
FOOTER = 16.0
RESULT_WIDTH = 80.0
NOTES_WIDTH = 150.0
MIN_COLUMN = 40.0
SAMPLE = 1000  # rows measured to size the columns
ZEBRA = (0.93, 0.95, 0.98)
HEAD_FILL = (0.82, 0.86, 0.92)
RULE = (0.6, 0.6, 0.6)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_TOKENS = re.compile(r"\S+\s*|\s+")
_PARTS = re.compile(r"[^@./-]+[@./-]*\s*|[@./-]+\s*")


def paper_for(locale_name: str | None = None) -> str:
    """A4, or Letter where the locale's country uses it (``en_US``, ``es_MX`` ...);
    by default the locale of the environment (LC_PAPER, LC_ALL, LANG)."""
    if locale_name is None:
        locale_name = next((os.environ[v] for v in ("LC_PAPER", "LC_ALL", "LANG")
                            if os.environ.get(v)), "")
    match = re.match(r"[A-Za-z]{2,3}[_-]([A-Za-z]{2})\b", locale_name or "")
    return LETTER if match and match.group(1).upper() in LETTER_TERRITORIES else A4


@dataclass(frozen=True)
class Fonts:
    """The shipped fonts, registered with reportlab, and which characters each has."""

    regular: frozenset[str]
    cjk: frozenset[str]


@lru_cache(maxsize=1)
def fonts() -> Fonts:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    loaded = {}
    for name, file in FONT_FILES.items():
        path = FONT_DIR / file
        if not path.is_file():
            raise FileWriteError(_("The font {file} is missing from {folder}: reinstall "
                                   "crmdesk to make call sheets.").format(file=file,
                                                                           folder=FONT_DIR))
        font = TTFont(name, str(path), subfontIndex=0) if file.endswith(".ttc") \
            else TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        loaded[name] = font
    return Fonts(frozenset(chr(c) for c in loaded[REGULAR].face.charToGlyph),
                 frozenset(chr(c) for c in loaded[CJK].face.charToGlyph))


def clean(text: str) -> str:
    """A value as it can be drawn: control characters as spaces, tabs as spaces."""
    return _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")
                        .replace("\t", "    "))


@dataclass
class Block:
    """One row (or the part of a tall row) on one page: where, and the lines of
    each column shown there."""

    top: float
    height: float
    lines: list[list[str]]
    row: int  # which row of the sheet (from 0)

    @property
    def shade(self) -> bool:
        return self.row % 2 == 1


@dataclass
class Page:
    number: int
    blocks: list[Block] = field(default_factory=list)

    @property
    def bottom(self) -> float:
        return self.blocks[-1].top + self.blocks[-1].height if self.blocks else 0.0


class SheetLayout:
    """Where everything goes on the pages of a call sheet, in points from the
    page's top left; measured with the shipped fonts' metrics."""

    def __init__(self, sheet: CallList, *, title: str = "", paper: str = "",
                 day: date | None = None) -> None:
        from reportlab.pdfbase.pdfmetrics import getFont

        self.fonts = fonts()
        self._widths = {name: getFont(name).stringWidth for name in FONT_FILES}
        self._chars: dict[tuple[str, str], float] = {}
        self._wrapped: dict[tuple[str, float], list[str]] = {}
        self.sheet = sheet
        self.paper = paper if paper in PAPERS else paper_for()
        self.page_width, self.page_height = PAPERS[self.paper]
        self.title = clean(title.strip()) or _("Call list")
        day = day or date.today()
        self.subtitle = ngettext("{day} · {n} contact", "{day} · {n} contacts",
                                 len(sheet.rows)).format(day=day.isoformat(),
                                                         n=len(sheet.rows))
        blank_notes = _("Notes") if "notes" not in sheet.keys else _("New notes")
        self.head = [*sheet.head, _("Result"), blank_notes]
        self.blank = 2
        self._blanks: list[list[str]] = [[""] for _blank in range(self.blank)]
        self.widths = self._column_widths()
        self.xs = [MARGIN]
        for w in self.widths[:-1]:
            self.xs.append(self.xs[-1] + w)
        usable = self.page_width - 2 * MARGIN - self.measure(self.subtitle, REGULAR) - 12
        self.title_lines = self.wrap(self.title, usable + 2 * PAD, BOLD, TITLE_SIZE)
        self.header_top = MARGIN + len(self.title_lines) * TITLE_LEADING + 6
        self.header_lines = [self.wrap(h, w, BOLD) for h, w in zip(self.head, self.widths,
                                                                    strict=True)]
        self.header_height = max(len(c) for c in self.header_lines) * LEADING + 2 * PAD
        self.body_top = self.header_top + self.header_height
        self.body_bottom = self.page_height - MARGIN - FOOTER
        self.footer_title = self._shortened(self.title, (self.page_width - 2 * MARGIN) / 2)
        self.lines_per_page = max(1, int((self.body_bottom - self.body_top - 2 * PAD)
                                         // LEADING))

    # -- text ------------------------------------------------------------------------
    def runs(self, text: str, font: str = REGULAR) -> list[tuple[str, str]]:
        """``text`` as (font, piece) runs: Chinese in the CJK font, the rest in
        ``font`` (a character neither has, an emoji, shows as a box)."""
        regular, cjk = self.fonts.regular, self.fonts.cjk
        if text.isascii() or regular.issuperset(text):
            return [(font, text)]
        out: list[tuple[str, str]] = []
        current = font
        piece: list[str] = []
        for ch in text:
            use = font if ch in regular or ch not in cjk else CJK
            if use != current and piece:
                out.append((current, "".join(piece)))
                piece = []
            current = use
            piece.append(ch)
        if piece:
            out.append((current, "".join(piece)))
        return out

    def measure(self, text: str, font: str = REGULAR, size: float = FONT_SIZE) -> float:
        if text.isascii():
            return float(self._widths[font](text, size))
        return sum(float(self._widths[f](piece, size)) for f, piece in self.runs(text, font))

    def _char(self, ch: str, font: str, size: float) -> float:
        key = (ch, font)
        width = self._chars.get(key)
        if width is None:
            width = self._chars[key] = self.measure(ch, font, FONT_SIZE)
        return width * size / FONT_SIZE

    def wrap(self, text: str, width: float, font: str = REGULAR,
             size: float = FONT_SIZE) -> list[str]:
        """``text`` as the lines that fit ``width`` (a column, its padding included):
        broken at spaces, a word longer than the column after @ . - / or else
        between its characters (Chinese has no spaces). Nothing is dropped.

        Widths add up (reportlab does not kern), so each word is measured once."""
        room = width - 2 * PAD
        if "\n" not in text and ((len(text) * size * 1.1 <= room and text.isascii())
                                 or self.measure(text, font, size) <= room):
            return [text]  # (no ASCII letter is wider than 1.1 em)
        measure = self.measure
        space = self._char(" ", font, size)
        out: list[str] = []
        for para in clean(text).split("\n"):
            line, used = "", 0.0
            for token in _TOKENS.findall(para):
                bare = token.rstrip()
                wide = measure(bare, font, size) if bare else 0.0
                gap = space * (len(token) - len(bare))
                if used + wide <= room:
                    line += token
                    used += wide + gap
                    continue
                if line.strip():
                    out.append(line.rstrip())
                line, used = "", 0.0
                if wide <= room:
                    line, used = token, wide + gap
                    continue
                # a word wider than the column: broken after @ . - / if that is
                # enough (an e-mail address, a web address), else anywhere
                for part in _PARTS.findall(token):
                    bare = part.rstrip()
                    wide = measure(bare, font, size) if bare else 0.0
                    gap = space * (len(part) - len(bare))
                    if used + wide <= room:
                        line += part
                        used += wide + gap
                        continue
                    if line and wide <= room:
                        out.append(line.rstrip())
                        line, used = part, wide + gap
                        continue
                    for ch in part:
                        w = self._char(ch, font, size)
                        if used + w > room and line:
                            out.append(line.rstrip())
                            line, used = "", 0.0
                        if not line and ch.isspace():
                            continue  # no line starts with the space it broke at
                        line += ch
                        used += w
            if line.strip() or not out:
                out.append(line.rstrip())
        return out or [""]

    def _shortened(self, text: str, width: float) -> str:
        """``text`` cut to ``width`` with an ellipsis (only the footer's reminder of
        the title: the title itself is whole at the top)."""
        if self.measure(text) <= width:
            return text
        while text and self.measure(text + "…") > width:
            text = text[:-1]
        return text + "…"

    # -- columns ---------------------------------------------------------------------
    def _column_widths(self) -> list[float]:
        """Each data column as wide as most of its values (measured on the first
        rows), the header's longest word at least; what is left over goes to
        the blank Notes column to write in."""
        available = self.page_width - 2 * MARGIN
        data = len(self.sheet.head)
        natural: list[float] = []
        sample = self.sheet.rows[:SAMPLE]
        for i, title in enumerate(self.sheet.head):
            words = max((self.measure(w, BOLD) for w in title.split()), default=0.0)
            widths = sorted(self.measure(cell_text(r[i]).split("\n")[0]) for r in sample)
            typical = widths[int(len(widths) * 0.9)] if widths else 0.0
            natural.append(max(words, min(typical, 220.0)) + 2 * PAD + 2)
        natural = [max(MIN_COLUMN, n) for n in natural]
        blank = [RESULT_WIDTH, NOTES_WIDTH]
        if sum(natural) + sum(blank) > available:  # tight: less room to write in
            blank = [RESULT_WIDTH * 0.75, NOTES_WIDTH * 0.7]
        blank = [max(b, self.measure(h, BOLD) + 2 * PAD)
                 for b, h in zip(blank, self.head[-2:], strict=True)]
        room = available - sum(blank)
        if data and sum(natural) > room:
            natural = _fair(natural, max(room, MIN_COLUMN * data))
        elif data:  # room to spare: the Notes to write in up to twice as wide, the
            # rest shared by the data columns (fewer wrapped lines)
            spare = room - sum(natural)
            extra = min(spare, blank[-1])
            blank[-1] += extra
            total = sum(natural)
            natural = [n + (spare - extra) * n / total for n in natural]
        widths = natural + blank
        total = sum(widths)
        if total > available:  # many columns: everything narrower alike
            widths = [w * available / total for w in widths]
        else:
            widths[-1] += available - total
        return widths

    # -- pages -----------------------------------------------------------------------
    def row_lines(self, row: list[object]) -> list[list[str]]:
        """Each column's lines for ``row`` (the blank ones: one empty line)."""
        cells = []
        known = self._wrapped
        if len(known) > 200_000:
            known.clear()
        for value, width in zip(row, self.widths, strict=False):
            text = value if isinstance(value, str) else cell_text(value)
            # companies, cities, statuses repeat: each wrapped once per width
            lines = known.get((text, width))
            if lines is None:
                lines = self.wrap(text if text.isprintable() else clean(text), width)
                known[(text, width)] = lines
            cells.append(lines)
        return cells + self._blanks

    def pages(self) -> Iterator[Page]:
        """The pages, one at a time (a 100,000-row sheet is not held whole)."""
        page = Page(1)
        y = self.body_top
        for index, row in enumerate(self.sheet.rows):
            cells = self.row_lines(row)
            count = max(len(c) for c in cells)
            start = 0
            while start < count:
                left = count - start
                height = max(MIN_ROW, left * LEADING + 2 * PAD)
                if y + height <= self.body_bottom:
                    page.blocks.append(Block(y, height, [c[start:] for c in cells], index))
                    y += height
                    break
                fits = int((self.body_bottom - y - 2 * PAD) // LEADING)
                if left > self.lines_per_page and (fits >= 3 or not page.blocks):
                    # taller than a page: as much as fits here, the rest overleaf
                    fits = max(1, fits)
                    page.blocks.append(Block(y, fits * LEADING + 2 * PAD,
                                             [c[start:start + fits] for c in cells],
                                             index))
                    start += fits
                yield page
                page = Page(page.number + 1)
                y = self.body_top
        yield page

    def page_count(self) -> int:
        return sum(1 for _page in self.pages())

    def page_label(self, number: int, total: int | str) -> str:
        return _("Page {page} of {pages}").format(page=number, pages=total)


def _fair(wanted: list[float], room: float) -> list[float]:
    """``room`` shared out: a column that wants less than an equal share gets what
    it wants, the wider ones share the rest equally (max-min fairness), so a
    long notes column wraps rather than every name."""
    widths = [0.0] * len(wanted)
    left = list(range(len(wanted)))
    while left:
        share = room / len(left)
        small = [i for i in left if wanted[i] <= share]
        if not small:
            for i in left:
                widths[i] = share
            break
        for i in small:
            widths[i] = wanted[i]
            room -= wanted[i]
        left = [i for i in left if i not in small]
    return widths


# -- the PDF ---------------------------------------------------------------------------


def write_pdf(path: str | os.PathLike[str], sheet: CallList, *, title: str = "",
              paper: str = "", day: date | None = None,
              progress: Callable[[int, int], None] | None = None) -> int:
    """``sheet`` as a PDF call sheet at ``path`` (written atomically); how many rows.
    ``progress(rows done, rows)`` after each page; it may raise to stop."""
    from reportlab.pdfgen.canvas import Canvas

    layout = SheetLayout(sheet, title=title, paper=paper, day=day)
    total_rows = len(sheet.rows)
    with atomic_binary(path) as stream:
        canvas = Canvas(stream, pagesize=(layout.page_width, layout.page_height),
                        pageCompression=1, initialFontName=REGULAR,
                        initialFontSize=FONT_SIZE)
        canvas.setTitle(layout.title)
        canvas.setSubject(layout.subtitle)
        canvas.setCreator("crmdesk")
        pages = 0
        text = _Text(canvas, layout)
        for page in layout.pages():
            draw_page(canvas, layout, page, text)
            canvas.showPage()
            pages += 1
            if progress is not None and page.blocks:
                progress(page.blocks[-1].row + 1, total_rows)
        # "of 7": a form drawn on every page, whose contents are known only now
        canvas.beginForm("pages")
        canvas.setFont(REGULAR, FONT_SIZE)
        canvas.setFillColorRGB(0.3, 0.3, 0.3)
        canvas.drawString(0, 0, _page_tail(layout).format(pages=pages))
        canvas.endForm()
        canvas.save()
    return total_rows


def _page_tail(layout: SheetLayout) -> str:
    """What follows the page number in "Page 2 of 7" (" of {pages}")."""
    template = _("Page {page} of {pages}")
    cut = template.find("{pages}")
    start = template.find("{page}") + len("{page}")
    return template[start:] if 0 <= template.find("{page}") < cut else " {pages}"


def _page_head(layout: SheetLayout, number: int) -> str:
    template = _("Page {page} of {pages}")
    at = template.find("{page}")
    if at < 0 or template.find("{pages}") < at:
        return str(number)
    return template[:at + len("{page}")].format(page=number)


class _Text:
    """A page's text as PDF operators, written straight into the page: the way
    reportlab's ttfonts documents for its dynamic (subsetted) fonts, without a
    TextObject's bookkeeping per string, which is most of the time of a
    100,000-row sheet."""

    def __init__(self, canvas: Any, layout: SheetLayout) -> None:
        from reportlab.lib.rl_accel import escapePDF, fp_str
        from reportlab.pdfbase.pdfmetrics import getFont

        self.canvas = canvas
        self.layout = layout
        self.doc = canvas._doc
        self.fonts = {name: getFont(name) for name in FONT_FILES}
        self.escape, self.number = escapePDF, fp_str
        self.out: list[str] = ["BT"]
        self.current: tuple[str, float] | None = None
        # the PDF strings of a line of text: cities, companies, headers repeat
        self.pieces: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def begin(self) -> None:
        self.out = ["BT"]
        self.current = None

    def colour(self, grey: str) -> None:
        self.out.append(grey)

    def put(self, x: float, y: float, line: str, font: str, size: float) -> None:
        """``line`` from (x, y), its runs in the fonts that have their characters."""
        out = self.out
        out.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        strings = self.pieces.get((font, line))
        if strings is None:
            strings = []
            for font_name, piece in self.layout.runs(line, font):
                face = self.fonts[font_name]
                strings += [(face.getSubsetInternalName(subset, self.doc),
                             f"({self.escape(data)}) Tj")
                            for subset, data in face.splitString(piece, self.doc)]
            if len(self.pieces) > 200_000:
                self.pieces.clear()
            self.pieces[(font, line)] = strings
        for name, shown in strings:
            if self.current != (name, size):
                out.append(f"{name} {self.number(size)} Tf")
                self.current = (name, size)
            out.append(shown)

    def close(self) -> None:
        self.out.append("ET")
        self.canvas.addLiteral("\n".join(self.out))


def draw_page(c: Any, layout: SheetLayout, page: Page, text: _Text | None = None) -> None:
    """One page of the sheet on a reportlab canvas ``c`` (origin bottom left);
    ``text``: the document's text writer (one is made if not given)."""
    h = layout.page_height
    left, right = MARGIN, layout.page_width - MARGIN
    top = layout.header_top
    bottom = page.bottom or layout.body_top
    # zebra, then the header's fill, then the rules
    c.setFillColorRGB(*ZEBRA)
    for block in page.blocks:
        if block.shade:
            c.rect(left, h - block.top - block.height, right - left,
                   block.height, stroke=0, fill=1)
    c.setFillColorRGB(*HEAD_FILL)
    c.rect(left, h - top - layout.header_height, right - left,
           layout.header_height, stroke=0, fill=1)
    c.setStrokeColorRGB(*RULE)
    c.setLineWidth(0.4)
    path = c.beginPath()
    for y in [top, layout.body_top, *(b.top + b.height for b in page.blocks)]:
        path.moveTo(left, h - y)
        path.lineTo(right, h - y)
    for x in [*layout.xs, right]:
        path.moveTo(x, h - top)
        path.lineTo(x, h - bottom)
    c.drawPath(path, stroke=1, fill=0)

    text = text or _Text(c, layout)
    text.begin()
    text.colour("0 g")
    for i, line in enumerate(layout.title_lines):
        text.put(left, h - MARGIN - TITLE_SIZE - i * TITLE_LEADING, line, BOLD, TITLE_SIZE)
    text.colour("0.3 g")
    sub_width = layout.measure(layout.subtitle)
    text.put(right - sub_width, h - MARGIN - TITLE_SIZE, layout.subtitle, REGULAR, FONT_SIZE)
    text.colour("0 g")
    for x, lines in zip(layout.xs, layout.header_lines, strict=True):
        for i, line in enumerate(lines):
            text.put(x + PAD, h - (top + PAD + FONT_SIZE + i * LEADING - 1), line, BOLD,
                     FONT_SIZE)
    put = text.put
    for block in page.blocks:
        first = h - (block.top + PAD + FONT_SIZE - 1)
        for x, lines in zip(layout.xs, block.lines, strict=True):
            for i, line in enumerate(lines):
                if line:
                    put(x + PAD, first - i * LEADING, line, REGULAR, FONT_SIZE)
    text.colour("0.3 g")
    head = _page_head(layout, page.number)
    width = layout.measure(head)
    footer = layout.page_height - MARGIN
    tail_room = layout.measure(_page_tail(layout).format(pages=88888))
    text.put(right - tail_room - width, h - footer, head, REGULAR, FONT_SIZE)
    text.put(left, h - footer, layout.footer_title, REGULAR, FONT_SIZE)
    text.close()
    c.saveState()
    c.translate(right - tail_room, h - footer)
    c.doForm("pages")
    c.restoreState()
