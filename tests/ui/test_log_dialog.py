"""The "Log interaction" dialog as a user meets it: Ctrl+L from a contact, typed
with the keyboard alone; a mailing to a selection; editing, deleting; a date in
the future; bad input that gets a message and loses nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from log_helpers import focused, press, type_here, when_modal
from PySide6.QtCore import QDateTime, Qt
from sqlalchemy import func, select

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.history.records import InteractionData, get_interaction, log_interaction, timeline
from crmdesk.core.lookup import listing
from crmdesk.core.storage.models import Contact, Interaction
from crmdesk.ui.history.log_dialog import KIND_KEY, LogDialog
from crmdesk.ui.window.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def real_window(qtbot, db, people, ui_settings, dialogs):
    """The main window with the real forms and the Last contact column shown."""
    ui_settings.set_columns("contacts", [*listing.DEFAULT_CONTACT_COLUMNS, "last_contact"])
    window = MainWindow(db, ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.contacts.model.wait()
    return window


def make_dialog(qtbot, db, ui_settings, **kw) -> LogDialog:
    dialog = LogDialog(db, ui_settings, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    return dialog


def stored(db, interaction_id: int) -> InteractionData:
    with db.reading() as s:
        return get_interaction(s, interaction_id)


def count_entries(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Interaction)) or 0


def test_log_a_call_from_a_contact_with_the_keyboard_alone(qtbot, real_window, db, people,
                                                           dialogs):
    window, view = real_window, real_window.contacts
    assert view.list.select_id(people["Smith"])
    view.list.setFocus()
    assert window.log_action.isEnabled()
    assert window.log_action.shortcut().toString() == "Ctrl+L"
    seen = []

    def steps(dialog):
        assert dialog.windowTitle() == "Log Interaction"
        assert not dialog.delete_button.isVisible()
        assert dialog.about.text() == "Anna Smith"
        assert not dialog.each.isVisible()  # one contact: nothing to choose
        assert focused() is dialog.subject  # kind (Call), now, outgoing: already there
        assert dialog.kind.text() == "Call"
        type_here(qtbot, "Prices for spring")
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is dialog.outcome
        type_here(qtbot, "Reached")
        press(qtbot, Qt.Key.Key_Return)

    when_modal(steps, seen)
    qtbot.keyClick(view.list, Qt.Key.Key_L, CTRL)
    assert seen, "Ctrl+L opened no dialog"
    assert dialogs.errors == []

    with db.reading() as s:
        entries = timeline(s, people["Smith"])
        last_contact = s.get(Contact, people["Smith"]).last_contact_at
    assert [(e.kind, e.subject, e.outcome, e.direction) for e in entries if e.editable] == [
        ("Call", "Prices for spring", "Reached", "out")]
    assert abs(entries[0].at - datetime.now().astimezone()) < timedelta(minutes=2)
    assert last_contact is not None
    # The form's History tab shows it, and the list's Last contact column too.
    form = view.form
    assert form.timeline.entries()[0].subject == "Prices for spring"
    assert form.tabs.tabText(form.history_tab) == "History (2)"  # and the status set
    model = view.model
    row = model.row_of(people["Smith"])
    column = model.column_of("last_contact")
    assert column >= 0
    qtbot.waitUntil(lambda: bool(model.data(model.index(row, column))), timeout=3000)
    assert "Logged 1 entry." in window.statusBar().currentMessage()


def test_ctrl_l_with_the_form_focused_logs_for_the_forms_contact(qtbot, real_window, db,
                                                                 people, dialogs):
    view = real_window.contacts
    view.list.select_id(people["Brown"])
    view.form.names.edits["given_name"].setFocus()
    seen = []

    def steps(dialog):
        assert dialog.about.text() == "John Brown"
        type_here(qtbot, "Visit")
        dialog.details.setFocus()
        type_here(qtbot, "Line one")
        press(qtbot, Qt.Key.Key_Return)  # a new line, not Save
        type_here(qtbot, "Line two")
        press(qtbot, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter saves from the details

    when_modal(steps, seen)
    real_window.log_action.trigger()
    assert seen
    with db.reading() as s:
        entries = timeline(s, people["Brown"])
    assert [(e.subject, e.details) for e in entries if e.editable] == [
        ("Visit", "Line one\nLine two")]
    assert view.form.timeline.entries()[0].subject == "Visit"


def test_log_a_mailing_for_50_selected_contacts(qtbot, db, ui_settings, dialogs):
    ids = [create_contact(db, ContactData(given_name=f"Person {i:02d}", family_name="Mailer"))
           for i in range(50)]
    window = MainWindow(db, ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.contacts
    view.model.wait()
    view.list.setFocus()
    view.list.selectAll()
    assert sorted(view.log_targets()) == sorted(ids)
    seen = []

    def steps(dialog):
        assert dialog.each.isVisible() and dialog.each.isChecked()
        assert "and 47 more" in dialog.about.text()
        dialog.kind.setFocus()
        dialog.kind.lineEdit().selectAll()
        type_here(qtbot, "Mailing")
        press(qtbot, Qt.Key.Key_Tab)  # direction
        press(qtbot, Qt.Key.Key_Tab)  # when
        press(qtbot, Qt.Key.Key_Tab)  # duration
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is dialog.subject
        type_here(qtbot, "Spring catalogue")
        press(qtbot, Qt.Key.Key_Return)

    when_modal(steps, seen)
    window.log_action.trigger()
    assert seen and dialogs.errors == []
    assert count_entries(db) == 50
    with db.reading() as s:
        for cid in ids:
            entries = timeline(s, cid)
            assert [(e.kind, e.subject, len(e.contacts)) for e in entries if e.editable] == [
                ("Mailing", "Spring catalogue", 1)]


def test_several_contacts_in_one_entry_when_each_is_off(qtbot, db, people, ui_settings,
                                                        dialogs):
    dialog = make_dialog(qtbot, db, ui_settings,
                         contact_ids=[people["Smith"], people["Brown"]])
    assert dialog.about.text() == "Anna Smith, John Brown"
    dialog.each.setChecked(False)
    dialog.kind.set_text("Meeting")
    dialog.subject.setText("Contract talk")
    result = dialog.save()
    assert result is not None and len(result.ids) == 1
    assert sorted(stored(db, result.ids[0]).contact_ids) == sorted(
        [people["Smith"], people["Brown"]])


def test_the_last_kind_used_is_offered_next_time(qtbot, db, people, ui_settings, dialogs):
    first = make_dialog(qtbot, db, ui_settings, contact_ids=[people["Smith"]])
    first.kind.set_text("Letter")
    first.subject.setText("Price list")
    assert first.save() is not None
    assert ui_settings.text(KIND_KEY) == "Letter"
    second = make_dialog(qtbot, db, ui_settings, contact_ids=[people["Brown"]])
    assert second.kind.text() == "Letter"


def test_edit_an_entry_changes_its_values(qtbot, db, people, ui_settings, dialogs):
    with db.session() as s:
        result = log_interaction(s, InteractionData(
            kind="Call", subject="First try", outcome="No answer",
            at=datetime(2026, 3, 2, 9, 30).astimezone(), contact_ids=[people["Smith"]]))
    entry_id = result.ids[0]
    dialog = make_dialog(qtbot, db, ui_settings, interaction_id=entry_id)
    assert dialog.windowTitle() == "Edit Interaction"
    assert dialog.delete_button.isVisible()
    assert (dialog.kind.text(), dialog.subject.text(), dialog.outcome.text()) == (
        "Call", "First try", "No answer")
    assert dialog.when.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-03-02 09:30"
    dialog.subject.selectAll()
    qtbot.keyClicks(dialog.subject, "Second try")
    dialog.outcome.set_text("Reached")
    dialog.duration.setValue(12)
    qtbot.keyClick(dialog.subject, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    after = stored(db, entry_id)
    assert (after.subject, after.outcome, after.duration_min, after.kind) == (
        "Second try", "Reached", 12, "Call")
    assert after.at == datetime(2026, 3, 2, 9, 30).astimezone()  # untouched: unchanged
    assert count_entries(db) == 1
    with db.reading() as s:
        assert s.get(Contact, people["Smith"]).last_contact_at is not None


def test_delete_asks_first_and_cancel_keeps_the_entry(qtbot, db, people, ui_settings,
                                                      dialogs):
    with db.session() as s:
        entry_id = log_interaction(s, InteractionData(
            kind="Call", subject="Gone soon", contact_ids=[people["Smith"]])).ids[0]
    dialog = make_dialog(qtbot, db, ui_settings, interaction_id=entry_id)
    dialogs.answers.append(False)
    assert dialog.delete() is None
    assert dialogs.asked[-1][0] == "Delete Entry"
    assert dialog.isVisible() and count_entries(db) == 1
    dialogs.answers.append(True)
    assert dialog.delete() is not None
    assert not dialog.isVisible() and count_entries(db) == 0


def test_a_future_date_warns_and_saves_only_when_confirmed(qtbot, db, people, ui_settings,
                                                           dialogs):
    dialog = make_dialog(qtbot, db, ui_settings, contact_ids=[people["Smith"]])
    assert not dialog.future_note.isVisible()
    dialog.subject.setText("Meeting next week")
    dialog.when.setDateTime(QDateTime.currentDateTime().addDays(7))
    dialog.check_now()
    assert dialog.future_note.isVisible()
    assert "the calendar is the future" in dialog.future_note.text()
    assert dialog.when.property("problem") == "warning"
    dialogs.answers.append(False)  # "Save anyway?" No
    assert dialog.save() is None
    assert "the calendar is the future" in dialogs.asked[-1][1]
    assert dialog.isVisible() and count_entries(db) == 0
    assert dialog.subject.text() == "Meeting next week"
    dialogs.answers.append(True)
    result = dialog.save()
    assert result is not None and count_entries(db) == 1
    assert result.warnings


def test_bad_input_gets_a_message_and_loses_nothing(qtbot, db, people, ui_settings, dialogs):
    dialog = make_dialog(qtbot, db, ui_settings, contact_ids=[people["Smith"]])
    dialog.kind.set_text("")
    dialog.subject.setText("Asked about the invoice")
    dialog.details.setPlainText("They will pay on Friday.")
    qtbot.keyClick(dialog.subject, Qt.Key.Key_Return)
    assert dialog.isVisible() and count_entries(db) == 0
    assert dialog.banner.isVisible()
    assert any("Choose what it was" in m for m in dialog.banner.messages)
    assert dialog.kind.property("problem") == "error"
    assert focused() is dialog.kind
    assert (dialog.subject.text(), dialog.details.toPlainText()) == (
        "Asked about the invoice", "They will pay on Friday.")
    # Fixed, then a subject far too long: its own message; not a letter is lost.
    dialog.kind.set_text("Call")
    long = "x" * 600
    dialog.subject.setText(long)
    assert dialog.save() is None
    assert any("subject is too long" in m for m in dialog.banner.messages)
    assert dialog.subject.property("problem") == "error"
    assert dialog.subject.text() == long
    assert dialog.kind.property("problem") == ""
    dialog.subject.setText("Invoice")
    assert dialog.save() is not None
    assert dialogs.errors == []


def test_esc_cancels_and_nothing_is_saved(qtbot, db, people, ui_settings, dialogs):
    dialog = make_dialog(qtbot, db, ui_settings, contact_ids=[people["Smith"]])
    qtbot.keyClicks(dialog.subject, "Never mind")
    qtbot.keyClick(dialog.subject, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert count_entries(db) == 0


def test_tab_reaches_every_field_in_order(qtbot, db, people, ui_settings, dialogs):
    dialog = make_dialog(qtbot, db, ui_settings,
                         contact_ids=[people["Smith"], people["Brown"]])
    dialog.each.setFocus()
    order = []
    for _i in range(8):
        order.append(focused().objectName() or focused().parent().objectName())
        press(qtbot, Qt.Key.Key_Tab)
    assert order == ["each", "kind", "direction", "when", "duration", "subject", "outcome",
                     "details"]


def test_screenshot_of_the_dialog(qtbot, db, people, ui_settings, dialogs, pictures):
    dialog = make_dialog(qtbot, db, ui_settings,
                         contact_ids=[people["Smith"], people["Brown"], people["Иванов"],
                                      people["Dubois"]])
    dialog.subject.setText("Встреча о поставках")
    dialog.outcome.set_text("Meeting agreed")
    dialog.details.setPlainText("Agreed on 40 units in April.\nSend the contract by Friday.")
    dialog.when.setDateTime(QDateTime.currentDateTime().addDays(3))
    dialog.check_now()
    qtbot.wait(20)
    image = pictures.grab(dialog, "log_dialog")
    # Whom it is with, one entry each, what was typed, and the note about the date.
    assert dialog.about.text() == "Anna Smith, John Brown, Иван Иванов and 1 more"
    assert dialog.each.isVisible() and dialog.each.isChecked()
    assert dialog.future_note.isVisible()
    assert "the calendar is the future" in dialog.future_note.text()
    for part in (dialog.about, dialog.subject, dialog.outcome, dialog.details,
                 dialog.future_note):
        pictures.assert_painted(image, part, dialog)
