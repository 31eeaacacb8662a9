"""The main window as a user meets it: the list, the counts, searching as one types."""

from __future__ import annotations

from PySide6.QtCore import Qt

from crmdesk.ui.contacts.table_model import IdRole


def shown_names(view) -> list[str]:
    model = view.model
    col = model.column_of("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_window_shows_contacts_counts_and_file(window_alone, db, people):
    window = window_alone
    view = window.contacts
    assert window.current_view() is view
    assert view.model.rowCount() == len(people)
    assert window.count_label.text() == "8 contacts"
    assert window.file_label.text() == str(db.path)
    assert db.path.name in window.windowTitle()
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [
        "Contacts", "Companies", "History", "Calendar", "Trash"]
    # Name order: family name first, in the file's alphabet (Latin before Cyrillic).
    assert shown_names(view) == ["John Brown", "Émile Dubois", "Jonas Kazlauskas",
                                 "Olga Petrova", "Anna Smith", "Ona Zuikis",
                                 "Žydrūnas Žukauskas", "Иван Иванов"]


def test_search_narrows_the_list_as_the_user_types(qtbot, window_alone, people):
    window = window_alone
    view = window.contacts
    window.focus_search()
    qtbot.keyClicks(window.search_box, "rom")
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    assert shown_names(view) == ["Olga Petrova", "Иван Иванов"]  # in name order
    assert window.count_label.text() == "2 of 8 contacts"
    qtbot.keyClicks(window.search_box, "ashka ivan")
    qtbot.waitUntil(lambda: shown_names(view) == ["Иван Иванов"], timeout=5000)
    # Esc in the search box clears it and the whole list is back.
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.model.rowCount() == 8, timeout=5000)
    assert window.search_box.text() == ""


def test_search_finds_accents_and_scripts_either_way(qtbot, window_alone):
    window = window_alone
    view = window.contacts
    window.search_box.setText("zukauskas")
    qtbot.waitUntil(lambda: shown_names(view) == ["Žydrūnas Žukauskas"], timeout=5000)
    window.search_box.setText("ИВАНОВ")
    qtbot.waitUntil(lambda: shown_names(view) == ["Иван Иванов"], timeout=5000)


def test_down_arrow_in_search_box_goes_to_the_first_result(qtbot, window_alone):
    window = window_alone
    window.search_box.setText("acme")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    view = window.contacts
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    assert view.list.hasFocus()


def test_typing_letters_in_the_list_starts_a_search(qtbot, window_alone):
    window = window_alone
    view = window.contacts
    view.list.setFocus()
    qtbot.keyClicks(view.list, "d")
    assert window.search_box.hasFocus()
    qtbot.keyClicks(window.search_box, "ubois")
    qtbot.waitUntil(lambda: shown_names(view) == ["Émile Dubois"], timeout=5000)


def test_ctrl_f_focuses_the_search_box(qtbot, window_alone):
    window = window_alone
    window.contacts.list.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()


def test_home_and_end_go_to_first_and_last_contact(qtbot, window_alone):
    window = window_alone
    view = window.contacts
    view.list.setFocus()
    view.list.select_row(3)
    qtbot.keyClick(view.list, Qt.Key.Key_End)
    assert view.list.currentIndex().row() == view.model.rowCount() - 1
    qtbot.keyClick(view.list, Qt.Key.Key_Home)
    assert view.list.currentIndex().row() == 0
    qtbot.keyClick(view.list, Qt.Key.Key_Down)
    assert view.list.currentIndex().row() == 1
    assert view.form.current_id() == view.model.data(view.model.index(1, 0), IdRole)


def test_selecting_a_contact_shows_it_in_the_form(qtbot, window, people):
    view = window.contacts
    view.list.select_id(people["Kazlauskas"])
    assert view.detail.currentIndex() == 1
    form = view.form
    assert form.current_id() == people["Kazlauskas"]
    assert form.names.edits["family_name"].text() == "Kazlauskas"
    assert form.work.company.currentText() == "Vilniaus prekyba UAB"
    assert form.header.title.text() == "Jonas Kazlauskas"
    assert [row.address.text() for row in form.emails.editor.rows()] == ["jonas@vp.example"]
    assert not view.is_dirty() and not window.save_action.isEnabled()


