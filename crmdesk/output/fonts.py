"""The fonts every PDF crmdesk prints is drawn with, embedded (subsetted).

Shipped with the program under an open licence (resources/fonts, see its
README): DejaVu Sans for Latin, Lithuanian, Greek and Cyrillic; WenQuanYi
Micro Hei for Chinese, Japanese kana and Korean Hangul. So a label has real
glyphs on a machine with no fonts installed at all, and reportlab embeds the
subset of each font the file uses (a PDF without its fonts would print in
whatever the printer has, or in boxes). Where the shipped folder is missing
(a system package that strips it), the same fonts are looked for where Debian
and Fedora install them.

A text is drawn as runs: each character in the first font that has it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _

REGULAR, BOLD, CJK = "CrmdeskSans", "CrmdeskSans-Bold", "CrmdeskCJK"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", CJK: "wqy-microhei.ttc"}
SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "fonts"
SYSTEM = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/wqy"),
          Path("/usr/share/fonts/dejavu-sans-fonts"), Path("/usr/share/fonts/wqy-microhei"))


class FontMissingError(CrmdeskError):
    """A shipped font is not where it should be (a damaged installation)."""


def font_path(file: str) -> Path:
    for folder in (SHIPPED, *SYSTEM):
        path = folder / file
        if path.is_file():
            return path
    raise FontMissingError(_("The font {file} is missing from {folder}: reinstall crmdesk "
                             "to print.").format(file=file, folder=SHIPPED))


class Coverage:
    """Which characters a font has: its own character map, asked by code point
    (a set of 35,000 one-letter strings would cost ~5 MB more)."""

    def __init__(self, char_to_glyph: Mapping[int, int]) -> None:
        self._map = char_to_glyph

    def __contains__(self, ch: object) -> bool:
        return isinstance(ch, str) and len(ch) == 1 and ord(ch) in self._map


@dataclass(frozen=True)
class Fonts:
    """The registered fonts and which characters each has."""

    regular: Coverage
    cjk: Coverage

    def runs(self, text: str, font: str = REGULAR) -> list[tuple[str, str]]:
        """``text`` as (font name, piece) runs: each character in ``font`` if it
        has it, else in the CJK font if that has it (a character neither has,
        an emoji, stays in ``font``)."""
        if text.isascii():
            return [(font, text)]
        regular, cjk = self.regular, self.cjk
        out: list[tuple[str, str]] = []
        current = font
        piece: list[str] = []
        for ch in text:
            use = font if ch in regular or ch not in cjk else CJK
            if use != current and piece:
                out.append((current, "".join(piece)))
                piece = []
            current = use
            piece.append(ch)
        if piece:
            out.append((current, "".join(piece)))
        return out

    def missing(self, text: str) -> str:
        """The characters of ``text`` no font has (they would print as boxes)."""
        return "".join(dict.fromkeys(ch for ch in text if not ch.isspace()
                                     and ch not in self.regular and ch not in self.cjk))


@lru_cache(maxsize=1)
def fonts() -> Fonts:
    """Register the fonts with reportlab (once) and say what they cover."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    loaded = {}
    for name, file in FONT_FILES.items():
        path = font_path(file)
        font = TTFont(name, str(path), subfontIndex=0) if file.endswith(".ttc") \
            else TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        loaded[name] = font
    return Fonts(Coverage(loaded[REGULAR].face.charToGlyph),
                 Coverage(loaded[CJK].face.charToGlyph))
