"""Company lookups: the Companies view's box speaks the same language as the contact list,
with the companies' own fields and their custom fields."""

from __future__ import annotations

from datetime import date

import pytest

from crmdesk.core.companies.records import CompanyData, create_company, trash_companies
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    EmailData,
    LinkData,
    PhoneData,
    create_contact,
)
from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.fields import service as fields
from crmdesk.core.lookup import listing
from crmdesk.core.lookup.compiler import known_keys
from crmdesk.core.lookup.query import COMPANY, find_ids


@pytest.fixture
def firms(db):
    ids = {
        "maxima": create_company(db, CompanyData(
            name="Maxima LT UAB", industry="Retail", notes="Supermarkets all over Lithuania",
            phones=[PhoneData("+370 5 246 0000")], emails=[EmailData("info@maxima.lt")],
            addresses=[AddressData("Savanorių pr. 247", "Vilnius", "", "LT-02300", "LT")],
            links=[LinkData("https://maxima.lt")])),
        "romashka": create_company(db, CompanyData(
            name="ООО Ромашка", industry="Розничная торговля",
            addresses=[AddressData("ул. Тверская, 7", "Москва", "", "125009", "RU")])),
        "shanghai": create_company(db, CompanyData(
            name="上海贸易有限公司", industry="Trade", phones=[PhoneData("+86 21 6123 4567")],
            addresses=[AddressData("南京东路 100号", "上海", "", "200001", "CN")])),
        "acme": create_company(db, CompanyData(name="Acme Logistics", industry="Logistics",
                                               emails=[EmailData("ops@acme.example")])),
    }
    for given in ("Ann", "Bob", "Cid"):
        create_contact(db, ContactData(given_name=given, family_name="Shopper",
                                       company="Maxima LT UAB"))
    create_contact(db, ContactData(given_name="Иван", family_name="Иванов",
                                   company="ООО Ромашка"))
    with db.session() as s:
        fields.add_field(s, "company", "Stores", fields.NUMBER)
        fields.add_field(s, "company", "Segment", fields.CHOICE, options=["Grocery", "B2B"])
        fields.set_values(s, "company", ids["maxima"], {"stores": 120, "segment": "Grocery"})
        fields.set_values(s, "company", ids["acme"], {"stores": 0, "segment": "B2B"})
    return ids


def find(db, query, **kw):
    with db.reading() as s:
        return find_ids(s, COMPANY, query, strict=True, today=date.today(), **kw)


def names(firms, ids):
    by_id = {v: k for k, v in firms.items()}
    return [by_id[i] for i in ids]


@pytest.mark.parametrize("query, expected", [
    ("", ["acme", "maxima", "romashka", "shanghai"]),  # by name (folded name_key)
    ("maxima", ["maxima"]),
    ("retail", ["maxima"]),  # a word: the name or the industry, as the box always did
    ("розничная", ["romashka"]),
    ("贸易", ["shanghai"]),
    ("industry:retail", ["maxima"]),
    ("industry:РОЗНИЧНАЯ", ["romashka"]),  # any case, any script
    ("industry=logistics", ["acme"]),
    ("-industry:retail", ["acme", "romashka", "shanghai"]),
    ("name:acme", ["acme"]),
    ("name:ромашка", ["romashka"]),
    ("city:vilnius", ["maxima"]),
    ("city:москва OR city:上海", ["romashka", "shanghai"]),
    ("country:LT", ["maxima"]),
    ("country:China", ["shanghai"]),
    ("postcode:lt-02300", ["maxima"]),
    ("address:тверская", ["romashka"]),
    ("phone:2460000", ["maxima"]),
    ("phone:+86", ["shanghai"]),
    ("email:maxima", ["maxima"]),
    ("has:email", ["acme", "maxima"]),
    ("missing:phone", ["acme", "romashka"]),
    ("web:maxima.lt", ["maxima"]),
    ("notes:supermarkets", ["maxima"]),
    ("contacts>2", ["maxima"]),
    ("contacts=1", ["romashka"]),
    ("missing:contacts", ["acme", "shanghai"]),
    ("created:today", ["acme", "maxima", "romashka", "shanghai"]),
    ("created<2000-01-01", []),
    ("stores>10", ["maxima"]),  # custom company fields
    ("has:stores", ["acme", "maxima"]),
    ("segment:grocery", ["maxima"]),
    ("segment:b2b industry:logistics", ["acme"]),
    ('"acme logistics"', ["acme"]),
    ("(maxima OR acme) -has:stores", []),
])
def test_company_lookups(db, firms, query, expected):
    assert names(firms, find(db, query)) == expected
    with db.reading() as s:  # the Companies view asks the same
        assert names(firms, listing.company_ids(s, query)) == expected


@pytest.mark.parametrize("query, message, position", [
    ("industri:retail", "Unknown field 'industri' at position 1 — did you mean industry?", 0),
    ("tag:vip", "Unknown field 'tag' at position 1", 0),  # companies have no tags
    ("fleet_size>1", "Unknown field 'fleet_size'", 0),
    ("store>1", "did you mean stores", 0),
    ("contacts>many", "'many' is not a number (contacts holds numbers)", 9),
    ("city<x", "city cannot be compared with '<'", 5),
    ("(city:vilnius", "The parenthesis is never closed at position 1", 0),
])
def test_company_errors_say_what_and_where(db, firms, query, message, position):
    with pytest.raises(QuerySyntaxError) as exc:
        find(db, query)
    assert message in exc.value.message
    assert exc.value.position == position
    with db.reading() as s:  # the box while typing: plain words, no error
        listing.company_ids(s, query)


def test_sorting_limit_and_trash(db, firms):
    with db.reading() as s:
        by_people = find_ids(s, COMPANY, "has:contacts", strict=True, sort="contacts",
                             descending=True)
        assert names(firms, by_people) == ["maxima", "romashka"]
        assert names(firms, find_ids(s, COMPANY, "", strict=True, limit=2)) == \
            ["acme", "maxima"]
        with pytest.raises(ValueError):
            find_ids(s, COMPANY, "", strict=True, sort="fleet_size")
    trash_companies(db, [firms["acme"]])
    assert "acme" not in names(firms, find(db, "industry:logistics OR retail"))
    assert names(firms, find(db, "industry:logistics", trash=True)) == ["acme"]


def test_known_keys_per_entity(db, firms):
    with db.reading() as s:
        keys = known_keys(s, COMPANY)
        assert {"industry", "city", "contacts", "stores", "segment"} <= set(keys)
        assert "tag" not in keys and "birthday" not in keys
        assert "kind" in known_keys(s, "history") and "stores" not in known_keys(s, "history")
        assert "stores" in known_keys(s)  # a contact lookup sees company fields too
