"""User text is shown as text everywhere: a contact named "<b>Bold</b>" or "<img
src=x>" shows those characters (labels, message boxes, tooltips), and a link opens
only if it is a web page, an e-mail or a phone number."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.text.validation import openable_url
from crmdesk.ui.common.plain_text import tooltip_text

HOSTILE = "<b>Bold</b>"
IMAGE = "<img src=x>"


def test_a_hostile_name_shows_as_typed(qtbot, make_window, db, pictures):
    cid = create_contact(db, ContactData(given_name=HOSTILE, family_name=IMAGE,
                                         company="<i>Italic</i> Ltd"))
    window = make_window(db)
    window.resize(1200, 700)
    assert window.contacts.show_contact(cid)
    qtbot.wait(50)
    shown = [label for label in window.findChildren(QLabel)
             if label.isVisible() and ("<b>" in label.text() or "<i>" in label.text())]
    assert shown, "the name and the company are on screen"
    for label in shown:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    header = window.contacts.form.header
    assert HOSTILE in header.title.text() and IMAGE in header.title.text()
    pictures.grab(window, "hostile_name")


def test_a_message_box_shows_a_name_as_typed(qtbot):
    box = QMessageBox(QMessageBox.Icon.Question, "Trash",
                      f"Move {HOSTILE} to the trash?", QMessageBox.StandardButton.Ok)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    label = box.findChild(QLabel, "qt_msgbox_label")
    assert label.textFormat() == Qt.TextFormat.PlainText
    box.close()


def test_code_that_asks_for_rich_text_keeps_it(qtbot):
    label = QLabel("<b>Help</b>")
    label.setTextFormat(Qt.TextFormat.RichText)
    qtbot.addWidget(label)
    label.show()
    assert label.textFormat() == Qt.TextFormat.RichText


def test_tooltips_of_user_text_are_escaped(qtbot, make_window, db):
    long_name = f"{HOSTILE} {IMAGE} with a name long enough for a tooltip"
    create_contact(db, ContactData(given_name=long_name))
    window = make_window(db)
    model = window.contacts.model
    tip = model.data(model.index(0, model.column_of("name")), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Bold&lt;/b&gt;" in tip and "<b>" not in tip.replace("<p", "")
    assert tooltip_text("plain words") == "plain words"


@pytest.mark.parametrize("typed, opened", [
    ("https://example.com/a?b=1", "https://example.com/a?b=1"),
    ("http://example.com", "http://example.com"),
    ("example.com/shop", "https://example.com/shop"),
    ("www.zalgiris.lt", "https://www.zalgiris.lt"),
    ("ann@example.com", "mailto:ann@example.com"),
    ("mailto:ann@example.com", "mailto:ann@example.com"),
    ("tel:+37061234567", "tel:+37061234567"),
    ("javascript:alert(1)", None), ("JavaScript:alert(1)", None),
    ("file:///etc/passwd", None), ("data:text/html,<b>x</b>", None),
    ("C:\\Windows\\system32\\calc.exe", None), ("ms-settings:privacy", None),
    ("https://", None), ("mailto:", None), ("http://exa mple.com", None), ("", None),
])
def test_which_links_open(typed, opened):
    assert openable_url(typed) == opened


def test_the_open_button_refuses_other_links(qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from crmdesk.ui.common.repeatable import LinkRow

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    row = LinkRow(["Website"])
    qtbot.addWidget(row)
    row.url.setText("javascript:alert(1)")
    row.open.click()
    row.url.setText("example.com")
    row.open.click()
    assert opened == ["https://example.com"]
