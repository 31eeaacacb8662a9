"""Checking what a user typed, with messages that say what is wrong and where.

Phones are parsed with phonenumbers (default region: a setting of the file),
e-mails with email-validator (syntax only: no network). An error blocks
saving; a warning is shown but the value is kept as typed, never dropped.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

import email_validator
import phonenumbers
from babel import Locale
from email_validator import EmailNotValidError, validate_email

from crmdesk.core.errors import Problem
from crmdesk.core.i18n import _

MAX_NAME = 200
MAX_SHORT = 500
MAX_LONG = 1_000_000  # notes: a megabyte of text is a lot of notes


# Parsing is what an import of 100,000 contacts spends most of its checking on, and
# each number and address is asked about several times (the duplicates check, the
# validation, the stored form): the parse is remembered, the message made each time
# (in the language of the moment).
_PARSED = 65536


@lru_cache(maxsize=_PARSED)
def _parse_phone(typed: str, region: str) -> tuple[str | None, str]:
    """(E.164 or None, "ok" | "unreadable" | "impossible" | "invalid")."""
    try:
        parsed = phonenumbers.parse(typed, region.upper() or None)
    except phonenumbers.NumberParseException:
        return None, "unreadable"
    if not phonenumbers.is_possible_number(parsed):
        return None, "impossible"
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164, "ok" if phonenumbers.is_valid_number(parsed) else "invalid"


def phone_e164(number: str, region: str) -> str | None:
    """normalize_phone's E.164 form alone, without making its message."""
    typed = number.strip()
    if not typed or not any(ch.isdigit() for ch in typed):
        return None
    return _parse_phone(typed, region)[0]


def normalize_phone(number: str, region: str) -> tuple[str | None, Problem | None]:
    """(E.164 form or None, a problem or None) for a phone number as typed."""
    typed = number.strip()
    if not typed:
        return None, Problem("phones", _("The phone number is empty."))
    if not any(ch.isdigit() for ch in typed):
        return None, Problem("phones", _("{number!r} has no digits: it is not a phone number.")
                             .format(number=typed))
    e164, how = _parse_phone(typed, region)
    if how == "unreadable":
        return None, Problem(
            "phones",
            _("{number!r} could not be read as a phone number (add the country code, "
              "e.g. +44). It is kept as typed.").format(number=typed),
            severity="warning",
        )
    if how == "impossible":
        return None, Problem(
            "phones",
            _("{number!r} has the wrong number of digits for a phone number. It is kept as "
              "typed.").format(number=typed),
            severity="warning",
        )
    if how == "invalid":
        return e164, Problem(
            "phones",
            _("{number!r} does not look like a valid number. It is kept as typed.").format(
                number=typed
            ),
            severity="warning",
        )
    return e164, None


# The everyday address, "ann.lee+crm@mail.example.com": plain ASCII, an unquoted
# local part (RFC 5322 atext and dots) and a host name of letters, digits and
# hyphens. email_validator takes about 100 us over one; for such an address that
# passes the checks below it would answer "valid, the same text with the domain in
# lower case", so that answer is given here. Anything else (Unicode, quotes,
# Punycode, odd lengths, any address that is not valid) goes to the library, so
# every refusal and its reason are still the library's own.
# tests/core/test_email_fast_path.py holds the two to the same answers.
_ATEXT = r"[a-zA-Z0-9_!#$%&'*+\-/=?^`{|}~]+"
_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_PLAIN_ADDRESS = re.compile(
    rf"({_ATEXT}(?:\.{_ATEXT})*)@({_LABEL}(?:\.{_LABEL})*\.(?:[a-zA-Z0-9][a-zA-Z0-9-]*)?"
    r"[a-zA-Z])")  # the top-level domain ends with a letter
_NOT_IDNA = re.compile(r"(?:^|\.)(?!xn)[a-z0-9-]{2}--")  # RFC 5890's reserved "ab--" labels
_MAX_ADDRESS = 254
_MAX_DOMAIN = 253
_MAX_LABEL = 63


