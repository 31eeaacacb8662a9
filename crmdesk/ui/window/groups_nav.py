"""Groups in the navigation, under the views: saved lookups and static groups, each with
its live count, and the verbs for a selection of contacts (groups, tags, bulk edit).

The window keeps its list of views; this adds a second list below it (one row
per group, its count on the right) and a Groups menu. Clicking a group shows
the Contacts view with ``group:"NAME"`` in the search box, so the list is the
one lookup the CLI, exports and labels run for it, and more words typed after
it narrow it further. Counts are read on the reader thread (the one that runs
the lists' id queries), and again a moment after anything changes. Every
write goes through ui/tasks/writes.write on the writer thread, and its Changes
are passed to the views like any other (changes.GROUPS for the groups).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.changes import CONTACTS, GROUPS, Changes
from crmdesk.core.contacts import groups
from crmdesk.core.contacts.bulk_edit import apply_edit
from crmdesk.core.contacts.records import all_tags
from crmdesk.core.contacts.tagging import add_tag, remove_tag
from crmdesk.core.i18n import _, ngettext
from crmdesk.ui.common import dialogs, errors
from crmdesk.ui.contacts.table_model import reader
from crmdesk.ui.tasks.writes import write

GroupId = Qt.ItemDataRole.UserRole + 1
# The navigation column's width: room for a group's name and its count.
NAV_WIDTH = 180
# A bulk edit of more contacts than this runs as a job with progress and Cancel.
BULK_AT_ONCE = 200
# How long after a change the counts are read again (changes come in bursts).
RECOUNT_DELAY_MS = 300


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    """A line of text from the user (a group's name); None on Cancel. Tests replace it."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def ask_tag(parent: QWidget, title: str, label: str, tags: list[str]) -> str | None:
    """A tag: one of those there are, or a new one typed; None on Cancel. Tests replace it."""
    value, ok = QInputDialog.getItem(parent, title, label, tags, 0, True)
    return value if ok else None


class _GroupTree(QTreeWidget):
    """The groups' list; a group dragged to another place says so (``dropped``)."""

    dropped = Signal()

    def dropEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().dropEvent(event)
        self.dropped.emit()


class _Inbox(QObject):
    """The reader thread's counts, delivered on the GUI thread (queued)."""

    counted = Signal(int, object)  # generation, [GroupCount]


class GroupsNav(QObject):
    """The groups' list under the views, their menu, and the selection's verbs."""

    def __init__(self, window: Any) -> None:
        """``window``: the MainWindow (not imported: it imports this module)."""
        super().__init__(window)
        self.window = window
        self._generation = 0
        self._groups: list[groups.GroupInfo] = []
        self._inbox = _Inbox()
        self._inbox.counted.connect(self._counted, Qt.ConnectionType.QueuedConnection)
        self._recount_timer = QTimer(self, singleShot=True, interval=RECOUNT_DELAY_MS)
        self._recount_timer.timeout.connect(self.recount)

        self.widget = QWidget()
        self.widget.setObjectName("groups_panel")
        # One column with the views' list above it: its width (a little wider, for
        # the groups' names and counts), its background.
        window.sidebar.setFixedWidth(max(window.sidebar.width(), NAV_WIDTH))
        self.widget.setFixedWidth(window.sidebar.width())
        self.widget.setAutoFillBackground(True)
        self.widget.setBackgroundRole(QPalette.ColorRole.Base)
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(2)
        title = QLabel(_("Groups"))
        title.setObjectName("groups_title")
        title.setStyleSheet("QLabel#groups_title { color: #5f6368; font-weight: bold; "
                            "padding-left: 10px; }")
        layout.addWidget(title)
        self.tree = _GroupTree()
        self.tree.setObjectName("groups_nav")
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(0)
        self.tree.setFrameShape(QTreeWidget.Shape.NoFrame)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Dragged up or down to reorder (Ctrl+Shift+Up/Down does it by keyboard).
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.dropped.connect(self._dropped)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setStyleSheet("QTreeWidget#groups_nav::item { padding: 4px 2px 4px 8px; }")
        self.tree.itemClicked.connect(lambda item, _col: self.show_group(item.data(0, GroupId)))
        self.tree.itemActivated.connect(
            lambda item, _col: self.show_group(item.data(0, GroupId)))
        self.tree.currentItemChanged.connect(lambda *_a: self.update_actions())
        layout.addWidget(self.tree, 1)
        self.empty_hint = QLabel(_("Search, then Groups > Save Search as Group…"))
        self.empty_hint.setObjectName("groups_hint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setEnabled(False)
        self.empty_hint.setStyleSheet("QLabel#groups_hint { padding: 0 10px; }")
        layout.addWidget(self.empty_hint)

        self._build_actions()
        self.menu = self._build_menu()
        window.menuBar().insertMenu(window.tools_menu.menuAction(), self.menu)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.tree.addActions([self.rename_action, self.move_up_action, self.move_down_action,
                              self.remove_action, self.delete_action])
        window.search_box.textChanged.connect(self._search_edited)

    # -- actions and the menu ----------------------------------------------------------
    def _action(self, text: str, slot: Any, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _c=False: slot())
        self.window.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.save_search_action = self._action(_("Save Search as Group…"), self.save_search,
                                               "Ctrl+G")
        self.new_static_action = self._action(_("New Static Group…"), self.new_static)
        self.remove_action = self._action(_("Remove Selection from Group"),
                                          self.remove_selection)
        self.rename_action = self._action(_("Rename Group…"), self.rename)
        self.delete_action = self._action(_("Delete Group…"), self.delete)
        self.move_up_action = self._action(_("Move Group Up"), lambda: self.move(-1),
                                           "Ctrl+Shift+Up")
        self.move_down_action = self._action(_("Move Group Down"), lambda: self.move(1),
                                             "Ctrl+Shift+Down")
        self.add_tag_action = self._action(_("Add Tag…"), lambda: self.tag(add=True),
                                           "Ctrl+T")
        self.remove_tag_action = self._action(_("Remove Tag…"), lambda: self.tag(add=False),
                                              "Ctrl+Shift+T")
        self.change_field_action = self._action(_("Change Field…"), self.change_field,
                                                "Ctrl+Shift+E")
        self.add_to_menu = QMenu(_("Add Selection to Group"))
        self.add_to_menu.aboutToShow.connect(self._fill_add_menu)
        self._fill_add_menu()

    def _build_menu(self) -> QMenu:
        menu = QMenu(_("&Groups"), self.window)
        menu.addActions([self.save_search_action, self.new_static_action])
        menu.addSeparator()
        menu.addMenu(self.add_to_menu)
        menu.addAction(self.remove_action)
        menu.addSeparator()
        menu.addActions([self.rename_action, self.move_up_action, self.move_down_action,
                         self.delete_action])
        menu.addSeparator()
        menu.addActions([self.add_tag_action, self.remove_tag_action,
                         self.change_field_action])
        menu.aboutToShow.connect(self.update_actions)
        return menu

    def _fill_add_menu(self) -> None:
        self.add_to_menu.clear()
        static = [g for g in self._groups if g.is_static]
        for g in static:
            self.add_to_menu.addAction(g.name.replace("&", "&&"),
                                       lambda gid=g.id: self.add_selection(gid))
        if static:
            self.add_to_menu.addSeparator()
        self.add_to_menu.addAction(_("New Static Group…"), self.new_static)
        self.add_to_menu.setEnabled(self._writable() and bool(self._selection()))

    def attach(self, contacts: Any) -> None:
        """The views were built (a file opened, the fields changed): the contact list's
        context menu gets the selection's verbs, and the groups are read."""
        sep = QAction(contacts)
        sep.setSeparator(True)
        contacts.list.addActions([sep, self.add_to_menu.menuAction(), self.remove_action,
                                  self.add_tag_action, self.remove_tag_action,
                                  self.change_field_action])
        contacts.list.selection_changed.connect(self.update_actions)
        panel = getattr(contacts, "selection_panel", None)
        if panel is not None:  # several selected: the same verbs as buttons
            panel.change_field_requested.connect(self.change_field)
            panel.set_group_menu(self.add_to_menu)
        self._fit_views_list()
        self.reload()

    def _fit_views_list(self) -> None:
        """The views' list as tall as its rows, so the groups start right under it."""
        sidebar = self.window.sidebar
        rows = sum(sidebar.sizeHintForRow(i) + 2 * sidebar.spacing()
                   for i in range(sidebar.count()))
        sidebar.setFixedHeight(rows + 2 * sidebar.frameWidth() + 8)

    # -- what is shown -------------------------------------------------------------------
    def reload(self) -> None:
        """Read the groups (a quick read) and count them in the background."""
        current = self.current_group()
        with self.window.db.reading() as s:
            self._groups = groups.list_groups(s)
        self.tree.blockSignals(True)
        self.tree.clear()
        for g in self._groups:
            item = QTreeWidgetItem([g.name, ""])
            # Between groups, never into one.
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            item.setData(0, GroupId, g.id)
            item.setToolTip(0, g.name + "\n" + (
                g.query or _("A static group: its contacts were added by hand.")))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
            if current is not None and g.id == current.id:
                self.tree.setCurrentItem(item)
        self.tree.blockSignals(False)
        self.empty_hint.setVisible(not self._groups)
        self.tree.setVisible(bool(self._groups))
        self.update_actions()
        self.recount()

    def recount(self) -> None:
        """Count every group on the reader thread; the numbers arrive in _counted."""
        self._recount_timer.stop()
        self._generation += 1
        generation, db, inbox = self._generation, self.window.db, self._inbox

        def job() -> None:
            if generation != self._generation:
                return
            try:
                with db.reading() as s:
                    found = groups.counts(s)
            except Exception:  # noqa: BLE001 - a file closing meanwhile: no numbers
                return
            try:
                inbox.counted.emit(generation, found)
            except RuntimeError:  # the window closed meanwhile
                pass

        reader().submit(job)

    @Slot(int, object)
    def _counted(self, generation: int, found: list[groups.GroupCount]) -> None:
        if generation != self._generation:
            return
        by_id = {c.group_id: c for c in found}
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            count = by_id.get(item.data(0, GroupId))
            if count is None:
                continue
            if count.count is None:
                item.setText(1, "!")
                item.setToolTip(1, count.problem)
                item.setForeground(1, Qt.GlobalColor.darkRed)
            else:
                item.setText(1, _num(count.count))
                item.setToolTip(1, ngettext("{n} contact", "{n} contacts", count.count)
                                .format(n=_num(count.count)))

    def count_text(self, name: str) -> str:
        """What the navigation shows beside a group (for tests and pictures)."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.text(0) == name:
                return item.text(1)
        raise KeyError(name)

    def on_changes(self, changes: Changes) -> None:
        """Anything that can move a count (contacts, fields, groups) recounts a moment
        later; a change of the groups themselves is read at once."""
        if changes.touches(GROUPS):
            self.reload()
        elif changes:
            self._recount_timer.start()

    def current_group(self) -> groups.GroupInfo | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        gid = item.data(0, GroupId)
        return next((g for g in self._groups if g.id == gid), None)

    def _select(self, group_id: int | None) -> None:
        self.tree.blockSignals(True)
        self.tree.setCurrentItem(None)  # type: ignore[arg-type]
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, GroupId) == group_id:
                self.tree.setCurrentItem(item)
        self.tree.blockSignals(False)
        self.update_actions()

    def show_group(self, group_id: int) -> None:
        """The group's contacts in the Contacts view: ``group:"NAME"`` in the search box."""
        g = next((x for x in self._groups if x.id == group_id), None)
        window = self.window
        if g is None or not window.show_view(window.contacts):
            return
        self._select(group_id)
        window.search_box.setText(g.term + " ")
        window.apply_search()
        window.check_lookup()
        window.contacts.focus_list()

    def _search_edited(self, text: str) -> None:
        g = self.current_group()
        if g is not None and g.term not in text:
            self._select(None)  # the list no longer shows the group
        else:
            self.update_actions()

    # -- enabling ------------------------------------------------------------------------
    def _writable(self) -> bool:
        return not (getattr(self.window.db, "readonly", False)
                    or getattr(self.window, "_file_gone", False))

    def _contacts_shown(self) -> bool:
        window = self.window
        return bool(window.views) and window.current_view() is window.contacts

    def _selection(self) -> list[int]:
        if not self._contacts_shown():
            return []
        return list(self.window.contacts.list.selected_ids())

    def update_actions(self) -> None:
        writable = self._writable()
        g = self.current_group()
        selected = bool(self._selection())
        self.save_search_action.setEnabled(writable and self._contacts_shown() and bool(
            self.window.search_box.text().strip()))
        self.new_static_action.setEnabled(writable)
        self.add_to_menu.setEnabled(writable and selected)
        self.remove_action.setEnabled(writable and selected and g is not None and g.is_static)
        for action in (self.rename_action, self.delete_action, self.move_up_action,
                       self.move_down_action):
            action.setEnabled(writable and g is not None)
        for action in (self.add_tag_action, self.remove_tag_action, self.change_field_action):
            action.setEnabled(writable and selected)

    # -- writing -------------------------------------------------------------------------
    def _write(self, action: Any) -> Any:
        """One write on the writer thread; an error is shown and None returned."""
        try:
            return write(self.window.db, action)
        except Exception as exc:  # noqa: BLE001 - every error is shown, none is lost
            errors.show_error(self.window, exc)
            self.reload()  # a group deleted or renamed elsewhere meanwhile: as it is now
            return None

    def _changed(self, changes: Changes, message: str = "") -> None:
        """Tell every view (and ourselves) what changed; the contact list showing a
        group reads it again."""
        if changes:
            self.window.broadcast(changes)  # the window passes it to on_changes too
            contacts = self.window.contacts
            if changes.touches(GROUPS) and "group:" in contacts.model.query:
                contacts.refresh()
        if message:
            self.window.statusBar().showMessage(message, 10000)

    def save_search(self) -> None:
        """Groups > Save Search as Group… (Ctrl+G): the search box's lookup, by name."""
        query = self.window.search_box.text().strip()
        if not self._contacts_shown():
            dialogs.inform(self.window, _("Save Search as Group"), _(
                "Groups are of contacts: search in the Contacts view (Ctrl+1), then save "
                "the search as a group."))
            return
        if not query:
            dialogs.inform(self.window, _("Save Search as Group"), _(
                "Type a lookup in the search box first (for example city:Kaunas "
                "status:customer); the group is whoever it finds, now and later."))
            return
        name = ask_text(self.window, _("Save Search as Group"),
                        _("Name of the group for “{query}”:").format(query=query))
        if name is None:
            return
        saved = self._write(lambda s: groups.save_lookup_group(s, name, query))
        if saved is not None:
            self._changed(Changes.of(GROUPS, [saved.id]),
                          _("Saved the group “{name}”.").format(name=saved.name))
            self._select(saved.id)

    def new_static(self) -> None:
        """A group made by hand, with the selected contacts in it (if any)."""
        ids = self._selection()
        name = ask_text(self.window, _("New Static Group"), ngettext(
            "Name of the new group (the {n} selected contact goes in it):",
            "Name of the new group (the {n} selected contacts go in it):", len(ids))
            .format(n=_num(len(ids))) if ids else _("Name of the new group:"))
        if name is None:
            return
        made = self._write(lambda s: groups.create_static_group(s, name, ids))
        if made is not None:
            self._changed(Changes.of(GROUPS, [made.id]),
                          _("Made the group “{name}”.").format(name=made.name))

    def add_selection(self, group_id: int) -> None:
        ids = self._selection()
        if not ids:
            return
        changes = self._write(lambda s: groups.add_members(s, group_id, ids))
        if changes is not None:
            name = next((g.name for g in self._groups if g.id == group_id), "")
            self._changed(changes | Changes.of(GROUPS, [group_id]), ngettext(
                "Added {n} contact to “{name}”.", "Added {n} contacts to “{name}”.", len(ids))
                .format(n=_num(len(ids)), name=name))

    def remove_selection(self) -> None:
        g = self.current_group()
        ids = self._selection()
        if g is None or not g.is_static or not ids:
            return
        changes = self._write(lambda s: groups.remove_members(s, g.id, ids))
        if changes is not None:
            self._changed(changes | Changes.of(GROUPS, [g.id]), ngettext(
                "Took {n} contact out of “{name}”.", "Took {n} contacts out of “{name}”.",
                len(ids)).format(n=_num(len(ids)), name=g.name))

    def rename(self) -> None:
        g = self.current_group()
        if g is None:
            return
        name = ask_text(self.window, _("Rename Group"), _("New name of “{name}”:").format(
            name=g.name), g.name)
        if name is None or name == g.name:
            return
        changes = self._write(lambda s: groups.rename_group(s, g.id, name))
        if changes is not None:
            search = self.window.search_box
            if g.term in search.text():  # the list shown follows the new name
                search.setText(search.text().replace(g.term, groups.group_term(name.strip())))
            self._changed(changes)
            self._select(g.id)

    def delete(self) -> None:
        g = self.current_group()
        if g is None:
            return
        if not dialogs.confirm(self.window, _("Delete Group"),
                               _("Delete the group “{name}”?").format(name=g.name),
                               _("Delete Group"), destructive=True,
                               informative=_("Its contacts stay; only the group goes.")):
            return
        changes = self._write(lambda s: groups.delete_group(s, g.id))
        if changes is not None:
            if g.term in self.window.search_box.text():
                self.window.search_box.clear()
                self.window.apply_search()
            self._changed(changes, _("Deleted the group “{name}”.").format(name=g.name))

    def move(self, steps: int) -> None:
        g = self.current_group()
        if g is None:
            return
        changes = self._write(lambda s: groups.move_group(s, g.id, steps))
        if changes is not None:
            self._changed(changes)
            self._select(g.id)

    def _dropped(self) -> None:
        """A group was dragged to another place: keep the order the list shows now."""
        order = [self.tree.topLevelItem(i).data(0, GroupId)
                 for i in range(self.tree.topLevelItemCount())]
        moved = self.current_group()
        changes = self._write(lambda s: groups.reorder_groups(s, order))
        if changes is not None:
            self._changed(changes)
            self._select(moved.id if moved is not None else None)

    # -- tags and bulk edit for the selection ------------------------------------------
    def tag(self, *, add: bool) -> None:
        ids = self._selection()
        if not ids:
            return
        with self.window.db.reading() as s:
            tags = all_tags(s)
        n = len(ids)
        tag = ask_tag(self.window, _("Add Tag") if add else _("Remove Tag"),
                      (ngettext("Tag for the {n} selected contact:",
                                "Tag for the {n} selected contacts:", n) if add else
                       ngettext("Tag to remove from the {n} selected contact:",
                                "Tag to remove from the {n} selected contacts:", n))
                      .format(n=_num(n)), tags)
        if tag is None:
            return
        done = self._write(lambda s: (add_tag if add else remove_tag)(s, ids, tag))
        if done is None:
            return
        contacts = self.window.contacts
        contacts.model.apply_change(done.changes.of_kind(CONTACTS))
        self.window.broadcast(done.changes, source=contacts)
        self.window.statusBar().showMessage(
            (ngettext("Tagged {n} contact “{tag}”.", "Tagged {n} contacts “{tag}”.",
                      done.changed) if add else
             ngettext("Removed the tag “{tag}” from {n} contact.",
                      "Removed the tag “{tag}” from {n} contacts.", done.changed))
            .format(n=_num(done.changed), tag=done.tag), 10000)

    def change_field(self) -> None:
        """Groups > Change Field…: one field of every selected contact, previewed."""
        from crmdesk.ui.contacts.bulk_edit_dialog import BulkEditDialog

        ids = self._selection()
        if not ids:
            return
        dialog = BulkEditDialog(self.window.db, ids, self.window)
        if dialog.exec() != BulkEditDialog.DialogCode.Accepted or dialog.choice is None:
            return
        key, value, n = dialog.choice
        if n <= BULK_AT_ONCE:  # quick: the window waits for it, painting
            result = self._write(lambda s: apply_edit(s, ids, key, value))
            if result is not None:
                self._bulk_done(result)
            return
        db = self.window.db

        def job(progress: Any) -> Any:
            with db.session() as s:
                return apply_edit(s, ids, key, value, progress=progress.report)

        self.window.operations.run(job, label=ngettext(
            "Changing {n} contact…", "Changing {n} contacts…", n).format(n=_num(n)),
            on_success=self._bulk_done)

    def _bulk_done(self, result: Any) -> None:
        contacts = self.window.contacts
        contacts.model.apply_change(result.changes.of_kind(CONTACTS))
        self.window.broadcast(result.changes, source=contacts)
        form = contacts.form
        if contacts._form_shown and form.current_id() in result.changes.ids(CONTACTS) \
                and not form.is_dirty():
            contacts.open_record(form.current_id())
        message = ngettext("Changed {n} contact.", "Changed {n} contacts.",
                           result.changed).format(n=_num(result.changed))
        if result.refused:
            message += " " + ngettext(
                "{n} was left as it was: {why}", "{n} were left as they were: {why}",
                len(result.refused)).format(n=_num(len(result.refused)),
                                            why=result.refused[0].reason)
        self.window.statusBar().showMessage(message, 10000)


def _num(n: int) -> str:
    from PySide6.QtCore import QLocale

    return QLocale().toString(n)
