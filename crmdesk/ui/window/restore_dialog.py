"""File > Restore from a Backup: the file's backups, newest first, and one put back.

The window holds its file, so the restore goes through the window's own
Database (Database.restore_from: the backup checked, the file as it is backed
up first, the backup copied in with SQLite's backup API) on the writer thread;
then the views are built anew, since the fields and lists may differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, cast

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.errors import CrmdeskError, NotADatabaseError
from crmdesk.core.i18n import _
from crmdesk.core.storage import backups
from crmdesk.core.storage.backups import BackupInfo, list_backups
from crmdesk.core.storage.database import Database, Restored, restore_backup
from crmdesk.core.storage.settings import get_setting, set_setting
from crmdesk.ui.common import dialogs, errors
from crmdesk.ui.tasks.operations import Operations, Progress
from crmdesk.ui.tasks.writes import run_on_writer, write


class RestoreHost(Protocol):
    """What the restore needs of the main window."""

    db: Database
    operations: Operations

    def statusBar(self) -> Any: ...  # noqa: N802 - Qt's name
    def leave_all(self) -> bool: ...
    def rebuild_views(self) -> None: ...


def reason_text(reason: str) -> str:
    """Why a backup was made, in words, as a table cell starts them."""
    text = backups.reason_text(reason)
    return text[:1].upper() + text[1:]


def when_text(info: BackupInfo) -> str:
    m = info.made
    when = QDateTime(QDate(m.year, m.month, m.day), QTime(m.hour, m.minute, m.second))
    return QLocale().toString(when, QLocale.FormatType.ShortFormat)


class RestoreDialog(QDialog):
    """The backups of one file with date, size, contacts and why; pick one."""

    COLUMNS = 4

    def __init__(self, found: list[BackupInfo], name: str,
                 parent: QWidget | None = None, *,
                 rotation: backups.Rotation | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore from a Backup"))
        self.found = found
        layout = QVBoxLayout(self)
        if found:
            text = _("Choose the backup to put in the place of {name}. The file as it is "
                     "now is backed up first, so this too can be undone.").format(name=name)
        else:
            text = _("There are no backups of {name} yet. crmdesk makes one on the first "
                     "open of each day and on closing after changes.").format(name=name)
        self.intro = QLabel(text)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        self.table = QTableWidget(len(found), self.COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [_("Date"), _("Size"), _("Contacts"), _("Made")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        locale = QLocale()
        for row, info in enumerate(found):
            good = info.contacts is not None
            cells = [when_text(info), locale.formattedDataSize(info.size),
                     locale.toString(info.contacts or 0) if good else _("damaged"),
                     reason_text(info.reason)]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(str(info.path))
                if column in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if not good:
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(found))
        layout.addWidget(self.table)

        # How many are kept: this file's own setting (the next backup rotates by it).
        rotation = rotation or backups.Rotation()
        keep = QHBoxLayout()
        keep.addWidget(QLabel(_("Keep the backups of the last")))
        self.keep_boxes: list[QSpinBox] = []
        for value, low, high, unit in ((rotation.daily, 1, 366, _("days,")),
                                       (rotation.weekly, 0, 520, _("weeks and")),
                                       (rotation.monthly, 0, 1200, _("months."))):
            box = QSpinBox()
            box.setRange(low, high)
            box.setValue(value)
            self.keep_boxes.append(box)
            keep.addWidget(box)
            keep.addWidget(QLabel(unit))
        keep.addStretch(1)
        layout.addLayout(keep)

        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton(
            _("Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.accept() if self.chosen() else None)
        first_good = next((i for i, b in enumerate(found) if b.contacts is not None), None)
        if first_good is not None:
            self.table.selectRow(first_good)
        self._selection_changed()
        self.resize(640, 360)

    def rotation(self) -> backups.Rotation:
        """How many backups the user wants kept."""
        days, weeks, months = (box.value() for box in self.keep_boxes)
        return backups.Rotation(days, weeks, months)

    def chosen(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        info = self.found[rows[0].row()]
        return info if info.contacts is not None else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)


def offer_restore(window: RestoreHost) -> None:
    """File > Restore from a Backup: choose, confirm, restore on the writer thread."""
    db = window.db
    if db.path is None:
        return
    parent = cast(QWidget, window)
    with db.reading() as session:
        kept = get_setting(session, backups.ROTATION_SETTING)
    try:
        rotation = backups.Rotation.parse(kept) if kept else backups.Rotation()
    except ValueError:
        rotation = backups.Rotation()
    dialog = RestoreDialog(list_backups(db.path), db.path.name, parent, rotation=rotation)
    answer = dialog.exec()
    if dialog.rotation() != rotation and not db.readonly:
        wanted = dialog.rotation().text()
        write(db, lambda session: set_setting(session, backups.ROTATION_SETTING, wanted))
    if answer != QDialog.DialogCode.Accepted:
        return
    chosen = dialog.chosen()
    if chosen is None:
        return
    if not dialogs.confirm(
            parent, _("Restore from a Backup"),
            _("Put the backup of {date} ({n} contacts) in the place of {name}?").format(
                date=when_text(chosen), n=QLocale().toString(chosen.contacts or 0),
                name=db.path.name),
            _("Restore"),
            informative=_("What was changed since then is replaced. The file as it is now "
                          "is backed up first, and is listed here afterwards."),
            destructive=True):
        return
    if window.operations.busy():
        dialogs.still_busy(parent)
        return
    if not window.leave_all():
        return

    def job(progress: Progress) -> Restored:
        progress.report(0, 0)
        return db.restore_from(chosen.path)

    def done(restored: Restored) -> None:
        window.rebuild_views()
        window.statusBar().showMessage(
            _("Restored the backup of {date}: {n} contacts.").format(
                date=when_text(chosen), n=QLocale().toString(restored.contacts)), 15000)

    window.operations.run(job, label=_("Restoring from the backup…"), on_success=done,
                          cancellable=False)


class SwitchHost(Protocol):
    def switch_database(self, path: str, *, create: bool) -> bool: ...


def offer_newest_backup(window: SwitchHost, path: str | Path, error: CrmdeskError) -> bool:
    """A file that will not open because it is damaged: offer its newest good
    backup, restore it (the damaged file kept, byte for byte) and open it.

    True when the offer was made (whatever the answer); False when there is
    nothing to offer, and the caller shows ``error`` as usual."""
    path = Path(path).expanduser().absolute()
    if not isinstance(error, NotADatabaseError):
        return False
    good = next((b for b in list_backups(path) if b.contacts is not None), None)
    if good is None:
        return False
    parent = cast(QWidget, window)
    choice = dialogs.choose(
        parent, _("Damaged File"), error.message,
        [_("Restore the Newest Backup"), _("Cancel")],
        informative=_("The newest good backup of {name} is from {date}, with {n} contacts. "
                      "The damaged file is kept as it is, in the backup folder.").format(
                          name=path.name, date=when_text(good),
                          n=QLocale().toString(good.contacts or 0)))
    if choice != 0:
        return True
    try:
        run_on_writer(lambda: restore_backup(path, good.path))
    except CrmdeskError as exc:
        errors.show_error(parent, exc)
        return True
    window.switch_database(str(path), create=False)
    return True
