"""The user's own fields on the record forms: one editor per field type, grouped
in one Section per custom section (fields without one in "More").

Every editor reads and writes a "form value": what the widget holds, in a shape
fields.parse_value accepts (typed text for numbers, money, dates and text; True,
False or None for yes/no; an option label or None for a drop-down; a list of
labels for multiple choice). The form compares these with what was loaded to
know what changed, and hands the changed ones to fields.set_values; nothing here
checks a value itself (the core does, through parse_value).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from crmdesk.core.fields.service import (
    CHOICE,
    DATE,
    LONG_TEXT,
    MONEY,
    MULTI_CHOICE,
    NUMBER,
    YES_NO,
    FieldInfo,
    Unconverted,
    as_text,
)
from crmdesk.core.i18n import _
from crmdesk.ui.common.field_editors import NotesEdit
from crmdesk.ui.common.form_sections import Section, mark


def _text_of(field: FieldInfo, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Unconverted):
        return value.raw
    if isinstance(value, date):
        return value.isoformat()
    return as_text(field, value)


class CustomEditor(QWidget):
    """The editor of one custom field; subclasses hold the actual widget."""

    changed = Signal()

    def __init__(self, field: FieldInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(4)
        self.setObjectName(f"custom_{field.key}")

    def main(self) -> QWidget:
        """The widget that is marked and focused for a problem."""
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def show_problem(self, severity: str | None, message: str) -> None:
        mark(self.main(), severity, message)

    def _tip(self, widget: QWidget) -> None:
        tip = self.field.help
        if self.field.required:
            tip = (tip + "\n" if tip else "") + _("Required")
        widget.setToolTip(tip)
        widget.setAccessibleName(self.field.label)


class LineEditor(CustomEditor):
    """Text, phone, e-mail, web address, number and money (with its currency)."""

    def __init__(self, field: FieldInfo, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit(self)
        if field.max_length:
            self.edit.setMaxLength(max(field.max_length, 1) * 4)  # the core says "too long"
        self.edit.setPlaceholderText(field.help.splitlines()[0] if field.help else "")
        self._tip(self.edit)
        self.layout_.addWidget(self.edit, 1)
        self.currency: QLabel | None = None
        if field.type == MONEY:
            self.currency = QLabel(field.currency, self)
            self.currency.setObjectName("currency")
            self.layout_.addWidget(self.currency)
        if field.type in (NUMBER, MONEY):
            self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(lambda *_a: self.changed.emit())

    def main(self) -> QWidget:
        return self.edit

    def value(self) -> Any:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText(_text_of(self.field, value))


class LongTextEditor(CustomEditor):
    def __init__(self, field: FieldInfo, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = NotesEdit(3, self)
        self.edit.setPlaceholderText(field.help)
        self._tip(self.edit)
        self.layout_.addWidget(self.edit, 1)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(lambda *_a: self.changed.emit())

    def main(self) -> QWidget:
        return self.edit

    def value(self) -> Any:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        self.edit.set_text(_text_of(self.field, value))


class DateEditor(CustomEditor):
    """A day that may be empty: typed (2026-03-31, 31.3.2026 ...) or picked."""

    def __init__(self, field: FieldInfo, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(field.help.splitlines()[0] if field.help
                                     else _("e.g. 2026-03-31"))
        self.edit.setClearButtonEnabled(True)
        self._tip(self.edit)
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0000-00-00") * 2)
        self.pick = QToolButton(self)
        self.pick.setText("…")
        self.pick.setToolTip(_("Pick a day"))
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.pick)
        self.calendar = QCalendarWidget(menu)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self.pick.setMenu(menu)
        self.calendar.clicked.connect(self._picked)
        self.layout_.addWidget(self.edit)
        self.layout_.addWidget(self.pick)
        self.layout_.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(lambda *_a: self.changed.emit())

    def _picked(self, day: QDate) -> None:
        self.edit.setText(date(day.year(), day.month(), day.day()).isoformat())
        self.pick.menu().hide()

    def main(self) -> QWidget:
        return self.edit

    def value(self) -> Any:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText(_text_of(self.field, value))
        if isinstance(value, date):
            self.calendar.setSelectedDate(QDate(value.year, value.month, value.day))


class ComboEditor(CustomEditor):
    """Yes/no (empty, yes, no) and drop-down lists (empty and the active options)."""

    def __init__(self, field: FieldInfo, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox(self)
        self._tip(self.combo)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._fill()
        self.layout_.addWidget(self.combo)
        self.layout_.addStretch(1)
        self.setFocusProxy(self.combo)
        self.combo.currentIndexChanged.connect(lambda *_a: self.changed.emit())

    def _fill(self) -> None:
        self.combo.clear()
        self.combo.addItem("", None)
        if self.field.type == YES_NO:
            self.combo.addItem(_("Yes"), True)
            self.combo.addItem(_("No"), False)
        else:
            for option in self.field.active_options:
                self.combo.addItem(option.label, option.label)

    def main(self) -> QWidget:
        return self.combo

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        self._fill()
        index = 0 if value is None else self.combo.findData(value)
        if index < 0:  # an archived option or a kept unconverted value: shown, not dropped
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)


class ChecksEditor(CustomEditor):
    """Multiple choice: one check box per option."""

    COLUMNS = 3

    def __init__(self, field: FieldInfo, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.box = QWidget(self)
        self.grid = QGridLayout(self.box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(2)
        self._tip(self.box)
        self.checks: dict[str, QCheckBox] = {}
        self.layout_.addWidget(self.box, 1)
        self._build([o.label for o in field.active_options])

    def _build(self, labels: list[str]) -> None:
        for check in self.checks.values():
            self.grid.removeWidget(check)
            check.deleteLater()
        self.checks = {}
        for i, label in enumerate(labels):
            check = QCheckBox(label, self.box)
            check.setToolTip(self.field.help)
            check.toggled.connect(lambda *_a: self.changed.emit())
            self.grid.addWidget(check, i // self.COLUMNS, i % self.COLUMNS)
            self.checks[label] = check
        if self.checks:
            self.setFocusProxy(next(iter(self.checks.values())))

    def main(self) -> QWidget:
        return self.box

    def value(self) -> Any:
        return [label for label, check in self.checks.items() if check.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = [str(value)] if isinstance(value, Unconverted) else list(value or [])
        labels = [o.label for o in self.field.active_options]
        labels += [c for c in chosen if c not in labels]  # archived ones stay visible
        if labels != list(self.checks):
            self._build(labels)
        for label, check in self.checks.items():
            check.blockSignals(True)
            check.setChecked(label in chosen)
            check.blockSignals(False)

    def show_problem(self, severity: str | None, message: str) -> None:
        for check in self.checks.values():
            mark(check, severity, message)


def editor_for(field: FieldInfo, parent: QWidget | None = None) -> CustomEditor:
    if field.type == LONG_TEXT:
        return LongTextEditor(field, parent)
    if field.type == DATE:
        return DateEditor(field, parent)
    if field.type in (YES_NO, CHOICE):
        return ComboEditor(field, parent)
    if field.type == MULTI_CHOICE:
        return ChecksEditor(field, parent)
    return LineEditor(field, parent)


def empty_value(field: FieldInfo) -> Any:
    """What an editor reads when nothing is entered."""
    if field.type == MULTI_CHOICE:
        return []
    if field.type in (YES_NO, CHOICE):
        return None
    return ""


class CustomSection(Section):
    """One custom section of the form (or "More" for the fields without one)."""

    def __init__(self, title: str, fields: list[FieldInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("customSection")
        self.fields = fields
        grid = self.form()
        self.editors: dict[str, CustomEditor] = {}
        for field in fields:
            editor = editor_for(field, self)
            text = field.label + (" *" if field.required else "")
            label = QLabel(text, self)
            label.setToolTip(_("Required") if field.required else field.help)
            label.setBuddy(editor.main())
            if field.required:
                font = label.font()
                font.setBold(True)
                label.setFont(font)
            grid.addRow(label, editor)
            self.editors[field.key] = editor
            self.watch(editor.changed)

    # The record's own fields are not here: the form loads custom values itself.
    def load(self, data: Any) -> None:
        pass

    def store(self, data: Any) -> None:
        pass

    def widget_for(self, problem: Any) -> QWidget | None:
        return self.editors.get(problem.field)


def build_sections(fields: list[FieldInfo], parent: QWidget | None = None) -> list[CustomSection]:
    """One Section per custom section in the fields' order; fields without one in "More"."""
    groups: dict[int | None, list[FieldInfo]] = {}
    names: dict[int | None, str] = {}
    for field in fields:
        groups.setdefault(field.section_id, []).append(field)
        names[field.section_id] = field.section or _("More")
    return [CustomSection(names[sid], group, parent) for sid, group in groups.items()]
