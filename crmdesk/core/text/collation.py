"""Alphabetical order as people of a language expect it, without ICU.

Lists sort by a stored key (Contact.sort_key) so that sorting 100,000
contacts is an index walk, not a Python sort. The key is the folded name
(text.fold) with the letters a language treats as letters of their own put
after their base letter: in Lithuanian Ž comes after Z ("Zuikis" before
"Žalgiris"), in Russian Й after И, in Swedish Å Ä Ö after Z. Everything else
sorts case- and accent-insensitively. Cyrillic code points already follow the
Russian alphabet once Ё is folded to Е. CJK sorts by code point (pinyin order
would need a dictionary; noted for the translations issue).
"""

from __future__ import annotations

from crmdesk.core.text.folding import fold

# U+10FFFF sorts after every letter: "z" + AFTER is after every word with z there.
AFTER = "\U0010ffff"

# Letters that are separate letters of the alphabet, per language, and the
# letter they follow. Order among several letters after the same base letter
# is given by the number of AFTER marks.
_TAILORING: dict[str, dict[str, str]] = {
    "lt": {"č": "c" + AFTER, "š": "s" + AFTER, "ž": "z" + AFTER, "y": "i" + AFTER},
    "lv": {"č": "c" + AFTER, "ģ": "g" + AFTER, "ķ": "k" + AFTER, "ļ": "l" + AFTER,
           "ņ": "n" + AFTER, "š": "s" + AFTER, "ž": "z" + AFTER},
    "et": {"š": "s" + AFTER, "ž": "z" + AFTER, "õ": "w" + AFTER, "ä": "w" + AFTER * 2,
           "ö": "w" + AFTER * 3, "ü": "w" + AFTER * 4},
    "pl": {"ą": "a" + AFTER, "ć": "c" + AFTER, "ę": "e" + AFTER, "ł": "l" + AFTER,
           "ń": "n" + AFTER, "ó": "o" + AFTER, "ś": "s" + AFTER, "ź": "z" + AFTER,
           "ż": "z" + AFTER * 2},
    "cs": {"č": "c" + AFTER, "ř": "r" + AFTER, "š": "s" + AFTER, "ž": "z" + AFTER},
    "sk": {"ä": "a" + AFTER, "č": "c" + AFTER, "ô": "o" + AFTER, "š": "s" + AFTER,
           "ž": "z" + AFTER},
    "sv": {"å": "z" + AFTER, "ä": "z" + AFTER * 2, "ö": "z" + AFTER * 3},
    "fi": {"å": "z" + AFTER, "ä": "z" + AFTER * 2, "ö": "z" + AFTER * 3},
    "da": {"æ": "z" + AFTER, "ø": "z" + AFTER * 2, "å": "z" + AFTER * 3},
    "nb": {"æ": "z" + AFTER, "ø": "z" + AFTER * 2, "å": "z" + AFTER * 3},
    "es": {"ñ": "n" + AFTER},
    "tr": {"ç": "c" + AFTER, "ğ": "g" + AFTER, "ı": "h" + AFTER, "ö": "o" + AFTER,
           "ş": "s" + AFTER, "ü": "u" + AFTER},
    "ru": {"й": "и" + AFTER},
    "uk": {"ґ": "г" + AFTER, "є": "е" + AFTER, "і": "и" + AFTER, "ї": "и" + AFTER * 2,
           "й": "и" + AFTER * 3},
    "be": {"й": "и" + AFTER, "ў": "у" + AFTER},
    "bg": {"й": "и" + AFTER},
}
_TAILORING["no"] = _TAILORING["nb"]
_TAILORING["nn"] = _TAILORING["nb"]


def system_locale() -> str:
    """The user's locale name ("lt_LT"), from the environment or the OS."""
    import locale
    import os
    import warnings

    name = os.environ.get("LC_ALL") or os.environ.get("LC_COLLATE") or os.environ.get("LANG")
    if not name:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            # On Windows this asks the OS (GetUserDefaultLocaleName): "lt_LT".
            name = locale.getdefaultlocale()[0] or ""
    return name.split(".")[0].replace("-", "_")


def system_language() -> str:
    """The language of the user's locale ("lt" on a Lithuanian PC), or ""."""
    lang = language_of(system_locale())
    return "" if lang in ("c", "posix") else lang


def system_region() -> str:
    """The country of the user's locale ("LT" for lt_LT), or "": the default
    region for phone numbers typed without a country code."""
    parts = system_locale().split("_")
    region = parts[1].upper() if len(parts) > 1 else ""
    return region if len(region) == 2 and region.isalpha() else ""


def language_of(locale_name: str) -> str:
    """'lt_LT.UTF-8' -> 'lt'."""
    return locale_name.replace("-", "_").split("_")[0].split(".")[0].lower()


def collation_key(text: str, language: str = "") -> str:
    """A string whose plain code-point order is the language's alphabetical order."""
    table = _TAILORING.get(language_of(language)) if language else None
    if not table:
        return fold(text)
    out: list[str] = []
    for ch in text.lower():
        mapped = table.get(ch)
        out.append(mapped if mapped is not None else fold(ch) if not ch.isspace() else " ")
    return " ".join("".join(out).split())


def name_sort_key(*, given: str = "", middle: str = "", family: str = "", fallback: str = "",
                  language: str = "") -> str:
    """Family name, then given and middle names, in the language's order."""
    key = " ".join(
        p for p in (collation_key(x, language) for x in (family, given, middle)) if p
    )
    return key or collation_key(fallback, language)
