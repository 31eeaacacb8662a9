"""The History view as a user meets it: filters, sorting, counts, export, open, delete."""

from __future__ import annotations

import csv
import errno
import os
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from history_data import ENTRIES, TODAY, add_entries, fill_history
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QColor

from crmdesk.core.changes import CONTACTS, HISTORY, Changes
from crmdesk.core.history.records import HISTORY_COLUMNS, LogResult
from crmdesk.ui.contacts.table_model import MAX_CACHED_ROWS


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Every preset is worked out from TODAY, not from the clock."""
    from crmdesk.ui.history.filters import HistoryFilterBar

    monkeypatch.setattr(HistoryFilterBar, "today", lambda self: TODAY)


@pytest.fixture
def entries(db, people):
    return add_entries(db, people)


@pytest.fixture
def hwindow(make_window, db, people, entries):
    """The window on the History view; the contact and company forms are stand-ins
    (nothing here edits a contact: see test_editing.py for the real forms)."""
    window = make_window(db, stand_ins=True)
    window.show_view(window.history)
    return window


def shown(view, key: str = "subject") -> list[str]:
    view.model.wait()
    model, col = view.model, view.model.column_of(key)
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def settle(view) -> None:
    view.model.wait()


# -- switching to it -------------------------------------------------------------------


def test_ctrl_3_shows_history_with_the_last_30_days(qtbot, window_alone, entries):
    window = window_alone
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    view = window.history
    assert window.current_view() is view
    assert window.sidebar.currentItem().text() == "History"
    assert view.filters.period.currentText() == "Last 30 days"
    # 16 Feb - 18 Mar, newest first.
    assert shown(view) == ["Prices for spring", "Квартальный отчёт",
                           "Complaint about delivery", "Invoice question", "Contract draft"]
    assert window.count_label.text() == "5 of 7 entries"
    assert window.search_box.placeholderText().startswith("Search the history")
    # Del deletes entries here (for good, after asking), not "Move to Trash".
    assert window.delete_action.text().startswith("Delete Entries")
    # The trash comes last, after it.
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.trash
    assert window.delete_action.text().startswith("Delete for Good")
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.delete_action.text().startswith("Move to Trash")


def test_no_history_yet_says_how_to_start(qtbot, window_alone):
    window = window_alone
    window.show_view(window.history)
    assert window.count_label.text() == "No history yet"
    assert "Ctrl+L" in window.history.list.empty_text


# -- filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(("period", "subjects"), [
    ("today", ["Prices for spring"]),
    ("this-week", ["Prices for spring", "Квартальный отчёт"]),
    ("this-month", ["Prices for spring", "Квартальный отчёт", "Complaint about delivery",
                    "Invoice question"]),
    ("last-month", ["Contract draft"]),
    ("this-year", ["Prices for spring", "Квартальный отчёт", "Complaint about delivery",
                   "Invoice question", "Contract draft", "New year greetings"]),
    ("all", ["Prices for spring", "Квартальный отчёт", "Complaint about delivery",
             "Invoice question", "Contract draft", "New year greetings",
             "Met at the trade show"]),
])
def test_period_presets(hwindow, period, subjects):
    view = hwindow.history
    view.filters.set_period(period)
    assert shown(view) == subjects
    total = len(ENTRIES)
    expected = (f"{total} entries" if period == "all"
                else f"{len(subjects)} of {total} entries")
    assert hwindow.count_label.text() == expected


def test_presets_fill_the_dates_and_typing_a_date_makes_it_custom(qtbot, hwindow):
    view = hwindow.history
    bar = view.filters
    view.filters.set_period("last-month")
    assert bar.from_edit.date() == QDate(2026, 2, 1)
    assert bar.to_edit.date() == QDate(2026, 2, 28)
    bar.from_edit.setDate(QDate(2026, 1, 1))  # as if typed
    assert bar.period_key() == "custom"
    assert shown(view) == ["Contract draft", "New year greetings"]
    bar.set_dates(date(2025, 11, 11), date(2025, 11, 11))
    assert shown(view) == ["Met at the trade show"]
    bar.set_dates(date(2025, 12, 1), date(2025, 12, 31))
    assert shown(view) == []
    assert view.list.empty_text == "No history in this period."
    assert hwindow.count_label.text() == "0 of 7 entries"


def test_the_period_is_remembered(qtbot, make_window, db, entries, ui_settings):
    window = make_window(db, stand_ins=True)
    window.show_view(window.history)
    window.history.filters.set_period("this-year")
    window.close()
    again = make_window(db, ui_settings, stand_ins=True)
    again.show_view(again.history)
    assert again.history.filters.period_key() == "this-year"


def test_kind_and_outcome(hwindow):
    view = hwindow.history
    view.filters.set_period("all")
    view.filters.set_kind("Call")
    assert shown(view) == ["Prices for spring", "Complaint about delivery",
                           "New year greetings"]
    assert set(shown(view, "kind")) == {"Call"}
    view.filters.set_outcome("No answer")
    assert shown(view) == ["New year greetings"]
    assert hwindow.count_label.text() == "1 of 7 entries"
    view.filters.set_kind("")
    view.filters.set_outcome("Complaint")
    assert shown(view) == ["Complaint about delivery"]
    # Only kinds from the user's list, and "everything" first.
    kinds = [view.filters.kind.itemText(i) for i in range(view.filters.kind.count())]
    assert kinds[0] == "All kinds" and "Support request" in kinds


def test_search_box_filters_by_text_in_any_script(qtbot, hwindow):
    view = hwindow.history
    view.filters.set_period("all")
    hwindow.search_box.setText("квартальный")
    hwindow.apply_search()
    assert shown(view) == ["Квартальный отчёт"]
    assert hwindow.count_label.text() == "1 of 7 entries"
    hwindow.search_box.setText("notes on contract")  # words of the details
    hwindow.apply_search()
    assert shown(view) == ["Contract draft"]
    assert "names" in hwindow.search_box.placeholderText()
    hwindow.search_box.setText("иванов")  # a contact's name
    hwindow.apply_search()
    assert shown(view) == ["Квартальный отчёт"]
    hwindow.search_box.setText("vilniaus")  # a company's name
    hwindow.apply_search()
    assert shown(view) == ["Invoice question", "Contract draft"]  # newest first
    hwindow.search_box.setText("no such words")
    hwindow.apply_search()
    assert shown(view) == []
    assert view.list.empty_text == "No entries match the search in this period."
    # The search stays with the History view.
    hwindow.show_view(hwindow.contacts)
    assert hwindow.search_box.text() == ""
    hwindow.show_view(hwindow.history)
    assert hwindow.search_box.text() == "no such words"


# -- sorting ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(HISTORY_COLUMNS))
def test_clicking_a_header_sorts_and_is_remembered(qtbot, hwindow, key, ui_settings):
    from test_history_table_model import SORTED

    view = hwindow.history
    view.filters.set_period("all")
    table, model = view.list, view.model
    table.sortByColumn(model.column_of(key), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.sort_order[0] == key, timeout=3000)
    settle(view)
    descending = model.sort_order[1]
    # The list starts newest first, so a click on Date turns it round; a first click on
    # Duration shows the longest first, on the others A to Z (or the list's order).
    assert model.sort_order == (key, key == "duration")
    assert shown(view) == SORTED[key][descending]
    table.sortByColumn(model.column_of(key), Qt.SortOrder.DescendingOrder
                       if not descending else Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.sort_order == (key, not descending), timeout=3000)
    assert shown(view) == SORTED[key][not descending]
    assert table.horizontalHeader().sortIndicatorSection() == model.column_of(key)
    assert ui_settings.sort("history", list(HISTORY_COLUMNS)) == (key, not descending)


def test_sort_by_subject_and_by_date(qtbot, hwindow):
    view = hwindow.history
    view.filters.set_period("this-month")
    model = view.model
    view.list.sortByColumn(model.column_of("subject"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.sort_order == ("subject", False), timeout=3000)
    assert shown(view) == ["Complaint about delivery", "Invoice question",
                           "Prices for spring", "Квартальный отчёт"]
    # Dates: the first click shows the newest first.
    view.list.sortByColumn(model.column_of("at"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.sort_order == ("at", True), timeout=3000)
    assert shown(view)[0] == "Prices for spring"


# -- entries ---------------------------------------------------------------------------


def _select(view, subject: str) -> int:
    settle(view)
    rows = shown(view)
    view.list.select_row(rows.index(subject))
    return view.list.current_id()


def test_enter_and_double_click_open_the_entry_in_the_log_dialog(qtbot, hwindow, entries,
                                                                monkeypatch, people):
    import crmdesk.ui.history.log_dialog as log_dialog

    calls = []

    def fake(parent, db, settings, *, contact_ids=(), interaction_id=None):  # noqa: ANN001
        calls.append(interaction_id)
        return LogResult(ids=[interaction_id], contact_ids=[people["Smith"]], warnings=[])

    monkeypatch.setattr(log_dialog, "log_interaction_dialog", fake)
    view = hwindow.history
    target = _select(view, "Complaint about delivery")
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Return)
    assert calls == [entries["Complaint about delivery"]] == [target]
    rect = view.list.visualRect(view.model.index(0, 1))
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert calls[-1] == entries["Prices for spring"]


def test_log_button_and_ctrl_n_log_a_new_entry(qtbot, hwindow, monkeypatch, people, db):
    import crmdesk.ui.history.log_dialog as log_dialog
    from crmdesk.core.history.records import InteractionData, log_interaction
    from crmdesk.ui.tasks.writes import write

    def fake(parent, database, settings, *, contact_ids=(), interaction_id=None):  # noqa: ANN001
        # Like the real dialog: the entry is written on the writer thread.
        return write(database, lambda s: log_interaction(s, InteractionData(
            kind="Call", subject="Logged from History", at=datetime(2026, 3, 17, 9, 0),
            contact_ids=[people["Brown"]])))

    monkeypatch.setattr(log_dialog, "log_interaction_dialog", fake)
    view = hwindow.history
    changes = []
    view.changes_made.connect(changes.append)
    assert hwindow.new_action.text() == "Log Interaction"
    view.log_button.click()
    qtbot.waitUntil(lambda: "Logged from History" in shown(view), timeout=3000)
    assert hwindow.count_label.text() == "6 of 8 entries"
    assert changes and people["Brown"] in changes[0].ids(CONTACTS)
    assert changes[0].added(HISTORY)  # the new entry, for the views that list history


def test_open_contact_of_an_entry(qtbot, hwindow, people, dialogs):
    view = hwindow.history
    _select(view, "Complaint about delivery")
    assert view.contact_button.isEnabled()
    view.contact_button.click()
    assert hwindow.current_view() is hwindow.contacts
    assert hwindow.contacts.list.current_id() == people["Smith"]
    # An entry with two people: the user picks one.
    hwindow.show_view(hwindow.history)
    _select(view, "Квартальный отчёт")
    dialogs.answers.append("Иван Иванов")
    view.contact_action.trigger()
    assert dialogs.asked[-1][0] == "Open Contact"
    assert hwindow.contacts.list.current_id() == people["Иванов"]


def test_delete_asks_and_cancel_keeps_the_entry(qtbot, hwindow, dialogs, db, entries):
    from crmdesk.core.history.records import history_count

    view = hwindow.history
    _select(view, "Invoice question")
    view.list.setFocus()
    dialogs.answers.append(False)
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    assert dialogs.asked and "Delete" in dialogs.asked[-1][0]
    assert "Invoice question" in shown(view)
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)  # now yes
    qtbot.waitUntil(lambda: "Invoice question" not in shown(view), timeout=3000)
    with db.reading() as s:
        assert history_count(s) == len(ENTRIES) - 1
    # The next entry takes the deleted one's place.
    assert shown(view) == ["Prices for spring", "Квартальный отчёт",
                           "Complaint about delivery", "Contract draft"]
    qtbot.waitUntil(lambda: view.list.current_id() == entries["Contract draft"], timeout=3000)
    assert view.list.currentIndex().row() == 3
    assert hwindow.count_label.text() == "4 of 6 entries"


def test_delete_several_asks_once(qtbot, hwindow, dialogs):
    view = hwindow.history
    settle(view)
    view.list.select_row(0)
    view.list.selectAll()
    hwindow._delete()
    assert dialogs.asked[-1] == ("Delete Entries", "Delete 5 history entries?")
    qtbot.waitUntil(lambda: shown(view) == [], timeout=3000)
    assert hwindow.count_label.text() == "0 of 2 entries"


def test_contact_changes_mark_the_view_stale_and_it_reloads_when_shown(qtbot, hwindow,
                                                                       people, db):
    from crmdesk.core.contacts.records import ContactData, get_contact, update_contact

    view = hwindow.history
    hwindow.show_view(hwindow.contacts)
    data = get_contact(db, people["Smith"])
    assert isinstance(data, ContactData)
    data.family_name = "Smith-Jones"
    update_contact(db, people["Smith"], data)
    hwindow.broadcast(Changes.of(CONTACTS, [people["Smith"]]), source=hwindow.contacts)
    assert view.stale
    hwindow.show_view(view)
    qtbot.waitUntil(lambda: "Anna Smith-Jones" in shown(view, "contacts"), timeout=3000)


# -- export ----------------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads Cyrillic right
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_export_writes_what_is_shown(qtbot, hwindow, dialogs, tmp_path):
    view = hwindow.history
    view.filters.set_period("this-year")
    view.filters.set_kind("Call")
    view.list.toggle_column("company", False)
    view.list.sortByColumn(view.model.column_of("subject"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: view.model.sort_order == ("subject", False), timeout=3000)
    target = tmp_path / "calls.csv"
    dialogs.files.append(str(target))
    view.export_button.click()
    rows = read_csv(target)
    header, body = rows[0], rows[1:]
    titles = [HISTORY_COLUMNS[k].title() for k in view.list.shown_columns()]
    assert header == titles and "Company" not in header
    subject = header.index("Subject")
    assert [r[subject] for r in body] == ["Complaint about delivery", "New year greetings",
                                          "Prices for spring"]
    # The same text as the list shows, cell by cell; dates and minutes in the form a
    # spreadsheet sorts and adds up.
    model = view.model
    for r, values in enumerate(body):
        for key, value in zip(view.list.shown_columns(), values, strict=True):
            on_screen = model.data(model.index(r, model.column_of(key)))
            if key == "duration":
                assert on_screen == (f"{value} min" if value else "")
            elif key != "at":
                assert value == on_screen
    assert [r[header.index("Date")] for r in body] == [
        "2026-03-10 08:15", "2026-01-05 16:45", "2026-03-18 10:00"]
    assert "Exported 3 entries" in hwindow.statusBar().currentMessage()


def test_export_names_without_suffix_get_csv(hwindow, dialogs, tmp_path):
    dialogs.files.append(str(tmp_path / "history"))
    hwindow.history.export()
    assert (tmp_path / "history.csv").exists()


def test_export_to_a_read_only_folder_says_so_and_leaves_nothing(hwindow, dialogs, tmp_path,
                                                                monkeypatch):
    import crmdesk.io.atomic as atomic

    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.name == "nt" or os.geteuid() == 0:
        # The administrator writes anywhere: the folder refuses as a read-only one would.
        def refuse(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
            if Path(file).parent == folder:
                raise PermissionError(errno.EACCES, "Permission denied", str(file))
            return open(file, *args, **kwargs)

        monkeypatch.setattr(atomic, "open", refuse, raising=False)
    try:
        dialogs.files.append(str(folder / "history.csv"))
        hwindow.history.export()
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(stat.S_IRWXU)
    message, details = dialogs.errors[-1]
    assert details is None  # a plain message, not a bug report
    assert "read-only" in message and str(folder) in message
    assert "Exported" not in hwindow.statusBar().currentMessage()


# -- big -------------------------------------------------------------------------------


def test_5000_entries_stay_responsive_and_export_in_the_background(qtbot, make_window, db,
                                                                   people, dialogs,
                                                                   tmp_path):
    fill_history(db, 5000, list(people.values()))
    window = make_window(db, stand_ins=True)
    window.show_view(window.history)
    view = window.history
    view.filters.set_period("all")
    qtbot.waitUntil(lambda: view.model.rowCount() == 5000, timeout=5000)
    assert window.count_label.text() == f"{QLocale().toString(5000)} entries"
    table = view.list
    table.setFocus()
    table.select_row(0)
    qtbot.keyClick(table, Qt.Key.Key_End)
    table.viewport().repaint()
    assert table.currentIndex().row() == 4999
    assert view.model.block_queries <= 4
    assert view.model.cached_rows() <= MAX_CACHED_ROWS
    # Export all 5,000 (not just the cached rows), on the worker.
    target = tmp_path / "all.csv"
    dialogs.files.append(str(target))
    view.export()
    qtbot.waitUntil(lambda: not window.operations.busy(), timeout=10000)
    rows = read_csv(target)
    assert len(rows) == 5001
    subject = rows[0].index("Subject")
    model = view.model
    assert [r[subject] for r in rows[1:4]] == [
        model.data(model.index(i, model.column_of("subject"))) for i in range(3)]
    assert view.model.cached_rows() <= MAX_CACHED_ROWS


# -- look at it ------------------------------------------------------------------------


def test_history_view_grabs_to_png(qtbot, make_window, db, people, entries, pictures):
    """Saved under the test's tmp folder (and $CRMDESK_SHOTS) for a person to open."""
    fill_history(db, 300, list(people.values()), seed=5)
    window = make_window(db)
    window.resize(1280, 800)
    window.show_view(window.history)
    view = window.history
    view.filters.set_period("this-year")
    settle(view)
    view.list.select_row(1)
    qtbot.wait(50)
    image = pictures.grab(window, "history-view")
    assert (image.width(), image.height()) == (1280, 800)
    # The rows, the filter bar and the count are there to see; the second row is
    # painted in the selection colour, the third is not.
    shown_rows = view.model.rowCount()
    assert 7 < shown_rows < len(ENTRIES) + 300
    total = QLocale().toString(len(ENTRIES) + 300)
    assert window.count_label.text() == f"{QLocale().toString(shown_rows)} of {total} entries"
    for part in (view.list.viewport(), view.filters, window.count_label, window.search_box):
        pictures.assert_painted(image, part, window)
    table = view.list
    highlight = table.palette().highlight().color().rgb()
    for row, selected in ((1, True), (2, False)):
        rect = table.visualRect(view.model.index(row, view.model.column_of("subject")))
        point = table.viewport().mapTo(window, rect.topLeft())
        pixel = QColor(image.pixel(point.x() + rect.width() - 3, point.y() + 2)).rgb()
        assert (pixel == highlight) is selected, row
    # Every column header is wide enough for its title.
    header = view.list.horizontalHeader()
    metrics = header.fontMetrics()
    for key in view.list.shown_columns()[:-1]:
        section = view.model.column_of(key)
        title = view.model.headerData(section, Qt.Orientation.Horizontal)
        assert header.sectionSize(section) >= metrics.horizontalAdvance(title) + 12, key
    # Nothing in the period: the list says so, in words drawn where the rows were.
    view.filters.set_dates(date(2000, 1, 1), date(2000, 1, 31))
    settle(view)
    qtbot.wait(50)
    assert shown(view) == [] and view.list.empty_text == "No history in this period."
    empty = pictures.grab(window, "history-view-empty")
    pictures.assert_painted(empty, view.list.viewport(), window)
    assert window.count_label.text() == f"0 of {total} entries"
    # A narrow window: the bar gives way (cut at the right), the window is not held wide.
    window.resize(800, 600)
    qtbot.wait(50)
    assert window.width() == 800
    narrow = pictures.grab(window, "history-view-narrow")
    assert (narrow.width(), narrow.height()) == (800, 600)
    for part in (view.list.viewport(), window.search_box, view.filters.period):
        pictures.assert_painted(narrow, part, window)


