"""The demo in the window: the contact list's Next activity column, picked from the
header's menu and sorted by, and the Calendar view of the demo's planned weeks."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from crmdesk.core.activities.records import ActivityData, create_activity
from crmdesk.core.demo import generate
from crmdesk.core.storage.database import Database
from crmdesk.ui.tasks.writes import write


@pytest.fixture(autouse=True)
def vilnius(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Vilnius")


@pytest.fixture
def demo(tmp_path, migrated_template):
    path = tmp_path / "demo.crmdesk"
    shutil.copy(migrated_template, path)
    db = Database.open(path)
    generate(db, 600, seed=0, today=date.today())
    yield db
    db.close()


def shown_texts(model, key):
    col = model.column_of(key)
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_next_activity_column_picked_sorted_and_kept_current(qtbot, make_window, demo,
                                                             pictures):
    window = make_window(demo)
    window.resize(1280, 760)
    table = window.contacts.list
    model = window.contacts.model
    menu = table.header_menu()
    [action] = [a for a in menu.actions() if a.text() == "Next activity"]
    assert not action.isChecked()
    action.setChecked(True)  # as the user ticks it in the header's menu
    assert "next_activity" in table.shown_columns()
    col = model.column_of("next_activity")
    table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.rowCount() == 600 and bool(model.data(model.index(0, col))),
                    timeout=10000)
    texts = shown_texts(model, "next_activity")
    planned = [t for t in texts if t]
    assert 20 < len(planned) < 300
    assert texts[:len(planned)] == planned  # the planned first, nothing planned last
    table.set_shown_columns(["name", "company", "status", "next_activity"])
    col = model.column_of("next_activity")
    table.fit_columns()
    qtbot.wait(100)
    pictures.grab(window, "contacts_next_activity")
    # Something planned for someone with nothing planned: the column shows it at once.
    someone = model.id_at(model.rowCount() - 1)
    assert isinstance(someone, int)
    soon = (datetime.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    changes = write(demo, lambda s: create_activity(s, ActivityData(
        kind="Call", start=soon, title="Urgent", contact_ids=[someone])))
    window.broadcast(changes)
    qtbot.waitUntil(lambda: someone in model.ids()[:len(planned) + 1], timeout=10000)
    row = model.ids().index(someone)
    assert model.data(model.index(row, col))


def test_the_calendar_of_the_demo(qtbot, make_window, demo, pictures):
    window = make_window(demo)
    window.resize(1280, 800)
    window.show_view(window.calendar)
    qtbot.wait(300)
    pictures.grab(window, "calendar_demo_week")
    for name in ("Month", "Tasks"):
        [button] = [b for b in window.calendar.mode_buttons.values() if b.text() == name]
        button.click()
        qtbot.wait(300)
        pictures.grab(window, f"calendar_demo_{name.lower()}")
