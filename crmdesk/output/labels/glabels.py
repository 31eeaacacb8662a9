"""Sheets from a gLabels template file: the 1,700+ sheets gLabels knows, or one
a user made there, read into our Template.

gLabels (glabels-3 and glabels-qt) keeps templates as XML: a <Template> with a
brand, a part, a paper size (an id such as "A4" or "Other" with its own width
and height), one label shape (<Label-rectangle>, <Label-round>,
<Label-ellipse>, <Label-cd>) holding a <Markup-margin> and one or more
<Layout>s; a <Template equiv="5160"/> is another product code for the same
sheet. Lengths carry a unit (pt by default, in, mm, cm, pc). A .glabels
document (gzip-compressed XML) holds its template too, and is read the same
way. Continuous rolls (<Label-continuous>) have no sheet and are passed over.
"""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from crmdesk.core.i18n import _
from crmdesk.output.labels.geometry import (
    ELLIPSE,
    RECTANGLE,
    ROUND,
    GeometryError,
    Layout,
    Template,
    check,
)

MAX_BYTES = 20_000_000
PT = 25.4 / 72  # mm in a point
UNITS = {"pt": PT, "in": 25.4, "mm": 1.0, "cm": 10.0, "pc": 12 * PT, "": PT}
# gLabels' paper-sizes.xml, the sizes its templates name (mm).
PAPER_SIZES = {
    "A4": (210.0, 297.0), "US-Letter": (215.9, 279.4), "US-Legal": (215.9, 355.6),
    "US-Executive": (184.15, 266.7), "A3": (297.0, 420.0), "A5": (148.0, 210.0),
    "A6": (105.0, 148.0), "A7": (74.0, 105.0), "B5": (176.0, 250.0), "B6": (125.0, 176.0),
    "number10": (104.775, 241.3), "monarch": (98.425, 190.5), "c5": (162.0, 229.0),
    "c6": (114.0, 162.0), "dl": (110.0, 220.0),
}
_LENGTH = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([a-z]*)\s*$")


class TemplateFileError(ValueError):
    """A file that is not a gLabels template, said in words."""


def length(text: str | None, default: float = 0.0) -> float:
    """A gLabels length ("2.625in", "180.2", "5mm") in millimetres."""
    if text is None or not text.strip():
        return default
    match = _LENGTH.match(text)
    if not match or match.group(2) not in UNITS:
        raise TemplateFileError(_("{text!r} is not a length gLabels writes (a number with "
                                  "pt, in, mm, cm or pc).").format(text=text))
    return float(match.group(1)) * UNITS[match.group(2)]


def read_file(path: str | Path) -> list[Template]:
    """Every sheet in a gLabels template file (or .glabels document), with the
    equivalent product codes it lists; a TemplateFileError if there is none."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateFileError(_("{path} could not be read: {reason}.")
                                .format(path=path, reason=exc.strerror or exc)) from exc
    if len(data) > MAX_BYTES:
        raise TemplateFileError(_("{path} is too large to be a gLabels template.")
                                .format(path=path))
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)[:MAX_BYTES]
        except (OSError, EOFError) as exc:
            raise TemplateFileError(_("{path} is a damaged compressed file.")
                                    .format(path=path)) from exc
    templates = read_text(data, source=path.name)
    if not templates:
        raise TemplateFileError(_("{path} holds no sheet of labels crmdesk can print on.")
                                .format(path=path))
    return templates


def read_text(data: bytes | str, *, source: str = "") -> list[Template]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise TemplateFileError(_("{source} is not a gLabels template file (not XML: "
                                  "{reason}).").format(source=source or _("The file"),
                                                       reason=exc)) from exc
    for el in root.iter():  # a namespace (xmlns="http://glabels.org/...") is no matter
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.rsplit("}", 1)[1]
    return read_tree(root.iter("Template"))


def read_tree(elements: Iterable[ET.Element]) -> list[Template]:
    """Templates from <Template> elements; equivalents are folded into the
    template they name (in the same set), as extra product codes."""
    made: dict[str, Template] = {}
    order: list[str] = []
    equivs: list[tuple[str, str, str]] = []
    for el in elements:
        brand = (el.get("brand") or "").strip()
        part = (el.get("part") or el.get("name") or "").strip()
        if el.get("equiv"):
            equivs.append((brand, part, el.get("equiv", "").strip()))
            continue
        try:
            template = _template(el, brand, part)
        except (TemplateFileError, ValueError):
            template = None  # one sheet's bad number does not lose the file's others
        if template is not None:
            key = f"{brand} {part}".casefold()
            made[key] = template
            order.append(key)
    extra: dict[str, list[str]] = {}
    for brand, part, equiv in equivs:
        target = f"{brand} {equiv}".casefold()
        if target in made:
            extra.setdefault(target, []).append(f"{brand} {part}")
    out = []
    for key in order:
        t = made[key]
        if key in extra:
            t = Template(**{**t.__dict__, "equivalents": t.equivalents + tuple(extra[key])})
        out.append(t)
    return out


def _template(el: ET.Element, brand: str, part: str) -> Template | None:
    size = el.get("size", "")
    if size in PAPER_SIZES:
        width, height = PAPER_SIZES[size]
    elif el.get("width") and el.get("height"):
        width, height = length(el.get("width")), length(el.get("height"))
    else:
        return None  # a roll, or a paper we do not know
    label = next((c for c in el if c.tag.startswith("Label-")), None)
    if label is None or label.tag == "Label-continuous":
        return None
    if label.tag == "Label-rectangle":
        shape, w, h = RECTANGLE, length(label.get("width")), length(label.get("height"))
        radius = length(label.get("round"))
    elif label.tag in ("Label-round", "Label-cd"):
        r = length(label.get("radius"))
        shape, w, h, radius = ROUND, 2 * r, 2 * r, r
        if label.tag == "Label-cd" and label.get("width") and label.get("height"):
            w, h = length(label.get("width")), length(label.get("height"))
    elif label.tag == "Label-ellipse":
        shape, w, h = ELLIPSE, length(label.get("width")), length(label.get("height"))
        radius = 0.0
    else:
        return None
    layouts = tuple(
        Layout(int(lay.get("nx", "1")), int(lay.get("ny", "1")), length(lay.get("x0")),
               length(lay.get("y0")), length(lay.get("dx")), length(lay.get("dy")))
        for lay in label.iter("Layout"))
    margin_el = label.find("Markup-margin")
    margin = length(margin_el.get("size")) if margin_el is not None else 1.5
    description = (el.get("_description") or el.get("description") or "").strip()
    template = Template(brand=brand, part=part, description=description,
                        paper=size if size != "Other" else "", page_width=width,
                        page_height=height, label_width=w, label_height=h, layouts=layouts,
                        shape=shape, radius=radius, margin=max(margin, 1.0),
                        note="gLabels")
    try:
        return check(template, tolerance=1.0)
    except GeometryError:
        return None