def test_search_box_takes_lookups_with_the_historys_fields(qtbot, hwindow):
    """The box speaks the lookup language (lookup/history_fields.py), as the contact
    list's does: kind, outcome, dates ... and plain words for names and text."""
    view = hwindow.history
    view.filters.set_period("all")
    hwindow.search_box.setText("kind:call")
    hwindow.apply_search()
    assert shown(view) == ["Prices for spring", "Complaint about delivery",
                           "New year greetings"]
    assert set(shown(view, "kind")) == {"Call"}
    assert hwindow.count_label.text() == "3 of 7 entries"
    hwindow.search_box.setText("kind:call outcome:reached smith")
    hwindow.apply_search()
    assert shown(view) == ["Prices for spring"]
    hwindow.search_box.setText("kind:meeting иванов")  # a field and a contact's name
    hwindow.apply_search()
    assert shown(view) == ["Квартальный отчёт"]
    hwindow.search_box.setText("at>2026-03-01 -kind:call")
    hwindow.apply_search()
    assert shown(view) == ["Квартальный отчёт", "Invoice question"]
    # Still being typed: read as plain words, never an error box.
    hwindow.search_box.setText("kind:")
    hwindow.apply_search()
    assert shown(view) == []
    assert view.list.empty_text == "No entries match the search in this period."
    # The filter bar's kind and the typed lookup together.
    view.filters.set_kind("Call")
    hwindow.search_box.setText("-outcome:reached")
    hwindow.apply_search()
    assert shown(view) == ["Complaint about delivery", "New year greetings"]


def test_all_time_shows_the_first_screenful_and_says_counting_until_the_rest_comes(
        qtbot, make_window, db, people):
    """A long history: the first rows show at once, the count follows ("counting…")."""
    from crmdesk.ui.contacts.table_model import FIRST_ROWS
    from crmdesk.ui.history.filters import ALL_TIME

    fill_history(db, 600, list(people.values()))
    window = make_window(db, stand_ins=True)
    window.show_view(window.history)
    view = window.history
    settle(view)
    seen: list[tuple[int, str]] = []
    view.model.reloaded.connect(
        lambda: seen.append((view.model.rowCount(), window.count_label.text())))
    view.filters.set_period(ALL_TIME)
    qtbot.waitUntil(lambda: view.model.complete and view.model.rowCount() == 600,
                    timeout=5000)
    assert seen[0] == (FIRST_ROWS, f"{FIRST_ROWS}+ entries, counting…")
    assert seen[-1] == (600, "600 entries")
