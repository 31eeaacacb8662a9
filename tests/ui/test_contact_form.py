"""The contact form as a user drives it: typing, adding rows, saving, reverting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QImage, QInputMethodEvent, QKeyEvent, QTextOption
from PySide6.QtWidgets import QApplication, QMessageBox

from crmdesk.core.changes import CONTACTS
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    DateData,
    EmailData,
    LinkData,
    PhoneData,
    RelativeData,
    create_contact,
    get_contact,
    purge_contacts,
    trash_contacts,
)
from crmdesk.core.lists.choices import list_choices
from crmdesk.core.storage.models import FAMILY_FIRST, STATUS
from crmdesk.ui.common.form_sections import focus_chain
from crmdesk.ui.contacts.form import ContactForm
from crmdesk.ui.lists import choice_lists


@pytest.fixture
def form(qtbot, db):
    widget = ContactForm(db)
    qtbot.addWidget(widget)
    widget.resize(560, 900)
    widget.show()
    return widget


def anna(db, **extra) -> int:
    data = dict(given_name="Anna", family_name="Smith", company="Acme Ltd", status="Lead",
                phones=[PhoneData("+1 617 555 0100", "Work", True)],
                emails=[EmailData("anna@acme.example", "Work", True)], tags=["vip"])
    data.update(extra)
    return create_contact(db, ContactData(**data))


def add_row(qtbot, section):
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    return section.editor.rows()[-1]


def type_into(qtbot, widget, text):
    """Type as a user does: ASCII as key presses, other letters as a keyboard layout
    sends them (a key event carrying the letter), Chinese as an input method commits it."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        elif "\u4e00" <= ch <= "\u9fff":
            event = QInputMethodEvent("", [])
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                         ch))


def set_combo(combo, text):
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


# -- creating and saving -----------------------------------------------------------------


def test_new_contact_typed_in_is_stored(qtbot, db, form):
    form.new_contact()
    assert form.current_id() is None and not form.is_dirty()
    qtbot.keyClicks(form.names.edits["given_name"], "Jonas")
    qtbot.keyClicks(form.names.edits["family_name"], "Kazlauskas")
    qtbot.keyClicks(form.work.company.lineEdit(), "Vilniaus prekyba UAB")
    phone = form.phones.editor.rows()[0]  # ready for typing in a new contact
    qtbot.keyClicks(phone.number, "+370 612 34567")
    assert phone.label.label() == "Mobile"
    email = form.emails.editor.rows()[0]
    qtbot.keyClicks(email.address, "jonas@vp.example")
    extra = add_row(qtbot, form.phones)  # added, left empty: not part of the contact
    qtbot.keyClicks(form.classes.tags, "vip, newsletter")
    set_combo(form.classes.status, "Customer")
    set_combo(form.classes.source, "Referral")
    assert form.is_dirty()

    with qtbot.waitSignal(form.contact_saved) as saved:
        new_id = form.save()
    assert new_id is not None and form.current_id() == new_id
    assert saved.args[0].added(CONTACTS) == {new_id} and saved.args[0].ids(CONTACTS) == {new_id}
    assert not form.is_dirty() and extra is not None
    stored = get_contact(db, new_id)
    assert (stored.given_name, stored.family_name) == ("Jonas", "Kazlauskas")
    assert stored.company == "Vilniaus prekyba UAB"
    assert [(p.number, p.e164, p.label, p.primary) for p in stored.phones] == [
        ("+370 612 34567", "+37061234567", "Mobile", True)]
    assert stored.emails[0].address == "jonas@vp.example"
    assert stored.tags == ["newsletter", "vip"]
    assert (stored.status, stored.source) == ("Customer", "Referral")
    assert form.header.title.text() == "Jonas Kazlauskas"


def test_new_contact_at_a_company(qtbot, db, form):
    form.new_contact("Acme Ltd")
    assert form.work.company.currentText() == "Acme Ltd"
    assert not form.is_dirty()
    qtbot.keyClicks(form.names.edits["given_name"], "Bob")
    new_id = form.save()
    assert get_contact(db, new_id).company == "Acme Ltd"


