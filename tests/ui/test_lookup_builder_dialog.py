"""Edit > Build Lookup…: a lookup clicked and typed together as rows, the text written
live underneath with its count, OK searching with it; the box's own text opened as rows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from crmdesk.core.contacts.records import AddressData, ContactData, create_contact
from crmdesk.core.fields import service as fields
from crmdesk.core.history.records import InteractionData, log_interaction
from crmdesk.ui.contacts.lookup_builder import GroupWidget, LookupBuilder, RowWidget

WANTED = "status:Customer city:Vilnius (last_contact<last-60-days OR missing:last_contact)"


def drive(monkeypatch, qtbot, interact):
    """Open the builder as the window does, but let the test work it instead of a
    person (a modal exec would wait for clicks that never come)."""
    opened: list[LookupBuilder] = []

    def fake_exec(self):  # noqa: ANN001
        opened.append(self)  # (the window deletes it afterwards)
        self.show()
        qtbot.waitExposed(self)
        self.activateWindow()
        qtbot.waitUntil(self.isActiveWindow)
        interact(self)
        return self.result()

    monkeypatch.setattr(LookupBuilder, "exec", fake_exec)
    return opened


def counted(dialog: LookupBuilder, text: str) -> bool:
    dialog.wait_counted()
    return dialog.count_label.text() == text


def rows_of(dialog: LookupBuilder) -> list[tuple[str, str, str]]:
    return [(r.field.currentText(), r.operator.currentText(), r.value_box.value())
            for r in dialog.row_widgets()]


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an entry of a drop-down with the keyboard: type the start of its first word
    (a space would open the list), then the down arrow until it is there."""
    combo.setFocus()
    qtbot.keyClicks(combo, text.split()[0])
    for _ in range(8):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def contacted(db, who: int, days_ago: int) -> None:
    with db.session() as s:
        log_interaction(s, InteractionData(kind="Call", outcome="Reached",
                                           at=datetime.now() - timedelta(days=days_ago),
                                           contact_ids=[who]))


@pytest.fixture
def crm(db, people):
    """The PEOPLE (Zuikis: a customer in Vilnius, never contacted), and two more
    customers in Vilnius: one called 100 days ago, one called today."""
    ids = dict(people)
    for given, family in (("Rūta", "Jonaitytė"), ("Laura", "Laurinaitė")):
        ids[family] = create_contact(db, ContactData(
            given_name=given, family_name=family, status="Customer",
            addresses=[AddressData(city="Vilnius")]))
    contacted(db, ids["Jonaitytė"], 100)
    contacted(db, ids["Laurinaitė"], 0)
    return ids


