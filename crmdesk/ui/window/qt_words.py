"""Qt's own words (the standard buttons, a text box's menu) from crmdesk's catalogue.

Qt ships translations of its standard buttons for some languages only (none for
Lithuanian), so a Lithuanian dialog would say "Save" and "Cancel" around
Lithuanian text. The words are listed here for the catalogue (pybabel extracts
``_("...")``; the ``_`` below only marks them), and CatalogueTranslator answers
Qt's requests for them from crmdesk's own catalogue. Qt asks its own
translations first when it has them (they are installed after this one).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

from crmdesk.core import i18n


def _(text: str) -> str:  # a marker for extraction: the words are translated on request
    return text


# The contexts Qt asks these words in (QPlatformTheme: QDialogButtonBox and
# QMessageBox buttons; QLineEdit and QWidgetTextControl: the right-click menu).
CONTEXTS = frozenset({"QPlatformTheme", "QDialogButtonBox", "QMessageBox", "QLineEdit",
                      "QWidgetTextControl"})
WORDS = frozenset({
    _("OK"), _("&OK"), _("Save"), _("&Save"), _("Save All"), _("Open"), _("&Yes"),
    _("Yes to &All"), _("&No"), _("N&o to All"), _("Abort"), _("Retry"), _("Ignore"),
    _("Close"), _("&Close"), _("Cancel"), _("&Cancel"), _("Discard"), _("Don't Save"),
    _("Close without Saving"), _("Help"), _("Apply"), _("Reset"), _("Restore Defaults"),
    _("&Undo"), _("&Redo"), _("Cu&t"), _("&Copy"), _("&Paste"), _("Delete"), _("Select All"),
    _("Copy &Link Location"),
})


class CatalogueTranslator(QTranslator):
    """Answers Qt's requests for WORDS from crmdesk's catalogue (None: not known)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        if context not in CONTEXTS or source_text not in WORDS:
            return None
        text = i18n._(source_text)
        return text if text != source_text else None

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return False
