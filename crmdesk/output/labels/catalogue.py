"""The sheets and envelopes crmdesk knows by name (templates.json, shipped
inside the package so an installed wheel has it).

A user finds a sheet by what is printed on its box: a brand, a product code,
or one of the codes sold with the same geometry ("8160" finds Avery 5160,
"J8160" finds L7160). The numbers come from gLabels' templates where gLabels
has the sheet (tests/output/test_label_catalogue.py compares every one) and
from the maker's published layout where it has not; ``note`` says which.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from crmdesk.core.i18n import _
from crmdesk.core.text.folding import fold
from crmdesk.output.labels.geometry import (
    ENVELOPE,
    RECTANGLE,
    SHEET,
    GeometryError,
    Layout,
    Template,
    check,
)

_SPACES = re.compile(r"[\s\-_/#.]+")


def _entry(raw: dict[str, Any]) -> Template:
    return check(Template(
        brand=raw["brand"], part=raw["part"], description=raw.get("description", ""),
        paper=raw.get("paper", ""), page_width=float(raw["page_width"]),
        page_height=float(raw["page_height"]), label_width=float(raw["label_width"]),
        label_height=float(raw["label_height"]),
        layouts=tuple(Layout(int(c), int(r), float(x0), float(y0), float(dx), float(dy))
                      for c, r, x0, y0, dx, dy in raw["layouts"]),
        kind=raw.get("kind", SHEET), shape=raw.get("shape", RECTANGLE),
        radius=float(raw.get("radius", 0.0)), margin=float(raw.get("margin", 1.5)),
        equivalents=tuple(raw.get("equivalents", ())), note=raw.get("note", ""),
        keywords=tuple(k for k in (raw.get("glabels", ""), raw.get("glabels_paper", "")) if k)))


@lru_cache(maxsize=1)
def catalogue() -> tuple[Template, ...]:
    """Every template crmdesk ships, sheets first, in the file's order."""
    text = resources.files("crmdesk.output.labels").joinpath("templates.json") \
        .read_text(encoding="utf-8")
    data = json.loads(text)
    return tuple(_entry(raw) for raw in data["templates"])


def _key(text: str) -> str:
    return _SPACES.sub("", fold(text))


def _names(template: Template) -> list[str]:
    out = [template.code, template.part, *template.equivalents]
    out += [e.split(" ", 1)[1] for e in template.equivalents if " " in e]
    return out


def search(text: str = "", *, kind: str | None = None,
           templates: tuple[Template, ...] | None = None) -> list[Template]:
    """The templates whose brand, product code (or an equivalent's), description
    or size match every word of ``text``; exact codes first. ``kind``: only
    sheets or only envelopes."""
    pool = [t for t in (templates if templates is not None else catalogue())
            if kind is None or t.kind == kind]
    words = [_key(w) for w in text.split() if _key(w)]
    if not words:
        return pool
    exact: list[Template] = []
    partial: list[Template] = []
    for t in pool:
        codes = [_key(n) for n in _names(t)]
        hay = " ".join([*codes, _key(t.brand), fold(t.description), fold(t.paper),
                        _key(t.summary())])
        if not all(w in hay for w in words):
            continue
        whole = _key(text)
        (exact if whole in codes or any(w in codes for w in words) else partial).append(t)
    return exact + partial


def find(code: str, *, kind: str | None = None,
         templates: tuple[Template, ...] | None = None) -> Template:
    """The one template ``code`` names ("5160", "Avery 8160", "L7160", "DL"); a
    GeometryError naming the near matches when it is none or several."""
    pool = [t for t in (templates if templates is not None else catalogue())
            if kind is None or t.kind == kind]
    key = _key(code)
    hits = [t for t in pool if key in {_key(n) for n in _names(t)}]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        near = search(code, kind=kind, templates=templates)[:5]
        what = _("envelope") if kind == ENVELOPE else _("label sheet")
        if near:
            raise GeometryError(_("No {what} is called {code!r}. Did you mean: {near}?")
                                .format(what=what, code=code,
                                        near=", ".join(t.code for t in near)))
        raise GeometryError(_("No {what} is called {code!r}; `crmdesk labels "
                              "--list-templates` lists them.").format(what=what, code=code))
    raise GeometryError(_("{code!r} names several templates: {names}. Give the brand too.")
                        .format(code=code, names=", ".join(t.code for t in hits)))
