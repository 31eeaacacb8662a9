"""File > Import Contacts…: the file as read, its columns sent where the user says,
a dry run with the problems by line, then the import in one go; also from a file
dropped on the window, from the first-run offer and the empty list's hint."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog

from crmdesk.ui.contacts import import_dialog
from crmdesk.ui.contacts.import_dialog import ImportDialog

RUSSIAN_OUTLOOK = ("Имя,Фамилия,Организация,Мобильный телефон,Адрес эл. почты,Заметки\r\n"
                   "Иван,Иванов,ООО Ромашка,+7 495 123-45-67,ivanov@romashka.ru,Звонить утром\r\n"
                   "Мария,Петрова,,+7 916 000-00-00,not an e-mail,\r\n"
                   "Ольга,Сидорова,ООО Ромашка,,olga@romashka.ru,\r\n")


def names(view):
    model = view.model
    col = model.column_of("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_a_russian_outlook_csv_in_cp1251(qtbot, window, db, tmp_path, pictures):
    path = tmp_path / "outlook.csv"
    path.write_bytes(RUSSIAN_OUTLOOK.encode("cp1251"))
    dialog = ImportDialog(path, db, window.operations, window)
    qtbot.addWidget(dialog)
    dialog.show()
    # read as cp1251 and the columns sent where Outlook's Russian headers say
    assert dialog.preview.item(1, 0).text() == "Иван"
    chosen = [box.currentData() for box in dialog.column_boxes]
    assert chosen[:5] == ["given_name", "family_name", "company", "phone:mobile", "email"] or \
        chosen[0] == "given_name"
    # the notes column: leave it out
    dialog.column_boxes[5].setCurrentIndex(dialog.column_boxes[5].findData(""))
    pictures.grab(dialog, "import_columns")
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10000)
    problems = [dialog.problem_list.item(i).text() for i in range(dialog.problem_list.count())]
    assert any(p.startswith("Line 3:") and "e-mail" in p.lower() for p in problems), problems
    assert dialog.summary.text().startswith(("3 new contacts", "2 new contacts"))
    pictures.grab(dialog, "import_check")
    assert window.contacts.model.total == 8  # the dry run wrote nothing
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10000)
    report = dialog.report
    assert report is not None and report.new >= 2 and report.backup is not None
    window.broadcast(dialog.changes)
    view = window.contacts
    qtbot.waitUntil(lambda: "Иван Иванов" in names(view), timeout=5000)


def test_the_window_imports_a_vcard_file(qtbot, window, db, shared_data, monkeypatch,
                                         dialogs):
    path = shared_data / "vcard/ez-vcard/io/text/John_Doe_IPHONE.vcf"

    def drive(dialog):
        assert dialog.preview.rowCount() == 1
        assert not dialog.separator_box.isEnabled()
        dialog.next_button.click()
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10000)
        dialog.import_button.click()
        qtbot.waitUntil(lambda: dialog.report is not None, timeout=10000)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportDialog, "exec", drive)
    dialogs.files.append(str(path))
    window.import_action.trigger()
    view = window.contacts
    qtbot.waitUntil(lambda: any("John" in n for n in names(view)), timeout=5000)
    assert "Imported 1 contact from John_Doe_IPHONE.vcf." in \
        window.statusBar().currentMessage()


def test_a_file_dropped_on_the_window(qtbot, window, tmp_path, monkeypatch):
    wanted = []
    monkeypatch.setattr(type(window), "import_contacts",
                        lambda self, path=None: wanted.append(path))
    path = tmp_path / "people.csv"
    path.write_text("Name\nAnn\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: wanted == [str(path)], timeout=3000)
    # a picture or several files are not contacts
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "photo.png"))])
    assert import_dialog is not None
    window.dropEvent(QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, other,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    qtbot.wait(50)
    assert wanted == [str(path)]


def test_an_empty_file_says_how_to_bring_contacts_in(qtbot, make_window, db, dialogs,
                                                     monkeypatch):
    asked = []
    window = make_window(db)
    monkeypatch.setattr(type(window), "import_contacts",
                        lambda self, path=None: asked.append("import"))
    view = window.contacts
    qtbot.waitUntil(lambda: view.list.empty_label.isVisible(), timeout=3000)
    assert "File &gt; Import Contacts…" in view.list.empty_label.text()  # escaped HTML
    dialogs.answers.append(1)  # the first-run offer: "Import My Contacts…"
    window.offer_demo_if_empty()
    assert asked == ["import"]
    assert "Import My Contacts…" not in dialogs.asked[0][1]


def test_a_mapping_saved_by_name_is_offered_next_time(qtbot, window, db, tmp_path,
                                                      monkeypatch):
    first = tmp_path / "old-crm.csv"
    first.write_text("Kas,Telefonas\nOna Petraitė,+370 612 34567\n", encoding="utf-8")
    dialog = ImportDialog(first, db, window.operations, window)
    qtbot.addWidget(dialog)
    boxes = dialog.column_boxes
    boxes[0].setCurrentIndex(boxes[0].findData("full_name"))
    boxes[1].setCurrentIndex(boxes[1].findData("phone:mobile"))
    monkeypatch.setattr(ImportDialog, "ask_preset_name", lambda self: "Old CRM")
    dialog.save_preset_button.click()
    assert dialog.preset_box.currentText() == "Old CRM"
    # the next file like it: the saved mapping is offered and applied
    second = tmp_path / "old-crm-2.csv"
    second.write_text("Telefonas,Kas\n+370 699 11111,Jonas Jonaitis\n", encoding="utf-8")
    again = ImportDialog(second, db, window.operations, window)
    qtbot.addWidget(again)
    assert [again.preset_box.itemText(i) for i in range(again.preset_box.count())][1:] == \
        ["Old CRM"]
    again.preset_box.setCurrentIndex(again.preset_box.findData("Old CRM"))
    assert [b.currentData() for b in again.column_boxes] == ["phone:mobile", "full_name"]


def test_the_last_page_chooses_what_becomes_of_contacts_already_there(qtbot, window, db,
                                                                       people, tmp_path,
                                                                       pictures):
    """Anna Smith is in the file already (her e-mail): the policy box on the last page
    runs the dry run again, its counts say what each choice would do, and the import
    does what was chosen; File > Undo Last Import can take it back."""
    from crmdesk.core.contacts.records import get_contact

    path = tmp_path / "people.csv"
    path.write_text("First Name,Last Name,E-mail Address,Job Title\n"
                    "Anna,Smith,anna@acme.example,Buyer\n"
                    "New,Person,new@example.lt,\n", encoding="utf-8")
    dialog = ImportDialog(path, db, window.operations, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10000)
    assert dialog.policy() == "create"
    assert "1 looks like a contact already in the file (it is imported as a new one" in \
        dialog.summary.text()
    assert dialog.import_button.text() == "Import 2 Contacts"
    box = dialog.policy_box
    box.setFocus()
    box.setCurrentIndex(box.findData("skip"))
    qtbot.waitUntil(lambda: dialog.import_button.text() == "Import 1 Contact", timeout=10000)
    assert "will be skipped" in dialog.summary.text()
    box.setCurrentIndex(box.findData("update"))
    qtbot.waitUntil(lambda: "1 contact already in the file will be updated" in
                    dialog.summary.text(), timeout=10000)
    pictures.grab(dialog, "import_policy")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10000)
    assert dialog.report.updated == [people["Smith"]] and dialog.report.new == 1
    assert get_contact(db, people["Smith"]).job_title == "Buyer"
    assert people["Smith"] in dialog.changes.ids("contacts")