def test_a_lookup_built_with_mouse_and_keyboard_searches_the_list(
        qtbot, db, crm, make_window, monkeypatch, pictures):
    window = make_window(db)
    window.resize(1024, 600)
    view = window.contacts
    qtbot.waitUntil(lambda: view.model.rowCount() == 10, timeout=5000)

    def build(dialog: LookupBuilder) -> None:
        first = dialog.row_widgets()[0]
        assert first.field.hasFocus()  # ready to type
        assert dialog.text_view.toPlainText() == ""
        choose(qtbot, first.field, "Status")
        assert first.operator.currentText() == "is"
        assert first.value_box.combo is not None  # the list's entries, to pick from
        entries = [first.value_box.combo.itemText(i)
                   for i in range(first.value_box.combo.count())]
        assert "Customer" in entries and "Lead" in entries
        qtbot.keyClick(first.field, Qt.Key.Key_Tab)
        qtbot.keyClick(first.operator, Qt.Key.Key_Tab)
        value = first.value_box.combo.lineEdit()
        assert value.hasFocus()
        qtbot.keyClicks(value, "Customer")
        assert dialog.text_view.toPlainText() == "status:Customer"

        qtbot.mouseClick(dialog.root.add_row_button, Qt.MouseButton.LeftButton)
        city = dialog.row_widgets()[1]
        assert city.field.hasFocus()
        choose(qtbot, city.field, "City")
        assert city.operator.currentText() == "contains"
        qtbot.keyClick(city.field, Qt.Key.Key_Tab)
        qtbot.keyClick(city.operator, Qt.Key.Key_Tab)
        qtbot.keyClicks(city.value_box.edit, "Vilnius")
        assert dialog.text_view.toPlainText() == "status:Customer city:Vilnius"

        qtbot.mouseClick(dialog.root.add_group_button, Qt.MouseButton.LeftButton)
        group = dialog.root.children_widgets()[2]
        assert isinstance(group, GroupWidget) and group.match.currentText() == "any"
        before = dialog.row_widgets()[2]
        choose(qtbot, before.field, "Last contact")
        choose(qtbot, before.operator, "is before")
        qtbot.keyClicks(before.value_box.edit, "last-60-days")
        qtbot.mouseClick(group.add_row_button, Qt.MouseButton.LeftButton)
        never = dialog.row_widgets()[3]
        choose(qtbot, never.field, "Last contact")
        choose(qtbot, never.operator, "is empty")
        assert not never.value_box.isVisible()  # nothing to type
        assert dialog.text_view.toPlainText() == WANTED
        # The text is there to read and copy, not to edit, in a monospace font.
        assert dialog.text_view.isReadOnly()
        metrics = dialog.text_view.fontMetrics()
        assert metrics.horizontalAdvance("iiii") == metrics.horizontalAdvance("WWWW")
        qtbot.waitUntil(lambda: counted(dialog, "2 contacts match"), timeout=5000)
        pictures.grab(dialog, "lookup_builder_1024x600")
        assert dialog.width() <= 1024 and dialog.height() <= 600
        # Enter in a value box is OK.
        before.value_box.edit.setFocus()
        qtbot.keyClick(before.value_box.edit, Qt.Key.Key_Return)

    opened = drive(monkeypatch, qtbot, build)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.search_box, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert len(opened) == 1 and opened[0].result() == 1
    assert window.search_box.text() == WANTED
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    assert sorted(view.model.ids()) == sorted([crm["Zuikis"], crm["Jonaitytė"]])
    pictures.grab(window, "lookup_built_1024x600")


def test_it_opens_on_the_box_text_as_rows_and_cancel_changes_nothing(
        qtbot, db, crm, make_window, monkeypatch):
    window = make_window(db)
    window.search_box.setText(WANTED)
    window.apply_search()
    seen: list[list[tuple[str, str, str]]] = []

    def look(dialog: LookupBuilder) -> None:
        seen.append(rows_of(dialog))
        assert dialog.text_view.toPlainText() == WANTED
        assert not dialog.problem_box.isVisible()
        group = dialog.root.children_widgets()[2]
        assert isinstance(group, GroupWidget) and group.match.currentText() == "any"
        qtbot.waitUntil(lambda: counted(dialog, "2 contacts match"), timeout=5000)
        # A change, then Cancel: the box keeps its text.
        qtbot.mouseClick(dialog.row_widgets()[0].remove, Qt.MouseButton.LeftButton)
        assert dialog.text_view.toPlainText().startswith("city:Vilnius (")
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    drive(monkeypatch, qtbot, look)
    window.build_lookup_button.click()
    assert seen == [[("Status", "is", "Customer"), ("City", "contains", "Vilnius"),
                     ("Last contact", "is before", "last-60-days"),
                     ("Last contact", "is empty", "")]]
    assert window.search_box.text() == WANTED


def test_ok_without_changes_keeps_the_text_as_typed(qtbot, db, crm, make_window, monkeypatch):
    window = make_window(db)
    typed = "status:Customer AND city:vilnius"
    window.search_box.setText(typed)

    def ok(dialog: LookupBuilder) -> None:
        assert dialog.text_view.toPlainText() == typed
        # Enter in a drop-down one can type into is OK too.
        value = dialog.row_widgets()[0].value_box.combo.lineEdit()
        value.setFocus()
        qtbot.keyClick(value, Qt.Key.Key_Return)
        assert dialog.result() == 1

    drive(monkeypatch, qtbot, ok)
    window.build_lookup_action.trigger()
    assert window.search_box.text() == typed


