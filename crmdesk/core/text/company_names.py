"""Companies sort by their name without the legal form.

"UAB Žalgiris", "AB Amber", "ООО «Ромашка»", "Acme Ltd" and "北京有限公司" sort
as "Žalgiris", "Amber", "Ромашка", "Acme" and "北京": a legal form at the start or
the end of the name (UAB, AB, MB, VšĮ, IĮ, ООО, АО, ИП, LLC, Inc., Ltd., GmbH,
SIA, OÜ, 有限公司, Co., Ltd. ...) is left out of the key, and so are the quotes
around the rest. The rest is keyed by the file's alphabet (text.collation:
Ž after Z in Lithuanian, 北京 by its pinyin) like a contact's name; a name
that is nothing but a legal form ("UAB") keeps it. Only the sort key: a
company is still found and matched by its whole name (Company.name_key).
"""

from __future__ import annotations

import re
import unicodedata

from crmdesk.core.text.collation import collation_key
from crmdesk.core.text.folding import fold_with_positions

# Legal forms as they look folded (text.fold: lower case, no accents, "VšĮ" ->
# "vsi", "OÜ" -> "ou"), as regular expressions; dots and spaces inside optional.
_WORD_FORMS = (
    # several words first: "co., ltd" before "co"
    r"co\.?,?\s*ltd\.?", r"co\.?,?\s*limited", r"co\.?,?\s*inc\.?",
    r"sp\.?\s*z\s*o\.?\s*o\.?", r"s\.?\s*r\.?\s*o\.?", r"l\.?\s*l\.?\s*c\.?",
    # Lithuanian, Latvian, Estonian
    r"uab", r"ab", r"mb", r"vsi", r"ii", r"sia", r"ou",
    # Russian, Ukrainian
    r"ооо", r"оао", r"зао", r"пао", r"ао", r"ип", r"тов", r"пат",
    # English, German and others
    r"inc\.?", r"ltd\.?", r"limited", r"corp\.?", r"plc", r"gmbh", r"ag",
)
# Chinese (and Japanese) forms are written without a space before them.
_CJK_FORMS = (r"股份有限公司", r"有限责任公司", r"有限責任公司", r"有限公司", r"株式会社")

_WORDS = "|".join(_WORD_FORMS)
_CJK = "|".join(_CJK_FORMS)
# A word form is a whole word: "ab" in "abbott" is not one.
_PREFIX = re.compile(rf"^(?:(?:{_WORDS})(?![^\W_])|(?:{_CJK}))")
_SUFFIX = re.compile(rf"(?:(?<![^\W_])(?:{_WORDS})|(?:{_CJK}))$")
# What is around the rest of the name: quotes of any script, commas, dashes, spaces.
_AROUND = " \t,.;:-–—\"'«»„“”‚‘’‹›「」『』()"
# What may follow a legal form at the end: the same without the dot ("Inc.").
_RIGHT = " \t,;:-–—\"'«»„“”‚‘’‹›「」『』()"


def _trim(text: str) -> str:
    # A final dot may be a form's own ("Inc."), so it is trimmed with the rest only
    # once the form is gone; here only what cannot belong to a form.
    return text.strip(_AROUND)


def legal_form_span(name: str) -> tuple[int, int]:
    """Where in ``name`` the name without its legal form lies ('UAB "Vilniaus
    prekyba"' -> the span of 'Vilniaus prekyba'); the whole stripped name if
    nothing else is left ("UAB")."""
    key, positions = fold_with_positions(name)
    start, end = 0, len(key)

    def trimmed(s: int, e: int, chars: str = _AROUND) -> tuple[int, int]:
        part = key[s:e]
        return s + len(part) - len(part.lstrip(chars)), e - len(part) + len(part.rstrip(chars))

    start, end = trimmed(start, end, " ")
    whole = (start, end)
    for _ in range(2):  # "ООО «Ромашка» Ltd": a form each side at most twice
        before = (start, end)
        m = _PREFIX.match(key[start:end])
        if m and _trim(key[start + m.end():end]):
            start, _e = trimmed(start + m.end(), end)
        stripped_end = trimmed(start, end, _RIGHT)[1]
        m = _SUFFIX.search(key[start:stripped_end])
        if m and _trim(key[start:start + m.start()]):
            end = start + m.start()
        start, end = trimmed(start, end)
        if (start, end) == before:
            break
    if start >= end:
        start, end = whole
    if start >= end:
        return 0, 0
    return positions[start], positions[end - 1] + 1


def strip_legal_form(name: str) -> str:
    """The name as typed without a legal form at its start or end, nor the quotes
    around the rest: 'UAB "Vilniaus prekyba"' -> 'Vilniaus prekyba'."""
    name = unicodedata.normalize("NFC", name)
    start, end = legal_form_span(name)
    return name[start:end]


def company_sort_key(name: str, language: str = "") -> str:
    """The key companies sort by (Company.sort_key): the name without its legal
    form, in the alphabet of ``language`` (text.collation)."""
    return collation_key(strip_legal_form(name), language)
