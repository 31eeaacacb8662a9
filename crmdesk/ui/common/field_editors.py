"""Field editors Qt lacks, for the record forms.

A day and month with an optional year (a birthday often has no year), tags
with completion of the comma-separated word being typed, long notes that do
not freeze the window, a label box with the usual labels, and a country
picker that shows, and never drops, a code it does not know.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from PySide6.QtCore import QLocale, QMimeData, QStringListModel, Qt, Signal
from PySide6.QtGui import QColor, QIntValidator, QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from crmdesk.core.i18n import _
from crmdesk.core.text.folding import fold
from crmdesk.ui.common.form_sections import COLORS, ERROR, mark


class LabelCombo(QComboBox):
    """The label of a phone, an address ...: a few usual ones, or whatever is typed,
    kept as typed (letter case too)."""

    def __init__(self, labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(labels)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(6)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # Case-sensitive: QComboBox replaces the typed text by an entry that matches
        # it the completer's way when the box loses focus, so a case-insensitive one
        # turned a stored "home" into "Home" on a mere Tab or click through.
        self.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseSensitive)

    def label(self) -> str:
        return self.currentText().strip()

    def set_label(self, text: str) -> None:
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0 and self.itemText(index) == text:
            self.setCurrentIndex(index)
        else:
            self.setEditText(text)


def month_names() -> list[str]:
    locale = QLocale()
    return [locale.standaloneMonthName(m, QLocale.FormatType.LongFormat) for m in range(1, 13)]


class PartialDateEdit(QWidget):
    """A day, a month and an optional year: a birthday need not have a year.

    The three boxes follow the order of the user's own date format (day first
    in Vilnius and Moscow, year first in Shanghai).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day = QComboBox(self)
        self.day.addItem("", None)
        for d in range(1, 32):
            self.day.addItem(str(d), d)
        self.day.setAccessibleName(_("Day"))
        self.day.setPlaceholderText(_("day"))
        self.month = QComboBox(self)
        self.month.addItem("", None)
        for m, name in enumerate(month_names(), start=1):
            self.month.addItem(name, m)
        self.month.setAccessibleName(_("Month"))
        self.month.setPlaceholderText(_("month"))
        self.year = QLineEdit(self)
        self.year.setValidator(QIntValidator(1, 9999, self.year))
        self.year.setMaxLength(4)
        self.year.setPlaceholderText(_("year"))
        self.year.setAccessibleName(_("Year (optional)"))
        self.year.setToolTip(_("The year is optional"))
        self.year.setFixedWidth(self.year.fontMetrics().horizontalAdvance("00000") + 34)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        fmt = QLocale().dateFormat(QLocale.FormatType.ShortFormat).lower()
        order = sorted([(fmt.find("d"), self.day), (fmt.find("m"), self.month),
                        (fmt.find("y"), self.year)], key=lambda pair: pair[0])
        for _pos, widget in order:
            layout.addWidget(widget)
        layout.addStretch(1)
        for combo in (self.day, self.month):
            combo.currentIndexChanged.connect(lambda index, c=combo: self._picked(c, index))
        self.year.textChanged.connect(lambda *_a: self.changed.emit())

    def value(self) -> tuple[int | None, int | None, int | None]:
        """(year, month, day), each None when not given."""
        text = self.year.text().strip()
        return (int(text) if text.isdigit() else None, self.month.currentData(),
                self.day.currentData())

    def set_value(self, year: int | None, month: int | None, day: int | None) -> None:
        self.day.setCurrentIndex(self.day.findData(day) if day else -1)
        self.month.setCurrentIndex(self.month.findData(month) if month else -1)
        self.year.setText(str(year) if year else "")

    def _picked(self, combo: QComboBox, index: int) -> None:
        if index == 0:  # the empty entry: no value, so show the placeholder again
            combo.setCurrentIndex(-1)
            return
        self.changed.emit()

    def is_blank(self) -> bool:
        return self.value() == (None, None, None)

    def show_problem(self, severity: str | None, message: str) -> None:
        for widget in (self.day, self.month, self.year):
            mark(widget, severity, message)


