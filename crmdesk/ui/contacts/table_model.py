"""Table models for lists of 100,000 records: an id list and a bounded row cache.

DESIGN.md "Big lists", after Anki's browser table: a search or a sort fetches
only the ordered ids (core.listing); rowCount is their number; data() fills a
row cache a block of rows at a time with one query per table (64: a screenful
and a half; DESIGN.md's ~200 cost ~10 ms more after every keystroke, to read
and format rows nobody sees yet), and the cache keeps a few thousand rows at most, so memory does not grow with scrolling. Sorting
re-runs the id query with ORDER BY (no QSortFilterProxyModel). A Changes from a
service marks rows stale, or reloads the ids when rows came or went.

The id query runs on a reader thread, so typing in the search box never waits
for the database; answers to superseded requests are dropped. Sorting keeps
the selection (persistent indexes are moved with their ids); a new search
replaces the rows and the view re-selects by id afterwards (`reloaded`).

First the first screenful, then the rest (issue 23's rule): a model whose full
id list is slow to fetch (the History view: a million entries) answers
``_first_ids`` with the first FIRST_ROWS ids, which the list shows at once;
the whole list is asked for REST_DELAY_MS later, once that screenful has
been painted (a newer search meanwhile makes it needless), and is appended
below them; ``complete`` says whether it has come (a view says "counting…"
meanwhile).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTime,
    QTimer,
    Signal,
    Slot,
)
from sqlalchemy.orm import Session

from crmdesk.core.changes import KindChanges
from crmdesk.core.i18n import _
from crmdesk.core.lookup import listing
from crmdesk.core.lookup.listing import COUNT, CUSTOM_NUMBER, DATETIME, DAY, ListColumn
from crmdesk.core.lookup.query import quick_first_ids, search_terms
from crmdesk.core.search.found_in import Found, where_found
from crmdesk.core.search.fulltext import Term
from crmdesk.core.storage.database import Database
from crmdesk.core.text.folding import fold
from crmdesk.ui.common.plain_text import tooltip_text
from crmdesk.ui.tasks.worker import Worker, shared

BLOCK = 64
# The first screenful (or two) of a list whose whole id list comes after.
FIRST_ROWS = 200
# How long after the first screenful the rest is asked for: it is painted first.
REST_DELAY_MS = 40
# How long typing pauses before where the words were found is read.
FOUND_DELAY_MS = 150
MAX_CACHED_ROWS = 3000
IdRole = Qt.ItemDataRole.UserRole + 1
# Where the search words were found, when not in a shown column ("Address: Žalgirio g. 5").
FoundRole = Qt.ItemDataRole.UserRole + 2
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_ID = int(IdRole)
_FOUND = int(FoundRole)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

_Index = QModelIndex | QPersistentModelIndex


def reader() -> Worker:
    """The one thread that runs id queries for every list."""
    return shared("reader")


def local_datetime(value: datetime) -> datetime:
    """Stored times are UTC (models.utcnow); people read their own clock."""
    return value.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def _day_format(locale: QLocale) -> str:
    """The locale's short date format without the year ("M/d", "dd.MM", "MM-dd")."""
    fmt = locale.dateFormat(QLocale.FormatType.ShortFormat)
    stripped = re.sub(r"^y+[^dM]*|[^dM]*y+[^dM]*$", "", fmt)
    return stripped if ("d" in stripped and "M" in stripped) else "d MMM"


class _Inbox(QObject):
    """Receives the reader thread's answers on the GUI thread (queued)."""

    loaded = Signal(int, object, object, bool)  # generation, ids, total or None, complete
    failed = Signal(int, object)


def _id_job(model: RecordTableModel, generation: int, params: tuple[str, str, bool]) -> None:
    """Runs on the reader thread; answers through the model's inbox (queued)."""
    inbox = model._inbox
    if generation != model._generation:
        return  # superseded while it waited
    try:
        with model.db.reading() as session:
            listing.prepare_sorting(session)
            first = model._first_ids(session, *params)
            if first is not None and len(first) < FIRST_ROWS:  # that was all of them
                ids, total = first, model._total_if_stale(session)
            elif first is not None:
                # The rest is asked for by the GUI thread once this has been painted
                # (a scan for the rest now would hold the GIL while it paints).
                _answer(inbox.loaded.emit, generation, first, None, False)
                return
            else:
                ids, total = model._load(session, *params)
    except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
        _answer(inbox.failed.emit, generation, exc)
    else:
        _answer(inbox.loaded.emit, generation, ids, total, True)


