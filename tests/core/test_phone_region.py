"""Changing the file's phone country: the numbers typed without a country code are
previewed with what they would become, and re-read (or kept) in one unit of work;
numbers typed with their code are never touched; search follows."""

from __future__ import annotations

from crmdesk.core.changes import COMPANIES, CONTACTS, SETTINGS
from crmdesk.core.companies.records import CompanyData, create_company
from crmdesk.core.contacts.records import ContactData, PhoneData, create_contact, get_contact
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.core.maintenance.phone_region import change_region, preview
from crmdesk.core.storage.settings import get_setting, set_setting


def _setup(db):
    with db.session() as s:
        set_setting(s, "phone_region", "LT")
    jonas = create_contact(db, ContactData(given_name="Jonas", family_name="Petraitis",
                                           phones=[PhoneData("8 612 34567", "mobile"),
                                                   PhoneData("+44 20 7946 0958", "work")]))
    ann = create_contact(db, ContactData(given_name="Ann", family_name="Lee",
                                         phones=[PhoneData("+1 617 555 0100")]))
    shop = create_company(db, CompanyData(name="UAB Prekyba",
                                          phones=[PhoneData("(85) 212 3456")]))
    return jonas, ann, shop


def test_the_preview_lists_only_numbers_without_a_code(db):
    jonas, ann, shop = _setup(db)
    assert get_contact(db, jonas).phones[0].e164 == "+37061234567"
    with db.reading() as s:
        found = preview(s, "LV")
    assert [(r.owner, r.number, r.before) for r in found] == [
        ("Jonas Petraitis", "8 612 34567", "+37061234567"),
        ("UAB Prekyba", "(85) 212 3456", "+37052123456"),
    ]
    # what Latvia makes of them (not a valid Latvian number: kept as typed, no form)
    assert all(r.after != r.before for r in found)
    with db.reading() as s:
        assert preview(s, "LT") == []  # the same country: nothing changes


def test_reread_changes_the_numbers_and_search_follows(db):
    jonas, ann, shop = _setup(db)
    with db.session() as s:
        changes = change_region(s, "US", reread=True)
    assert changes.touches(SETTINGS)
    assert changes.ids(CONTACTS) == {jonas} and changes.ids(COMPANIES) == {shop}
    phones = get_contact(db, jonas).phones
    assert phones[1].e164 == "+442079460958"  # typed with its code: untouched
    assert phones[0].number == "8 612 34567"  # as typed, always
    with db.reading() as s:
        assert get_setting(s, "phone_region") == "US"
        # the old international digits are no longer what finds him
        assert find_ids(s, CONTACT, "37061234567", strict=False) == []


def test_keep_changes_only_the_setting(db):
    jonas, ann, shop = _setup(db)
    with db.session() as s:
        changes = change_region(s, "US", reread=False)
    assert changes.touches(SETTINGS) and not changes.touches(CONTACTS)
    assert get_contact(db, jonas).phones[0].e164 == "+37061234567"
    with db.reading() as s:
        assert get_setting(s, "phone_region") == "US"
        assert find_ids(s, CONTACT, "37061234567", strict=False) == [jonas]


def test_no_country_leaves_such_numbers_without_a_form(db):
    jonas, ann, shop = _setup(db)
    with db.session() as s:
        change_region(s, "", reread=True)
    assert get_contact(db, jonas).phones[0].e164 is None
    assert get_contact(db, ann).phones[0].e164 == "+16175550100"
