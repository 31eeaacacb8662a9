"""Reading numbers, amounts, dates and yes/no as people type them, in any of our languages.

Kept apart from the field types (fields_types.py) because imports, lookups
and the CLI need the same readings without a field at hand. Everything here is
strict in one way: a text that is not clearly a number or a whole date gives
None rather than a guess ("5 March" without a year is not a date, "1e5" is not
a number), so nothing a user typed is silently turned into something else.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import numbers as babel_numbers
from dateutil import parser as date_parser

from crmdesk.core.i18n import _
from crmdesk.core.text.collation import system_language
from crmdesk.core.text.folding import fold

MIN_YEAR = 1000
MAX_YEAR = 9999

# -- numbers and money ----------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'\u2019_]")
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_GROUPED = {",": re.compile(r"\d{1,3}(,\d{3})+"), ".": re.compile(r"\d{1,3}(\.\d{3})+")}

# Currency signs people type, and the ISO codes each can mean.
_SIGNS: dict[str, frozenset[str]] = {
    "€": frozenset({"EUR"}),
    "$": frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"}),
    "us$": frozenset({"USD"}),
    "£": frozenset({"GBP"}),
    "₽": frozenset({"RUB"}),
    "руб": frozenset({"RUB"}),
    "руб.": frozenset({"RUB"}),
    "р.": frozenset({"RUB"}),
    "₴": frozenset({"UAH"}),
    "грн": frozenset({"UAH"}),
    "zł": frozenset({"PLN"}),
    "¥": frozenset({"CNY", "JPY"}),
    "￥": frozenset({"CNY", "JPY"}),
    "元": frozenset({"CNY"}),
    "円": frozenset({"JPY"}),
    "₩": frozenset({"KRW"}),
    "₹": frozenset({"INR"}),
    "₺": frozenset({"TRY"}),
    "kč": frozenset({"CZK"}),
    "kr": frozenset({"SEK", "NOK", "DKK", "ISK"}),
    "kr.": frozenset({"SEK", "NOK", "DKK", "ISK"}),
    "fr.": frozenset({"CHF"}),
}
_CODE_OR_SIGN = re.compile(
    r"^\s*(?P<pre>[A-Za-z]{3}|" + "|".join(re.escape(s) for s in sorted(_SIGNS, key=len,
                                                                          reverse=True))
    + r")?\s*(?P<num>.*?)\s*(?P<post>[A-Za-z]{3}|"
    + "|".join(re.escape(s) for s in sorted(_SIGNS, key=len, reverse=True)) + r")?\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    """ISO 4217 codes known to babel (what a money field can be kept in)."""
    return frozenset(babel_numbers.list_currencies())


def default_currency() -> str:
    """The currency of the country the PC is set to (EUR in Lithuania), else EUR."""
    import os

    from babel import numbers as babel_numbers

    name = os.environ.get("LC_ALL") or os.environ.get("LC_MONETARY") or os.environ.get("LANG")
    territory = (name or "").split(".")[0].partition("_")[2][:2].upper()
    if territory:
        try:
            found = babel_numbers.get_territory_currencies(territory)
        except (ValueError, LookupError):
            found = []
        if found:
            return str(found[0])
    return "EUR"


def parse_number(text: str) -> Decimal | None:
    """A number as people type it: "1 234,5", "1,234.50", "1.234,5", "-7", "12,5".

    One comma or one dot is the decimal mark; with both, the last one is; a
    mark that repeats ("1,234,567") groups thousands. Spaces, apostrophes and
    underscores group digits too. No exponents, no NaN: None if it is not a
    plain number.
    """
    s = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    s = _SPACES.sub("", s)
    if not s:
        return None
    sign = ""
    if s[0] in "+-":
        sign, s = s[0], s[1:]
    if "," in s and "." in s:
        decimal_mark = "," if s.rfind(",") > s.rfind(".") else "."
        group = "." if decimal_mark == "," else ","
        whole, _sep, frac = s.rpartition(decimal_mark)
        if not _GROUPED[group].fullmatch(whole) or not frac.isdigit():
            return None
        s = whole.replace(group, "") + "." + frac
    elif s.count(",") > 1 or s.count(".") > 1:
        mark = "," if "," in s else "."
        if not _GROUPED[mark].fullmatch(s):
            return None
        s = s.replace(mark, "")
    else:
        s = s.replace(",", ".")
    if not _PLAIN.fullmatch(s) or not s.isascii():
        return None
    try:
        value = Decimal(sign + s)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    return value if value.is_finite() else None


def parse_money(text: str) -> tuple[Decimal | None, frozenset[str]]:
    """(amount, the currencies the typed code or sign can mean; empty if none typed)."""
    m = _CODE_OR_SIGN.match(unicodedata.normalize("NFKC", text))
    if not m:
        return None, frozenset()
    pre, num, post = m.group("pre"), m.group("num"), m.group("post")
    if pre and post:
        return None, frozenset()
    mark = (pre or post or "").strip()
    found: frozenset[str] = frozenset()
    if mark:
        if mark.lower() in _SIGNS:
            found = _SIGNS[mark.lower()]
        elif mark.upper() in currencies():
            found = frozenset({mark.upper()})
        else:
            return None, frozenset()
    return parse_number(num), found


# -- dates -----------------------------------------------------------------------


class _ParserInfo(date_parser.parserinfo):
    """dateutil's English month names plus Russian and Lithuanian ones."""

    # dateutil reads a class attribute; its stubs say pairs or triples, it takes any tuple.
    MONTHS: list[tuple[str, ...]] = [  # type: ignore[assignment]  # noqa: RUF012
        ("Jan", "January", "янв", "январь", "января", "saus", "sausis", "sausio"),
        ("Feb", "February", "фев", "февраль", "февраля", "vas", "vasaris", "vasario"),
        ("Mar", "March", "мар", "март", "марта", "kov", "kovas", "kovo"),
        ("Apr", "April", "апр", "апрель", "апреля", "bal", "balandis", "balandžio"),
        ("May", "May", "май", "мая", "geg", "gegužė", "gegužės"),
        ("Jun", "June", "июн", "июнь", "июня", "birž", "birželis", "birželio"),
        ("Jul", "July", "июл", "июль", "июля", "liep", "liepa", "liepos"),
        ("Aug", "August", "авг", "август", "августа", "rugp", "rugpjūtis", "rugpjūčio"),
        ("Sep", "Sept", "September", "сен", "сентябрь", "сентября", "rugs", "rugsėjis",
         "rugsėjo"),
        ("Oct", "October", "окт", "октябрь", "октября", "spal", "spalis", "spalio"),
        ("Nov", "November", "ноя", "ноябрь", "ноября", "lapkr", "lapkritis", "lapkričio"),
        ("Dec", "December", "дек", "декабрь", "декабря", "gruod", "gruodis", "gruodžio"),
    ]


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR_FIRST = re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})\.?")  # 2026.03.05 (lt, zh)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")  # 05.03.2026: day first, always
_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_LT_MARKS = re.compile(r"(\d)\s*[md]\.(?=\s|$)")
_PARSER_INFO = _ParserInfo(dayfirst=True)


