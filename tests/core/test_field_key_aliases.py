"""A custom field is found by its label written as a key, in any script, beside its
stable transliterated key; a key (built-in or another field's) always wins."""

from __future__ import annotations

from datetime import date

import pytest

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.fields import service as fields
from crmdesk.core.fields.keys import label_key
from crmdesk.core.lookup.query import CONTACT, find_ids

TODAY = date(2026, 6, 15)


def find(db, query):
    with db.reading() as s:
        return sorted(find_ids(s, CONTACT, query, strict=True, today=TODAY))


@pytest.fixture
def crm(db):
    ids = {name: create_contact(db, ContactData(given_name=name, family_name="Test"))
           for name in ("ona", "petras", "li", "city")}
    with db.session() as s:
        assert fields.add_field(s, "contact", "Дата договора", fields.DATE) is not None
        fields.add_field(s, "contact", "合同日期", fields.DATE)
        fields.add_field(s, "contact", "City", fields.TEXT)  # key city_2, alias "city"
        fields.add_field(s, "contact", "Fleet size", fields.NUMBER)
        fields.add_field(s, "contact", "fleet-size", fields.NUMBER)  # alias = the key above
        keys = {f.label: f.key for f in fields.describe_fields(s, "contact")}
        assert keys["Дата договора"] == "data_dogovora"
        assert keys["City"] != "city"
        cn = keys["合同日期"]
        assert fields.set_values(s, "contact", ids["ona"], {"data_dogovora": "2026-06-03"}) == []
        assert fields.set_values(s, "contact", ids["petras"], {"data_dogovora": "2025-01-09"}) == []
        assert fields.set_values(s, "contact", ids["li"], {cn: "2026-06-20"}) == []
        assert fields.set_values(s, "contact", ids["city"], {keys["City"]: "Kaunas",
                                                             "fleet_size": 4,
                                                             keys["fleet-size"]: 9}) == []
    ids["cn_key"] = cn  # type: ignore[assignment]
    return ids


def test_label_key():
    assert label_key("Дата договора") == "дата_договора"
    assert label_key("合同日期") == "合同日期"
    assert label_key("  Įmonės kodas ") == "imones_kodas"
    assert label_key("Size (m²)") == "size_m2"
    assert label_key("!!!") == ""


def test_cyrillic_label_and_key_find_the_same(db, crm):
    by_label = find(db, "дата_договора:2026-06")
    assert by_label == [crm["ona"]]
    assert find(db, "data_dogovora:2026-06") == by_label
    assert find(db, "Дата_Договора:2026-06") == by_label
    assert find(db, "has:дата_договора") == sorted([crm["ona"], crm["petras"]])
    assert find(db, "-дата_договора:2026 has:дата_договора") == [crm["petras"]]


def test_chinese_label(db, crm):
    assert find(db, "合同日期:2026-06") == [crm["li"]]
    assert find(db, f"{crm['cn_key']}:2026-06") == [crm["li"]]
    assert find(db, "合同日期:2025") == []


def test_a_key_wins_over_a_label(db, crm):
    # "City" would be city: the built-in key keeps its meaning.
    assert find(db, "city:kaunas") == []
    # "fleet-size" would be fleet_size: the other field's key wins.
    assert find(db, "fleet_size:4") == [crm["city"]]
    assert find(db, "fleet_size:9") == []


def test_an_unknown_label_is_still_an_error(db, crm):
    with pytest.raises(QuerySyntaxError):
        find(db, "дата_рождения:2026")
