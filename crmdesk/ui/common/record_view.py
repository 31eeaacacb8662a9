"""What the main window expects of a view (Contacts, Companies, Trash, and later
History, Calendar, Reports): one small base class with do-nothing defaults.

The window owns the toolbar, the search box and the keyboard shortcuts, and
calls these methods on whichever view is shown; a view tells the window what
changed through changes_made (one crmdesk.core.changes.Changes), and the window
passes it on to every other
view (DESIGN.md: the service reports what changed, each view decides what to
refresh). A view that is not shown only notes that it is out of date and
reloads when it is shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from crmdesk.core.changes import Changes
from crmdesk.core.storage.database import Database
from crmdesk.ui.common.settings import UiSettings
from crmdesk.ui.tasks.operations import Operations, Progress
from crmdesk.ui.tasks.writes import run_on_writer

FormFactory = Callable[[Database, QWidget], Any]
Service = Callable[[Database, list[int]], Changes]

# Deletes and restores of more records than this run on the worker, in chunks,
# with progress: the GUI stays responsive and SQLite's limit on the number of
# parameters of one statement is never reached.
CHUNK = 500


def run_batched(operations: Operations, db: Database, ids: list[int], service: Service,
                done: Callable[[Changes], None], label: str) -> None:
    """Apply a service to ids on the writer thread; big batches in chunks, each whole.

    A few hundred records are one quick unit of work (the window waits for it
    while it paints); more run as a job with progress. Cancel stops between
    chunks: what was done stays done (each chunk is one transaction) and
    ``done`` still gets the Changes for it.
    """
    if len(ids) <= CHUNK:
        done(run_on_writer(lambda: service(db, ids)))
        return

    def job(progress: Progress) -> Changes:
        changes = Changes()
        for start in range(0, len(ids), CHUNK):
            if progress.cancelled:
                break
            progress.report(start, len(ids))
            changes |= service(db, ids[start:start + CHUNK])
        return changes

    operations.run(job, label=label, on_success=done)


def real_contact_form(db: Database, parent: QWidget) -> Any:
    from crmdesk.ui.contacts.form import ContactForm

    return ContactForm(db, parent)


def real_company_form(db: Database, parent: QWidget) -> Any:
    from crmdesk.ui.companies.form import CompanyForm

    return CompanyForm(db, parent)


class RecordView(QWidget):
    """Base of every view in the main window's navigation."""

    # The "12 of 340 contacts" text changed.
    counts_changed = Signal()
    # The record being edited got (or lost) unsaved changes; ask is_dirty().
    # No bool argument, on purpose: PySide6 6.12 on Python 3.11 drops a reference
    # to True/False on every emit() of a Signal(bool) (or of a bool through any
    # signal) and the process dies with "bool_dealloc" after a few hundred.
    dirty_changed = Signal()
    # What is selected changed (Delete, Restore become possible or not).
    selection_changed = Signal()
    # This view changed something (a crmdesk.core.changes.Changes): the window
    # passes it to every other view. The one signal for every kind of record.
    changes_made = Signal(object)
    # Letters typed into a list: the window puts them in the search box.
    text_typed = Signal(str)
    # A line for the status bar ("Moved 3 contacts to the trash.").
    status_message = Signal(str)
    # Something this view cannot show itself: open a contact in the Contacts view.
    open_contact_requested = Signal(int)

    key = ""

    def __init__(self, db: Database, settings: UiSettings, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.operations = operations
        self.stale = False

    # -- shown in the window ---------------------------------------------------------
    def title(self) -> str:
        raise NotImplementedError

    def search_placeholder(self) -> str:
        return ""

    def lookup_entity(self) -> str | None:
        """Which records the search box looks up here (lookup.query's CONTACT,
        COMPANY or HISTORY), for saying what is wrong with a lookup; None: none."""
        return None

    def counts_text(self) -> str:
        return ""

    def activate(self) -> None:
        """The view was shown: catch up with changes made while it was hidden."""
        if self.stale:
            self.stale = False
            self.refresh()

    def refresh(self) -> None:
        """Reload everything shown (after changes elsewhere)."""

    def outside_change(self) -> None:
        """Another process changed the file: show it as it is now (what the user is
        typing stays as typed)."""
        self.refresh()

    def focus_list(self) -> None:
        self.setFocus()

    # -- the toolbar's verbs -----------------------------------------------------------
    def set_query(self, text: str) -> None:
        """The search box changed (already debounced)."""

    def new_record(self) -> None:
        """Ctrl+N."""

    def new_record_text(self) -> str:
        return ""

    def delete_text(self) -> str:
        """What Del does here, for the menu ("" = Move to Trash)."""
        return ""

    def save(self) -> bool:
        """Ctrl+S: True when saved or nothing to save, False when the form refused."""
        return True

    def revert(self) -> None:
        """Esc: throw away the unsaved changes."""

    def is_dirty(self) -> bool:
        return False

    def can_revert(self) -> bool:
        return self.is_dirty()

    def maybe_save(self) -> bool:
        """Before leaving the view or closing: False means stay."""
        return True

    def delete_selected(self) -> None:
        """Del."""

    def can_delete(self) -> bool:
        return False

    def undo(self) -> None:
        """Ctrl+Z: take back the last delete."""

    def undo_text(self) -> str:
        """What Undo would do ("Undo Delete"), "" when nothing."""
        return ""

    # -- history (Ctrl+L) -------------------------------------------------------------
    def log_targets(self) -> list[int]:
        """The contacts Ctrl+L logs for here; [] when this view has none."""
        return []

    def can_log(self) -> bool:
        """Whether Edit > Log Interaction is enabled while this view is shown."""
        return bool(self.log_targets())

    def log_new(self) -> None:
        """Ctrl+L: the log dialog for log_targets() (several: one entry each, a
        mailing). A view that logs differently (the History view) overrides this."""
        ids = self.log_targets()
        if not ids:
            return
        from crmdesk.ui.history.log_dialog import log_interaction_dialog

        result = log_interaction_dialog(self, self.db, self.settings, contact_ids=ids)
        if result is not None:
            self.history_logged(result)

    def history_logged(self, result: Any) -> None:
        """A core LogResult from this view: its contacts' last-contact dates may have
        moved; the window passes the Changes on to the other views. Views showing
        those contacts themselves override this to refresh them too."""
        self.changes_made.emit(result.changes)

    # -- changes made elsewhere -----------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        """Another view (or another program) changed something: refresh what is
        shown, or note that it is out of date while hidden. The default is the
        careful one: out of date after any change, read again at once if shown."""
        self.stale = True
        if self.isVisible():
            self.activate()

    def shut_down(self, seconds: float | None = None) -> None:
        """The database is about to close: stop background work of this view (waiting
        at most ``seconds`` for what is running)."""
