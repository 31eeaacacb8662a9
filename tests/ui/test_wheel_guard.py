"""The mouse wheel over a form scrolls the form; it changes no drop-down, spin box,
date or slider the user has not focused (crmdesk.ui.common.wheel_guard)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, QPoint, QPointF, Qt, QTime
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    DateData,
    EmailData,
    PhoneData,
    create_contact,
)
from crmdesk.core.fields import service as fields
from crmdesk.ui.common.field_editors import LabelCombo
from crmdesk.ui.common.wheel_guard import guarded
from crmdesk.ui.contacts.form import ContactForm


@pytest.fixture
def custom(db):
    """A custom contact field of every type."""
    with db.session() as s:
        club = fields.add_section(s, fields.CONTACT, "Club")
        fields.add_field(s, fields.CONTACT, "Member number", fields.NUMBER, section_id=club.id)
        fields.add_field(s, fields.CONTACT, "Joined", fields.DATE, section_id=club.id)
        fields.add_field(s, fields.CONTACT, "Level", fields.CHOICE, section_id=club.id,
                         options=["Bronze", "Silver", "Gold"])
        fields.add_field(s, fields.CONTACT, "Sports", fields.MULTI_CHOICE,
                         section_id=club.id, options=["Golf", "Tennis", "Chess"])
        fields.add_field(s, fields.CONTACT, "Credit limit", fields.MONEY,
                         section_id=club.id, currency="EUR")
        fields.add_field(s, fields.CONTACT, "Paid up", fields.YES_NO, section_id=club.id)
        fields.add_field(s, fields.CONTACT, "Billing notes", fields.LONG_TEXT,
                         section_id=club.id)
        fields.add_field(s, fields.CONTACT, "Nickname at club", fields.TEXT)


@pytest.fixture
def form(qtbot, db, custom):
    cid = create_contact(db, ContactData(
        given_name="Anna", family_name="Smith", status="Customer", company="",
        birthday_month=3, birthday_day=5,
        phones=[PhoneData("+1 617 555 0100", label="work")],
        emails=[EmailData("anna@example.com", label="home")],
        addresses=[AddressData(city="Boston", country="US", label="home")],
        dates=[DateData("Anniversary", 6, 1, 2010)]))
    widget = ContactForm(db)
    qtbot.addWidget(widget)
    widget.resize(620, 520)  # shorter than the form: it scrolls
    widget.show()
    qtbot.waitExposed(widget)
    widget.load(cid)
    return widget


def state(widget: QWidget) -> Any:
    """What the user sees in a value widget."""
    if isinstance(widget, QComboBox):
        return widget.currentIndex(), widget.currentText()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    assert isinstance(widget, QAbstractSlider)
    return widget.value()


def wheel(widget: QWidget, notches: int, *, direct: bool = False) -> None:
    """Wheel ``notches`` (negative: towards the user, scrolling down) with the pointer
    in the middle of ``widget``, delivered as the platform does: to the window, which
    passes it to the widget under the pointer (``direct``: to ``widget`` itself)."""
    window = widget.window()
    shown = widget.visibleRegion().boundingRect()
    assert not shown.isEmpty(), f"{widget} is scrolled out of sight"
    local = QPointF(shown.center())
    at = QPointF(widget.mapTo(window, local.toPoint()))
    event = QWheelEvent(at, QPointF(widget.mapToGlobal(local.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    if direct:
        event = QWheelEvent(local, event.globalPosition(), QPoint(0, 0), QPoint(0, 120 * notches),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)
    else:
        QApplication.sendEvent(window.windowHandle(), event)


def scroll_area(form: QWidget) -> QScrollArea:
    areas = [a for a in form.findChildren(QScrollArea) if a.isVisible()
             and a.verticalScrollBar().maximum() > 0]
    assert areas, "the form does not scroll at this size"
    return areas[0]


def value_widgets(form: QWidget) -> list[QWidget]:
    return [w for w in form.findChildren(QWidget) if guarded(w) and w.isVisibleTo(form)]


def test_the_wheel_scrolls_the_contact_form_and_changes_nothing(qtbot, form, pictures):
    area = scroll_area(form)
    bar = area.verticalScrollBar()
    widgets = value_widgets(form)
    kinds = {type(w).__name__ for w in widgets}
    # The status, company, label boxes, countries, birthday parts, custom choices.
    assert {"QComboBox", "LabelCombo", "CountryCombo"} <= kinds, kinds
    assert form.work.company in widgets and any(isinstance(w, LabelCombo) for w in widgets)
    before_data, before_custom = form.read(), form.custom_values()
    before = {id(w): state(w) for w in widgets}
    assert before_data.status == "Customer" and before_data.company == ""
    assert [e.label for e in before_data.emails] == ["home"]
    if QApplication.focusWidget() is not None:
        QApplication.focusWidget().clearFocus()
    for direct in (False, True):
        for widget in widgets:
            area.ensureWidgetVisible(widget)
            start = bar.value()
            notches = -3 if start < bar.maximum() else 3
            wheel(widget, notches, direct=direct)
            assert state(widget) == before[id(widget)], f"the wheel changed {widget}"
            assert not widget.hasFocus(), f"the wheel gave {widget} the focus"
            moved = bar.value() - start
            assert (moved > 0) if notches < 0 else (moved < 0), f"no scroll over {widget}"
    # A real wheel gives the focus to a WheelFocus widget before anyone can refuse it.
    assert [w for w in widgets if w.focusPolicy() == Qt.FocusPolicy.WheelFocus] == []
    assert {id(w): state(w) for w in widgets} == before
    assert form.read() == before_data and form.custom_values() == before_custom
    assert not form.is_dirty()
    pictures.grab(form, "contact_form_after_wheel")


def test_a_focused_drop_down_still_answers_the_wheel(qtbot, form):
    status = form.classes.status
    assert status.currentText() == "Customer" and status.currentIndex() + 1 < status.count()
    area = scroll_area(form)
    area.ensureWidgetVisible(status)
    status.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(status.hasFocus)
    index = status.currentIndex()
    start = area.verticalScrollBar().value()
    wheel(status, -1)
    assert status.currentIndex() == index + 1
    assert area.verticalScrollBar().value() == start


def test_every_kind_of_value_widget_is_guarded(qtbot):
    """Spin boxes, date-time boxes and sliders too (not on the contact form today)."""
    outer = QScrollArea()
    qtbot.addWidget(outer)
    inner = QWidget()
    column = QVBoxLayout(inner)
    spin, double, when, slider = QSpinBox(), QDoubleSpinBox(), QDateTimeEdit(), QSlider()
    spin.setValue(5)
    double.setValue(2.5)
    when.setDateTime(QDateTime(QDate(2026, 3, 2), QTime(9, 30)))
    slider.setValue(40)
    for widget in (spin, double, when, slider):
        widget.setMinimumHeight(150)
        column.addWidget(widget)
    outer.setWidget(inner)
    outer.resize(300, 200)
    outer.show()
    qtbot.waitExposed(outer)
    outer.setFocus()  # not one of the value boxes
    bar = outer.verticalScrollBar()
    for direct in (False, True):
        for widget in (spin, double, when, slider):
            outer.ensureWidgetVisible(widget)
            before, start = state(widget), bar.value()
            notches = -1 if start < bar.maximum() else 1
            wheel(widget, notches, direct=direct)
            assert state(widget) == before, widget
            assert bar.value() != start, widget
    for widget, after in ((spin, "6"), (slider, 40 + QApplication.wheelScrollLines())):
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        outer.ensureWidgetVisible(widget)
        start = bar.value()
        wheel(widget, 1, direct=True)  # the focused box takes the wheel
        assert state(widget) == after
        assert bar.value() == start


def test_a_label_box_keeps_the_label_as_typed(qtbot, form):
    """Passing through an e-mail's label (click, then Tab) leaves "home" alone, and
    typing "home" is not completed into the list's "Home"."""
    [row] = form.emails.editor.rows()
    label = row.label
    assert label.label() == "home" and label.findText("Home") >= 0
    scroll_area(form).ensureWidgetVisible(label)
    qtbot.mouseClick(label.lineEdit(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(label.hasFocus)
    qtbot.keyClick(label.lineEdit(), Qt.Key.Key_Tab)
    assert not label.hasFocus()
    assert label.label() == "home" and not form.is_dirty()
    assert [e.label for e in form.read().emails] == ["home"]
    label.setFocus()
    label.lineEdit().selectAll()
    qtbot.keyClicks(label.lineEdit(), "work")
    qtbot.keyClick(label.lineEdit(), Qt.Key.Key_Tab)
    assert [e.label for e in form.read().emails] == ["work"]
