"""Where every label goes and what it says: one plan that the PDF draws and the
window's preview paints, so paper and preview agree.

From the recipients (recipients.py) to the labels: the contacts without a
deliverable address are set aside (and listed), the rest sorted (by postcode,
name or country, or kept in the list's order), one label per household if
asked (the same address once, with the people's names together), each label
``copies`` times. Labels fill the sheet row by row from the start position
(a partly used sheet), then sheet after sheet. The printer offset moves
everything by the same millimetres, to make up for a printer that draws a
little off.

Text fits its label: a block too tall or a line too wide is set smaller, down
to ``min_font_size``; what still does not fit is cut (a line ends with "…",
the last lines go) and reported, never drawn over the next label.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from crmdesk.core.i18n import _
from crmdesk.output.fonts import REGULAR, Fonts, fonts
from crmdesk.output.labels.addresses import address_lines, capitals, country_name
from crmdesk.output.labels.geometry import ELLIPSE, ENVELOPE, MM, ROUND, Template
from crmdesk.output.labels.recipients import MAILING, Recipient

LIST, POSTCODE, NAME, COUNTRY = "list", "postcode", "name", "country"
SORTS = (LIST, POSTCODE, NAME, COUNTRY)
LEADING = 1.18  # line height / font size
ELLIPSIS = "…"


def sort_names() -> dict[str, str]:
    return {LIST: _("As listed"), POSTCODE: _("Postcode"), NAME: _("Name"),
            COUNTRY: _("Country")}


@dataclass(frozen=True)
class LabelOptions:
    """What the user chose in the dialog or on the command line."""

    address: str = MAILING
    title: bool = True  # the name with its title (Dr., Mr.)
    job_title: bool = False
    company: bool = True
    department: bool = False
    upper: bool = False
    sort: str = LIST
    household: bool = False
    copies: int = 1
    start_row: int = 1
    start_column: int = 1
    outlines: bool = False
    offset_x: float = 0.0  # mm to the right
    offset_y: float = 0.0  # mm down
    font_size: float = 10.0
    min_font_size: float = 6.0
    home_country: str = ""
    sender: tuple[str, ...] = ()  # envelopes: the return address, line by line


@dataclass(frozen=True)
class LabelText:
    """One label's words, before it has a place."""

    lines: tuple[str, ...]
    contact_ids: tuple[int, ...]
    name: str


@dataclass(frozen=True)
class Placed:
    """One label on one page, in points from the page's top-left corner (the
    printer offset included): the label's box, and the text set in it."""

    page: int
    slot: int
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]
    size: float
    text_x: float  # where each line starts (left aligned) ...
    text_y: float  # ... and the first line's top
    centred: bool = False
    contact_ids: tuple[int, ...] = ()
    cut: bool = False

    @property
    def leading(self) -> float:
        return self.size * LEADING


@dataclass
class LabelPlan:
    template: Template
    options: LabelOptions
    labels: list[Placed]
    pages: int
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    cut: list[str] = field(default_factory=list)  # names whose text did not all fit
    # names, and the characters no shipped font has (left out, never drawn as boxes)
    unprintable: list[tuple[str, str]] = field(default_factory=list)

    def on_page(self, page: int) -> list[Placed]:
        return [p for p in self.labels if p.page == page]

    def report(self) -> list[str]:
        """What the user should know after the run, in words."""
        out = []
        if self.skipped:
            out.append(_("Not printed (no deliverable address):"))
            out += [f"  {name}: {why}" for name, why in self.skipped]
        if self.cut:
            out.append(_("Text cut to fit its label (make the font smaller or choose "
                         "larger labels):"))
            out += [f"  {name}" for name in self.cut]
        if self.unprintable:
            out.append(_("Characters no font has, left out:"))
            out += [f"  {name}: {chars}" for name, chars in self.unprintable]
        return out


class Measure:
    """Text widths in the shipped fonts, at 1 pt (widths scale with the size)."""

    def __init__(self, font_set: Fonts | None = None) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self.fonts = font_set or fonts()
        self._width = stringWidth
        self._cache: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        width = self._cache.get(text)
        if width is None:
            width = sum(float(self._width(piece, font, 1.0))
                        for font, piece in self.fonts.runs(text, REGULAR))
            if len(self._cache) < 50_000:
                self._cache[text] = width
        return width


def _and(names: list[str]) -> str:
    """"Jonas and Ona", "Jonas, Ona and Rūta"."""
    if len(names) == 1:
        return names[0]
    return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


def _household_name(people: list[Recipient]) -> str:
    """One name for the people at one address: "Jonas and Ona Petraitis" (one
    family name), "Jonas Petraitis and Rūta Kazlauskienė", or the first and
    family."""
    if len(people) == 1:
        return people[0].name
    families = {p.family_name.strip().casefold() for p in people}
    if len(families) == 1 and all(p.given_name.strip() for p in people) and len(people) <= 3:
        family = people[0].family_name.strip()
        givens = _and([p.given_name.strip() for p in people])
        if people[0].name.strip().startswith(family):  # family first: 王 小明 and 小红
            return f"{family} {givens}"
        return _("{names} {family}").format(names=givens, family=family)
    if len(people) == 2:
        return _and([people[0].name, people[1].name])
    return _("{one} and family").format(one=people[0].name)