@pytest.mark.parametrize("typed, why", [
    ("status:Customer (city:Vilnius", "The parenthesis is never closed at position 17."),
    ("colour:red", "There is no field 'colour'."),
    ("status<Customer", "Status cannot be compared with '<'."),
])
def test_text_rows_cannot_show_is_explained_and_kept(qtbot, db, people, make_window,
                                                     monkeypatch, typed, why, pictures):
    window = make_window(db)
    window.search_box.setText(typed)

    def keep(dialog: LookupBuilder) -> None:
        assert dialog.problem_box.isVisible()
        assert why in dialog.problem_label.text()
        assert "cannot be shown as rows" in dialog.problem_label.text()
        assert not dialog.ok_button.isEnabled()
        assert dialog.text_view.toPlainText() == typed
        if "colour" in typed:
            pictures.grab(dialog, "lookup_builder_cannot_show")
        qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)

    drive(monkeypatch, qtbot, keep)
    window.build_lookup()
    assert window.search_box.text() == typed


def test_start_afresh_gives_empty_rows(qtbot, db, people, make_window, monkeypatch):
    window = make_window(db)
    window.search_box.setText("(unclosed")

    def fresh(dialog: LookupBuilder) -> None:
        qtbot.mouseClick(dialog.fresh_button, Qt.MouseButton.LeftButton)
        assert not dialog.problem_box.isVisible()
        assert rows_of(dialog) == [("Any field", "contains", "")]
        assert dialog.ok_button.isEnabled()
        row = dialog.row_widgets()[0]
        row.value_box.edit.insert("Иванов")  # as a keyboard layout types it (QtTest: ASCII)
        qtbot.waitUntil(lambda: counted(dialog, "1 contact matches"), timeout=5000)
        qtbot.keyClick(row.value_box.edit, Qt.Key.Key_Enter)

    drive(monkeypatch, qtbot, fresh)
    window.build_lookup()
    assert window.search_box.text() == "Иванов"


def test_every_script_and_custom_fields_named_in_cyrillic(qtbot, db, people):
    with db.session() as s:
        fields.add_field(s, fields.CONTACT, "Дата договора", fields.DATE)
        fields.add_field(s, fields.CONTACT, "Отрасль", fields.CHOICE,
                         options=["Торговля", "物流"])
        fields.add_field(s, fields.CONTACT, "Fleet size", fields.NUMBER)
        fields.set_values(s, fields.CONTACT, people["Иванов"],
                          {"data_dogovora": "2026-01-10", "otrasl": "物流"})
    dialog = LookupBuilder(db, "дата_договора<2026-06 отрасль:物流 Иванов")
    qtbot.addWidget(dialog)
    dialog.show()
    assert rows_of(dialog) == [("Дата договора", "is before", "2026-06"),
                               ("Отрасль", "is", "物流"), ("Any field", "contains", "Иванов")]
    qtbot.waitUntil(lambda: counted(dialog, "1 contact matches"), timeout=5000)
    # The choices of the user's own list, to pick from.
    box = dialog.row_widgets()[1].value_box.combo
    assert [box.itemText(i) for i in range(box.count())] == ["Торговля", "物流"]
    # A field keeps the name the text gave it; one picked here is written by its key.
    dialog.row_widgets()[2].value_box.edit.setText("王 小明")
    assert dialog.text_view.toPlainText() == 'дата_договора<2026-06 отрасль:物流 "王 小明"'
    qtbot.waitUntil(lambda: counted(dialog, "0 contacts match"), timeout=5000)
    field = dialog.row_widgets()[2].field
    field.setCurrentIndex(field.findText("Отрасль"))  # (QtTest types ASCII only)
    assert dialog.text_view.toPlainText() == 'дата_договора<2026-06 отрасль:物流 otrasl:"王 小明"'


