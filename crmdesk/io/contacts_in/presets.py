"""Mapping presets: a table's columns sent where the user sent them last time, saved
by name in the file itself ("Outlook export", "1C clients"), for the window's import
and `crmdesk import --mapping NAME` alike.

A preset is the --map pairs (COLUMN=FIELD by header, "ignore" for a column left out)
plus the two orders. Applied to another file, the pairs of columns it does not have
are passed over; the rest of its columns keep what their headers suggest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _
from crmdesk.core.storage.settings import get_setting, set_setting
from crmdesk.core.text.folding import fold
from crmdesk.io.contacts_in.mapping import IGNORE, Mapping, apply_overrides

SETTING = "import_presets"
MAX_NAME = 80


@dataclass
class Preset:
    pairs: list[str] = field(default_factory=list)  # "Header=field", as --map takes them
    name_order: str | None = None
    dayfirst: bool | None = None


def presets(session: Session) -> dict[str, Preset]:
    """The file's presets by name (none that cannot be read)."""
    try:
        raw: Any = json.loads(get_setting(session, SETTING) or "{}")
    except ValueError:
        return {}
    out: dict[str, Preset] = {}
    if isinstance(raw, dict):
        for name, value in raw.items():
            if isinstance(value, dict) and isinstance(value.get("pairs"), list):
                out[str(name)] = Preset([str(p) for p in value["pairs"]],
                                        value.get("name_order"), value.get("dayfirst"))
    return out


def save_preset(session: Session, name: str, preset: Preset) -> None:
    """Keep ``preset`` under ``name`` (replacing one of that name)."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise CrmdeskError(_("A mapping needs a name of 1 to {n} characters.").format(
            n=MAX_NAME))
    found = presets(session)
    found[name] = preset
    set_setting(session, SETTING, json.dumps({k: asdict(v) for k, v in found.items()},
                                             ensure_ascii=False))


def preset_of(mapping: Mapping, header: Sequence[str]) -> Preset:
    """The mapping as a preset: every column by its header, the ones left out too."""
    pairs = [f"{head}={mapping.columns[i].text() if i in mapping.columns else IGNORE}"
             for i, head in enumerate(header) if head.strip()]
    return Preset(pairs, mapping.name_order, mapping.dayfirst)


def apply_preset(mapping: Mapping, header: Sequence[str], preset: Preset,
                 rows: Sequence[Sequence[str]] = ()) -> Mapping:
    """``mapping`` with the preset's choices for the columns this file has."""
    folded = {fold(h) for h in header}
    pairs = [p for p in preset.pairs if fold(p.rpartition("=")[0]) in folded]
    mapping = apply_overrides(mapping, header, pairs, rows)
    if preset.name_order:
        mapping.name_order = preset.name_order
    if preset.dayfirst is not None:
        mapping.dayfirst = preset.dayfirst
    return mapping


def preset_named(session: Session, name: str) -> Preset:
    found = presets(session)
    if name not in found:
        raise CrmdeskError(_("There is no saved mapping {name!r}. Saved: {names}.").format(
            name=name, names=", ".join(sorted(found)) or _("none")))
    return found[name]
