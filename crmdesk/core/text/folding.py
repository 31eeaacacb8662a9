"""Text folding: one Python function decides what "the same letters" means.

Search compares folded text with folded text, and the folding happens here in
Python, not in SQLite, because SQLite's lower()/LIKE fold only ASCII and its
FTS options differ between the versions that Windows, macOS and Linux Pythons
ship. Folding: Unicode compatibility decomposition, combining marks dropped,
case folded, and the letters that do not decompose (ø, ł, đ, æ ...) mapped by
hand, so "zalgiris" finds "Žalgiris", "sorensen" finds "Sørensen" and
"иванов" finds "ИВАНОВА".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters with no canonical decomposition that users still expect to match
# their plain Latin look-alikes.
_EXTRA = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "Ŧ": "t",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "ß": "ss",
        "ẞ": "ss",
        "\u2019": "'",
        "\u2018": "'",
        "\u00a0": " ",
    }
)

_NON_DIGIT = re.compile(r"\D+")
# A query word that is a phone number as people type it: digits and the
# punctuation of phone numbers, at least one digit.
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]*\d[\d\s().\-/]*$")


_ASCII_CONTROLS = {cp: " " for cp in (*range(32), 127)}


@lru_cache(maxsize=1)
def _strip_table() -> dict[int, str | None]:
    """translate() table: combining marks and invisible format characters
    (soft hyphen, zero-width joiners) go, control characters become spaces.
    Built once, over the planes where such characters live."""
    table: dict[int, str | None] = {}
    for cp in (*range(0x20000), *range(0xE0000, 0xE1000)):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if unicodedata.combining(ch) or cat == "Cf":
            table[cp] = None
        elif cat == "Cc":
            table[cp] = " "
    return table


def fold(text: str | None) -> str:
    """Case-, accent- and width-insensitive form of ``text`` for comparing."""
    if not text:
        return ""
    if text.isascii():  # the common case, five times faster
        return " ".join(text.translate(_ASCII_CONTROLS).lower().split())
    text = text.translate(_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text).translate(_strip_table())
    folded = decomposed.casefold().translate(_EXTRA)
    return " ".join(unicodedata.normalize("NFC", folded).split())


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """fold() of one character, remembered: keys built letter by letter (collation,
    legal forms) call it for every letter of 100,000 names."""
    return fold(ch)


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` folded letter by letter, with the position in ``text`` each folded
    character came from: to find a folded match and show or keep the text as
    typed ("Žalgirio" is found by "zalgir" at the same place). Runs of white space
    become one space; the result may differ from fold(text) only there and at
    its ends. Give it NFC text (as typed text nearly always is): the positions
    are into the text as given."""
    out: list[str] = []
    positions: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace() or ord(ch) < 32 or ord(ch) == 127:
            if out and out[-1] != " ":
                out.append(" ")
                positions.append(i)
            continue
        for c in fold_char(ch):
            out.append(c)
            positions.append(i)
    return "".join(out), positions


def digits(text: str | None) -> str:
    """Only the digits of ``text`` ("+7 (495) 123-45-67" -> "74951234567")."""
    if not text:
        return ""
    # NFKD turns full-width and other-script digits into ASCII ones where it can.
    return _NON_DIGIT.sub("", unicodedata.normalize("NFKD", text))


def looks_like_phone(word: str) -> bool:
    return bool(_PHONE_LIKE.match(word)) and not word.isdigit()


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FA1F
    )


def has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


def join_name(parts: list[str], *, cjk_tight: bool = True) -> str:
    """Join name parts with spaces, except between CJK parts ("王" + "小明" -> "王小明")."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (cjk_tight and is_cjk(out[-1]) and is_cjk(part[0])):
            out += " "
        out += part
    return out


def display_name(
    *,
    prefix: str = "",
    given: str = "",
    middle: str = "",
    family: str = "",
    suffix: str = "",
    nickname: str = "",
    family_first: bool = False,
) -> str:
    """The name as the person writes it: "Ivan Ivanovich Petrov" or "王小明"."""
    if family_first:
        core = join_name([family, given, middle])
    else:
        core = join_name([given, middle, family])
    name = join_name([prefix, core, suffix])
    if not name and nickname:
        return nickname.strip()
    return name


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
