"""Edit > Build Lookup… (Ctrl+Shift+F): a lookup clicked together as rows.

Rows of [field] [operator] [value] joined by "all" or "any" of them, with
groups inside groups; underneath, the lookup text being written as the rows
change, and how many records it finds, counted on the reader thread so that
typing never waits. OK puts the text into the search box; Cancel changes
nothing. The dialog opens on what the box holds, so whoever types lookups can
check one here, and whoever clicks them learns the language by watching.

Everything about the language is core.lookup.builder's: which operators fit a
field, the values a drop-down offers, text to rows and back. This module only
lays them out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from crmdesk.core.fields.query import date_range_of
from crmdesk.core.i18n import _, ngettext
from crmdesk.core.lookup import builder
from crmdesk.core.lookup.builder import (
    ALL,
    ANY,
    ANYWHERE,
    NONE,
    NOT_ALL,
    FieldSpec,
    Group,
    Item,
    Operator,
    Row,
    blank_out,
    field_specs,
    operator_label,
    operators,
    read,
    spec_for,
    to_text,
)
from crmdesk.core.lookup.query import COMPANY, CONTACT, find_ids
from crmdesk.core.storage.database import Database
from crmdesk.core.text.dateranges import RELATIVE_WORDS, parse_date_range
from crmdesk.core.text.parsing import parse_date, parse_money, parse_number
from crmdesk.ui.tasks.worker import shared

# How long the rows stay unchanged before the matches are counted again.
COUNT_DELAY_MS = 200
INDENT = 22
_MATCHES: list[tuple[str, Callable[[], str]]] = [
    (ALL, lambda: _("all")), (ANY, lambda: _("any")), (NONE, lambda: _("none")),
    (NOT_ALL, lambda: _("not all"))]
# Relative dates offered as one types into a date box (next-N-days with a number).
_DATE_WORDS = [w for w in RELATIVE_WORDS if "-N-" not in w] + [
    "last-7-days", "last-30-days", "last-60-days", "last-90-days", "next-7-days",
    "next-30-days"]
_PROBLEM_STYLE = "color: #b3261e;"


def _counted(entity: str, n: int) -> str:
    if entity == CONTACT:
        return ngettext("{n} contact matches", "{n} contacts match", n).format(n=n)
    if entity == COMPANY:
        return ngettext("{n} company matches", "{n} companies match", n).format(n=n)
    return ngettext("{n} history entry matches", "{n} history entries match", n).format(n=n)


class _Inbox(QObject):
    """Receives the reader thread's count on the GUI thread (queued)."""

    counted = Signal(int, object)  # generation, the number or what is wrong (str)


def _count_job(inbox: _Inbox, db: Database, entity: str, generation: int, text: str,
               latest: list[int]) -> None:
    """Runs on the reader thread. It holds nothing of the dialog's but its inbox, and
    ``latest``: the generation the dialog wants (it may close meanwhile)."""
    if generation != latest[0]:
        return  # the rows changed again while it waited
    answer: object
    try:
        with db.reading() as session:
            answer = len(find_ids(session, entity, text, strict=True))
    except Exception as exc:  # noqa: BLE001 - said in the dialog, not raised
        answer = str(exc)
    try:
        inbox.counted.emit(generation, answer)
    except RuntimeError:  # the dialog was closed meanwhile
        pass


# -- a value box fitting the field ---------------------------------------------------------