class TagsEdit(QLineEdit):
    """Tags as "customer, newsletter, vip", completing the word being typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("Separate tags with commas"))
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setWidget(self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.activated[str].connect(self.insert_tag)
        self.textEdited.connect(self._complete)

    def set_known(self, tags: list[str]) -> None:
        self._model.setStringList(tags)

    def tags(self) -> list[str]:
        seen: set[str] = set()
        out = []
        for part in self.text().split(","):
            tag = part.strip()
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                out.append(tag)
        return out

    def set_tags(self, tags: list[str]) -> None:
        self.setText(", ".join(tags))

    def _segment(self) -> tuple[int, int]:
        """Where the tag under the cursor starts and ends."""
        text, pos = self.text(), self.cursorPosition()
        start = text.rfind(",", 0, pos) + 1
        end = text.find(",", pos)
        return start, len(text) if end < 0 else end

    def _complete(self) -> None:
        start, end = self._segment()
        prefix = self.text()[start:self.cursorPosition()].strip()
        if not prefix:
            self._completer.popup().hide()
            return
        self._completer.setCompletionPrefix(prefix)
        if self._completer.completionCount() > 0:
            self._completer.complete()
        else:
            self._completer.popup().hide()

    def insert_tag(self, tag: str) -> None:
        start, end = self._segment()
        text = self.text()
        before = text[:start].rstrip()
        after = text[end:].lstrip(", ")
        new = (before + " " if before else "") + tag + ", "
        self.setText(new + after)
        self.setCursorPosition(len(new))
        self.textEdited.emit(self.text())


_LONG_WORD = re.compile(r"\S{2000}")


class NotesEdit(QPlainTextEdit):
    """Long free text. Qt lays out a line with no place to break in quadratic time
    (a megabyte pasted as one "word" would freeze the window for minutes), so
    text like that is wrapped anywhere instead of at word boundaries."""

    def __init__(self, lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + 12)

    def set_text(self, text: str) -> None:
        if self.toPlainText() == text:
            return
        # The cheap mode while the long text is in the editor: switch before it
        # comes, and only after it has gone.
        if _LONG_WORD.search(text):
            self._choose_wrap(text)
            self.setPlainText(text)
        else:
            self.setPlainText(text)
            self._choose_wrap(text)

    def _choose_wrap(self, text: str) -> None:
        anywhere = _LONG_WORD.search(text) is not None
        mode = (QTextOption.WrapMode.WrapAnywhere if anywhere
                else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        if self.wordWrapMode() != mode:
            self.setWordWrapMode(mode)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt's name
        if source.hasText() and _LONG_WORD.search(source.text()):
            self._choose_wrap(source.text())
        super().insertFromMimeData(source)


_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@lru_cache(maxsize=4)
def country_names(language: str) -> list[tuple[str, str]]:
    """[(code, name)] of every country, named and sorted in ``language``."""
    try:
        locale = Locale.parse(language or "en")
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    names: dict[str, str] = dict(locale.territories)
    pairs = [(code, name) for code, name in names.items()
             if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES]
    return sorted(pairs, key=lambda pair: fold(pair[1]))


class CountryCombo(QComboBox):
    """A country by its ISO code, shown by name; an unknown code is shown as it is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem("", "")
        self.setItemData(0, _("No country"), Qt.ItemDataRole.ToolTipRole)
        for code, name in country_names(QLocale().name()):
            self.addItem(f"{name} ({code})", code)
        self.setMaxVisibleItems(20)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def code(self) -> str:
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        if index < 0 and code.strip().upper() != code:
            index = self.findData(code.strip().upper())
        if index < 0:
            self.addItem(code, code)  # kept as stored; validation says what is wrong
            self.setItemData(self.count() - 1, QColor(COLORS[ERROR]),
                             Qt.ItemDataRole.ForegroundRole)
            index = self.count() - 1
        self.setCurrentIndex(index)
