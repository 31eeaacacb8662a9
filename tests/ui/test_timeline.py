"""A contact's timeline (the History tab of the contact form): newest first, the
filters, status changes, open / delete with the keyboard, the tab itself."""

from __future__ import annotations

from datetime import datetime

import pytest
from log_helpers import focused, press, type_here, when_modal
from PySide6.QtCore import Qt

from crmdesk.core.contacts.records import get_contact, update_contact
from crmdesk.core.history.records import InteractionData, log_interaction, timeline
from crmdesk.ui.contacts.form import ContactForm
from crmdesk.ui.history.timeline import TimelineWidget


def log(db, contact_ids, kind, subject, when, **kw):
    with db.session() as s:
        return log_interaction(s, InteractionData(
            kind=kind, subject=subject, at=when.astimezone(), contact_ids=list(contact_ids),
            **kw)).ids[0]


@pytest.fixture
def history(db, people):
    smith = people["Smith"]
    return {
        "call": log(db, [smith], "Call", "Prices for spring", datetime(2026, 3, 2, 9, 30),
                    outcome="Reached", direction="out", duration_min=15,
                    details="Wants 40 units."),
        "meeting": log(db, [smith, people["Brown"]], "Meeting", "Встреча о поставках",
                       datetime(2026, 3, 5, 14, 0), outcome="Meeting agreed",
                       details="Договорились о цене."),
        "letter": log(db, [smith], "Letter", "Contract sent", datetime(2026, 2, 20, 11, 0),
                      direction="out"),
    }


@pytest.fixture
def widget(qtbot, db, people, ui_settings, dialogs):
    w = TimelineWidget(db, ui_settings)
    qtbot.addWidget(w)
    w.resize(700, 400)
    w.show()
    qtbot.waitExposed(w)
    return w


def subjects(w: TimelineWidget) -> list[str]:
    return [w.tree.topLevelItem(i).text(3) for i in range(w.tree.topLevelItemCount())]


def test_newest_first_with_arrows_and_details_of_the_selected(widget, people, history):
    widget.set_contact(people["Smith"])
    assert subjects(widget) == ["— → Customer",  # set when the contact was added: today
                                "Встреча о поставках", "Prices for spring", "Contract sent"]
    assert widget.tree.topLevelItem(0).text(1) == "Status change"
    second = widget.tree.topLevelItem(2)
    assert (second.text(1), second.text(2), second.text(4)) == ("Call", "→", "Reached")
    widget.tree.setCurrentItem(second)
    assert "Wants 40 units." in widget.details.toPlainText()
    assert "15 minutes" in widget.details.toPlainText()
    widget.tree.setCurrentItem(widget.tree.topLevelItem(1))
    assert "With: " in widget.details.toPlainText()  # a meeting with two people
    assert widget.stack.currentWidget() is widget.tree


def test_filter_by_kind_and_by_text_in_cyrillic(qtbot, widget, people, history):
    widget.set_contact(people["Smith"])
    widget.kind_filter.setCurrentIndex(widget.kind_filter.findData("Letter"))
    assert subjects(widget) == ["Contract sent"]
    widget.kind_filter.setCurrentIndex(0)
    for letter in "ВСТРЕЧА":  # as one types (QTest types ASCII only), in any case
        widget.text_filter.insert(letter)
    qtbot.waitUntil(lambda: subjects(widget) == ["Встреча о поставках"], timeout=2000)
    widget.text_filter.setText("цене")  # in the details
    qtbot.waitUntil(lambda: subjects(widget) == ["Встреча о поставках"], timeout=2000)
    widget.text_filter.setText("nothing like this")
    qtbot.waitUntil(lambda: widget.stack.currentWidget() is widget.empty, timeout=2000)
    assert widget.empty.text() == "No entry matches the filter."
    assert widget.total == 4  # the count stays that of the whole history (and status)


def test_empty_state_and_no_contact(widget, people):
    widget.set_contact(people["Dubois"])  # no status, nothing logged
    assert widget.stack.currentWidget() is widget.empty
    assert widget.empty.text() == "Nothing recorded yet. Press Ctrl+L to log a call."
    widget.set_contact(None)
    assert not widget.log_button.isEnabled()


