"""How many days without contact, per status, before the Overview names a contact."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.activities.neglected import neglect_days, set_neglect_days
from crmdesk.core.changes import Changes
from crmdesk.core.i18n import _
from crmdesk.core.lists.choices import list_choices
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import STATUS
from crmdesk.ui.common import errors


class NeglectDialog(QDialog):
    """A spin box per status; 0 means "never name them"."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("neglect_dialog")
        self.setWindowTitle(_("Days Without Contact"))
        with db.reading() as s:
            statuses = [c.name for c in list_choices(s, STATUS)]
            current = {k.casefold(): v for k, v in neglect_days(s).items()}
        note = QLabel(_("The Overview names contacts of a status nobody has reached for "
                        "this many days (0: never)."), self)
        note.setWordWrap(True)
        form = QFormLayout()
        self.boxes: dict[str, QSpinBox] = {}
        for name in statuses:
            box = QSpinBox(self)
            box.setRange(0, 3650)
            box.setSuffix(_(" days"))
            box.setValue(current.get(name.casefold(), 0))
            form.addRow(name, box)
            self.boxes[name] = box
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.changes: Changes | None = None

    def values(self) -> dict[str, int]:
        return {name: box.value() for name, box in self.boxes.items() if box.value() > 0}

    def save(self) -> None:
        wanted = self.values()
        ok, changes = errors.run_unit(self, self.db, lambda s: set_neglect_days(s, wanted))
        if ok:
            self.changes = changes
            self.accept()
