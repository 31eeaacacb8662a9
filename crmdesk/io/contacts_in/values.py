"""What the vCard and table readers share: problems by line, names, dates, countries, labels.

Both readers meet the same loose values (a country written out in some language,
a birthday without a year, a whole name in one field, a phone "TYPE=CELL"), so
each is understood one way here, whichever file it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from crmdesk.core.contacts.records import ContactData
from crmdesk.core.text.folding import fold, has_cjk, is_cjk
from crmdesk.core.text.validation import check_day

GIVEN_FIRST = "given_first"
FAMILY_FIRST = "family_first"
# Russian, Ukrainian, 1C: "Иванов Иван Иванович" (family, given, patronymic).
FAMILY_GIVEN_PATRONYMIC = "family_given_patronymic"
NAME_ORDERS = (GIVEN_FIRST, FAMILY_FIRST, FAMILY_GIVEN_PATRONYMIC)


@dataclass(frozen=True)
class ReadProblem:
    """Something in a file that could not be read as it was: where (1-based line or
    row; 0 for the file as a whole) and why, in words for the user."""

    line: int
    message: str


@dataclass
class ContactsRead:
    """The records a file gave, each with the line or row it began on, and the problems."""

    records: list[ContactData] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    # Custom field values a card carried (crmdesk's own X-CRMDESK-FIELD), per record:
    # {field key: (the field's label, the value as text)}.
    custom: list[dict[str, tuple[str, str]]] = field(default_factory=list)


# -- names ---------------------------------------------------------------------------------

# Chinese two-character family names: "欧阳修" is 欧阳 + 修, not 欧 + 阳修.
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 司徒 尉迟 公孙 慕容 令狐 夏侯 长孙 宇文 轩辕 端木 "
    "歐陽 諸葛 東方 長孫 軒轅 남궁 황보 제갈 선우 독고".split())


def split_full_name(text: str, order: str = GIVEN_FIRST) -> tuple[str, str, str]:
    """(given, middle, family) of a whole name written in one field.

    A name in Chinese, Japanese or Korean characters without spaces is family
    first, the family name its first character (or a known two-character one);
    "Иванов Иван Иванович" is family, given, patronymic; otherwise the last word
    is the family name and what lies between the first and last is the middle.
    """
    words = text.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        word = words[0]
        if has_cjk(word) and len(word) >= 2 and all(is_cjk(ch) for ch in word):
            cut = 2 if word[:2] in _COMPOUND_SURNAMES and len(word) > 2 else 1
            return word[cut:], "", word[:cut]
        return word, "", ""
    if order == FAMILY_GIVEN_PATRONYMIC:
        return words[1], " ".join(words[2:]), words[0]
    if order == FAMILY_FIRST or all(has_cjk(w) for w in words):
        return " ".join(words[1:]), "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


# text.folding.is_cjk's ranges as one pattern (a table of 100,000 names asks it of each)
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
                  "\U00020000-\U0002fa1f]")


def name_order_of(data: ContactData) -> str:
    """Family first for a name written in CJK characters, given first for the rest."""
    text = data.family_name + data.given_name
    if not text.isascii() and _CJK.search(text):
        return FAMILY_FIRST
    return GIVEN_FIRST


# -- dates ---------------------------------------------------------------------------------

_VCARD_DATE = re.compile(
    r"(?:(?P<y>\d{4})|--)-?(?P<m>\d{2})-?(?P<d>\d{2})(?:T.*)?")


def vcard_date(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of a vCard date: 1980-03-05, 19800305, --0305, --03-05
    (no year), with or without a time after it. None if it is none of these."""
    m = _VCARD_DATE.fullmatch(text.strip())
    if not m:
        return None
    year = int(m["y"]) if m["y"] else None
    month, day = int(m["m"]), int(m["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31) or year == 1604:  # Apple's "no year"
        return (None, month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None
    return year, month, day


def day_problem(label: str, day: tuple[int | None, int, int]) -> str | None:
    """Why crmdesk would refuse this day (a year of 1776, 31 April), in the words the
    contact form uses, or None. A reader keeps such a day in the notes instead, so
    that one odd date does not cost the user the whole contact."""
    problem = check_day("dates", day[0], day[1], day[2], label)
    return problem.message if problem else None


def day_text(day: tuple[int | None, int, int]) -> str:
    year, month, d = day
    return f"{year:04d}-{month:02d}-{d:02d}" if year is not None else f"--{month:02d}-{d:02d}"


# -- countries -----------------------------------------------------------------------------

_LANGUAGES = ("en", "ru", "lt", "lv", "et", "pl", "de", "fr", "es", "it", "uk", "zh", "ja",
              "ko", "pt", "nl")
_ALIASES = {"usa": "US", "u.s.a.": "US", "united states of america": "US", "uk": "GB",
            "england": "GB", "great britain": "GB", "russia": "RU", "рф": "RU",
            "сша": "US", "prc": "CN"}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for language in _LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(fold(name), code.upper())
    for alias, code in _ALIASES.items():
        names[fold(alias)] = code
    return names


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(_country_names().values())


def country_code(text: str) -> str | None:
    """The ISO 3166 code of a country written as its code or its name in a common
    language ("LT", "Lithuania", "Литва", "Lietuva", "立陶宛"); None if unknown."""
    value = text.strip()
    if not value:
        return None
    if len(value) == 2 and value.upper() in _codes():
        return value.upper()
    return _country_names().get(fold(value))


# -- labels --------------------------------------------------------------------------------

_DROPPED_TYPES = frozenset({"voice", "pref", "internet", "x400", "msg", "dom", "intl",
                            "postal", "parcel", "text", "other", "x-other"})
_TYPE_WORDS = {"cell": "mobile", "cellular": "mobile", "iphone": "mobile", "main": "main",
               "mobile": "mobile", "fax": "fax", "pager": "pager", "home": "home",
               "work": "work", "car": "car", "video": "video", "isdn": "isdn",
               "bbs": "bbs", "modem": "modem", "textphone": "textphone"}
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")


def label_of(types: list[str]) -> str:
    """A label from vCard TYPEs: CELL -> "mobile", WORK,FAX -> "work fax"; VOICE,
    INTERNET, PREF and the like say nothing a user would call a label."""
    words: list[str] = []
    for t in types:
        word = t.strip().lower()
        if not word or word in _DROPPED_TYPES:
            continue
        word = _TYPE_WORDS.get(word, word.removeprefix("x-"))
        if word not in words:
            words.append(word)
    return " ".join(words)


def apple_label(text: str) -> str:
    """An Apple X-ABLabel as a user would read it: "_$!<Mobile>!$_" -> "mobile"."""
    m = _APPLE_LABEL.fullmatch(text.strip())
    return m.group(1).lower() if m else text.strip()
