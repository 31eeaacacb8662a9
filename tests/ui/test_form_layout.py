"""The contact and company forms in the main window at the sizes shop owners use:
no sideways scrolling, Save always in sight, the most used fields first and the
rare name parts folded away until needed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea

from crmdesk.core.contacts.records import ContactData, PhoneData, create_contact, get_contact
from crmdesk.ui.common.form_sections import focus_chain
from crmdesk.ui.contacts.form import RARE_NAME_PARTS

SIZES = [(1024, 600), (1366, 768)]


def shown_in(widget, window) -> bool:
    """Visible, and drawn wholly inside the window."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    return widget.isVisible() and window.rect().contains(QRect(top_left, widget.size()))


def open_contact(qtbot, window, contact_id: int, size: tuple[int, int]):
    window.resize(*size)
    assert window.contacts.show_contact(contact_id)
    qtbot.wait(50)  # let the layouts settle, as the event loop would
    form = window.contacts.form
    assert form.current_id() == contact_id
    return form


def no_sideways_scrolling(form) -> None:
    """No horizontal scroll bar in the form nor in any pane around it."""
    areas = [form._scroll]
    parent = form.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            areas.append(parent)
        parent = parent.parentWidget()
    assert len(areas) > 1  # the detail pane scrolls the form: that one too
    for area in areas:
        assert not area.horizontalScrollBar().isVisible()
    inner = form._scroll.widget()
    assert inner.width() <= form._scroll.viewport().width()
    assert inner.minimumSizeHint().width() <= form._scroll.viewport().width()


@pytest.mark.parametrize("size", SIZES)
def test_contact_form_fits_and_save_is_in_sight(qtbot, window, people, size):
    form = open_contact(qtbot, window, people["Smith"], size)
    no_sideways_scrolling(form)
    for button in (form.save_button, form.revert_button):
        assert shown_in(button, window)
    qtbot.keyClicks(form.work.job_title, "Buyer")
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert get_contact(window.db, people["Smith"]).job_title == "Buyer"


@pytest.mark.parametrize("size", SIZES)
def test_company_form_fits_and_save_is_in_sight(qtbot, window, people, size):
    window.resize(*size)
    window.show_view(window.companies)
    qtbot.waitUntil(lambda: window.companies.model.rowCount() > 0)
    window.companies.list.setCurrentIndex(window.companies.model.index(0, 0))
    qtbot.wait(50)
    form = window.companies.form
    assert form.current_id() is not None
    no_sideways_scrolling(form)
    assert shown_in(form.save_button, window)


def test_narrow_pane_puts_labels_above_and_wide_beside(qtbot, window, people):
    form = open_contact(qtbot, window, people["Smith"], (1024, 600))
    given = form.names.edits["given_name"]
    label = form.names.labels["given_name"]
    assert form.is_compact() and label.y() < given.y()
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: not form.is_compact())
    qtbot.wait(50)
    assert label.x() < given.x() and abs(label.y() - given.y()) < given.height()
    no_sideways_scrolling(form)


def rare_shown(form) -> list[bool]:
    widgets = [form.names.order if k == "name_order" else form.names.edits[k]
               for k in RARE_NAME_PARTS]
    return [w.isVisible() for w in widgets]


def test_rare_name_parts_fold_away_and_unfold(qtbot, db, make_window, people):
    with_middle = create_contact(db, ContactData(given_name="Ivan", middle_name="Petrovich",
                                                 family_name="Sidorov"))
    window = make_window(db)
    form = open_contact(qtbot, window, people["Smith"], (1366, 768))
    assert rare_shown(form) == [False] * 5
    assert form.names.edits["given_name"].isVisible()
    assert form.work.company.isVisible()
    assert form.names.more.text() == "More name fields"

    form = open_contact(qtbot, window, with_middle, (1366, 768))
    assert rare_shown(form) == [True] * 5

    form = open_contact(qtbot, window, people["Smith"], (1366, 768))
    assert rare_shown(form) == [False] * 5
    form.names.more.setFocus(Qt.FocusReason.TabFocusReason)  # it takes keyboard focus
    assert form.names.more.hasFocus()
    qtbot.keyClick(form.names.more, Qt.Key.Key_Space)
    assert rare_shown(form) == [True] * 5
    qtbot.keyClicks(form.names.edits["middle_name"], "Marie")
    qtbot.keyClicks(form.names.edits["nickname"], "Annie")
    assert form.save() == people["Smith"]
    stored = get_contact(db, people["Smith"])
    assert (stored.middle_name, stored.nickname) == ("Marie", "Annie")
    assert rare_shown(form) == [True] * 5  # it has them now


def test_folded_fields_are_out_of_the_tab_order(qtbot, window, people):
    form = open_contact(qtbot, window, people["Smith"], (1366, 768))
    chain = focus_chain(form._stack.widget(1).layout())
    assert form.names.more in chain
    assert form.names.edits["middle_name"] not in chain
    form.names.unfold()
    chain = focus_chain(form._stack.widget(1).layout())
    assert form.names.edits["middle_name"] in chain


def test_most_used_fields_come_first(qtbot, window, people):
    form = open_contact(qtbot, window, people["Smith"], (1366, 768))
    inner = form._scroll.widget()

    def y(widget) -> int:
        return widget.mapTo(inner, QPoint(0, 0)).y()

    order = [form.names.edits["given_name"], form.work.company, form.phones, form.emails,
             form.addresses, form.classes.status, form.work.job_title, form.links,
             form.dates, form.relatives, form.notes]
    ys = [y(w) for w in order]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)


@pytest.mark.parametrize("lang", ["en", "lt"])
@pytest.mark.parametrize("size", SIZES)
def test_screenshots(qtbot, db, make_window, pictures, size, lang):
    # There is no Lithuanian catalogue in resources/locale (only crmdesk.pot): the
    # texts stay English, the dates follow the Lithuanian Qt locale.
    saved = QLocale()
    QLocale.setDefault(QLocale("lt_LT" if lang == "lt" else "en_US"))
    try:
        contact = create_contact(db, ContactData(
            given_name="Jonas", family_name="Kazlauskas", company="Vilniaus prekyba UAB",
            job_title="Pardavimų vadovas", status="Customer",
            phones=[PhoneData("+370 612 34567", "Mobile", True)]))
        window = make_window(db)
        form = open_contact(qtbot, window, contact, size)
        no_sideways_scrolling(form)
        assert shown_in(form.save_button, window)
        image = pictures.grab(window, f"contact_{size[0]}x{size[1]}_{lang}")
        pictures.assert_painted(image, form.save_button, window)
        pictures.assert_painted(image, form.names.more, window)
    finally:
        QLocale.setDefault(saved)


@pytest.mark.parametrize("size", SIZES)
def test_pictures_in_english(qtbot, window, people, pictures, size):
    """The form and the list as an English-speaking user sees them, to look at (the
    Lithuanian ones: test_lithuanian.py)."""
    form = open_contact(qtbot, window, people["Smith"], size)
    no_sideways_scrolling(form)
    width, height = size
    image = pictures.grab(window, f"en_contacts_{width}x{height}")
    assert (image.width(), image.height()) == size
    pictures.assert_painted(image, window.contacts.list.viewport(), window)