def label_texts(recipients: Iterable[Recipient], options: LabelOptions
                ) -> tuple[list[LabelText], list[tuple[str, str]]]:
    """The labels' words in print order, and the contacts set aside with why."""
    good: list[Recipient] = []
    skipped: list[tuple[str, str]] = []
    for r in recipients:
        if r.ok and r.address is not None:
            good.append(r)
        else:
            skipped.append((r.name or _("(no name)"), r.skipped))
    good = _sorted(good, options.sort)
    groups: list[list[Recipient]] = []
    if options.household:
        by_place: dict[tuple[str, ...], list[Recipient]] = {}
        for r in good:
            assert r.address is not None
            key = r.address.key()
            if key not in by_place:
                by_place[key] = []
                groups.append(by_place[key])
            by_place[key].append(r)
    else:
        groups = [[r] for r in good]
    out = []
    for people in groups:
        first = people[0]
        assert first.address is not None
        name = _household_name(people)
        name_lines = [name]
        if options.job_title and len(people) == 1 and first.job_title.strip():
            name_lines.append(first.job_title.strip())
        org = []
        if options.department and len(people) == 1 and first.department.strip():
            org.append(first.department.strip())
        if options.company and first.company.strip() and len(people) == 1:
            org.append(first.company.strip())
        lines = address_lines(first.address, name=name_lines, organisation=org,
                              home_country=options.home_country, upper=options.upper)
        out.append(LabelText(tuple(lines), tuple(p.contact_id for p in people), name))
    copies = max(1, options.copies)
    if copies > 1:
        out = [t for t in out for _i in range(copies)]
    return out, skipped


def _sorted(people: list[Recipient], how: str) -> list[Recipient]:
    if how == LIST:
        return people
    if how == NAME:
        return sorted(people, key=lambda r: r.sort_key or r.name.casefold())
    if how == POSTCODE:
        return sorted(people, key=lambda r: (
            r.address.country if r.address else "",
            "".join((r.address.postcode if r.address else "").split()).upper(),
            r.sort_key))
    if how == COUNTRY:
        return sorted(people, key=lambda r: (
            country_name(r.address.country) if r.address and r.address.country else "",
            "".join((r.address.postcode if r.address else "").split()).upper(),
            r.sort_key))
    raise ValueError(f"unknown label order {how!r}")


@dataclass(frozen=True)
class Fitted:
    lines: tuple[str, ...]
    size: float
    cut: bool


def _wrap(line: str, width: float, measure: Measure, size: float) -> list[str]:
    """``line`` broken at spaces into pieces no wider than ``width`` (a word
    wider than that stays whole: the caller cuts it)."""
    if measure(line) * size <= width or " " not in line.strip():
        return [line]
    out: list[str] = []
    current = ""
    for word in line.split():
        candidate = f"{current} {word}" if current else word
        if current and measure(candidate) * size > width:
            out.append(current)
            current = word
        else:
            current = candidate
    if current:
        out.append(current)
    return out


