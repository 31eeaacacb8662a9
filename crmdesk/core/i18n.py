"""gettext for the Qt-free layers, so core messages are translatable too.

The catalogues live in resources/locale (built with Babel); until a catalogue
for the user's language exists, the English text is used as it stands.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "crmdesk"
LOCALE_DIR = Path(__file__).resolve().parents[2] / "resources" / "locale"

_translation: gettext.NullTranslations = gettext.translation(
    DOMAIN, localedir=str(LOCALE_DIR), fallback=True
)


def install(languages: list[str] | None = None) -> None:
    """Switch the catalogue (the GUI calls this with the user's chosen language)."""
    global _translation
    _translation = gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=languages, fallback=True
    )


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
