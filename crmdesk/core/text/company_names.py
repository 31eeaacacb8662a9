"""Companies sort by their name without the legal form.

"UAB Žalgiris", "AB Amber", "ООО «Ромашка»", "Acme Ltd" and "北京有限公司" sort
as "žalgiris", "amber", "ромашка", "acme" and "北京": a legal form at the start or
the end of the name (UAB, AB, MB, VšĮ, IĮ, ООО, АО, ИП, LLC, Inc., Ltd., GmbH,
SIA, OÜ, 有限公司, Co., Ltd. ...) is left out of the key, and so are the quotes
around the rest. The key is folded (text.fold) like every other key; a name
that is nothing but a legal form ("UAB") keeps it. Only the sort key: a
company is still found and matched by its whole name (Company.name_key).
"""

from __future__ import annotations

import re

from crmdesk.core.text.folding import fold

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


def _trim(text: str) -> str:
    # A final dot may be a form's own ("Inc."), so it is trimmed with the rest only
    # once the form is gone; here only what cannot belong to a form.
    return text.strip(_AROUND)


def strip_legal_form(name: str) -> str:
    """The folded name without a legal form at its start or end, nor the quotes
    around the rest: 'UAB "Vilniaus prekyba"' -> 'vilniaus prekyba'."""
    key = fold(name)
    rest = key.strip()
    for _ in range(2):  # "ООО «Ромашка» Ltd": a form each side at most twice
        before = rest
        m = _PREFIX.match(rest)
        if m and _trim(rest[m.end():]):
            rest = rest[m.end():].lstrip(_AROUND)
        stripped = rest.rstrip(" \t,;:-–—\"'«»„“”‚‘’‹›「」『』()")
        m = _SUFFIX.search(stripped)
        if m and _trim(stripped[:m.start()]):
            rest = stripped[:m.start()]
        rest = _trim(rest)
        if rest == before:
            break
    return rest or key


def company_sort_key(name: str) -> str:
    """The key companies sort by (Company.sort_key): see the module docstring."""
    return strip_legal_form(name)