def _rest_job(model: RecordTableModel, generation: int,
              params: tuple[str, str, bool]) -> None:
    """After reload_now showed the first screenful: the whole list (reader thread)."""
    inbox = model._inbox
    if generation != model._generation:
        return
    try:
        with model.db.reading() as session:
            listing.prepare_sorting(session)
            ids, total = model._load(session, *params)
    except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
        _answer(inbox.failed.emit, generation, exc)
    else:
        _answer(inbox.loaded.emit, generation, ids, total, True)


def _answer(emit: Any, *args: object) -> None:
    try:
        emit(*args)
    except RuntimeError:  # "Signal source has been deleted": the list was closed meanwhile
        pass


class RecordTableModel(QAbstractTableModel):
    """A big list of one kind of record; subclasses say how to query it."""

    # The id list was replaced (search, sort, change): views restore selection.
    reloaded = Signal()
    # Where the search words were found is known for more rows (their Name cells
    # were repainted): a view may make room for it.
    found_ready = Signal()
    # An id query failed (the database went away ...): the window shows it.
    load_failed = Signal(object)

    columns_registry: dict[str, ListColumn] = {}

    def __init__(self, db: Database, keys: Sequence[str], *, sort_key: str = "name",
                 descending: bool = False, background: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._keys = list(keys)
        self._columns = [self.columns_registry[k] for k in self._keys]
        self._visible: set[str] = set(self._keys)
        self._ids: list[int] = []
        self._cache: OrderedDict[int, tuple[str, ...]] = OrderedDict()
        self._query = ""
        self._sort_key = sort_key
        self._descending = descending
        self._total = 0
        self._total_stale = True  # recount only when rows came or went, not per keystroke
        self._complete = True  # False while only the first screenful has come
        self._generation = 0
        self._pending_layout = False
        self._background = background
        self._locale = QLocale()
        self._day_format = _day_format(self._locale)
        self._inbox = _Inbox()
        self._inbox.loaded.connect(self._on_loaded)
        self._inbox.failed.connect(self._on_failed)
        self.block_queries = 0  # how many row blocks were read (tests, bench)
        # The words of the search the rows answer, and for rows read since: where
        # they were found if no shown column holds them ("" when one does).
        self._terms: tuple[Term, ...] = ()
        self._found: dict[int, str] = {}
        # Rows whose "found in" was asked for while typing: read once typing pauses,
        # off the keystroke's path (a block's field texts are a few queries).
        self._found_wanted: set[int] = set()
        self._rest_timer = QTimer(self, singleShot=True, interval=REST_DELAY_MS)
        self._rest_timer.timeout.connect(self._load_rest)
        self._found_timer = QTimer(self, singleShot=True, interval=FOUND_DELAY_MS)
        self._found_timer.timeout.connect(self._explain_wanted)

    # -- what subclasses provide ---------------------------------------------
    def _query_ids(self, session: Session, query: str, sort_key: str,
                   descending: bool) -> list[int]:
        raise NotImplementedError

    def _query_rows(self, session: Session, ids: Sequence[int],
                    keys: Sequence[str]) -> dict[int, tuple[Any, ...]]:
        raise NotImplementedError

    def _query_total(self, session: Session) -> int:
        raise NotImplementedError

    def _where_found(self, session: Session, ids: Sequence[int],
                     terms: Sequence[Term]) -> dict[int, dict[Term, Found]]:
        """Where each search word was found in these records (none by default)."""
        return {}

    def _first_ids(self, session: Session, query: str, sort_key: str,
                   descending: bool) -> list[int] | None:
        """The first FIRST_ROWS ids, when the whole list is slow to come (else None);
        fewer than FIRST_ROWS when those are all."""
        return None

    def _total_if_stale(self, session: Session) -> int | None:
        return self._query_total(session) if self._total_stale else None

    def _load(self, session: Session, query: str, sort_key: str,
              descending: bool) -> tuple[list[int], int | None]:
        """The ids, and the total when rows may have come or gone (else None)."""
        total = self._total_if_stale(session)
        return self._query_ids(session, query, sort_key, descending), total

    # -- the list ----------------------------------------------------------------
    @property
    def keys(self) -> list[str]:
        return list(self._keys)

    @property
    def query(self) -> str:
        return self._query

    @property
    def sort_order(self) -> tuple[str, bool]:
        return self._sort_key, self._descending

    @property
    def total(self) -> int:
        """How many records there are without the search (for "12 of 340")."""
        return self._total

    @property
    def complete(self) -> bool:
        """Whether every row has come (False while the first screenful shows alone)."""
        return self._complete

    def ids(self) -> list[int]:
        return list(self._ids)

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: int) -> int | None:
        """The row of one record (a scan in C: ~0.2 ms at 100,000 rows). For many
        records at once, rows_of: one pass for them all."""
        try:
            return self._ids.index(record_id)
        except ValueError:
            return None

    def rows_of(self, record_ids: Iterable[int]) -> dict[int, int]:
        """{id: row} of those of ``record_ids`` that are listed, in one pass over the
        list. No map of every row is kept: at 100,000 rows one takes 8-10 MB, rebuilt
        after every search, for the handful of rows a selection asks about."""
        wanted = set(record_ids)
        if not wanted:
            return {}
        if len(wanted) <= 8:
            found = {rid: self.row_of(rid) for rid in wanted}
            return {rid: row for rid, row in found.items() if row is not None}
        return {rid: row for row, rid in enumerate(self._ids) if rid in wanted}

    def column_of(self, key: str) -> int:
        return self._keys.index(key)

    def set_visible_columns(self, keys: Iterable[str]) -> None:
        """Only shown columns are read from the database; others stay empty."""
        visible = set(keys) & set(self._keys)
        if visible == self._visible:
            return
        added = visible - self._visible
        self._visible = visible
        self._found.clear()  # a word may now be in a shown column, or no longer
        if added and self._ids:
            self._cache.clear()
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(self._keys) - 1))

    # -- loading ids ---------------------------------------------------------------
    def reload_now(self) -> None:
        """Run the id query on this thread (first show, tests). A list that has a
        first screenful shows it now and reads the rest in the background."""
        self._generation += 1
        self._rest_timer.stop()  # the rest of an older answer: not wanted any more
        params = (self._query, self._sort_key, self._descending)
        with self.db.reading() as session:
            first = self._first_ids(session, *params) if self._background else None
            if first is None:
                ids, total = self._load(session, *params)
            else:
                ids, total = first, self._total_if_stale(session)
        complete = first is None or len(first) < FIRST_ROWS
        self._apply(ids, total, complete)

    def reload(self) -> None:
        """Re-run the id query in the background (after a change, a search, a sort)."""
        self._generation += 1
        self._rest_timer.stop()  # this query's own first screenful asks for its rest
        if not self._background:
            self.reload_now()
            return
        generation, params = self._generation, (self._query, self._sort_key, self._descending)
        reader().submit(lambda: _id_job(self, generation, params))

    def set_query(self, query: str) -> None:
        if query == self._query:
            return
        self._query = query
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._keys):
            return
        key = self._keys[column]
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort_key, self._descending):
            return
        self._sort_key, self._descending = key, descending
        self.reload()

    def wait(self) -> None:
        """Block until queued id queries have answered, the rest after a first
        screenful included: the whole list is there after it (an export, a print,
        tests)."""
        reader().wait()
        QCoreApplication.sendPostedEvents(self)
        if not self._complete:
            self._rest_timer.stop()
            self._load_rest()
            reader().wait()
            QCoreApplication.sendPostedEvents(self)

    def stop(self, seconds: float | None = None) -> bool:
        """The list is going away (its file closes, another opens): the id queries
        still queued are dropped, the running one is waited for, at most
        ``seconds``. False if it was still running then."""
        self._generation += 1  # a queued job sees it is superseded and returns at once
        self._rest_timer.stop()
        self._found_timer.stop()  # nor is "found in" read from a file that is closing
        self._found_wanted.clear()
        return reader().wait(seconds)

    @Slot(int, object, object, bool)
    def _on_loaded(self, generation: int, ids: list[int], total: int | None,
                   complete: bool) -> None:
        if generation == self._generation:
            self._apply(ids, total, complete)

    def _load_rest(self) -> None:
        """The whole list after the first screenful (REST_DELAY_MS after it was shown,
        so that it is painted first; a newer search meanwhile makes it needless)."""
        if self._complete:
            return
        generation = self._generation
        params = (self._query, self._sort_key, self._descending)
        reader().submit(lambda: _rest_job(self, generation, params))

    @Slot(int, object)
    def _on_failed(self, generation: int, exc: object) -> None:
        if generation == self._generation:
            self.load_failed.emit(exc)

    def _apply(self, ids: list[int], total: int | None, complete: bool = True) -> None:
        # The ids answer the current query (an older answer is dropped unapplied).
        terms = search_terms(self._query) if self._query.strip() else ()
        if terms != self._terms:
            self._terms = terms
            self._found.clear()
        if total is not None:
            self._total = total
            self._total_stale = False
        grows = not self._complete and len(ids) > len(self._ids) and \
            ids[:len(self._ids)] == self._ids
        self._complete = complete
        if complete:
            self._rest_timer.stop()
        else:
            self._rest_timer.start()  # the rest, once this screenful has been painted
        if grows:  # the rest after the first screenful: appended, the selection stays
            self.beginInsertRows(QModelIndex(), len(self._ids), len(ids) - 1)
            self._ids = ids
            self.endInsertRows()
        elif len(ids) == len(self._ids) and set(self._ids).issuperset(ids):
            # (each list holds an id once: one set is enough, and half the memory)
            if ids != self._ids:
                self._reorder(ids)
        else:
            self.beginResetModel()
            self._ids = ids
            self.endResetModel()
        self.reloaded.emit()

    def _reorder(self, ids: list[int]) -> None:
        """Same rows in a new order: a layout change that keeps the selection."""
        self.layoutAboutToBeChanged.emit()
        old_ids = self._ids
        self._ids = ids
        persistent = self.persistentIndexList()
        rows = self.rows_of(old_ids[index.row()] for index in persistent
                            if index.row() < len(old_ids))
        moved = []
        for index in persistent:
            row = rows.get(old_ids[index.row()]) if index.row() < len(old_ids) else None
            moved.append(self.index(row, index.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # -- changes ---------------------------------------------------------------------
    def mark_stale(self, ids: Iterable[int] | None = None) -> None:
        """Forget cached rows (all when ids is None) and repaint them."""
        if ids is None:
            self._total_stale = True
        if not self._ids:
            return
        if ids is None:
            self._cache.clear()
            self._found.clear()
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(self._keys) - 1))
            return
        ids = list(ids)
        for record_id in ids:
            self._cache.pop(record_id, None)
            self._found.pop(record_id, None)
        for row in sorted(self.rows_of(ids).values()):
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._keys) - 1))

    def apply_change(self, change: KindChanges) -> None:
        """Reload when rows came or went; else repaint the changed rows at once and
        ask for the ids again, since an edit may move a row (a new name, a new
        last contact): the same rows in a new order keep the selection."""
        if change.added or change.removed or \
                len(self.rows_of(change.changed)) < len(set(change.changed)):
            self.reload_everything()
        else:
            self.mark_stale(change.changed)
            self.reload()

    def reload_everything(self) -> None:
        """Rows may have come or gone: forget every row read and count again."""
        self._cache.clear()
        self._found.clear()
        self._total_stale = True
        self.reload()

    # -- the row cache -------------------------------------------------------------
    def _values(self, row: int) -> tuple[str, ...]:
        record_id = self._ids[row]
        values = self._cache.get(record_id)
        if values is None:
            self._fetch_block(row)
            values = self._cache.get(record_id)
            if values is None:
                return ("",) * len(self._keys)
        else:
            self._cache.move_to_end(record_id)
        return values

    def _fetch_block(self, row: int) -> None:
        start = row - row % BLOCK
        wanted = [i for i in self._ids[start:start + BLOCK] if i not in self._cache]
        keys = [k for k in self._keys if k in self._visible]
        with self.db.reading() as session:
            found = self._query_rows(session, wanted, keys)
        self.block_queries += 1
        positions = [self._keys.index(k) for k in keys]
        blank = [""] * len(self._keys)
        for record_id in wanted:
            raw = found.get(record_id)
            shown = list(blank)
            if raw is not None:
                for pos, value in zip(positions, raw, strict=True):
                    shown[pos] = self._format(self._columns[pos], value)
            self._cache[record_id] = tuple(shown)
        while len(self._cache) > MAX_CACHED_ROWS:
            self._cache.popitem(last=False)

    def cached_rows(self) -> int:
        return len(self._cache)

    # -- why a row matched -------------------------------------------------------------
    @property
    def search_words(self) -> tuple[Term, ...]:
        """The words of the search the rows answer (not under OR or NOT)."""
        return self._terms

    def found_text(self, row: int, *, now: bool = False) -> str:
        """Where the search words were found in this row's record, if no shown
        column holds them ("Address: Žalgirio g. 5"); "" otherwise, and "" for now
        while it is read: a moment after typing pauses, found_ready says it is
        known (``now``: read it at once)."""
        if not self._terms or not 0 <= row < len(self._ids):
            return ""
        text = self._found.get(self._ids[row])
        if text is None and now:
            self._explain_block(row)
            text = self._found.get(self._ids[row], "")
        elif text is None:
            self._found_wanted.add(row)
            self._found_timer.start()  # again: while typing goes on, nothing is read
        return text or ""

    def found_known(self, row: int) -> bool:
        """Whether where the words were found in this row is known (even if nowhere)."""
        return 0 <= row < len(self._ids) and self._ids[row] in self._found

    def _explain_wanted(self) -> None:
        rows, self._found_wanted = sorted(self._found_wanted), set()
        done: set[int] = set()
        for row in rows:
            block = row - row % BLOCK
            if block in done or row >= len(self._ids):
                continue
            done.add(block)
            self._explain_block(row)
            last = min(block + BLOCK, len(self._ids)) - 1
            if "name" in self._keys:
                column = self._keys.index("name")
                self.dataChanged.emit(self.index(block, column), self.index(last, column))
        if done:
            self.found_ready.emit()

    def _explain_block(self, row: int) -> None:
        start = row - row % BLOCK
        missing: dict[int, list[Term]] = {}
        for r in range(start, min(start + BLOCK, len(self._ids))):
            record_id = self._ids[r]
            if record_id in self._found:
                continue
            cells = [fold(v) for k, v in zip(self._keys, self._values(r), strict=False)
                     if v and k in self._visible]
            lacking = [t for t in self._terms
                       if not any(sp in c for c in cells for sp in t.spellings())]
            if lacking:
                missing[record_id] = lacking
            else:
                self._found[record_id] = ""
        if missing:
            with self.db.reading() as session:
                places = self._where_found(session, list(missing), self._terms)
            for record_id, lacking in missing.items():
                found = places.get(record_id, {})
                texts = list(dict.fromkeys(str(found[t]) for t in lacking if t in found))
                self._found[record_id] = "  ·  ".join(texts[:2])
        while len(self._found) > MAX_CACHED_ROWS:
            del self._found[next(iter(self._found))]

    def _format(self, column: ListColumn, value: Any) -> str:
        if value is None or value == "":
            return ""
        if column.kind == DATETIME and isinstance(value, datetime):
            dt = local_datetime(value)
            qdt = QDateTime(QDate(dt.year, dt.month, dt.day),
                            QTime(dt.hour, dt.minute, dt.second))
            return self._locale.toString(qdt, QLocale.FormatType.ShortFormat)
        if column.kind == DAY and isinstance(value, tuple):
            year, month, day = value
            if year:
                return self._locale.toString(QDate(year, month, day),
                                             QLocale.FormatType.ShortFormat)
            return self._locale.toString(QDate(2000, month, day), self._day_format)
        if column.kind == COUNT:
            return self._locale.toString(int(value))
        return str(value).replace("\n", " ")

    # -- QAbstractTableModel -------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # Called for every role of every visible cell on each paint: plain ints.
        role = int(role)
        if role == _DISPLAY or role == _TOOLTIP:
            row = index.row()
            if not 0 <= row < len(self._ids) or not index.isValid():
                return None
            text = self._values(row)[index.column()]
            if role == _TOOLTIP:
                found = (self.found_text(row, now=True) if self._keys[index.column()] == "name"
                         else "")
                if found:
                    return tooltip_text(_("{name}\nFound in {where}").format(name=text,
                                                                          where=found))
                return tooltip_text(text) if len(text) > 30 else None
            return text
        if role == _FOUND:
            return self.found_text(index.row()) if index.isValid() else None
        if role == _ID:
            return self._ids[index.row()] if 0 <= index.row() < len(self._ids) else None
        if role == _ALIGN:
            if not index.isValid():
                return None
            kind = self._columns[index.column()].kind
            return _RIGHT if kind == COUNT or kind == CUSTOM_NUMBER else _LEFT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._keys):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._columns[section].title()
            if role == Qt.ItemDataRole.UserRole:
                return self._keys[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)


