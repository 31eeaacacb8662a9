"""The Contacts view: every live contact in a big list, the selected one in the form
(several selected: a panel of what can be done with all of them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from crmdesk.core.changes import (
    ACTIVITIES,
    COMPANIES,
    CONTACTS,
    FIELDS,
    LISTS,
    SETTINGS,
    Changes,
)
from crmdesk.core.contacts.records import (
    restore_contacts,
    tag_contacts,
    trash_contacts,
    untag_contacts,
)
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.lookup import listing
from crmdesk.core.lookup import query as lookup_query
from crmdesk.core.storage.database import Database
from crmdesk.ui.common.list_form_view import ListFormView
from crmdesk.ui.common.record_view import FormFactory, real_contact_form, run_batched
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.contacts.selection_panel import SelectionPanel
from crmdesk.ui.contacts.table_model import ContactTableModel
from crmdesk.ui.tasks.operations import Operations


class ContactsView(ListFormView):
    KIND = CONTACTS
    key = "contacts"
    list_key = "contacts"
    default_columns = listing.DEFAULT_CONTACT_COLUMNS

    def __init__(self, db: Database, settings: UiSettings, operations: Operations,
                 form_factory: FormFactory = real_contact_form,
                 parent: QWidget | None = None) -> None:
        with db.reading() as s:
            available = list(listing.contact_columns(s))
        sort_key, descending = settings.sort("contacts", available)
        model = ContactTableModel(db, sort_key=sort_key, descending=descending)
        model.reload_now()
        super().__init__(db, settings, operations, model, form_factory, parent)
        if hasattr(self.form, "choice_lists_edited"):  # a status was renamed ...
            self.form.choice_lists_edited.connect(lambda *_a: self.model.mark_stale())
        if hasattr(self.form, "history_changed"):  # logged on the form's History tab
            self.form.history_changed.connect(self.history_logged)
            self.form.set_settings(settings)

    def title(self) -> str:
        return _("Contacts")

    def lookup_entity(self) -> str | None:
        return lookup_query.CONTACT

    def search_placeholder(self) -> str:
        return _("Search: name, phone, city:Vilnius… (F1)")

    def placeholder_text(self) -> str:
        return _("Select a contact to see and edit everything about them,\n"
                 "or press Ctrl+N to add a new one.")

    def empty_text(self, query: str) -> str:
        return _("No contact matches “{query}”.\n\nCheck the spelling, use fewer words, "
                 "or clear the search (Esc).").format(query=query)

    def nothing_text(self) -> str:
        if self.model.total:
            return ""
        return _("No contacts yet.\n\nPress Ctrl+N to add one, or File > Import Contacts… "
                 "to bring them in from Excel, Outlook, Google or a phone (or drop the file "
                 "on this window).")

    # -- several selected -------------------------------------------------------
    def build_selection_panel(self) -> SelectionPanel:
        panel = SelectionPanel()
        panel.log_requested.connect(self.log_new)
        panel.tag_requested.connect(lambda tag: self.tag_selected(tag, add=True))
        panel.untag_requested.connect(lambda tag: self.tag_selected(tag, add=False))
        panel.trash_requested.connect(self.delete_selected)
        panel.export_requested.connect(self.export_call_list)
        return panel

    def tag_selected(self, tag: str, *, add: bool) -> None:
        """Add or remove a tag on every selected contact (on the writer thread)."""
        ids = self.list.selected_ids()
        if not ids:
            return
        service = tag_contacts if add else untag_contacts

        def done(changes: Changes) -> None:
            self.model.apply_change(changes.of_kind(CONTACTS))
            self.announce(changes)
            n = len(ids)
            self.status_message.emit(
                (ngettext("Tagged {n} contact “{tag}”.", "Tagged {n} contacts “{tag}”.", n)
                 if add else
                 ngettext("Removed the tag “{tag}” from {n} contact.",
                          "Removed the tag “{tag}” from {n} contacts.", n)
                 ).format(n=_num(n), tag=tag))

        run_batched(self.operations, self.db, ids,
                    lambda db, chunk: service(db, chunk, tag), done,
                    _("Tagging…") if add else _("Removing the tag…"))

    # -- export ------------------------------------------------------------------------
    def export_call_list(self) -> None:
        """File > Export Call List…: the list shown, or the selection, as CSV or XLSX."""
        from pathlib import Path

        from babel import Locale
        from PySide6.QtCore import QLocale

        from crmdesk.core.storage.settings import get_setting
        from crmdesk.io.call_export import export_contacts
        from crmdesk.io.call_list import INTERNATIONAL, NATIONAL, export_columns
        from crmdesk.ui.common import dialogs
        from crmdesk.ui.contacts.export_dialog import ExportDialog

        self.model.wait()  # a search just typed: export its rows, not the last ones
        ids = self.model.ids()
        if not ids:
            dialogs.inform(self, _("Export Call List"), _("The list is empty: there is "
                                                          "nothing to export."))
            return
        selected = self.list.selected_ids()
        with self.db.reading() as session:
            columns = export_columns(session)
            region = get_setting(session, "phone_region")
        try:
            name = QLocale().name()
            country = Locale.parse(name if name != "C" else "en").territories.get(region, region)
        except (ValueError, TypeError, LookupError):
            country = region
        dialog = ExportDialog(columns, shown=len(ids), selected=len(selected),
                              country=country if region else "", settings=self.settings,
                              db=self.db, parent=self)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        suffix, kinds = {
            "xlsx": (".xlsx", _("Excel workbooks (*.xlsx)")),
            "vcard": (".vcf", _("vCard files (*.vcf)")),
            "pdf": (".pdf", _("PDF call sheets (*.pdf)")),
        }.get(choice.file_format, (".csv", _("CSV files (*.csv)")))
        path = dialogs.save_file(self, _("Export Call List"),
                                 str(Path.home() / ((_("contacts") if suffix == ".vcf"
                                                     else _("call-list")) + suffix)),
                                 ";;".join([kinds, _("All files (*)")]))
        if not path:
            return
        if not Path(path).suffix:
            path += suffix
        chosen = selected if choice.selected_only else ids
        db = self.db

        def job(progress: Any) -> int:
            progress.report(0, 0)
            with db.reading() as session:
                if choice.file_format == "vcard":
                    from crmdesk.io.vcard_out import export_vcards

                    return export_vcards(session, chosen, path)
                return export_contacts(session, chosen, choice.columns, path,
                                       file_format=choice.file_format,
                                       encoding=choice.encoding, delimiter=choice.delimiter,
                                       phones=NATIONAL if choice.national else INTERNATIONAL,
                                       title=self.model.query or choice.preset,
                                       sort=choice.sort, descending=choice.descending,
                                       paper=choice.paper, progress=progress.report)

        def done(n: int) -> None:
            self.status_message.emit(ngettext(
                "Exported {n} contact to {path}.", "Exported {n} contacts to {path}.", n
            ).format(n=_num(n), path=path))

        self.operations.run(job, label=_("Exporting the call list…"), on_success=done)

    def counts_text(self) -> str:
        model = self.model
        if not model.complete:  # the first screenful shows; the rest is on its way
            return ngettext("{shown}+ of {total} contact, counting…",
                            "{shown}+ of {total} contacts, counting…",
                            model.total).format(shown=_num(model.rowCount()),
                                                total=_num(model.total))
        if model.query.strip():
            return ngettext("{shown} of {total} contact", "{shown} of {total} contacts",
                            model.total).format(shown=_num(model.rowCount()),
                                                total=_num(model.total))
        return ngettext("{total} contact", "{total} contacts", model.total).format(
            total=_num(model.total))

    def new_record_text(self) -> str:
        return _("New Contact")

    def saved_signal(self) -> Any:
        return self.form.contact_saved

    def form_new(self) -> None:
        self.form.new_contact(self._new_company)
        self._new_company = ""

    _new_company = ""

    def new_contact_at(self, company: str) -> None:
        """A new contact already filled in with this company (from the Companies view)."""
        self._new_company = company
        self.new_record()

    def trash_service(self) -> Callable[[Database, list[int]], Changes]:
        return trash_contacts

    def restore_service(self) -> Callable[[Database, list[int]], Changes]:
        return restore_contacts

    def trashed_text(self, n: int) -> str:
        return ngettext("Moved {n} contact to the trash.", "Moved {n} contacts to the trash.",
                        n).format(n=_num(n))

    def restored_text(self, n: int) -> str:
        return ngettext("Restored {n} contact.", "Restored {n} contacts.", n).format(n=_num(n))

    def show_contact(self, contact_id: int) -> bool:
        """Select and open this contact; False when the current search hides it."""
        if not self.list.select_id(contact_id):
            return False
        self.list.setFocus()
        return True

    # -- history (Ctrl+L) -----------------------------------------------------------
    def log_targets(self) -> list[int]:
        """The form's contact while the form has the focus, else the selected rows
        (several: a mailing), else the contact in the form."""
        form_id = self.form.current_id() if self._form_shown else None
        focus = QApplication.focusWidget()
        if form_id is not None and focus is not None and self.form.isAncestorOf(focus):
            return [form_id]
        return self.list.selected_ids() or ([form_id] if form_id is not None else [])

    def history_logged(self, result: Any) -> None:
        changes: Changes = result.changes
        self.model.apply_change(changes.of_kind(CONTACTS))  # the Last contact column
        if self._form_shown and self.form.current_id() in changes.ids(CONTACTS):
            getattr(self.form, "refresh_history", lambda: None)()
        super().history_logged(result)
        n = len(result.ids)
        self.status_message.emit(ngettext("Logged {n} entry.", "Logged {n} entries.",
                                          n).format(n=_num(n)))

    # -- changes from elsewhere ---------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        if changes.touches(CONTACTS):
            self.reload_after(changes.of_kind(CONTACTS))
            if self._form_shown and self.form.current_id() in changes.ids(CONTACTS):
                if self.form.current_id() in changes.removed(CONTACTS):
                    self._show_form(False)
                else:  # logged elsewhere (the History view): the form's History tab
                    getattr(self.form, "refresh_history", lambda: None)()
        if changes.touches(COMPANIES) or changes.touches(LISTS) or changes.touches(SETTINGS):
            # A renamed or deleted company shows in the Company column, a renamed
            # status in the Status column, a new collation in the order.
            self.model.reload_everything()
        if changes.touches(LISTS) and self._form_shown:
            form = self.form
            if form.current_id() is not None and not form.is_dirty():
                self.open_record(form.current_id())  # renamed entries shown as they are now
            elif hasattr(form, "refresh_lists"):
                form.refresh_lists()
        if changes.touches(FIELDS):
            self.stale = True
        if changes.touches(ACTIVITIES) and "next_activity" in self.model.keys:
            # Something planned or cleared: the Next activity column (and that order).
            self.model.reload_everything()


def _num(n: int) -> str:
    from PySide6.QtCore import QLocale

    return QLocale().toString(n)
