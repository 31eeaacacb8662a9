"""Contacts that are probably one person: the same e-mail or phone, the same name in
another script (Иванов / Ivanov), a similar spelling (Petraitis / Petraitys); each
pair with a score and its reasons; and new records checked against the file."""

from __future__ import annotations

from crmdesk.core.contacts.duplicates import find_duplicates, looks_like, name_key
from crmdesk.core.contacts.records import (
    ContactData,
    EmailData,
    PhoneData,
    create_contact,
    trash_contacts,
)


def people(db):
    ids = {}
    for key, data in {
        "ivanov_ru": ContactData(given_name="Иван", family_name="Иванов", company="ООО Ромашка"),
        "ivanov_en": ContactData(given_name="Ivan", family_name="Ivanov", company="ООО Ромашка"),
        "petraitis": ContactData(given_name="Jonas", family_name="Petraitis",
                                 emails=[EmailData("jonas@example.lt")]),
        "petraitys": ContactData(given_name="Jonas", family_name="Petraitys"),
        "mail_twin": ContactData(given_name="J.", family_name="P.",
                                 emails=[EmailData("JONAS@example.lt")]),
        "phone_a": ContactData(given_name="Ona", phones=[PhoneData("+370 612 34567")]),
        "phone_b": ContactData(given_name="Onutė", phones=[PhoneData("+370 (612) 345-67")]),
        "alone": ContactData(given_name="Zygmunt", family_name="Nowak"),
        "wang": ContactData(given_name="小明", family_name="王", name_order="family_first"),
    }.items():
        ids[key] = create_contact(db, data)
    return ids


def pair(matches, a, b):
    key = (min(a, b), max(a, b))
    return next((m for m in matches if (m.first, m.second) == key), None)


def test_name_keys_in_any_script():
    assert name_key("Иван", "Иванов") == name_key("Ivan", "Ivanov") == "ivan ivanov"
    assert name_key("Ivanov", "Ivan") == "ivan ivanov"  # the parts swapped
    assert name_key("Jonas", "Žukauskas") == name_key("Jonas", "Zukauskas")


def test_the_duplicates_of_a_file(db):
    ids = people(db)
    with db.reading() as s:
        matches = find_duplicates(s)
    same_name = pair(matches, ids["ivanov_ru"], ids["ivanov_en"])
    assert same_name is not None and same_name.score >= 90
    assert same_name.reason_text() == "the same name, the same company"
    mail = pair(matches, ids["petraitis"], ids["mail_twin"])
    assert mail is not None and mail.score == 100 and "the same e-mail" in mail.reason_text()
    phone = pair(matches, ids["phone_a"], ids["phone_b"])
    assert phone is not None and "the same phone" in phone.reason_text()
    similar = pair(matches, ids["petraitis"], ids["petraitys"])
    assert similar is not None and "a similar name" in similar.reason_text()
    assert all(ids["alone"] not in (m.first, m.second) for m in matches)
    assert all(ids["wang"] not in (m.first, m.second) for m in matches)
    # the likeliest first
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_the_trash_is_left_out(db):
    ids = people(db)
    trash_contacts(db, [ids["ivanov_en"]])
    with db.reading() as s:
        matches = find_duplicates(s)
    assert pair(matches, ids["ivanov_ru"], ids["ivanov_en"]) is None


def test_a_new_record_that_looks_like_one_in_the_file(db):
    ids = people(db)
    records = [ContactData(given_name="IVAN", family_name="IVANOV"),
               ContactData(given_name="Someone", emails=[EmailData("jonas@EXAMPLE.lt")]),
               ContactData(given_name="Brand", family_name="New")]
    with db.reading() as s:
        found = looks_like(s, records, "LT")
    assert {m.second for m in found[0]} == {ids["ivanov_ru"], ids["ivanov_en"]}
    assert {m.second for m in found[1]} >= {ids["petraitis"], ids["mail_twin"]}
    assert found[2] == []


def test_similar_contacts_through_indexes(db):
    from crmdesk.core.contacts.duplicates import similar_contacts

    ids = people(db)
    with db.reading() as s:
        same_name = similar_contacts(s, ContactData(given_name="jonas", family_name="PETRAITIS"))
        assert [m.second for m in same_name] == [ids["petraitis"]]
        by_mail = similar_contacts(s, ContactData(given_name="X",
                                                  emails=[EmailData("Jonas@Example.LT")]))
        assert {m.second for m in by_mail} == {ids["petraitis"], ids["mail_twin"]}
        by_phone = similar_contacts(s, ContactData(phones=[PhoneData("8 612 34567")]),
                                    region="LT")
        assert {m.second for m in by_phone} == {ids["phone_a"], ids["phone_b"]}
        # itself, when editing it, is not a duplicate
        assert similar_contacts(s, ContactData(given_name="Zygmunt", family_name="Nowak"),
                                exclude=ids["alone"]) == []