def test_empty_new_contact_is_refused_with_a_reason(qtbot, db, form):
    form.new_contact()
    assert form.problems() == []  # nothing shown before the user did anything
    assert form.save() is None
    assert form.banner.isVisible()
    assert "needs a name" in " ".join(form.banner.messages)
    assert form.names.edits["given_name"].property("problem") == "error"


def test_edit_and_revert(qtbot, db, form):
    cid = anna(db)
    form.load(cid)
    given = form.names.edits["given_name"]
    with qtbot.waitSignal(form.dirty_changed) as became:
        qtbot.keyClicks(given, "belle")
    assert became.args == [True]
    assert form.is_dirty() and form.save_button.isEnabled()
    assert form.header.title.text() == "Annabelle Smith"
    with qtbot.waitSignal(form.dirty_changed) as back:
        form.revert()
    assert back.args == [False]
    assert given.text() == "Anna" and not form.is_dirty()
    assert get_contact(db, cid).given_name == "Anna"


def test_typing_a_change_back_is_not_dirty(qtbot, db, form):
    form.load(anna(db))
    given = form.names.edits["given_name"]
    qtbot.keyClicks(given, "x")
    assert form.is_dirty()
    qtbot.keyClick(given, Qt.Key.Key_Backspace)
    assert not form.is_dirty()


def test_only_changed_fields_are_written(qtbot, db, form):
    cid = anna(db, notes="line one\r\nline two")  # the editor shows \n only
    form.load(cid)
    assert not form.is_dirty()
    qtbot.keyClicks(form.work.job_title, "Director")
    assert form.save() == cid
    stored = get_contact(db, cid)
    assert stored.job_title == "Director"
    assert stored.notes == "line one\r\nline two"  # untouched, so not rewritten


# -- validation ---------------------------------------------------------------------------


def test_invalid_email_is_marked_and_save_refused(qtbot, db, form):
    cid = anna(db)
    form.load(cid)
    row = add_row(qtbot, form.emails)
    qtbot.keyClicks(row.address, "anna@@example")
    qtbot.waitUntil(lambda: row.address.property("problem") == "error", timeout=3000)
    assert "is not a valid e-mail address" in row.address.toolTip()
    assert any("anna@@example" in m for m in form.banner.messages)

    assert form.save() is None
    assert row.address.text() == "anna@@example"  # nothing typed is lost
    assert form.is_dirty()
    assert [e.address for e in get_contact(db, cid).emails] == ["anna@acme.example"]
    assert form.focusWidget() is row.address  # taken to the field to fix

    row.address.clear()
    qtbot.keyClicks(row.address, "anna@example.com")
    assert form.save() == cid
    assert row.address.property("problem") == ""
    assert not form.banner.isVisible()


def test_unparseable_phone_is_a_warning_and_saved_as_typed(qtbot, db, form):
    form.new_contact()
    qtbot.keyClicks(form.names.edits["given_name"], "Olga")
    row = form.phones.editor.rows()[0]
    qtbot.keyClicks(row.number, "12")
    problems = form.validate_now()
    assert [p.severity for p in problems] == ["warning"]
    assert row.number.property("problem") == "warning"
    assert "kept as typed" in row.number.toolTip()
    new_id = form.save()
    assert new_id is not None
    phone = get_contact(db, new_id).phones[0]
    assert (phone.number, phone.e164) == ("12", None)
    # Loading it again still shows the warning.
    assert form.phones.editor.rows()[0].number.property("problem") == "warning"


def test_impossible_birthday_is_marked(qtbot, db, form):
    form.load(anna(db))
    bday = form.dates.birthday
    set_combo(bday.month, bday.month.itemText(2))  # February
    set_combo(bday.day, "30")
    form.validate_now()
    assert bday.day.property("problem") == "error"
    assert form.save() is None