class ValueBox(QWidget):
    """The value of a row: a text box, a drop-down of the list's entries, a date box that
    takes typed dates and relative words (with a calendar), or a number box."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, value: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = spec.kind
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.combo: QComboBox | None = None
        self.calendar_button: QToolButton | None = None
        self.edit: QLineEdit
        if spec.kind in (builder.CHOICE, builder.TAG, builder.YES_NO):
            combo = QComboBox()
            combo.setObjectName("value")
            combo.setEditable(spec.kind != builder.YES_NO)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems(list(spec.choices))
            combo.setMinimumContentsLength(12)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentTextChanged.connect(lambda _t: self.changed.emit())
            self.combo = combo
            layout.addWidget(combo, 1)
            edit = combo.lineEdit()
            if edit is not None:
                edit.setPlaceholderText(_("choose or type"))
        else:
            self.edit = QLineEdit()
            self.edit.setObjectName("value")
            self.edit.textChanged.connect(self._edited)
            layout.addWidget(self.edit, 1)
            if spec.kind == builder.DATE:
                self.edit.setPlaceholderText(_("2026-06-01, this-month, last-30-days"))
                completer = QCompleter(_DATE_WORDS, self.edit)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                self.edit.setCompleter(completer)
                self.edit.editingFinished.connect(self._typed_date)
                self._add_calendar(layout)
            elif spec.kind in (builder.NUMBER, builder.MONEY):
                self.edit.setPlaceholderText(_("a number"))
            elif spec.kind == builder.PHONE:
                self.edit.setPlaceholderText(_("digits of the number"))
        self.set_value(value)

    def _add_calendar(self, layout: QHBoxLayout) -> None:
        button = QToolButton()
        button.setObjectName("calendar")
        button.setText("…")
        button.setToolTip(_("Pick a day"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        menu = QMenu(button)
        calendar = QCalendarWidget()
        calendar.setGridVisible(True)
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(lambda: self._calendar_opened(calendar))

        def picked(day: QDate) -> None:
            self.edit.setText(day.toString(Qt.DateFormat.ISODate))
            menu.close()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        button.setMenu(menu)
        self.calendar_button = button
        self.calendar = calendar
        layout.addWidget(button)

    def _calendar_opened(self, calendar: QCalendarWidget) -> None:
        found = date_range_of(self.value(), date.today()) if self.value().strip() else None
        day = found.start if found is not None else date.today()
        calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def value(self) -> str:
        if self.combo is not None:
            return self.combo.currentText()
        return self.edit.text()

    def set_value(self, value: str) -> None:
        if self.combo is None:
            self.edit.setText(value)
            return
        if self.combo.isEditable():
            self.combo.setCurrentIndex(-1)
            self.combo.setEditText(value)
            return
        index = self.combo.findText(value, Qt.MatchFlag.MatchFixedString)
        if index < 0 and value:
            self.combo.addItem(value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))

    def focus_widgets(self) -> list[QWidget]:
        main: QWidget = self.combo if self.combo is not None else self.edit
        return [main] + ([self.calendar_button] if self.calendar_button else [])

    def problem(self) -> str:
        """What is wrong with the value for this field ("" if nothing, or if blank)."""
        text = self.value().strip()
        if not text:
            return ""
        if self.kind == builder.DATE and date_range_of(text, date.today()) is None:
            return _("{value!r} is not a date.").format(value=text)
        if self.kind == builder.NUMBER and parse_number(text) is None:
            return _("{value!r} is not a number.").format(value=text)
        if self.kind == builder.MONEY and parse_money(text)[0] is None:
            return _("{value!r} is not an amount.").format(value=text)
        return ""

    def _edited(self, _text: str) -> None:
        wrong = self.problem()
        self.edit.setStyleSheet("QLineEdit { color: #b3261e; }" if wrong else "")
        self.edit.setToolTip(wrong)
        self.changed.emit()

    def _typed_date(self) -> None:
        """A day typed the user's way (31.12.2026) is written as the lookup writes days
        (2026-12-31), so the same lookup means the same on any PC."""
        text = self.edit.text().strip()
        if not text or parse_date_range(text, date.today()) is not None:
            return
        day = parse_date(text)
        if day is not None:
            self.edit.setText(day.isoformat())


# -- a row -----------------------------------------------------------------------------------


def _tool(text: str, tip: str, name: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


class RowWidget(QWidget):
    """[field ▾] [operator ▾] [value] [–]"""

    changed = Signal()
    remove_wanted = Signal(QWidget)

    def __init__(self, specs: list[FieldSpec], row: Row, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.specs = specs
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.field = QComboBox()
        self.field.setObjectName("field")
        self.field.setMinimumContentsLength(16)
        # Fixed widths: the rows' columns line up, and an operator without a value
        # ("is empty") does not stretch across the row.
        self.field.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.field.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for spec in specs:
            self.field.addItem(spec.label, spec.key)
        spec = spec_for(specs, row.key) or specs[0]
        self.field.setCurrentIndex(self.field.findData(spec.key))
        # A field named in the text by its label (дата_договора) keeps that name; one
        # picked here is written by its key, which stays when the label is renamed.
        self._named = (spec.key, row.key)
        self.operator = QComboBox()
        self.operator.setObjectName("operator")
        self.operator.setMinimumContentsLength(13)
        self.operator.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.operator.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._operators: list[Operator] = []
        self.value_box = ValueBox(spec, row.value)
        self.remove = _tool("–", _("Remove this condition"), "remove_row")
        self.remove.clicked.connect(lambda: self.remove_wanted.emit(self))
        layout.addWidget(self.field)
        layout.addWidget(self.operator)
        layout.addWidget(self.value_box, 1)
        layout.addStretch(0)  # where the value would be, when there is none
        layout.addWidget(self.remove)
        self._fill_operators(spec, Operator(row.op, row.negated))
        self.field.setToolTip(spec.label)  # a long label is cut short in the box
        self.field.currentIndexChanged.connect(self._field_changed)
        self.operator.currentIndexChanged.connect(self._operator_changed)
        self.value_box.changed.connect(self.changed)

    def spec(self) -> FieldSpec:
        return spec_for(self.specs, self.field.currentData()) or self.specs[0]

    def _fill_operators(self, spec: FieldSpec, current: Operator | None) -> None:
        self._operators = list(operators(spec.kind))
        if current is not None and current not in self._operators:
            self._operators.append(current)  # as the text had it ("not: is less than")
        self.operator.blockSignals(True)
        self.operator.clear()
        for op in self._operators:
            self.operator.addItem(operator_label(spec.kind, op))
        index = self._operators.index(current) if current in self._operators else 0
        self.operator.setCurrentIndex(index)
        self.operator.blockSignals(False)
        self.value_box.setVisible(self._operators[index].needs_value)

    def _field_changed(self, _index: int) -> None:
        spec = self.spec()
        self.field.setToolTip(spec.label)
        old = self.current_operator()
        keep = old if old in operators(spec.kind) else None
        value = self.value_box.value()
        box = ValueBox(spec, value if spec.kind != builder.YES_NO else "")
        self.layout().replaceWidget(self.value_box, box)
        self.value_box.deleteLater()
        self.value_box = box
        box.changed.connect(self.changed)
        self._fill_operators(spec, keep)
        self.changed.emit()

    def _operator_changed(self, index: int) -> None:
        self.value_box.setVisible(self._operators[index].needs_value)
        self.changed.emit()

    def current_operator(self) -> Operator:
        return self._operators[max(self.operator.currentIndex(), 0)]

    def row(self) -> Row:
        op = self.current_operator()
        value = self.value_box.value() if op.needs_value else ""
        key = self.spec().key
        if self._named[0] == key:
            key = self._named[1]
        return Row(key, op.op, value, op.negated)

    def focus_widgets(self) -> list[QWidget]:
        values = self.value_box.focus_widgets() if self.value_box.isVisibleTo(self) else []
        return [self.field, self.operator, *values, self.remove]


# -- a group ---------------------------------------------------------------------------------


class GroupWidget(QFrame):
    """Match [all ▾] of these: rows and groups, "+ Condition", "+ Group"."""

    changed = Signal()
    structure_changed = Signal()  # rows came or went: the focus order follows
    remove_wanted = Signal(QWidget)

    def __init__(self, specs: list[FieldSpec], group: Group, *, nested: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.specs = specs
        self.nested = nested
        self.setObjectName("group")
        if nested:
            self.setFrameShape(QFrame.Shape.StyledPanel)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6 if nested else 0, 4, 4, 4)
        header = QHBoxLayout()
        header.addWidget(QLabel(_("Match")))
        self.match = QComboBox()
        self.match.setObjectName("match")
        for key, label in _MATCHES:
            self.match.addItem(label(), key)
        self.match.setCurrentIndex(max(self.match.findData(group.match), 0))
        self.match.currentIndexChanged.connect(lambda _i: self.changed.emit())
        header.addWidget(self.match)
        header.addWidget(QLabel(_("of these")))
        header.addStretch(1)
        self.remove: QToolButton | None = None
        if nested:
            self.remove = _tool("–", _("Remove this group"), "remove_group")
            self.remove.clicked.connect(lambda: self.remove_wanted.emit(self))
            header.addWidget(self.remove)
        outer.addLayout(header)
        self.items_layout = QVBoxLayout()
        self.items_layout.setContentsMargins(INDENT, 0, 0, 0)
        outer.addLayout(self.items_layout)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(INDENT, 0, 0, 0)
        self.add_row_button = QPushButton(_("+ Condition"))
        self.add_row_button.setObjectName("add_condition")
        self.add_row_button.setAutoDefault(False)
        self.add_row_button.clicked.connect(lambda: self.add_row(focus=True))
        self.add_group_button = QPushButton(_("+ Group"))
        self.add_group_button.setObjectName("add_group")
        self.add_group_button.setAutoDefault(False)
        self.add_group_button.clicked.connect(lambda: self.add_group(focus=True))
        buttons.addWidget(self.add_row_button)
        buttons.addWidget(self.add_group_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        for item in group.items:
            self._add(item)

    def _add(self, item: Item) -> QWidget:
        widget: RowWidget | GroupWidget
        if isinstance(item, Row):
            widget = RowWidget(self.specs, item)
        else:
            widget = GroupWidget(self.specs, item, nested=True)
            widget.structure_changed.connect(self.structure_changed)
        widget.changed.connect(self.changed)
        widget.remove_wanted.connect(self._remove)
        self.items_layout.addWidget(widget)
        return widget

    def add_row(self, row: Row | None = None, *, focus: bool = False) -> RowWidget:
        widget = self._add(row or Row(ANYWHERE))
        assert isinstance(widget, RowWidget)
        self.structure_changed.emit()
        self.changed.emit()
        if focus:
            widget.field.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget

    def add_group(self, *, focus: bool = False) -> GroupWidget:
        """A group of its own ("any" of them: what a group inside "all" is usually for),
        with a first blank row."""
        inner = ANY if self.match.currentData() in (ALL, NOT_ALL) else ALL
        widget = self._add(Group(inner, (Row(ANYWHERE),)))
        assert isinstance(widget, GroupWidget)
        self.structure_changed.emit()
        self.changed.emit()
        if focus:
            widget.match.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget

    @Slot(QWidget)
    def _remove(self, widget: QWidget) -> None:
        self.items_layout.removeWidget(widget)
        widget.hide()
        widget.deleteLater()
        self.structure_changed.emit()
        self.changed.emit()
        self.add_row_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def children_widgets(self) -> list[RowWidget | GroupWidget]:
        found = []
        for i in range(self.items_layout.count()):
            widget = self.items_layout.itemAt(i).widget()
            if isinstance(widget, RowWidget | GroupWidget):
                found.append(widget)
        return found

    def group(self) -> Group:
        items = tuple(w.row() if isinstance(w, RowWidget) else w.group()
                      for w in self.children_widgets())
        return Group(self.match.currentData(), items)

    def focus_widgets(self) -> list[QWidget]:
        found: list[QWidget] = [self.match]
        if self.remove is not None:
            found.append(self.remove)
        for widget in self.children_widgets():
            found += widget.focus_widgets()
        return [*found, self.add_row_button, self.add_group_button]

    def problems(self) -> list[str]:
        found: list[str] = []
        for widget in self.children_widgets():
            if isinstance(widget, RowWidget):
                if widget.value_box.isVisibleTo(widget) and widget.value_box.problem():
                    found.append(widget.spec().label + ": " + widget.value_box.problem())
            else:
                found += widget.problems()
        return found


# -- the dialog ------------------------------------------------------------------------------


class LookupBuilder(QDialog):
    """Build a lookup of ``entity`` records, starting from ``text`` (the search box's);
    ``text()`` after it was accepted."""

    def __init__(self, db: Database, text: str = "", entity: str = CONTACT,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lookup_builder")
        self.setWindowTitle(_("Build Lookup"))
        self.db = db
        self.entity = entity
        self.typed = text
        with db.reading() as session:
            self.specs = field_specs(session, entity)
            reading = read(session, entity, text) if text.strip() else None
        self._generation = 0
        self._latest = [0]  # the generation wanted, as the reader thread sees it
        self._inbox = _Inbox(self)
        self._inbox.counted.connect(self._on_counted)
        self._count_timer = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count)

        layout = QVBoxLayout(self)
        # When the text cannot be shown as rows: why, and the two ways on.
        self.problem_box = QFrame()
        self.problem_box.setObjectName("problem_box")
        self.problem_box.setFrameShape(QFrame.Shape.StyledPanel)
        problem_layout = QVBoxLayout(self.problem_box)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problem")
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setWordWrap(True)
        problem_layout.addWidget(self.problem_label)
        problem_buttons = QHBoxLayout()
        self.fresh_button = QPushButton(_("Start Afresh"))
        self.fresh_button.setObjectName("start_afresh")
        self.fresh_button.clicked.connect(self.start_afresh)
        self.keep_button = QPushButton(_("Keep My Text"))
        self.keep_button.setObjectName("keep_text")
        self.keep_button.clicked.connect(self.reject)
        problem_buttons.addStretch(1)
        problem_buttons.addWidget(self.fresh_button)
        problem_buttons.addWidget(self.keep_button)
        problem_layout.addLayout(problem_buttons)
        self.problem_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(self.problem_box)

        self.scroll = QScrollArea()
        self.scroll.setObjectName("rows")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.scroll, 1)
        layout.addStretch(0)  # takes the room of the rows while they are not shown

        heading = QLabel(_("The lookup, as the search box takes it:"))
        layout.addWidget(heading)
        self.text_view = QPlainTextEdit()
        self.text_view.setObjectName("lookup_text")
        self.text_view.setReadOnly(True)
        self.text_view.setTabChangesFocus(True)
        self.text_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        line = self.text_view.fontMetrics().lineSpacing()
        self.text_view.setFixedHeight(line * 3 + 14)
        self.text_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.text_view)
        bottom = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("lookup_count")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setWordWrap(True)
        bottom.addWidget(self.count_label, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Search"))
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.root: GroupWidget | None = None
        self._opened: Group | None = None
        if reading is not None and reading.group is None:
            self._cannot_show(reading.problem)
        else:
            group = reading.group if reading is not None else Group()
            assert group is not None
            self._opened = group
            self._show(group if group.items else Group(ALL, (Row(ANYWHERE),)))
        self.resize(820, 470)

    # -- building --------------------------------------------------------------------
    def _cannot_show(self, problem: str) -> None:
        self.problem_label.setText(_(
            "This lookup cannot be shown as rows: {problem}\nStart afresh with empty rows, "
            "or keep your text as it is in the search box.").format(problem=problem))
        self.problem_box.show()
        self.scroll.hide()
        self.ok_button.setEnabled(False)
        self.text_view.setPlainText(self.typed)
        self.count_label.setText("")
        self.fresh_button.setDefault(True)
        self.fresh_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def start_afresh(self) -> None:
        self._show(Group(ALL, (Row(ANYWHERE),)))
        self.problem_box.hide()
        self.scroll.show()
        self.fresh_button.setDefault(False)
        self.ok_button.setEnabled(True)
        self.ok_button.setDefault(True)
        self._focus_first()

    def _show(self, group: Group) -> None:
        self.problem_box.hide()
        self.root = GroupWidget(self.specs, group, nested=False)
        self.root.changed.connect(self._rows_changed)
        self.root.structure_changed.connect(self._chain_focus)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.root)
        holder_layout.addStretch(1)
        self.scroll.setWidget(holder)
        self._chain_focus()
        self._rows_changed()
        if self.isVisible():
            self._focus_first()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.root is not None:
            self._focus_first()

    def _focus_first(self) -> None:
        if self.root is None:
            return
        rows = self.row_widgets()
        target = rows[0].field if rows else self.root.add_row_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _chain_focus(self) -> None:
        """Tab goes through the rows as they are shown, then to the text and the buttons
        (rows added later would otherwise come after OK)."""
        if self.root is None:
            return
        chain: list[Any] = [*self.root.focus_widgets(), self.text_view, self.ok_button,
                            self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- what the rows say -----------------------------------------------------------
    def group(self) -> Group:
        """The rows as they stand, blank ones left out."""
        return blank_out(self.root.group()) if self.root is not None else Group()

    def text(self) -> str:
        """The lookup for the search box: as typed when the rows were left as they
        were read from it, else as the rows write it."""
        if self.root is None:
            return self.typed
        group = self.group()
        if self._opened is not None and group == self._opened:
            return self.typed
        return to_text(group)

    def row_widgets(self) -> list[RowWidget]:
        found: list[RowWidget] = []

        def walk(group: GroupWidget) -> None:
            for widget in group.children_widgets():
                if isinstance(widget, RowWidget):
                    found.append(widget)
                else:
                    walk(widget)

        if self.root is not None:
            walk(self.root)
        return found

    def _rows_changed(self) -> None:
        text = self.text()
        if self.text_view.toPlainText() != text:
            self.text_view.setPlainText(text)
        self._chain_focus()
        problems = self.root.problems() if self.root is not None else []
        # A value the field cannot read would make the box search the words as plain
        # text: it is fixed here first.
        self.ok_button.setEnabled(self.root is not None and not problems)
        if problems:
            self._next_generation()
            self._count_timer.stop()
            self._say(problems[0], problem=True)
            return
        self._say(_("Counting…"))
        self._count_timer.start()

    def _count(self) -> None:
        self._next_generation()
        generation, text, entity, db = self._generation, self.text(), self.entity, self.db
        inbox, latest = self._inbox, self._latest
        shared("reader").submit(lambda: _count_job(inbox, db, entity, generation, text,
                                                   latest))

    def _next_generation(self) -> None:
        """Answers on their way are for rows that are no more."""
        self._generation += 1
        self._latest[0] = self._generation

    @Slot(int, object)
    def _on_counted(self, generation: int, answer: object) -> None:
        if generation != self._generation:
            return
        if isinstance(answer, int):
            self._say(_counted(self.entity, answer))
        else:
            self._say(str(answer), problem=True)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.count_label.setText(text)
        self.count_label.setStyleSheet(_PROBLEM_STYLE if problem else "")

    def wait_counted(self) -> None:
        """Block until the count asked for has come (tests)."""
        if self._count_timer.isActive():
            self._count_timer.stop()
            self._count()
        shared("reader").wait()

    def done(self, result: int) -> None:
        self._next_generation()  # a count still on its way is not wanted
        self._count_timer.stop()
        super().done(result)
