"""Many contacts in one call: stored as one create would store each, found, all or nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from crmdesk.core.changes import COMPANIES, CONTACTS, LISTS
from crmdesk.core.contacts.bulk import (
    InvalidRecordError,
    NewContact,
    add_contacts,
)
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    DateData,
    EmailData,
    LinkData,
    PhoneData,
    RelativeData,
    all_tags,
    create_contact,
    create_contact_in,
    load_contact,
)
from crmdesk.core.fields import service as fields
from crmdesk.core.lookup.listing import contact_ids
from crmdesk.core.maintenance.check import check_database
from crmdesk.core.search import fulltext as search
from crmdesk.core.storage.models import (
    FAMILY_FIRST,
    Address,
    Choice,
    Company,
    Contact,
    Email,
    ImportantDate,
    Link,
    Phone,
    Photo,
    Relative,
    SearchRow,
    StatusChange,
    Tag,
    contact_tag,
)
from crmdesk.core.storage.settings import set_setting
from crmdesk.core.text.validation import normalize_email


def found(session, query: str) -> list[int]:
    """The ids the contact list's search box shows for ``query``."""
    return contact_ids(session, query)


GIVEN = ["Jürgen", "Анна", "Žydrūnė", "Émile", "Пётр", "Owen"]
FAMILY = ["Müller", "Кузнецова", "Žukauskienė", "Lefèvre", "Иванов", "O'Brien"]
CJK = [("王", "小明"), ("李", "娜"), ("张", "伟"), ("陈", "静")]


def people() -> list[ContactData]:
    """Latin, Cyrillic, Lithuanian and Chinese names, each with its own phone number."""
    out = []
    for i, (given, family) in enumerate((g, f) for g in GIVEN for f in FAMILY):
        out.append(ContactData(
            given_name=given, family_name=family, company=f"Firm {i % 4}",
            phones=[PhoneData(f"+370 612 {10000 + i:05d}", "mobile")],
            emails=[EmailData(f"Person.{i}@Example.COM", "work")],
            addresses=[AddressData(f"Street {i}", "Vilnius", country="lt")],
            tags=["newsletter"] if i % 3 == 0 else []))
    for j, (family, given) in enumerate(CJK):
        out.append(ContactData(
            given_name=given, family_name=family, name_order=FAMILY_FIRST,
            company="北京恒达贸易有限公司", phones=[PhoneData(f"+86 138 0013 {8000 + j}")]))
    return out


def every_row(s, cid: int) -> dict[str, object]:
    """What the file holds about one contact, ids and times left out."""
    c = s.get(Contact, cid)
    out: dict[str, object] = {
        col: getattr(c, col) for col in (
            "prefix", "given_name", "middle_name", "family_name", "suffix", "nickname",
            "name_order", "display_name", "sort_key", "company_id", "job_title", "department",
            "birthday_year", "birthday_month", "birthday_day", "status_id", "source_id",
            "notes", "deleted_at", "last_contact_at", "last_attempt_at")}
    skip = {"id", "contact_id"}
    for model in (Phone, Email, Address, Link, ImportantDate, Relative, Photo):
        table = model.__table__
        cols = [col for col in table.c if col.name not in skip]
        out[table.name] = [tuple(r) for r in s.execute(
            select(*cols).where(table.c.contact_id == cid).order_by(*table.primary_key))]
    out["tags"] = sorted(s.scalars(select(Tag.name).join(contact_tag)
                                   .where(contact_tag.c.contact_id == cid)))
    out["status_changes"] = [tuple(r) for r in s.execute(
        select(StatusChange.old_status_id, StatusChange.new_status_id)
        .where(StatusChange.contact_id == cid))]
    row = s.get(SearchRow, cid)
    out["search"] = (row.name_text, row.body_text)
    return out


def counts(db) -> dict[str, int]:
    with db.reading() as s:
        return {model.__tablename__: s.scalar(select(func.count()).select_from(model))
                for model in (Contact, SearchRow, Tag, Company, Choice, Phone, StatusChange)}


# -- found afterwards -------------------------------------------------------------------


