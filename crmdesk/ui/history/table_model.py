"""The History view's list: every interaction that passes the filter, a million at most.

The same big-list design as the contact list (contact_table_model.py, after
Anki's browser table), so it is a RecordTableModel: the filter and sort fetch
only the ordered interaction ids (core.history.history_ids) on the reader
thread; data() fills the bounded row cache a block at a time with one
history_rows call. The one difference is the "query": besides the text typed
in the search box the History view has a date range, kinds and outcomes, so
the model holds a whole core HistoryFilter and the search box only replaces
its text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime
from sqlalchemy.orm import Session

from crmdesk.core.history import records as history
from crmdesk.core.history.records import HistoryFilter
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.lookup.listing import ListColumn
from crmdesk.core.storage.database import Database
from crmdesk.ui.contacts.table_model import FIRST_ROWS, RecordTableModel, local_datetime

# Minutes sit with the outcome; the names last, where the stretching column has
# room for several people.
DEFAULT_HISTORY_COLUMNS = ["at", "kind", "direction", "subject", "outcome", "duration",
                           "contacts", "company"]


def direction_text(value: object) -> str:
    """"in"/"out" as a person reads them (core may already have translated them)."""
    if value == "in":
        return _("Incoming")
    if value == "out":
        return _("Outgoing")
    return "" if value is None else str(value)


def duration_text(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return ngettext("{n} min", "{n} min", value).format(n=QLocale().toString(value))
    return "" if value is None else str(value)


class HistoryTableModel(RecordTableModel):
    """Interactions across all contacts, filtered by a core HistoryFilter."""

    columns_registry: dict[str, ListColumn] = history.HISTORY_COLUMNS  # type: ignore[assignment]

    def __init__(self, db: Database, keys: Sequence[str] | None = None, *,
                 sort_key: str = "at", descending: bool = True,
                 flt: HistoryFilter | None = None, **kwargs: Any) -> None:
        if keys is None:
            keys = [k for k in DEFAULT_HISTORY_COLUMNS if k in self.columns_registry]
            keys += [k for k in self.columns_registry if k not in keys]
        self._filter = flt if flt is not None else HistoryFilter()
        super().__init__(db, keys, sort_key=sort_key, descending=descending, **kwargs)
        self._query = self._filter.text

    # -- the filter --------------------------------------------------------------------
    @property
    def filter(self) -> HistoryFilter:
        """A copy: the model's own filter is replaced whole, never changed in place,
        so a reader-thread job always sees one consistent filter."""
        return dataclasses.replace(self._filter)

    def set_filter(self, flt: HistoryFilter) -> None:
        if flt == self._filter:
            return
        self._filter = dataclasses.replace(flt)
        self._query = flt.text
        self.reload()

    def set_query(self, query: str) -> None:
        """The search box: the filter's text, the rest of the filter unchanged."""
        self.set_filter(dataclasses.replace(self._filter, text=query))

    def is_filtered(self) -> bool:
        """Anything narrower than every entry of all time?"""
        f = self._filter
        return bool(f.since or f.until or f.kinds or f.outcomes or f.text.strip())

    # -- RecordTableModel --------------------------------------------------------------
    def _query_ids(self, session: Session, query: str, sort_key: str,
                   descending: bool) -> list[int]:
        return history.history_ids(session, self._filter, sort_key, descending)

    def _first_ids(self, session: Session, query: str, sort_key: str,
                   descending: bool) -> list[int] | None:
        # A million entries take half a second and more to list whole; the first
        # screenful, a few milliseconds (history_first_ids says how).
        return history.history_first_ids(session, self._filter, sort_key, descending,
                                         limit=FIRST_ROWS)

    def _query_rows(self, session: Session, ids: Sequence[int],
                    keys: Sequence[str]) -> dict[int, tuple[Any, ...]]:
        found = history.history_rows(session, ids)
        return {rid: tuple(values.get(k) for k in keys) for rid, values in found.items()}

    def _query_total(self, session: Session) -> int:
        # With an empty filter: entries whose people are all in the trash are not counted.
        return history.history_count(session, HistoryFilter())

    def _format(self, column: ListColumn, value: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, datetime):
            # history_rows gives aware local times; a naive one is stored UTC.
            dt = (value.astimezone().replace(tzinfo=None) if value.tzinfo is not None
                  else local_datetime(value))
            qdt = QDateTime(QDate(dt.year, dt.month, dt.day), QTime(dt.hour, dt.minute))
            return self._locale.toString(qdt, QLocale.FormatType.ShortFormat)
        if column.key == "direction":
            return direction_text(value)
        if column.key == "duration":
            return duration_text(value)
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return super()._format(column, value)
