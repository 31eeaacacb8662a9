"""Input is read one way and shown as read: numbers and money in the user's locale
(a "1,500" that could be fifteen hundred or one and a half is read the locale's
way and said so, or refused when the locale does not settle it; never silently
shrunk), dates in the locale's order with ISO always accepted, and a date whose
day and month could swap said as read, in the form and in a lookup."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crmdesk.core.errors import ERROR, WARNING
from crmdesk.core.fields import service as fields
from crmdesk.core.lookup.query import lookup_notes
from crmdesk.core.storage.field_models import DATE, MONEY, NUMBER
from crmdesk.core.text.parsing import (
    format_number,
    number_symbols,
    parse_date,
    read_date,
    read_number,
    system_dayfirst,
)


@pytest.fixture
def locale(monkeypatch):
    """locale("lt_LT"): the PC's locale for this test."""

    def use(name):
        monkeypatch.setenv("LANG", f"{name}.UTF-8")
        monkeypatch.delenv("LC_ALL", raising=False)
        system_dayfirst.cache_clear()
    yield use
    system_dayfirst.cache_clear()


@pytest.mark.parametrize("loc, text, value, other", [
    ("en_US", "1,500", "1500", "1.5"),      # a US comma groups thousands
    ("lt_LT", "1,500", "1.5", "1500"),      # a Lithuanian comma is the decimal mark
    ("de_DE", "1.500", "1500", "1.5"),      # a German dot groups thousands
    ("en_US", "1.500", "1.5", "1500"),
    ("ru_RU", "-2,750", "-2.75", "-2750"),
])
def test_a_number_that_reads_two_ways_follows_the_locale(loc, text, value, other):
    reading = read_number(text, locale=loc)
    assert reading.value == Decimal(value)
    assert reading.ambiguous and reading.readings[1] == Decimal(other)


@pytest.mark.parametrize("loc, text", [("lt_LT", "1.500"), ("ru_RU", "2.750")])
def test_a_mark_the_locale_does_not_use_is_refused(loc, text):
    reading = read_number(text, locale=loc)
    assert reading.value is None and reading.ambiguous


@pytest.mark.parametrize("text, value", [
    ("12,5", "12.5"), ("0,500", "0.500"), ("1 500", "1500"), ("1,234.50", "1234.50"),
    ("1.234,50", "1234.50"), ("1,234,567", "1234567"), ("1,5000", "1.5000"),
])
def test_unambiguous_numbers_read_the_same_everywhere(text, value):
    for loc in ("en_US", "lt_LT", "de_DE"):
        reading = read_number(text, locale=loc)
        assert reading.value == Decimal(value) and not reading.ambiguous


def test_locale_symbols_and_display():
    assert number_symbols("lt_LT")[0] == "," and number_symbols("en_US") == (".", ",")
    assert format_number(Decimal("1500"), locale="lt_LT") == "1\u00a0500"
    assert format_number(Decimal("1.5"), locale="lt_LT") == "1,5"


def _field(db, label, ftype, **kw):
    with db.session() as s:
        return fields.add_field(s, "contact", label, ftype, **kw)


def test_a_number_field_says_how_it_read_1500(db, locale):
    field = _field(db, "Fleet size", NUMBER)
    locale("en_US")
    value, problems = fields.parse_value(field, "1,500")
    assert value == Decimal("1500")
    assert [(p.severity, p.message) for p in problems] == [
        (WARNING, "Fleet size: '1,500' was read as 1,500 (not 1.5).")]
    locale("lt_LT")
    value, problems = fields.parse_value(field, "1,500")
    assert value == Decimal("1.5")
    assert problems[0].severity == WARNING and "1,5" in problems[0].message
    value, problems = fields.parse_value(field, "1.500")
    assert value is None and problems[0].severity == ERROR
    assert problems[0].message == \
        "Fleet size: '1.500' could be 1\u00a0500 or 1,5; type it as one of them."
    # plain numbers say nothing
    assert fields.parse_value(field, "1500") == (Decimal("1500"), [])


def test_money_is_never_silently_shrunk(db, locale):
    field = _field(db, "Deal", MONEY, currency="USD", decimals=2)
    locale("en_US")
    value, problems = fields.parse_value(field, "$1,500")
    assert value == Decimal("1500") and problems[0].severity == WARNING
    value, problems = fields.parse_value(field, "$1,500.00")
    assert value == Decimal("1500.00") and problems == []


def test_dates_follow_the_locale_and_say_a_swap(db, locale):
    field = _field(db, "Renewal", DATE)
    locale("en_US")
    assert parse_date("6/1/2026") == date(2026, 6, 1)
    value, problems = fields.parse_value(field, "6/1/2026")
    assert value == date(2026, 6, 1)
    assert [p.message for p in problems] == [
        "Renewal: '6/1/2026' was read as June 1, 2026 (not January 6, 2026)."]
    locale("lt_LT")
    value, problems = fields.parse_value(field, "6/1/2026")
    assert value == date(2026, 1, 6) and problems[0].severity == WARNING
    # ISO, dotted and unambiguous dates say nothing, in every locale
    for text, day in (("2026-01-06", date(2026, 1, 6)), ("6.1.2026", date(2026, 1, 6)),
                      ("13/1/2026", date(2026, 1, 13)), ("6/6/2026", date(2026, 6, 6))):
        assert fields.parse_value(field, text) == (day, [])
    assert read_date("2026-01-06").other is None


def test_a_lookup_reads_dates_as_the_form_does(db, locale):
    from crmdesk.core.contacts.records import ContactData, create_contact
    from crmdesk.core.lookup.query import CONTACT, find_ids

    field = _field(db, "Renewal", DATE)
    cid = create_contact(db, ContactData(given_name="Ann"))
    with db.session() as s:
        fields.set_values(s, "contact", cid, {field.key: "2026-06-01"})
    locale("en_US")
    with db.reading() as s:
        assert find_ids(s, CONTACT, f"{field.key}:6/1/2026", strict=True) == [cid]
    assert lookup_notes(f"{field.key}<6/1/2026") == [
        "6/1/2026 is read as June 1, 2026, not January 6, 2026."]
    assert lookup_notes(f"{field.key}<2026-06-01") == []
    locale("lt_LT")
    with db.reading() as s:
        assert find_ids(s, CONTACT, f"{field.key}:1/6/2026", strict=True) == [cid]