def test_birthday_without_a_year_and_29_february(qtbot, db, form):
    cid = anna(db)
    form.load(cid)
    bday = form.dates.birthday
    bday.month.setCurrentIndex(2)
    bday.day.setCurrentIndex(bday.day.findData(29))
    assert form.save() == cid
    stored = get_contact(db, cid)
    assert (stored.birthday_year, stored.birthday_month, stored.birthday_day) == (None, 2, 29)
    qtbot.keyClicks(bday.year, "1984")
    assert form.save() == cid
    assert get_contact(db, cid).birthday_year == 1984


def test_service_error_is_shown_plainly_and_nothing_is_lost(qtbot, db, form, dialogs):
    cid = anna(db)
    form.load(cid)
    qtbot.keyClicks(form.names.edits["given_name"], "X")
    trash_contacts(db, [cid])
    purge_contacts(db, [cid])  # gone while the form was open
    assert form.save() is None
    assert dialogs.errors and "no longer exists" in dialogs.errors[0][0]
    assert dialogs.errors[0][1] is None  # a known problem: no traceback
    assert form.names.edits["given_name"].text() == "AnnaX" and form.is_dirty()


# -- the repeatable editors ----------------------------------------------------------------

ROWS = {
    "phones": ("number", ["+370 612 34567", "+7 495 123-45-67"]),
    "emails": ("address", ["a@example.com", "b@example.com"]),
    "links": ("url", ["https://a.example", "https://b.example"]),
}


@pytest.mark.parametrize("attr", list(ROWS))
def test_add_remove_and_set_primary(qtbot, db, form, attr):
    form.new_contact()
    qtbot.keyClicks(form.names.edits["given_name"], "Ivan")
    section = getattr(form, attr)
    field, values = ROWS[attr]
    rows = []
    # A new contact starts with an empty phone and e-mail row: type into that first.
    for value in [*values, "to be removed"]:
        blank = [r for r in section.editor.rows() if r.is_blank() and r not in rows]
        row = blank[0] if blank else add_row(qtbot, section)
        qtbot.keyClicks(getattr(row, field), value)
        rows.append(row)
    assert rows[0].primary.isChecked() and not rows[1].primary.isChecked()
    qtbot.mouseClick(rows[2].remove, Qt.MouseButton.LeftButton)
    assert len(section.editor.rows()) == 2
    qtbot.mouseClick(rows[1].primary, Qt.MouseButton.LeftButton)
    assert rows[1].primary.isChecked() and not rows[0].primary.isChecked()
    new_id = form.save()
    stored = getattr(get_contact(db, new_id), attr)
    assert [(getattr(x, field), x.primary) for x in stored] == [(values[0], False),
                                                                (values[1], True)]
    # Removing the primary entry passes the mark on.
    shown = section.editor.rows()
    qtbot.mouseClick(shown[1].remove, Qt.MouseButton.LeftButton)
    assert section.editor.rows()[0].primary.isChecked()


