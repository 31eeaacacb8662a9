"""Tools > Fields: the custom-field editor, driven through its widgets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import inspect

from crmdesk.core.fields.service import (
    CHOICE,
    CONTACT,
    DATE,
    MONEY,
    NUMBER,
    TEXT,
    add_field,
    add_option,
    describe_fields,
    get_values,
    set_values,
    unconverted_values,
)
from crmdesk.ui.fields import editor_panels as parts
from crmdesk.ui.fields.editor import FIELD, SECTION, FieldsEditor


@pytest.fixture
def editor(qtbot, db, dialogs):
    dialog = FieldsEditor(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def texts(monkeypatch):
    """Answers for the name prompts (Add section, Rename, options)."""
    queue: list[str | None] = []
    monkeypatch.setattr(parts, "ask_text", lambda *a, **k: queue.pop(0) if queue else None)
    return queue


def fields(db, archived=True):
    with db.reading() as s:
        return describe_fields(s, CONTACT, include_archived=archived)


def by_label(db, label):
    return next(f for f in fields(db) if f.label == label)


def add_through_widgets(qtbot, editor, label, field_type, key=""):
    qtbot.mouseClick(editor.add_field_button, qtbot_left())
    assert editor.detail.is_new
    editor.detail.label_edit.setText(label)
    editor.detail.key_edit.setText(key)
    editor.detail.set_field_type(field_type)
    qtbot.mouseClick(editor.apply_button, qtbot_left())


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def field_labels(editor):
    return [name for kind, name, _archived in editor.rows() if kind == FIELD]


def test_add_text_and_number_fields(qtbot, editor, db, dialogs):
    changed = []
    editor.fields_changed.connect(lambda: changed.append(1))
    add_through_widgets(qtbot, editor, "Fleet size", NUMBER)
    add_through_widgets(qtbot, editor, "Shoe size notes", TEXT)
    assert dialogs.errors == []
    assert field_labels(editor) == ["Fleet size", "Shoe size notes"]
    described = {f.label: (f.key, f.type) for f in fields(db)}
    assert described == {"Fleet size": ("fleet_size", NUMBER),
                         "Shoe size notes": ("shoe_size_notes", TEXT)}
    assert len(changed) == 2
    # The new field is selected and its key can no longer be changed.
    assert editor.detail.info.label == "Shoe size notes"
    assert editor.detail.key_edit.isReadOnly()


def test_settings_are_applied(qtbot, editor, db, dialogs):
    add_through_widgets(qtbot, editor, "Budget", MONEY)
    d = editor.detail
    d.currency_edit.setText("usd")
    d.decimals_spin.setValue(2)
    d.min_edit.setText("10")
    d.max_edit.setText("5000")
    d.help_edit.setText("Yearly budget")
    d.required_box.setChecked(True)
    qtbot.mouseClick(editor.apply_button, qtbot_left())
    assert dialogs.errors == []
    f = by_label(db, "Budget")
    assert (f.currency, f.decimals, f.min_value, f.max_value, f.help, f.required) == (
        "USD", 2, Decimal("10"), Decimal("5000"), "Yearly budget", True)
    # Only what fits the type is offered.
    assert d.currency_edit.isVisibleTo(editor) and not d.pattern_edit.isVisibleTo(editor)
    add_through_widgets(qtbot, editor, "Anniversary", DATE)
    assert d.calendar_box.isVisibleTo(editor) and not d.currency_edit.isVisibleTo(editor)
    d.calendar_box.setChecked(True)
    qtbot.mouseClick(editor.apply_button, qtbot_left())
    assert by_label(db, "Anniversary").calendar_yearly


def test_refused_settings_keep_what_was_typed(qtbot, editor, db, dialogs):
    add_through_widgets(qtbot, editor, "Fleet size", NUMBER)
    add_through_widgets(qtbot, editor, "fleet SIZE", TEXT)  # a duplicate label
    assert len(dialogs.errors) == 1 and "already a field" in dialogs.errors[0][0]
    assert editor.detail.is_new and editor.detail.label_edit.text() == "fleet SIZE"
    editor.detail.label_edit.setText("Email again")
    editor.detail.key_edit.setText("email")  # one of crmdesk's own fields
    qtbot.mouseClick(editor.apply_button, qtbot_left())
    assert "crmdesk's own fields" in dialogs.errors[-1][0]
    assert editor.detail.label_edit.text() == "Email again"
    assert [f.label for f in fields(db)] == ["Fleet size"]
    # A bad minimum on an existing field: refused, the panel keeps it.
    editor.select(FIELD, by_label(db, "Fleet size").id)
    editor.detail.min_edit.setText("lots")
    qtbot.mouseClick(editor.apply_button, qtbot_left())
    assert len(dialogs.errors) == 3
    assert editor.detail.min_edit.text() == "lots"


def test_hostile_label_is_only_a_label(qtbot, editor, db, dialogs):
    hostile = "'); DROP TABLE contact;--"
    add_through_widgets(qtbot, editor, hostile, TEXT)
    assert dialogs.errors == []
    f = by_label(db, hostile)
    assert f.key.replace("_", "").isalnum() and f.key.islower()
    assert hostile in field_labels(editor)
    with db.reading() as s:
        assert inspect(s.get_bind()).has_table("contact")


def test_rename_and_sections(qtbot, editor, db, dialogs, texts):
    add_through_widgets(qtbot, editor, "Fleet", NUMBER)
    texts.append("Trucks owned")
    qtbot.mouseClick(editor.rename_button, qtbot_left())
    f = by_label(db, "Trucks owned")
    assert f.key == "fleet"
    texts.append("Logistics")
    qtbot.mouseClick(editor.add_section_button, qtbot_left())
    assert (SECTION, "Logistics", False) in editor.rows()
    texts.append("Transport")
    qtbot.mouseClick(editor.rename_button, qtbot_left())
    assert (SECTION, "Transport", False) in editor.rows()


def test_reorder_fields_and_across_sections(qtbot, editor, db, dialogs, texts):
    for label in ("One", "Two", "Three"):
        add_through_widgets(qtbot, editor, label, TEXT)
    editor.select(FIELD, by_label(db, "Three").id)
    qtbot.mouseClick(editor.up_button, qtbot_left())
    assert [f.label for f in fields(db)] == ["One", "Three", "Two"]
    assert field_labels(editor) == ["One", "Three", "Two"]
    editor.select(FIELD, by_label(db, "One").id)
    qtbot.mouseClick(editor.down_button, qtbot_left())
    assert [f.label for f in fields(db)] == ["Three", "One", "Two"]
    # Down past the last field of the main part: into the next section.
    texts.append("More")
    qtbot.mouseClick(editor.add_section_button, qtbot_left())
    editor.select(FIELD, by_label(db, "Two").id)
    qtbot.mouseClick(editor.down_button, qtbot_left())
    assert by_label(db, "Two").section == "More"
    assert editor.rows()[-2:] == [(SECTION, "More", False), (FIELD, "Two", False)]


def test_archive_and_restore(qtbot, editor, db, dialogs):
    add_through_widgets(qtbot, editor, "Old code", TEXT)
    qtbot.mouseClick(editor.archive_button, qtbot_left())
    assert by_label(db, "Old code").archived
    assert fields(db, archived=False) == []
    assert "Old code" not in field_labels(editor)
    editor.archived_box.setChecked(True)
    assert (FIELD, "Old code", True) in editor.rows()
    editor.select(FIELD, by_label(db, "Old code").id)
    assert editor.archive_button.text() == "Restore"
    qtbot.mouseClick(editor.archive_button, qtbot_left())
    assert not by_label(db, "Old code").archived
    assert (FIELD, "Old code", False) in editor.rows()


def test_delete_asks_with_the_count(qtbot, editor, db, dialogs, people):
    add_through_widgets(qtbot, editor, "Shoe size", NUMBER)
    with db.session() as s:
        set_values(s, CONTACT, people["Smith"], {"shoe_size": "42"})
        set_values(s, CONTACT, people["Brown"], {"shoe_size": "44"})
    dialogs.answers.append(False)  # first: cancel
    qtbot.mouseClick(editor.delete_button, qtbot_left())
    assert "2 records have a value in this field" in dialogs.asked[-1][1]
    assert [f.label for f in fields(db)] == ["Shoe size"]
    dialogs.answers.append(True)
    qtbot.mouseClick(editor.delete_button, qtbot_left())
    assert fields(db) == []
    assert field_labels(editor) == []
    assert "2 values" in editor.status.text()


def test_delete_confirmation_names_the_count(qtbot, editor, db, dialogs, people,
                                             monkeypatch):
    from crmdesk.ui.common import dialogs as dlg

    asked = []
    monkeypatch.setattr(dlg, "confirm", lambda parent, title, text, ok, **kw: (
        asked.append(text), False)[1])
    add_through_widgets(qtbot, editor, "Shoe size", NUMBER)
    with db.session() as s:
        set_values(s, CONTACT, people["Smith"], {"shoe_size": "42"})
    qtbot.mouseClick(editor.delete_button, qtbot_left())
    assert "1 record has a value in this field" in asked[0]
    assert [f.label for f in fields(db)] == ["Shoe size"]


def retype_through_widgets(qtbot, editor, db, label, new_type, monkeypatch):
    from crmdesk.ui.common import dialogs as dlg

    asked = []
    monkeypatch.setattr(dlg, "confirm", lambda parent, title, text, ok, **kw: (
        asked.append(kw.get("informative", "")), True)[1])
    editor.select(FIELD, by_label(db, label).id)
    editor.detail.set_field_type(new_type)
    preview = editor.detail.preview_label.text()
    qtbot.mouseClick(editor.apply_button, qtbot_left())
    return preview, asked


def test_retype_number_to_text(qtbot, editor, db, dialogs, people, monkeypatch):
    add_through_widgets(qtbot, editor, "Size", NUMBER)
    with db.session() as s:
        set_values(s, CONTACT, people["Smith"], {"size": "42"})
    preview, asked = retype_through_widgets(qtbot, editor, db, "Size", TEXT, monkeypatch)
    assert "1 value converts" in preview
    assert "1 value converts; nothing is lost." in asked[0]
    assert by_label(db, "Size").type == TEXT
    with db.reading() as s:
        assert get_values(s, CONTACT, [people["Smith"]], ["size"])[people["Smith"]]["size"] \
            == "42"


def test_retype_text_to_number_keeps_what_does_not_convert(qtbot, editor, db, dialogs,
                                                           people, monkeypatch):
    add_through_widgets(qtbot, editor, "Size", TEXT)
    with db.session() as s:
        set_values(s, CONTACT, people["Smith"], {"size": "42"})
        set_values(s, CONTACT, people["Brown"], {"size": "large"})
    preview, asked = retype_through_widgets(qtbot, editor, db, "Size", NUMBER, monkeypatch)
    assert "1 value converts, 1 does not (it is kept as text): 'large'" in asked[0]
    assert "'large'" in preview
    assert dialogs.errors == []
    f = by_label(db, "Size")
    assert f.type == NUMBER
    with db.reading() as s:
        assert unconverted_values(s, f.id) == [(people["Brown"], "large")]
    assert "'large'" in editor.status.text()


def test_retype_cancelled_changes_nothing(qtbot, editor, db, dialogs, people):
    add_through_widgets(qtbot, editor, "Size", TEXT)
    dialogs.answers.append(False)
    editor.detail.set_field_type(NUMBER)
    qtbot.mouseClick(editor.apply_button, qtbot_left())
    assert by_label(db, "Size").type == TEXT
    assert dialogs.asked[-1][0] == "Change the type"


def test_drop_down_options(qtbot, editor, db, dialogs, people, texts):
    # A new drop-down gets its options with it.
    qtbot.mouseClick(editor.add_field_button, qtbot_left())
    d = editor.detail
    d.label_edit.setText("Size")
    d.set_field_type(CHOICE)
    assert d.options_box.isVisibleTo(editor)
    texts.extend(["Small", "Large"])
    qtbot.mouseClick(d.option_add, qtbot_left())
    qtbot.mouseClick(d.option_add, qtbot_left())
    qtbot.mouseClick(editor.apply_button, qtbot_left())
    f = by_label(db, "Size")
    assert [o.label for o in f.options] == ["Small", "Large"]
    with db.session() as s:
        set_values(s, CONTACT, people["Smith"], {"size": "Large"})
    # Add, rename (the value follows), hide and reorder on an existing field.
    texts.append("Medium")
    qtbot.mouseClick(d.option_add, qtbot_left())
    assert [label for _id, label, _h in d.options()] == ["Small", "Large", "Medium"]
    d.options_list.setCurrentRow(1)
    texts.append("Big")
    qtbot.mouseClick(d.option_rename, qtbot_left())
    with db.reading() as s:
        assert get_values(s, CONTACT, [people["Smith"]], ["size"])[people["Smith"]]["size"] \
            == "Big"
    d.options_list.setCurrentRow(2)
    qtbot.mouseClick(d.option_up, qtbot_left())
    assert [o.label for o in by_label(db, "Size").options] == ["Small", "Medium", "Big"]
    d.options_list.setCurrentRow(0)
    qtbot.mouseClick(d.option_archive, qtbot_left())
    assert [o.label for o in by_label(db, "Size").active_options] == ["Medium", "Big"]
    assert d.options()[0] == (by_label(db, "Size").options[0].id, "Small", True)
    # A duplicate option is refused with a message.
    texts.append("medium")
    qtbot.mouseClick(d.option_add, qtbot_left())
    assert "already has the option" in dialogs.errors[-1][0]


def test_companies_have_their_own_fields(qtbot, editor, db, dialogs):
    editor.set_entity("company")
    add_through_widgets(qtbot, editor, "Industry code", TEXT)
    assert fields(db) == []
    with db.reading() as s:
        assert [f.label for f in describe_fields(s, "company")] == ["Industry code"]


def test_screenshot(qtbot, editor, db, dialogs, texts, pictures):
    with db.session() as s:
        add_field(s, CONTACT, "Fleet size", NUMBER, help="How many vehicles")
        f = add_field(s, CONTACT, "Customer tier", CHOICE, options=["Gold", "Silver"])
        add_option(s, f.id, "Bronze")
        add_field(s, CONTACT, "Budget", MONEY, currency="EUR", decimals=2)
    texts.append("Personal")
    editor.add_section("Personal")
    with db.session() as s:
        sec = editor._sections[0].id
        add_field(s, CONTACT, "Anniversary", DATE, section_id=sec, calendar_yearly=True)
        old = add_field(s, CONTACT, "Old code", TEXT)
        from crmdesk.core.fields.service import archive_field
        archive_field(s, old.id)
    editor.archived_box.setChecked(True)
    editor.reload()
    editor.select(FIELD, by_label(db, "Customer tier").id)
    qtbot.wait(50)
    image = pictures.grab(editor, "fields_editor")
    # The fields by section, the archived one too; the chosen one's details beside.
    assert editor.rows() == [
        (SECTION, "Main part of the form", False),
        (FIELD, "Fleet size", False), (FIELD, "Customer tier", False), (FIELD, "Budget", False),
        (FIELD, "Old code", True), (SECTION, "Personal", False), (FIELD, "Anniversary", False)]
    assert editor.tree.currentItem().text(0) == "Customer tier"
    assert editor.detail.label_edit.text() == "Customer tier"
    assert [label for _id, label, _hidden in editor.detail.options()] == [
        "Gold", "Silver", "Bronze"]
    for part in (editor.tree.viewport(), editor.detail.label_edit,
                 editor.detail.options_list.viewport()):
        pictures.assert_painted(image, part, editor)


def test_unsaved_changes_are_not_dropped_silently(qtbot, editor, db, dialogs):
    add_through_widgets(qtbot, editor, "One", TEXT)
    add_through_widgets(qtbot, editor, "Two", TEXT)
    one, two = by_label(db, "One").id, by_label(db, "Two").id
    assert not editor.detail.is_dirty()
    editor.detail.help_edit.setText("typed, not applied")
    dialogs.answers.append(False)  # keep editing
    editor.select(FIELD, one)
    qtbot.waitUntil(lambda: editor.tree.currentItem().text(0) == "Two")
    assert dialogs.asked[-1][0] == "Unsaved changes"
    assert editor.detail.info.id == two
    assert editor.detail.help_edit.text() == "typed, not applied"
    editor.select(FIELD, one)  # now let it go (the fixture answers yes)
    assert editor.detail.info.id == one
    assert by_label(db, "Two").help == ""
