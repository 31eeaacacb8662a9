"""What the GUI remembers about this PC's user (not about a database file).

Recent files, list columns, sort orders, window geometry and splitter
positions live in QSettings (the registry on Windows, a plist on macOS, an
INI file on Linux). Lists are stored as JSON text because QSettings gives a
one-element list back as a plain string in some formats. Tests pass their own
QSettings on a temporary INI file, so they never touch the user's.
"""

from __future__ import annotations

import json
import os
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10


def _norm(path: str) -> str:
    return os.path.normcase(os.path.abspath(os.path.expanduser(path)))


class UiSettings:
    """Typed access to the GUI's QSettings."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.qsettings = qsettings if qsettings is not None else QSettings("crmdesk", "crmdesk")

    # -- plain values -----------------------------------------------------------
    def _json(self, key: str, default: Any) -> Any:
        raw = self.qsettings.value(key)
        if raw is None or raw == "":
            return default
        try:
            return json.loads(str(raw))
        except ValueError:
            return default

    def _set_json(self, key: str, value: Any) -> None:
        self.qsettings.setValue(key, json.dumps(value, ensure_ascii=False))

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._json("flags/" + key, default)
        return bool(value)

    def set_flag(self, key: str, value: bool) -> None:
        self._set_json("flags/" + key, bool(value))

    def text(self, key: str, default: str = "") -> str:
        """A remembered word (the last kind of interaction logged ...)."""
        value = self._json("values/" + key, default)
        return value if isinstance(value, str) else default

    def set_text(self, key: str, value: str) -> None:
        self._set_json("values/" + key, str(value))

    # -- recent files -----------------------------------------------------------
    def recent_files(self) -> list[str]:
        files = self._json("recent_files", [])
        return [str(f) for f in files if isinstance(f, str)][:MAX_RECENT]

    def add_recent(self, path: str) -> None:
        path = os.path.abspath(os.path.expanduser(path))
        files = [f for f in self.recent_files() if _norm(f) != _norm(path)]
        self._set_json("recent_files", [path, *files][:MAX_RECENT])

    def remove_recent(self, path: str) -> None:
        self._set_json("recent_files",
                       [f for f in self.recent_files() if _norm(f) != _norm(path)])

    def clear_recent(self) -> None:
        self._set_json("recent_files", [])

    # -- lists --------------------------------------------------------------------
    def columns(self, list_key: str, available: list[str], default: list[str]) -> list[str]:
        """The shown columns in their order; keys unknown to this version are dropped."""
        saved = self._json(f"lists/{list_key}/columns", None)
        if not isinstance(saved, list):
            return list(default)
        keys = [k for k in dict.fromkeys(saved) if isinstance(k, str) and k in available]
        return keys or list(default)

    def set_columns(self, list_key: str, keys: list[str]) -> None:
        self._set_json(f"lists/{list_key}/columns", list(keys))

    def widths(self, list_key: str) -> dict[str, int]:
        saved = self._json(f"lists/{list_key}/widths", {})
        if not isinstance(saved, dict):
            return {}
        return {str(k): int(v) for k, v in saved.items()
                if isinstance(v, int) and 20 <= v <= 4000}

    def set_widths(self, list_key: str, widths: dict[str, int]) -> None:
        self._set_json(f"lists/{list_key}/widths", widths)

    def sort(self, list_key: str, available: list[str],
             default: tuple[str, bool] = ("name", False)) -> tuple[str, bool]:
        saved = self._json(f"lists/{list_key}/sort", None)
        if (isinstance(saved, list) and len(saved) == 2 and saved[0] in available
                and isinstance(saved[1], bool)):
            return saved[0], saved[1]
        return default

    def set_sort(self, list_key: str, key: str, descending: bool) -> None:
        self._set_json(f"lists/{list_key}/sort", [key, bool(descending)])

    # -- window state -------------------------------------------------------------
    def state(self, name: str) -> QByteArray | None:
        value = self.qsettings.value("state/" + name)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        if isinstance(value, bytes | bytearray) and value:
            return QByteArray(bytes(value))
        return None

    def set_state(self, name: str, value: QByteArray) -> None:
        self.qsettings.setValue("state/" + name, value)

    def sync(self) -> None:
        self.qsettings.sync()
