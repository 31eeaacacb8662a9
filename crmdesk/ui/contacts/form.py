"""The contact form: every field of a contact, in sections, in the detail pane.

The main window owns the shortcuts and the list; it calls load/new_contact,
asks maybe_save() before moving to another record, and listens to
contact_saved (a core Change) to refresh its lists. The form owns no rules:
what is valid is what crmdesk.core.contacts.records.validate() says, shown on the
field as the user types, and saved with update_contact(original=snapshot) so
only what the user changed is written.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from crmdesk.core.changes import Changes
from crmdesk.core.companies.records import company_names
from crmdesk.core.contacts.records import (
    ContactData,
    Saved,
    all_tags,
    get_contact,
    save_contact,
    validate,
)
from crmdesk.core.errors import WARNING, Problem
from crmdesk.core.i18n import _
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.field_models import CONTACT
from crmdesk.core.storage.models import FAMILY_FIRST, GIVEN_FIRST, SOURCE, STATUS
from crmdesk.ui.common.field_editors import NotesEdit, PartialDateEdit, TagsEdit
from crmdesk.ui.common.form_sections import Section, muted, when
from crmdesk.ui.common.photo_box import PhotoBox
from crmdesk.ui.common.record_form import RecordForm
from crmdesk.ui.common.repeatable import (
    AddressRow,
    DateRow,
    EmailRow,
    LinkRow,
    PhoneRow,
    RelativeRow,
    RepeatableEditor,
    RepeatableSection,
    address_labels,
    date_labels,
    email_labels,
    link_labels,
    phone_labels,
    relation_labels,
)
from crmdesk.ui.history.timeline import HistoryTab
from crmdesk.ui.lists.choice_lists import ChoiceCombo


def _is_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def initials(data: ContactData) -> str:
    """For the photo placeholder: "JK"; for a Chinese name the given name, as is usual."""
    given, family = data.given_name.strip(), data.family_name.strip()
    if _is_cjk(given + family):
        return given[-2:] or family[:2]
    parts = [data.given_name, data.family_name]
    if data.name_order == FAMILY_FIRST:
        parts.reverse()
    text = "".join(p.strip()[:1] for p in parts if p.strip())
    return (text or data.nickname.strip()[:1] or data.company.strip()[:1]).upper()


class ContactHeader(Section):
    """Photo and name on top of the form, pinned while the fields scroll."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.photo = PhotoBox(self)
        self.photo.changed.connect(lambda *_a: self.changed.emit())
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.meta = muted(QLabel(self))
        for label in (self.title, self.subtitle, self.meta):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addStretch(1)
        for label in (self.title, self.subtitle, self.meta):
            texts.addWidget(label)
        texts.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(texts, 1)
        self.body.addLayout(row)

    def load(self, data: ContactData) -> None:
        self.photo.set_photo(data.photo, data.photo_mime)
        stamps = []
        if data.created_at:
            stamps.append(_("Added {when}").format(when=when(data.created_at)))
        if data.updated_at:
            stamps.append(_("changed {when}").format(when=when(data.updated_at)))
        if data.deleted_at:
            stamps.append(_("in the trash since {when}").format(when=when(data.deleted_at)))
        self.meta.setText(" · ".join(stamps))
        self.meta.setVisible(bool(stamps))
        self.show_names(data)

    def show_names(self, data: ContactData) -> None:
        name = data.name()
        self.title.setText(name or data.company.strip()
                           or (_("New contact") if data.id is None else _("(no name)")))
        role = ", ".join(x.strip() for x in (data.job_title, data.department) if x.strip())
        company = data.company.strip() if name else ""
        self.subtitle.setText(" · ".join(x for x in (role, company) if x))
        self.subtitle.setVisible(bool(self.subtitle.text()))
        self.photo.set_initials(initials(data))

    def store(self, data: ContactData) -> None:
        data.photo, data.photo_mime = self.photo.photo()

    def widget_for(self, problem: Problem) -> QWidget | None:
        return self.photo if problem.field == "photo" else None


RARE_NAME_PARTS = ("prefix", "middle_name", "suffix", "nickname", "name_order")