def test_status_changes_appear_and_cannot_be_edited(db, widget, people):
    contact = get_contact(db, people["Dubois"])
    changed = get_contact(db, people["Dubois"])
    changed.status = "Customer"
    update_contact(db, people["Dubois"], changed, original=contact)
    widget.set_contact(people["Dubois"])
    entries = widget.entries()
    assert [(e.kind, e.subject, e.editable) for e in entries] == [
        ("Status change", "— → Customer", False)]
    assert not widget.open_button.isEnabled() and not widget.delete_button.isEnabled()
    widget.kind_filter.setCurrentIndex(widget.kind_filter.findData("Status change"))
    assert subjects(widget) == ["— → Customer"]


def test_enter_opens_the_entry_to_edit(qtbot, db, widget, people, history):
    widget.set_contact(people["Smith"])
    assert widget.select_entry(history["letter"])
    widget.tree.setFocus()
    changed = []
    widget.history_changed.connect(changed.append)

    def steps(dialog):
        assert dialog.subject.text() == "Contract sent"
        dialog.subject.setFocus()
        dialog.subject.selectAll()
        type_here(qtbot, "Contract signed")
        press(qtbot, Qt.Key.Key_Return)

    when_modal(steps)
    qtbot.keyClick(widget.tree, Qt.Key.Key_Return)
    assert [c.ids for c in changed] == [[history["letter"]]]
    assert widget.current_entry().subject == "Contract signed"
    assert "Contract sent" not in subjects(widget)


def test_del_asks_and_cancel_keeps_the_entry(qtbot, db, widget, people, history, dialogs):
    widget.set_contact(people["Smith"])
    widget.select_entry(history["call"])
    dialogs.answers.append(False)
    qtbot.keyClick(widget.tree, Qt.Key.Key_Delete)
    assert dialogs.asked[-1] == ("Delete Entry", "Delete this entry of the history?")
    assert "Prices for spring" in subjects(widget)
    dialogs.answers.append(True)
    qtbot.keyClick(widget.tree, Qt.Key.Key_Delete)
    assert "Prices for spring" not in subjects(widget)
    with db.reading() as s:
        assert history["call"] not in [e.id for e in timeline(s, people["Smith"])]


def test_log_button_logs_for_the_contact(qtbot, db, widget, people, dialogs):
    widget.set_contact(people["Dubois"])
    counts = []
    widget.count_changed.connect(counts.append)

    def steps(dialog):
        assert focused() is dialog.subject
        type_here(qtbot, "Bonjour")
        press(qtbot, Qt.Key.Key_Return)

    when_modal(steps)
    widget.log_button.click()
    assert subjects(widget) == ["Bonjour"]
    assert counts == [1]


def test_history_tab_on_the_contact_form(qtbot, db, people, history, ui_settings, dialogs,
                                         pictures):
    form = ContactForm(db)
    form.set_settings(ui_settings)
    qtbot.addWidget(form)
    form.resize(760, 620)
    form.show()
    qtbot.waitExposed(form)
    tabs = form.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Details", "History"]
    form.load(people["Smith"])
    assert tabs.tabText(form.history_tab) == "History (4)"  # 3 entries and the status set
    assert tabs.isTabEnabled(form.history_tab)
    form.show_history()
    assert form.timeline.isVisible()
    qtbot.wait(20)
    image = pictures.grab(form, "contact_history_tab")
    assert (image.width(), image.height()) == (760, 620)
    assert tabs.currentIndex() == form.history_tab
    assert subjects(form.timeline) == ["— → Customer", "Встреча о поставках",
                                       "Prices for spring", "Contract sent"]
    assert form.header.title.text() == "Anna Smith"  # whose history it is, on top
    for part in (form.header.title, form.timeline.tree.viewport(), form.timeline.details):
        pictures.assert_painted(image, part, form)
    # A new contact has no history yet: the tab says why it is off.
    form.new_contact()
    assert tabs.currentIndex() == 0
    assert not tabs.isTabEnabled(form.history_tab)
    assert "Save the new contact first" in tabs.tabToolTip(form.history_tab)
    assert tabs.tabText(form.history_tab) == "History"
    # Problems on the fields bring the Details tab back.
    form.load(people["Brown"])
    form.show_history()
    form.names.edits["given_name"].setText("")
    form.names.edits["family_name"].setText("")
    form.work.company.setEditText("")
    assert tabs.currentIndex() == form.history_tab
    assert form.save() is None
    assert any("needs a name" in p.message for p in form.problems())
    assert tabs.currentIndex() == 0