def test_values_are_checked_and_typed_dates_written_as_the_lookup_writes_them(
        qtbot, db, people):
    with db.session() as s:
        fields.add_field(s, fields.CONTACT, "Fleet size", fields.NUMBER)
    dialog = LookupBuilder(db, "fleet_size>x")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    row = dialog.row_widgets()[0]
    assert dialog.count_label.text() == "Fleet size: 'x' is not a number."
    assert not dialog.ok_button.isEnabled()  # not until it is a number
    row.value_box.edit.setText("10")
    assert dialog.ok_button.isEnabled()
    qtbot.waitUntil(lambda: counted(dialog, "0 contacts match"), timeout=5000)
    choose(qtbot, row.field, "Created")
    assert row.operator.currentText() == "is in"
    row.value_box.edit.setFocus()
    row.value_box.edit.setText("31.12.2026")
    row.value_box.edit.editingFinished.emit()
    assert row.value_box.value() == "2026-12-31"
    assert dialog.text_view.toPlainText() == "created:2026-12-31"
    row.value_box.edit.setText("soon")
    assert "'soon' is not a date." in dialog.count_label.text()
    # A blank value is a row still being made: left out of the text.
    row.value_box.edit.setText("")
    assert dialog.text_view.toPlainText() == ""


def test_removing_and_nesting_keep_the_tab_order(qtbot, db, people):
    dialog = LookupBuilder(db, "city:Vilnius (tag:a OR tag:b)")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.root.add_row(focus=True)
    qtbot.waitUntil(lambda: dialog.row_widgets()[-1].isVisible())
    chain = []
    widget = dialog.row_widgets()[0].field
    widget.setFocus()
    for _ in range(40):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible()
                   and widget.isEnabled()):
            widget = widget.nextInFocusChain()
        if widget is dialog.ok_button:
            break
    rows = dialog.row_widgets()
    order = [w for w in chain if any(w in (r.field, r.operator) for r in rows)]
    assert order == [w for r in rows for w in (r.field, r.operator)]
    assert isinstance(rows[-1], RowWidget) and rows[-1].field in chain


def test_counting_never_holds_up_typing(qtbot, db, people, monkeypatch):
    """The count runs on the reader thread: a slow one (a big file) leaves the rows and
    the text answering at once, and only the latest rows' count is shown."""
    import threading
    import time

    from crmdesk.ui.contacts import lookup_builder

    real = lookup_builder.find_ids
    threads: list[str] = []

    def slow(session, entity, text, **kw):  # noqa: ANN001, ANN003
        threads.append(threading.current_thread().name)
        time.sleep(0.4)
        return real(session, entity, text, **kw)

    monkeypatch.setattr(lookup_builder, "find_ids", slow)
    dialog = LookupBuilder(db, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    row = dialog.row_widgets()[0]
    choose(qtbot, row.field, "City")
    started = time.perf_counter()
    qtbot.keyClicks(row.value_box.edit, "Vilnius")
    assert time.perf_counter() - started < 0.4  # no keystroke waited for a count
    assert dialog.text_view.toPlainText() == "city:Vilnius"
    assert dialog.count_label.text() == "Counting…"
    qtbot.waitUntil(lambda: dialog.count_label.text() == "2 contacts match", timeout=5000)
    assert threads and all(name == "crmdesk-reader" for name in threads)


def test_in_the_companies_view_it_builds_a_companies_lookup(qtbot, db, people, make_window,
                                                            monkeypatch):
    window = make_window(db)
    assert window.show_view(window.companies)
    window.search_box.setText("name:acme")

    def look(dialog: LookupBuilder) -> None:
        assert dialog.entity == "company"
        fields_offered = [dialog.row_widgets()[0].field.itemText(i)
                          for i in range(dialog.row_widgets()[0].field.count())]
        assert "Industry" in fields_offered and "Status" not in fields_offered
        qtbot.waitUntil(lambda: counted(dialog, "1 company matches"), timeout=5000)
        dialog.reject()

    drive(monkeypatch, qtbot, look)
    window.build_lookup_action.trigger()
    assert window.search_box.text() == "name:acme"


def test_a_day_picked_on_the_calendar_is_written_as_the_lookup_writes_days(qtbot, db, people):
    from PySide6.QtCore import QDate

    dialog = LookupBuilder(db, "created>2026-03")
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.row_widgets()[0].value_box
    assert box.calendar_button is not None and box.calendar_button.toolTip() == "Pick a day"
    box._calendar_opened(box.calendar)
    assert box.calendar.selectedDate() == QDate(2026, 3, 1)  # where the box's date is
    box.calendar.clicked.emit(QDate(2026, 4, 30))
    assert dialog.text_view.toPlainText() == "created>2026-04-30"