def test_addresses_add_remove_primary_and_country(qtbot, db, form):
    form.new_contact()
    qtbot.keyClicks(form.names.edits["given_name"], "Wang")
    first = add_row(qtbot, form.addresses)
    qtbot.keyClicks(first.street, "Tverskaya ul. 7, kv. 12")
    qtbot.keyClicks(first.city, "Moscow")
    qtbot.keyClicks(first.postcode, "125009")
    first.country.set_code("RU")
    second = add_row(qtbot, form.addresses)
    qtbot.keyClicks(second.city, "Shanghai")
    second.country.set_code("CN")
    third = add_row(qtbot, form.addresses)
    qtbot.keyClicks(third.city, "Kaunas")
    qtbot.mouseClick(third.remove, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(second.primary, Qt.MouseButton.LeftButton)
    new_id = form.save()
    stored = get_contact(db, new_id).addresses
    assert [(a.city, a.country, a.primary) for a in stored] == [
        ("Moscow", "RU", False), ("Shanghai", "CN", True)]
    assert stored[0].street == "Tverskaya ul. 7, kv. 12"
    assert form.addresses.editor.rows()[0].country.currentText() == "Russia (RU)"


def test_unknown_country_code_is_shown_and_marked_not_dropped(qtbot, db, form):
    cid = anna(db, addresses=[AddressData(city="Vilnius", country="LT")])
    form.load(cid)
    row = form.addresses.editor.rows()[0]
    row.country.set_code("XQ")
    assert row.country.code() == "XQ"
    assert form.save() is None
    assert row.country.property("problem") == "error"


def test_dates_and_relatives_add_and_remove(qtbot, db, form):
    cid = anna(db)
    form.load(cid)
    qtbot.mouseClick(form.dates.add_button, Qt.MouseButton.LeftButton)
    day = form.dates.dates.rows()[-1]
    day.label.set_label("Name day")
    day.date.month.setCurrentIndex(day.date.month.findData(7))
    day.date.day.setCurrentIndex(day.date.day.findData(26))
    qtbot.mouseClick(form.dates.add_button, Qt.MouseButton.LeftButton)
    spare = form.dates.dates.rows()[-1]
    spare.date.month.setCurrentIndex(1)
    spare.date.day.setCurrentIndex(1)
    qtbot.mouseClick(spare.remove, Qt.MouseButton.LeftButton)
    spouse = add_row(qtbot, form.relatives)
    spouse.label.set_label("Spouse")
    qtbot.keyClicks(spouse.name, "John Smith")
    child = add_row(qtbot, form.relatives)
    qtbot.keyClicks(child.name, "Tom")
    qtbot.mouseClick(child.remove, Qt.MouseButton.LeftButton)
    assert form.save() == cid
    stored = get_contact(db, cid)
    assert stored.dates == [DateData("Name day", 7, 26, None)]
    assert stored.relatives == [RelativeData("Spouse", "John Smith", None)]


def test_blank_rows_are_not_part_of_the_record(qtbot, db, form):
    cid = anna(db)
    form.load(cid)
    add_row(qtbot, form.phones)  # clicked, then nothing typed
    add_row(qtbot, form.addresses)
    assert not form.is_dirty()
    assert form.validate_now() == []


def test_linked_relative_keeps_its_link(qtbot, db, form):
    john = anna(db, given_name="John")
    cid = anna(db, relatives=[RelativeData("Spouse", "John Smith", john)])
    form.load(cid)
    qtbot.keyClicks(form.relatives.editor.rows()[0].name, " Jr.")
    assert form.save() == cid
    assert get_contact(db, cid).relatives == [RelativeData("Spouse", "John Smith Jr.", john)]


def test_new_rows_are_in_the_tab_order_where_they_are_seen(qtbot, db, form):
    form.load(anna(db))
    new = add_row(qtbot, form.phones)
    qtbot.wait(10)
    chain = focus_chain(form._stack.widget(1).layout())
    email = form.emails.editor.rows()[0].address
    assert chain.index(new.number) < chain.index(email)
    assert new.number.nextInFocusChain() is not None
    assert chain.index(form.names.edits["given_name"]) < chain.index(new.number)


# -- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("names", [
    dict(given_name="小明", family_name="王", name_order=FAMILY_FIRST),
    dict(given_name="Žydrūnas", family_name="Žukauskas", prefix="Dr."),
    dict(given_name="Иван", middle_name="Петрович", family_name="Сидоров",
         nickname="Ваня"),
])
def test_names_round_trip(qtbot, db, form, names):
    form.new_contact()
    if names.get("name_order") == FAMILY_FIRST:
        form.names.order.setCurrentIndex(form.names.order.findData(FAMILY_FIRST))
    for key, value in names.items():
        if key != "name_order":
            type_into(qtbot, form.names.edits[key], value)
    new_id = form.save()
    stored = get_contact(db, new_id)
    for key, value in names.items():
        assert getattr(stored, key) == value
    form.load(new_id)
    assert not form.is_dirty()
    assert form.header.title.text() == stored.name()


