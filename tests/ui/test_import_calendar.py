"""File > Import… and a file dropped on the window take a calendar file (.ics) too:
its events and to-dos go to the calendar, and a message says how many came in."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from crmdesk.core.activities.listing import occurrences_between
from crmdesk.ui.contacts import import_dialog
from crmdesk.ui.contacts.import_dialog import ImportDialog

VILNIUS = ZoneInfo("Europe/Vilnius")


@pytest.fixture(autouse=True)
def vilnius(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Vilnius")


def titles(db, first, last):
    with db.reading() as s:
        return sorted(o.title for o in occurrences_between(
            s, datetime(*first, tzinfo=VILNIUS), datetime(*last, tzinfo=VILNIUS)))


def test_file_import_takes_an_ics_to_the_calendar(qtbot, window, db, dialogs, shared_data,
                                                  monkeypatch):
    opened = []
    monkeypatch.setattr(ImportDialog, "exec", lambda self: opened.append(self))
    path = shared_data / "ics" / "syncevolution" / "eds_task.ics"
    dialogs.files.append(str(path))
    window.import_action.trigger()
    title, text = dialogs.asked[-1]
    assert title == "Import a Calendar File"
    assert text == "0 events and 1 to-do added to the calendar."
    assert opened == []  # no columns to choose: no contacts' import dialog
    assert window.statusBar().currentMessage() == text
    with db.reading() as s:
        from crmdesk.core.activities.records import stored_activities

        [todo] = stored_activities(s)
    assert todo.kind == "To-do"


def test_the_file_dialog_offers_calendar_files(qtbot, window, dialogs, monkeypatch):
    seen = []

    def open_file(parent, title, start="", file_filter=None, **kw):  # noqa: ANN001, ANN003
        seen.append(file_filter)
        return ""

    from crmdesk.ui.common import dialogs as dlg

    monkeypatch.setattr(dlg, "open_file", open_file)
    window.import_action.trigger()
    [filters] = seen
    first = filters.split(";;")[0]
    assert first.startswith("Contacts and calendars (") and "*.ics" in first
    assert "*.vcf" in first and "*.csv" in first


def test_an_ics_dropped_on_the_window_lands_in_the_calendar(qtbot, window, db, dialogs,
                                                            tmp_path):
    path = tmp_path / "meetings.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:a@test\r\nDTSTAMP:20261201T000000Z\r\n"
        b"DTSTART;TZID=Europe/Vilnius:20261207T090000\r\n"
        b"DTEND;TZID=Europe/Vilnius:20261207T093000\r\nSUMMARY:Stand-up\r\n"
        b"RRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b@test\r\nDTSTAMP:20261201T000000Z\r\n"
        b"DTSTART;VALUE=DATE:20261210\r\nSUMMARY:Trade fair\r\nEND:VEVENT\r\n"
        b"BEGIN:VTODO\r\nUID:c@test\r\nDTSTAMP:20261201T000000Z\r\n"
        b"DUE;VALUE=DATE:20261211\r\nSUMMARY:Order paper\r\nEND:VTODO\r\n"
        b"END:VCALENDAR\r\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: any(t == "Import a Calendar File" for t, _x in dialogs.asked),
                    timeout=5000)
    title, text = dialogs.asked[-1]
    assert text == "2 events and 1 to-do added to the calendar."
    assert titles(db, (2026, 12, 1), (2027, 1, 1)) == [
        "Order paper", "Stand-up", "Stand-up", "Stand-up", "Trade fair"]


def test_a_bad_calendar_file_is_a_message_and_adds_nothing(qtbot, window, db, dialogs,
                                                           tmp_path):
    bad = tmp_path / "broken.ics"
    bad.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ona\r\nEND:VCARD\r\n")
    dialogs.files.append(str(bad))
    window.import_action.trigger()
    assert dialogs.errors and "not a calendar file" in dialogs.errors[-1][0]
    assert not any(t == "Import a Calendar File" for t, _x in dialogs.asked)
    with db.reading() as s:
        from crmdesk.core.activities.records import stored_activities

        assert stored_activities(s) == []


def test_a_calendar_by_its_first_line(qtbot, window, db, dialogs, tmp_path, shared_data):
    odd = tmp_path / "export.txt"
    odd.write_bytes((shared_data / "ics" / "vobject" / "vtodo.ics").read_bytes())
    assert import_dialog.is_calendar_path(str(odd))
    assert not import_dialog.is_calendar_path(str(tmp_path / "missing.csv"))
    window.import_contacts(str(odd))
    assert dialogs.asked[-1][1] == "0 events and 1 to-do added to the calendar."
