"""Custom fields on the contact and company forms: shown by section, loaded, saved
with the record, checked, reverted, and rebuilt when the fields change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from crmdesk.core.companies.records import CompanyData, create_company
from crmdesk.core.contacts.records import ContactData, create_contact, get_contact
from crmdesk.core.fields import service as fields
from crmdesk.ui.companies.form import CompanyForm
from crmdesk.ui.contacts.form import ContactForm
from crmdesk.ui.fields.form_sections import (
    ChecksEditor,
    ComboEditor,
    DateEditor,
    LineEditor,
    LongTextEditor,
)


@pytest.fixture
def custom(db):
    """Two sections of contact fields, and one field without a section."""
    with db.session() as s:
        club = fields.add_section(s, fields.CONTACT, "Club")
        billing = fields.add_section(s, fields.CONTACT, "Billing")
        fields.add_field(s, fields.CONTACT, "Member number", fields.NUMBER,
                         section_id=club.id, help="As on the card", min_value=1)
        fields.add_field(s, fields.CONTACT, "Joined", fields.DATE, section_id=club.id)
        fields.add_field(s, fields.CONTACT, "Level", fields.CHOICE, section_id=club.id,
                         options=["Bronze", "Silver", "Gold"], default="Bronze")
        fields.add_field(s, fields.CONTACT, "Sports", fields.MULTI_CHOICE,
                         section_id=club.id, options=["Golf", "Tennis", "Chess"])
        fields.add_field(s, fields.CONTACT, "Credit limit", fields.MONEY,
                         section_id=billing.id, currency="EUR", required=True)
        fields.add_field(s, fields.CONTACT, "Paid up", fields.YES_NO, section_id=billing.id)
        fields.add_field(s, fields.CONTACT, "Billing notes", fields.LONG_TEXT,
                         section_id=billing.id)
        fields.add_field(s, fields.CONTACT, "Nickname at club", fields.TEXT,
                         help="What they are called")
    return {"club": club.id, "billing": billing.id}


@pytest.fixture
def form(qtbot, db, custom):
    widget = ContactForm(db)
    qtbot.addWidget(widget)
    widget.resize(620, 1000)
    widget.show()
    return widget


def person(db) -> int:
    return create_contact(db, ContactData(given_name="Anna", family_name="Smith"))


def values(db, cid, entity=fields.CONTACT):
    with db.reading() as s:
        return fields.get_values(s, entity, [cid])[cid]


def sections(form):
    return [(s.title_label.text(), list(s.editors)) for s in form._custom_sections]


def test_fields_shown_by_section_with_a_widget_per_type(form, db):
    form.load(person(db))
    assert sections(form) == [
        ("More", ["nickname_at_club"]),
        ("Club", ["member_number", "joined", "level", "sports"]),
        ("Billing", ["credit_limit", "paid_up", "billing_notes"]),
    ]
    editors = form.custom_editors()
    assert isinstance(editors["member_number"], LineEditor)
    assert isinstance(editors["joined"], DateEditor)
    assert isinstance(editors["level"], ComboEditor)
    assert isinstance(editors["sports"], ChecksEditor)
    assert isinstance(editors["paid_up"], ComboEditor)
    assert isinstance(editors["billing_notes"], LongTextEditor)
    level = editors["level"].findChild(QComboBox)
    assert [level.itemText(i) for i in range(level.count())] == ["", "Bronze", "Silver", "Gold"]
    paid = editors["paid_up"].findChild(QComboBox)
    assert paid.count() == 3
    assert editors["credit_limit"].currency.text() == "EUR"
    assert editors["member_number"].edit.placeholderText() == "As on the card"
    assert "As on the card" in editors["member_number"].edit.toolTip()
    labels = [w.text() for w in form.findChildren(QLabel)]
    assert "Credit limit *" in labels
    assert [c.text() for c in editors["sports"].findChildren(QCheckBox)] == [
        "Golf", "Tennis", "Chess"]
    # After the built-in sections.
    layout = form._sections_layout
    order = [layout.itemAt(i).widget() for i in range(layout.count() - 1)]
    assert order.index(form.notes) < order.index(form._custom_sections[0])


def test_enter_save_and_read_back(form, db, qtbot):
    cid = person(db)
    form.load(cid)
    assert not form.is_dirty()
    ed = form.custom_editors()
    qtbot.keyClicks(ed["member_number"].edit, "1 234")
    assert form.is_dirty()
    qtbot.keyClicks(ed["joined"].edit, "2026-03-31")
    ed["level"].combo.setCurrentIndex(3)
    ed["sports"].checks["Chess"].setChecked(True)
    ed["sports"].checks["Golf"].setChecked(True)
    qtbot.keyClicks(ed["credit_limit"].edit, "1500,50")
    ed["paid_up"].combo.setCurrentIndex(1)
    ed["billing_notes"].edit.setPlainText("Line one\nLine two")
    qtbot.keyClicks(ed["nickname_at_club"].edit, "Annie")
    assert form.save() == cid
    assert not form.is_dirty()
    assert values(db, cid) == {
        "member_number": Decimal("1234"), "joined": date(2026, 3, 31), "level": "Gold",
        "sports": ["Golf", "Chess"], "credit_limit": Decimal("1500.50"), "paid_up": True,
        "billing_notes": "Line one\nLine two", "nickname_at_club": "Annie"}
    # What the form shows after saving is what is stored.
    assert form.custom_editors()["level"].value() == "Gold"
    assert form.custom_editors()["credit_limit"].value() == "1500.50"


def test_only_custom_change_saves_and_keeps_other_values(form, db, qtbot):
    cid = person(db)
    with db.session() as s:
        fields.set_values(s, fields.CONTACT, cid, {"credit_limit": "10", "level": "Silver"})
    form.load(cid)
    assert form.custom_editors()["level"].value() == "Silver"
    qtbot.keyClicks(form.custom_editors()["nickname_at_club"].edit, "Ann")
    assert form.save() == cid
    assert values(db, cid) == {"credit_limit": Decimal("10"), "level": "Silver",
                               "nickname_at_club": "Ann"}


def test_invalid_number_marked_not_saved_text_kept(form, db, qtbot):
    cid = person(db)
    with db.session() as s:
        fields.set_values(s, fields.CONTACT, cid, {"credit_limit": "10"})
    form.load(cid)
    edit = form.custom_editors()["member_number"].edit
    qtbot.keyClicks(edit, "twelve")
    form.names.edits["nickname"].setText("Annie")
    assert form.save() is None
    assert edit.text() == "twelve"
    assert form.is_dirty()
    assert edit.property("problem") == "error"
    assert any(p.field == "member_number" for p in form.problems())
    assert "member_number" not in values(db, cid)
    assert get_contact(db, cid).nickname == ""  # nothing of the record either
    edit.setText("12")
    assert form.save() == cid
    assert values(db, cid)["member_number"] == Decimal("12")
    assert get_contact(db, cid).nickname == "Annie"


def test_set_values_refusal_saves_nothing_keeps_the_text_and_stays_dirty(form, db, qtbot,
                                                                        monkeypatch):
    """A record and its custom values are one unit of work: when the core refuses a
    value (here: as if taken meanwhile), the name typed with it is not saved either."""
    from crmdesk.core.contacts import records
    from crmdesk.core.contacts.records import get_contact
    from crmdesk.core.errors import Problem
    cid = person(db)
    form.load(cid)
    monkeypatch.setattr(records, "set_values", lambda *a, **k: [
        Problem("nickname_at_club", "Taken meanwhile.")])
    form.names.edits["given_name"].setText("Annabel")
    qtbot.keyClicks(form.custom_editors()["nickname_at_club"].edit, "Ann")
    assert form.save() is None
    editor = form.custom_editors()["nickname_at_club"]
    assert editor.value() == "Ann"
    assert form.names.edits["given_name"].text() == "Annabel"
    assert form.is_dirty()
    assert editor.edit.property("problem") == "error"
    assert get_contact(db, cid).given_name == "Anna"  # nothing of the save was kept
    assert values(db, cid).get("nickname_at_club") is None


def test_a_new_contact_refused_for_its_custom_value_is_not_created(form, db, qtbot,
                                                                   monkeypatch):
    """The first wave saved the record, then failed on its values: the next Save made a
    second contact. Now neither is saved, and the next Save creates exactly one."""
    from crmdesk.core.contacts import records
    from crmdesk.core.contacts.records import count_contacts
    from crmdesk.core.errors import Problem
    real = records.set_values
    monkeypatch.setattr(records, "set_values", lambda *a, **k: [
        Problem("nickname_at_club", "Taken meanwhile.")])
    form.new_contact()
    form.names.edits["given_name"].setText("Bob")
    qtbot.keyClicks(form.custom_editors()["credit_limit"].edit, "100")
    assert form.save() is None
    with db.reading() as s:
        assert count_contacts(s) == 0
    monkeypatch.setattr(records, "set_values", real)
    new_id = form.save()
    assert new_id is not None
    assert form.save() == new_id
    with db.reading() as s:
        assert count_contacts(s) == 1
    assert values(db, new_id)["credit_limit"] == Decimal("100")


def test_required_checked_for_a_new_record_and_defaults(form, db, qtbot):
    form.new_contact()
    ed = form.custom_editors()
    assert ed["level"].value() == "Bronze"  # the default
    assert not form.is_dirty()
    form.names.edits["given_name"].setText("Bob")
    assert form.save() is None  # the credit limit is required
    assert any(p.field == "credit_limit" and p.severity == "error" for p in form.problems())
    qtbot.keyClicks(ed["credit_limit"].edit, "100")
    cid = form.save()
    assert cid is not None
    assert values(db, cid) == {"level": "Bronze", "credit_limit": Decimal("100")}


def test_revert_includes_custom_fields(form, db, qtbot):
    cid = person(db)
    with db.session() as s:
        fields.set_values(s, fields.CONTACT, cid, {"level": "Gold", "sports": ["Golf"],
                                                   "credit_limit": "5"})
    form.load(cid)
    ed = form.custom_editors()
    ed["level"].combo.setCurrentIndex(0)
    ed["sports"].checks["Tennis"].setChecked(True)
    qtbot.keyClicks(ed["member_number"].edit, "7")
    assert form.is_dirty()
    form.revert()
    assert not form.is_dirty()
    ed = form.custom_editors()
    assert ed["level"].value() == "Gold"
    assert ed["sports"].value() == ["Golf"]
    assert ed["member_number"].value() == ""


def test_reload_fields_after_adding_one(form, db, qtbot, custom):
    cid = person(db)
    form.load(cid)
    qtbot.keyClicks(form.custom_editors()["nickname_at_club"].edit, "Ann")
    with db.session() as s:
        fields.add_field(s, fields.CONTACT, "Locker", fields.TEXT, section_id=custom["club"])
        fields.add_field(s, fields.CONTACT, "Shirt size", fields.TEXT)
    form.reload_fields()
    assert sections(form)[0] == ("More", ["nickname_at_club", "shirt_size"])
    assert "locker" in dict(sections(form))["Club"]
    assert form.custom_editors()["nickname_at_club"].value() == "Ann"  # the edit stays
    assert form.is_dirty()
    qtbot.keyClicks(form.custom_editors()["locker"].edit, "B12")
    assert form.save() == cid
    assert values(db, cid) == {"nickname_at_club": "Ann", "locker": "B12"}
    # Only the form's own sections: none left over from before.
    assert len(form.findChildren(LineEditor)) == len(
        [e for e in form.custom_editors().values() if isinstance(e, LineEditor)])


def test_company_form_custom_fields(qtbot, db):
    with db.session() as s:
        fields.add_field(s, fields.COMPANY, "VAT code", fields.TEXT)
    form = CompanyForm(db)
    qtbot.addWidget(form)
    company = create_company(db, CompanyData(name="Acme"))
    form.load(company)
    assert sections(form) == [("More", ["vat_code"])]
    qtbot.keyClicks(form.custom_editors()["vat_code"].edit, "LT100")
    assert form.is_dirty()
    assert form.save() == company
    assert values(db, company, fields.COMPANY) == {"vat_code": "LT100"}
    with db.session() as s:
        fields.add_field(s, fields.COMPANY, "Employees", fields.NUMBER)
    form.reload_fields()
    assert sections(form) == [("More", ["vat_code", "employees"])]
    assert form.custom_editors()["vat_code"].value() == "LT100"
    assert not form.is_dirty()


def test_screenshot(form, db, qtbot, pictures):
    cid = person(db)
    with db.session() as s:
        fields.set_values(s, fields.CONTACT, cid, {
            "member_number": "42", "level": "Silver", "sports": ["Golf", "Tennis"],
            "credit_limit": "1500", "paid_up": "yes", "joined": "2024-05-01"})
    form.load(cid)
    qtbot.keyClicks(form.custom_editors()["member_number"].edit, "x")
    form.validate_now()
    form._scroll.ensureWidgetVisible(form._custom_sections[-1])
    qtbot.wait(50)
    image = pictures.grab(form, "custom_form")
    assert (image.width(), image.height()) == (620, 1000)
    editors = form.custom_editors()
    assert isinstance(editors["member_number"].edit, QLineEdit)
    # The number typed wrong is marked and said on the banner; the stored values show.
    assert editors["member_number"].edit.text() == "42x"
    assert editors["member_number"].edit.property("problem") == "error"
    assert form.banner.isVisible() and any("Member number" in m for m in form.banner.messages)
    assert editors["level"].value() == "Silver"
    assert editors["credit_limit"].edit.text() == "1500"
    billing = form._custom_sections[-1]
    assert billing.title_label.text() == "Billing"
    for part in (form.banner, billing.title_label, editors["credit_limit"]):
        pictures.assert_painted(image, part, form)
