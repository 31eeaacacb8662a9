"""Tools > Fields: define the custom fields of contacts and companies.

The list on the left shows the form's sections and their fields in order;
the panel on the right the settings of the selected field, edited as a copy
and saved with Apply. Every change (add, rename, move, archive, delete, a
new type, an option) is one unit of work of its own; a refused change (a
name already used, a key that is one of crmdesk's own) is explained and the
typed settings stay where they are. ``fields_changed`` tells forms and lists
to rebuild.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from crmdesk.core.errors import CrmdeskError
from crmdesk.core.fields.service import (
    COMPANY,
    CONTACT,
    FieldInfo,
    SectionInfo,
    add_field,
    add_section,
    archive_field,
    count_values,
    delete_field,
    delete_section,
    describe_fields,
    describe_sections,
    field_by_id,
    move_field,
    preview_retype,
    rename_field,
    rename_section,
    reorder_fields,
    reorder_sections,
    restore_field,
    retype,
    update_field,
)
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.storage.database import Database
from crmdesk.ui.common import dialogs, errors
from crmdesk.ui.fields import editor_panels as parts

T = TypeVar("T")
KindRole = Qt.ItemDataRole.UserRole
IdRole = Qt.ItemDataRole.UserRole + 1
FIELD = "field"
SECTION = "section"


class FieldsEditor(QDialog):
    """Add, arrange, change and remove the custom fields of contacts and companies."""

    # Any definition changed: forms, list columns and lookups may rebuild.
    fields_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(_("Fields"))
        self._fields: dict[int, FieldInfo] = {}
        self._sections: list[SectionInfo] = []
        self._new_section_id: int | None = None
        self._filling = False

        self.entity_combo = QComboBox(self)
        self.entity_combo.addItem(_("Contacts"), CONTACT)
        self.entity_combo.addItem(_("Companies"), COMPANY)
        self.entity_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.archived_box = QCheckBox(_("Show archived fields"), self)
        self.archived_box.toggled.connect(lambda _on: self.reload())
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Fields of:"), self))
        top.addWidget(self.entity_combo)
        top.addStretch(1)
        top.addWidget(self.archived_box)

        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("Field"), _("Type"), _("Key")])
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._item_changed)

        self.add_field_button = QPushButton(_("Add field"), self)
        self.add_section_button = QPushButton(_("Add section…"), self)
        self.rename_button = QPushButton(_("Rename…"), self)
        self.up_button = QPushButton(_("Move up"), self)
        self.down_button = QPushButton(_("Move down"), self)
        self.archive_button = QPushButton(_("Archive"), self)
        self.archive_button.setToolTip(_("An archived field is hidden from forms, lists and "
                                         "new lookups; its values are kept."))
        self.delete_button = QPushButton(_("Delete…"), self)
        self.add_field_button.clicked.connect(self.start_new_field)
        self.add_section_button.clicked.connect(self._add_section_clicked)
        self.rename_button.clicked.connect(self._rename_clicked)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.archive_button.clicked.connect(self.toggle_archived)
        self.delete_button.clicked.connect(self.delete_current)
        side = QVBoxLayout()
        for b in (self.add_field_button, self.add_section_button, self.rename_button,
                  self.up_button, self.down_button, self.archive_button, self.delete_button):
            b.setAutoDefault(False)
            side.addWidget(b)
        side.addStretch(1)

        self.detail = parts.FieldDetail(self._run, self)
        self.detail.type_changed.connect(self._preview_type)
        self.detail.options_changed.connect(self._options_changed)
        self.apply_button = QPushButton(_("Apply"), self)
        self.apply_button.setDefault(True)
        self.revert_button = QPushButton(_("Revert"), self)
        self.revert_button.setAutoDefault(False)
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(self._current_changed)
        apply_row = QHBoxLayout()
        apply_row.addStretch(1)
        apply_row.addWidget(self.revert_button)
        apply_row.addWidget(self.apply_button)
        self.detail_box = QGroupBox(_("Field"), self)
        box_layout = QVBoxLayout(self.detail_box)
        box_layout.addWidget(self.detail, 1)
        box_layout.addLayout(apply_row)

        middle = QHBoxLayout()
        middle.addWidget(self.tree, 4)
        middle.addLayout(side)
        middle.addWidget(self.detail_box, 4)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        for b in buttons.buttons():
            b.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(920, 560)
        self.reload()

    # -- reading --------------------------------------------------------------------------
    @property
    def entity(self) -> str:
        return str(self.entity_combo.currentData())

    def set_entity(self, entity: str) -> None:
        self.entity_combo.setCurrentIndex(max(self.entity_combo.findData(entity), 0))

    def reload(self, select: tuple[str, int | None] | None = None) -> None:
        """Read the fields again; keep (or move to) the selected row."""
        if select is None:
            select = self._current()
        with self.db.reading() as s:
            self._sections = describe_sections(s, self.entity)
            fields = describe_fields(s, self.entity, include_archived=True)
        self._fields = {f.id: f for f in fields}
        show_archived = self.archived_box.isChecked()
        self._filling = True
        try:
            self.tree.clear()
            groups: dict[int | None, QTreeWidgetItem] = {}
            groups[None] = self._section_item(None, _("Main part of the form"))
            for section in self._sections:
                groups[section.id] = self._section_item(section.id, section.name)
            for f in fields:
                if f.archived and not show_archived:
                    continue
                parent = groups.get(f.section_id, groups[None])
                item = QTreeWidgetItem(parent, [f.label, f.type_label, f.key])
                item.setData(0, KindRole, FIELD)
                item.setData(0, IdRole, f.id)
                if f.help:
                    item.setToolTip(0, f.help)
                if f.archived:
                    item.setText(1, _("{type}, archived").format(type=f.type_label))
                    font = QFont(item.font(0))
                    font.setItalic(True)
                    for col in range(3):
                        item.setFont(col, font)
                        item.setForeground(col, QColor(Qt.GlobalColor.gray))
                    item.setToolTip(0, _("Archived: not on forms or lists; values are kept"))
            self.tree.expandAll()
            target = self._find(select) if select else None
            if target is None and select and select[0] == FIELD:
                target = self._find((SECTION, self._section_of(select[1])))
        finally:
            self._filling = False
        self.tree.setCurrentItem(target or self.tree.topLevelItem(0))
        self._current_changed()

    def _section_of(self, field_id: int | None) -> int | None:
        f = self._fields.get(field_id) if field_id is not None else None
        return f.section_id if f else None

    def _section_item(self, section_id: int | None, name: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [name, "", ""])
        item.setData(0, KindRole, SECTION)
        item.setData(0, IdRole, section_id)
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        item.setFirstColumnSpanned(True)
        if section_id is None:
            item.setToolTip(0, _("Fields without a section appear on the form's first tab."))
        return item

    def _find(self, key: tuple[str, int | None]) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if (top.data(0, KindRole), top.data(0, IdRole)) == key:
                return top
            for j in range(top.childCount()):
                child = top.child(j)
                if (child.data(0, KindRole), child.data(0, IdRole)) == key:
                    return child
        return None

    def _current(self) -> tuple[str, int | None] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return item.data(0, KindRole), item.data(0, IdRole)

    def select(self, kind: str, item_id: int | None) -> None:
        item = self._find((kind, item_id))
        if item is not None:
            self.tree.setCurrentItem(item)

    def rows(self) -> list[tuple[str, str, bool]]:
        """What the list shows, in order: (kind, name, archived)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out.append((SECTION, top.text(0), False))
            for j in range(top.childCount()):
                child = top.child(j)
                f = self._fields[child.data(0, IdRole)]
                out.append((FIELD, f.label, f.archived))
        return out

    def may_discard(self) -> bool:
        """True when nothing typed would be lost, or the user lets it go."""
        if not self.detail.is_dirty():
            return True
        info = self.detail.info
        what = (_("The changes to {label!r} are not applied.").format(label=info.label)
                if info else _("The new field is not added yet."))
        return dialogs.confirm(self, _("Unsaved changes"), what, _("Discard changes"))

    def _item_changed(self, current: QTreeWidgetItem | None,
                      previous: QTreeWidgetItem | None) -> None:
        if self._filling:
            return
        if previous is not None and not self.may_discard():
            def back() -> None:  # not now: the view is still moving its current item
                self._filling = True
                try:
                    self.tree.setCurrentItem(previous)
                finally:
                    self._filling = False
            QTimer.singleShot(0, back)
            return
        self._current_changed()

    def reject(self) -> None:
        if self.may_discard():
            super().reject()

    def _current_changed(self) -> None:
        if self._filling:
            return
        current = self._current()
        field = self._fields.get(current[1]) if current and current[0] == FIELD else None
        self.detail.load(field)
        self.detail_box.setTitle(_("Field: {label}").format(label=field.label) if field
                                 else _("Field"))
        self._enable()

    def _enable(self) -> None:
        current = self._current()
        is_field = bool(current and current[0] == FIELD)
        real_section = bool(current and current[0] == SECTION and current[1] is not None)
        self.rename_button.setEnabled(is_field or real_section)
        self.delete_button.setEnabled(is_field or real_section)
        self.archive_button.setEnabled(is_field)
        self.up_button.setEnabled(is_field or real_section)
        self.down_button.setEnabled(is_field or real_section)
        field = self._fields.get(current[1]) if is_field and current else None
        self.archive_button.setText(_("Restore") if field and field.archived else _("Archive"))
        editing = self.detail.isEnabled()
        self.apply_button.setEnabled(editing)
        self.revert_button.setEnabled(editing)

    # -- one unit of work per action -----------------------------------------------------
    def _run(self, action: Callable[[Session], T]) -> T | None:
        done, result = errors.run_unit(self, self.db, action)
        if done:
            self.fields_changed.emit()
        return result

    def _say(self, text: str) -> None:
        self.status.setText(text)

    # -- adding ---------------------------------------------------------------------------
    def start_new_field(self) -> None:
        """An empty panel for a new field, in the selected section; Apply creates it."""
        if not self.may_discard():
            return
        current = self._current()
        if current and current[0] == FIELD:
            self._new_section_id = self._section_of(current[1])
        else:
            self._new_section_id = current[1] if current else None
        self.tree.clearSelection()
        self.detail.load(None, new=True)
        self.detail_box.setTitle(_("New field"))
        self.apply_button.setEnabled(True)
        self.revert_button.setEnabled(True)
        self.detail.label_edit.setFocus()

    def add_section(self, name: str) -> int | None:
        section = self._run(lambda s: add_section(s, self.entity, name))
        if section is not None:
            self.reload(select=(SECTION, section.id))
            self._say(_("Section {name!r} added.").format(name=section.name))
            return section.id
        return None

    def _add_section_clicked(self) -> None:
        name = parts.ask_text(self, _("New section"), _("Name of the new section:"))
        if name is not None and name.strip():
            self.add_section(name)

    # -- applying the panel ---------------------------------------------------------------
    def apply(self) -> bool:
        """Save the panel: create the new field, or change the selected one."""
        if self.detail.is_new:
            return self._create()
        info = self.detail.info
        if info is None:
            return False
        values = self.detail.values()
        new_type = self.detail.field_type()
        if new_type != info.type:
            with self.db.reading() as s:
                report = preview_retype(s, info.id, new_type, currency=values["currency"] or None,
                                        decimals=values["decimals"])
            summary = parts.retype_summary(report)
            question = _("Change {label!r} from {old} to {new}?").format(
                label=info.label, old=info.type_label, new=self.detail.type_combo.currentText())
            if not dialogs.confirm(self, _("Change the type"), question, _("Change type"),
                                   informative=summary):
                return False

        def save(s: Session) -> FieldInfo:
            if new_type != info.type:
                retype(s, info.id, new_type, currency=values["currency"] or None,
                       decimals=values["decimals"])
            return update_field(s, info.id, **values)

        saved = self._run(save)
        if saved is None:
            return False
        self.reload(select=(FIELD, saved.id))
        if new_type != info.type:
            self._say(_("{label!r} is now of type {type}. {summary}").format(
                label=saved.label, type=saved.type_label, summary=summary))
        else:
            self._say(_("{label!r} saved.").format(label=saved.label))
        return True

    def _create(self) -> bool:
        values = self.detail.values()
        label = values.pop("label")
        key = self.detail.new_key()
        field_type = self.detail.field_type()
        options = self.detail.option_labels()
        section_id = self._new_section_id
        created = self._run(lambda s: add_field(
            s, self.entity, label, field_type, key=key, section_id=section_id,
            options=options, **values))
        if created is None:
            return False  # the panel keeps what was typed
        self.reload(select=(FIELD, created.id))
        self._say(_("Field {label!r} added (key {key}).").format(label=created.label,
                                                                 key=created.key))
        return True

    def _preview_type(self, new_type: str) -> None:
        info = self.detail.info
        if info is None or new_type == info.type:
            self.detail.show_preview("")
            return
        values = self.detail.values()
        try:
            with self.db.reading() as s:
                report = preview_retype(s, info.id, new_type,
                                        currency=values["currency"] or None,
                                        decimals=values["decimals"])
        except CrmdeskError as exc:
            self.detail.show_preview(errors.describe(exc)[0])
            return
        self.detail.show_preview(_("If applied: {summary}").format(
            summary=parts.retype_summary(report)))

    def _options_changed(self) -> None:
        info = self.detail.info
        if info is None:
            return
        with self.db.reading() as s:
            fresh = field_by_id(s, info.id)
        self._fields[fresh.id] = fresh
        self.detail.reload_options(fresh)

    # -- the list's buttons ---------------------------------------------------------------
    def _rename_clicked(self) -> None:
        current = self._current()
        if not current or current[1] is None:
            return
        if current[0] == FIELD:
            old = self._fields[current[1]].label
        else:
            old = next((s.name for s in self._sections if s.id == current[1]), "")
        name = parts.ask_text(self, _("Rename"), _("New name:"), old)
        if name is not None and name.strip() and name != old:
            self.rename_current(name)

    def rename_current(self, name: str) -> bool:
        current = self._current()
        if not current or current[1] is None:
            return False
        kind, item_id = current
        if kind == FIELD:
            done = self._run(lambda s: rename_field(s, item_id, name))
        else:
            done = self._run(lambda s: rename_section(s, item_id, name))
        if done is not None:
            self.reload(select=current)
        return done is not None

    def move_current(self, step: int) -> None:
        current = self._current()
        if not current or current[1] is None:
            return
        if current[0] == SECTION:
            ids = [s.id for s in self._sections]
            at = ids.index(current[1])
            to = at + step
            if 0 <= to < len(ids):
                ids.insert(to, ids.pop(at))
                if self._run(lambda s: reorder_sections(s, self.entity, ids) or True):
                    self.reload(select=current)
            return
        field_id = current[1]
        section_id = self._section_of(field_id)
        siblings = [f.id for f in self._fields.values() if f.section_id == section_id]
        at = siblings.index(field_id)
        to = at + step
        if 0 <= to < len(siblings):
            siblings.insert(to, siblings.pop(at))
            done = self._run(lambda s: reorder_fields(s, self.entity, siblings) or True)
        else:  # past the end of its section: into the one before or after
            order: list[int | None] = [None, *(s.id for s in self._sections)]
            other = order.index(section_id) + step
            if not 0 <= other < len(order):
                return
            index = None if step < 0 else 0
            done = self._run(lambda s: move_field(s, field_id, order[other], index))
        if done:
            self.reload(select=current)

    def toggle_archived(self) -> None:
        current = self._current()
        if not current or current[0] != FIELD:
            return
        field = self._fields[current[1]]
        action = restore_field if field.archived else archive_field
        done = self._run(lambda s: action(s, field.id))
        if done is not None:
            if not self.archived_box.isChecked() and done.archived:
                self.reload(select=(SECTION, done.section_id))
            else:
                self.reload(select=current)
            self._say((_("{label!r} archived; its values are kept.") if done.archived
                       else _("{label!r} restored.")).format(label=done.label))

    def delete_current(self) -> None:
        current = self._current()
        if not current or current[1] is None:
            return
        if current[0] == SECTION:
            self._delete_section(current[1])
            return
        field = self._fields[current[1]]
        with self.db.reading() as s:
            n = count_values(s, field.id)
        if n:
            lost = ngettext(
                "{n} record has a value in this field; it will be lost.",
                "{n} records have a value in this field; they will be lost.", n).format(n=n)
        else:
            lost = _("No record has a value in this field yet.")
        question = _("Delete the field {label!r} for good?").format(label=field.label)
        if not dialogs.confirm(self, _("Delete a field"), f"{question}\n{lost}", _("Delete"),
                               informative=_("To hide the field but keep its values, "
                                             "archive it instead."), destructive=True):
            return
        if self._run(lambda s: delete_field(s, field.id, confirmed_count=n)) is not None:
            self.reload(select=(SECTION, field.section_id))
            self._say(ngettext("{label!r} deleted with {n} value.",
                               "{label!r} deleted with {n} values.", n).format(
                label=field.label, n=n))

    def _delete_section(self, section_id: int) -> None:
        name = next((s.name for s in self._sections if s.id == section_id), "")
        inside = sum(1 for f in self._fields.values() if f.section_id == section_id)
        informative = ngettext("Its {n} field moves to the main part of the form.",
                               "Its {n} fields move to the main part of the form.",
                               inside).format(n=inside) if inside else ""
        if not dialogs.confirm(self, _("Delete a section"),
                               _("Delete the section {name!r}?").format(name=name),
                               _("Delete"), informative=informative):
            return
        if self._run(lambda s: delete_section(s, section_id)) is not None:
            self.reload(select=(SECTION, None))
