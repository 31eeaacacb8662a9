"""The Companies view: companies in a big list beside the selected one's form.

The form lists the company's people; opening one of them, or starting a new
contact at the company, is passed on to the window, which shows the Contacts
view for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QWidget

from crmdesk.core.changes import COMPANIES, CONTACTS, FIELDS, HISTORY, Changes
from crmdesk.core.companies.records import restore_companies, trash_companies
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.lookup import listing
from crmdesk.core.lookup import query as lookup_query
from crmdesk.core.storage.database import Database
from crmdesk.ui.common.list_form_view import ListFormView
from crmdesk.ui.common.record_view import FormFactory, real_company_form
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.contacts.table_model import CompanyTableModel
from crmdesk.ui.tasks.operations import Operations


def _num(n: int) -> str:
    return QLocale().toString(n)


class CompaniesView(ListFormView):
    # "New Contact Here": the window starts a contact with this company's name.
    new_contact_requested = Signal(str)

    KIND = COMPANIES
    key = "companies"
    list_key = "companies"
    default_columns = listing.DEFAULT_COMPANY_COLUMNS

    def __init__(self, db: Database, settings: UiSettings, operations: Operations,
                 form_factory: FormFactory = real_company_form,
                 parent: QWidget | None = None) -> None:
        sort_key, descending = settings.sort("companies", list(listing.COMPANY_COLUMNS))
        model = CompanyTableModel(db, sort_key=sort_key, descending=descending)
        model.reload_now()
        super().__init__(db, settings, operations, model, form_factory, parent)
        self.form.open_contact_requested.connect(self.open_contact_requested.emit)
        # The form lists the company's people; "New contact at this company" comes here.
        if hasattr(self.form, "new_contact_requested"):
            self.form.new_contact_requested.connect(self._new_contact_here)
        if hasattr(self.form, "history_changed"):  # logged on the form's History tab
            self.form.history_changed.connect(self.history_logged)
            self.form.set_settings(settings)

    def title(self) -> str:
        return _("Companies")

    def lookup_entity(self) -> str | None:
        return lookup_query.COMPANY

    def search_placeholder(self) -> str:
        return _("Search companies: name, industry:… (F1)")

    def placeholder_text(self) -> str:
        return _("Select a company to see its details and its people,\n"
                 "or press Ctrl+N to add a new one.")

    def empty_text(self, query: str) -> str:
        return _("No company matches “{query}”.\n\nCheck the spelling, use fewer words, "
                 "or clear the search (Esc).").format(query=query)

    def counts_text(self) -> str:
        model = self.model
        if model.query.strip():
            return ngettext("{shown} of {total} company", "{shown} of {total} companies",
                            model.total).format(shown=_num(model.rowCount()),
                                                total=_num(model.total))
        return ngettext("{total} company", "{total} companies", model.total).format(
            total=_num(model.total))

    def new_record_text(self) -> str:
        return _("New Company")

    def saved_signal(self) -> Any:
        return self.form.company_saved

    def form_new(self) -> None:
        self.form.new_company()

    def _new_contact_here(self, company: str) -> None:
        if self.maybe_save():
            self.new_contact_requested.emit(company)

    # -- services -------------------------------------------------------------------
    def trash_service(self) -> Callable[[Database, list[int]], Changes]:
        return trash_companies

    def restore_service(self) -> Callable[[Database, list[int]], Changes]:
        return restore_companies

    def trashed_text(self, n: int) -> str:
        return ngettext("Moved {n} company to the trash.", "Moved {n} companies to the trash.",
                        n).format(n=_num(n))

    def restored_text(self, n: int) -> str:
        return ngettext("Restored {n} company.", "Restored {n} companies.", n).format(n=_num(n))

    # -- changes from elsewhere -----------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        if changes.touches(COMPANIES):
            self.reload_after(changes.of_kind(COMPANIES))
        if changes.touches(CONTACTS) or changes.touches(HISTORY):
            # New companies come with new contacts; counts and the people list change.
            if self.isVisible():
                self.model.reload_everything()
            else:
                self.stale = True
            if self._form_shown and hasattr(self.form, "refresh_people"):
                self.form.refresh_people()
                # Logged elsewhere (Ctrl+L, the History view), or a person moved.
                getattr(self.form, "refresh_history", lambda: None)()
        if changes.touches(FIELDS):
            self.stale = True

