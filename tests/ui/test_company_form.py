"""The company form: its own fields, its people, and the way to one of them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crmdesk.core.changes import COMPANIES
from crmdesk.core.companies.records import CompanyData, create_company, get_company
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    PhoneData,
    create_contact,
    get_contact,
)
from crmdesk.ui.companies.form import CompanyForm


@pytest.fixture
def form(qtbot, db):
    widget = CompanyForm(db)
    qtbot.addWidget(widget)
    widget.resize(560, 900)
    widget.show()
    return widget


def romashka(db) -> tuple[int, dict[str, int]]:
    company = create_company(db, CompanyData(
        name="ООО Ромашка", industry="Wholesale",
        phones=[PhoneData("+7 495 123-45-67", "Work", True)],
        addresses=[AddressData("ул. Тверская, д. 7", "Москва", "", "125009", "RU", "Work")]))
    people = {name: create_contact(db, ContactData(given_name=name, family_name=family,
                                                   company="ООО Ромашка", job_title=job))
              for name, family, job in (("Иван", "Иванов", "Директор"),
                                        ("Olga", "Petrova", "Buyer"))}
    return company, people


def test_new_company_is_saved(qtbot, db, form):
    form.new_company()
    assert not form.people.new_button.isEnabled()  # no company to add people to yet
    qtbot.keyClicks(form.details.name, "Acme Ltd")
    qtbot.keyClicks(form.details.industry, "Hardware")
    row = form.phones.editor.add_row()
    qtbot.keyClicks(row.number, "+1 617 555 0100")
    with qtbot.waitSignal(form.company_saved) as saved:
        new_id = form.save()
    assert saved.args[0].added(COMPANIES) == {new_id}
    stored = get_company(db, new_id)
    assert (stored.name, stored.industry) == ("Acme Ltd", "Hardware")
    assert stored.phones[0].e164 == "+16175550100"
    assert form.header.title.text() == "Acme Ltd"
    assert form.people.new_button.isEnabled()


def test_company_needs_a_name(qtbot, db, form):
    form.new_company()
    qtbot.keyClicks(form.details.industry, "Hardware")
    assert form.save() is None
    assert form.details.name.property("problem") == "error"
    assert form.details.industry.text() == "Hardware"


def test_people_are_listed_and_open_on_double_click(qtbot, db, form):
    company, people = romashka(db)
    form.load(company)
    table = form.people.table
    assert table.model().rowCount() == 2
    assert form.people.title_label.text() == "People (2)"
    names = [table.model().index(r, 0).data() for r in range(2)]
    assert names == ["Olga Petrova", "Иван Иванов"]  # in name order
    row = next(r for r in range(2) if table.model().index(r, 0).data() == "Olga Petrova")
    rect = table.visualRect(table.model().index(row, 0))
    with qtbot.waitSignal(form.open_contact_requested) as opened:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [people["Olga"]]


def test_enter_on_a_person_opens_them(qtbot, db, form):
    company, people = romashka(db)
    form.load(company)
    table = form.people.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    with qtbot.waitSignal(form.open_contact_requested) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args[0] in people.values()


def test_new_contact_at_this_company(qtbot, db, form):
    company, _people = romashka(db)
    form.load(company)
    with qtbot.waitSignal(form.new_contact_requested) as asked:
        qtbot.mouseClick(form.people.new_button, Qt.MouseButton.LeftButton)
    assert asked.args == ["ООО Ромашка"]


def test_renaming_the_company_renames_it_on_its_people(qtbot, db, form):
    company, people = romashka(db)
    form.load(company)
    form.details.name.setText("АО Ромашка")
    assert form.is_dirty()
    assert form.save() == company
    assert get_contact(db, people["Olga"]).company == "АО Ромашка"
    assert get_company(db, company).addresses[0].city == "Москва"


def test_revert_and_maybe_save(qtbot, db, form, dialogs):
    company, _people = romashka(db)
    form.load(company)
    qtbot.keyClicks(form.details.industry, " and retail")
    dialogs.answers.append(2)  # Cancel: stay
    assert form.maybe_save() is False and form.is_dirty()
    form.revert()
    assert form.details.industry.text() == "Wholesale" and not form.is_dirty()


def test_refresh_people_after_a_contact_joined(qtbot, db, form):
    company, _people = romashka(db)
    form.load(company)
    create_contact(db, ContactData(given_name="Пётр", company="ООО Ромашка"))
    form.refresh_people()
    assert form.people.table.model().rowCount() == 3


def test_screenshot_of_a_company(qtbot, db, form, pictures):
    company, _people = romashka(db)
    form.load(company)
    qtbot.wait(50)
    image = pictures.grab(form, "company_form")
    assert (image.width(), image.height()) == (560, 900)
    # The name on top, its fields, and its two people listed.
    assert form.header.title.text() == "ООО Ромашка"
    assert form.details.name.text() == "ООО Ромашка"
    assert form.details.industry.text() == "Wholesale"
    assert form.people.title_label.text() == "People (2)"
    people = form.people.table
    assert [people.model().index(r, 0).data() for r in range(people.model().rowCount())] == [
        "Olga Petrova", "Иван Иванов"]
    for part in (form.header.title, form.details.name, form.details.industry,
                 form.people.title_label, people.viewport()):
        pictures.assert_painted(image, part, form)