class NameSection(Section):
    """Name parts; with family name first the family name field comes first too.

    Most people have a given and a family name only: the rarely used parts (title,
    middle name, suffix, nickname, name order) stay folded away until one holds a
    value or the user asks for them ("More name fields"). Rows placed after the
    names (the company, see add_row) stay in view.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Name"), parent)
        self.grid = self.form()
        self._extra: list[tuple[QLabel, QWidget]] = []
        self.more = QToolButton(self)
        self.more.setObjectName("moreNameFields")
        self.more.setCheckable(True)
        self.more.setAutoRaise(True)
        self.more.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable with Tab
        self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more.toggled.connect(self.unfold)
        self.header.addWidget(self.more)
        self.order = QComboBox(self)
        self.order.addItem(_("Given name first (Anna Smith)"), GIVEN_FIRST)
        self.order.addItem(_("Family name first (王小明, Иванов Иван)"), FAMILY_FIRST)
        self.order.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.order.setMinimumContentsLength(12)
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        for key, label, hint in (
            ("prefix", _("Title"), _("e.g. Dr., Ms.")),
            ("given_name", _("Given name"), ""),
            ("middle_name", _("Middle name"), _("or patronymic, e.g. Ivanovich")),
            ("family_name", _("Family name"), ""),
            ("suffix", _("Suffix"), _("e.g. Jr., PhD")),
            ("nickname", _("Nickname"), ""),
        ):
            edit = QLineEdit(self)
            edit.setPlaceholderText(hint)
            edit.setObjectName(key)
            self.edits[key] = edit
            self.labels[key] = QLabel(label, self)
            self.labels[key].setBuddy(edit)
            self.watch(edit.textChanged)
        self.labels["name_order"] = QLabel(_("Name order"), self)
        self.labels["name_order"].setBuddy(self.order)
        self.order.currentIndexChanged.connect(self._order_changed)
        self._arrange()
        self.unfold(False)

    def add_row(self, label: str, field: QWidget) -> None:
        """A field of another section shown in this one, below the names."""
        self._extra.append((QLabel(label, self), field))
        self._arrange()

    def is_unfolded(self) -> bool:
        return self.more.isChecked()

    def unfold(self, shown: bool = True) -> None:
        """Show (or fold away) the rarely used name parts."""
        if self.more.isChecked() != shown:
            self.more.setChecked(shown)  # comes back here through toggled
            return
        self.more.setText(_("Fewer name fields") if shown else _("More name fields"))
        self.more.setArrowType(Qt.ArrowType.UpArrow if shown else Qt.ArrowType.DownArrow)
        self.more.setToolTip(_("Title, middle name, suffix, nickname and name order"))
        self._show_rows()
        self.rows_changed.emit()

    def _show_rows(self) -> None:
        shown = self.more.isChecked()
        for row, key in enumerate(self._keys()):
            self.grid.setRowVisible(row, shown or key not in RARE_NAME_PARTS)

    def _keys(self) -> list[str]:
        if self.order.currentData() == FAMILY_FIRST:
            names = ["family_name", "given_name", "middle_name"]
        else:
            names = ["given_name", "middle_name", "family_name"]
        return ["prefix", *names, "suffix", "nickname", "name_order"]

    def _arrange(self) -> None:
        while self.grid.rowCount():
            self.grid.takeRow(0)
        for key in self._keys():
            field = self.order if key == "name_order" else self.edits[key]
            self.grid.addRow(self.labels[key], field)
        for label, widget in self._extra:
            label.setBuddy(widget)
            self.grid.addRow(label, widget)
        self._show_rows()

    def _order_changed(self) -> None:
        self._arrange()
        self.rows_changed.emit()
        self.changed.emit()

    def load(self, data: ContactData) -> None:
        for key, edit in self.edits.items():
            edit.setText(getattr(data, key))
        index = self.order.findData(data.name_order)
        if index < 0:  # an order this version does not know: shown, not changed
            self.order.addItem(data.name_order, data.name_order)
            index = self.order.count() - 1
        self.order.setCurrentIndex(index)
        self.unfold(any(getattr(data, key).strip() for key in RARE_NAME_PARTS
                        if key != "name_order") or data.name_order != GIVEN_FIRST)

    def store(self, data: ContactData) -> None:
        for key, edit in self.edits.items():
            setattr(data, key, edit.text())
        data.name_order = self.order.currentData()

    def widget_for(self, problem: Problem) -> QWidget | None:
        if problem.field in RARE_NAME_PARTS and not self.is_unfolded():
            self.unfold()  # a problem is never marked on a field out of sight
        if problem.field == "name_order":
            return self.order
        return self.edits.get(problem.field)


class WorkSection(Section):
    """Company, job title and department. The form shows the company with the names
    (it is what a contact is looked for by, next to the name) and the rest lower."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Work"), parent)
        grid = self.form()
        self.company = QComboBox(self)
        self.company.setEditable(True)
        self.company.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.company.setMaxVisibleItems(15)
        self.company.lineEdit().setPlaceholderText(_("Type or pick a company"))
        self.company.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.company.setMinimumContentsLength(10)
        completer = QCompleter(self.company.model(), self.company)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.company.setCompleter(completer)
        self.job_title = QLineEdit(self)
        self.department = QLineEdit(self)
        grid.addRow(_("Job title"), self.job_title)
        grid.addRow(_("Department"), self.department)
        self._names: list[str] = []
        self.watch(self.company.editTextChanged, self.job_title.textChanged,
                   self.department.textChanged)

    def set_names(self, names: list[str]) -> None:
        if names == self._names:
            return
        self._names = names
        text = self.company.currentText()
        self.company.blockSignals(True)
        self.company.clear()
        self.company.addItems(names)
        self.company.setCurrentIndex(-1)
        self.company.setEditText(text)
        self.company.blockSignals(False)

    def load(self, data: ContactData) -> None:
        self.company.setCurrentIndex(-1)
        self.company.setEditText(data.company)
        self.job_title.setText(data.job_title)
        self.department.setText(data.department)

    def store(self, data: ContactData) -> None:
        data.company = self.company.currentText()
        data.job_title = self.job_title.text()
        data.department = self.department.text()

    def widget_for(self, problem: Problem) -> QWidget | None:
        return {"company": self.company, "job_title": self.job_title,
                "department": self.department}.get(problem.field)