def test_many_contacts_in_one_call_are_all_found_by_search(db):
    records = people()
    with db.session() as s:
        result = add_contacts(s, records, chunk=7)
    assert len(result.ids) == len(records) == len(set(result.ids))
    assert result.changes.added(CONTACTS) == frozenset(result.ids)
    assert result.problems == {} and result.skipped == []
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SearchRow)) == len(records)
        for cid, data in zip(result.ids, records, strict=True):
            if data.name_order == FAMILY_FIRST:
                queries = [data.family_name + data.given_name, data.given_name]  # 王小明, 小明
            else:
                queries = [data.family_name[1:5].upper(), f"{data.given_name} {data.family_name}"]
            digits = "".join(ch for ch in data.phones[0].number if ch.isdigit())
            queries.append(digits[-7:])  # a phone number by its digits
            for query in queries:
                assert cid in found(s, query), (data.name(), query)
        # Case and accents do not matter: "петр" finds Пётр, "zukauskiene" Žukauskienė.
        assert len(found(s, "петр")) == len(FAMILY)
        assert len(found(s, "zukauskiene")) == len(GIVEN)
    assert check_database(db, deep=True).ok


def test_custom_values_and_tags_read_back_through_the_services(db):
    with db.session() as s:
        fields.add_field(s, "contact", "Discount", fields.NUMBER, key="discount")
        fields.add_field(s, "contact", "Since", fields.DATE, key="since")
        fields.add_field(s, "contact", "Territory", fields.CHOICE, key="territory",
                         options=["North", "South"])
        fields.add_field(s, "contact", "Account", fields.TEXT, key="account")
        tag_id = s.execute(text("INSERT INTO tag (name, key) VALUES ('VIP', 'vip')")).lastrowid
    records = [
        NewContact(ContactData(given_name="Ona", family_name="Kairienė", tags=["vip", "Key"]),
                   {"discount": "12.5", "since": "2024-03-31", "territory": "north",
                    "account": "ACC-0042"}),
        NewContact(ContactData(given_name="Li", family_name="Wei", tags=["key "]),
                   {"discount": 7, "since": date(2020, 1, 2)}),
        ContactData(given_name="Nobody", family_name="Special"),
    ]
    with db.session() as s:
        result = add_contacts(s, records, tags=["Imported 2026"])
    with db.reading() as s:
        values = fields.get_values(s, "contact", result.ids)
        loaded = [load_contact(s, cid) for cid in result.ids]
        assert all_tags(s) == ["Imported 2026", "Key", "VIP"]  # "key " is "Key", vip is VIP
        assert s.scalar(select(Tag.id).where(Tag.key == "vip")) == tag_id
        assert found(s, "acc-0042") == [result.ids[0]]  # text values are searchable
    assert values[result.ids[0]] == {"discount": Decimal("12.5"), "since": date(2024, 3, 31),
                                     "territory": "North", "account": "ACC-0042"}
    assert values[result.ids[1]] == {"discount": Decimal(7), "since": date(2020, 1, 2)}
    assert values[result.ids[2]] == {}
    assert [c.tags for c in loaded] == [["Imported 2026", "Key", "VIP"],
                                        ["Imported 2026", "Key"], ["Imported 2026"]]


# -- the same as one by one ----------------------------------------------------------------


def everything(i: int) -> ContactData:
    """A record with every field filled in, some of it carelessly typed."""
    return ContactData(
        prefix=" Dr. ", given_name=" Žydrūnas ", middle_name="", family_name="Šimkus ",
        suffix="", nickname="Žydra", company=" UAB „Gintaras“ ", job_title="Direktorius ",
        department=" Pardavimai", birthday_month=2, birthday_day=29, status="Customer",
        source="Referral", notes="  Notes keep their spaces.  ",
        phones=[PhoneData("8 612 34567", "mobile"), PhoneData(f"+370 5 212 {3400 + i}", "work",
                                                             primary=True),
                PhoneData("12", "odd")],
        emails=[EmailData(" Zydrunas@Gintaras.LT ", "work"), EmailData("z@xn--80ak6aa92e.com")],
        addresses=[AddressData("Gedimino pr. 1\n2nd floor", "Vilnius", "", "LT-01103", " lt ",
                               "work")],
        links=[LinkData(" https://gintaras.lt ", "web")],
        dates=[DateData(" Name day ", 9, 15, 1990)],
        relatives=[RelativeData(" spouse ", " Ona ")],
        tags=["VIP", " vip", "Suppliers"],
        photo=b"\x89PNG fake", photo_mime="image/png")