class ContactTableModel(RecordTableModel):
    """Contacts: the live ones, or the trash."""

    columns_registry = listing.CONTACT_COLUMNS

    def __init__(self, db: Database, keys: Sequence[str] | None = None, *, trash: bool = False,
                 **kwargs: Any) -> None:
        if keys is None:
            # Every column, the user's custom fields too (chosen like any other).
            with db.reading() as session:
                self.columns_registry = listing.contact_columns(session)
            keys = [k for k in self.columns_registry if trash or k != "deleted"]
        self.trash = trash
        super().__init__(db, keys, **kwargs)

    def _query_ids(self, session: Session, query: str, sort_key: str,
                   descending: bool) -> list[int]:
        return listing.contact_ids(session, query, sort_key, descending, self.trash)

    def _first_ids(self, session: Session, query: str, sort_key: str,
                   descending: bool) -> list[int] | None:
        # One or two letters: the first screenful from the texts in memory, stopped
        # there (the rest, and so the count, follow off the keystroke's path).
        return quick_first_ids(session, query, sort=sort_key, descending=descending,
                               trash=self.trash, limit=FIRST_ROWS)

    def _query_rows(self, session: Session, ids: Sequence[int],
                    keys: Sequence[str]) -> dict[int, tuple[Any, ...]]:
        name = self._locale.name()
        return listing.rows(session, ids, keys, locale=name if "_" in name else None)

    def _query_total(self, session: Session) -> int:
        return listing.count_all(session, trash=self.trash)

    def _where_found(self, session: Session, ids: Sequence[int],
                     terms: Sequence[Term]) -> dict[int, dict[Term, Found]]:
        return where_found(session, ids, terms)