class ClassSection(Section):
    """Status, lead source and tags: what lists and lookups select by."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(_("Status and tags"), parent)
        grid = self.form()
        self.status = ChoiceCombo(db, STATUS, self)
        self.source = ChoiceCombo(db, SOURCE, self)
        for combo in (self.status, self.source):
            combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.tags = TagsEdit(self)
        grid.addRow(_("Status"), self.status)
        grid.addRow(_("Source"), self.source)
        grid.addRow(_("Tags"), self.tags)
        self.watch(self.status.changed, self.source.changed, self.tags.textChanged)

    def load(self, data: ContactData) -> None:
        self.status.set_value(data.status)
        self.source.set_value(data.source)
        self.tags.set_tags(data.tags)

    def store(self, data: ContactData) -> None:
        data.status = self.status.value()
        data.source = self.source.value()
        data.tags = self.tags.tags()

    def widget_for(self, problem: Problem) -> QWidget | None:
        return {"tags": self.tags, "status": self.status,
                "source": self.source}.get(problem.field)


class DatesSection(Section):
    """The birthday (its year optional) and any other days to remember."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Birthday and other dates"), parent)
        grid = self.form()
        self.birthday = PartialDateEdit(self)
        grid.addRow(_("Birthday"), self.birthday)
        self.dates = RepeatableEditor(DateRow, date_labels, self)
        self.body.addWidget(self.dates)
        self.add_button = self.add_header_button(_("Add date"))
        self.add_button.clicked.connect(lambda: self.dates.add_row(focus=True))
        self.watch(self.birthday.changed, self.dates.changed)
        self.dates.rows_changed.connect(self.rows_changed)

    def load(self, data: ContactData) -> None:
        self.birthday.set_value(data.birthday_year, data.birthday_month, data.birthday_day)
        self.dates.set_values(list(data.dates))

    def store(self, data: ContactData) -> None:
        data.birthday_year, data.birthday_month, data.birthday_day = self.birthday.value()
        data.dates = self.dates.values()

    def widget_for(self, problem: Problem) -> QWidget | None:
        if problem.field == "birthday":
            return self.birthday
        return self.dates.widget_for(problem) if problem.field == "dates" else None

    def set_label_width(self, width: int) -> None:
        super().set_label_width(width)
        self.dates.set_label_width(width)


class NotesSection(Section):
    """Free text about the record (contacts and companies alike)."""

    def __init__(self, parent: QWidget | None = None, *, rows: int = 6,
                 placeholder: str | None = None) -> None:
        super().__init__(_("Notes"), parent)
        self.notes = NotesEdit(rows, self)
        self.notes.setPlaceholderText(
            _("Anything worth remembering about this person") if placeholder is None
            else placeholder)
        self.notes.setAccessibleName(_("Notes"))
        self.body.addWidget(self.notes)
        self.watch(self.notes.textChanged)

    def load(self, data: Any) -> None:
        self.notes.set_text(data.notes)

    def store(self, data: Any) -> None:
        data.notes = self.notes.toPlainText()

    def widget_for(self, problem: Problem) -> QWidget | None:
        return self.notes if problem.field == "notes" else None