@pytest.mark.parametrize("ahead", [False, True])
def test_bulk_stores_what_one_by_one_stores(db, ahead):
    with db.session() as s:
        set_setting(s, "collation", "lt")  # Š after S: the sort key follows the file
        set_setting(s, "phone_region", "LT")
    records = [everything(i) for i in range(3)] + people()[:3] + [
        ContactData(company="Only A Company Ltd")]
    singles = [create_contact(db, r) for r in records]
    with db.session() as s:
        result = add_contacts(s, records, chunk=2, ahead=ahead)
    with db.reading() as s:
        for one, many in zip(singles, result.ids, strict=True):
            assert every_row(s, many) == every_row(s, one)
        assert s.get(Contact, result.ids[0]).sort_key.startswith("s\U0010ffff")  # Šimkus
    assert result.changes.added(COMPANIES) == frozenset()  # made by the singles: reused
    assert not result.changes.touches(LISTS)
    assert 2 in result.problems and result.problems[2][0].severity == "warning"  # "12"
    assert check_database(db, deep=True).ok


@pytest.mark.parametrize("ahead", [False, True])
def test_search_rows_made_from_the_records_are_what_build_rows_makes(db, ahead):
    """bulk_rows makes the search rows from the records, not from the stored rows: they
    must be what search.build_rows makes of the stored contacts (company and tags
    by their stored spelling, tags in build_rows' order, custom values too)."""
    with db.session() as s:
        set_setting(s, "phone_region", "LT")
        fields.add_field(s, "contact", "Account", fields.TEXT, key="account")
        fields.add_field(s, "contact", "Territory", fields.CHOICE, key="territory",
                         options=["North", "South"])
        s.execute(text("INSERT INTO tag (name, key) VALUES ('Zeta Tag', 'zeta tag')"))
        s.execute(text("INSERT INTO company (name, name_key, sort_key, industry, notes, "
                       "created_at, updated_at) VALUES ('ÁCME Ltd', 'acme ltd', 'acme', '', "
                       "'', '2026-01-01', '2026-01-01')"))
    records = [
        *[everything(i) for i in range(2)],
        ContactData(given_name="Ann", family_name="Lee", company="acme LTD",
                    tags=["alpha", "Zeta tag", "ALPHA"], notes="Line one\r\nLine two"),
        ContactData(nickname="  Bobby  ", phones=[PhoneData("+1 (212) 555-0100 ext. 5"), PhoneData("12")],
                    emails=[EmailData(" Bob@Example.COM ")]),
        ContactData(company="  Only A Company  ", job_title="   ", department="Ūkis"),
        ContactData(given_name="小明", family_name="王", name_order=FAMILY_FIRST,
                    addresses=[AddressData("", "北京", "", "", "cn")],
                    relatives=[RelativeData("father", " Jonas "), RelativeData("mother", "Li")]),
        NewContact(ContactData(given_name="Custom", family_name="Values", company="ÁCME ltd",
                               tags=["Zeta Tag"], notes="with values"),
                   {"account": "ACC-7", "territory": "south"}),
        ContactData(given_name="Пётр", family_name="Иванов", company="ООО «Вектор»",
                    phones=[PhoneData("+7 916 123-45-67")], emails=[EmailData("P@Vector.RU")],
                    addresses=[AddressData("ул. Ленина 1", "Москва", "Московская обл.",
                                           "101000", "RU")],
                    links=[LinkData("vector.ru")], tags=["Zeta TAG", "Клиенты"]),
    ]
    with db.session() as s:
        result = add_contacts(s, records, chunk=3, ahead=ahead, tags=["Imported"],
                              keep_invalid=True, skip_invalid=True)
    assert result.skipped == []
    with db.reading() as s:
        stored = {r.contact_id: {"contact_id": r.contact_id, "name_text": r.name_text,
                                 "body_text": r.body_text}
                  for r in s.scalars(select(SearchRow))}
        rebuilt = search.build_rows(s, result.ids)
    assert [stored[r["contact_id"]] for r in rebuilt] == rebuilt
    assert len(rebuilt) == len(records)
    ann = stored[result.ids[2]]["body_text"]
    assert ann.startswith("acme ltd\n") and "zeta tag\nimported\nalpha\n" in ann  # by tag id


