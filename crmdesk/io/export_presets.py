"""Export presets: a call list's columns, their order, the sort and the format,
saved by name in the file itself ("Morning calls", "Excel for the boss"), for
the window's File > Export Call List… and `crmdesk export --preset NAME` alike.

The last preset used in the window is remembered in the file too, and offered
the next time the dialog opens (like the import mapping presets,
io/contacts_in/presets.py). Columns the file no longer has (a custom field
deleted since) are passed over when a preset is applied.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _
from crmdesk.core.storage.settings import get_setting, set_setting
from crmdesk.io.call_list import DELIMITERS, ENCODINGS, FORMATS

SETTING = "export_presets"
LAST = "export_preset_last"
MAX_NAME = 80
PRESET_FORMATS = (*FORMATS, "vcard")


@dataclass
class ExportPreset:
    columns: list[str] = field(default_factory=list)
    file_format: str = "csv"
    sort: str = ""  # "": the list's own order
    descending: bool = False
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    national: bool = False


def _preset(value: Any) -> ExportPreset | None:
    """A stored preset, or None if it cannot be read (a hand-edited setting)."""
    if not isinstance(value, dict) or not isinstance(value.get("columns"), list):
        return None
    preset = ExportPreset([str(c) for c in value["columns"]])
    if value.get("file_format") in PRESET_FORMATS:
        preset.file_format = str(value["file_format"])
    preset.sort = str(value.get("sort") or "")
    preset.descending = bool(value.get("descending"))
    if value.get("encoding") in ENCODINGS:
        preset.encoding = str(value["encoding"])
    if value.get("delimiter") in DELIMITERS:
        preset.delimiter = str(value["delimiter"])
    preset.national = bool(value.get("national"))
    return preset


def export_presets(session: Session) -> dict[str, ExportPreset]:
    """The file's export presets by name (none that cannot be read)."""
    try:
        raw: Any = json.loads(get_setting(session, SETTING) or "{}")
    except ValueError:
        return {}
    out: dict[str, ExportPreset] = {}
    if isinstance(raw, dict):
        for name, value in raw.items():
            preset = _preset(value)
            if preset is not None:
                out[str(name)] = preset
    return out


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise CrmdeskError(_("An export preset needs a name of 1 to {n} characters.").format(
            n=MAX_NAME))
    return name


def save_export_preset(session: Session, name: str, preset: ExportPreset) -> str:
    """Keep ``preset`` under ``name`` (replacing one of that name) and make it the
    last one used; the name as kept."""
    name = clean_name(name)
    if preset.file_format != "vcard" and not preset.columns:
        raise CrmdeskError(_("Choose at least one column."))
    found = export_presets(session)
    found[name] = preset
    set_setting(session, SETTING, json.dumps({k: asdict(v) for k, v in found.items()},
                                             ensure_ascii=False))
    set_setting(session, LAST, name)
    return name


def delete_export_preset(session: Session, name: str) -> None:
    found = export_presets(session)
    found.pop(name, None)
    set_setting(session, SETTING, json.dumps({k: asdict(v) for k, v in found.items()},
                                             ensure_ascii=False))
    if get_setting(session, LAST) == name:
        set_setting(session, LAST, "")


def export_preset_named(session: Session, name: str) -> ExportPreset:
    found = export_presets(session)
    if name not in found:
        raise CrmdeskError(_("There is no export preset {name!r}. Saved: {names}.").format(
            name=name, names=", ".join(sorted(found, key=str.casefold)) or _("none")))
    return found[name]


def last_export_preset(session: Session) -> str:
    """The name of the preset used last ("" if none, or if it was deleted)."""
    name = get_setting(session, LAST) or ""
    return name if name in export_presets(session) else ""


def remember_last(session: Session, name: str) -> None:
    """``name`` was used: offer it first the next time ("" for none)."""
    set_setting(session, LAST, name)


def known_columns(preset: ExportPreset, columns: Any) -> list[str]:
    """The preset's columns that ``columns`` (the file's, by key) still has."""
    return [c for c in preset.columns if c in columns]