@lru_cache(maxsize=1)
def system_dayfirst() -> bool:
    """Whether the PC's language writes the day before the month (5/3/2026 = 5 March)."""
    from babel import Locale
    from babel.dates import get_date_format


    language = system_language()
    if not language or language == "en":
        import locale as pylocale
        import os

        name = os.environ.get("LC_ALL") or os.environ.get("LC_TIME") or os.environ.get("LANG")
        name = (name or pylocale.getlocale()[0] or "").split(".")[0]
        if not name or name in ("C", "POSIX"):
            return True
        language = name
    try:
        pattern = get_date_format("short", locale=Locale.parse(language.replace("-", "_")))
        text = pattern.pattern
    except (ValueError, TypeError, LookupError):
        return True
    return text.find("d") < text.find("M")


def _make_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d) if MIN_YEAR <= y <= MAX_YEAR else None
    except ValueError:
        return None


def parse_date(text: str, *, dayfirst: bool | None = None) -> date | None:
    """A whole day as typed: 2026-03-05, 5.3.2026, 2026.03.05, 3/5/2026, 5 марта 2026,
    2026年3月5日. None unless day, month and year are all there."""
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        return None
    for pattern, order in ((_ISO, "ymd"), (_YEAR_FIRST, "ymd"), (_DOTTED, "dmy"),
                           (_CJK, "ymd")):
        m = pattern.fullmatch(s)
        if m:
            parts = dict(zip(order, (int(g) for g in m.groups()), strict=True))
            return _make_date(parts["y"], parts["m"], parts["d"])
    if len(s) > 40:
        return None
    # Lithuanian "2026 m. kovo 5 d.": the year and day marks carry no date.
    s = _LT_MARKS.sub(r"\1", s).strip()
    first = dayfirst if dayfirst is not None else system_dayfirst()
    try:
        # Parsed twice with different defaults: a part the text lacks (the year
        # in "5 March") shows up as a difference, and the date is refused.
        a = date_parser.parse(s, parserinfo=_PARSER_INFO, dayfirst=first,
                              default=datetime(2001, 1, 1))
        b = date_parser.parse(s, parserinfo=_PARSER_INFO, dayfirst=first,
                              default=datetime(2002, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if a.date() != b.date():
        return None
    return _make_date(a.year, a.month, a.day)


# -- yes / no ---------------------------------------------------------------------

_YES = frozenset({"yes", "y", "true", "t", "1", "on", "x", "+", "✓", "✔", "да", "д", "taip",
                  "是", "对", "對", "有", "ja", "oui", "si", "sí", "tak", "так"})
_NO = frozenset({"no", "n", "false", "f", "0", "off", "-", "нет", "н", "ne", "否", "不", "没有",
                 "無", "nein", "non", "nie", "ні"})


def parse_bool(text: str) -> bool | None:
    word = fold(text)
    if word in _YES or word == fold(_("yes")):
        return True
    if word in _NO or word == fold(_("no")):
        return False
    return None
