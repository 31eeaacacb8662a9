"""GUI test fixtures: a database with a few known people, settings in a temp file,
modal dialogs answered by the test instead of waiting for a click."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from wheel_fixture import plain_text_guard, wheel_guard  # noqa: F401 - autouse, on the app
from write_guard import gui_writes  # noqa: F401 - autouse: no write on the GUI thread

from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    EmailData,
    PhoneData,
    create_contact,
)
from crmdesk.core.storage.database import Database

PEOPLE = [
    ("Anna", "Smith", "Acme Ltd", "anna@acme.example", "Boston", "Customer"),
    ("John", "Brown", "Acme Ltd", "john@acme.example", "Boston", "Lead"),
    ("Jonas", "Kazlauskas", "Vilniaus prekyba UAB", "jonas@vp.example", "Vilnius", "Prospect"),
    ("Žydrūnas", "Žukauskas", "", "zydrunas@example.lt", "Kaunas", ""),
    ("Ona", "Zuikis", "Vilniaus prekyba UAB", "", "Vilnius", "Customer"),
    ("Иван", "Иванов", "ООО Ромашка", "ivanov@romashka.example", "Moscow", "Lead"),
    ("Olga", "Petrova", "ООО Ромашка", "olga@romashka.example", "", "Partner"),
    ("Émile", "Dubois", "", "emile@dubois.example", "Paris", ""),
]


def add_people(db: Database, people: list[tuple[str, ...]] = PEOPLE) -> dict[str, int]:
    """Create the people through the services; {family name: id}."""
    ids = {}
    for given, family, company, email, city, status in people:
        data = ContactData(given_name=given, family_name=family, company=company,
                           status=status,
                           emails=[EmailData(email)] if email else [],
                           phones=[PhoneData(f"+1 617 555 {len(ids):04d}")],
                           addresses=[AddressData(city=city)] if city else [])
        ids[family] = create_contact(db, data)
    return ids


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    return add_people(db)


@pytest.fixture
def ui_settings(tmp_path: Path):
    from PySide6.QtCore import QSettings

    from crmdesk.ui.common.settings import UiSettings

    return UiSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@dataclass
class Dialogs:
    """What the GUI asked, and the answers the test has queued for it."""

    asked: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str | None]] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def _next(self, default: Any) -> Any:
        return self.answers.pop(0) if self.answers else default


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Dialogs]:
    """Replace every modal box: confirmations answer from `answers` (default yes),
    errors are recorded, file dialogs return from `files` (default cancel)."""
    from crmdesk.ui.common import dialogs as dlg
    from crmdesk.ui.common import errors
    rec = Dialogs()

    def confirm(parent, title, text, ok_text, **kw):  # noqa: ANN001, ANN003
        rec.asked.append((title, text))
        return rec._next(True)

    def choose(parent, title, text, choices, **kw):  # noqa: ANN001, ANN003
        rec.asked.append((title, text))
        return rec._next(0)

    def pick(parent, title, text, items, current=0):  # noqa: ANN001
        rec.asked.append((title, text))
        answer = rec._next(current)
        return items.index(answer) if isinstance(answer, str) else answer

    def inform(parent, title, text, **kw):  # noqa: ANN001, ANN003
        rec.asked.append((title, text))

    def show_error(parent, exc, *, title=None):  # noqa: ANN001
        rec.errors.append(errors.describe(exc))

    def file_(parent, title, start="", file_filter=None, **kw):  # noqa: ANN001, ANN003
        rec.asked.append((title, start))
        return rec.files.pop(0) if rec.files else ""

    monkeypatch.setattr(dlg, "confirm", confirm)
    monkeypatch.setattr(dlg, "choose", choose)
    monkeypatch.setattr(dlg, "inform", inform)
    monkeypatch.setattr(dlg, "pick", pick)
    monkeypatch.setattr(dlg, "open_file", file_)
    monkeypatch.setattr(dlg, "save_file", file_)
    monkeypatch.setattr(errors, "show_error", show_error)
    yield rec


@pytest.fixture(autouse=True, scope="session")
def _private_qsettings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """QSettings() without a file name writes here, never to the user's own settings."""
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)


