"""Look at it: the main window with a few thousand contacts, grabbed to PNG.

The picture is saved under the test's tmp folder (and to $CRMDESK_SHOTS if
set) so a person can open it; the test checks that it is a real picture of
the window with rows in it, not an empty frame.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor


def test_main_window_with_demo_data_grabs_to_png(qtbot, make_window, db, pictures):
    from bulk import fill

    fill(db, 3000)
    window = make_window(db)
    window.resize(1280, 800)
    view = window.contacts
    view.list.select_row(3)
    qtbot.wait(50)
    image = pictures.grab(window, "main-window-contacts")
    assert (image.width(), image.height()) == (1280, 800)
    # The list, the selected contact's form, the search box and the count are drawn.
    assert window.count_label.text() == f"{QLocale().toString(3000)} contacts"
    name = view.model.data(view.model.index(3, view.model.column_of("name")))
    assert name and view.form.header.title.text() == name
    for part in (view.list.viewport(), view.list.horizontalHeader(), view.form.header.title,
                 view.form.names.edits["given_name"], window.search_box, window.count_label,
                 window.sidebar):
        pictures.assert_painted(image, part, window)
    # The selected row is painted in the selection colour, the next one is not.
    table = view.list
    highlight = table.palette().highlight().color().rgb()
    for row, selected in ((3, True), (4, False)):
        rect = table.visualRect(table.model().index(row, 0))
        point = table.viewport().mapTo(window, rect.topLeft())
        pixel = QColor(image.pixel(point.x() + rect.width() - 3, point.y() + 2)).rgb()
        assert (pixel == highlight) is selected
    # The companies, one of them open.
    window.show_view(window.companies)
    companies = window.companies
    companies.list.select_row(0)
    qtbot.wait(50)
    image = pictures.grab(window, "main-window-companies")
    first = companies.model.data(companies.model.index(0, companies.model.column_of("name")))
    assert first and companies.form.details.name.text() == first
    assert companies.form.header.title.text() == first
    assert window.count_label.text() == f"{QLocale().toString(375)} companies"
    for part in (companies.list.viewport(), companies.form.header.title,
                 companies.form.details.name, window.count_label):
        pictures.assert_painted(image, part, window)
