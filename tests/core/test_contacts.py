"""Contact services: what is saved is what the user typed, checked, and nothing is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crmdesk.core.changes import CONTACTS
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    DateData,
    EmailData,
    LinkData,
    PhoneData,
    RelativeData,
    all_tags,
    count_contacts,
    create_contact,
    empty_trash,
    get_contact,
    purge_contacts,
    restore_contacts,
    set_collation,
    summaries,
    tag_contacts,
    trash_contacts,
    untag_contacts,
    update_contact,
    validate,
)
from crmdesk.core.errors import CrmdeskError, NotFoundError, ValidationError
from crmdesk.core.lists.choices import list_choices, rename_choice
from crmdesk.core.lookup.listing import contact_ids as search_contact_ids
from crmdesk.core.storage.models import STATUS, Contact, StatusChange


def full_contact() -> ContactData:
    return ContactData(
        prefix="Dr.", given_name="Ivan", middle_name="Sergeyevich", family_name="Petrov",
        suffix="Jr.", nickname="Vanya", company="Romashka LLC", job_title="Director",
        department="Sales", birthday_month=2, birthday_day=29, status="Customer",
        source="Referral", notes="Prefers calls in the morning.\nSecond line.",
        phones=[PhoneData("+7 (495) 123-45-67", "work"), PhoneData("8 916 123 45 67", "mobile",
                                                                  primary=True)],
        emails=[EmailData("Ivan.Petrov@Romashka.RU", "work")],
        addresses=[AddressData("ul. Tverskaya 7\napt. 12", "Moscow", "Moscow", "125009", "ru",
                               "work")],
        links=[LinkData("https://romashka.ru", "web")],
        dates=[DateData("Name day", 1, 20)],
        relatives=[RelativeData("spouse", "Olga")],
        tags=["VIP", "newsletter"],
        photo=b"\x89PNG fake", photo_mime="image/png",
    )


def test_round_trip_of_every_field(db):
    from crmdesk.core.storage.settings import set_setting

    with db.session() as s:
        set_setting(s, "phone_region", "RU")
    cid = create_contact(db, full_contact())
    got = get_contact(db, cid)
    assert got.display_name == "Dr. Ivan Sergeyevich Petrov Jr."
    assert got.company == "Romashka LLC" and got.company_id
    assert [p.e164 for p in got.phones] == ["+74951234567", "+79161234567"]
    assert [p.primary for p in got.phones] == [False, True]
    assert got.emails[0].address == "Ivan.Petrov@Romashka.RU" and got.emails[0].primary
    assert got.addresses[0].country == "RU"
    assert got.addresses[0].street == "ul. Tverskaya 7\napt. 12"
    assert (got.birthday_year, got.birthday_month, got.birthday_day) == (None, 2, 29)
    assert got.tags == ["newsletter", "VIP"]
    assert got.status == "Customer" and got.source == "Referral"
    assert got.dates == [DateData("Name day", 1, 20, None)]
    assert got.relatives == [RelativeData("spouse", "Olga", None)]
    assert got.photo == b"\x89PNG fake" and got.photo_mime == "image/png"
    assert got.created_at and got.updated_at


def test_family_first_names_print_without_space_in_chinese(db):
    cid = create_contact(db, ContactData(given_name="小明", family_name="王",
                                         name_order="family_first"))
    assert get_contact(db, cid).display_name == "王小明"
    cid = create_contact(db, ContactData(given_name="Taro", family_name="Yamada",
                                         name_order="family_first"))
    assert get_contact(db, cid).display_name == "Yamada Taro"


def test_invalid_email_is_refused_with_its_reason_and_nothing_saved(db):
    data = ContactData(given_name="Ann", emails=[EmailData("ann@@example")])
    with pytest.raises(ValidationError) as err:
        create_contact(db, data)
    problem = err.value.problems[0]
    assert problem.field == "emails" and problem.index == 0
    assert "ann@@example" in problem.message
    with db.reading() as s:
        assert count_contacts(s) == 0


def test_unreadable_phone_is_a_warning_and_kept_as_typed(db):
    data = ContactData(given_name="Bob", phones=[PhoneData("ext. 12 at reception")])
    problems = validate(data)
    assert [p.severity for p in problems] == ["warning"]
    cid = create_contact(db, data)
    phone = get_contact(db, cid).phones[0]
    assert phone.number == "ext. 12 at reception" and phone.e164 is None


def test_phone_without_digits_is_an_error(db):
    with pytest.raises(ValidationError) as err:
        create_contact(db, ContactData(given_name="C", phones=[PhoneData("call me")]))
    assert "no digits" in str(err.value)


@pytest.mark.parametrize("data, fragment", [
    (ContactData(), "needs a name"),
    (ContactData(given_name="x" * 201), "too long"),
    (ContactData(given_name="A", birthday_month=2, birthday_day=30), "no day 30"),
    (ContactData(given_name="A", birthday_month=2, birthday_day=29, birthday_year=2023),
     "no day 29"),
    (ContactData(given_name="A", birthday_month=13, birthday_day=1), "no month 13"),
    (ContactData(given_name="A", birthday_day=1), "both a day and a month"),
    (ContactData(given_name="A", addresses=[AddressData(city="Riga", country="XX")]),
     "not a country code"),
    (ContactData(given_name="A", addresses=[AddressData()]), "address is empty"),
    (ContactData(given_name="A", links=[LinkData("not a url")]), "spaces"),
    (ContactData(given_name="A", relatives=[RelativeData("child")]), "needs a name"),
    (ContactData(given_name="A", photo=b"x" * (11 * 1024 * 1024)), "too large"),
    (ContactData(given_name="A", name_order="sideways"), "name order"),
])
def test_bad_values_get_clear_messages(db, data, fragment):
    with pytest.raises(ValidationError) as err:
        create_contact(db, data)
    assert fragment in str(err.value)


def test_company_only_contact_and_huge_notes(db):
    cid = create_contact(db, ContactData(company="Acme", notes="n" * 1_000_000))
    got = get_contact(db, cid)
    assert got.display_name == "Acme" and len(got.notes) == 1_000_000


def test_update_writes_only_what_changed(db):
    cid = create_contact(db, full_contact())
    snapshot = get_contact(db, cid)
    edited = get_contact(db, cid)
    edited.job_title = "CEO"
    # Meanwhile another window changed the phones: a patch must not undo that.
    other = get_contact(db, cid)
    other.phones = [PhoneData("+370 612 34567")]
    update_contact(db, cid, other)
    update_contact(db, cid, edited, original=snapshot)
    got = get_contact(db, cid)
    assert got.job_title == "CEO"
    assert [p.number for p in got.phones] == ["+370 612 34567"]


def test_status_changes_are_recorded_with_dates(db):
    cid = create_contact(db, ContactData(given_name="Lead", status="Lead"))
    data = get_contact(db, cid)
    data.status = "Customer"
    update_contact(db, cid, data)
    with db.reading() as s:
        changes = s.scalars(select(StatusChange).where(StatusChange.contact_id == cid)
                            .order_by(StatusChange.id)).all()
        names = {c.id: c.name for c in list_choices(s, STATUS)}
        assert [(names.get(c.old_status_id), names.get(c.new_status_id)) for c in changes] == [
            (None, "Lead"), ("Lead", "Customer")]
        assert all(c.changed_at for c in changes)


def test_renaming_a_status_shows_everywhere(db):
    cid = create_contact(db, ContactData(given_name="A", status="Customer"))
    with db.session() as s:
        choice = next(c for c in list_choices(s, STATUS) if c.name == "Customer")
        rename_choice(s, choice.id, "Client")
    assert get_contact(db, cid).status == "Client"


def test_unknown_status_is_added_to_the_list(db):
    create_contact(db, ContactData(given_name="A", status="Dormant"))
    with db.reading() as s:
        assert "Dormant" in [c.name for c in list_choices(s, STATUS)]


def test_trash_restore_purge(db):
    a = create_contact(db, ContactData(given_name="A"))
    b = create_contact(db, ContactData(given_name="B"))
    change = trash_contacts(db, [a, 999])
    assert change.removed(CONTACTS) == {a} and change.ids(CONTACTS) == {a}
    with db.reading() as s:
        assert count_contacts(s) == 1 and count_contacts(s, trash=True) == 1
    with pytest.raises(CrmdeskError):
        purge_contacts(db, [b])  # not in the trash
    restore_contacts(db, [a])
    with db.reading() as s:
        assert count_contacts(s) == 2
    trash_contacts(db, [a, b])
    purge_contacts(db, [a])
    with pytest.raises(NotFoundError):
        get_contact(db, a)
    empty_trash(db)
    with db.reading() as s:
        assert s.scalar(select(Contact.id)) is None


def test_tag_and_untag_many(db):
    ids = [create_contact(db, ContactData(given_name=f"P{i}")) for i in range(5)]
    tag_contacts(db, ids[:3], "Trade show 2026")
    tag_contacts(db, ids[:3], "trade SHOW 2026")  # same tag, no duplicate
    with db.reading() as s:
        assert all_tags(s) == ["Trade show 2026"]
        assert search_contact_ids(s, "trade show") == ids[:3]  # P0, P1, P2 by name
    untag_contacts(db, ids[:1], "Trade show 2026")
    with db.reading() as s:
        assert search_contact_ids(s, "trade show") == ids[1:3]
    assert get_contact(db, ids[1]).tags == ["Trade show 2026"]


def test_summaries_in_the_order_asked(db):
    a = create_contact(db, full_contact())
    b = create_contact(db, ContactData(given_name="Zed"))
    with db.reading() as s:
        rows = summaries(s, [b, a])
    assert [r.id for r in rows] == [b, a]
    assert rows[1].phone == "8 916 123 45 67" and rows[1].email == "Ivan.Petrov@Romashka.RU"
    assert rows[1].city == "Moscow" and rows[1].company == "Romashka LLC"


def test_collation_orders_the_list_by_the_language(db):
    for family in ("Žalys", "Zuikis", "Šimkus", "Sabonis", "Čepas", "Cibulskis"):
        create_contact(db, ContactData(given_name="A", family_name=family))

    def order():
        with db.reading() as s:
            return [r.name.split()[1] for r in summaries(s, search_contact_ids(s, ""))]

    set_collation(db, "lt")
    assert order() == ["Cibulskis", "Čepas", "Sabonis", "Šimkus", "Zuikis", "Žalys"]
    set_collation(db, "en")
    assert order() == ["Čepas", "Cibulskis", "Sabonis", "Šimkus", "Žalys", "Zuikis"]


def test_trash_restore_purge_and_tag_tens_of_thousands_at_once(db):
    """More ids than SQLite takes in one IN (...) list."""
    from sqlalchemy import insert

    with db.session() as s:
        s.execute(insert(Contact), [{"given_name": f"P{i}", "display_name": f"P{i}",
                                     "sort_key": f"p{i}"} for i in range(40_000)])
        ids = list(s.scalars(select(Contact.id)))
    tag_contacts(db, ids, "bulk")
    assert len(trash_contacts(db, ids).removed(CONTACTS)) == 40_000
    restore_contacts(db, ids)
    trash_contacts(db, ids)
    purge_contacts(db, ids[:35_000])
    assert len(empty_trash(db).removed(CONTACTS)) == 5_000
    with db.reading() as s:
        assert count_contacts(s) == 0 and count_contacts(s, trash=True) == 0