def test_checked_records_store_the_same_as_parsed_ones(db):
    """The demo vouches for its records: phones carry their E.164 form, e-mails are not
    parsed when plain; what is stored does not change."""
    addresses = ["Ivan.Petrov@Vector.RU", "x_y-z+tag@Sub.Domain.com", "user@münchen.de",
                 "Who@XN--80AK6AA92E.com", "qq12345@qq.com"]
    plain = [ContactData(given_name=f"Person {i}", emails=[EmailData(a)],
                         phones=[PhoneData(f"(212) 555-01{i:02d}")])
             for i, a in enumerate(addresses)]
    vouched = [ContactData(given_name=f"Person {i}", emails=[EmailData(a)],
                           phones=[PhoneData(f"(212) 555-01{i:02d}", e164=f"+1212555 01{i:02d}"
                                             .replace(" ", ""))])
               for i, a in enumerate(addresses)]
    with db.session() as s:
        set_setting(s, "phone_region", "US")
        parsed = add_contacts(s, plain).ids
        checked = add_contacts(s, vouched, checked=True).ids
    with db.reading() as s:
        for a, b, address in zip(parsed, checked, addresses, strict=True):
            assert every_row(s, a) | {"given_name": 0} == every_row(s, b) | {"given_name": 0}
            assert s.scalar(select(Email.normalized).where(Email.contact_id == b)) == \
                normalize_email(address)[0]


# -- all or nothing ----------------------------------------------------------------------


