"""The History view's big-list model: Qt's contract, filters, every sort, a bounded cache."""

from __future__ import annotations

from datetime import date

import pytest
from history_data import ENTRIES, add_entries, fill_history
from PySide6.QtCore import Qt

from crmdesk.core.history.records import HISTORY_COLUMNS, HistoryFilter
from crmdesk.ui.contacts.table_model import BLOCK, MAX_CACHED_ROWS, IdRole
from crmdesk.ui.history.table_model import HistoryTableModel


@pytest.fixture
def entries(db, people):
    return add_entries(db, people)


def column(model: HistoryTableModel, key: str) -> list[str]:
    col = model.column_of(key)
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_history_model_passes_qt_model_tester(qtmodeltester, db, entries):
    model = HistoryTableModel(db, background=False)
    model.reload_now()
    assert model.rowCount() == len(ENTRIES)
    qtmodeltester.check(model, force_py=True)


def test_empty_history_passes_model_tester(qtmodeltester, db, people):
    model = HistoryTableModel(db, background=False)
    model.reload_now()
    assert model.rowCount() == 0 and model.total == 0
    qtmodeltester.check(model, force_py=True)


def test_rows_show_what_happened_newest_first(db, entries):
    model = HistoryTableModel(db, background=False)
    model.reload_now()
    assert column(model, "subject")[:3] == ["Prices for spring", "Квартальный отчёт",
                                            "Complaint about delivery"]
    row = model.row_of(entries["Квартальный отчёт"])
    assert model.data(model.index(row, model.column_of("contacts"))) == \
        "Olga Petrova, Иван Иванов"  # in name order
    assert model.data(model.index(row, model.column_of("company"))) == "ООО Ромашка"
    assert model.data(model.index(row, model.column_of("duration"))) == "60 min"
    assert model.data(model.index(row, model.column_of("outcome"))) == "Meeting agreed"
    first = model.index(0, model.column_of("direction"))
    assert model.data(first) == "Outgoing"
    assert "2026" in model.data(model.index(0, model.column_of("at"))) or \
        "26" in model.data(model.index(0, model.column_of("at")))
    assert model.data(model.index(0, 0), IdRole) == entries["Prices for spring"]
    assert model.headerData(model.column_of("at"), Qt.Orientation.Horizontal) == \
        HISTORY_COLUMNS["at"].title()
    # Minutes are numbers: aligned right like the other counts.
    align = model.data(model.index(0, model.column_of("duration")),
                       Qt.ItemDataRole.TextAlignmentRole)
    assert align & int(Qt.AlignmentFlag.AlignRight)


def test_filter_by_period_kind_outcome_and_text(db, entries):
    model = HistoryTableModel(db, background=False)
    model.reload_now()
    model.set_filter(HistoryFilter(since=date(2026, 3, 1), until=date(2026, 3, 31)))
    assert sorted(column(model, "subject")) == sorted(
        ["Prices for spring", "Квартальный отчёт", "Invoice question",
         "Complaint about delivery"])
    assert model.total == len(ENTRIES) and model.is_filtered()
    model.set_filter(HistoryFilter(kinds=["Call"]))
    assert column(model, "subject") == ["Prices for spring", "Complaint about delivery",
                                        "New year greetings"]
    model.set_filter(HistoryFilter(kinds=["Call"], outcomes=["No answer"]))
    assert column(model, "subject") == ["New year greetings"]
    model.set_filter(HistoryFilter())
    model.set_query("КВАРТАЛЬНЫЙ")  # the search box, any case, any script
    assert column(model, "subject") == ["Квартальный отчёт"]
    assert model.filter.text == "КВАРТАЛЬНЫЙ"
    model.set_query("")
    assert model.rowCount() == len(ENTRIES) and not model.is_filtered()


@pytest.mark.parametrize("key", list(HISTORY_COLUMNS))
def test_every_column_sorts_both_ways(db, entries, key):
    model = HistoryTableModel(db, background=False)
    model.reload_now()
    col = model.column_of(key)
    ids_before = set(model.ids())
    model.sort(col, Qt.SortOrder.AscendingOrder)
    assert model.sort_order == (key, False)
    up = model.ids()
    model.sort(col, Qt.SortOrder.DescendingOrder)
    down = model.ids()
    assert set(up) == set(down) == ids_before
    if key == "at":
        assert up == list(reversed(down))
    if key == "subject":
        assert column(model, "subject")[0] == "Квартальный отчёт"  # Cyrillic after Latin
        assert column(model, "subject")[-1] == "Complaint about delivery"
    if key == "duration":
        texts = column(model, "duration")
        assert texts[:3] == ["60 min", "20 min", "15 min"]
        assert texts[-1] == ""  # no duration: last either way


def test_a_change_reloads_and_rows_come_from_the_database_again(db, entries):
    from crmdesk.core.changes import KindChanges
    from crmdesk.core.history.records import get_interaction, update_interaction

    model = HistoryTableModel(db, background=False)
    model.reload_now()
    target = entries["Contract draft"]
    with db.session() as s:
        data = get_interaction(s, target)
        data.subject = "Contract signed"
        update_interaction(s, target, data)
    model.apply_change(KindChanges(changed=frozenset({target})))
    assert "Contract signed" in column(model, "subject")


def test_5000_entries_read_a_block_at_a_time(qtbot, db, people):
    fill_history(db, 5000, list(people.values()))
    model = HistoryTableModel(db, background=True)
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() == 5000, timeout=5000)
    assert model.total == 5000
    # Showing the first and the last screenful reads the blocks holding them
    # (two or three, whatever the block size), not 5,000 rows.
    shown = [*range(30), *range(4970, 5000)]
    for row in shown:
        model.data(model.index(row, model.column_of("subject")))
    blocks = {row // BLOCK for row in shown}
    assert model.block_queries == len(blocks) <= 3
    assert model.cached_rows() == sum(min(BLOCK, 5000 - b * BLOCK) for b in blocks)
    # Scrolling through everything keeps the cache bounded.
    for row in range(0, 5000, 50):
        model.data(model.index(row, 0))
    assert model.cached_rows() <= MAX_CACHED_ROWS
