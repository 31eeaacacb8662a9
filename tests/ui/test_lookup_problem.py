"""A malformed lookup in the search box is explained beside the box, with its
position, once typing pauses; typing is never interrupted, and the message goes
as soon as the lookup is right."""

from __future__ import annotations

from PySide6.QtCore import Qt


def type_into(qtbot, window, text):
    window.focus_search()
    qtbot.keyClicks(window.search_box, text)


def problem_shown(window):
    return window.lookup_problem.isVisible() and bool(window.lookup_problem.text())


def test_an_unknown_field_is_named_beside_the_box(qtbot, window_alone, pictures):
    window = window_alone
    window.resize(1366, 768)
    type_into(qtbot, window, "citi:Vilnius")
    qtbot.waitUntil(lambda: problem_shown(window), timeout=3000)
    assert window.lookup_problem.text() == \
        "Unknown field 'citi' at position 1 — did you mean city?"
    # the user was not interrupted: the box keeps focus and what was typed
    assert window.search_box.hasFocus()
    assert window.search_box.text() == "citi:Vilnius"
    assert "plain text" in window.lookup_problem.toolTip()
    pictures.grab(window, "lookup_problem")
    # fixing it removes the message at once, without waiting for a pause
    window.search_box.setCursorPosition(4)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Backspace)
    qtbot.keyClicks(window.search_box, "y")
    assert window.search_box.text() == "city:Vilnius"
    assert window.lookup_problem.text() == ""  # at once; the toolbar hides it next
    qtbot.waitUntil(lambda: not window.lookup_problem.isVisible(), timeout=1000)


def test_a_half_typed_lookup_is_not_flagged_while_typing(qtbot, window_alone):
    window = window_alone
    type_into(qtbot, window, "status:")
    qtbot.wait(200)  # shorter than the pause
    assert not window.lookup_problem.isVisible()
    qtbot.keyClicks(window.search_box, "Customer")
    qtbot.wait(800)
    assert not window.lookup_problem.isVisible()


def test_the_position_of_a_bad_date(qtbot, window_alone):
    window = window_alone
    type_into(qtbot, window, "created<2026-13-01")
    qtbot.waitUntil(lambda: problem_shown(window), timeout=3000)
    assert window.lookup_problem.text().startswith("'2026-13-01' is not a date.")
    assert window.lookup_problem.text().endswith("at position 9.")


def test_each_view_checks_its_own_fields(qtbot, window_alone):
    window = window_alone
    type_into(qtbot, window, "industry:Retail")  # a company field
    qtbot.waitUntil(lambda: problem_shown(window), timeout=3000)
    window.show_view(window.companies)
    type_into(qtbot, window, "industry:Retail")
    qtbot.wait(800)
    assert not window.lookup_problem.isVisible()
    window.show_view(window.history)
    type_into(qtbot, window, "outcomez:x")
    qtbot.waitUntil(lambda: problem_shown(window), timeout=3000)
    assert "outcomez" in window.lookup_problem.text()


def test_a_long_message_fits_beside_the_box(qtbot, window_alone):
    window = window_alone
    window.resize(1024, 600)
    type_into(qtbot, window, "created<2026-13-01")
    qtbot.waitUntil(lambda: problem_shown(window), timeout=3000)
    qtbot.wait(50)
    label = window.lookup_problem
    # shown (cut with … if need be, whole in the tooltip), the box keeps its width
    assert label.width() >= label.fontMetrics().averageCharWidth() * 20
    assert label.shown_text().startswith("'2026-13-01' is not a date")
    assert window.search_box.width() >= 300
    assert label.geometry().right() <= window.search_box.mapTo(
        label.parentWidget(), window.search_box.rect().topLeft()).x()


def test_a_date_that_could_swap_is_said_as_read(qtbot, window_alone, db, monkeypatch):
    from crmdesk.core.fields import service as fields
    from crmdesk.core.storage.field_models import DATE
    from crmdesk.core.text.parsing import system_dayfirst

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    system_dayfirst.cache_clear()
    try:
        with db.session() as s:
            key = fields.add_field(s, "contact", "Renewal", DATE).key
        window = window_alone
        type_into(qtbot, window, f"{key}<6/1/2026")
        qtbot.waitUntil(lambda: problem_shown(window), timeout=3000)
        assert window.lookup_problem.text() == \
            "6/1/2026 is read as June 1, 2026, not January 6, 2026."
        window.search_box.clear()
        type_into(qtbot, window, f"{key}<2026-06-01")
        qtbot.waitUntil(lambda: not window.lookup_problem.isVisible(), timeout=3000)
    finally:
        system_dayfirst.cache_clear()
