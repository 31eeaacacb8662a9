"""The window in Lithuanian, as a Vilnius shop owner sees it: crmdesk's own words
from the Lithuanian catalogue, Qt's standard buttons too (Qt ships no Lithuanian
for them), Lithuanian dates and numbers, and the form still fitting at 1024×600
with the longer words. Pictures at 1024×600 and 1366×768 for a person to look at."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from test_form_layout import SIZES, no_sideways_scrolling, open_contact, shown_in

from crmdesk.core import i18n
from crmdesk.ui.window.qt_words import CatalogueTranslator


@pytest.fixture
def lithuanian(qapp):
    before = QLocale()
    translator = CatalogueTranslator(qapp)
    i18n.install(["lt"])
    QLocale.setDefault(QLocale(QLocale.Language.Lithuanian, QLocale.Country.Lithuania))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)
    QLocale.setDefault(before)
    i18n.install(["en"])


def test_standard_buttons_speak_lithuanian(qtbot, lithuanian):
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                           | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == ["Atšaukti", "Išsaugoti", "Uždaryti"]


def test_standard_buttons_stay_english_without_the_catalogue(qtbot, qapp):
    translator = CatalogueTranslator(qapp)
    qapp.installTranslator(translator)
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.buttons()[0].text() == "Cancel"
    finally:
        qapp.removeTranslator(translator)


@pytest.mark.parametrize("size", SIZES)
def test_the_window_in_lithuanian(qtbot, lithuanian, make_window, db, people, pictures, size):
    window = make_window(db)
    sidebar = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert sidebar == ["Kontaktai", "Įmonės", "Istorija", "Kalendorius", "Šiukšlinė"]
    assert window.count_label.text() == "8 kontaktai"
    form = open_contact(qtbot, window, people["Smith"], size)
    width, height = size
    pictures.grab(window, f"lt_contacts_{width}x{height}")
    # the longer Lithuanian words still fit: no sideways scrolling, Save in sight
    no_sideways_scrolling(form)
    assert shown_in(form.save_button, window)
    assert form.save_button.text() == "Išsaugoti"
    assert QApplication.translate("QPlatformTheme", "Cancel") == "Atšaukti"
    window.show_view(window.history)
    qtbot.wait(50)
    pictures.grab(window, f"lt_history_{width}x{height}")