def test_family_first_puts_the_family_name_field_first(qtbot, db, form):
    form.new_contact()
    grid = form.names.grid

    def row_of(key):
        return grid.getWidgetPosition(form.names.edits[key])[0]

    assert row_of("given_name") < row_of("family_name")
    form.names.order.setCurrentIndex(form.names.order.findData(FAMILY_FIRST))
    assert row_of("family_name") < row_of("given_name")
    type_into(qtbot, form.names.edits["family_name"], "王")
    type_into(qtbot, form.names.edits["given_name"], "小明")
    assert form.header.title.text() == "王小明"


def test_huge_notes(qtbot, db, form):
    cid = anna(db)
    form.load(cid)
    text = ("Заметка 笔记 note. " * 60_000)[:1_000_000]
    form.notes.notes.setPlainText(text)
    assert form.is_dirty()
    assert form.save() == cid
    assert get_contact(db, cid).notes == text
    form.notes.notes.setPlainText(text + "x")
    assert form.save() is None  # over the limit: refused, and said why
    assert any("too long" in m for m in form.banner.messages)


def test_a_megabyte_on_one_line_does_not_freeze_the_form(qtbot, db, form):
    """Qt lays out an unbreakable line in quadratic time: minutes for a megabyte. The
    notes are wrapped anywhere while such a line is in them, and at word boundaries
    again after. (How long loading takes is measured by `python -m bench`.)"""
    anywhere = QTextOption.WrapMode.WrapAnywhere
    words = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    big = anna(db, notes="x" * 1_000_000)
    small = anna(db, given_name="Bob", notes="A short note on one line.")
    notes = form.notes.notes
    form.load(big)
    assert notes.wordWrapMode() == anywhere
    qtbot.wait(10)
    form.load(small)
    assert notes.wordWrapMode() == words
    assert notes.toPlainText() == "A short note on one line."
    form.load(big)
    assert notes.wordWrapMode() == anywhere
    assert len(notes.toPlainText()) == 1_000_000 and not form.is_dirty()


# -- tags, status and source ---------------------------------------------------------------


def test_tags_complete_the_word_being_typed(qtbot, db, form):
    anna(db, tags=["newsletter", "vip", "wholesale"])
    form.new_contact()
    tags = form.classes.tags
    qtbot.keyClicks(tags, "vip, new")
    assert tags._completer.completionPrefix() == "new"
    assert tags._completer.currentCompletion() == "newsletter"
    tags.insert_tag("newsletter")
    assert tags.text() == "vip, newsletter, "
    assert tags.tags() == ["vip", "newsletter"]


def test_edit_the_status_list_from_the_form(qtbot, db, form, monkeypatch):
    cid = anna(db)  # status "Lead"
    form.load(cid)
    with db.reading() as s:
        lead = next(c.id for c in list_choices(s, STATUS) if c.name == "Lead")

    def edit(dialog):
        dialog.add_entry("Negotiation")
        dialog.rename_entry(lead, "Enquiry")
        return 1

    monkeypatch.setattr(choice_lists.ChoiceListDialog, "exec", edit)
    combo = form.classes.status
    combo.activated.emit(combo.count() - 1)  # "Edit list..."
    assert combo.currentText() == "Enquiry"
    assert combo.findText("Negotiation") >= 0
    assert not form.is_dirty()  # the list changed, not the contact
    assert get_contact(db, cid).status == "Enquiry"
    set_combo(combo, "Negotiation")
    assert form.save() == cid
    assert get_contact(db, cid).status == "Negotiation"


def test_hidden_status_stays_on_the_contact(qtbot, db, form, monkeypatch):
    cid = anna(db)
    with db.reading() as s:
        lead = next(c.id for c in list_choices(s, STATUS) if c.name == "Lead")
    monkeypatch.setattr(choice_lists.ChoiceListDialog, "exec",
                        lambda dialog: dialog.set_hidden(lead, True) or 1)
    form.load(cid)
    form.classes.status.edit_list()
    assert form.classes.status.value() == "Lead"
    assert "Lead" in form.classes.status.currentText()
    assert not form.is_dirty()
    qtbot.keyClicks(form.work.job_title, "CEO")
    assert form.save() == cid
    assert get_contact(db, cid).status == "Lead"


