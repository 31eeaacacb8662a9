"""100,000 contacts: the window opens on them, scrolls to the end, sorts, searches."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QLocale, Qt

from crmdesk.core.storage.database import Database

N = 100_000


@pytest.fixture(scope="module")
def big_db_path(tmp_path_factory):
    from bulk import fill

    path = tmp_path_factory.mktemp("big") / "big.crmdesk"
    with Database.open(path) as db:
        fill(db, N)
    return path


@pytest.fixture
def big_window(make_window, big_db_path):
    return make_window(Database.open(big_db_path))


@pytest.mark.slow
def test_window_on_100k_scrolls_to_the_end_and_sorts(qtbot, big_window):
    view = big_window.contacts
    model, table = view.model, view.list
    assert model.rowCount() == N
    assert big_window.count_label.text() == f"{QLocale().toString(N)} contacts"
    start = time.perf_counter()
    table.setFocus()
    table.select_row(0)
    qtbot.keyClick(table, Qt.Key.Key_End)
    table.viewport().repaint()
    assert table.currentIndex().row() == N - 1
    assert table.indexAt(table.viewport().rect().bottomLeft()).row() in (N - 1, -1)
    last = model.data(model.index(N - 1, model.column_of("name")))
    assert last
    assert time.perf_counter() - start < 2.0
    # Only the rows shown were read: a few blocks, not the whole list.
    assert model.block_queries < 10
    assert model.cached_rows() <= 3000

    column = model.column_of("company")
    table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.sort_order == ("company", False), timeout=5000)
    model.wait()
    first = [model.data(model.index(r, column)) for r in range(200)]
    assert first == sorted(first, key=str.casefold) and first[0]
    assert model.data(model.index(N - 1, column)) == ""  # no company: last
    assert table.currentIndex().row() == model.row_of(table.current_id())

    table.sortByColumn(model.column_of("name"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.sort_order == ("name", True), timeout=5000)
    model.wait()
    qtbot.keyClick(table, Qt.Key.Key_Home)
    table.viewport().repaint()
    assert table.currentIndex().row() == 0


@pytest.mark.slow
def test_search_narrows_100k(qtbot, big_window):
    view = big_window.contacts
    big_window.search_box.setText("kazlauskas")
    big_window.apply_search()
    qtbot.waitUntil(lambda: 0 < view.model.rowCount() < N, timeout=10000)
    name = view.model.data(view.model.index(0, 0))
    assert "Kazlauskas" in name
    assert big_window.count_label.text().endswith(f"of {QLocale().toString(N)} contacts")
