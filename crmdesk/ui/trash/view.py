"""The Trash: contacts and companies moved there, to restore or to delete for good.

Deleting from the other views only moves records here, so a slip of the Del
key costs nothing. Here the same key deletes for good, and therefore always
asks first, naming how many records go and that it cannot be undone.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.changes import COMPANIES, CONTACTS, Changes
from crmdesk.core.companies.records import purge_companies, restore_companies
from crmdesk.core.contacts.records import purge_contacts, restore_contacts
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.lookup import listing
from crmdesk.core.lookup import query as lookup_query
from crmdesk.core.storage.database import Database
from crmdesk.ui.common import dialogs
from crmdesk.ui.common.record_list import RecordListView
from crmdesk.ui.common.record_view import RecordView, Service, run_batched
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.contacts.table_model import CompanyTableModel, ContactTableModel, RecordTableModel
from crmdesk.ui.tasks.operations import Operations


def _num(n: int) -> str:
    return QLocale().toString(n)


class TrashView(RecordView):
    key = "trash"

    def __init__(self, db: Database, settings: UiSettings, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(db, settings, operations, parent)
        with db.reading() as s:
            available = list(listing.contact_columns(s))
        sort = settings.sort("trash_contacts", available, ("deleted", True))
        self.contacts_model = ContactTableModel(db, trash=True, sort_key=sort[0],
                                                descending=sort[1])
        sort = settings.sort("trash_companies", list(listing.COMPANY_COLUMNS), ("deleted", True))
        self.companies_model = CompanyTableModel(db, trash=True, sort_key=sort[0],
                                                 descending=sort[1])
        self.contacts_list = RecordListView(self.contacts_model, settings, "trash_contacts",
                                            listing.TRASH_CONTACT_COLUMNS)
        self.companies_list = RecordListView(self.companies_model, settings, "trash_companies",
                                             listing.TRASH_COMPANY_COLUMNS)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.contacts_list, "")
        self.tabs.addTab(self.companies_list, "")
        self.tabs.currentChanged.connect(lambda _i: self._changed())

        note = QLabel(_("Records in the trash are kept until you delete them for good. "
                        "Restore brings a record back with everything it had."))
        note.setWordWrap(True)
        note.setEnabled(False)
        self.restore_button = QPushButton(_("Restore"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button = QPushButton(_("Delete for Good…"))
        self.purge_button.clicked.connect(self.delete_selected)
        self.empty_button = QPushButton(_("Empty Trash…"))
        self.empty_button.clicked.connect(self.empty_trash)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 6)
        bar.addWidget(note, 1)
        for button in (self.restore_button, self.purge_button, self.empty_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.tabs)

        for view in (self.contacts_list, self.companies_list):
            restore = QAction(_("Restore"), view)
            restore.triggered.connect(self.restore_selected)
            purge = QAction(_("Delete for Good…"), view)
            purge.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
            purge.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            purge.triggered.connect(self.delete_selected)
            view.addActions([restore, purge])
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.selection_changed.connect(self._changed)
            view.text_typed.connect(self.text_typed.emit)
            view.record_model.reloaded.connect(self._changed)
        self.contacts_model.reload_now()
        self.companies_model.reload_now()
        self._changed()

    # -- what is shown --------------------------------------------------------------
    def title(self) -> str:
        return _("Trash")

    def search_placeholder(self) -> str:
        return _("Search the trash…")

    def current_list(self) -> RecordListView:
        return self.contacts_list if self.tabs.currentIndex() == 0 else self.companies_list

    def _models(self) -> tuple[RecordTableModel, RecordTableModel]:
        return self.contacts_model, self.companies_model

    def _changed(self) -> None:
        self.tabs.setTabText(0, _("Contacts ({n})").format(n=_num(self.contacts_model.total)))
        self.tabs.setTabText(1, _("Companies ({n})").format(n=_num(self.companies_model.total)))
        selected = self.current_list().selectionModel().hasSelection()
        self.restore_button.setEnabled(selected)
        self.purge_button.setEnabled(selected)
        self.empty_button.setEnabled(bool(self.contacts_model.total
                                          or self.companies_model.total))
        self.selection_changed.emit()
        self.counts_changed.emit()

    def delete_text(self) -> str:
        return _("Delete for Good…")

    def counts_text(self) -> str:
        contacts, companies = self.contacts_model.total, self.companies_model.total
        if not contacts and not companies:
            return _("The trash is empty")
        return _("In the trash: {contacts}, {companies}").format(
            contacts=ngettext("{n} contact", "{n} contacts", contacts).format(n=_num(contacts)),
            companies=ngettext("{n} company", "{n} companies", companies).format(
                n=_num(companies)))

    def lookup_entity(self) -> str | None:
        return lookup_query.CONTACT if self.tabs.currentIndex() == 0 else lookup_query.COMPANY

    def set_query(self, text: str) -> None:
        for model in self._models():
            model.set_query(text)

    def refresh(self) -> None:
        for model in self._models():
            model.mark_stale()
            model.reload()

    def focus_list(self) -> None:
        self.current_list().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def can_delete(self) -> bool:
        return self.current_list().selectionModel().hasSelection()

    # -- restore and purge ----------------------------------------------------------
    def _is_contacts(self) -> bool:
        return self.tabs.currentIndex() == 0

    def restore_selected(self) -> None:
        view = self.current_list()
        ids = view.selected_ids()
        if not ids:
            return
        contacts = self._is_contacts()
        service: Service = restore_contacts if contacts else restore_companies

        def done(changes: Changes) -> None:
            kind = CONTACTS if contacts else COMPANIES
            view.record_model.apply_change(changes.of_kind(kind))
            self.changes_made.emit(changes)
            n = len(changes.ids(kind))
            self.status_message.emit(
                ngettext("Restored {n} contact.", "Restored {n} contacts.", n).format(n=_num(n))
                if contacts else
                ngettext("Restored {n} company.", "Restored {n} companies.", n).format(
                    n=_num(n)))

        run_batched(self.operations, self.db, ids, service, done, _("Restoring…"))

    def delete_selected(self) -> None:
        """Delete for good, after asking."""
        ids = self.current_list().selected_ids()
        if not ids:
            return
        n = len(ids)
        if self._is_contacts():
            text = ngettext("Delete {n} contact for good?", "Delete {n} contacts for good?",
                            n).format(n=_num(n))
        else:
            text = ngettext("Delete {n} company for good?", "Delete {n} companies for good?",
                            n).format(n=_num(n))
        if not dialogs.confirm(self, _("Delete for Good"), text, _("Delete for Good"),
                               informative=_("This cannot be undone."), destructive=True):
            return
        self._purge(self._is_contacts(), ids)

    def empty_trash(self) -> None:
        contacts, companies = self.contacts_model.total, self.companies_model.total
        if not contacts and not companies:
            return
        text = _("Delete everything in the trash for good: {contacts} and {companies}?").format(
            contacts=ngettext("{n} contact", "{n} contacts", contacts).format(n=_num(contacts)),
            companies=ngettext("{n} company", "{n} companies", companies).format(
                n=_num(companies)))
        if not dialogs.confirm(self, _("Empty Trash"), text, _("Empty Trash"),
                               informative=_("This cannot be undone."), destructive=True):
            return
        with self.db.reading() as session:
            contact_ids = listing.contact_ids(session, "", "name", trash=True)
            company_ids = listing.company_ids(session, "", "name", trash=True)
        if contact_ids:
            self._purge(True, contact_ids)
        if company_ids:
            self._purge(False, company_ids)

    def _purge(self, contacts: bool, ids: list[int]) -> None:
        service: Service = purge_contacts if contacts else purge_companies
        model = self.contacts_model if contacts else self.companies_model

        def done(changes: Changes) -> None:
            kind = CONTACTS if contacts else COMPANIES
            model.apply_change(changes.of_kind(kind))
            self.changes_made.emit(changes)
            n = len(changes.ids(kind))
            self.status_message.emit(
                ngettext("Deleted {n} contact for good.", "Deleted {n} contacts for good.",
                         n).format(n=_num(n)) if contacts else
                ngettext("Deleted {n} company for good.", "Deleted {n} companies for good.",
                         n).format(n=_num(n)))

        run_batched(self.operations, self.db, ids, service, done, _("Deleting for good…"))

    # -- changes from elsewhere -------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        """Records that came or went from the live lists went or came here."""
        contacts, companies = changes.of_kind(CONTACTS), changes.of_kind(COMPANIES)
        if contacts.added or contacts.removed:
            self.contacts_model.reload_everything()
        if companies.added or companies.removed:
            self.companies_model.reload_everything()
        if changes.touches(COMPANIES):
            # The Company column of trashed contacts shows live companies only.
            self.contacts_model.mark_stale()

    def shut_down(self, seconds: float | None = None) -> None:
        for view in (self.contacts_list, self.companies_list):
            view.save_columns()
        for model in self._models():
            model.stop(seconds)
