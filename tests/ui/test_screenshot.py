"""Look at it: the main window with a few thousand contacts, grabbed to PNG.

The picture is saved under the test's tmp folder (and to $CRMDESK_SHOTS if
set) so a person can open it; the test checks that it is a real picture of
the window with rows in it, not an empty frame.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QColor


def test_main_window_with_demo_data_grabs_to_png(qtbot, make_window, db, tmp_path):
    from bulk import fill

    fill(db, 3000)
    window = make_window(db)
    window.resize(1280, 800)
    window.contacts.list.select_row(3)
    qtbot.wait(50)
    folder = Path(os.environ.get("CRMDESK_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "main-window-contacts.png"
    image = window.grab().toImage()
    assert image.save(str(shot))
    assert shot.stat().st_size > 20_000
    assert image.width() >= 1000
    # The selected row is painted in the selection colour, the next one is not.
    table = window.contacts.list
    highlight = table.palette().highlight().color().rgb()
    for row, selected in ((3, True), (4, False)):
        rect = table.visualRect(table.model().index(row, 0))
        point = table.viewport().mapTo(window, rect.topLeft())
        pixel = QColor(image.pixel(point.x() + rect.width() - 3, point.y() + 2)).rgb()
        assert (pixel == highlight) is selected
    window.show_view(window.companies)
    window.companies.list.select_row(0)
    assert window.grab().save(str(folder / "main-window-companies.png"))