# -- leaving a dirty record ----------------------------------------------------------------


def test_maybe_save_answers(qtbot, db, form, dialogs):
    cid = anna(db)
    form.load(cid)
    assert form.maybe_save() and dialogs.asked == []  # clean: nothing asked

    given = form.names.edits["given_name"]
    qtbot.keyClicks(given, "1")
    dialogs.answers.append(2)  # Cancel
    assert form.maybe_save() is False
    assert form.is_dirty() and given.text() == "Anna1"
    assert "Anna1 Smith" in dialogs.asked[-1][1]

    dialogs.answers.append(1)  # Discard
    assert form.maybe_save() is True
    assert given.text() == "Anna" and not form.is_dirty()

    qtbot.keyClicks(given, "2")
    dialogs.answers.append(0)  # Save
    assert form.maybe_save() is True
    assert get_contact(db, cid).given_name == "Anna2"


def test_maybe_save_stays_when_saving_fails(qtbot, db, form, dialogs):
    form.load(anna(db))
    qtbot.keyClicks(form.emails.editor.rows()[0].address, "@@")
    dialogs.answers.append(0)  # Save, but the e-mail is invalid
    assert form.maybe_save() is False
    assert form.is_dirty()


def test_maybe_save_through_the_real_message_box(qtbot, db, form, monkeypatch):
    form.load(anna(db))
    qtbot.keyClicks(form.names.edits["given_name"], "X")

    def click_discard(box):
        next(b for b in box.buttons() if b.text() == "Discard changes").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_discard)
    assert form.maybe_save() is True
    assert not form.is_dirty()


def test_clear_and_missing_contact(qtbot, db, form):
    form.load(anna(db))
    form.clear()
    assert form.current_id() is None and not form.is_dirty() and form.save() is None
    form.load(99999)
    assert form.current_id() is None
    assert "no longer exists" in form._placeholder.text()


# -- the photo -----------------------------------------------------------------------------


