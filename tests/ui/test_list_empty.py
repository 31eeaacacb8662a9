"""An empty search result says so, and what to try; a new search shows the names again."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_an_empty_search_says_so_with_the_query(qtbot, window_alone, pictures):
    window = window_alone
    view = window.contacts
    label = view.list.empty_label
    assert not label.isVisible()
    window.search_box.setText("xyzzy")
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)
    qtbot.waitUntil(label.isVisible, timeout=5000)
    assert "No contact matches “xyzzy”." in label.text()
    assert "Check the spelling, use fewer words, or clear the search (Esc)." in label.text()
    image = pictures.grab(window, "contacts_empty_result")
    pictures.assert_painted(image, label, window)
    # Esc in the search box: every contact again, and no message.
    window.search_box.setFocus()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.model.rowCount() == 8, timeout=5000)
    assert not label.isVisible()


def test_an_empty_company_search_says_so(qtbot, window_alone):
    window = window_alone
    window.show_view(window.companies)
    view = window.companies
    window.search_box.setText("nowhere inc")
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)
    qtbot.waitUntil(view.list.empty_label.isVisible, timeout=5000)
    assert "No company matches “nowhere inc”" in view.list.empty_label.text()


def test_the_name_column_is_back_in_sight_after_a_new_search(qtbot, window_alone):
    window = window_alone
    view = window.contacts
    lst = view.list
    window.resize(700, 500)
    view.splitter.setSizes([300, 400])
    qtbot.waitUntil(lambda: lst.horizontalScrollBar().maximum() > 0, timeout=5000)
    lst.horizontalScrollBar().setValue(lst.horizontalScrollBar().maximum())
    name = lst.record_model.column_of("name")
    assert lst.columnViewportPosition(name) + lst.columnWidth(name) <= 0  # scrolled away
    window.search_box.setText("acme")
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    assert lst.horizontalScrollBar().value() == 0
    assert lst.columnViewportPosition(name) == 0
    # The name column cannot be dragged away from the first place either.
    header = lst.horizontalHeader()
    header.moveSection(header.visualIndex(name), 3)
    assert header.visualIndex(name) == 0


def test_columns_fit_their_content(window_alone):
    lst = window_alone.contacts.list
    model = lst.record_model
    metrics = lst.fontMetrics()
    email = model.column_of("email")
    widest = max(metrics.horizontalAdvance(model.data(model.index(r, email)) or "")
                 for r in range(model.rowCount()))
    assert lst.columnWidth(email) >= widest  # no e-mail cut off
    status = model.column_of("status")
    # narrower than the standard width (a status is a word), and its title fits
    assert lst.columnWidth(status) < 200
    assert lst.columnWidth(status) >= lst.horizontalHeader().fontMetrics().horizontalAdvance(
        "Status")
