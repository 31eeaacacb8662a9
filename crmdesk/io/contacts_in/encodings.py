"""Which encoding a file's text is in, when the file does not say.

Address books come in the code page of the Windows that wrote them. charset-
normalizer chooses among the code pages such files are found in (the fewer
candidates, the surer the guess); the Latin ones (cp1250, cp1252, cp1257) it
confuses on short samples are settled by which reading needs the letters of
the fewest languages and gives no stray symbols.
"""

from __future__ import annotations

import codecs

_SAMPLE = 64 * 1024

# What charset-normalizer chooses among when a file is not UTF-8: the code pages
# address books are exported in; the fewer candidates, the surer the guess.
ENCODINGS = ("utf_8", "utf_16", "cp1250", "cp1251", "cp1252", "cp1257", "koi8_r", "gb18030",
             "big5", "shift_jis", "euc_kr", "cp1253", "cp1254", "iso8859_2", "mac_cyrillic")


def detect_encoding(data: bytes) -> str:
    """The encoding of a text file: from its BOM, UTF-8 if it decodes as such, UTF-16
    if every other byte is zero, else charset-normalizer's best guess among ENCODINGS."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return name
    sample = data[:_SAMPLE]
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3 and len(data) > _SAMPLE:
            return "utf-8"  # a character cut by the sample's end
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 3:
        return "utf-16-le" if sample[1] == 0 else "utf-16-be"
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=list(ENCODINGS)).best()
    guess = best.encoding if best is not None else "cp1252"
    if guess in _LATIN:
        return _latin_code_page(sample, guess)
    return guess


# Letters of the languages written in the Latin code pages: a file's names come
# from one or two of them, so the code page whose reading needs the fewest
# languages (and gives no stray symbols) is the file's.
_LATIN = ("cp1252", "cp1250", "cp1257", "iso8859_2")
_LANGUAGE_LETTERS = [frozenset(letters + letters.upper()) for letters in (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "ãõáâàçéêíóôú",  # Portuguese
    "àèéìíîòóù",  # Italian
    "åæøäöé",  # Nordic
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "ąćęłńóśźż",  # Polish
    "áéíóöőúüű",  # Hungarian
    "čćđšž",  # Croatian, Slovenian
    "ăâîșțşţ",  # Romanian
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "äõöüšž",  # Estonian
)]
_KNOWN_LETTERS = frozenset().union(*_LANGUAGE_LETTERS)


def _languages_needed(text: str) -> tuple[int, int]:
    """(characters no language here writes, languages needed to write the rest)."""
    letters = {ch for ch in text if ord(ch) > 127}
    stray = sum(1 for ch in text if ord(ch) > 127 and ch not in _KNOWN_LETTERS)
    left = letters & _KNOWN_LETTERS
    needed = 0
    while left:  # greedy cover: good enough for a handful of languages
        best = max(_LANGUAGE_LETTERS, key=lambda lang: len(left & lang))
        left -= best
        needed += 1
    return stray, needed


def _latin_code_page(sample: bytes, guess: str) -> str:
    scores = {}
    for code_page in dict.fromkeys((guess, "cp1252", "cp1250", "cp1257")):
        try:
            scores[code_page] = _languages_needed(sample.decode(code_page))
        except UnicodeDecodeError:
            continue
    return min(scores, key=lambda cp: scores[cp]) if scores else guess
