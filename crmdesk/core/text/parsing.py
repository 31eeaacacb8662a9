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
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel import numbers as babel_numbers
from dateutil import parser as date_parser

from crmdesk.core.i18n import _
from crmdesk.core.text.collation import system_language, system_locale
from crmdesk.core.text.folding import fold

MIN_YEAR = 1000
MAX_YEAR = 9999

# -- numbers and money ----------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'\u2019_]")
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_GROUPED = {",": re.compile(r"\d{1,3}(,\d{3})+"), ".": re.compile(r"\d{1,3}(\.\d{3})+")}
# One mark and exactly three digits after it, the whole part not a lone 0:
# "1,500" is fifteen hundred in Boston and one and a half in Vilnius.
_THOUSANDS_OR_DECIMAL = re.compile(r"(?!0[,.])\d{1,3}[,.]\d{3}")

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


@dataclass(frozen=True)
class NumberReading:
    """What a typed number was read as.

    ``value``: the number, or None. ``readings``: when the text can be read two
    ways ("1,500": one and a half, or fifteen hundred), both, the one taken
    first; then ``value`` is the one the user's locale means, or None when the
    locale does not settle it ("1.500" for a Lithuanian, whose decimal mark is a
    comma and whose thousands are grouped with a space).
    """

    value: Decimal | None
    readings: tuple[Decimal, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1


def number_locale() -> str:
    """The locale numbers are read and shown in: the user's ("lt_LT"), else English."""
    name = system_locale()
    if not name or name.upper() in ("C", "POSIX"):
        return "en_US"
    return name


@lru_cache(maxsize=16)
def number_symbols(locale: str) -> tuple[str, str]:
    """(decimal mark, group mark) of a locale: (",", "\u00a0") for lt_LT, (".", ",") for en_US."""
    try:
        parsed = Locale.parse(locale.replace("-", "_"))
        return (babel_numbers.get_decimal_symbol(parsed),
                babel_numbers.get_group_symbol(parsed))
    except (ValueError, TypeError, LookupError):
        return ".", ","


def read_number(text: str, *, locale: str | None = None) -> NumberReading:
    """A number as people type it: "1 234,5", "1,234.50", "1.234,5", "-7", "12,5".

    One comma or one dot is the decimal mark; with both, the last one is; a
    mark that repeats ("1,234,567") groups thousands. Spaces, apostrophes and
    underscores group digits too. A single mark followed by exactly three
    digits ("1,500", "2.750") could be either: it is read as ``locale`` (the
    user's by default) uses that mark, and both readings are given; when the
    mark is neither the locale's decimal nor its group mark, the value is None.
    No exponents, no NaN: a value of None and no readings if it is not a plain
    number.
    """
    s = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    s = _SPACES.sub("", s)
    if not s:
        return NumberReading(None)
    sign = ""
    if s[0] in "+-":
        sign, s = s[0], s[1:]
    other: str | None = None
    if "," in s and "." in s:
        decimal_mark = "," if s.rfind(",") > s.rfind(".") else "."
        group = "." if decimal_mark == "," else ","
        whole, _sep, frac = s.rpartition(decimal_mark)
        if not _GROUPED[group].fullmatch(whole) or not frac.isdigit():
            return NumberReading(None)
        s = whole.replace(group, "") + "." + frac
    elif s.count(",") > 1 or s.count(".") > 1:
        mark = "," if "," in s else "."
        if not _GROUPED[mark].fullmatch(s):
            return NumberReading(None)
        s = s.replace(mark, "")
    elif _THOUSANDS_OR_DECIMAL.fullmatch(s):
        mark = "," if "," in s else "."
        decimal, group = number_symbols(locale or number_locale())
        as_decimal, as_thousands = s.replace(mark, "."), s.replace(mark, "")
        if mark == decimal:
            s, other = as_decimal, as_thousands
        elif mark == group:
            s, other = as_thousands, as_decimal
        else:
            readings = (_decimal(sign + as_thousands), _decimal(sign + as_decimal))
            return NumberReading(None, tuple(r for r in readings if r is not None))
    else:
        s = s.replace(",", ".")
    if not _PLAIN.fullmatch(s) or not s.isascii():
        return NumberReading(None)
    value = _decimal(sign + s)
    if value is None:
        return NumberReading(None)
    if other is not None:
        second = _decimal(sign + other)
        return NumberReading(value, (value, second) if second is not None else ())
    return NumberReading(value)


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_number(text: str, *, locale: str | None = None) -> Decimal | None:
    """read_number's value: the number ``text`` means in ``locale``, or None."""
    return read_number(text, locale=locale).value


def format_number(value: Decimal, *, locale: str | None = None) -> str:
    """``value`` as the user's locale writes it ("1 500", "1,5"), every digit kept."""
    try:
        return str(babel_numbers.format_decimal(value, locale=locale or number_locale(),
                                                decimal_quantization=False))
    except (ValueError, TypeError, LookupError):
        return str(value)


def parse_money(text: str, *, locale: str | None = None
                ) -> tuple[Decimal | None, frozenset[str]]:
    """(amount, the currencies the typed code or sign can mean; empty if none typed)."""
    reading, found = read_money(text, locale=locale)
    return reading.value, found


def read_money(text: str, *, locale: str | None = None
               ) -> tuple[NumberReading, frozenset[str]]:
    """read_number's reading of the amount, and the currencies the typed code or
    sign can mean (empty if none was typed)."""
    m = _CODE_OR_SIGN.match(unicodedata.normalize("NFKC", text))
    if not m:
        return NumberReading(None), frozenset()
    pre, num, post = m.group("pre"), m.group("num"), m.group("post")
    if pre and post:
        return NumberReading(None), frozenset()
    mark = (pre or post or "").strip()
    found: frozenset[str] = frozenset()
    if mark:
        if mark.lower() in _SIGNS:
            found = _SIGNS[mark.lower()]
        elif mark.upper() in currencies():
            found = frozenset({mark.upper()})
        else:
            return NumberReading(None), frozenset()
    return read_number(num, locale=locale), found


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
        parsed = Locale.parse(language.replace("-", "_"))
        text = get_date_format("short", locale=parsed).pattern
    except (ValueError, TypeError, LookupError):
        return True
    if text.lstrip("'").startswith("y"):
        # Year first (lt 2026-01-06, sv, hu; zh 2026/1/6): that says nothing of a
        # typed 6/1/2026. Europe writes it day first; China, Japan and Korea month first.
        return parsed.language not in ("zh", "ja", "ko")
    return text.find("d") < text.find("M")


def _make_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d) if MIN_YEAR <= y <= MAX_YEAR else None
    except ValueError:
        return None


