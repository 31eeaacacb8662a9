"""What a sheet of labels (or an envelope) is, as measured: the shapes shared by
the catalogue, gLabels files and sheets a user measures with a ruler.

Every length is in millimetres (a ruler's unit); the PDF converts to points
once, when it draws. A sheet may have several layouts (gLabels' <Layout>: a
sheet with two blocks of labels at different pitches), each a grid of
``columns`` x ``rows`` labels whose first label's top-left corner is at
(``x0``, ``y0``) from the sheet's top-left corner, the next one ``dx`` to the
right and ``dy`` down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crmdesk.core.i18n import _

SHEET, ENVELOPE = "sheet", "envelope"
RECTANGLE, ROUND, ELLIPSE = "rectangle", "round", "ellipse"
MM = 72 / 25.4  # points in a millimetre
TOLERANCE = 0.05  # mm a label may stick out of the sheet (rounding in the makers' specs)


class GeometryError(ValueError):
    """A sheet whose labels cannot be where it says (off the paper, overlapping)."""


@dataclass(frozen=True)
class Layout:
    columns: int
    rows: int
    x0: float
    y0: float
    dx: float
    dy: float

    @property
    def count(self) -> int:
        return self.columns * self.rows


@dataclass(frozen=True)
class Template:
    """One kind of sheet or envelope.

    ``brand`` and ``part`` name it ("Avery", "5160"); ``equivalents`` are other
    product codes sold with the same geometry ("Avery 8160", "Avery 5260");
    ``margin`` is how far the text stays inside each label's edge; ``note``
    says where a measurement comes from when it is not gLabels'.
    """

    brand: str
    part: str
    description: str
    paper: str
    page_width: float
    page_height: float
    label_width: float
    label_height: float
    layouts: tuple[Layout, ...]
    kind: str = SHEET
    shape: str = RECTANGLE
    radius: float = 0.0
    margin: float = 1.5
    equivalents: tuple[str, ...] = ()
    note: str = ""
    keywords: tuple[str, ...] = field(default=(), compare=False)

    @property
    def code(self) -> str:
        return f"{self.brand} {self.part}".strip()

    @property
    def per_sheet(self) -> int:
        return sum(layout.count for layout in self.layouts)

    @property
    def columns(self) -> int:
        return max(layout.columns for layout in self.layouts)

    @property
    def rows(self) -> int:
        return sum(layout.rows for layout in self.layouts)

    def slots(self) -> list[tuple[float, float]]:
        """The top-left corner (mm from the sheet's top-left) of every label, in
        the order they are filled: row by row, left to right, layout by layout."""
        out: list[tuple[float, float]] = []
        for layout in self.layouts:
            for row in range(layout.rows):
                for col in range(layout.columns):
                    out.append((layout.x0 + col * layout.dx, layout.y0 + row * layout.dy))
        return out

    def slot_at(self, row: int, column: int) -> int:
        """The index of the label at (``row``, ``column``), both from 1, of the
        sheet's grid: labels of several layouts are counted down the sheet."""
        if row < 1 or column < 1:
            raise GeometryError(_("Rows and columns are counted from 1."))
        first = 0
        for layout in self.layouts:
            if row <= layout.rows:
                if column > layout.columns:
                    raise GeometryError(
                        _("This sheet has {n} columns there; column {c} is not on it.")
                        .format(n=layout.columns, c=column))
                return first + (row - 1) * layout.columns + (column - 1)
            row -= layout.rows
            first += layout.count
        raise GeometryError(_("This sheet has {n} rows; row {r} is not on it.")
                            .format(n=self.rows, r=row + self.rows))

    def summary(self) -> str:
        """One line for a list: size, count and paper."""
        if self.kind == ENVELOPE:
            return _("{w:g} x {h:g} mm envelope").format(w=round(self.page_width, 1),
                                                         h=round(self.page_height, 1))
        return _("{w:g} x {h:g} mm, {n} per sheet ({c} x {r}), {paper}").format(
            w=round(self.label_width, 1), h=round(self.label_height, 1), n=self.per_sheet,
            c=self.columns, r=self.rows, paper=self.paper)


def check(template: Template, tolerance: float = TOLERANCE) -> Template:
    """``template`` if every label is on the paper and no two overlap; else a
    GeometryError saying which measurement is off. ``tolerance``: how many mm
    a label may stick out (gLabels rounds some sheets to whole points, and
    their last label then ends a fraction of a millimetre past the paper)."""
    TOLERANCE = tolerance  # noqa: N806
    if template.page_width <= 0 or template.page_height <= 0:
        raise GeometryError(_("The sheet needs a width and a height."))
    if template.label_width <= 0 or template.label_height <= 0:
        raise GeometryError(_("A label needs a width and a height."))
    if not template.layouts:
        raise GeometryError(_("The sheet has no labels."))
    for layout in template.layouts:
        if layout.columns < 1 or layout.rows < 1:
            raise GeometryError(_("A sheet needs at least one column and one row."))
        if layout.x0 < -TOLERANCE or layout.y0 < -TOLERANCE:
            raise GeometryError(_("The first label cannot start outside the sheet."))
        if layout.columns > 1 and layout.dx < template.label_width - TOLERANCE:
            raise GeometryError(_("Labels {w:g} mm wide {dx:g} mm apart would overlap: the "
                                  "distance from one label's left edge to the next one's "
                                  "is at least the label's width.")
                                .format(w=template.label_width, dx=layout.dx))
        if layout.rows > 1 and layout.dy < template.label_height - TOLERANCE:
            raise GeometryError(_("Labels {h:g} mm high {dy:g} mm apart would overlap: the "
                                  "distance from one label's top edge to the next one's "
                                  "is at least the label's height.")
                                .format(h=template.label_height, dy=layout.dy))
        right = layout.x0 + (layout.columns - 1) * layout.dx + template.label_width
        bottom = layout.y0 + (layout.rows - 1) * layout.dy + template.label_height
        if right > template.page_width + TOLERANCE:
            raise GeometryError(_("The labels reach {right:.1f} mm across, past the sheet's "
                                  "width of {width:g} mm: check the left margin, the "
                                  "columns and the horizontal distance.")
                                .format(right=right, width=template.page_width))
        if bottom > template.page_height + TOLERANCE:
            raise GeometryError(_("The labels reach {bottom:.1f} mm down, past the sheet's "
                                  "height of {height:g} mm: check the top margin, the rows "
                                  "and the vertical distance.")
                                .format(bottom=bottom, height=template.page_height))
    if template.radius < 0 or 2 * template.radius > min(template.label_width,
                                                         template.label_height) + TOLERANCE:
        raise GeometryError(_("The corner radius is larger than the label."))
    return template


def custom_sheet(*, page_width: float, page_height: float, label_width: float,
                 label_height: float, columns: int, rows: int, left: float, top: float,
                 horizontal: float | None = None, vertical: float | None = None,
                 radius: float = 0.0, name: str = "", paper: str = "") -> Template:
    """A sheet measured with a ruler: the paper, one label, how many across and
    down, the margins to the first label and the distance from one label's
    edge to the next one's (by default the label's own size: no gap)."""
    dx = label_width if horizontal is None else horizontal
    dy = label_height if vertical is None else vertical
    return check(Template(
        brand=_("Custom"), part=name.strip() or _("sheet"), description=_("Measured sheet"),
        paper=paper or _("{w:g} x {h:g} mm").format(w=page_width, h=page_height),
        page_width=page_width, page_height=page_height, label_width=label_width,
        label_height=label_height, layouts=(Layout(columns, rows, left, top, dx, dy),),
        radius=radius))