def _plain_valid(typed: str) -> str | None:
    """The normalised form of a plain ASCII address email_validator accepts, or None
    when the library must be asked (the address is not plain, or not valid)."""
    if len(typed) > _MAX_ADDRESS or not typed.isascii():
        return None
    found = _PLAIN_ADDRESS.fullmatch(typed)
    if found is None:
        return None
    domain = found.group(2).lower()
    if (len(domain) > _MAX_DOMAIN or "xn--" in domain or _NOT_IDNA.search(domain)
            or any(len(label) > _MAX_LABEL for label in domain.split("."))):
        return None
    for special in email_validator.SPECIAL_USE_DOMAIN_NAMES:
        if domain == special or domain.endswith("." + special):
            return None
    return typed.lower()


@lru_cache(maxsize=_PARSED)
def _parse_email(typed: str) -> tuple[str, str | None]:
    """(normalised address, the validator's reason it is not valid, or None)."""
    plain = _plain_valid(typed)
    if plain is not None:
        return plain, None
    try:
        result = validate_email(typed, check_deliverability=False)
    except EmailNotValidError as exc:
        return typed.lower(), str(exc)
    return result.normalized.lower(), None


def normalize_email(address: str) -> tuple[str, Problem | None]:
    """(normalised address, problem) for an e-mail address as typed."""
    typed = address.strip()
    if not typed:
        return "", Problem("emails", _("The e-mail address is empty."))
    normalized, reason = _parse_email(typed)
    if reason is not None:
        return normalized, Problem(
            "emails", _("{address!r} is not a valid e-mail address: {reason}").format(
                address=typed, reason=reason
            )
        )
    return normalized, None


@lru_cache(maxsize=1)
def _territories() -> frozenset[str]:
    codes: dict[str, str] = Locale("en").territories  # type: ignore[assignment]
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())


def normalize_country(code: str) -> tuple[str, Problem | None]:
    code = code.strip().upper()
    if not code:
        return "", None
    if code not in _territories():
        return code, Problem(
            "addresses",
            _("{code!r} is not a country code (use two letters, like LT, RU, CN or US).").format(
                code=code
            ),
        )
    return code, None


def check_length(field: str, value: str, limit: int, label: str) -> Problem | None:
    if len(value) > limit:
        return Problem(
            field,
            _("{label} is too long ({n} characters; at most {limit}).").format(
                label=label, n=len(value), limit=limit
            ),
        )
    return None


def check_day(
    field: str, year: int | None, month: int | None, day: int | None, label: str
) -> Problem | None:
    """A birthday or other date with an optional year (29 February allowed without one)."""
    if month is None and day is None and year is None:
        return None
    if month is None or day is None:
        return Problem(field, _("{label} needs both a day and a month.").format(label=label))
    if not 1 <= month <= 12:
        return Problem(field, _("{label}: there is no month {m}.").format(label=label, m=month))
    if year is not None:
        this_year = date.today().year
        if not 1800 <= year <= this_year + 100:
            return Problem(field, _("{label}: the year {y} is not plausible.").format(
                label=label, y=year))
        last = calendar.monthrange(year, month)[1]
    else:
        last = calendar.monthrange(2000, month)[1]  # a leap year: 29 February is allowed
    if not 1 <= day <= last:
        return Problem(
            field, _("{label}: that month has no day {d}.").format(label=label, d=day)
        )
    return None


# What a link in a record may open: a web page, a new e-mail, a call.
OPENABLE_SCHEMES = ("http", "https", "mailto", "tel")


def openable_url(text: str) -> str | None:
    """The address to open for a link as typed, or None if it is not one crmdesk
    opens: only http(s), mailto and tel. "example.com/x" becomes
    "https://example.com/x", "ann@example.com" "mailto:ann@example.com";
    javascript:, file:, data:, a program's own scheme or a path are refused."""
    from urllib.parse import urlsplit

    link = text.strip()
    if not link or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in link):
        return None
    if "://" not in link and ":" not in link.split("/", 1)[0]:
        if "@" in link and "/" not in link:
            return "mailto:" + link
        link = "https://" + link
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in OPENABLE_SCHEMES:
        return None
    if scheme in ("http", "https") and not parts.hostname:
        return None
    if scheme in ("mailto", "tel") and not parts.path:
        return None
    return link