def test_photo_chosen_saved_and_removed(qtbot, db, form, dialogs, tmp_path):
    cid = anna(db)
    form.load(cid)
    picture = tmp_path / "face.png"
    image = QImage(40, 50, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    assert image.save(str(picture))
    dialogs.files.append(str(picture))
    form.header.photo.choose_file()
    assert form.is_dirty()
    assert form.save() == cid
    stored = get_contact(db, cid)
    assert stored.photo == picture.read_bytes() and stored.photo_mime == "image/png"
    form.header.photo.remove_photo()
    assert form.save() == cid
    assert get_contact(db, cid).photo is None


def test_big_picture_is_scaled_down(qtbot, db, form, tmp_path):
    form.load(anna(db))
    picture = tmp_path / "camera.jpg"
    image = QImage(3000, 2000, QImage.Format.Format_RGB32)
    image.fill(QColor("#aa6633"))
    assert image.save(str(picture), "JPEG")
    assert form.header.photo.set_photo_file(picture)
    photo, mime = form.header.photo.photo()
    scaled = QImage.fromData(photo)
    assert scaled.width() == 1024 and scaled.height() in (682, 683) and mime == "image/jpeg"


def test_photo_too_large_or_not_an_image_is_refused(qtbot, db, form, dialogs, tmp_path):
    form.load(anna(db))
    huge = tmp_path / "huge.jpg"
    with open(huge, "wb") as fh:
        fh.truncate(11 * 1024 * 1024)
    assert form.header.photo.set_photo_file(huge) is False
    assert "too large" in dialogs.errors[-1][0]
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    assert form.header.photo.set_photo_file(text) is False
    assert "not a picture" in dialogs.errors[-1][0]
    assert form.header.photo.photo() == (None, "") and not form.is_dirty()


# -- how it looks --------------------------------------------------------------------------


def test_screenshot_of_a_filled_form(qtbot, db, form, tmp_path, pictures):
    picture = tmp_path / "face.png"
    image = QImage(120, 120, QImage.Format.Format_RGB32)
    image.fill(QColor("#5a88c6"))
    image.save(str(picture))
    cid = create_contact(db, ContactData(
        prefix="", given_name="Jonas", family_name="Kazlauskas", company="Vilniaus prekyba UAB",
        job_title="Pardavimų vadovas", department="Didmeninė prekyba", status="Customer",
        source="Trade show", birthday_month=3, birthday_day=14,
        phones=[PhoneData("+370 612 34567", "Mobile", True), PhoneData("8 5 212 3456", "Work")],
        emails=[EmailData("jonas@vp.example", "Work", True)],
        addresses=[AddressData("Gedimino pr. 9-12", "Vilnius", "Vilniaus apskr.", "LT-01103",
                               "LT", "Work", True)],
        links=[LinkData("https://vp.example", "Website", True)],
        dates=[DateData("Name day", 3, 4)],
        relatives=[RelativeData("Spouse", "Ona Kazlauskienė")],
        tags=["vip", "newsletter"],
        notes="Met at the Vilnius trade fair.\nPrefers calls in the morning."))
    form.resize(560, 1560)
    form.load(cid)
    form.header.photo.set_photo_file(picture)
    form.emails.editor.add_row().address.setText("jonas@@gmail")
    form.validate_now()
    qtbot.wait(50)  # let the layouts settle, as the event loop would
    image = pictures.grab(form, "contact_form")
    assert (image.width(), image.height()) == (560, 1560)
    # What the user sees: the name on top, the photo, the problem with the e-mail typed
    # last, and the fields filled in.
    assert form.header.title.text() == "Jonas Kazlauskas"
    assert form.header.subtitle.text() == ("Pardavimų vadovas, Didmeninė prekyba · "
                                           "Vilniaus prekyba UAB")
    assert form.banner.isVisible() and any("jonas@@gmail" in m for m in form.banner.messages)
    assert form.header.photo.photo()[0] is not None
    assert form.work.job_title.text() == "Pardavimų vadovas"
    for part in (form.header.title, form.header.subtitle, form.header.photo, form.banner,
                 form.names.edits["family_name"], form.work.job_title,
                 form.emails.editor.rows()[-1].address, form.notes.notes):
        pictures.assert_painted(image, part, form)
    zh = create_contact(db, ContactData(
        given_name="小明", family_name="王", name_order=FAMILY_FIRST, company="上海贸易有限公司",
        job_title="采购经理", phones=[PhoneData("+86 21 6321 5678", "Work", True)],
        addresses=[AddressData("南京东路 100 号", "上海", "上海市", "200001", "CN", "Work")]))
    form.resize(560, 900)
    form.load(zh)
    qtbot.wait(50)
    image = pictures.grab(form, "contact_form_zh")
    assert (image.width(), image.height()) == (560, 900)
    assert form.header.title.text() == "王小明"  # family name first, no space
    assert not form.banner.isVisible()
    pictures.assert_painted(image, form.header.title, form)
    pictures.assert_painted(image, form.header.photo, form)  # the initials, as no photo


def test_a_new_contact_like_one_already_there_is_said_not_refused(qtbot, db, form):
    create_contact(db, ContactData(given_name="Jonas", family_name="Kazlauskas",
                                   emails=[EmailData("jonas@vp.example")]))
    form.new_contact()
    qtbot.keyClicks(form.names.edits["given_name"], "JONAS")
    qtbot.keyClicks(form.names.edits["family_name"], "kazlauskas")
    problems = form.validate_now()
    warnings = [p.message for p in problems if p.severity == "warning"]
    assert warnings == ["This looks like Jonas Kazlauskas, already in the file (the same "
                        "name). Save anyway if it is someone else."]
    email = form.emails.editor.rows()[0]
    qtbot.keyClicks(email.address, "Jonas@VP.example")
    warnings = [p.message for p in form.validate_now() if p.severity == "warning"]
    assert "(the same e-mail, the same name)" in warnings[0]
    new_id = form.save()  # a warning does not stop it: two people may share a name
    assert new_id is not None
    # an existing contact is not warned about itself
    assert not [p for p in form.validate_now() if p.severity == "warning"]
