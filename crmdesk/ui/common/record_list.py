"""The table every big list is shown in: columns the user picks, moves and sorts.

A QTableView tuned for 100,000 rows (fixed row height, no vertical header, no
type-ahead that would read every row) with the habits of a desktop list:
Home/End go to the first/last record, Enter opens it, typing letters starts a
search, the header's context menu shows and hides columns, and the choice of
columns, their order, widths and the sort order are kept in QSettings per
list. The selection is remembered by record id across a new search.

Columns without a width of the user's own are fitted to their content, measured
on the first screenful of rows only (the model is a lazy list of 100,000).
The Name column stays first, and a new search scrolls back to it. Ctrl+C copies
the selected rows as a table (tab-separated, a header line of the visible
titles, values as shown, also as HTML), which spreadsheets paste as cells. An
empty result can show a message over the list (set_empty_text).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QWidget,
)

from crmdesk.core.i18n import _
from crmdesk.ui.common.found_delegate import FoundDelegate
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.contacts.table_model import RecordTableModel

# Selections bigger than this are not restored row by row after a new search.
MAX_RESTORE = 2000
# Rows measured when fitting columns to their content (a screenful and a bit).
FIT_ROWS = 50
# A column fitted to its content is never wider than this (in average characters).
FIT_MAX_CHARS = 40


class RecordListView(QTableView):
    """A list of records of one kind, kept in ``model`` (a RecordTableModel)."""

    # Letters typed while the list has focus: the window moves them to the search box.
    text_typed = Signal(str)
    # Enter or a double-click on a row.
    record_activated = Signal(int)
    # The set of selected records changed (for enabling Delete, counting ...).
    selection_changed = Signal()

    def __init__(self, model: RecordTableModel, settings: UiSettings, list_key: str,
                 default_columns: list[str], *, fixed: tuple[str, ...] = ("name",),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record_model = model  # keep a Python reference: the view does not own it
        self.settings = settings
        self.list_key = list_key
        self._default_columns = [k for k in default_columns if k in model.keys]
        self._fixed = fixed
        self._remembered: tuple[int | None, list[int]] = (None, [])
        self.setModel(model)
        self.setObjectName(f"list_{list_key}")

        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTabKeyNavigation(False)
        vheader = self.verticalHeader()
        vheader.setVisible(False)
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

        self._apply_columns(settings.columns(list_key, model.keys, self._default_columns))
        widths = settings.widths(list_key)
        for key in model.keys:
            self.setColumnWidth(model.column_of(key),
                                widths.get(key, model.columns_registry[key].width))
        # Widths the user never set are fitted to the first rows once there are some.
        self._to_fit = {k for k in model.keys if k not in widths}
        self._last_query = model.query
        # While a search's words are explained in the Name cell, that column may be
        # widened for it; the user's own width is kept here and comes back after.
        self._name_width: int | None = None
        self._widening = False
        self._refit_found = False  # the search changed: fit once its words are placed
        # Painted by Python only while a search has placed its words (a Python
        # delegate costs every Name cell a call on every paint).
        self._found_delegate: FoundDelegate | None = None
        self.empty_label = QLabel(self.viewport())
        self.empty_label.setObjectName(f"empty_{list_key}")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty_label.hide()
        sort_key, descending = model.sort_order
        header.setSortIndicator(model.column_of(sort_key), Qt.SortOrder.DescendingOrder
                                if descending else Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self._sort_section = model.column_of(sort_key)
        header.sortIndicatorChanged.connect(self._sort_changed)

        self._save_timer = QTimer(self, singleShot=True, interval=400)
        self._save_timer.timeout.connect(self.save_columns)
        header.sectionResized.connect(self._section_resized)
        header.sectionMoved.connect(lambda *_a: self._save_timer.start())
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.reloaded.connect(self._restore_selection)
        model.reloaded.connect(self._after_reload)
        model.found_ready.connect(self._found_ready)
        header.sectionMoved.connect(self._keep_fixed_first)
        if model.rowCount():
            self._fit_pending()
        self.doubleClicked.connect(self._activated)
        self.selectionModel().selectionChanged.connect(lambda *_a: self.selection_changed.emit())
        # A method of the view, not the signal's emit: Qt drops the connection when
        # the view is deleted, while the model (which outlives it) may still reset.
        model.modelReset.connect(self._model_reset)

    def _model_reset(self) -> None:
        self.selection_changed.emit()

    # -- columns ---------------------------------------------------------------------
    def shown_columns(self) -> list[str]:
        """The visible columns' keys, in the order the user sees them."""
        header = self.horizontalHeader()
        model = self.record_model
        logical = [header.logicalIndex(v) for v in range(header.count())]
        return [model.keys[i] for i in logical if not header.isSectionHidden(i)]

    def fit_columns(self, keys: list[str] | None = None) -> None:
        """Widen or narrow these columns (all shown) to fit their title and the first
        FIT_ROWS rows; never reads further down the list."""
        model = self.record_model
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        head_metrics = header.fontMetrics()
        rows = min(model.rowCount(), FIT_ROWS)
        limit = metrics.averageCharWidth() * FIT_MAX_CHARS
        for key in keys if keys is not None else self.shown_columns():
            column = model.column_of(key)
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            # the title, plus room for the sort arrow
            width = head_metrics.horizontalAdvance(title) + 34
            for row in range(rows):
                text = model.data(model.index(row, column))
                if text:
                    width = max(width, min(limit, metrics.horizontalAdvance(str(text)) + 18))
            self.setColumnWidth(column, width)

    def _fit_pending(self) -> None:
        keys = [k for k in self.shown_columns() if k in self._to_fit]
        if keys:
            self.fit_columns(keys)
            self._to_fit.difference_update(keys)

    def _after_reload(self) -> None:
        if self._to_fit and self.record_model.rowCount():
            self._fit_pending()
        query = self.record_model.query
        if query != self._last_query:
            self._last_query = query
            self.horizontalScrollBar().setValue(0)  # back to the names
            self._refit_found = True
            self._fit_found()

    def _found_ready(self) -> None:
        model = self.record_model
        if self._found_delegate is None and "name" in model.keys and model.search_words:
            self._found_delegate = FoundDelegate(self)
            self.setItemDelegateForColumn(model.column_of("name"), self._found_delegate)
        if self._refit_found:
            self._fit_found()

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        model = self.record_model
        if (not self._widening and "name" in model.keys
                and section == model.column_of("name")):
            self._name_width = None  # the user's own width now
        self._save_timer.start()

    def _fit_found(self) -> None:
        """Widen the Name column for the first rows' "found in" texts (up to about
        half the list), or give it back its width once the search has none."""
        model = self.record_model
        if "name" not in model.keys:
            return
        column = model.column_of("name")
        metrics = self.fontMetrics()
        want = 0
        if not model.search_words and self._found_delegate is not None:
            self.setItemDelegateForColumn(column, None)  # the plain, fast painting again
            self._found_delegate.deleteLater()
            self._found_delegate = None
        if model.search_words:
            rows = min(model.rowCount(), FIT_ROWS)
            known = True
            for row in range(rows):
                found = model.found_text(row)
                known = known and (found != "" or model.found_known(row))
                if found:
                    name = str(model.data(model.index(row, column)) or "")
                    want = max(want, metrics.horizontalAdvance(name)
                               + metrics.averageCharWidth() * 3
                               + metrics.horizontalAdvance(found) + 24)
            if not known:
                return  # read once typing pauses (found_ready): the width stays till then
        self._refit_found = False
        want = min(want, max(self.viewport().width() // 2, self.columnWidth(column)))
        current = self.columnWidth(column)
        self._widening = True
        try:
            if want > current:
                if self._name_width is None:
                    self._name_width = current
                self.setColumnWidth(column, want)
            elif not want and self._name_width is not None:
                self.setColumnWidth(column, self._name_width)
                self._name_width = None
        finally:
            self._widening = False

    def _keep_fixed_first(self, *_args: object) -> None:
        """The Name column stays the first one: a row always says whose it is."""
        header = self.horizontalHeader()
        for target, key in enumerate(self._fixed):
            if key in self.record_model.keys:
                section = self.record_model.column_of(key)
                if header.visualIndex(section) != target:
                    header.moveSection(header.visualIndex(section), target)

    def _apply_columns(self, keys: list[str]) -> None:
        keys = [k for k in self._fixed if k in keys] + [k for k in keys if k not in self._fixed]
        header = self.horizontalHeader()
        model = self.record_model
        for key in model.keys:
            header.setSectionHidden(model.column_of(key), key not in keys)
        for target, key in enumerate(keys):
            header.moveSection(header.visualIndex(model.column_of(key)), target)
        model.set_visible_columns(keys)

    def set_shown_columns(self, keys: list[str]) -> None:
        keys = [k for k in dict.fromkeys(keys) if k in self.record_model.keys]
        for key in self._fixed:
            if key not in keys:
                keys.insert(0, key)
        self._apply_columns(keys)
        self.save_columns()

    def toggle_column(self, key: str, shown: bool) -> None:
        keys = self.shown_columns()
        if shown and key not in keys:
            keys.append(key)
            if key in self._to_fit:
                self._apply_columns(keys)
                self._fit_pending()
        elif not shown and key in keys:
            keys.remove(key)
        self.set_shown_columns(keys)

    def save_columns(self) -> None:
        model = self.record_model
        self.settings.set_columns(self.list_key, self.shown_columns())
        widths = {key: self.columnWidth(model.column_of(key)) for key in self.shown_columns()}
        if self._name_width is not None and "name" in widths:
            widths["name"] = self._name_width  # not the width a search lent it
        self.settings.set_widths(self.list_key, widths)

    def _header_menu(self, pos: QPoint) -> None:
        self.header_menu().exec(self.horizontalHeader().mapToGlobal(pos))

    def header_menu(self) -> QMenu:
        """Show/hide columns, and go back to the standard set."""
        menu = QMenu(self)
        shown = set(self.shown_columns())
        for key in self.record_model.keys:
            action = QAction(self.record_model.columns_registry[key].title(), menu)
            action.setCheckable(True)
            action.setChecked(key in shown)
            action.setEnabled(key not in self._fixed)
            action.toggled.connect(lambda on, k=key: self.toggle_column(k, on))
            menu.addAction(action)
        menu.addSeparator()
        reset = menu.addAction(_("Standard Columns"))
        reset.triggered.connect(self.reset_columns)
        return menu

    def reset_columns(self) -> None:
        model = self.record_model
        for key in model.keys:
            self.setColumnWidth(model.column_of(key), model.columns_registry[key].width)
        self.set_shown_columns(self._default_columns)
        self.fit_columns()
        self.save_columns()

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        model = self.record_model
        key = model.keys[section]
        if (section != self._sort_section and order == Qt.SortOrder.AscendingOrder
                and model.columns_registry[key].descending_first):
            # Dates: the first click shows the newest first.
            self._sort_section = section
            self.horizontalHeader().setSortIndicator(section, Qt.SortOrder.DescendingOrder)
            return
        self._sort_section = section
        self.settings.set_sort(self.list_key, key, order == Qt.SortOrder.DescendingOrder)

    # -- selection -------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        """Selected records in list order (ranges, so Select All of 100,000 is cheap)."""
        ids = self.record_model.ids()
        rows: set[int] = set()
        out: list[int] = []
        for rng in self.selectionModel().selection():
            for row in range(rng.top(), rng.bottom() + 1):
                if row not in rows:
                    rows.add(row)
        for row in sorted(rows):
            if row < len(ids):
                out.append(ids[row])
        return out

    def current_id(self) -> int | None:
        index = self.currentIndex()
        return self.record_model.id_at(index.row()) if index.isValid() else None

    def select_id(self, record_id: int | None) -> bool:
        """Make this record the current and only selected one; False if not listed."""
        row = self.record_model.row_of(record_id) if record_id is not None else None
        if row is None:
            return False
        self.select_row(row)
        return True

    def select_row(self, row: int) -> None:
        model = self.record_model
        if not 0 <= row < model.rowCount():
            self.clearSelection()
            return
        column = self.horizontalHeader().logicalIndex(0)
        self.selectionModel().setCurrentIndex(
            model.index(row, max(column, 0)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.scrollTo(model.index(row, max(column, 0)))

    def _remember_selection(self) -> None:
        selected = self.selected_ids()
        self._remembered = (self.current_id(), selected[:MAX_RESTORE])

    def _restore_selection(self) -> None:
        current, selected = self._remembered
        self._remembered = (None, [])
        model = self.record_model
        rows = sorted(model.rows_of(selected).values())
        if not rows and current is None:
            return
        selection = QItemSelection()
        last = model.columnCount() - 1
        start = prev = None
        for row in rows:
            if start is None:
                start = prev = row
            elif row == prev + 1:  # type: ignore[operator]
                prev = row
            else:
                selection.select(model.index(start, 0), model.index(prev, last))  # type: ignore[arg-type]
                start = prev = row
        if start is not None:
            selection.select(model.index(start, 0), model.index(prev, last))  # type: ignore[arg-type]
        sel = self.selectionModel()
        current_row = model.row_of(current) if current is not None else None
        if current_row is not None:
            sel.setCurrentIndex(model.index(current_row, self.horizontalHeader().logicalIndex(0)),
                                QItemSelectionModel.SelectionFlag.NoUpdate)
        sel.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if current_row is not None:
            self.scrollTo(model.index(current_row, 0))

    # -- copy -----------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        rows: set[int] = set()
        for rng in self.selectionModel().selection():
            rows.update(range(rng.top(), rng.bottom() + 1))
        return sorted(r for r in rows if r < self.record_model.rowCount())

    def selected_count(self) -> int:
        """How many rows are selected, counted by ranges (cheap for Select All)."""
        return sum(rng.height() for rng in self.selectionModel().selection())

    def copy_table(self) -> tuple[list[str], list[list[str]]]:
        """The selected rows as shown: visible titles, and values in the visible order."""
        model = self.record_model
        columns = [model.column_of(k) for k in self.shown_columns()]
        titles = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
        rows = [[str(model.data(model.index(row, c)) or "") for c in columns]
                for row in self.selected_rows()]
        return titles, rows

    def copy_selection(self) -> None:
        """Put the selected rows on the clipboard as a table (text and HTML)."""
        from html import escape

        from PySide6.QtCore import QMimeData

        titles, rows = self.copy_table()
        if not rows:
            return

        def cell(text: str) -> str:  # a tab or line break would split the cell
            return " ".join(text.replace("\t", " ").splitlines())

        text = "\r\n".join("\t".join(cell(v) for v in line)
                             for line in [titles, *rows]) + "\r\n"
        html = ("<table><thead><tr>" + "".join(f"<th>{escape(t)}</th>" for t in titles)
                + "</tr></thead><tbody>"
                + "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in line) + "</tr>"
                          for line in rows)
                + "</tbody></table>")
        mime = QMimeData()
        mime.setText(text)
        mime.setHtml(html)
        QGuiApplication.clipboard().setMimeData(mime)

    # -- an empty result ----------------------------------------------------------
    def set_empty_text(self, text: str) -> None:
        """A message over the list while it is empty ("" hides it): its first
        paragraph as a headline, the rest (what to try) in grey below."""
        from html import escape

        head, _sep, rest = text.partition("\n\n")
        grey = self.palette().color(QPalette.ColorGroup.Disabled,
                                    QPalette.ColorRole.Text).name()
        self.empty_label.setText(
            f"<p style='font-size:large'><b>{escape(head)}</b></p>"
            + (f"<p style='color:{grey}'>{escape(rest)}</p>" if rest else ""))
        self.empty_label.setVisible(bool(text))
        self._place_empty_label()

    def _place_empty_label(self) -> None:
        self.empty_label.setGeometry(self.viewport().rect().adjusted(32, 40, -32, -24))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_empty_label()

    # -- keys -----------------------------------------------------------------------
    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Home and End go to the first and last record, as in every list."""
        model = self.record_model
        column = self.currentIndex().column() if self.currentIndex().isValid() else 0
        if action == QAbstractItemView.CursorAction.MoveHome and model.rowCount():
            return model.index(0, column)
        if action == QAbstractItemView.CursorAction.MoveEnd and model.rowCount():
            return model.index(model.rowCount() - 1, column)
        return super().moveCursor(action, modifiers)

    def keyboardSearch(self, search: str) -> None:
        # Qt's type-ahead would read every row to find a match; search instead.
        if search.strip():
            self.text_typed.emit(search)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_id():
            self.record_activated.emit(self.current_id())
            return
        super().keyPressEvent(event)

    def _activated(self, index: QModelIndex) -> None:
        record_id = self.record_model.id_at(index.row())
        if record_id is not None:
            self.record_activated.emit(record_id)
