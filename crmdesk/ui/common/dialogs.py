"""Every modal question the GUI asks goes through these few functions.

One reason: tests replace them (a modal box would wait for a click that never
comes under pytest). The other: the same words and button order everywhere,
with the safe choice as the default button.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from crmdesk.core.i18n import _


def db_filter() -> str:
    return ";;".join([_("crmdesk databases (*.crmdesk)"), _("All files (*)")])


def confirm(parent: QWidget | None, title: str, text: str, ok_text: str,
            *, informative: str = "", destructive: bool = False) -> bool:
    """Ask before doing something; Cancel is the default for what cannot be undone."""
    box = QMessageBox(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question,
                      title, text, QMessageBox.StandardButton.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel if destructive else ok)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is ok


def choose(parent: QWidget | None, title: str, text: str, choices: list[str],
           *, informative: str = "") -> int:
    """Offer a few named choices; returns the index picked, -1 for Esc/closed."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    buttons = [box.addButton(label, QMessageBox.ButtonRole.AcceptRole if i == 0
                             else QMessageBox.ButtonRole.RejectRole if i == len(choices) - 1
                             else QMessageBox.ButtonRole.ActionRole)
               for i, label in enumerate(choices)]
    box.setDefaultButton(buttons[0])
    box.setEscapeButton(buttons[-1])
    box.exec()
    clicked = box.clickedButton()
    return next((i for i, b in enumerate(buttons) if b is clicked), -1)


def pick(parent: QWidget | None, title: str, text: str, items: list[str],
         current: int = 0) -> int:
    """Pick one of many (a drop-down in a small dialog); the index, or -1 on Cancel."""
    from PySide6.QtWidgets import QInputDialog

    item, ok = QInputDialog.getItem(parent, title, text, items, max(current, 0), False)
    return items.index(item) if ok and item in items else -1


def inform(parent: QWidget | None, title: str, text: str, *, informative: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.Ok, parent)
    if informative:
        box.setInformativeText(informative)
    box.exec()


def open_file(parent: QWidget | None, title: str, start: str = "",
              file_filter: str | None = None) -> str:
    """A native Open dialog; "" when cancelled."""
    path, _selected = QFileDialog.getOpenFileName(parent, title, start,
                                                  file_filter or db_filter())
    return path


def save_file(parent: QWidget | None, title: str, start: str = "",
              file_filter: str | None = None, *, confirm_overwrite: bool = True) -> str:
    """A native Save dialog; "" when cancelled."""
    options = QFileDialog.Option(0)
    if not confirm_overwrite:
        options |= QFileDialog.Option.DontConfirmOverwrite
    path, _selected = QFileDialog.getSaveFileName(parent, title, start,
                                                  file_filter or db_filter(), "", options)
    return path


def still_busy(parent: QWidget | None) -> None:
    """Say that the last job must finish first (opening a file, a restore ...)."""
    inform(parent, _("Please Wait"),
           _("crmdesk is still busy with the last job. Try again when it has finished."))
