"""Editors for the fields a record has any number of: phones, e-mails, addresses,
links, important dates, relatives.

One RepeatableEditor holds rows of one kind, each with add, remove and (where
the record keeps one) a primary radio button: exactly one entry is primary,
the first by default, and removing it passes the mark on. Rows left entirely
blank are not part of the record (an "Add phone" clicked by mistake does not
block saving); anything typed is kept, valid or not, and validation marks it
on its row. Rows are reused when a record is reloaded, so saving does not
steal the focus from the row being typed in.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from crmdesk.core.contacts.records import (
    AddressData,
    DateData,
    EmailData,
    LinkData,
    PhoneData,
    RelativeData,
)
from crmdesk.core.errors import Problem
from crmdesk.core.i18n import _
from crmdesk.core.text.validation import normalize_country, openable_url
from crmdesk.ui.common.field_editors import CountryCombo, LabelCombo, PartialDateEdit
from crmdesk.ui.common.form_sections import SPACING, Section, drawn_icon


class RowEditor(QWidget):
    """One entry: a label box on the left (lined up with the form's labels),
    the value's fields, then the primary mark and a remove button."""

    changed = Signal()
    remove_clicked = Signal()
    with_primary = True

    def __init__(self, labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = LabelCombo(labels, self)
        self.label.setAccessibleName(_("Label"))
        self.fields = QWidget(self)
        self.primary = QToolButton(self)
        self.primary.setCheckable(True)
        self.primary.setAutoRaise(True)
        self.primary.setIcon(drawn_icon("star"))
        self.primary.setToolTip(_("Primary: shown in lists and used first"))
        self.primary.setAccessibleName(_("Primary"))
        self.primary.setVisible(self.with_primary)
        self.primary.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.remove = QToolButton(self)
        self.remove.setIcon(drawn_icon("cross"))
        self.remove.setAutoRaise(True)
        self.remove.setToolTip(self.remove_text())
        self.remove.setAccessibleName(self.remove_text())
        self.remove.clicked.connect(lambda *_a: self.remove_clicked.emit())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING)
        top = Qt.AlignmentFlag.AlignTop
        row.addWidget(self.label, 0, top)
        row.addWidget(self.fields, 1)
        tail = QHBoxLayout()
        tail.setSpacing(0)
        tail.addWidget(self.primary)
        tail.addWidget(self.remove)
        row.addLayout(tail)
        row.setAlignment(tail, top)
        self.label.editTextChanged.connect(lambda *_a: self.changed.emit())
        self.primary.toggled.connect(lambda *_a: self.changed.emit())
        self.build()

    def build(self) -> None:
        raise NotImplementedError

    def remove_text(self) -> str:
        return _("Remove")

    def line(self, placeholder: str, name: str) -> QLineEdit:
        edit = QLineEdit(self.fields)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(name)
        edit.textChanged.connect(lambda *_a: self.changed.emit())
        return edit

    def single(self, widget: QWidget, *extra: QWidget) -> None:
        layout = QHBoxLayout(self.fields)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(widget, 1)
        for w in extra:
            layout.addWidget(w)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def is_blank(self) -> bool:
        raise NotImplementedError

    def main_widget(self) -> QWidget:
        raise NotImplementedError

    def widget_for(self, problem: Problem) -> QWidget:
        return self.main_widget()


def phone_labels() -> list[str]:
    return [_("Mobile"), _("Work"), _("Home"), _("Fax"), _("Other")]


def email_labels() -> list[str]:
    return [_("Work"), _("Home"), _("Other")]


def address_labels() -> list[str]:
    return [_("Work"), _("Home"), _("Billing"), _("Delivery"), _("Other")]


def link_labels() -> list[str]:
    return [_("Website"), _("LinkedIn"), _("Facebook"), _("VK"), _("Other")]


class PhoneRow(RowEditor):
    def remove_text(self) -> str:
        return _("Remove this phone")


    def build(self) -> None:
        self.number = self.line(_("Phone number, e.g. +370 612 34567"), _("Phone number"))
        self.single(self.number)
        self._stored: tuple[str, str | None] = ("", None)

    def value(self) -> PhoneData:
        number = self.number.text()
        e164 = self._stored[1] if number == self._stored[0] else None
        return PhoneData(number, self.label.label(), self.primary.isChecked(), e164)

    def set_value(self, value: PhoneData) -> None:
        self.label.set_label(value.label)
        self.number.setText(value.number)
        self._stored = (value.number, value.e164)

    def is_blank(self) -> bool:
        return not self.number.text().strip()

    def main_widget(self) -> QWidget:
        return self.number


class EmailRow(RowEditor):
    def remove_text(self) -> str:
        return _("Remove this e-mail address")


    def build(self) -> None:
        self.address = self.line(_("name@example.com"), _("E-mail address"))
        self.single(self.address)

    def value(self) -> EmailData:
        return EmailData(self.address.text(), self.label.label(), self.primary.isChecked())

    def set_value(self, value: EmailData) -> None:
        self.label.set_label(value.label)
        self.address.setText(value.address)

    def is_blank(self) -> bool:
        return not self.address.text().strip()

    def main_widget(self) -> QWidget:
        return self.address


class LinkRow(RowEditor):
    def remove_text(self) -> str:
        return _("Remove this web address")


    def build(self) -> None:
        self.url = self.line(_("https://example.com"), _("Web address"))
        self.open = QToolButton(self.fields)
        self.open.setIcon(drawn_icon("open"))
        self.open.setAutoRaise(True)
        self.open.setToolTip(_("Open in the web browser"))
        self.open.clicked.connect(self._open)
        self.single(self.url, self.open)

    def _open(self) -> None:
        typed = self.url.text().strip()
        if not typed:
            return
        link = openable_url(typed)
        if link is None:  # javascript:, file:, another program's scheme ...
            QToolTip.showText(self.open.mapToGlobal(self.open.rect().bottomLeft()),
                              _("crmdesk opens only web pages (http, https), e-mail "
                                "(mailto) and phone (tel) links."), self.open)
            return
        QDesktopServices.openUrl(QUrl(link))

    def value(self) -> LinkData:
        return LinkData(self.url.text(), self.label.label(), self.primary.isChecked())

    def set_value(self, value: LinkData) -> None:
        self.label.set_label(value.label)
        self.url.setText(value.url)

    def is_blank(self) -> bool:
        return not self.url.text().strip()

    def main_widget(self) -> QWidget:
        return self.url


class AddressRow(RowEditor):
    def remove_text(self) -> str:
        return _("Remove this address")

    def build(self) -> None:
        self.street = QPlainTextEdit(self.fields)
        self.street.setPlaceholderText(_("Street, house, flat"))
        self.street.setAccessibleName(_("Street"))
        self.street.setTabChangesFocus(True)
        lines = self.street.fontMetrics().lineSpacing()
        self.street.setFixedHeight(int(lines * 2.6) + 10)
        self.street.textChanged.connect(lambda *_a: self.changed.emit())
        self.postcode = self.line(_("Postcode"), _("Postcode"))
        self.postcode.setFixedWidth(self.postcode.fontMetrics().horizontalAdvance("0") * 9 + 16)
        self.city = self.line(_("City"), _("City"))
        self.region = self.line(_("Region or state"), _("Region"))
        self.country = CountryCombo(self.fields)
        self.country.setAccessibleName(_("Country"))
        self.country.currentIndexChanged.connect(lambda *_a: self.changed.emit())
        box = QVBoxLayout(self.fields)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        box.addWidget(self.street)
        for pair, stretch in (((self.postcode, self.city), (0, 1)),
                              ((self.region, self.country), (1, 1))):  # two halves
            line = QHBoxLayout()
            line.setSpacing(4)
            for widget, factor in zip(pair, stretch, strict=True):
                line.addWidget(widget, factor)
            box.addLayout(line)

    def value(self) -> AddressData:
        return AddressData(self.street.toPlainText(), self.city.text(), self.region.text(),
                           self.postcode.text(), self.country.code(), self.label.label(),
                           self.primary.isChecked())

    def set_value(self, value: AddressData) -> None:
        self.label.set_label(value.label)
        if self.street.toPlainText() != value.street:
            self.street.setPlainText(value.street)
        self.city.setText(value.city)
        self.region.setText(value.region)
        self.postcode.setText(value.postcode)
        self.country.set_code(value.country)

    def default_country(self, code: str) -> None:
        if code:
            self.country.set_code(code)

    def is_blank(self) -> bool:
        return not any((self.street.toPlainText().strip(), self.city.text().strip(),
                        self.region.text().strip(), self.postcode.text().strip()))

    def main_widget(self) -> QWidget:
        return self.street

    def widget_for(self, problem: Problem) -> QWidget:
        _code, country_problem = normalize_country(self.country.code())
        if country_problem is not None and country_problem.message == problem.message:
            return self.country
        return self.street


def date_labels() -> list[str]:
    return [_("Anniversary"), _("Name day"), _("Wedding"), _("First met"), _("Other")]


class DateRow(RowEditor):
    with_primary = False
    def remove_text(self) -> str:
        return _("Remove this date")


    def build(self) -> None:
        self.date = PartialDateEdit(self.fields)
        self.date.changed.connect(lambda *_a: self.changed.emit())
        self.single(self.date)

    def value(self) -> DateData:
        year, month, day = self.date.value()
        # month/day may be None here: the form reports that instead of storing it.
        return DateData(self.label.label(), month, day, year)  # type: ignore[arg-type]

    def set_value(self, value: DateData) -> None:
        self.label.set_label(value.label)
        self.date.set_value(value.year, value.month, value.day)

    def is_blank(self) -> bool:
        return self.date.is_blank()

    def main_widget(self) -> QWidget:
        return self.date


def relation_labels() -> list[str]:
    return [_("Spouse"), _("Partner"), _("Child"), _("Parent"), _("Sibling"), _("Assistant"),
            _("Manager"), _("Friend"), _("Other")]


class RelativeRow(RowEditor):
    """A relative by name. A link to another contact (contact_id) is kept when
    loaded, but this form does not make new links: names only."""

    with_primary = False
    def remove_text(self) -> str:
        return _("Remove this relative")


    def build(self) -> None:
        self.name = self.line(_("Name"), _("Relative's name"))
        self.single(self.name)
        self.contact_id: int | None = None

    def value(self) -> RelativeData:
        return RelativeData(self.label.label(), self.name.text(), self.contact_id)

    def set_value(self, value: RelativeData) -> None:
        self.label.set_label(value.relation)
        self.name.setText(value.name)
        self.contact_id = value.contact_id

    def is_blank(self) -> bool:
        return not self.name.text().strip() and self.contact_id is None

    def main_widget(self) -> QWidget:
        return self.name


class RepeatableEditor(QWidget):
    """Any number of rows of one kind."""

    changed = Signal()
    rows_changed = Signal()

    def __init__(self, row_type: type[RowEditor], labels: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row_type = row_type
        self._labels = labels  # a function: the label lists are translated when used
        self._rows: list[RowEditor] = []
        self._index_rows: list[RowEditor] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._label_width = 0
        self.new_row_country = ""
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)

    def rows(self) -> list[RowEditor]:
        return list(self._rows)

    def add_row(self, value: Any = None, *, focus: bool = False) -> RowEditor:
        row = self.row_type(self._labels(), self)
        if self._label_width:
            row.label.setFixedWidth(self._label_width)
        if value is not None:
            row.set_value(value)
            if row.with_primary and value.primary:
                row.primary.setChecked(True)
        elif isinstance(row, AddressRow):
            row.default_country(self.new_row_country)
        if row.with_primary:
            self._group.addButton(row.primary)
            if self._group.checkedButton() is None:
                row.primary.setChecked(True)
        row.changed.connect(lambda *_a: self.changed.emit())
        row.remove_clicked.connect(lambda r=row: self.remove_row(r))
        self._rows.append(row)
        self._layout.addWidget(row)
        row.show()  # a child added to a visible form is otherwise shown only later
        self.rows_changed.emit()
        if value is None:
            self.changed.emit()
        if focus:
            row.main_widget().setFocus()
        return row

    def remove_row(self, row: RowEditor) -> None:
        if row not in self._rows:
            return
        at = self._rows.index(row)
        focused = row.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        self._rows.remove(row)
        was_primary = row.primary.isChecked()
        if row.with_primary:
            self._group.removeButton(row.primary)
        self._layout.removeWidget(row)
        row.hide()
        row.deleteLater()
        if was_primary and self._rows:
            self._rows[0].primary.setChecked(True)
        if focused and self._rows:
            self._rows[min(at, len(self._rows) - 1)].main_widget().setFocus()
        self.rows_changed.emit()
        self.changed.emit()

    def set_primary(self, row: RowEditor) -> None:
        row.primary.setChecked(True)

    def set_values(self, values: list[Any]) -> None:
        """Show ``values``, reusing the rows there are (the focus stays put)."""
        while len(self._rows) > len(values):
            row = self._rows.pop()
            if row.with_primary:
                self._group.removeButton(row.primary)
            self._layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        for row, value in zip(self._rows, values, strict=False):
            row.set_value(value)
        for value in values[len(self._rows):]:
            self.add_row(value)
        if self._rows and self._rows[0].with_primary:
            flags = [bool(getattr(v, "primary", False)) for v in values]
            first = flags.index(True) if True in flags else 0
            self._rows[first].primary.setChecked(True)
        self.rows_changed.emit()

    def values(self) -> list[Any]:
        """The entries of the record: every row that is not blank, in order."""
        self._index_rows = [row for row in self._rows if not row.is_blank()]
        return [row.value() for row in self._index_rows]

    def widget_for(self, problem: Problem) -> QWidget | None:
        """The row's widget for a problem whose index counts the non-blank rows."""
        if problem.index is None:
            return self._index_rows[0].main_widget() if self._index_rows else self
        if 0 <= problem.index < len(self._index_rows):
            return self._index_rows[problem.index].widget_for(problem)
        return None

    def set_label_width(self, width: int) -> None:
        self._label_width = width
        for row in self._rows:
            row.label.setFixedWidth(width)


class RepeatableSection(Section):
    """A section that is one repeatable field of the record (``attr``), with an
    "Add ..." button in its header."""

    def __init__(self, title: str, attr: str, row_type: type[RowEditor], labels: Any,
                 add_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.attr = attr
        self.editor = RepeatableEditor(row_type, labels, self)
        self.body.addWidget(self.editor)
        self.add_button = self.add_header_button(add_text)
        self.add_button.clicked.connect(lambda: self.editor.add_row(focus=True))
        self.editor.changed.connect(lambda *_a: self.changed.emit())
        self.editor.rows_changed.connect(self.rows_changed)

    def load(self, data: Any) -> None:
        self.editor.set_values(list(getattr(data, self.attr)))

    def store(self, data: Any) -> None:
        setattr(data, self.attr, self.editor.values())

    def widget_for(self, problem: Problem) -> QWidget | None:
        return self.editor.widget_for(problem) if problem.field == self.attr else None

    def set_label_width(self, width: int) -> None:
        super().set_label_width(width)
        self.editor.set_label_width(width)

    def label_width(self) -> int:
        probe = LabelCombo(self.editor._labels())
        width = probe.sizeHint().width()
        probe.deleteLater()
        return max(width, super().label_width())
