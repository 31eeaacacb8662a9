"""The Calendar view as a user meets it: a busy week in every view (grabbed to PNG),
an activity created by keys, moved by the mouse, cleared by keys (its history
entry written), and reminders that fell due while crmdesk was closed shown at
start."""

from __future__ import annotations

import os
import time as clock
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication

from crmdesk.core.activities.listing import occurrences_between
from crmdesk.core.activities.records import ActivityData, create_activity, created_id
from crmdesk.core.contacts.records import get_contact, update_contact
from crmdesk.core.history.records import count_interactions

VILNIUS = ZoneInfo("Europe/Vilnius")
MONDAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 9, 11, 20, tzinfo=VILNIUS)


@pytest.fixture(autouse=True)
def vilnius():
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Vilnius"
    clock.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    clock.tzset()


def add(db, **kw) -> int:
    kw.setdefault("kind", "Call")
    with db.session() as s:
        return created_id(create_activity(s, ActivityData(**kw)))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute)


@pytest.fixture
def busy(db, people):
    p = people
    add(db, kind="Meeting", title="Team stand-up", start=at(7, 9), end=at(7, 9, 15),
        rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    add(db, title="Quote for 40 jars", start=at(7, 10, 30), end=at(7, 11),
        contact_ids=[p["Smith"]], priority=2)
    add(db, title="Ask about the invoice", start=at(7, 10, 45), end=at(7, 11, 15),
        contact_ids=[p["Brown"]])
    add(db, kind="Meeting", title="Visit Vilniaus prekyba", start=at(8, 13), end=at(8, 15),
        contact_ids=[p["Kazlauskas"], p["Zuikis"]], location="Gedimino pr. 1")
    add(db, kind="To-do", title="Send the price list", start=at(8, 0), all_day=True)
    add(db, title="Иван: договор", start=at(9, 11), end=at(9, 11, 30),
        contact_ids=[p["Иванов"]])
    add(db, title="Olga", start=at(9, 11), end=at(9, 12), contact_ids=[p["Petrova"]])
    add(db, title="Émile", start=at(9, 11, 15), end=at(9, 11, 45),
        contact_ids=[p["Dubois"]])
    add(db, kind="Meeting", title="Trade fair", start=at(10, 0), end=at(11, 0),
        all_day=True)
    add(db, title="Follow up the fair", start=at(11, 16), end=at(11, 16, 30),
        contact_ids=[p["Žukauskas"]], reminder_min=15)
    add(db, kind="To-do", title="Order labels", start=at(4, 0), all_day=True)  # overdue
    add(db, kind="To-do", title="Renew the domain", start=at(14, 0), all_day=True)
    add(db, title="Monthly check-in", start=at(9, 14), end=at(9, 14, 30),
        contact_ids=[p["Smith"]], rrule="FREQ=MONTHLY;BYMONTHDAY=9")
    with db.session() as s:
        from crmdesk.core.activities.records import clear_activity

        done = created_id(create_activity(s, ActivityData(
            kind="Call", title="Confirm the delivery", start=at(7, 15),
            contact_ids=[p["Zuikis"]])))
        clear_activity(s, done, result="Reached", now=NOW)
    data = get_contact(db, p["Smith"])
    data.birthday_year, data.birthday_month, data.birthday_day = 1980, 12, 10
    update_contact(db, p["Smith"], data)
    return p


@pytest.fixture
def calendar(make_window, db, qtbot):
    def make(*, busy_week: bool = True):
        window = make_window(db, stand_ins=True)
        window.resize(1280, 860)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
        view = window.calendar
        assert window.current_view() is view
        view.now = NOW
        view.day = NOW.date()
        view.set_mode("week")
        view.wait()
        return window, view
    return make


def QTest_key(widget, sequence: str) -> None:  # noqa: N802
    """Press ``sequence`` where the keyboard focus is, as a user would."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    combo = QKeySequence(sequence)[0]
    target = QApplication.focusWidget() or widget
    QTest.keyClick(target, combo.key(), combo.keyboardModifiers())


def on_modal(handler) -> None:
    """Run ``handler(dialog)`` on the next modal dialog, once it is shown."""
    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        handler(dialog)
    QTimer.singleShot(0, poll)


def test_the_views_render_a_busy_week(calendar, busy, pictures, db):
    window, view = calendar()
    grid = view.grid
    titles = {b.occ.label() for b in grid.boxes}
    assert {"Team stand-up", "Quote for 40 jars", "Ask about the invoice", "Trade fair",
            "Send the price list", "Confirm the delivery"} <= titles
    assert view.range_label.text()
    # Overlapping calls share the day side by side.
    olga, ivan, emile = (next(b for b in grid.boxes if b.occ.title == t)
                         for t in ("Olga", "Иван: договор", "Émile"))
    assert len({olga.rect.x(), ivan.rect.x(), emile.rect.x()}) == 3
    assert olga.rect.width() < grid.column_width() / 2
    view.scroll.verticalScrollBar().setValue(8 * 44)
    pictures.grab(window, "calendar_week")
    view.set_mode("day")
    view.wait()
    assert {b.occ.title for b in view.grid.boxes} >= {"Olga", "Émile", "Team stand-up"}
    pictures.grab(window, "calendar_day")
    view.set_mode("month")
    view.wait()
    assert view.range_label.text() == "December 2026"
    pictures.grab(window, "calendar_month")
    view.set_mode("agenda")
    view.wait()
    rows = view.agenda.texts(2)
    assert "Anna Smith turns 46" in rows and "Trade fair" in rows
    pictures.grab(window, "calendar_agenda")
    view.set_mode("tasks")
    view.wait()
    tasks = view.tasks
    texts = dict(zip(tasks.texts(2), tasks.texts(5), strict=True))
    assert texts["Order labels"] == "Overdue"
    assert "Confirm the delivery" not in texts  # done already
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("To-do"))
    view.wait()
    shown = set(tasks.texts(2))
    assert shown == {"Order labels", "Send the price list", "Renew the domain"}
    view.priority_filter.setCurrentIndex(2)
    view.wait()
    assert tasks.row_count() == 0
    view.kind_filter.setCurrentIndex(0)
    view.wait()
    assert tasks.texts(2) == ["Quote for 40 jars"]
    view.priority_filter.setCurrentIndex(0)
    view.wait()
    pictures.grab(window, "calendar_tasks")


def test_create_an_activity_by_keys(calendar, db, people, qtbot):
    window, view = calendar()

    def fill(dialog):
        dialog.title_edit.setText("Call about the fair")
        dialog.start.setDateTime(dialog.start.dateTime().addDays(1))
        dialog.reminder.setCurrentIndex(dialog.reminder.findData(15))
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    on_modal(fill)
    QTest_key(window, "Ctrl+N")
    view.wait()
    with db.reading() as s:
        found = occurrences_between(s, datetime(2026, 12, 1), datetime(2027, 1, 1))
    [occ] = found
    assert occ.title == "Call about the fair" and occ.kind == "Call"
    assert occ.start.replace(tzinfo=None) == datetime(2026, 12, 10, 9, 0)
    assert occ.reminder_min == 15
    assert any(b.occ.title == "Call about the fair" for b in view.grid.boxes)


def test_quick_schedule_from_the_contacts_list(calendar, db, people, qtbot):
    window, view = calendar()
    window.show_view(window.contacts)
    window.contacts.list.setFocus()
    window.contacts.list.selectRow(0)
    chosen = window.contacts.log_targets()
    assert chosen

    def fill(dialog):
        assert dialog.contact_ids == chosen
        dialog.title_edit.setText("Quick one")
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    on_modal(fill)
    QTest_key(window, "Ctrl+K")
    with db.reading() as s:
        [occ] = occurrences_between(s, datetime(2020, 1, 1), datetime(2040, 1, 1))
    assert list(occ.contact_ids) == chosen and occ.title == "Quick one"


def test_move_an_activity_by_dragging(calendar, db, people, qtbot):
    aid = add(db, title="Drag me", start=at(8, 10), end=at(8, 11),
              contact_ids=[people["Smith"]])
    window, view = calendar()
    grid = view.grid
    box = next(b for b in grid.boxes if b.occ.activity_id == aid)
    start = box.rect.center().toPoint()
    # One day right, one and a half hours down.
    target = start + QPoint(int(grid.column_width()), int(1.5 * 44))
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(grid, start + QPoint(10, 10))
    qtbot.mouseMove(grid, target)
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=target)
    view.wait()
    with db.reading() as s:
        [occ] = occurrences_between(s, datetime(2026, 12, 1), datetime(2027, 1, 1))
    assert occ.start.replace(tzinfo=None) == at(9, 11, 30)
    assert occ.end.replace(tzinfo=None) == at(9, 12, 30)
    assert next(b for b in grid.boxes if b.occ.activity_id == aid).occ.start == occ.start


def test_moving_one_occurrence_of_a_series_asks_which(calendar, db, people, qtbot,
                                                       monkeypatch):
    add(db, title="Daily", start=at(7, 8), end=at(7, 8, 30), rrule="FREQ=DAILY;COUNT=5")
    window, view = calendar()
    from crmdesk.ui.calendar import view as view_module

    monkeypatch.setattr(view_module, "ask_scope", lambda parent, verb: "this")
    wed = next(b for b in view.grid.boxes if b.occ.start.day == 9)
    view.move(wed.occ, at(9, 15))
    with db.reading() as s:
        found = occurrences_between(s, datetime(2026, 12, 7), datetime(2026, 12, 12))
    assert [o.start.strftime("%d %H:%M") for o in found] == [
        "07 08:00", "08 08:00", "09 15:00", "10 08:00", "11 08:00"]


def test_clear_an_activity_by_keys_writes_history(calendar, db, people, qtbot):
    aid = add(db, title="Quote", start=at(9, 10), contact_ids=[people["Smith"]])
    window, view = calendar()
    view.grid.setFocus()
    QTest_key(view.grid, "Down")
    assert view.current is not None and view.current.activity_id == aid
    offered = []

    def clear(dialog):
        assert dialog.objectName() == "clear_dialog"
        dialog.result.setEditText("Reached")
        dialog.notes.setPlainText("Wants 40 jars")

        def follow_up(next_dialog):
            offered.append(next_dialog.result_data())
            next_dialog.reject()

        on_modal_after(dialog, follow_up)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    on_modal(clear)
    QTest_key(view.grid, "Ctrl+D")
    with db.reading() as s:
        assert count_interactions(s) == 1
        [occ] = occurrences_between(s, datetime(2026, 12, 9), datetime(2026, 12, 10))
    assert (occ.state, occ.result) == ("done", "Reached")
    assert offered and offered[0].contact_ids == [people["Smith"]]
    assert "✓" not in view.clear_button.text()


def on_modal_after(previous, handler) -> None:
    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog is previous:
            QTimer.singleShot(20, poll)
            return
        handler(dialog)
    QTimer.singleShot(0, poll)


def test_reminders_due_while_closed_show_at_start(make_window, db, people, qtbot, pictures):
    soon = datetime.now().replace(second=0, microsecond=0) + timedelta(minutes=5)
    add(db, title="Call the bank", start=soon, reminder_min=15, contact_ids=[people["Smith"]])
    window = make_window(db, stand_ins=True)
    reminder_window = window.calendar.reminders.window
    qtbot.waitUntil(reminder_window.isVisible, timeout=3000)
    assert reminder_window.list.count() == 1
    assert "Call the bank" in reminder_window.list.item(0).text()
    pictures.grab(reminder_window, "reminder_window")
    qtbot.mouseClick(reminder_window.buttons["1h"], Qt.MouseButton.LeftButton)
    assert not reminder_window.isVisible()
    assert window.calendar.reminders.check() == []


def test_delete_asks_first(calendar, db, people, dialogs):
    add(db, title="Gone soon", start=at(9, 10))
    window, view = calendar()
    view.grid.select(view.grid.boxes[0].occ)
    dialogs.answers.append(False)
    view.delete_selected()
    view.wait()
    assert dialogs.asked[-1][1].startswith("Delete Gone soon?")
    assert len(view.grid.boxes) == 1
    view.delete_selected()  # yes
    view.wait()
    assert view.grid.boxes == []


def test_today_list_overdue_first_then_today_and_the_weeks_birthdays(calendar, busy, db,
                                                                     pictures):
    window, view = calendar()
    view.set_mode("today")
    view.wait()
    rows = list(zip(view.today_list.texts(2), view.today_list.texts(5), strict=True))
    titles = [r[0] for r in rows]
    # Overdue first (oldest first), then today (9 December) in time order, then dates.
    assert titles[:2] == ["Order labels", "Quote for 40 jars"]
    assert all(state == "Overdue" for _t, state in rows[:4])
    assert rows[4] == ("Team stand-up", "")  # today, a series: held, not overdue
    assert titles.index("Team stand-up") > titles.index("Send the price list")
    assert "Monthly check-in" in titles and titles[-1] == "Anna Smith turns 46"
    assert "Confirm the delivery" not in titles
    # Whom nobody has reached for too long: a lead called 20 days ago, opened by Enter.
    from crmdesk.core.history.records import InteractionData, log_interaction

    with db.session() as s:
        log_interaction(s, InteractionData(kind="Call", outcome="Reached",
                                           at=datetime.now(VILNIUS) - timedelta(days=20),
                                           contact_ids=[busy["Brown"]]))
    view.refresh()
    view.wait()
    neglected = view.neglected
    assert [neglected.topLevelItem(i).text(0) for i in range(neglected.topLevelItemCount())] == [
        "John Brown"]
    pictures.grab(window, "calendar_today")
    opened = []
    view.open_contact_requested.connect(opened.append)
    neglected.itemActivated.emit(neglected.topLevelItem(0), 0)
    assert opened == [busy["Brown"]]
    assert window.current_view() is window.contacts


def test_calendar_files_out_and_in_from_the_view(calendar, busy, db, dialogs, tmp_path):
    window, view = calendar()
    target = tmp_path / "calendar.ics"
    dialogs.files.append(str(target))
    view.export_ics()
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    dialogs.files.append(str(target))
    view.import_ics()
    title, text = dialogs.asked[-1]
    assert title == "Import a Calendar File"
    assert text.startswith("Added 14 activities")
    bad = tmp_path / "bad.ics"
    bad.write_text("nothing", encoding="utf-8")
    dialogs.files.append(str(bad))
    view.import_ics()
    assert dialogs.errors and "not a calendar file" in dialogs.errors[-1][0]


def test_editing_all_from_a_later_occurrence_keeps_the_earlier_ones(calendar, db, people,
                                                                     monkeypatch):
    add(db, title="Daily", start=at(7, 8), end=at(7, 8, 30), rrule="FREQ=DAILY;COUNT=5")
    window, view = calendar()
    from crmdesk.ui.calendar import view as view_module

    monkeypatch.setattr(view_module, "ask_scope", lambda parent, verb: "all")
    wed = next(b.occ for b in view.grid.boxes if b.occ.start.day == 9)

    def change(dialog):
        assert dialog.start.dateTime().date().day() == 9  # the occurrence shown
        dialog.title_edit.setText("Daily check")
        dialog.start.setDateTime(dialog.start.dateTime().addSecs(3600))  # 9:00 now
        dialog.end.setDateTime(dialog.end.dateTime().addSecs(3600))
        dialog.accept()

    on_modal(change)
    view.edit(wed)
    with db.reading() as s:
        found = occurrences_between(s, datetime(2026, 12, 7), datetime(2026, 12, 12))
    assert [(o.start.strftime("%d %H:%M"), o.title) for o in found] == [
        (f"{d:02d} 09:00", "Daily check") for d in range(7, 12)]


def test_days_without_contact_are_set_per_status(calendar, db, people):
    window, view = calendar()
    view.set_mode("today")
    view.wait()

    def change(dialog):
        assert dialog.boxes["Lead"].value() == 14 and dialog.boxes["Partner"].value() == 0
        dialog.boxes["Lead"].setValue(7)
        dialog.boxes["Partner"].setValue(60)
        dialog.save()

    on_modal(change)
    view.neglect_button.click()
    from crmdesk.core.activities.neglected import neglect_days

    with db.reading() as s:
        assert neglect_days(s) == {"Lead": 7, "Prospect": 30, "Customer": 90, "Partner": 60}


def test_move_an_activity_by_keys(calendar, db, people, qtbot):
    aid = add(db, title="Nudge me", start=at(8, 10), end=at(8, 10, 30))
    window, view = calendar()
    grid = view.grid
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert view.current is not None and view.current.activity_id == aid
    qtbot.keyClick(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    view.wait()
    qtbot.keyClick(grid, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    view.wait()
    with db.reading() as s:
        [occ] = occurrences_between(s, datetime(2026, 12, 1), datetime(2027, 1, 1))
    assert occ.start.replace(tzinfo=None) == at(9, 10, 15)
    assert occ.end.replace(tzinfo=None) == at(9, 10, 45)


def test_a_busy_day_shows_its_first_birthdays_and_more_opens_its_whole_list(
        calendar, busy, db, qtbot, pictures):
    """Thirty birthdays on 10 December: the month cell shows what fits and "+N more"
    (the view read only the first few and the count); a click on it opens the agenda
    at that day, which lists all thirty."""
    from crmdesk.core.contacts.records import ContactData, create_contact

    for n in range(30):
        create_contact(db, ContactData(given_name=f"Guest{n:02d}", family_name="Party",
                                       birthday_year=1990, birthday_month=12,
                                       birthday_day=10))
    window, view = calendar()
    view.set_mode("month")
    view.wait()
    month = view.month
    day = date(2026, 12, 10)
    assert month.counts[day] == 31  # Anna Smith's birthday too
    assert len([y for y in month.dates if y.day == day]) == 12  # the first few, read
    month.repaint()
    index = (day - month.first).days
    room = int((month.cell(index).height() - 18) // 17)
    on_day = [o.label() for o in month.items if o.start.date() <= day
              and (o.end is None or not o.all_day or o.end.date() > day)
              and (o.all_day or o.start.date() == day)]
    assert sorted(on_day) == ["Team stand-up", "Trade fair"]
    # The cell's lines: birthdays first (by name), the last line saying how many more.
    assert month.lines(day) == ["Anna Smith turns 46"] + [
        f"Guest{n:02d} Party turns 36" for n in range(room - 2)]
    assert month.more_text(day) == f"+{31 + len(on_day) - (room - 1)} more"
    pictures.grab(window, "calendar_month_busy")
    qtbot.mouseClick(month, Qt.MouseButton.LeftButton,
                     pos=month.more[day].center().toPoint())
    assert view.mode == "agenda" and view.day == day
    view.wait()
    qtbot.waitUntil(lambda: view.agenda.row_count() > 0)
    whats = view.agenda.texts(2)
    assert [w for w in whats if w.endswith("Party turns 36")] == [
        f"Guest{n:02d} Party turns 36" for n in range(30)]
    assert view.agenda.texts(0)[0].startswith("2026-12-10")
    pictures.grab(window, "calendar_agenda_busy_day")


def test_the_agenda_shows_its_first_days_then_the_rest_in_order_across_dst(
        calendar, db, people, qtbot, pictures):
    """A daily 9:00 stand-up from 20 March 2027 (DST starts on the 28th, ends on 31
    October) and calls here and there: the agenda shows its first days at once, the
    rest of its month a moment later, and a month more each time one scrolls to the
    end; at the end every occurrence of the year is there once, in order, the
    stand-up at 9:00 on both sides of each change."""
    from crmdesk.ui.calendar import view as view_module

    add(db, kind="Meeting", title="Stand-up", start=datetime(2027, 3, 20, 9),
        end=datetime(2027, 3, 20, 9, 15), rrule="FREQ=DAILY")
    for n in range(60):
        add(db, title=f"Call {n}", start=datetime(2027, 3, 19, 10) + timedelta(hours=149 * n),
            end=datetime(2027, 3, 19, 10, 30) + timedelta(hours=149 * n),
            contact_ids=[people["Smith"]])
    window, view = calendar()
    view.day = date(2027, 3, 20)
    view.set_mode("agenda")
    view.wait()
    first_days = view_module.FIRST_DAYS
    assert view.agenda_until == date(2027, 3, 20) + timedelta(days=first_days)
    assert {o.start.date() for o in view.agenda.occurrences()} <= {
        date(2027, 3, 20) + timedelta(days=n) for n in range(first_days)}
    qtbot.waitUntil(lambda: (view.agenda_until or date.min) >= date(2027, 4, 19), timeout=3000)
    pictures.grab(window, "calendar_agenda_month")

    def scrolled_on() -> bool:
        view.agenda.scrollToBottom()
        view._agenda_scrolled()
        return view.agenda_complete()

    qtbot.waitUntil(scrolled_on, timeout=10000)
    shown = view.agenda.occurrences()
    with db.reading() as s:
        expected = occurrences_between(s, datetime(2027, 3, 20), datetime(2028, 3, 19))
    assert [o.key for o in shown] == [o.key for o in expected]
    assert len({o.key for o in shown}) == len(shown)
    ups = [o for o in shown if o.title == "Stand-up"]
    assert len(ups) == 365 and {o.start.strftime("%H:%M") for o in ups} == {"09:00"}
    assert {o.start.utcoffset() for o in ups} == {timedelta(hours=2), timedelta(hours=3)}
    # Call 0 is the day before, call 59 after the year shown.
    assert [o.title for o in shown if o.title.startswith("Call ")] == [
        f"Call {n}" for n in range(1, 59)]
    assert view.range_label.text() == "20 Mar 2027 – 18 Mar 2028"


def test_a_change_reads_the_agenda_again_as_far_and_keeps_the_place(calendar, db, people,
                                                                    qtbot):
    add(db, kind="Meeting", title="Stand-up", start=datetime(2027, 3, 20, 9),
        end=datetime(2027, 3, 20, 9, 15), rrule="FREQ=DAILY")
    window, view = calendar()
    view.day = date(2027, 3, 20)
    view.set_mode("agenda")
    view.wait()
    qtbot.waitUntil(lambda: (view.agenda_until or date.min) >= date(2027, 4, 19), timeout=3000)

    def two_months() -> bool:
        view.agenda.scrollToBottom()
        view._agenda_scrolled()
        return view.agenda_until is not None and view.agenda_until >= date(2027, 5, 19)

    qtbot.waitUntil(two_months, timeout=5000)
    bar = view.agenda.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)  # back up into what is read
    qtbot.waitUntil(lambda: not view._agenda_asked)
    place, until, rows = bar.value(), view.agenda_until, view.agenda.row_count()
    assert place > 0 and until >= date(2027, 5, 19)
    view.agenda.select_key(view.agenda.occurrences()[40].key)
    chosen = view.current
    add(db, title="New call", start=datetime(2027, 4, 2, 15))  # a change: read again
    view.refresh()
    qtbot.waitUntil(lambda: view._agenda_keep is None and not view._agenda_asked,
                    timeout=3000)
    # As far as before (or a month more: less than a screenful was below the place).
    assert view.agenda_until >= until and view.agenda.row_count() >= rows + 1
    assert bar.value() == place
    assert view.current is not None and view.current.key == chosen.key
    assert "New call" in view.agenda.texts(2)


def test_a_busy_day_in_the_week_shows_a_few_all_day_rows_and_more(calendar, busy, db, qtbot,
                                                                   pictures):
    """Thirty birthdays on 10 December: the week's all-day band stays five rows high
    (the fair, three birthdays by name, "+28 more"), and the click opens the agenda."""
    from crmdesk.core.contacts.records import ContactData, create_contact
    from crmdesk.ui.calendar.grid import ALLDAY_MAX

    for n in range(30):
        create_contact(db, ContactData(given_name=f"Guest{n:02d}", family_name="Party",
                                       birthday_year=1990, birthday_month=12,
                                       birthday_day=10))
    window, view = calendar()
    grid = view.grid
    day = date(2026, 12, 10)
    acts, dates, more = grid.allday(day)
    assert [o.title for o in acts] == ["Trade fair"]
    assert [d.text() for d in dates] == ["Anna Smith turns 46", "Guest00 Party turns 36",
                                         "Guest01 Party turns 36"]
    assert more == 31 + 1 - (ALLDAY_MAX - 1) and grid.more_text(day) == f"+{more} more"
    assert grid.allday_rows() == ALLDAY_MAX
    assert grid.more_text(date(2026, 12, 9)) == ""
    pictures.grab(window, "calendar_week_busy")
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton,
                     pos=grid.more[day].translated(0, grid.sticky()).center().toPoint())
    assert view.mode == "agenda" and view.day == day
