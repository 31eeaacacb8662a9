"""A contact's photo: a thumbnail to click (or drop an image on) and a menu.

A file is checked before it is taken: more than 10 MB or not an image Qt can
read is refused with a message and the photo stays as it was. A big camera
picture is scaled down to PHOTO_SIDE pixels, re-encoded, so that a few
hundred contacts with photos do not make the database file huge; a small one
is kept byte for byte. Without a photo the box shows the person's initials.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QIcon,
    QImage,
    QImageReader,
    QPainter,
    QPainterPath,
    QPixmap,
)
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from crmdesk.core.contacts.records import MAX_PHOTO
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _
from crmdesk.ui.common import dialogs, errors

PHOTO_SIDE = 1024
THUMB = 72
_MIME = {"jpeg": "image/jpeg", "jpg": "image/jpeg", "png": "image/png", "gif": "image/gif",
         "bmp": "image/bmp", "webp": "image/webp"}


def image_filter() -> str:
    return ";;".join([_("Images (*.jpg *.jpeg *.png *.gif *.bmp *.webp)"), _("All files (*)")])


def read_photo(path: str | os.PathLike[str]) -> tuple[bytes, str]:
    """(bytes, MIME type) of an image file fit to be a contact's photo.

    Raises CrmdeskError with a message for the user when it is not.
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_PHOTO:
            raise CrmdeskError(_(
                "{name} is too large for a photo ({size} MB; at most 10 MB). "
                "Choose a smaller picture.").format(name=name, size=round(size / 2**20, 1)))
        raw = path.read_bytes()
    except OSError as exc:
        raise CrmdeskError(_("{name} could not be read: {reason}").format(
            name=name, reason=exc.strerror or exc)) from exc
    buffer = QBuffer()
    buffer.setData(QByteArray(raw))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    fmt = bytes(reader.format().data()).decode("ascii", "replace").lower()
    image = reader.read()
    if image.isNull():
        raise CrmdeskError(_("{name} is not a picture crmdesk can read. Use a JPEG, PNG, "
                             "GIF, BMP or WebP file.").format(name=name))
    if max(image.width(), image.height()) <= PHOTO_SIDE and fmt in _MIME:
        return raw, _MIME[fmt]
    return encode(image)


def encode(image: QImage) -> tuple[bytes, str]:
    """Scale down to PHOTO_SIDE; JPEG, or PNG when the picture is transparent."""
    if max(image.width(), image.height()) > PHOTO_SIDE:
        image = image.scaled(PHOTO_SIDE, PHOTO_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    fmt, mime = ("PNG", "image/png") if image.hasAlphaChannel() else ("JPEG", "image/jpeg")
    out = QByteArray()
    buffer = QBuffer(out)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, fmt, 90)
    return bytes(out.data()), mime


def thumbnail(photo: bytes | None, initials: str, side: int) -> QPixmap:
    """The photo cut to a rounded square, or the initials on a quiet colour."""
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    clip = QPainterPath()
    clip.addRoundedRect(0, 0, side, side, side / 8, side / 8)
    painter.setClipPath(clip)
    image = QImage.fromData(photo) if photo else QImage()
    if not image.isNull():
        scaled = image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                              Qt.TransformationMode.SmoothTransformation)
        x = (scaled.width() - side) // 2
        y = (scaled.height() - side) // 2
        painter.drawImage(0, 0, scaled, x, y, side, side)
    else:
        hue = sum(map(ord, initials)) * 47 % 360 if initials else 210
        painter.fillRect(0, 0, side, side, QColor.fromHsl(hue, 60, 200))
        font = QFont(painter.font())
        font.setPixelSize(int(side * 0.38))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor.fromHsl(hue, 80, 70))
        painter.drawText(QRect(0, 0, side, side), Qt.AlignmentFlag.AlignCenter, initials or "?")
    painter.end()
    return pixmap


class PhotoBox(QToolButton):
    """The photo, its menu (choose, remove) and image files dropped on it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._photo: bytes | None = None
        self._mime = ""
        self._initials = ""
        self.setIconSize(QSize(THUMB, THUMB))
        self.setFixedSize(THUMB + 8, THUMB + 8)
        self.setAutoRaise(True)
        self.setAcceptDrops(True)
        self.setToolTip(_("Photo: click to choose a picture, or drop one here"))
        self.setAccessibleName(_("Photo"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.choose_action = menu.addAction(_("Choose a photo…"), self.choose_file)
        self.remove_action = menu.addAction(_("Remove the photo"), self.remove_photo)
        self.setMenu(menu)
        self._paint()

    def photo(self) -> tuple[bytes | None, str]:
        return self._photo, self._mime if self._photo else ""

    def set_photo(self, photo: bytes | None, mime: str) -> None:
        self._photo, self._mime = photo, mime
        self._paint()

    def set_initials(self, initials: str) -> None:
        if initials != self._initials:
            self._initials = initials
            if not self._photo:
                self._paint()

    def choose_file(self) -> None:
        path = dialogs.open_file(self, _("Choose a photo"), "", image_filter())
        if path:
            self.set_photo_file(path)

    def set_photo_file(self, path: str | os.PathLike[str]) -> bool:
        """Take the picture in ``path``; False (and a message) when it cannot be used."""
        try:
            photo, mime = read_photo(path)
        except CrmdeskError as exc:
            errors.show_error(self, exc, title=_("Photo"))
            return False
        self.set_photo(photo, mime)
        self.changed.emit()
        return True

    def remove_photo(self) -> None:
        if self._photo is not None:
            self.set_photo(None, "")
            self.changed.emit()

    def _paint(self) -> None:
        self.setIcon(QIcon(thumbnail(self._photo, self._initials, THUMB * 2)))
        self.remove_action.setEnabled(self._photo is not None)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.set_photo_file(urls[0].toLocalFile())