def fit(lines: tuple[str, ...], width: float, height: float, measure: Measure, *,
        size: float, min_size: float) -> Fitted:
    """``lines`` set as large as ``size`` allows in ``width`` x ``height`` points,
    not below ``min_size``: a block too tall is set smaller; a line too wide is
    set smaller, then wrapped at its spaces. What does not fit even at
    ``min_size`` is cut (a line ends with "…", the last lines go)."""
    if not lines or width <= 0 or height <= 0:
        return Fitted((), size, bool(lines))
    widest = max(measure(s) for s in lines)
    fits = min(size, height / (len(lines) * LEADING), width / widest if widest else size)
    if fits >= min_size:
        return Fitted(lines, math.floor(fits * 10) / 10, False)
    step = size
    while step >= min_size:  # smaller and wrapped, until the block fits
        wrapped = tuple(piece for line in lines for piece in _wrap(line, width, measure, step))
        if len(wrapped) * step * LEADING <= height and \
                all(measure(s) * step <= width for s in wrapped):
            return Fitted(wrapped, step, False)
        step = round(step - 0.5, 1)
    size = min_size
    room = max(1, int(height // (size * LEADING)))
    kept = list(lines[:room])
    cut = len(kept) < len(lines)
    out = []
    for line in kept:
        if measure(line) * size <= width:
            out.append(line)
            continue
        cut = True
        text = line
        while text and measure(text + ELLIPSIS) * size > width:
            text = text[:-1]
        out.append(text.rstrip() + ELLIPSIS)
    return Fitted(tuple(out), size, cut)


def printable(texts: list[LabelText], measure: Measure
              ) -> tuple[list[LabelText], list[tuple[str, str]]]:
    """``texts`` without the characters no shipped font has (an emoji, a rare
    script): they would print as empty boxes. Which were left out, by name."""
    out: list[LabelText] = []
    missing: list[tuple[str, str]] = []
    for text in texts:
        if all(line.isascii() for line in text.lines):
            out.append(text)
            continue
        gone = measure.fonts.missing("".join(text.lines))
        if not gone:
            out.append(text)
            continue
        if not missing or missing[-1][0] != text.name:
            missing.append((text.name, gone))
        lines = tuple(" ".join("".join(ch for ch in line if ch not in gone).split())
                      for line in text.lines)
        out.append(LabelText(tuple(s for s in lines if s), text.contact_ids, text.name))
    return out, missing


def plan_labels(template: Template, texts: list[LabelText], options: LabelOptions, *,
                skipped: list[tuple[str, str]] | None = None, measure: Measure | None = None,
                progress: Callable[[int, int], None] | None = None) -> LabelPlan:
    """Every label's page, box and text. ``progress(done, total)`` may raise to stop."""
    measure = measure or Measure()
    texts, missing = printable(texts, measure)
    if template.kind == ENVELOPE:
        plan = _plan_envelopes(template, texts, options, skipped or [], measure)
        plan.unprintable = missing
        return plan
    slots = template.slots()
    per_sheet = len(slots)
    start = template.slot_at(options.start_row, options.start_column)
    w, h = template.label_width * MM, template.label_height * MM
    inset_x = inset_y = template.margin * MM
    centred = template.shape in (ROUND, ELLIPSE)
    if centred:  # the rectangle inside the circle or ellipse
        inset_x = max(inset_x, w * (1 - 1 / math.sqrt(2)) / 2)
        inset_y = max(inset_y, h * (1 - 1 / math.sqrt(2)) / 2)
    box_w, box_h = w - 2 * inset_x, h - 2 * inset_y
    dx, dy = options.offset_x * MM, options.offset_y * MM
    placed: list[Placed] = []
    cut: list[str] = []
    total = len(texts)
    for i, text in enumerate(texts):
        where = start + i
        page, slot = divmod(where, per_sheet)
        sx, sy = slots[slot]
        x, y = sx * MM + dx, sy * MM + dy
        fitted = fit(text.lines, box_w, box_h, measure, size=options.font_size,
                     min_size=options.min_font_size)
        if fitted.cut and (not cut or cut[-1] != text.name):
            cut.append(text.name)
        block = len(fitted.lines) * fitted.size * LEADING
        placed.append(Placed(page, slot, x, y, w, h, fitted.lines, fitted.size, x + inset_x,
                             y + inset_y + max(0.0, (box_h - block) / 2), centred,
                             text.contact_ids, fitted.cut))
        if progress is not None and i % 500 == 499:
            progress(i + 1, total)
    pages = (start + len(texts) + per_sheet - 1) // per_sheet if texts else 1
    return LabelPlan(template, options, placed, pages, list(skipped or []), cut, missing)


def _plan_envelopes(template: Template, texts: list[LabelText], options: LabelOptions,
                    skipped: list[tuple[str, str]], measure: Measure) -> LabelPlan:
    """One envelope a page: the return address in the top-left corner, the
    recipient's a little left of the middle and below it, clear of the stamp
    (top right) and of the sorting machines' barcode strip (the bottom 15 mm)."""
    W, H = template.page_width * MM, template.page_height * MM  # noqa: N806
    dx, dy = options.offset_x * MM, options.offset_y * MM
    edge = 12 * MM
    to_x, to_y = 0.42 * W, 0.45 * H
    to_w, to_h = W - to_x - edge, H - to_y - 15 * MM
    from_w, from_h = 0.4 * W, to_y - 2 * edge
    sender = tuple(capitals(s) if options.upper else s for s in options.sender if s.strip())
    sent = fit(sender, from_w, from_h, measure, size=min(options.font_size, 9.0),
               min_size=options.min_font_size) if sender else None
    placed: list[Placed] = []
    cut: list[str] = []
    for page, text in enumerate(texts):
        if sent is not None:
            placed.append(Placed(page, -1, dx + edge, dy + edge, from_w, from_h, sent.lines,
                                 sent.size, dx + edge, dy + edge))
        fitted = fit(text.lines, to_w, to_h, measure, size=max(options.font_size, 11.0),
                     min_size=options.min_font_size)
        if fitted.cut:
            cut.append(text.name)
        placed.append(Placed(page, 0, dx + to_x, dy + to_y, to_w, to_h, fitted.lines,
                             fitted.size, dx + to_x, dy + to_y, False, text.contact_ids,
                             fitted.cut))
    return LabelPlan(template, options, placed, max(1, len(texts)), skipped, cut)
