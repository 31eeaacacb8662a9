"""The company form: the company's own details and the people who work there.

Same life cycle as the contact form (RecordForm). The people list is the
Companies view's CompanyContactsModel, read on this thread (a company has
dozens of people, not thousands); a double-click or Enter asks the main window
to open that contact, and "New contact at this company" asks it to start one.
The History tab lists what happened with the company and its people (the
contact form's TimelineWidget, shown for a company).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from crmdesk.core.changes import Changes
from crmdesk.core.companies.records import (
    CompanyData,
    get_company,
    save_company,
    validate_company,
)
from crmdesk.core.contacts.records import Saved
from crmdesk.core.errors import Problem
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.field_models import COMPANY
from crmdesk.ui.common.form_sections import Section, muted, when
from crmdesk.ui.common.record_form import RecordForm
from crmdesk.ui.common.repeatable import (
    AddressRow,
    EmailRow,
    LinkRow,
    PhoneRow,
    RepeatableSection,
    address_labels,
    email_labels,
    link_labels,
    phone_labels,
)
from crmdesk.ui.contacts.form import NotesSection
from crmdesk.ui.contacts.table_model import CompanyContactsModel
from crmdesk.ui.history.timeline import HistoryTab

MAX_PEOPLE_ROWS = 8  # taller than this, the people list scrolls


class CompanyHeader(Section):
    """The company's name in large type, with when it was added and changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = muted(QLabel(self))
        for label in (self.title, self.meta):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.body.addWidget(label)

    def load(self, data: CompanyData) -> None:
        stamps = []
        if data.created_at:
            stamps.append(_("Added {when}").format(when=when(data.created_at)))
        if data.updated_at:
            stamps.append(_("changed {when}").format(when=when(data.updated_at)))
        if data.deleted_at:
            stamps.append(_("in the trash since {when}").format(when=when(data.deleted_at)))
        self.meta.setText(" · ".join(stamps))
        self.meta.setVisible(bool(stamps))
        self.show_name(data)

    def show_name(self, data: CompanyData) -> None:
        self.title.setText(data.name.strip() or _("New company"))

    def store(self, data: CompanyData) -> None:
        pass


