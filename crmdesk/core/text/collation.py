"""Alphabetical order as people of a language expect it, without ICU.

Lists sort by a stored key (Contact.sort_key, Company.sort_key) so that sorting
100,000 contacts is an index walk, not a Python sort. The key is built letter by
letter, each letter by the rules of its own script:

- Latin: folded (case- and accent-insensitive), except the letters the user's
  language treats as letters of their own, which come after their base letter:
  in Lithuanian Ž after Z ("Zuikis" before "Žalgiris") and Y right after I, in
  Swedish Å Ä Ö after Z.
- Cyrillic: the Russian alphabet (Ё with Е, Й after И) wherever the list is
  kept, or the user's own Cyrillic alphabet (Ukrainian Ґ Є І Ї, Belarusian Ў).
- Chinese characters: by pinyin, then tone, then the character (李 li3 before
  林 lin2 before 刘 liu2), read from pypinyin's table of characters (not its
  phrase dictionary: a name is read character by character, and a family
  name's first character by its reading as a surname: 曾 Zēng, 单 Shàn). They
  sort after Latin and Cyrillic, as the scripts do in Unicode. Under Japanese
  the characters keep code-point order, and kana and Hangul always do (their
  code points follow the gojūon and the Hangul order).
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from crmdesk.core.text.folding import fold, fold_char

# U+10FFFF sorts after every letter: "z" + AFTER is after every word with z there.
AFTER = "\U0010ffff"
# Before a Chinese character's pinyin: after every Latin, Cyrillic and CJK letter
# (a supplementary private-use code point), before AFTER.
HAN = "\U000f0000"

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

# Languages whose own characters are not read in pinyin.
_HAN_BY_CODE_POINT = frozenset({"ja"})

# Characters read another way as a family name than as a word (the table gives
# the word's reading first): 曾 céng / Zēng, 单 dān / Shàn, 解 jiě / Xiè ...
SURNAMES = {
    "曾": "zeng1", "单": "shan4", "單": "shan4", "解": "xie4", "仇": "qiu2", "区": "ou1",
    "區": "ou1", "查": "zha1", "朴": "piao2", "盖": "ge3", "蓋": "ge3", "乐": "yue4",
    "樂": "yue4", "尉": "yu4", "覃": "qin2", "翟": "zhai2", "秘": "bi4", "缪": "miao4",
    "繆": "miao4", "召": "shao4", "种": "chong2", "種": "chong2", "折": "she2", "华": "hua4",
    "華": "hua4", "纪": "ji3", "紀": "ji3", "重": "chong2", "任": "ren2", "宁": "ning4",
    "寧": "ning4", "燕": "yan1", "冼": "xian3", "长": "chang2", "長": "chang2",
}
_TONES = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


def is_han(ch: str) -> bool:
    """Is ``ch`` a Chinese character (CJK unified or compatibility ideograph)?"""
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF
            or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3134F)


def tone_number(reading: str) -> str:
    """'zhōng' -> 'zhong1', 'lǚ' -> 'lv3', 'de' -> 'de5' (the neutral tone last)."""
    tone = "5"
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", reading):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch == "\u0308":  # ü
            if out and out[-1] == "u":
                out[-1] = "v"
        elif not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out) + tone


@cache
def _pinyin_table() -> dict[int, str]:
    """Each character's first (most common) reading, with its tone as a digit.

    Read from pypinyin's pinyin_dict.json directly: importing pypinyin loads its
    phrase dictionary as well (about 50 MB), which a sort key does not need.
    """
    spec = find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
    raw: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return {int(code): tone_number(readings.split(",", 1)[0]) for code, readings in raw.items()}


def pinyin(ch: str) -> str:
    """The tone-numbered pinyin of one character ("李" -> "li3"), or "" if unknown."""
    return _pinyin_table().get(ord(ch), "")


def _han_key(ch: str, reading: str) -> str:
    # Pinyin, tone, then the character itself: one reading never splits two
    # characters, and "li3" sorts before "lin2" ("3" < "n").
    return HAN + reading + ch if reading else HAN + ch


@cache
def _letters(language: str) -> dict[str, str]:
    """The tailored letters of every script for a user of ``language``: the
    language's own, and the Russian alphabet's for Cyrillic unless it has one."""
    return {**_TAILORING["ru"], **_TAILORING.get(language, {})}


@cache
def _tailors_ascii(language: str) -> bool:
    """Does the language move a plain ASCII letter (Lithuanian Y after I)?"""
    return any(letter.isascii() for letter in _TAILORING.get(language, {}))


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


def collation_key(text: str, language: str = "", *, surname: bool = False) -> str:
    """A string whose plain code-point order is alphabetical order for a user of
    ``language``, each script by its own rules (see the module docstring).

    ``surname``: the text is a family name, whose first character, if Chinese,
    is read as a surname.
    """
    lang = language_of(language) if language else ""
    table = _letters(lang)
    if text.isascii() and not _tailors_ascii(lang):  # the common case
        return fold(text)
    pinyin_han = lang not in _HAN_BY_CODE_POINT
    out: list[str] = []
    first = True
    for ch in unicodedata.normalize("NFC", text).lower():
        if ch.isspace():
            out.append(" ")
            continue
        mapped = table.get(ch)
        if mapped is not None:
            out.append(mapped)
        elif pinyin_han and is_han(ch):
            reading = SURNAMES.get(ch, "") if surname and first else ""
            out.append(_han_key(ch, reading or pinyin(ch)))
        else:
            out.append(fold_char(ch))
        first = False
    return " ".join("".join(out).split())


def name_sort_key(*, given: str = "", middle: str = "", family: str = "", fallback: str = "",
                  language: str = "") -> str:
    """Family name, then given and middle names, in the language's order."""
    key = " ".join(
        p for p in (collation_key(family, language, surname=True),
                    collation_key(given, language), collation_key(middle, language)) if p
    )
    if key:
        return key
    # Only a display name: a Chinese one is written family name first.
    return collation_key(fallback, language, surname=bool(fallback) and is_han(fallback[0]))