class ContactForm(HistoryTab, RecordForm):
    """One contact, all of it; see RecordForm for load/save/revert/maybe_save."""

    ENTITY = CONTACT

    contact_saved = Signal(object)  # a crmdesk.core.contacts.records.Change
    # A status or source list was edited (list views may show renamed entries).
    choice_lists_edited = Signal()
    # Something was logged, edited or deleted on the History tab: a core LogResult.
    history_changed = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.setObjectName("contactForm")
        self.header = ContactHeader(self)
        self.add_section(self.header, pinned=True)
        self.names = NameSection(self)
        self.work = WorkSection(self)
        self.classes = ClassSection(db, self)
        self.phones = RepeatableSection(_("Phones"), "phones", PhoneRow, phone_labels,
                                        _("Add phone"), self)
        self.emails = RepeatableSection(_("E-mail"), "emails", EmailRow, email_labels,
                                        _("Add e-mail"), self)
        self.addresses = RepeatableSection(_("Addresses"), "addresses", AddressRow,
                                           address_labels, _("Add address"), self)
        self.links = RepeatableSection(_("Web and social"), "links", LinkRow, link_labels,
                                       _("Add link"), self)
        self.dates = DatesSection(self)
        self.relatives = RepeatableSection(_("Family and relatives"), "relatives",
                                           RelativeRow, relation_labels, _("Add relative"),
                                           self)
        self.notes = NotesSection(self)
        self.names.add_row(_("Company"), self.work.company)
        # Most used first: name and company, phones, e-mails, addresses, status.
        for section in (self.names, self.phones, self.emails, self.addresses, self.classes,
                        self.work, self.links, self.dates, self.relatives, self.notes):
            self.add_section(section)
        for combo, attr in ((self.classes.status, "status"), (self.classes.source, "source")):
            combo.list_edited.connect(lambda renamed, a=attr: self._renamed(a, renamed))
        self.finish_layout()
        self.add_history_tab(db)

    # -- the interface the main window uses -----------------------------------------------
    def unsaved_history_tip(self) -> str:
        return _("Save the new contact first; then its calls, meetings and letters "
                 "can be recorded here.")

    def new_contact(self, company: str = "") -> None:
        """An empty contact (at ``company``), not stored until saved."""
        self.start_new(ContactData(company=company))
        # Nearly everyone has a phone and an e-mail: their fields are ready to type
        # in (a row left blank is not part of the contact).
        self.phones.editor.add_row()
        self.emails.editor.add_row()
        self.focus_first_field()

    def focus_first_field(self) -> None:
        """A new contact starts with the first name (Ctrl+N puts the cursor there)."""
        self.names.edits["given_name"].setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- RecordForm ---------------------------------------------------------------------------
    def empty_text(self) -> str:
        return _("No contact is selected.")

    def blank(self) -> ContactData:
        return ContactData()

    def fetch(self, record_id: int) -> ContactData:
        return get_contact(self.db, record_id)

    def check(self, data: ContactData) -> list[Problem]:
        problems = validate(data, region=self._region)
        if self.current_id() is None:
            problems += self._looks_like(data)
        return problems

    def _looks_like(self, data: ContactData) -> list[Problem]:
        """A new contact like one already in the file: said, not refused (two people
        may share a name), through indexes only, as the user types."""
        from crmdesk.core.contacts.duplicates import similar_contacts
        from crmdesk.core.storage.models import Contact
        from crmdesk.core.storage.settings import get_setting

        if not (data.given_name or data.family_name or data.emails or data.phones):
            return []
        with self.db.reading() as session:
            found = similar_contacts(session, data, region=self._region,
                                     language=get_setting(session, "collation"))
            if not found:
                return []
            best = found[0]
            name = session.get(Contact, best.second)
            shown = name.display_name if name is not None else "?"
        return [Problem("given_name", _(
            "This looks like {name}, already in the file ({why}). Save anyway if it is "
            "someone else.").format(name=shown, why=best.reason_text()), severity=WARNING)]

    def save_record(self, session: Session, record_id: int | None, data: ContactData,
                    original: ContactData | None, custom: dict[str, Any]) -> Saved:
        return save_contact(session, record_id, data, original=original, custom=custom)

    def announce(self, changes: Changes) -> None:
        self.contact_saved.emit(changes)

    def describe(self, data: ContactData) -> str:
        return data.name() or data.company.strip()

    def refresh_lists(self) -> None:
        with self.db.reading() as s:
            names, tags = company_names(s), all_tags(s)
        self.work.set_names(names)
        self.classes.tags.set_known(tags)
        self.classes.status.reload()
        self.classes.source.reload()
        self.addresses.editor.new_row_country = self._region

    def edited(self, data: ContactData) -> None:
        self.header.show_names(data)

    def loaded(self, data: ContactData) -> None:
        self.timeline.set_contact(data.id)
        self._show_history_count()

    def clear(self) -> None:
        super().clear()
        self.timeline.set_contact(None)

    def _renamed(self, attr: str, renamed: dict[str, str]) -> None:
        """Entries renamed in the list editor: the contact did not change, its list did."""
        for record in (self._snapshot, self._baseline):
            if record is None:
                continue
            value = getattr(record, attr)
            for old, new in renamed.items():
                if value and value.casefold() == old.casefold():
                    setattr(record, attr, new)
        self._on_edited()
        self.choice_lists_edited.emit()
