"""The When of the Log dialog typed with the keyboard: every separator stays in the
field (a "-" once jumped to Duration and saved a call lasting 20 h 20 min), the
day is read the way people write it, and an unlikely duration is asked about."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QDate, QLocale, Qt, QTime
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from crmdesk.core.history.records import InteractionData, get_interaction
from crmdesk.core.storage.models import Interaction
from crmdesk.ui.history.log_dialog import LogDialog, parse_when


def make_dialog(qtbot, db, ui_settings, **kw) -> LogDialog:  # noqa: ANN001
    dialog = LogDialog(db, ui_settings, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    return dialog


def entries(db) -> list[InteractionData]:  # noqa: ANN001
    with db.reading() as s:
        return [get_interaction(s, i) for i in s.scalars(select(Interaction.id)).all()]


def type_when(qtbot, dialog: LogDialog, text: str) -> None:  # noqa: ANN001
    dialog.when.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(dialog.when.hasFocus)
    dialog.when.selectAll()
    qtbot.keyClicks(dialog.when, text)


@pytest.mark.parametrize("typed", ["2026-12-20 10:00", "20.12.2026 10:00",
                                   "12/20/2026 10:00"])
def test_a_typed_date_stays_in_when_and_is_saved_as_typed(qtbot, db, people, ui_settings,
                                                          dialogs, typed):
    dialog = make_dialog(qtbot, db, ui_settings, contact_ids=[people["Smith"]])
    dialog.kind.set_text("Call")
    dialog.subject.setText("Price list")
    type_when(qtbot, dialog, typed)
    assert QApplication.focusWidget() is dialog.when, "a separator moved the focus"
    assert dialog.when.text() == typed
    assert dialog.duration.value() == 0 and dialog.duration.text() == "—"
    qtbot.keyClick(dialog.when, Qt.Key.Key_Return)
    assert not dialog.isVisible(), dialogs.asked
    [saved] = entries(db)
    assert saved.at == datetime(2026, 12, 20, 10, 0).astimezone()
    assert saved.duration_min is None
    # Asked only because 20 December is after today (the history is the past).
    assert all("h " not in text for _title, text in dialogs.asked)


def test_a_twenty_hour_call_asks_before_saving(qtbot, db, people, ui_settings, dialogs):
    dialog = make_dialog(qtbot, db, ui_settings, contact_ids=[people["Smith"]])
    dialog.kind.set_text("Call")
    dialog.subject.setText("Long one")
    dialog.duration.setValue(20 * 60)
    dialog.check_now()
    assert dialog.duration.property("problem") == "warning"
    assert "20 h 0 min" in dialog.future_note.text()
    dialogs.answers.append(False)
    assert dialog.save() is None
    assert "Call lasting 20 h 0 min?" in dialogs.asked[-1][1]
    assert dialog.isVisible() and entries(db) == []
    assert dialog.duration.hasFocus()
    dialogs.answers.append(True)
    assert dialog.save() is not None
    assert [e.duration_min for e in entries(db)] == [1200]


def test_long_meetings_are_asked_about_only_past_twelve_hours(qtbot, db, people,
                                                              ui_settings, dialogs):
    dialog = make_dialog(qtbot, db, ui_settings, contact_ids=[people["Smith"]])
    dialog.kind.set_text("Meeting")
    dialog.subject.setText("Workshop")
    dialog.duration.setValue(10 * 60)  # a long call, a plausible meeting
    assert dialog.save() is not None
    assert dialogs.asked == []
    dialog = make_dialog(qtbot, db, ui_settings, contact_ids=[people["Smith"]])
    dialog.kind.set_text("Meeting")
    dialog.subject.setText("Retreat")
    dialog.duration.setValue(13 * 60)
    dialogs.answers.append(False)
    assert dialog.save() is None
    assert "Meeting lasting 13 h 0 min?" in dialogs.asked[-1][1]


def test_text_that_is_not_a_date_is_refused_and_kept(qtbot, db, people, ui_settings,
                                                     dialogs):
    dialog = make_dialog(qtbot, db, ui_settings, contact_ids=[people["Smith"]])
    dialog.subject.setText("Call back")
    type_when(qtbot, dialog, "2026-12-20")  # no time
    assert dialog.save() is None
    assert dialog.isVisible() and entries(db) == []
    assert dialog.when.property("problem") == "error"
    assert dialog.when.text() == "2026-12-20"
    assert dialog.when.hasFocus()


@pytest.fixture
def locale_of() -> Iterator[object]:
    saved = QLocale()

    def use(name: str) -> None:
        QLocale.setDefault(QLocale(name))

    yield use
    QLocale.setDefault(saved)


def test_an_ambiguous_day_is_read_the_locale_way(locale_of):
    locale_of("en_US")
    assert parse_when("05/03/2026 10:00") == (QDate(2026, 5, 3), QTime(10, 0))
    assert parse_when("12/20/2026 2:30 PM") == (QDate(2026, 12, 20), QTime(14, 30))
    assert parse_when("12/20/2026 12:05 am") == (QDate(2026, 12, 20), QTime(0, 5))
    locale_of("en_GB")
    assert parse_when("05/03/2026 10:00") == (QDate(2026, 3, 5), QTime(10, 0))
    locale_of("lt_LT")
    assert parse_when("2026-12-20 10:00") == (QDate(2026, 12, 20), QTime(10, 0))
    assert parse_when("2026.12.20 9.05") == (QDate(2026, 12, 20), QTime(9, 5))
    for wrong in ("2026-12-20", "2026-12-20 25:00", "2026-12-20 10:61", "2026-13-20 10:00",
                  "20 10:00", "", "13/20/2026 1:00 PM x"):
        assert parse_when(wrong) is None, wrong