@pytest.fixture
def make_window(qtbot, ui_settings, dialogs):
    """make_window(db): the main window on a database, shown and exposed, with the
    real contact and company forms. make_window(db, stand_ins=True): with the small
    stand-in forms instead, for tests about the window alone (its lists, search,
    views, menus, settings), where the forms are not what is tested."""
    from crmdesk.ui.window.main_window import MainWindow

    def make(database: Database, settings=None, *, stand_ins: bool = False) -> MainWindow:
        forms: dict[str, Any] = {}
        if stand_ins:
            from stand_in_forms import StandInCompanyForm, StandInContactForm

            forms = dict(contact_form=StandInContactForm, company_form=StandInCompanyForm)
        window = MainWindow(database, settings or ui_settings, **forms)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def window(make_window, db, people):
    """The main window with the real forms, on the PEOPLE."""
    return make_window(db)


@pytest.fixture
def window_alone(make_window, db, people):
    """The main window with stand-in forms, on the PEOPLE: for tests of the window
    itself. Saving, Esc, Del and the unsaved-changes question are the real forms'
    business: tests of those use ``window``."""
    return make_window(db, stand_ins=True)


class Pictures:
    """Grabs widgets to PNG for a person to look at (under the test's tmp folder, or
    $CRMDESK_SHOTS), and checks that each picture shows something."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def grab(self, widget: Any, name: str) -> Any:
        """The widget as the user sees it, saved as <name>.png; the QImage.

        Fails unless the picture is the widget's whole size and more than a blank
        frame (a few colours at least), and the file reads back the same."""
        from PySide6.QtGui import QImage

        pixmap = widget.grab()
        image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)
        ratio = pixmap.devicePixelRatio()
        assert (image.width(), image.height()) == (round(widget.width() * ratio),
                                                   round(widget.height() * ratio))
        assert colours(image) >= 8, f"{name}: the picture is blank"
        path = self.folder / f"{name}.png"
        assert image.save(str(path)), path
        again = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
        assert again == image, f"{path} does not read back as the grabbed picture"
        return image

    @staticmethod
    def region(image: Any, part: Any, whole: Any) -> Any:
        """The part of a picture of ``whole`` where its child ``part`` is drawn."""
        from PySide6.QtCore import QPoint, QRect

        assert part.isVisibleTo(whole), f"{part.objectName() or part} is not shown"
        ratio = image.devicePixelRatio()
        top_left = part.mapTo(whole, QPoint(0, 0))
        rect = QRect(round(top_left.x() * ratio), round(top_left.y() * ratio),
                     round(part.width() * ratio), round(part.height() * ratio))
        shown = rect.intersected(image.rect())
        assert not shown.isEmpty(), f"{part.objectName() or part} is outside the picture"
        return image.copy(shown)

    def assert_painted(self, image: Any, part: Any, whole: Any) -> None:
        """Something is drawn where ``part`` is (text, a frame, a picture), not one colour."""
        assert colours(self.region(image, part, whole)) >= 2, (
            f"nothing is painted where {part.objectName() or part} is")


def colours(image: Any) -> int:
    """How many different colours a picture has."""
    from PySide6.QtGui import QImage

    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    bits = bytes(rgb.constBits())
    row = rgb.bytesPerLine()
    width = rgb.width() * 4
    pixels = b"".join(bits[y * row:y * row + width] for y in range(rgb.height()))
    return len(set(memoryview(pixels).cast("I")))


@pytest.fixture
def pictures(tmp_path: Path) -> Pictures:
    import os

    folder = Path(os.environ.get("CRMDESK_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return Pictures(folder)


@pytest.fixture(autouse=True)
def _no_window_left_blocking(request):
    """A modal window a test leaves open blocks every later window from becoming
    active (their tests then time out waiting for the focus, or hang): each test
    closes what it opened, and the one that did not is named here."""
    yield
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QDialog

    app = QApplication.instance()
    if app is None:
        return
    left = [w for w in app.topLevelWidgets()
            if w.isVisible() and w.windowModality() != Qt.WindowModality.NonModal]
    for widget in left:
        if isinstance(widget, QDialog):
            widget.reject()
        widget.close()
    if left:
        names = [f"{type(w).__name__} {w.windowTitle() or getattr(w, 'labelText', str)()!r}"
                 for w in left]
        pytest.fail(f"{request.node.nodeid} left a modal window open: {names}")