class CompanyContactsModel(ContactTableModel):
    """The people of the company selected in the Companies view (nobody at first)."""

    def __init__(self, db: Database, keys: Sequence[str] | None = None,
                 **kwargs: Any) -> None:
        self.company_id: int | None = None
        super().__init__(db, keys or ["name", "job_title", "phone", "email"], **kwargs)

    def _first_ids(self, session: Session, query: str, sort_key: str,
                   descending: bool) -> list[int] | None:
        return None  # a company's people: a short list, read whole

    def set_company(self, company_id: int | None) -> None:
        self.company_id = company_id
        self._cache.clear()
        self.reload_now()

    def _load(self, session: Session, query: str, sort_key: str,
              descending: bool) -> tuple[list[int], int | None]:
        if self.company_id is None:
            return [], 0
        ids = listing.contact_ids(session, "", sort_key, descending,
                                  company_id=self.company_id)
        return ids, len(ids)


class CompanyTableModel(RecordTableModel):
    """Companies, live or in the trash."""

    columns_registry = listing.COMPANY_COLUMNS

    def __init__(self, db: Database, keys: Sequence[str] | None = None, *, trash: bool = False,
                 **kwargs: Any) -> None:
        if keys is None:
            keys = [k for k in listing.COMPANY_COLUMNS if trash or k != "deleted"]
        self.trash = trash
        super().__init__(db, keys, **kwargs)

    def _query_ids(self, session: Session, query: str, sort_key: str,
                   descending: bool) -> list[int]:
        return listing.company_ids(session, query, sort_key, descending, self.trash)

    def _query_rows(self, session: Session, ids: Sequence[int],
                    keys: Sequence[str]) -> dict[int, tuple[Any, ...]]:
        return listing.company_rows(session, ids, keys)

    def _query_total(self, session: Session) -> int:
        return listing.count_all(session, trash=self.trash, companies=True)
