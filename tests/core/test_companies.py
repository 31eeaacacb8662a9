"""Company services and the editable drop-down lists."""

from __future__ import annotations

import pytest

from crmdesk.core.companies.records import (
    CompanyData,
    company_contact_ids,
    company_ids,
    company_names,
    company_summaries,
    create_company,
    get_company,
    purge_companies,
    restore_companies,
    trash_companies,
    update_company,
)
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    PhoneData,
    create_contact,
    get_contact,
)
from crmdesk.core.errors import CrmdeskError, ValidationError
from crmdesk.core.lists.choices import (
    add_choice,
    archive_choice,
    list_choices,
    move_choice,
    rename_choice,
    usage_count,
)
from crmdesk.core.storage.models import SOURCE, STATUS


def test_contacts_join_the_company_of_the_same_name(db):
    a = create_contact(db, ContactData(given_name="A", company="Žalgiris UAB"))
    b = create_contact(db, ContactData(given_name="B", company="ŽALGIRIS uab "))
    cid = get_contact(db, a).company_id
    assert cid and get_contact(db, b).company_id == cid
    with db.reading() as s:
        assert company_contact_ids(s, cid) == [a, b]
        assert company_names(s) == ["Žalgiris UAB"]
        assert company_summaries(s, [cid])[0].contacts == 2


def test_company_round_trip_and_search(db):
    cid = create_company(db, CompanyData(
        name="上海贸易有限公司", industry="Trade",
        phones=[PhoneData("+86 21 6123 4567")],
        addresses=[AddressData("南京东路 100号", "上海", "", "200001", "CN")]))
    got = get_company(db, cid)
    assert got.phones[0].e164 == "+862161234567"
    assert got.addresses[0].city == "上海"
    with db.reading() as s:
        assert company_ids(s, "贸易") == [cid]
        assert company_ids(s, "zz") == []
        assert company_summaries(s, [cid])[0].city == "上海"


def test_company_validation(db):
    with pytest.raises(ValidationError) as err:
        create_company(db, CompanyData(name="  "))
    assert "needs a name" in str(err.value)


def test_company_trash_restore_purge_keeps_contacts(db):
    a = create_contact(db, ContactData(given_name="A", company="Acme"))
    cid = get_contact(db, a).company_id
    trash_companies(db, [cid])
    with db.reading() as s:
        assert company_ids(s) == [] and company_ids(s, trash=True) == [cid]
    with pytest.raises(CrmdeskError):
        purge_companies(db, [create_company(db, CompanyData(name="Live"))])
    restore_companies(db, [cid])
    trash_companies(db, [cid])
    purge_companies(db, [cid])
    contact = get_contact(db, a)
    assert contact.company == "" and contact.company_id is None
    assert contact.display_name == "A"


def test_update_company(db):
    cid = create_company(db, CompanyData(name="Old"))
    data = get_company(db, cid)
    data.name = "New"
    data.industry = "Retail"
    update_company(db, cid, data)
    assert get_company(db, cid).name == "New"


def test_choice_lists_are_editable(db):
    with db.session() as s:
        names = [c.name for c in list_choices(s, STATUS)]
        assert names[:3] == ["Lead", "Prospect", "Customer"]
        assert "Referral" in [c.name for c in list_choices(s, SOURCE)]
        new = add_choice(s, STATUS, "Dormant")
        assert add_choice(s, STATUS, "dormant") == new  # no duplicate
        with pytest.raises(CrmdeskError):
            rename_choice(s, new, "lead")  # clashes with Lead
        with pytest.raises(CrmdeskError):
            rename_choice(s, new, "  ")
        rename_choice(s, new, "Sleeping")
        ids = [c.id for c in list_choices(s, STATUS)]
        move_choice(s, STATUS, [ids[-1], *ids[:-1]])
        assert list_choices(s, STATUS)[0].name == "Sleeping"
        archive_choice(s, new)
        assert "Sleeping" not in [c.name for c in list_choices(s, STATUS)]
        assert "Sleeping" in [c.name for c in list_choices(s, STATUS, include_archived=True)]
    cid = create_contact(db, ContactData(given_name="A", status="Sleeping"))
    assert get_contact(db, cid).status == "Sleeping"  # archived entries come back when used
    with db.reading() as s:
        assert usage_count(s, new) == 1
