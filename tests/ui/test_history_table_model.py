"""The History view's big-list model: Qt's contract, filters, every sort, a bounded cache."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from history_data import ENTRIES, add_entries, fill_history
from PySide6.QtCore import QDate, QDateTime, QLocale, QPersistentModelIndex, Qt, QTime

from crmdesk.core.history.listing import history_ids
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
    # 18 March 2026, 10:00 local time, in the user's short date and time format.
    when = QDateTime(QDate(2026, 3, 18), QTime(10, 0))
    assert model.data(model.index(0, model.column_of("at"))) == QLocale().toString(
        when, QLocale.FormatType.ShortFormat)
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
    assert column(model, "subject") == ["Prices for spring", "Квартальный отчёт",
                                        "Complaint about delivery", "Invoice question"]
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


P, K, CM, IQ, CT, N, M = ("Prices for spring", "Квартальный отчёт", "Complaint about delivery",
                          "Invoice question", "Contract draft", "New year greetings",
                          "Met at the trade show")
# ENTRIES by each column, ascending and descending: blanks last either way, ties newest
# first; kinds and outcomes in the order of their drop-down lists (Call, Meeting,
# E-mail, Letter, Note; Reached, No answer, Meeting agreed, Complaint); contacts by the
# first of their names in name order; Cyrillic after Latin.
SORTED = {
    "at": ([M, N, CT, IQ, CM, K, P], [P, K, CM, IQ, CT, N, M]),
    "kind": ([P, CM, N, K, IQ, CT, M], [M, CT, IQ, K, P, CM, N]),
    "direction": ([CM, IQ, P, CT, N, K, M], [P, CT, N, CM, IQ, K, M]),
    "subject": ([CM, CT, IQ, M, N, P, K], [K, P, N, M, IQ, CT, CM]),
    "outcome": ([P, N, K, CM, IQ, CT, M], [CM, K, N, P, IQ, CT, M]),
    "contacts": ([N, M, IQ, K, P, CM, CT], [CT, P, CM, K, IQ, M, N]),
    "company": ([P, CM, N, IQ, CT, K, M], [K, IQ, CT, P, CM, N, M]),
    "duration": ([N, P, CM, K, IQ, CT, M], [K, CM, P, N, IQ, CT, M]),
}


def test_every_column_has_its_expected_order():
    assert set(SORTED) == set(HISTORY_COLUMNS)


@pytest.mark.parametrize("key", list(HISTORY_COLUMNS))
def test_every_column_sorts_both_ways(db, entries, key):
    model = HistoryTableModel(db, background=False)
    model.reload_now()
    col = model.column_of(key)
    ascending, descending = SORTED[key]
    model.sort(col, Qt.SortOrder.AscendingOrder)
    assert model.sort_order == (key, False)
    assert column(model, "subject") == ascending
    assert model.ids() == [entries[s] for s in ascending]
    model.sort(col, Qt.SortOrder.DescendingOrder)
    assert model.sort_order == (key, True)
    assert column(model, "subject") == descending
    if key == "duration":
        texts = column(model, "duration")
        assert texts == ["60 min", "20 min", "15 min", "2 min", "", "", ""]


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


def test_a_long_history_shows_its_first_screenful_at_once_then_the_rest(qtbot, db, people):
    """All time at a million entries: the first rows come before the whole id list,
    the rest is appended below them, and what was selected stays selected."""
    from crmdesk.ui.contacts.table_model import FIRST_ROWS, reader

    fill_history(db, 1000, list(people.values()))
    with db.reading() as s:
        newest_first = history_ids(s, HistoryFilter())
    model = HistoryTableModel(db, background=True)
    blocked = threading.Event()
    reader().submit(lambda: blocked.wait(5))  # the rest waits until the test has looked
    model.reload_now()
    assert model.rowCount() == FIRST_ROWS and not model.complete
    assert model.ids() == newest_first[:FIRST_ROWS]
    kept = QPersistentModelIndex(model.index(5, 0))
    inserted = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    blocked.set()
    qtbot.waitUntil(lambda: model.complete, timeout=5000)
    assert model.ids() == newest_first and model.total == 1000
    assert inserted == [(FIRST_ROWS, 999)]  # appended, not a reset
    assert kept.isValid() and kept.row() == 5



@pytest.mark.parametrize("flt", [
    HistoryFilter(), HistoryFilter(text="bulk"), HistoryFilter(kinds=["Call"]),
    HistoryFilter(text="entry 00", kinds=["Call"]),
    HistoryFilter(since=date(2025, 1, 1), until=date(2025, 12, 31)),
], ids=["everything", "a common word", "a kind", "a word and a kind", "a period"])
def test_the_first_screenful_is_the_whole_lists_first_rows(db, people, monkeypatch, flt):
    from crmdesk.core.history import listing

    monkeypatch.setattr(listing, "FIRST_WINDOW", 300)  # the newest 300 of 1,000
    monkeypatch.setattr(listing, "WIDEST_WINDOW", 600)
    fill_history(db, 1000, list(people.values()))
    with db.reading() as s:
        first = listing.history_first_ids(s, flt, limit=20)
        whole = listing.history_ids(s, flt)
    assert first is not None and first == whole[:20]


@pytest.mark.parametrize("first, widest", [(5, 10), (20, 600), (50, 100), (300, 20_000)])
def test_the_newest_entries_read_in_two_looks_give_the_whole_lists_first_rows(
        db, people, monkeypatch, first, widest):
    """The first look at the newest entries, then one at as many more as the rate of
    the first says should hold a screenful: whatever the sizes, what comes back is the
    whole list's first rows (or None: ask the whole list); a filter with a word the
    trigram index holds always has an answer."""
    from crmdesk.core.history import listing

    monkeypatch.setattr(listing, "FIRST_WINDOW", first)
    monkeypatch.setattr(listing, "WIDEST_WINDOW", widest)
    fill_history(db, 1000, list(people.values()))
    with db.reading() as s:
        for flt, indexed in ((HistoryFilter(kinds=["Call"]), False),
                             (HistoryFilter(text="01"), False),
                             (HistoryFilter(text="entry 01"), True),
                             (HistoryFilter(text="entry 009"), True),
                             (HistoryFilter(text="bulk", kinds=["Meeting"]), True)):
            whole = listing.history_ids(s, flt)
            first_rows = listing.history_first_ids(s, flt, limit=20)
            if first_rows is None:
                assert not indexed, flt
            else:
                assert first_rows == whole[:20], (flt, first, widest)


def test_a_word_rare_among_the_newest_is_found_through_the_index(db, people, monkeypatch):
    """Fewer matches among the newest entries than a screenful: the first screenful is
    not guessed from the newest entries. A word of three letters or more is looked up
    in the trigram index and its hits sorted (the whole list's first rows); a shorter
    one, which only a scan of every entry finds, has no cheap first screenful."""
    from crmdesk.core.history import listing

    monkeypatch.setattr(listing, "FIRST_WINDOW", 300)
    fill_history(db, 1000, list(people.values()))
    with db.reading() as s:
        newest = listing.history_ids(s, HistoryFilter())
        rows = listing.history_rows(s, [newest[-1]])
        old_subject = str(rows[newest[-1]]["subject"])  # the oldest entry's own words
        flt = HistoryFilter(text=old_subject)
        assert listing.history_first_ids(s, flt, limit=20) == [newest[-1]]
        assert listing.history_ids(s, flt) == [newest[-1]]
        # A common word, but the newest 5 entries are fewer than a screenful.
        monkeypatch.setattr(listing, "FIRST_WINDOW", 5)
        monkeypatch.setattr(listing, "WIDEST_WINDOW", 5)
        common = HistoryFilter(text="bulk entry")
        whole = listing.history_ids(s, common)
        assert len(whole) == 1000
        assert listing.history_first_ids(s, common, limit=20) == whole[:20]
        # Only short words: nothing but the whole list says which come first.
        short = HistoryFilter(text=old_subject.split()[-1][-2:])
        assert listing.history_first_ids(s, short, limit=20) is None
        # Sorted by another column, the first screenful is the whole list's too.
        assert listing.history_first_ids(s, HistoryFilter(text="bulk"), "subject",
                                         limit=20) is None
        assert listing.history_ids(s, flt) == [newest[-1]]
        # Sorted by another column, the first screenful is the whole list's too.
        assert listing.history_first_ids(s, HistoryFilter(text="bulk"), "subject",
                                         limit=20) is None
