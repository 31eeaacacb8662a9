"""Choosing whom an entry is about, when no list selection says it (History view)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from crmdesk.core.history.records import get_interaction
from crmdesk.ui.common import contact_picker
from crmdesk.ui.common.contact_picker import ContactPicker
from crmdesk.ui.history.log_dialog import LogDialog


def ticked(picker):
    items = [picker.results.item(r) for r in range(picker.results.count())]
    return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]


def shown(picker):
    return [picker.results.item(r).text() for r in range(picker.results.count())]


def test_search_tick_and_keep_the_chosen_on_top(qtbot, db, people):
    picker = ContactPicker(db, [people["Smith"]])
    qtbot.addWidget(picker)
    assert ticked(picker) == ["Anna Smith — Acme Ltd"]
    qtbot.keyClicks(picker.search, "kazl")
    picker.refresh()
    assert shown(picker)[0] == "Anna Smith — Acme Ltd"  # still there, still ticked
    assert any(t.startswith("Jonas Kazlauskas") for t in shown(picker))
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)  # ticks the first match
    assert picker.chosen() == [people["Smith"], people["Kazlauskas"]]
    first = picker.results.item(0)
    first.setCheckState(Qt.CheckState.Unchecked)
    assert picker.chosen() == [people["Kazlauskas"]]


def test_nobody_matches_and_a_bad_lookup_are_said(qtbot, db, people):
    picker = ContactPicker(db)
    qtbot.addWidget(picker)
    assert "Type to find" in picker.note.text()
    picker.search.setText("zzzzqqq")
    picker.refresh()
    assert shown(picker) == [] and "Nobody matches" in picker.note.text()
    picker.search.setText("nosuchfield:x")
    picker.refresh()
    assert "nosuchfield" in picker.note.text()
    assert picker.chosen() == []


def test_log_dialog_without_contacts_chooses_them(qtbot, db, people, ui_settings, dialogs,
                                                  monkeypatch):
    dialog = LogDialog(db, ui_settings)
    qtbot.addWidget(dialog)
    dialog.subject.setText("Trade show stand visit")
    assert dialog.save() is None  # nobody chosen: refused, nothing lost
    assert any(m.startswith("Choose whom this was with") for m in dialog.banner.messages)
    assert dialog.subject.text() == "Trade show stand visit"
    monkeypatch.setattr(contact_picker, "pick_contacts",
                        lambda parent, db_, chosen: [people["Brown"], people["Smith"]])
    dialog.choose_contacts()
    assert "Brown" in dialog.about.text() and "Smith" in dialog.about.text()
    assert dialog.each.isVisibleTo(dialog)
    dialog.each.setChecked(False)  # one entry with both (a meeting)
    result = dialog.save()
    assert result is not None and len(result.ids) == 1
    with db.reading() as s:
        stored = get_interaction(s, result.ids[0])
    assert sorted(stored.contact_ids) == sorted([people["Brown"], people["Smith"]])
    assert stored.subject == "Trade show stand visit"


def test_cancel_in_the_picker_changes_nothing(qtbot, db, people, ui_settings, monkeypatch):
    dialog = LogDialog(db, ui_settings, contact_ids=[people["Smith"]])
    qtbot.addWidget(dialog)
    before = dialog.about.text()
    monkeypatch.setattr(contact_picker, "pick_contacts", lambda *a: None)
    dialog.choose_contacts()
    assert dialog.contact_ids == [people["Smith"]] and dialog.about.text() == before
