"""GUI test fixtures: a database with a few known people, settings in a temp file,
modal dialogs answered by the test instead of waiting for a click."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
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
    """A main window on a database, with stand-in forms; shown and exposed."""
    from stand_in_forms import StandInCompanyForm, StandInContactForm

    from crmdesk.ui.window.main_window import MainWindow

    def make(database: Database, settings=None) -> MainWindow:
        window = MainWindow(database, settings or ui_settings,
                            contact_form=StandInContactForm, company_form=StandInCompanyForm)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def window(make_window, db, people):
    return make_window(db)
