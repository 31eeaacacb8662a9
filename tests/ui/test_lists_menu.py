"""Tools > Lists: the user's own drop-down lists, the history's kinds and outcomes too,
and the "Reached" tick that last contact and last attempt are derived from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from crmdesk.core.history.records import InteractionData, log_interaction
from crmdesk.core.lists.choices import list_choices
from crmdesk.core.lookup import listing
from crmdesk.core.storage.models import INTERACTION_KIND, OUTCOME, STATUS
from crmdesk.ui.lists import choice_lists
from crmdesk.ui.lists.choice_lists import REACHED_COLUMN, ChoiceListDialog
from crmdesk.ui.window.main_window import MainWindow


def last_contact(db, cid):
    with db.reading() as s:
        return listing.rows(s, [cid], ["last_contact", "last_attempt"])[cid]


def entry_item(dialog, name):
    for i in range(dialog.tree.topLevelItemCount()):
        item = dialog.tree.topLevelItem(i)
        if item.text(0) == name:
            return item
    raise AssertionError(name)


@pytest.fixture
def left_message(db, people):
    when = datetime.now(UTC) - timedelta(days=2)
    with db.session() as s:
        log_interaction(s, InteractionData(kind="Call", subject="Price list", at=when,
                                           outcome="Left message",
                                           contact_ids=[people["Smith"]]))
    return when


def test_reached_tick_moves_an_entry_from_attempt_to_contact(qtbot, db, people, dialogs,
                                                             left_message):
    contact, attempt = last_contact(db, people["Smith"])
    assert contact is None and attempt is not None
    dialog = ChoiceListDialog(db, OUTCOME)
    qtbot.addWidget(dialog)
    assert dialog.tree.headerItem().text(REACHED_COLUMN) == "Reached"
    item = entry_item(dialog, "Left message")
    assert item.checkState(REACHED_COLUMN) == Qt.CheckState.Unchecked
    assert entry_item(dialog, "Reached").checkState(REACHED_COLUMN) == Qt.CheckState.Checked
    assert item.text(1) == "1"  # used by one history entry
    item.setCheckState(REACHED_COLUMN, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: last_contact(db, people["Smith"])[0] is not None)
    contact, attempt = last_contact(db, people["Smith"])
    assert attempt is None
    with db.reading() as s:
        flags = {c.name: c.reached for c in list_choices(s, OUTCOME)}
    assert flags["Left message"] is True
    assert dialogs.errors == []


def test_status_list_has_no_reached_column(qtbot, db):
    dialog = ChoiceListDialog(db, STATUS)
    qtbot.addWidget(dialog)
    assert dialog.tree.columnCount() == 3
    assert dialog.tree.headerItem().text(1) == "Contacts"


def test_tools_lists_opens_each_list_and_refreshes_the_views(qtbot, db, people, ui_settings,
                                                             dialogs, monkeypatch):
    window = MainWindow(db, ui_settings)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.lists_menu.actions()]
    assert titles == ["Status…", "Source…", "Interaction kinds…", "Outcomes…", "Activity kinds…"]
    opened = []

    def fake_exec(self):
        opened.append(self.kind)
        if self.kind == INTERACTION_KIND:
            self.add_entry("Site visit")
        return 0

    monkeypatch.setattr(ChoiceListDialog, "exec", fake_exec)
    window.list_actions[INTERACTION_KIND].trigger()
    assert opened == [INTERACTION_KIND]
    # The History view's kind filter offers the new kind at once.
    kinds = [window.history.filters.kind.itemText(i)
             for i in range(window.history.filters.kind.count())]
    assert "Site visit" in kinds
    assert choice_lists.kind_title(OUTCOME) == "Outcomes"


def test_a_reached_tick_runs_in_the_background_and_cancel_keeps_everything(
        qtbot, db, people, dialogs, left_message):
    """At 100,000 contacts re-deriving every last contact takes seconds: the tick runs
    on the writer thread with a progress dialog, and Cancel leaves contacts and tick
    as they were."""
    import threading

    from crmdesk.ui.tasks.worker import shared

    before = last_contact(db, people["Smith"])
    dialog = ChoiceListDialog(db, OUTCOME)
    qtbot.addWidget(dialog)
    hold = threading.Event()
    shared("writer").submit(lambda: hold.wait(5))  # the tick's job waits behind this
    entry_item(dialog, "Left message").setCheckState(REACHED_COLUMN, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: dialog.operations.busy(), timeout=2000)
    assert not dialog.tree.isEnabled()  # one tick at a time
    dialog.operations.cancel_all()
    hold.set()
    qtbot.waitUntil(lambda: not dialog.operations.busy(), timeout=5000)
    qtbot.waitUntil(lambda: dialog.tree.isEnabled(), timeout=2000)
    assert last_contact(db, people["Smith"]) == before
    assert entry_item(dialog, "Left message").checkState(REACHED_COLUMN) == \
        Qt.CheckState.Unchecked  # shown as it is stored
    assert dialogs.errors == []
