"""What the Contacts view shows instead of one contact's form while several are selected.

With 151 contacts selected the form of one of them says nothing useful; this
panel says how many are selected and offers what can be done with all of them:
log an interaction, add or remove a tag, change one field, add them to a
group, export them, move them to the trash. It only asks (the tag's name) and
signals; the view (or the window's groups navigation) does the work on the
writer thread.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.i18n import _, ngettext


class SelectionPanel(QWidget):
    log_requested = Signal()
    tag_requested = Signal(str)
    untag_requested = Signal(str)
    trash_requested = Signal()
    export_requested = Signal()
    change_field_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("selection_panel")
        self.count_label = QLabel()
        self.count_label.setObjectName("selection_count")
        font = self.count_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.count_label.setFont(font)
        hint = QLabel(_("What you do here is done to every selected contact."))
        hint.setWordWrap(True)
        hint.setEnabled(False)

        self.log_button = QPushButton(_("Log Interaction…"))
        self.log_button.setToolTip(_("One history entry for each contact (Ctrl+L)"))
        self.log_button.clicked.connect(self.log_requested.emit)
        self.tag_button = QPushButton(_("Add Tag…"))
        self.tag_button.clicked.connect(lambda: self._ask_tag(self.tag_requested,
                                                              _("Add Tag")))
        self.untag_button = QPushButton(_("Remove Tag…"))
        self.untag_button.clicked.connect(lambda: self._ask_tag(self.untag_requested,
                                                                _("Remove Tag")))
        self.change_field_button = QPushButton(_("Change Field…"))
        self.change_field_button.setToolTip(_("Set one field of every selected contact, "
                                              "with a preview first (Ctrl+Shift+E)"))
        self.change_field_button.clicked.connect(self.change_field_requested.emit)
        # Add to Group ▸: its menu is the window's (the groups live in the navigation).
        self.group_button = QPushButton(_("Add to Group"))
        self.group_button.setToolTip(_("Add the selected contacts to a static group"))
        self.group_button.hide()  # until the window gives it its menu
        self.export_button = QPushButton(_("Export Call List…"))
        self.export_button.setToolTip(_("The selected contacts as a CSV or Excel sheet"))
        self.export_button.clicked.connect(self.export_requested.emit)
        self.trash_button = QPushButton(_("Move to Trash"))
        self.trash_button.clicked.connect(self.trash_requested.emit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 32, 24, 24)
        layout.setSpacing(10)
        layout.addWidget(self.count_label)
        layout.addWidget(hint)
        layout.addSpacing(8)
        for button in (self.log_button, self.tag_button, self.untag_button,
                       self.change_field_button, self.group_button, self.export_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(16)
        layout.addWidget(self.trash_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        buttons = (self.log_button, self.tag_button, self.untag_button,
                   self.change_field_button, self.group_button, self.export_button,
                   self.trash_button)
        width = max(b.sizeHint().width() for b in buttons)
        for button in buttons:
            button.setMinimumWidth(width + 24)

    def set_group_menu(self, menu: QMenu) -> None:
        """The window's "Add Selection to Group" menu, shown on the Add to Group button."""
        self.group_button.setMenu(menu)
        self.group_button.show()

    def set_count(self, n: int) -> None:
        self.count_label.setText(ngettext("{n} contact selected", "{n} contacts selected",
                                          n).format(n=QLocale().toString(n)))

    def ask_tag_name(self, title: str) -> str:
        """The tag's name from the user; "" when they cancel (tests replace this)."""
        text, ok = QInputDialog.getText(self, title, _("Tag:"), QLineEdit.EchoMode.Normal)
        return text.strip() if ok else ""

    def _ask_tag(self, signal: Signal, title: str) -> None:
        name = self.ask_tag_name(title)
        if name:
            signal.emit(name)  # type: ignore[attr-defined]
