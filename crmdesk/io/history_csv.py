"""The History view's rows as a CSV file that Excel and LibreOffice open as they are.

UTF-8 with a byte-order mark (without it Excel reads Cyrillic and Chinese as
mojibake), a header of the column titles, one row per entry, dates in local
time as 2026-06-01 14:30 (what spreadsheets recognise as a date). A cell that
starts like a formula (=, @, or + / - before something that is not a number)
gets a leading apostrophe, so a subject typed as "=HYPERLINK(...)" stays text
instead of running in the spreadsheet. The file is written atomically
(atomic.py): a failure leaves nothing half-written.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from crmdesk.core.history.listing import HISTORY_COLUMNS
from crmdesk.core.i18n import _
from crmdesk.io.atomic import atomic_text

_NUMBER_OR_PHONE = re.compile(r"[+-]?[\d\s().,;/+-]*")  # no letters: no function, no DDE
PROGRESS_EVERY = 1000


def _title(column: Any) -> str:
    if isinstance(column, str):
        known = HISTORY_COLUMNS.get(column)
        if known is not None:
            return known.title()
        return _("Details") if column == "details" else column
    title = column.title
    return str(title() if callable(title) else title)


def _key(column: Any) -> str:
    return column if isinstance(column, str) else str(column.key)


def safe_cell(text: str) -> str:
    """Text a spreadsheet will not take for a formula."""
    if not text:
        return text
    first = text[0]
    if first in "=@\t\r" or (first in "+-" and not _NUMBER_OR_PHONE.fullmatch(text)):
        return "'" + text
    return text


def cell(key: str, value: object) -> str:
    """One value as the CSV shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone() if value.tzinfo is not None else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if key == "direction":
        value = {"in": _("Incoming"), "out": _("Outgoing")}.get(str(value), value)
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return str(value)
    return safe_cell(str(value))


def write_history_csv(path: str | os.PathLike[str],
                      rows: Iterable[Mapping[str, object]] | Mapping[int, Mapping[str, object]],
                      columns: Sequence[Any],
                      progress: Callable[[int], None] | None = None) -> int:
    """Write ``rows`` (history_rows values in display order, or any mappings of column
    key to value) with ``columns`` (keys of HISTORY_COLUMNS or "details", or
    ListColumn-like objects with ``key`` and ``title``). ``progress(rows written)`` is called every thousand
    rows; an exception from it cancels and leaves no file. Returns the rows written."""
    if isinstance(rows, Mapping):
        rows = rows.values()
    keys = [_key(c) for c in columns]
    written = 0
    with atomic_text(path, encoding="utf-8-sig", newline="") as stream:
        out = csv.writer(stream)
        out.writerow([safe_cell(_title(c)) for c in columns])
        for row in rows:
            out.writerow([cell(k, row.get(k)) for k in keys])
            written += 1
            if progress is not None and written % PROGRESS_EVERY == 0:
                progress(written)
    return written
