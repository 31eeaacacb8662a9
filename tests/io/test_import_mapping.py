"""Columns of Google, Outlook (English and Russian), Thunderbird, Apple, 1C and crmdesk
exports mapped to fields, and the rows made into contacts as a user expects them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmdesk.core.contacts.records import errors_only, validate
from crmdesk.io.contacts_in.mapping import (
    MappingError,
    Target,
    apply_overrides,
    map_rows,
    parse_target,
    propose_dayfirst,
    propose_name_order,
    suggest_mapping,
    suggest_target,
)
from crmdesk.io.contacts_in.table import read_csv
from crmdesk.io.contacts_in.values import (
    FAMILY_FIRST,
    FAMILY_GIVEN_PATRONYMIC,
    GIVEN_FIRST,
    split_full_name,
)

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "csv"


def contacts(header, rows, overrides=(), dayfirst=None):
    mapping = suggest_mapping(header, rows)
    if overrides:
        apply_overrides(mapping, header, overrides, rows)
    if dayfirst is not None:
        mapping.dayfirst = dayfirst
    return map_rows(header, rows, list(range(2, len(rows) + 2)), mapping)


def shared_table(name):
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return read_csv((DATA / name).read_bytes())


def test_google_contacts_export():
    t = shared_table("roundcubemail/Csv2vcard/gmail.csv")
    result = contacts(t.header, t.rows)
    (c,) = [r.data for r in result.records]
    assert (c.prefix, c.given_name, c.middle_name, c.family_name, c.suffix) == (
        "Prefix", "Firstname", "Middle", "Lastname", "Suffix")
    assert c.nickname == "nick" and c.company == "company" and c.job_title == "jobtitle"
    assert (c.birthday_year, c.birthday_month, c.birthday_day) == (1975, 12, 12)
    assert c.tags == ["Test"]  # "* My Contacts" is Google's, not the user's
    assert [(e.address, e.label) for e in c.emails] == [
        ("home@aaa.pl", "home"), ("work@email.pl", "work"), ("unknown@email.com", ""),
        ("other@email.com", "other")]
    assert ("mainphone", "main") in [(p.number, p.label) for p in c.phones]
    home = c.addresses[0]
    assert (home.label, home.street, home.city, home.postcode) == (
        "home", "home_street\nhome_pobox", "home_city", "home_zip")
    assert [(ln.url, ln.label) for ln in c.links] == [("test.com", "profile"),
                                                     ("home.page.com", "home page")]
    assert c.notes == 'note"note'
    assert result.problems == []


def test_thunderbird_export():
    t = shared_table("roundcubemail/Csv2vcard/tb_plain.csv")
    (c,) = [r.data for r in contacts(t.header, t.rows).records]
    assert c.name() == "Firstname Lastname" and c.company == "Organization"
    assert (c.birthday_year, c.birthday_month, c.birthday_day) == (1970, 11, 15)
    assert [(a.city, a.country, a.label) for a in c.addresses] == [
        ("City", "US", "home"), ("Wcity", "PL", "work")]
    assert [e.address for e in c.emails] == ["test@domain.tld", "next@domain.tld"]


def test_outlook_exports_with_several_emails():
    t = shared_table("roundcubemail/Csv2vcard/outlook.csv")
    (c,) = [r.data for r in contacts(t.header, t.rows).records]
    assert [e.address for e in c.emails] == ["test1@domain.tld", "test2@domain.tld",
                                             "test3@domain.tld"]
    assert c.name() == "test1@domain.tld"  # no name: found by the address


def test_outlook_english_made_here():
    header = ["Title", "First Name", "Middle Name", "Last Name", "Company", "Job Title",
              "Business Street", "Business City", "Business Postal Code",
              "Business Country/Region", "Mobile Phone", "Business Phone", "Home Phone",
              "E-mail Address", "E-mail 2 Address", "Birthday", "Categories", "Notes"]
    rows = [["Ms.", "Jane", "", "O'Neil", "Acme Ltd", "Buyer", "1 Main St", "Springfield",
             "12345", "United States", "+1 555 0100", "+1 555 0101", "", "jane@acme.com",
             "jane@home.net", "3/25/1980", "VIP; Newsletter", "Met at the fair"]]
    result = contacts(header, rows)
    (c,) = [r.data for r in result.records]
    assert c.name() == "Ms. Jane O'Neil" and (c.company, c.job_title) == ("Acme Ltd", "Buyer")
    assert [(p.number, p.label) for p in c.phones] == [("+1 555 0100", "mobile"),
                                                       ("+1 555 0101", "work")]
    assert [e.address for e in c.emails] == ["jane@acme.com", "jane@home.net"]
    (a,) = c.addresses
    assert (a.street, a.city, a.postcode, a.country, a.label) == (
        "1 Main St", "Springfield", "12345", "US", "work")
    assert (c.birthday_year, c.birthday_month, c.birthday_day) == (1980, 3, 25)
    assert c.tags == ["VIP", "Newsletter"] and c.notes == "Met at the fair"
    assert errors_only(validate(c)) == []


def test_outlook_russian_made_here():
    header = ["Обращение", "Имя", "Отчество", "Фамилия", "Организация", "Должность",
              "Улица (раб. адрес)", "Город (раб. адрес)", "Индекс (раб. адрес)",
              "Страна или регион (раб. адрес)", "Мобильный телефон", "Рабочий телефон",
              "Адрес эл. почты", "День рождения", "Заметки"]
    rows = [["", "Мария", "Петровна", "Иванова", "ООО «Ромашка»", "Директор",
             "ул. Ленина, 1", "Москва", "101000", "Россия", "+7 903 123-45-67",
             "+7 495 123-45-67", "maria@romashka.ru", "25.03.1980", "Звонить утром"]]
    (c,) = [r.data for r in contacts(header, rows).records]
    assert (c.given_name, c.middle_name, c.family_name) == ("Мария", "Петровна", "Иванова")
    assert c.company == "ООО «Ромашка»" and c.job_title == "Директор"
    assert [(p.number, p.label) for p in c.phones] == [("+7 903 123-45-67", "mobile"),
                                                       ("+7 495 123-45-67", "work")]
    assert c.emails[0].address == "maria@romashka.ru"
    assert (c.addresses[0].city, c.addresses[0].country) == ("Москва", "RU")
    assert (c.birthday_year, c.birthday_month, c.birthday_day) == (1980, 3, 25)
    assert c.notes == "Звонить утром"


def test_1c_export_with_a_full_name_column():
    header = ["ФИО", "Контрагент", "Должность", "Телефон", "Эл. почта", "Адрес",
              "Дата рождения"]
    rows = [["Петров Сергей Николаевич", "ООО Ромашка", "Бухгалтер", "+7 495 000-00-01",
             "petrov@example.ru", "г. Москва, ул. Тверская, д. 1", "01.02.1975"],
            ["Сидорова Анна Ивановна", "АО Лютик", "", "8 (812) 000-00-02", "", "",
             "1975-02-28"]]
    result = contacts(header, rows)
    first, second = [r.data for r in result.records]
    assert (first.family_name, first.given_name, first.middle_name) == (
        "Петров", "Сергей", "Николаевич")
    assert first.name() == "Сергей Николаевич Петров"
    assert first.company == "ООО Ромашка" and first.job_title == "Бухгалтер"
    assert first.addresses[0].street == "г. Москва, ул. Тверская, д. 1"
    assert (first.birthday_year, first.birthday_month, first.birthday_day) == (1975, 2, 1)
    assert second.family_name == "Сидорова" and second.phones[0].number == "8 (812) 000-00-02"


def test_apple_and_crmdesk_headers_and_custom_fields():
    header = ["given_name", "family_name", "Phone (Mobile)", "Email (Work)", "phone:home",
              "city:home", "country:home", "tags", "fleet_size"]
    rows = [["Rūta", "Žalgirytė", "+370 600 00001", "ruta@example.lt", "+370 5 000 0000",
             "Vilnius", "LT", "klientas, VIP", "12"]]
    result = contacts(header, rows)
    (record,) = result.records
    c = record.data
    assert c.name() == "Rūta Žalgirytė"
    assert [(p.number, p.label) for p in c.phones] == [("+370 600 00001", "mobile"),
                                                       ("+370 5 000 0000", "home")]
    assert [(e.address, e.label) for e in c.emails] == [("ruta@example.lt", "work")]
    assert [(a.city, a.country, a.label) for a in c.addresses] == [("Vilnius", "LT", "home")]
    assert c.tags == ["klientas", "VIP"]
    assert record.values == {}  # an unknown column goes nowhere until the user says so
    result = contacts(header, rows, ["fleet_size=custom:fleet_size", "9=fleet"])
    assert result.records[0].values == {"fleet": "12"}


def test_overrides_by_header_or_number_and_their_errors():
    header = ["Kas", "Kur", "Telefonas"]
    rows = [["Jonas Jonaitis", "Kaunas", "+370 600 00002"]]
    result = contacts(header, rows, ["kas=full_name", "2=city:work", "Telefonas=ignore"])
    (c,) = [r.data for r in result.records]
    assert (c.given_name, c.family_name) == ("Jonas", "Jonaitis")
    assert c.addresses[0].city == "Kaunas" and c.addresses[0].label == "work"
    assert c.phones == []
    with pytest.raises(MappingError, match="There is no column 'Nope'. The columns are: Kas"):
        apply_overrides(suggest_mapping(header), header, ["Nope=email"])
    with pytest.raises(MappingError, match="COLUMN=FIELD"):
        apply_overrides(suggest_mapping(header), header, ["email"])
    with pytest.raises(MappingError, match="Unknown field 'phone number:x'"):
        parse_target("phone number:x")
    assert parse_target("phone#2:work") == Target("phone", "work", "2")
    assert parse_target("custom:Fleet size") == Target("custom", "Fleet size")
    assert parse_target("-") is None


def test_suggestions_for_known_headers():
    assert suggest_target("E-mail 2 - Value") == Target("email", slot="2")
    assert suggest_target("Phone 1 - Type") == Target("phone_type", slot="1")
    assert suggest_target("Business Fax") == Target("phone", "work fax")
    assert suggest_target("Мобильный телефон") == Target("phone", "mobile")
    assert suggest_target("Birth Day") == Target("birth_day")
    assert suggest_target("Birthday") == Target("birthday")
    assert suggest_target("El. paštas") == Target("email")
    assert suggest_target("手机") == Target("phone", "mobile")
    assert suggest_target("Gender") is None
    assert suggest_target("E-mail Display Name") is None  # Outlook's, not an address
    assert suggest_target("Краткое имя эл. почты") is None


def test_full_names_in_every_order():
    assert split_full_name("Rūta Žalgirytė") == ("Rūta", "", "Žalgirytė")
    assert split_full_name("John Ronald Reuel Tolkien") == ("John", "Ronald Reuel", "Tolkien")
    assert split_full_name("Иванов Иван Иванович", FAMILY_GIVEN_PATRONYMIC) == (
        "Иван", "Иванович", "Иванов")
    assert split_full_name("Nakamura Hiroshi", FAMILY_FIRST) == ("Hiroshi", "", "Nakamura")
    assert split_full_name("王小明") == ("小明", "", "王")
    assert split_full_name("欧阳修") == ("修", "", "欧阳")
    assert split_full_name("王 小明") == ("小明", "", "王")
    assert propose_name_order(["Иванов Иван Иванович", "Петрова Анна Сергеевна"]) == \
        FAMILY_GIVEN_PATRONYMIC
    assert propose_name_order(["Иван Иванович Иванов"]) == GIVEN_FIRST
    assert propose_name_order(["x"], "ФИО") == FAMILY_GIVEN_PATRONYMIC
    result = contacts(["Name"], [["王小明"], ["Nakamura Hiroshi"]],
                      ["Name=full_name"])
    wang, naka = [r.data for r in result.records]
    assert (wang.family_name, wang.name_order, wang.name()) == ("王", "family_first", "王小明")
    assert (naka.given_name, naka.family_name) == ("Nakamura", "Hiroshi")


def test_day_first_is_proposed_from_the_data_and_can_be_chosen():
    assert propose_dayfirst(["03/04/1980", "25/12/1990"]) is True
    assert propose_dayfirst(["03/04/1980", "12/25/1990"]) is False
    assert propose_dayfirst(["03/04/1980", "1980-01-01"]) is None
    header, rows = ["Name", "Birthday"], [["Anna", "03/04/1980"], ["Boris", "25/12/1990"]]
    anna = contacts(header, rows).records[0].data
    assert (anna.birthday_month, anna.birthday_day) == (4, 3)  # proposed: day first
    anna = contacts(header, rows, dayfirst=False).records[0].data
    assert (anna.birthday_month, anna.birthday_day) == (3, 4)
    no_year = contacts(header, [["Vera", "--05-17"]]).records[0].data
    assert (no_year.birthday_year, no_year.birthday_month, no_year.birthday_day) == (
        None, 5, 17)


def test_bad_values_are_kept_and_reported():
    header = ["Name", "Birthday", "Notes", "E-mail"]
    rows = [["Anna", "sometime in May", "likes tea", "anna@example.com"],
            ["", "", "a note without a name", ""],
            ["", "", "", "only@example.com"],
            ["", "", "", ""]]
    result = contacts(header, rows)
    assert [r.data.name() for r in result.records] == ["Anna", "only@example.com"]
    assert result.rows == [2, 4]
    assert result.records[0].data.notes == "likes tea\n\nBirthday: sometime in May"
    assert [(p.line, p.message.split(";")[0]) for p in result.problems] == [
        (2, "The birthday 'sometime in May' is not a date"),
        (3, "The row has no name, company, e-mail or phone")]


def test_google_several_values_in_one_cell():
    header = ["Name", "E-mail 1 - Type", "E-mail 1 - Value", "Phone 1 - Type",
              "Phone 1 - Value"]
    rows = [["Li Hua", "* Work", "li@work.cn ::: li@home.cn", "Mobile", "138 0013 8000"]]
    (c,) = [r.data for r in contacts(header, rows).records]
    assert [(e.address, e.label) for e in c.emails] == [("li@work.cn", "work"),
                                                       ("li@home.cn", "work")]
    assert [(p.number, p.label) for p in c.phones] == [("138 0013 8000", "mobile")]


HEADERS = ["Name", "First Name", "Last Name", "ФИО", "Phone 1 - Type", "Phone 1 - Value",
           "E-mail Address", "Birthday", "Birth Year", "Birth Month", "Birth Day",
           "Home City", "Home Country", "Categories", "Notes", "Address", "fleet"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.text(max_size=15), min_size=len(HEADERS), max_size=len(HEADERS)),
                max_size=5),
       st.sampled_from(["given_first", "family_first", "family_given_patronymic"]),
       st.sampled_from([None, True, False]))
def test_any_cells_make_contacts_or_problems_without_an_error(rows, order, dayfirst):
    mapping = apply_overrides(suggest_mapping(HEADERS, rows), HEADERS, ["fleet=custom:fleet"],
                              rows)
    mapping.name_order, mapping.dayfirst = order, dayfirst
    result = map_rows(HEADERS, rows, list(range(2, len(rows) + 2)), mapping)
    assert len(result.records) == len(result.rows) <= len(rows)
    for record in result.records:
        assert record.data.name() or record.data.company


def test_a_birthday_crmdesk_would_refuse_is_kept_in_the_notes():
    result = contacts(["Name", "Birthday"], [["Anna", "1776-07-04"], ["Boris", "1990-04-31"]])
    anna, boris = [r.data for r in result.records]
    assert anna.birthday_year is None and anna.notes == "Birthday: 1776-07-04"
    assert boris.birthday_month is None and boris.notes == "Birthday: 1990-04-31"
    assert [p.line for p in result.problems] == [2, 3]
    assert all(errors_only(validate(c)) == [] for c in (anna, boris))


# -- the quick paths agree with the rules they stand for -----------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x2FF0, max_codepoint=0xFB10), max_size=6)
       | st.text(max_size=6),
       st.sampled_from(["", "Ann", "Иванов", "王", "\u30ff", "\ud7af", "\U0002fa1f", "\uac00"]))
def test_name_order_follows_what_text_folding_calls_cjk(given_name, family):
    from crmdesk.core.contacts.records import ContactData
    from crmdesk.core.text.folding import has_cjk
    from crmdesk.io.contacts_in.values import name_order_of

    data = ContactData(given_name=given_name, family_name=family)
    expected = FAMILY_FIRST if has_cjk(family + given_name) else GIVEN_FIRST
    assert name_order_of(data) == expected


@pytest.mark.parametrize("parts", [
    {"given_name": "  "}, {"nickname": " x "}, {"prefix": "Dr."}, {"suffix": "Jr"},
    {"middle_name": "Q"}, {"family_name": "王"}, {}])
def test_a_row_without_a_name_is_told_apart_as_name_would(parts):
    """finish() checks the name's parts instead of building the display name: a row is
    left out exactly when ContactData.name() would be empty (and no company)."""
    from crmdesk.core.contacts.records import ContactData

    header = ["Notes", *parts]
    mapping = suggest_mapping(["Notes"], [])
    for i, key in enumerate(parts, 1):
        mapping.columns[i] = Target(key)
    mapped = map_rows(header, [["a note", *parts.values()]], [2], mapping)
    named = bool(ContactData(**{k: v.strip() for k, v in parts.items()}).name())
    assert (len(mapped.records) == 1) == named
    assert (len(mapped.problems) == 1) == (not named)
