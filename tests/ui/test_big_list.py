"""100,000 contacts: the window opens on them, scrolls to the end, sorts, searches.

What is checked here is what the window does and how much it reads (blocks of
rows, not the whole list); how long it takes is `python -m bench`'s business
(bench/gui_bench.py), on a machine that is not busy running other tests.
"""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QLocale, Qt
from sqlalchemy import event

from crmdesk.core.storage.database import Database

N = 100_000
# Both tests on one xdist worker (with --dist loadgroup), so the file is made once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("big_list")]


@pytest.fixture(scope="module")
def big_db_path(tmp_path_factory, migrated_template):
    from bulk import fill

    path = tmp_path_factory.mktemp("big") / "big.crmdesk"
    shutil.copy(migrated_template, path)
    with Database.open(path) as db:
        # Test data: no need to wait for the disk at every checkpoint while filling
        # (a third of the time); the file is closed cleanly before any test opens it.
        @event.listens_for(db.engine, "connect")
        def _fill_fast(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.execute("PRAGMA synchronous=OFF")
            dbapi_conn.execute("PRAGMA cache_size=-262144")

        db.engine.dispose()
        fill(db, N)
    return path


@pytest.fixture
def big_window(make_window, big_db_path):
    return make_window(Database.open(big_db_path), stand_ins=True)


def test_window_on_100k_scrolls_to_the_end_and_sorts(qtbot, big_window):
    view = big_window.contacts
    model, table = view.model, view.list
    assert model.rowCount() == N
    assert big_window.count_label.text() == f"{QLocale().toString(N)} contacts"
    table.setFocus()
    table.select_row(0)
    qtbot.keyClick(table, Qt.Key.Key_End)
    table.viewport().repaint()
    assert table.currentIndex().row() == N - 1
    # The last row is the one at the bottom of the list, painted with its name.
    bottom = table.indexAt(table.viewport().rect().bottomLeft()).row()
    assert bottom in (N - 1, -1)  # -1: below the last row, blank space
    assert table.visualRect(model.index(N - 1, 0)).bottom() <= table.viewport().height()
    last = model.data(model.index(N - 1, model.column_of("name")))
    assert last and model.id_at(N - 1) == table.current_id()
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


def test_search_narrows_100k(qtbot, big_window):
    view = big_window.contacts
    big_window.search_box.setText("kazlauskas")
    big_window.apply_search()
    qtbot.waitUntil(lambda: 0 < view.model.rowCount() < N, timeout=10000)
    name = view.model.data(view.model.index(0, 0))
    assert "Kazlauskas" in name
    # The first screenful first (from the index's hits, put in order), then the count.
    qtbot.waitUntil(lambda: view.model.complete, timeout=10000)
    qtbot.waitUntil(lambda: big_window.count_label.text().endswith(
        f"of {QLocale().toString(N)} contacts"), timeout=5000)
    assert "counting" not in big_window.count_label.text()
