"""The one write path: every write the window makes runs on the writer thread."""

from __future__ import annotations

import threading

from write_guard import UI_FOLDER, GuiWrites

from crmdesk.core.contacts.records import ContactData, create_contact, get_contact
from crmdesk.core.storage.database import add_write_check, remove_write_check
from crmdesk.ui.tasks.writes import run_on_writer, write


def test_the_guard_catches_a_write_begun_by_ui_code_on_the_gui_thread(db, gui_writes):
    """The guard every window test runs under: a session opened from ui code on the
    main thread is reported, the same from a test's own set-up is not."""
    assert isinstance(gui_writes, GuiWrites)
    create_contact(db, ContactData(given_name="Set-up"))  # the test's own data
    assert gui_writes.seen == []
    code = compile("with db.session() as s:\n    s.connection()\n", f"{UI_FOLDER}/pretend.py",
                   "exec")
    exec(code, {"db": db})  # noqa: S102 - code that looks like the window's own
    assert len(gui_writes.seen) == 1 and "pretend.py" in gui_writes.seen[0]
    gui_writes.seen.clear()  # seen, and not a failure of this test


def threads_that_write(db) -> tuple[list[str], object]:
    names: list[str] = []

    def check() -> None:
        names.append(threading.current_thread().name)

    add_write_check(check)
    return names, check


def test_write_runs_the_unit_of_work_on_the_writer_thread(db, qtbot):
    names, check = threads_that_write(db)
    try:
        new_id = write(db, lambda s: s.connection() is not None and 7)
        assert new_id == 7
        assert names == ["crmdesk-writer"]
    finally:
        remove_write_check(check)


def test_an_error_on_the_writer_comes_back_to_the_caller(db, qtbot):
    def fails():
        raise ValueError("from the writer")

    try:
        run_on_writer(fails)
    except ValueError as exc:
        assert str(exc) == "from the writer"
    else:
        raise AssertionError("the error was lost")


def test_saving_the_contact_form_writes_on_the_writer_thread(db, qtbot):
    from crmdesk.ui.contacts.form import ContactForm

    cid = create_contact(db, ContactData(given_name="Anna", family_name="Smith"))
    form = ContactForm(db)
    qtbot.addWidget(form)
    form.load(cid)
    names, check = threads_that_write(db)
    try:
        form.names.edits["family_name"].setText("Smith-Jones")
        assert form.save() == cid
    finally:
        remove_write_check(check)
    assert names and set(names) == {"crmdesk-writer"}
    assert get_contact(db, cid).family_name == "Smith-Jones"
