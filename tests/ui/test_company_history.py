"""A company's History tab: the entries of the company and of its people, the
same list, filters and verbs as a contact's, and "Log…" for the company."""

from __future__ import annotations

from datetime import datetime

import pytest
from log_helpers import focused, press, type_here, when_modal
from PySide6.QtCore import Qt

from crmdesk.core.companies.records import CompanyData, create_company
from crmdesk.core.contacts.records import ContactData, create_contact, trash_contacts
from crmdesk.core.history.records import InteractionData, get_interaction, log_interaction
from crmdesk.ui.companies.form import CompanyForm


def log(db, contact_ids, kind, subject, when, **kw):
    with db.session() as s:
        return log_interaction(s, InteractionData(
            kind=kind, subject=subject, at=when.astimezone(), contact_ids=list(contact_ids),
            **kw)).ids[0]


@pytest.fixture
def romashka(db):
    company = create_company(db, CompanyData(name="ООО Ромашка"))
    p = {given: create_contact(db, ContactData(given_name=given, family_name=family,
                                               company=company_name))
         for given, family, company_name in (("Иван", "Иванов", "ООО Ромашка"),
                                             ("Olga", "Petrova", "ООО Ромашка"),
                                             ("Gone", "Away", "ООО Ромашка"),
                                             ("Eve", "Outsider", ""))}
    e = {
        "ivan": log(db, [p["Иван"]], "Call", "Цены на весну", datetime(2026, 3, 2, 9, 30),
                    details="Хочет 40 штук."),
        "both": log(db, [p["Иван"], p["Olga"]], "Meeting", "Supply meeting",
                    datetime(2026, 3, 5, 14, 0)),
        "gone": log(db, [p["Gone"]], "Call", "Trashed later", datetime(2026, 3, 6, 10, 0)),
        "eve": log(db, [p["Eve"]], "Call", "Not theirs", datetime(2026, 3, 7, 10, 0)),
    }
    trash_contacts(db, [p["Gone"]])
    return company, p, e


@pytest.fixture
def form(qtbot, db, ui_settings, dialogs):
    widget = CompanyForm(db)
    widget.set_settings(ui_settings)
    qtbot.addWidget(widget)
    widget.resize(760, 620)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def subjects(form: CompanyForm) -> list[str]:
    tree = form.timeline.tree
    return [tree.topLevelItem(i).text(3) for i in range(tree.topLevelItemCount())]


def test_history_tab_lists_the_company_and_its_people(qtbot, db, form, romashka, pictures):
    company, _p, e = romashka
    tabs = form.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Details", "History"]
    form.load(company)
    assert tabs.tabText(form.history_tab) == "History (2)"
    form.show_history()
    assert subjects(form) == ["Supply meeting", "Цены на весну"]  # newest first
    kinds = [form.timeline.kind_filter.itemText(i)
             for i in range(form.timeline.kind_filter.count())]
    assert "Call" in kinds and "Status change" not in kinds  # those are a contact's
    details = form.timeline.details.toPlainText()  # the meeting, selected
    assert "Supply meeting" in details and "Olga Petrova" in details and "Иван Иванов" in details
    form.timeline.select_entry(e["ivan"])
    assert "With: Иван Иванов" in form.timeline.details.toPlainText()
    form.timeline.text_filter.setText("ЦЕНЫ")
    form.timeline.apply_filter()
    assert subjects(form) == ["Цены на весну"]
    assert tabs.tabText(form.history_tab) == "History (2)"  # the count is of all of them
    qtbot.wait(20)
    image = pictures.grab(form, "company_history_tab")
    assert (image.width(), image.height()) == (760, 620)
    assert form.header.title.text() == "ООО Ромашка"
    assert form.timeline.text_filter.text() == "ЦЕНЫ"
    for part in (form.header.title, form.timeline.text_filter, form.timeline.tree.viewport(),
                 form.timeline.details):
        pictures.assert_painted(image, part, form)
    # A new company has no history yet.
    form.new_company()
    assert not tabs.isTabEnabled(form.history_tab)
    assert tabs.tabText(form.history_tab) == "History"
    assert "Save the new company first" in tabs.tabToolTip(form.history_tab)


def test_delete_asks_and_log_logs_for_the_company(qtbot, db, form, romashka, dialogs):
    company, p, e = romashka
    form.load(company)
    form.show_history()
    changed = []
    form.history_changed.connect(changed.append)
    form.timeline.select_entry(e["ivan"])
    dialogs.answers.append(True)
    qtbot.keyClick(form.timeline.tree, Qt.Key.Key_Delete)
    assert dialogs.asked[-1] == ("Delete Entry", "Delete this entry of the history?")
    assert subjects(form) == ["Supply meeting"]
    assert form.tabs.tabText(form.history_tab) == "History (1)"

    def steps(dialog):
        assert dialog.contact_ids == []  # whom it was with: the dialog's Choose…
        dialog.contact_ids = [p["Eve"]]  # as if chosen there
        assert focused() is dialog.subject
        type_here(qtbot, "Talked about Romashka")
        press(qtbot, Qt.Key.Key_Return)

    when_modal(steps)
    form.timeline.log_button.click()
    assert subjects(form) == ["Talked about Romashka", "Supply meeting"]
    new_id = form.timeline.current_entry().id
    with db.reading() as s:
        assert get_interaction(s, new_id).company_id == company  # Eve is not at Romashka
    assert [r.ids for r in changed] == [[e["ivan"]], [new_id]]