@dataclass(frozen=True)
class DateReading:
    """What a typed date was read as: ``value``, and ``other`` when the day and
    the month could swap ("6/1/2026": 6 January, or 1 June) and were read the
    user's locale's way."""

    value: date | None
    other: date | None = None


# Numbers only, day and month in either order: the one form whose order is a guess.
_SWAPPABLE = re.compile(r"(\d{1,2})\s*[/\-]\s*(\d{1,2})\s*[/\-]\s*(\d{4})")


def read_date(text: str, *, dayfirst: bool | None = None) -> DateReading:
    """parse_date's date, and the other reading when day and month could swap."""
    value = parse_date(text, dayfirst=dayfirst)
    m = _SWAPPABLE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if value is None or m is None:
        return DateReading(value)
    first, second = int(m.group(1)), int(m.group(2))
    if first == second or first > 12 or second > 12:
        return DateReading(value)
    other = _make_date(value.year, value.day, value.month)
    return DateReading(value, other if other != value else None)


def format_day(value: date, *, locale: str | None = None) -> str:
    """A day as the user's locale writes it in words ("2026 m. birželio 1 d.",
    "June 1, 2026"): for saying which of two readings was taken."""
    from babel.dates import format_date

    try:
        return str(format_date(value, format="long", locale=locale or number_locale()))
    except (ValueError, TypeError, LookupError):
        return value.isoformat()


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
