"""The lookup language, explained where it is typed: F1 or the "?" beside the search box.

Until now the language was documented in the README only. This short sheet
shows what a box takes, with examples to copy, and lists the user's own
fields by the keys they are looked up with. Every text is plain (a field's
label is the user's text, never markup): the sheet is built from widgets,
not from HTML.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.fields.catalog import describe_fields
from crmdesk.core.i18n import _
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.field_models import CONTACT

# (what to type, what it finds): shown in this order.
EXAMPLES = [
    ("ivanov", lambda: _("a word anywhere: names, company, e-mail, phone, address, notes; "
                         "case and accents do not matter")),
    ('"ООО Ромашка"', lambda: _("a phrase: these words together")),
    ("city:Vilnius status:customer", lambda: _("fields: both must hold (AND)")),
    ("status:lead OR status:prospect", lambda: _("either one; ( ) group")),
    ("-tag:do-not-call", lambda: _("NOT: a minus before a condition or a word")),
    ("last_contact<2026-06-01", lambda: _("compare dates and numbers: < <= > >= =")),
    ("birthday:this-month", lambda: _("relative dates: today, this-week, this-month, "
                                      "next-30-days")),
    ("has:email   missing:address", lambda: _("a field that is filled in, or empty")),
]


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _code(text: str) -> QLabel:
    label = _plain(text)
    label.setWordWrap(False)
    font = label.font()
    font.setFamily("monospace")
    font.setStyleHint(font.StyleHint.Monospace)
    label.setFont(font)
    return label


class SearchHelp(QDialog):
    """The cheat-sheet; ``fields`` lists the user's own contact fields."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("search_help")
        self.setWindowTitle(_("Searching"))
        with db.reading() as s:
            own = describe_fields(s, CONTACT)
        body = QWidget()
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(18)
        grid.addWidget(_plain(_("Type in the search box; the list follows as you type. The "
                                "same text finds the same contacts with “crmdesk search”; "
                                "Companies and History take their own fields "
                                "(industry:retail, kind:call outcome:reached).")), 0, 0, 1, 2)
        row = 1
        for typed, meaning in EXAMPLES:
            grid.addWidget(_code(typed), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(_plain(meaning()), row, 1)
            row += 1
        heading = _plain(_("Your own fields") if own else
                         _("Your own fields (Tools > Fields) can be looked up the same way."))
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        grid.addWidget(heading, row, 0, 1, 2)
        row += 1
        self.field_keys: list[str] = []
        for info in own:
            grid.addWidget(_code(f"{info.key}:"), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(_plain(f"{info.label} ({info.type_label})"), row, 1)
            self.field_keys.append(info.key)
            row += 1
        grid.setRowStretch(row, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.resize(640, 520)