class CompanySection(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Company"), parent)
        grid = self.form()
        self.name = QLineEdit(self)
        self.industry = QLineEdit(self)
        self.industry.setPlaceholderText(_("e.g. Wholesale, Construction, IT services"))
        grid.addRow(_("Name"), self.name)
        grid.addRow(_("Industry"), self.industry)
        self.watch(self.name.textChanged, self.industry.textChanged)

    def load(self, data: CompanyData) -> None:
        self.name.setText(data.name)
        self.industry.setText(data.industry)

    def store(self, data: CompanyData) -> None:
        data.name = self.name.text()
        data.industry = self.industry.text()

    def widget_for(self, problem: Problem) -> QWidget | None:
        return {"name": self.name, "industry": self.industry}.get(problem.field)


class PeopleSection(Section):
    """The company's contacts; not part of the company record itself."""

    contact_activated = Signal(int)
    new_contact_clicked = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(_("People"), parent)
        self.model = CompanyContactsModel(db, background=False, parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        self.table.setToolTip(_("Double-click a person to open them"))
        self.table.activated.connect(self._activated)
        self.empty = muted(QLabel(self))
        self.empty.setWordWrap(True)
        self.new_button = QPushButton(_("New contact at this company"), self)
        self.new_button.clicked.connect(lambda *_a: self.new_contact_clicked.emit())
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        box = QVBoxLayout()
        box.setSpacing(6)
        box.addWidget(self.table)
        box.addWidget(self.empty)
        box.addLayout(buttons)
        self.body.addLayout(box)

    def load(self, data: CompanyData) -> None:
        self.show_company(data.id)

    def show_company(self, company_id: int | None) -> None:
        self.model.set_company(company_id)
        count = self.model.rowCount()
        self.title_label.setText(ngettext("People ({n})", "People ({n})", count).format(n=count)
                                 if count else _("People"))
        self.table.setVisible(count > 0)
        self.empty.setVisible(count == 0)
        self.empty.setText(_("Save the company first; then add the people who work there.")
                           if company_id is None else _("Nobody at this company yet."))
        self.new_button.setEnabled(company_id is not None)
        rows = min(max(count, 1), MAX_PEOPLE_ROWS)
        height = (self.table.horizontalHeader().sizeHint().height()
                  + rows * self.table.verticalHeader().defaultSectionSize()
                  + 2 * self.table.frameWidth())
        self.table.setFixedHeight(height)

    def store(self, data: CompanyData) -> None:
        pass

    def _activated(self, index: QModelIndex) -> None:
        contact_id = self.model.id_at(index.row())
        if contact_id is not None:
            self.contact_activated.emit(contact_id)


class CompanyForm(HistoryTab, RecordForm):
    """One company; see RecordForm for load/save/revert/maybe_save."""

    ENTITY = COMPANY

    company_saved = Signal(object)  # a crmdesk.core.changes.Changes
    open_contact_requested = Signal(int)
    new_contact_requested = Signal(str)  # the company's name
    # Something was logged, edited or deleted on the History tab: a core LogResult.
    history_changed = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.setObjectName("companyForm")
        self.header = CompanyHeader(self)
        self.add_section(self.header, pinned=True)
        self.details = CompanySection(self)
        self.people = PeopleSection(db, self)
        self.phones = RepeatableSection(_("Phones"), "phones", PhoneRow, phone_labels,
                                        _("Add phone"), self)
        self.emails = RepeatableSection(_("E-mail"), "emails", EmailRow, email_labels,
                                        _("Add e-mail"), self)
        self.addresses = RepeatableSection(_("Addresses"), "addresses", AddressRow,
                                           address_labels, _("Add address"), self)
        self.links = RepeatableSection(_("Web and social"), "links", LinkRow, link_labels,
                                       _("Add link"), self)
        self.notes = NotesSection(self, rows=5, placeholder="")
        for section in (self.details, self.people, self.phones, self.emails, self.addresses,
                        self.links, self.notes):
            self.add_section(section)
        self.people.contact_activated.connect(self.open_contact_requested)
        self.people.new_contact_clicked.connect(self._new_contact)
        self.finish_layout()
        self.add_history_tab(db)

    # -- the interface the main window uses -----------------------------------------------
    def unsaved_history_tip(self) -> str:
        return _("Save the new company first; then what happens with it and its people "
                 "shows here.")

    def new_company(self, name: str = "") -> None:
        self.start_new(CompanyData(name=name))
        self.focus_first_field()

    def focus_first_field(self) -> None:
        """A new company starts with its name."""
        self.details.name.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def refresh_people(self) -> None:
        """Re-read the people list (after a contact was saved, moved or deleted)."""
        if self._snapshot is not None:
            self.people.show_company(self._id)

    def _new_contact(self) -> None:
        if self._snapshot is not None and self._id is not None:
            self.new_contact_requested.emit(self._snapshot.name)

    # -- RecordForm ---------------------------------------------------------------------------
    def empty_text(self) -> str:
        return _("No company is selected.")

    def blank(self) -> CompanyData:
        return CompanyData()

    def fetch(self, record_id: int) -> CompanyData:
        return get_company(self.db, record_id)

    def check(self, data: CompanyData) -> list[Problem]:
        return validate_company(data, region=self._region)

    def save_record(self, session: Session, record_id: int | None, data: CompanyData,
                    original: CompanyData | None, custom: dict[str, Any]) -> Saved:
        return save_company(session, record_id, data, original=original, custom=custom)

    def announce(self, changes: Changes) -> None:
        self.company_saved.emit(changes)

    def describe(self, data: CompanyData) -> str:
        return data.name.strip()

    def refresh_lists(self) -> None:
        self.addresses.editor.new_row_country = self._region

    def edited(self, data: CompanyData) -> None:
        self.header.show_name(data)

    def loaded(self, data: CompanyData) -> None:
        self.timeline.set_company(data.id)
        self._show_history_count()

    def clear(self) -> None:
        super().clear()
        self.timeline.set_company(None)
