"""Tools > Phone Country… previews the numbers typed without a country code and
re-reads them, or keeps them, as the user chooses."""

from __future__ import annotations

import pytest

from crmdesk.core.contacts.records import ContactData, PhoneData, create_contact, get_contact
from crmdesk.core.storage.settings import get_setting, set_setting
from crmdesk.ui.window import phone_region


@pytest.fixture
def jonas(db):
    with db.session() as s:
        set_setting(s, "phone_region", "LT")
    return create_contact(db, ContactData(given_name="Jonas", family_name="Petraitis",
                                          phones=[PhoneData("8 612 34567"),
                                                  PhoneData("+44 20 7946 0958")]))


def _answer(monkeypatch, choice, shown):
    def exec_(dialog):
        table = dialog.table
        shown.append([[table.item(r, c).text() for c in range(4)]
                      for r in range(table.rowCount())])
        return choice
    monkeypatch.setattr(phone_region.RereadDialog, "exec", exec_)


@pytest.mark.parametrize("choice, e164", [(phone_region.REREAD, "+18612345670"),
                                          (phone_region.KEEP, "+37061234567")])
def test_change_the_phone_country(qtbot, make_window, db, jonas, dialogs, monkeypatch,
                                  choice, e164):
    window = make_window(db)
    shown: list = []
    _answer(monkeypatch, choice, shown)
    dialogs.answers.append("United States (US)")
    window.phone_region_action.trigger()
    qtbot.waitUntil(lambda: _region(db) == "US", timeout=5000)
    qtbot.waitUntil(lambda: not window.operations.busy(), timeout=5000)
    # the preview showed the one number without a code, before and after
    assert shown == [[["Jonas Petraitis", "8 612 34567", "+37061234567",
                       shown[0][0][3]]]]
    phones = get_contact(db, jonas).phones
    assert phones[1].e164 == "+442079460958"
    if choice == phone_region.KEEP:
        assert phones[0].e164 == e164
    else:
        assert phones[0].e164 != "+37061234567" and phones[0].e164 == shown[0][0][3] or \
            phones[0].e164 is None


def test_cancel_changes_nothing(qtbot, make_window, db, jonas, dialogs, monkeypatch):
    window = make_window(db)
    shown: list = []
    _answer(monkeypatch, 0, shown)  # Cancel
    dialogs.answers.append("United States (US)")
    window.phone_region_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    qtbot.waitUntil(lambda: not window.operations.busy(), timeout=5000)
    assert _region(db) == "LT"
    assert get_contact(db, jonas).phones[0].e164 == "+37061234567"


def _region(db):
    with db.reading() as s:
        return get_setting(s, "phone_region")


def test_the_preview_dialog(qtbot, pictures):
    from crmdesk.core.maintenance.phone_region import PhoneReread

    found = [PhoneReread(i, i, None, f"Contact {i:03d}", f"8 612 {i:05d}", f"+370612{i:05d}",
                         None if i % 3 else f"+1612{i:06d}") for i in range(phone_region.SHOWN + 7)]
    dialog = phone_region.RereadDialog(found, "United States")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == phone_region.SHOWN
    texts = [label.text() for label in dialog.findChildren(phone_region.QLabel)]
    assert ("507 numbers were typed without a country code. Read them as numbers of "
            "United States?") in texts
    assert "… and 7 more." in texts
    assert dialog.table.item(1, 3).text() == "(not a number there)"
    pictures.grab(dialog, "phone_region_preview")