def test_nothing_selected_shows_a_hint(window_alone):
    window = window_alone
    view = window.contacts
    assert view.detail.currentIndex() == 0
    assert "Ctrl+N" in view.placeholder.text()


def test_about_names_version_and_file(db):
    from crmdesk import __version__
    from crmdesk.ui.window.about import about_text

    text = about_text(db.path)
    assert __version__ in text and str(db.path) in text


def test_view_switching_by_keyboard_and_sidebar(qtbot, window_alone):
    window = window_alone
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.companies
    assert window.count_label.text() == "3 companies"
    assert window.search_box.placeholderText().startswith("Search companies")
    window.sidebar.setCurrentRow(window.views.index(window.trash))
    qtbot.waitUntil(lambda: window.current_view() is window.trash)
    assert window.count_label.text() == "The trash is empty"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.contacts


def test_each_view_keeps_its_own_search(qtbot, window_alone):
    window = window_alone
    window.search_box.setText("acme")
    window.apply_search()
    window.show_view(window.companies)
    assert window.search_box.text() == ""
    window.show_view(window.contacts)
    assert window.search_box.text() == "acme"


def test_tools_phone_country_sets_the_region_for_new_numbers(qtbot, window_alone, db, dialogs,
                                                             monkeypatch):
    window = window_alone
    from crmdesk.core.contacts.records import ContactData, PhoneData, create_contact, get_contact
    from crmdesk.core.storage.settings import get_setting
    from crmdesk.ui.window import phone_region

    def region():
        with db.reading() as s:
            return get_setting(s, "phone_region")

    asked = []
    monkeypatch.setattr(phone_region.RereadDialog, "exec",
                        lambda dialog: asked.append(dialog) or phone_region.KEEP)
    dialogs.answers.append("Lithuania (LT)")
    window.phone_region_action.trigger()
    qtbot.waitUntil(lambda: region() == "LT", timeout=5000)
    qtbot.waitUntil(lambda: "Lithuania" in window.statusBar().currentMessage(), timeout=5000)
    assert asked == []  # every number had its country code: nothing to ask
    cid = create_contact(db, ContactData(given_name="Jonas", phones=[PhoneData("8 612 34567")]))
    assert get_contact(db, cid).phones[0].e164 == "+37061234567"
    dialogs.answers.append(-1)  # Cancel changes nothing
    window.phone_region_action.trigger()
    qtbot.wait(200)
    assert region() == "LT"
    dialogs.answers.append(0)  # None: Jonas's number is shown first, and kept
    window.phone_region_action.trigger()
    qtbot.waitUntil(lambda: region() == "", timeout=5000)
    assert len(asked) == 1
    assert get_contact(db, cid).phones[0].e164 == "+37061234567"


def test_a_long_path_gives_way_to_the_count(qtbot, window_alone, db, pictures):
    window = window_alone
    window.resize(1024, 600)
    window.show()
    qtbot.waitExposed(window)
    long_path = "/home/shop/" + "very long folder name/" * 8 + "customers.crmdesk"
    window.file_label.setText(long_path)
    window.file_label.setToolTip(long_path)
    window.focus_search()
    qtbot.keyClicks(window.search_box, "o")  # a longer count: "n of 8 contacts"
    qtbot.waitUntil(lambda: " of 8 contacts" in window.count_label.text(), timeout=5000)
    window.statusBar().layout().activate()
    qtbot.wait(50)
    count = window.count_label
    # the count is shown whole, the path cut in the middle with its file name kept
    assert count.width() >= count.fontMetrics().horizontalAdvance(count.text())
    assert count.geometry().right() <= window.statusBar().width()
    shown = window.file_label.shown_text()
    assert "…" in shown and shown.endswith("customers.crmdesk") and shown.startswith("/home")
    assert window.file_label.text() == long_path
    pictures.grab(window.statusBar(), "status_bar_long_path")