@pytest.mark.parametrize("ahead", [False, True])
def test_a_progress_callback_that_raises_leaves_the_file_as_it_was(db, ahead):
    create_contact(db, ContactData(given_name="Already", family_name="There", tags=["old"],
                                   company="Old Firm"))
    before = counts(db)
    with db.reading() as s:
        tags_before = all_tags(s)
    seen: list[tuple[int, int]] = []

    def cancel(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 20:
            raise KeyboardInterrupt

    records = [NewContact(r, {}) for r in people()]
    for r in records:
        r.data.tags.append("new tag")
        r.data.status = "Brand-new status"
    with pytest.raises(KeyboardInterrupt), db.session() as s:
        add_contacts(s, iter(records), total=len(records), progress=cancel, chunk=10,
                     ahead=ahead)
    assert seen == [(0, len(records)), (10, len(records)), (20, len(records))]
    assert counts(db) == before
    with db.reading() as s:
        assert all_tags(s) == tags_before
        assert found(s, "petr") == []
    assert check_database(db, deep=True).ok
    # The same file takes the next call.
    with db.session() as s:
        assert len(add_contacts(s, people()).ids) == len(people())
    assert check_database(db, deep=True).ok


@pytest.mark.parametrize("ahead", [False, True])
def test_an_invalid_record_stops_the_call_and_names_the_record(db, ahead):
    records = people()[:6]
    records[4] = ContactData(given_name="Bad", family_name="Address",
                             emails=[EmailData("not an address")])
    with pytest.raises(InvalidRecordError) as err, db.session() as s:
        add_contacts(s, iter(records), chunk=2, ahead=ahead)
    assert err.value.index == 4
    assert "Contact 5 (Bad Address)" in err.value.message
    assert [p.field for p in err.value.problems] == ["emails"]
    assert counts(db)["contact"] == 0  # the chunks written before went with the rollback


def test_invalid_records_can_be_skipped_and_are_reported(db):
    records = people()[:5]
    records[1] = ContactData()  # no name, no company
    records[3] = ContactData(given_name="Bad", emails=[EmailData("bad@")])
    with db.session() as s:
        result = add_contacts(s, records, skip_invalid=True)
    assert result.skipped == [1, 3]
    assert [p.severity for p in result.problems[1]] == ["error"]
    assert [p.field for p in result.problems[3]] == ["emails"]
    assert len(result.ids) == 3
    with db.reading() as s:
        assert [load_contact(s, cid).given_name for cid in result.ids] == \
            [records[0].given_name, records[2].given_name, records[4].given_name]


def test_custom_values_that_do_not_fit_are_errors_or_kept_as_typed(db):
    with db.session() as s:
        fields.add_field(s, "contact", "Discount", fields.NUMBER, key="discount")
    bad = [NewContact(ContactData(given_name="Ann"), {"discount": "a lot"})]
    with pytest.raises(InvalidRecordError) as err, db.session() as s:
        add_contacts(s, bad)
    assert err.value.problems[0].field == "discount"
    with pytest.raises(InvalidRecordError), db.session() as s:  # even with keep_invalid
        add_contacts(s, [NewContact(ContactData(given_name="Ann"), {"nope": 1})],
                     keep_invalid=True)
    with db.session() as s:
        result = add_contacts(s, bad, keep_invalid=True)
    assert [p.severity for p in result.problems[0]] == ["warning"]
    with db.reading() as s:
        value = fields.get_values(s, "contact", result.ids)[result.ids[0]]["discount"]
        assert isinstance(value, fields.Unconverted) and value.raw == "a lot"
        assert found(s, "a lot") == result.ids  # kept text is searchable, as after an edit


def test_what_changed_names_new_companies_and_lists(db):
    create_contact(db, ContactData(given_name="Old", company="Known Firm"))
    with db.session() as s:
        result = add_contacts(s, [
            ContactData(given_name="A", company="known firm "),
            ContactData(given_name="B", company="New Firm", status="Distributor"),
            ContactData(given_name="C", company="NEW FIRM", status="distributor")])
        new_firm = s.scalar(select(Company.id).where(Company.name == "New Firm"))
        known = s.scalar(select(Company.id).where(Company.name == "Known Firm"))
        assert [s.get(Contact, cid).company_id for cid in result.ids] == [known, new_firm,
                                                                          new_firm]
    assert result.companies == [new_firm]
    assert result.changes.added(COMPANIES) == {new_firm}
    assert result.changes.touches(LISTS)  # "Distributor" was added to the status list
    with db.session() as s:
        assert add_contacts(s, []).changes.describe() == "nothing"


def test_ids_and_dates_kept_when_asked(db):
    when = datetime(2021, 5, 4, 9, 30)
    with db.session() as s:
        result = add_contacts(s, [ContactData(id=500, given_name="Kept", created_at=when,
                                              status="Lead")],
                              keep_ids=True, keep_dates=True, status_changes=False)
        assert result.ids == [500]
        c = s.get(Contact, 500)
        assert (c.created_at, c.updated_at) == (when, when)
        assert s.scalar(select(func.count()).select_from(StatusChange)) == 0
    with db.session() as s:  # the next one numbered after it
        assert add_contacts(s, [ContactData(given_name="Next")]).ids == [501]


def test_a_single_create_in_the_same_unit_of_work_follows(db):
    """Bulk rows bypass the ORM; the session goes on working with them."""
    with db.session() as s:
        ids = add_contacts(s, people()[:2]).ids
        other = create_contact_in(s, ContactData(given_name="After", company="Firm 0"))
        assert s.get(Contact, other).company_id == s.get(Contact, ids[0]).company_id
        assert other > max(ids)


def test_raw_inserts_store_what_the_orm_stores(db):
    """Dates and yes/no values pass through SQLAlchemy's own conversions, however many
    statements the rows take."""
    from crmdesk.core.storage.raw_inserts import insert_rows

    when = [datetime(2026, 1, 2, 3, 4, 5), datetime(2026, 1, 2, 3, 4, 5, 678)]
    with db.session() as s:
        cid = create_contact_in(s, ContactData(given_name="Rows"))
        rows = [{"contact_id": cid, "company_id": None, "label": f"#{i}", "number": str(i),
                 "e164": None, "is_primary": i == 0, "position": i} for i in range(7)]
        insert_rows(s, Phone.__table__, rows, per=3)
        insert_rows(s, StatusChange.__table__, [
            {"contact_id": cid, "old_status_id": None, "new_status_id": None,
             "changed_at": w} for w in when])
        s.add_all([StatusChange(contact_id=cid, changed_at=w) for w in when])
        s.flush()
        assert [tuple(r) for r in s.execute(text(
            "SELECT label, number, is_primary, position FROM phone ORDER BY id"))] == \
            [(f"#{i}", str(i), int(i == 0), i) for i in range(7)]
        stored = [r[0] for r in s.execute(text("SELECT changed_at FROM status_change "
                                               "ORDER BY id"))]
        assert stored[:2] == stored[2:] == ["2026-01-02 03:04:05.000000",
                                            "2026-01-02 03:04:05.000678"]


# -- the quick paths -------------------------------------------------------------------------


def test_few_collections_freezes_until_the_outermost_ends():
    import gc

    from crmdesk.core.contacts.bulk_rows import few_collections

    before = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    with few_collections() as freeze:
        assert gc.get_threshold()[0] >= 20_000
        kept = [[i] for i in range(1000)]
        freeze()
        assert gc.get_freeze_count() >= before + 1000
        with few_collections():
            pass
        assert gc.get_freeze_count() >= before + 1000  # the inner one did not unfreeze
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds
    assert len(kept) == 1000


@pytest.mark.parametrize("number", ["+370 612 34567", "(212) 555-0100", "８ ６１２ ３４５６７",
                                    "+7 916 123-45-67 ext. 5", "12", "abc", "", "٠١٢٣٤٥٦٧٨٩"])
def test_phone_digits_and_e164_as_the_slow_functions_give_them(number):
    from crmdesk.core.contacts.bulk_rows import _digits
    from crmdesk.core.text.folding import digits
    from crmdesk.core.text.validation import normalize_phone, phone_e164

    assert _digits(number) == digits(number)
    assert phone_e164(number, "LT") == normalize_phone(number, "LT")[0] if number.strip() \
        else phone_e164(number, "LT") is None


@pytest.mark.parametrize("language", ["", "en", "lt", "ru", "zh", "de"])
def test_remembered_sort_keys_are_name_sort_key(language):
    from crmdesk.core.contacts.bulk_rows import Settings, _sort_key
    from crmdesk.core.text.collation import name_sort_key

    settings = Settings(region="", collation=language, fields={}, now=datetime(2026, 1, 1))
    names = [("Žydrūnas", "", "Šimkus"), ("Пётр", "Ильич", "Чайковский"), ("小明", "", "王"),
             ("", "", ""), ("", "", "单"), ("Ann", "", ""), (" ", "", " "), ("Ėglė", "", "Čiurlionytė"),
             ("Ann", "Q", "Lee"), ("Zoë", "", "O'Brien")] * 2
    for given, middle, family in names:
        data = ContactData(given_name=given, middle_name=middle, family_name=family,
                           nickname="Nick" if not given else "")
        shown = data.name() or "Firm"
        assert _sort_key(settings, data, shown) == name_sort_key(
            given=given, middle=middle, family=family, fallback=shown, language=language)


def test_quick_handoffs_are_restored_when_the_last_ends():
    import sys

    from crmdesk.core.contacts.bulk import quick_handoffs

    before = sys.getswitchinterval()
    with quick_handoffs():
        assert sys.getswitchinterval() == pytest.approx(0.0005)
        with quick_handoffs():
            pass
        assert sys.getswitchinterval() == pytest.approx(0.0005)
    assert sys.getswitchinterval() == before
