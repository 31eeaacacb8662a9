"""Custom fields: every type checks and keeps what users type, a change of type
loses nothing, hostile labels are harmless, and 1,000 fields cost no extra queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, event, inspect, select

from crmdesk.core.contacts.records import ContactData, create_contact, get_contact
from crmdesk.core.errors import CrmdeskError, ValidationError
from crmdesk.core.fields import service as fields
from crmdesk.core.fields.keys import derive_key, slug
from crmdesk.core.fields.service import (
    CHOICE,
    DATE,
    EMAIL,
    LONG_TEXT,
    MONEY,
    MULTI_CHOICE,
    NUMBER,
    PHONE,
    TEXT,
    URL,
    YES_NO,
    FieldInfo,
    OptionInfo,
    Unconverted,
)
from crmdesk.core.lookup.listing import contact_ids as search_contact_ids
from crmdesk.core.storage import migrate
from crmdesk.core.storage.models import Contact
from crmdesk.core.text.parsing import parse_bool, parse_date, parse_money, parse_number


def info(type_: str, **kw: object) -> FieldInfo:
    """A field description without a database, for the pure checks."""
    base: dict[str, object] = {"id": 1, "entity": "contact", "key": "f", "label": "F",
                               "type": type_}
    base.update(kw)
    return FieldInfo(**base)  # type: ignore[arg-type]


def ok(field: FieldInfo, value: object) -> object:
    parsed, problems = fields.parse_value(field, value, dayfirst=True)
    assert not [p for p in problems if p.severity == "error"], problems
    return parsed


def error(field: FieldInfo, value: object) -> str:
    problem = fields.validate_value(field, value)
    assert problem is not None and problem.severity == "error", (value, problem)
    assert problem.field == field.key
    return problem.message


@pytest.fixture
def people(db):
    return [create_contact(db, ContactData(given_name=g, family_name=f))
            for g, f in (("Jonas", "Petraitis"), ("Мария", "Иванова"), ("Li", "Wang"))]


# -- reading what people type -------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("12", "12"), ("-7", "-7"), ("+3", "3"), ("12,5", "12.5"), ("12.5", "12.5"),
    ("1 234,50", "1234.50"), ("1\u00a0234,50", "1234.50"), ("1,234.50", "1234.50"),
    ("1.234,50", "1234.50"), ("1,234,567", "1234567"), ("1.234.567", "1234567"),
    ("1'234.5", "1234.5"), ("−4", "-4"), ("０１２", "12"), (".5", "0.5"),
])
def test_numbers_as_people_type_them(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1e5", "NaN", "Infinity", "12,34.5", "1..2",
                                  "1,2,3", "--1", "12abc", "١٢"])
def test_not_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text, amount, codes", [
    ("1 234,50 €", "1234.50", {"EUR"}), ("EUR 10", "10", {"EUR"}), ("10eur", "10", {"EUR"}),
    ("$5.25", "5.25", {"USD"}), ("100 руб.", "100", {"RUB"}), ("￥300", "300", {"CNY", "JPY"}),
    ("42", "42", set()),
])
def test_money_with_its_currency(text, amount, codes):
    value, meant = parse_money(text)
    assert value == Decimal(amount)
    assert codes <= set(meant) if codes else not meant


@pytest.mark.parametrize("text, expected", [
    ("2026-03-05", date(2026, 3, 5)), ("5.3.2026", date(2026, 3, 5)),
    ("05.03.2026", date(2026, 3, 5)), ("2026.03.05", date(2026, 3, 5)),
    ("5 March 2026", date(2026, 3, 5)), ("5 марта 2026", date(2026, 3, 5)),
    ("2026 m. kovo 5", date(2026, 3, 5)), ("2026年3月5日", date(2026, 3, 5)),
    ("5/3/2026", date(2026, 3, 5)),
])
def test_dates_as_people_type_them(text, expected):
    assert parse_date(text, dayfirst=True) == expected


def test_month_first_when_the_locale_says_so():
    assert parse_date("3/5/2026", dayfirst=False) == date(2026, 3, 5)
    assert parse_date("3/5/2026", dayfirst=True) == date(2026, 5, 3)


@pytest.mark.parametrize("text", ["", "5 March", "March 2026", "2026-02-30", "12", "tomorrow",
                                  "31.02.2026", "0001-01-01", "soon"])
def test_not_whole_dates(text):
    assert parse_date(text, dayfirst=True) is None


@pytest.mark.parametrize("text, expected", [
    ("yes", True), ("Y", True), ("Taip", True), ("да", True), ("是", True), ("1", True),
    ("no", False), ("N", False), ("ne", False), ("НЕТ", False), ("否", False), ("0", False),
])
def test_yes_and_no_in_several_languages(text, expected):
    assert parse_bool(text) is expected


# -- each type: what it accepts, what it refuses ----------------------------------------


def test_text():
    f = info(TEXT)
    assert ok(f, "  Vilnius  ") == "Vilnius"
    assert ok(f, "two\nlines") == "two lines"
    assert "too long" in error(f, "x" * 501)
    assert "too long" in error(info(TEXT, max_length=5), "abcdef")
    assert ok(f, "") is None and ok(f, None) is None


def test_long_text_keeps_lines():
    assert ok(info(LONG_TEXT), "line 1\nline 2") == "line 1\nline 2"


def test_number_with_decimals():
    f = info(NUMBER, decimals=2)
    assert ok(f, "12,5") == Decimal("12.5")
    assert ok(f, 3) == Decimal(3)
    assert ok(f, 2.5) == Decimal("2.5")
    assert "decimal point" in error(f, "1.234")
    assert "whole numbers" in error(info(NUMBER, decimals=0), "3,5")
    assert ok(info(NUMBER, decimals=0), "3.00") == Decimal(3)
    assert "not a number" in error(f, "twelve")
    assert "not a number" in error(f, True)
    assert "too large" in error(f, "1" + "0" * 20)


def test_number_limits():
    f = info(NUMBER, min_value=Decimal(1), max_value=Decimal(100))
    assert ok(f, "100") == Decimal(100)
    assert "at least 1" in error(f, "0")
    assert "at most 100" in error(f, "101")


def test_money_in_its_currency_only():
    f = info(MONEY, currency="EUR")
    assert ok(f, "1 234,50 €") == Decimal("1234.50")
    assert ok(f, "99") == Decimal(99)
    assert "another currency" in error(f, "$5")
    assert "decimal point" in error(f, "1.234")  # EUR has cents, no more


def test_date():
    f = info(DATE, min_value=date(2000, 1, 1))
    assert ok(f, "31.12.2026") == date(2026, 12, 31)
    assert ok(f, date(2026, 1, 2)) == date(2026, 1, 2)
    assert "not a date" in error(f, "next week")
    assert "at least 2000-01-01" in error(f, "1999-12-31")


def test_yes_no():
    f = info(YES_NO)
    assert ok(f, "taip") is True and ok(f, False) is False
    assert "neither yes nor no" in error(f, "maybe")


def test_drop_down():
    f = info(CHOICE, options=(OptionInfo(1, "Baltic Expo", 0), OptionInfo(2, "CeBIT", 1)))
    assert ok(f, "baltic expo") == "Baltic Expo"
    message = error(f, "Hannover Messe")
    assert "not one of the choices" in message and "CeBIT" in message
    assert "one choice only" in error(f, ["Baltic Expo", "CeBIT"])


def test_multi_choice():
    f = info(MULTI_CHOICE, options=(OptionInfo(1, "Golf", 0), OptionInfo(2, "Tennis", 1),
                                    OptionInfo(3, "Sales, North", 2)))
    assert ok(f, "tennis; golf") == ["Golf", "Tennis"]
    assert ok(f, ["Sales, North", "Golf"]) == ["Golf", "Sales, North"]
    assert ok(f, "Golf, Sales, North") == ["Golf", "Sales, North"]
    assert "not one of the choices" in error(f, "Golf, Chess")


def test_phone_email_url():
    phone = info(PHONE)
    assert ok(phone, "+370 612 34567") == "+370 612 34567"
    assert "no digits" in error(phone, "call me")
    odd = fields.validate_value(phone, "+1 23")
    assert odd is not None and odd.severity == "warning"  # kept as typed
    assert ok(info(EMAIL), " jonas@example.lt ") == "jonas@example.lt"
    assert "not a valid e-mail" in error(info(EMAIL), "jonas@")
    assert ok(info(URL), "https://example.lt/a") == "https://example.lt/a"
    assert "spaces" in error(info(URL), "example .lt")
    assert "web address" in error(info(URL), "nothing")


def test_required_and_pattern():
    f = info(TEXT, required=True, pattern=r"[A-Z]{2}\d{4}", help="Like AB1234.")
    assert "required" in error(f, "  ")
    message = error(f, "ab12")
    assert "expected form" in message and "Like AB1234." in message
    assert ok(f, "AB1234") == "AB1234"


# -- defining fields -------------------------------------------------------------------


def test_keys_from_labels():
    assert slug("Fleet size") == "fleet_size"
    assert slug("Размер парка") == "razmer_parka"
    assert slug("Įmonės kodas") == "imones_kodas"
    assert slug("2nd phone") == "f_2nd_phone"
    assert slug("兴趣") == "" and slug("🚚🚚") == ""
    assert derive_key("兴趣", {"field_1"}) == "field_2"
    assert derive_key("Email", set()) == "email_2"  # never a built-in's key
    assert derive_key("Status", set()) == "status_2"
    assert len(derive_key("x" * 300, set())) == 40
    assert derive_key("x" * 300, {"x" * 40}) == "x" * 38 + "_2"


def test_hostile_labels(db, people):
    with db.session() as s:
        evil = fields.add_field(s, "contact", "'); DROP TABLE contact;--", TEXT)
        assert evil.key == "drop_table_contact"
        assert evil.label == "'); DROP TABLE contact;--"
        emoji = fields.add_field(s, "contact", "🚚 Fleet 🚚", NUMBER)
        assert emoji.key == "fleet" and emoji.label == "🚚 Fleet 🚚"
        only_emoji = fields.add_field(s, "contact", "🚚", TEXT)
        assert only_emoji.key == "field_1"
        cleaned = fields.add_field(s, "contact", "Two\nlines\x00 here\t", TEXT)
        assert cleaned.label == "Two lines here"
        fields.set_values(s, "contact", people[0], {evil.key: "'; DELETE FROM contact;--"})
    with db.session() as s:
        with pytest.raises(ValidationError, match="too long"):
            fields.add_field(s, "contact", "x" * 500, TEXT)
        with pytest.raises(ValidationError, match="already a field"):
            fields.add_field(s, "contact", "'); drop TABLE CONTACT;--", TEXT)
        with pytest.raises(ValidationError, match="cannot be empty"):
            fields.add_field(s, "contact", " \n ", TEXT)
        with pytest.raises(ValidationError, match="crmdesk's own fields"):
            fields.add_field(s, "contact", "Mail", TEXT, key="email")
        with pytest.raises(ValidationError, match="cannot be a field key"):
            fields.add_field(s, "contact", "Mail", TEXT, key="Mail Box")
        with pytest.raises(ValidationError, match="already has the key"):
            fields.add_field(s, "contact", "Other", TEXT, key="fleet")
        with pytest.raises(ValidationError, match="Unknown field type"):
            fields.add_field(s, "contact", "Other", "blob")
        e_mail = fields.add_field(s, "contact", "Email", EMAIL)
        assert e_mail.key == "email_2"
    with db.reading() as s:
        assert s.scalar(select(Contact.id).where(Contact.id == people[0])) == people[0]
        values = fields.get_values(s, "contact", [people[0]])
        assert values[people[0]]["drop_table_contact"] == "'; DELETE FROM contact;--"


def test_settings_are_checked(db):
    with db.session() as s:
        with pytest.raises(ValidationError) as exc:
            fields.add_field(s, "contact", "Score", NUMBER, min_value="10", max_value="1")
        assert exc.value.problems[0].field == "max_value"
        with pytest.raises(ValidationError, match="not a valid regular expression"):
            fields.add_field(s, "contact", "Code", TEXT, pattern="([")
        with pytest.raises(ValidationError, match="currency code"):
            fields.add_field(s, "contact", "Price", MONEY, currency="XYZ")
        with pytest.raises(ValidationError) as exc:
            fields.add_field(s, "contact", "Size", NUMBER, default="big")
        assert exc.value.problems[0].field == "default"
        f = fields.add_field(s, "contact", "Price", MONEY, currency="usd", default="9,99",
                             pattern="ignored", calendar_yearly=True)
        assert (f.currency, f.default, f.pattern, f.calendar_yearly) == \
            ("USD", Decimal("9.99"), None, False)
        assert fields.default_values(s, "contact") == {"price": Decimal("9.99")}
        d = fields.add_field(s, "contact", "Renewal", DATE, min_value="2020-01-01",
                             calendar_yearly=True)
        assert d.min_value == date(2020, 1, 1) and d.calendar_yearly
        m = fields.add_field(s, "contact", "Amount", MONEY)
        assert len(m.currency) == 3


def test_rename_reorder_sections_archive_restore(db, people):
    with db.session() as s:
        a = fields.add_field(s, "contact", "Fleet size", NUMBER)
        b = fields.add_field(s, "contact", "Licence no", TEXT)
        c = fields.add_field(s, "company", "Fleet size", NUMBER)  # same label, other entity
        assert c.key == "fleet_size"
        renamed = fields.rename_field(s, a.id, "Number of trucks")
        assert (renamed.key, renamed.label) == ("fleet_size", "Number of trucks")
        fields.reorder_fields(s, "contact", [b.id, a.id])
        assert [f.key for f in fields.describe_fields(s, "contact")] == \
            ["licence_no", "fleet_size"]
        trucks = fields.add_section(s, "contact", "Trucks")
        with pytest.raises(ValidationError, match="already a section"):
            fields.add_section(s, "contact", "trucks")
        moved = fields.move_field(s, a.id, trucks.id)
        assert (moved.section_id, moved.section) == (trucks.id, "Trucks")
        assert [f.key for f in fields.describe_fields(s, "contact")] == \
            ["licence_no", "fleet_size"]
        fields.rename_section(s, trucks.id, "Vehicles")
        assert fields.field_by_id(s, a.id).section == "Vehicles"
        fields.set_values(s, "contact", people[0], {"fleet_size": 12, "licence_no": "AB-1"})
        fields.archive_field(s, b.id)
        assert [f.key for f in fields.describe_fields(s, "contact")] == ["fleet_size"]
        assert fields.get_values(s, "contact", [people[0]]) == \
            {people[0]: {"fleet_size": Decimal(12)}}
        # Values of an archived field are kept, and can still be asked for by key.
        assert fields.get_values(s, "contact", [people[0]], ["licence_no"]) == \
            {people[0]: {"licence_no": "AB-1"}}
        with pytest.raises(ValidationError, match="archived field"):
            fields.add_field(s, "contact", "Licence No", TEXT)
        fields.restore_field(s, b.id)
        assert len(fields.describe_fields(s, "contact")) == 2
        assert fields.delete_section(s, trucks.id) == 1
        assert fields.field_by_id(s, a.id).section_id is None


def test_delete_needs_the_confirmed_count(db, people):
    with db.session() as s:
        f = fields.add_field(s, "contact", "Fleet size", NUMBER)
        for cid in people[:2]:
            fields.set_values(s, "contact", cid, {"fleet_size": 5})
        n = fields.count_values(s, f.id)
        assert n == 2
        fields.set_values(s, "contact", people[2], {"fleet_size": 7})  # meanwhile
        with pytest.raises(CrmdeskError, match="values in 3 records"):
            fields.delete_field(s, f.id, confirmed_count=n)
        assert fields.delete_field(s, f.id, confirmed_count=3) == 3
        assert fields.describe_fields(s, "contact") == []
        assert s.scalar(select(fields.FieldValue.id)) is None


# -- reading and writing values ----------------------------------------------------------


ROUND_TRIP = [
    (TEXT, {}, "Baltic Expo", "Baltic Expo"),
    (LONG_TEXT, {}, "a\nb", "a\nb"),
    (NUMBER, {}, "1 234,5", Decimal("1234.5")),
    (MONEY, {"currency": "EUR"}, "0,10 €", Decimal("0.10")),
    (DATE, {}, "2026-02-28", date(2026, 2, 28)),
    (YES_NO, {}, "yes", True),
    (YES_NO, {}, "no", False),
    (CHOICE, {"options": ["A", "B"]}, "b", "B"),
    (MULTI_CHOICE, {"options": ["A", "B", "C"]}, "c, a", ["A", "C"]),
    (PHONE, {}, "+7 (495) 123-45-67", "+7 (495) 123-45-67"),
    (EMAIL, {}, "a@b.lt", "a@b.lt"),
    (URL, {}, "example.lt", "example.lt"),
]


@pytest.mark.parametrize("type_, settings, typed, expected", ROUND_TRIP)
def test_values_come_back_as_saved(db, people, type_, settings, typed, expected):
    with db.session() as s:
        f = fields.add_field(s, "contact", "Value", type_, **settings)
        assert fields.set_values(s, "contact", people[0], {f.key: typed}) == []
    with db.reading() as s:
        got = fields.get_values(s, "contact", people, [f.key])
    assert got == {people[0]: {f.key: expected}, people[1]: {}, people[2]: {}}
    with db.session() as s:  # None clears
        assert fields.set_values(s, "contact", people[0], {f.key: None}) == []
        assert fields.get_values(s, "contact", [people[0]]) == {people[0]: {}}


def test_set_values_writes_nothing_when_one_value_is_wrong(db, people):
    with db.session() as s:
        fields.add_field(s, "contact", "Fleet size", NUMBER)
        fields.add_field(s, "contact", "Licence", TEXT)
        problems = fields.set_values(s, "contact", people[0],
                                     {"fleet_size": "many", "licence": "X1", "nope": 1})
        assert {p.field for p in problems} == {"fleet_size", "nope"}
        assert fields.get_values(s, "contact", [people[0]]) == {people[0]: {}}


def test_imports_keep_what_does_not_fit(db, people):
    with db.session() as s:
        fields.add_field(s, "contact", "Fleet size", NUMBER)
        problems = fields.set_values(s, "contact", people[0], {"fleet_size": "about 12"},
                                     keep_invalid=True)
        assert [p.severity for p in problems] == ["warning"]
        assert fields.get_values(s, "contact", [people[0]])[people[0]] == \
            {"fleet_size": Unconverted("about 12")}
        f = fields.field_by_key(s, "contact", "fleet_size")
        assert fields.unconverted_values(s, f.id) == [(people[0], "about 12")]
        # The form shows it; saving the form again keeps it.
        assert fields.set_values(s, "contact", people[0],
                                 {"fleet_size": Unconverted("about 12")}) == []


def test_saving_values_touches_updated_and_the_search(db, people):
    before = get_contact(db, people[0]).updated_at
    with db.session() as s:
        fields.add_field(s, "contact", "Trade show", CHOICE, options=["Baltic Expo"])
        fields.add_field(s, "contact", "Plate", PHONE)
        fields.add_field(s, "contact", "Fleet", NUMBER)
        fields.set_values(s, "contact", people[0], {"trade_show": "Baltic Expo",
                                                    "plate": "+370 612 34567", "fleet": 99})
    assert get_contact(db, people[0]).updated_at > before
    with db.reading() as s:
        texts = fields.search_texts(s, people)
    assert texts == {people[0]: ["Baltic Expo", "+370 612 34567", "37061234567"]}


def test_values_of_a_record_that_is_gone(db, people):
    from crmdesk.core.errors import NotFoundError

    with db.session() as s:
        fields.add_field(s, "contact", "Fleet", NUMBER)
        with pytest.raises(NotFoundError):
            fields.set_values(s, "contact", 999, {"fleet": 1})


def test_company_values(db):
    from crmdesk.core.companies.records import CompanyData, create_company

    company = create_company(db, CompanyData(name="Žalgiris UAB"))
    with db.session() as s:
        fields.add_field(s, "company", "Fleet size", NUMBER)
        assert fields.set_values(s, "company", company, {"fleet_size": "40"}) == []
        assert fields.get_values(s, "company", [company]) == \
            {company: {"fleet_size": Decimal(40)}}
        assert fields.get_values(s, "contact", [company]) == {company: {}}


# -- options ---------------------------------------------------------------------------


def test_renaming_an_option_renames_it_everywhere(db, people):
    with db.session() as s:
        f = fields.add_field(s, "contact", "Trade show", CHOICE, options=["Baltic Expo", "CeBIT"])
        for cid in people[:2]:
            fields.set_values(s, "contact", cid, {"trade_show": "Baltic Expo"})
        option = f.options[0].id
        with pytest.raises(ValidationError, match="already has the option"):
            fields.rename_option(s, option, "cebit")
        assert fields.rename_option(s, option, "Baltic Expo 2026") == 2
    with db.reading() as s:
        values = fields.get_values(s, "contact", people)
        assert values[people[0]] == {"trade_show": "Baltic Expo 2026"}
        assert values[people[2]] == {}


def test_removing_an_option_keeps_or_replaces_values(db, people):
    with db.session() as s:
        f = fields.add_field(s, "contact", "Show", CHOICE, options=["A", "B", "C"])
        m = fields.add_field(s, "contact", "Sports", MULTI_CHOICE, options=["Golf", "Chess"])
        new = fields.add_option(s, f.id, "D")
        assert [o.label for o in fields.field_by_id(s, f.id).active_options] == \
            ["A", "B", "C", "D"]
        fields.set_values(s, "contact", people[0], {"show": "A", "sports": "Golf, Chess"})
        fields.set_values(s, "contact", people[1], {"show": "B", "sports": "Chess"})
        assert fields.remove_option(s, f.options[0].id) == 1  # A: kept as text
        assert fields.remove_option(s, f.options[1].id, replace_with=new.id) == 1  # B -> D
        assert fields.remove_option(s, m.options[0].id) == 1  # Golf
        values = fields.get_values(s, "contact", people[:2])
        assert values[people[0]] == {"show": Unconverted("A"),
                                     "sports": Unconverted("Golf, Chess")}
        assert values[people[1]] == {"show": "D", "sports": ["Chess"]}
        fields.archive_option(s, new.id)
        assert [o.label for o in fields.field_by_id(s, f.id).active_options] == ["C"]
        fields.reorder_options(s, m.id, [m.options[1].id])


# -- changing a field's type -----------------------------------------------------------


def _retype_case(db, people, type_, values, new_type, **settings):
    with db.session() as s:
        f = fields.add_field(s, "contact", "Value", type_, **settings)
        for cid, value in zip(people, values, strict=False):
            assert fields.set_values(s, "contact", cid, {"value": value}) == []
        preview = fields.preview_retype(s, f.id, new_type)
        # The preview changes nothing.
        assert fields.field_by_id(s, f.id).type == type_
        report = fields.retype(s, f.id, new_type)
        assert (report.converted, report.failed) == (preview.converted, preview.failed)
        return f, report, fields.get_values(s, "contact", people)


def test_retype_text_to_number_keeps_what_does_not_convert(db, people):
    f, report, values = _retype_case(db, people, TEXT, ["12", "3,5", "about twenty"], NUMBER)
    assert report.converted == 2
    assert report.failed == [(people[2], "about twenty")]
    assert values[people[0]] == {"value": Decimal(12)}
    assert values[people[2]] == {"value": Unconverted("about twenty")}
    with db.session() as s:
        assert fields.unconverted_values(s, f.id) == [(people[2], "about twenty")]
        # Changing back brings every value home, the unconverted one too.
        back = fields.retype(s, f.id, TEXT)
        assert (back.converted, back.failed) == (3, [])
        assert fields.get_values(s, "contact", people)[people[2]] == {"value": "about twenty"}
        assert fields.unconverted_values(s, f.id) == []


@pytest.mark.parametrize("type_, settings, values, new_type, converted, failed", [
    (NUMBER, {}, ["12", "3.5"], MONEY, 2, []),
    (MONEY, {"currency": "EUR"}, ["12.50"], NUMBER, 1, []),
    (DATE, {}, ["2026-03-05"], TEXT, 1, []),
    (TEXT, {}, ["2026-03-05", "5.3.2026", "March"], DATE, 2, ["March"]),
    (YES_NO, {}, ["yes", "no"], TEXT, 2, []),
    (TEXT, {}, ["taip", "nope"], YES_NO, 1, ["nope"]),
    (CHOICE, {"options": ["Lead", "Won"]}, ["Lead"], TEXT, 1, []),
    (MULTI_CHOICE, {"options": ["A", "B"]}, ["A", "A, B"], CHOICE, 1, ["A, B"]),
    (CHOICE, {"options": ["A", "B"]}, ["A", "B"], MULTI_CHOICE, 2, []),
    (NUMBER, {}, ["12"], DATE, 0, ["12"]),
    (TEXT, {}, ["a@b.lt", "not mail"], EMAIL, 1, ["not mail"]),
    (EMAIL, {}, ["a@b.lt"], URL, 1, []),
    (TEXT, {}, ["+370 612 34567", "none"], PHONE, 1, ["none"]),
    (LONG_TEXT, {}, ["one\ntwo"], TEXT, 1, []),
])
def test_retype_conversions(db, people, type_, settings, values, new_type, converted, failed):
    _f, report, _values = _retype_case(db, people, type_, values, new_type, **settings)
    assert report.converted == converted
    assert [raw for _cid, raw in report.failed] == failed


def test_retype_into_a_list_makes_the_options(db, people):
    f, report, values = _retype_case(db, people, TEXT, ["Baltic Expo", "CeBIT", "baltic expo"],
                                     CHOICE)
    assert report.new_options == ["Baltic Expo", "CeBIT"]
    assert report.converted == 3
    assert values[people[2]] == {"value": "Baltic Expo"}
    with db.reading() as s:
        assert [o.label for o in fields.field_by_id(s, f.id).options] == ["Baltic Expo", "CeBIT"]
    with db.session() as s:
        g = fields.add_field(s, "contact", "Sports", TEXT)
        fields.set_values(s, "contact", people[0], {"sports": "Golf, Chess"})
        report = fields.retype(s, g.id, MULTI_CHOICE)
        assert report.new_options == ["Golf", "Chess"]
        assert fields.get_values(s, "contact", [people[0]], ["sports"])[people[0]] == \
            {"sports": ["Golf", "Chess"]}


def test_retype_drops_settings_the_new_type_cannot_use(db, people):
    with db.session() as s:
        f = fields.add_field(s, "contact", "Code", TEXT, pattern=r"\d+", max_length=9)
        fields.retype(s, f.id, NUMBER)
        g = fields.field_by_id(s, f.id)
        assert (g.type, g.pattern, g.max_length) == (NUMBER, None, None)


# -- many fields, few queries -----------------------------------------------------------


class Counter:
    def __init__(self, engine):
        self.n = 0
        event.listen(engine, "before_cursor_execute", self)

    def __call__(self, conn, cursor, statement, *args, **kw):
        if not statement.startswith("BEGIN"):  # the transaction's own first statement
            self.n += 1


def test_a_thousand_fields_do_not_make_opening_a_contact_slower(db, people):
    with db.session() as s:
        for i in range(1000):
            fields.add_field(s, "contact", f"Field {i}", NUMBER if i % 2 else TEXT)
    with db.session() as s:
        patch = {f"field_{i}": str(i) for i in range(0, 1000, 7)}
        counter = Counter(db.engine)
        assert fields.set_values(s, "contact", people[0], patch) == []
        # describe (2), delete, insert, updated_at, and the search refresh
        assert counter.n <= 15
    counter = Counter(db.engine)
    with db.reading() as s:
        values = fields.get_values(s, "contact", [people[0]])
        # The description (2 queries) and the values (1), however many fields there are.
        assert counter.n == 3
        assert len(values[people[0]]) == len(patch)
        assert fields.get_values(s, "contact", [people[0]]) == values
        assert counter.n == 4  # the description is cached on the session
        fields.get_values(s, "contact", people, ["field_7", "field_14"])
        assert counter.n == 5


# -- sorting ------------------------------------------------------------------------------


def test_sort_by_a_custom_field_with_blanks_last(db, people):
    with db.session() as s:
        fields.add_field(s, "contact", "Renewal", DATE)
        fields.set_values(s, "contact", people[1], {"renewal": "2026-01-01"})
        fields.set_values(s, "contact", people[2], {"renewal": "2025-01-01"})
    with db.reading() as s:
        assert fields.sort_ids(s, "contact", "renewal") == [people[2], people[1], people[0]]
        assert fields.sort_ids(s, "contact", "renewal", descending=True) == \
            [people[1], people[2], people[0]]
        order = fields.order_expression(s, "renewal")
        stmt = order.apply(select(Contact.id), ties=[Contact.sort_key, Contact.id])
        assert list(s.scalars(stmt)) == [people[2], people[1], people[0]]
        with pytest.raises(CrmdeskError):
            fields.sort_ids(s, "contact", "nope")


def test_sort_by_a_drop_down_follows_the_list_order(db, people):
    with db.session() as s:
        f = fields.add_field(s, "contact", "Stage", CHOICE, options=["Lead", "Won"])
        fields.set_values(s, "contact", people[0], {"stage": "Won"})
        fields.set_values(s, "contact", people[1], {"stage": "Lead"})
        assert fields.sort_ids(s, "contact", "stage")[:2] == [people[1], people[0]]
        fields.reorder_options(s, f.id, [f.options[1].id, f.options[0].id])
        assert fields.sort_ids(s, "contact", "stage")[:2] == [people[0], people[1]]


@pytest.mark.parametrize("kind, options, values", [
    (DATE, {}, ["2026-03-01", "2025-01-01", "2027-01-01"]),
    (NUMBER, {}, ["7", "3", "9"]),
    (CHOICE, {"options": ["Lead", "Met", "Won"]}, ["Won", "Lead", "Met"]),
    (MULTI_CHOICE, {"options": ["A", "B", "C"]}, ["C, A", "A", "B"]),
])
def test_a_sort_by_a_custom_field_leaves_the_trash_out_and_lists_it_apart(
        db, people, kind, options, values):
    from crmdesk.core.contacts.records import trash_contacts

    with db.session() as s:
        fields.add_field(s, "contact", "Key", kind, **options)
        for person, value in zip(people, values, strict=True):
            fields.set_values(s, "contact", person, {"key": value})
    with db.reading() as s:
        everyone = fields.sort_ids(s, "contact", "key")
        assert sorted(everyone) == sorted(people)
        assert fields.sort_ids(s, "contact", "key", trash=True) == []
    trash_contacts(db, [everyone[0]])
    with db.reading() as s:
        assert fields.sort_ids(s, "contact", "key") == everyone[1:]
        assert fields.sort_ids(s, "contact", "key", descending=True) == everyone[1:][::-1]
        assert fields.sort_ids(s, "contact", "key", trash=True) == [everyone[0]]


# -- storage and command line ---------------------------------------------------------------


def test_migration_from_0001_adds_the_tables(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(engine, "0001")
    assert "field_value" not in inspect(engine).get_table_names()
    migrate.upgrade(engine)
    names = inspect(engine).get_table_names()
    assert {"field_def", "field_section", "field_option", "field_value"} <= set(names)
    indexes = {i["name"] for i in inspect(engine).get_indexes("field_value")}
    assert {"ix_field_value_num", "ix_field_value_date", "ix_field_value_text",
            "ix_field_value_contact"} <= indexes
    engine.dispose()


def test_values_go_with_their_contact(db, people):
    from crmdesk.core.contacts.records import purge_contacts, trash_contacts

    with db.session() as s:
        fields.add_field(s, "contact", "Fleet", NUMBER)
        fields.set_values(s, "contact", people[0], {"fleet": 1})
    trash_contacts(db, [people[0]])
    purge_contacts(db, [people[0]])
    assert db.execute_scalar("SELECT count(*) FROM field_value") == 0


def test_search_finds_custom_text(db, people):
    """Text-like custom values are part of the full-text index."""
    with db.session() as s:
        fields.add_field(s, "contact", "Licence", TEXT)
        fields.set_values(s, "contact", people[0], {"licence": "ZX-42 Baltic"})
    with db.reading() as s:
        found = search_contact_ids(s, "zx-42")
    assert found == [people[0]]
