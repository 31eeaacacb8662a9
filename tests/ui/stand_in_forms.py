"""Small forms with what the main window uses of ContactForm and CompanyForm
(crmdesk/ui/contacts/form.py, crmdesk/ui/companies/form.py), for the tests of
the window alone: its lists, search, views, menus and settings
(conftest.make_window(db, stand_ins=True), the ``window_alone`` fixture).

Saving with Ctrl+S, Esc, Del and the unsaved-changes question are tested with
the real forms (test_editing.py, test_trash.py); test_editing.py also checks
that these stand-ins keep to the real forms' interface.

Each has a few line edits named after the fields, a label for problems, and
asks Save/Discard/Cancel through dialogs.choose like the real ones.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from crmdesk.core.companies.records import CompanyData, get_company, save_company
from crmdesk.core.contacts.records import ContactData, EmailData, get_contact, save_contact
from crmdesk.core.errors import ValidationError
from crmdesk.core.storage.database import Database
from crmdesk.ui.common import dialogs
from crmdesk.ui.tasks.writes import write


class _StandInForm(QWidget):
    # int, not bool: emitting a bool crashes PySide6 6.12 (see crmdesk/ui/views.py).
    dirty_changed = Signal(int)
    fields: tuple[str, ...] = ()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._id: int | None = None
        self._dirty = False
        self._loading = False
        layout = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for name in self.fields:
            edit = QLineEdit(objectName=name)
            edit.textEdited.connect(lambda _t: self._set_dirty(True))
            layout.addRow(name, edit)
            self.edits[name] = edit
        self.problems = QLabel(objectName="problems")
        layout.addRow(self.problems)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(int(dirty))

    def is_dirty(self) -> bool:
        return self._dirty

    def current_id(self) -> int | None:
        return self._id

    def maybe_save(self) -> bool:
        if not self._dirty:
            return True
        choice = dialogs.choose(self, "Unsaved changes", "Save the changes?",
                                ["Save", "Discard", "Cancel"])
        if choice == 0:
            return self.save() is not None
        if choice == 1:
            self.revert()
            return True
        return False

    def revert(self) -> None:
        if self._id is not None:
            self.load(self._id)
        else:
            self._blank()

    def _blank(self, **values: str) -> None:
        for name, edit in self.edits.items():
            edit.setText(values.get(name, ""))
        self.problems.clear()
        self._set_dirty(False)


class StandInContactForm(_StandInForm):
    contact_saved = Signal(object)
    fields = ("given_name", "family_name", "company", "email")

    def load(self, contact_id: int) -> None:
        data = get_contact(self.db, contact_id)
        self._original = data
        self._id = contact_id
        self._blank(given_name=data.given_name, family_name=data.family_name,
                    company=data.company, email=data.emails[0].address if data.emails else "")

    def new_contact(self, company: str = "") -> None:
        self._id = None
        self._original = ContactData()
        self._blank(company=company)

    def save(self) -> int | None:
        e = {k: w.text() for k, w in self.edits.items()}
        data = replace(self._original, given_name=e["given_name"], family_name=e["family_name"],
                       company=e["company"],
                       emails=[EmailData(e["email"])] if e["email"] else [])
        record_id, original = self._id, self._original
        try:
            # Like the real form: one unit of work on the writer thread.
            saved = write(self.db, lambda s: save_contact(s, record_id, data, original=original))
        except ValidationError as exc:
            self.problems.setText(exc.message)
            return None
        self.load(saved.id)
        self.contact_saved.emit(saved.changes)
        return saved.id


class StandInCompanyForm(_StandInForm):
    company_saved = Signal(object)
    open_contact_requested = Signal(int)
    new_contact_requested = Signal(str)
    fields = ("name", "industry")
    people_refreshed = 0

    def refresh_people(self) -> None:
        self.people_refreshed += 1

    def load(self, company_id: int) -> None:
        data = get_company(self.db, company_id)
        self._original = data
        self._id = company_id
        self._blank(name=data.name, industry=data.industry)

    def new_company(self) -> None:
        self._id = None
        self._original = CompanyData()
        self._blank()

    def save(self) -> int | None:
        data = replace(self._original, name=self.edits["name"].text(),
                       industry=self.edits["industry"].text())
        record_id, original = self._id, self._original
        try:
            saved = write(self.db, lambda s: save_company(s, record_id, data, original=original))
        except ValidationError as exc:
            self.problems.setText(exc.message)
            return None
        self.load(saved.id)
        self.company_saved.emit(saved.changes)
        return saved.id
