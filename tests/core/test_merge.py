"""Merging two records of one person keeps everything of both (every child row counted)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from crmdesk.core.changes import CONTACTS
from crmdesk.core.contacts.merge import merge_contacts, parse_prefer, plan_merge
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    DateData,
    EmailData,
    LinkData,
    PhoneData,
    RelativeData,
    create_contact,
    get_contact,
    trash_contacts,
)
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.fields import service as fields
from crmdesk.core.fields.values import get_values, set_values
from crmdesk.core.history.records import InteractionData, log_interaction
from crmdesk.core.lookup.listing import contact_ids
from crmdesk.core.storage.models import (
    GROUP_STATIC,
    Address,
    Contact,
    ContactGroup,
    Email,
    ImportantDate,
    Link,
    Phone,
    Relative,
    StatusChange,
    contact_tag,
    group_member,
    interaction_contact,
)

CHILDREN = {"phones": Phone, "emails": Email, "addresses": Address, "links": Link,
            "dates": ImportantDate, "relatives": Relative, "status": StatusChange}


def counts(s, ids):
    out = {name: s.scalar(select(func.count()).select_from(model)
                          .where(model.contact_id.in_(ids)))
           for name, model in CHILDREN.items()}
    for name, table in (("tags", contact_tag), ("history", interaction_contact),
                        ("groups", group_member)):
        out[name] = s.scalar(select(func.count()).select_from(table)
                             .where(table.c.contact_id.in_(ids)))
    return out


@pytest.fixture
def pair(db):
    with db.session() as s:
        fields.add_field(s, fields.CONTACT, "Shoe size", "number")
        fields.add_field(s, fields.CONTACT, "Hobby", "text")
    keep = create_contact(db, ContactData(
        given_name="Ivan", family_name="Ivanov", job_title="Director", status="Lead",
        notes="Likes tea.", phones=[PhoneData("+37061111111", "mobile")],
        emails=[EmailData("ivan@x.lt")], addresses=[AddressData("Gedimino 1", "Vilnius")],
        links=[LinkData("https://x.lt/ivan")], dates=[DateData("Name day", 1, 7)],
        tags=["vip"]))
    other = create_contact(db, ContactData(
        given_name="Иван", family_name="Иванов", company="ООО Ромашка", status="Customer",
        birthday_month=3, birthday_day=4, notes="Звонить утром.",
        phones=[PhoneData("+37061111111"), PhoneData("+37062222222", "work")],
        emails=[EmailData("IVAN@x.lt"), EmailData("ivan@romashka.ru")],
        addresses=[AddressData("Tverskaya 1", "Moscow", country="RU")],
        links=[LinkData("https://romashka.ru")], dates=[DateData("Anniversary", 5, 6, 2001)],
        relatives=[RelativeData("spouse", "Maria")], tags=["VIP", "moscow"]))
    friend = create_contact(db, ContactData(given_name="Friend",
                                            relatives=[RelativeData("friend", "",
                                                                    other)]))
    with db.session() as s:
        set_values(s, fields.CONTACT, keep, {"shoe_size": "42"})
        set_values(s, fields.CONTACT, other, {"shoe_size": "43", "hobby": "chess"})
        log_interaction(s, InteractionData("Call", "both", datetime(2026, 1, 5, 10),
                                           contact_ids=[keep, other]))
        log_interaction(s, InteractionData("Call", "Ivan's", datetime(2026, 1, 6, 10),
                                           contact_ids=[keep]))
        log_interaction(s, InteractionData("Meeting", "Иван's", datetime(2026, 2, 1, 10),
                                           contact_ids=[other]))
        for name, members in (("Both", [keep, other]), ("Others", [other])):
            group = ContactGroup(name=name, key=name.lower(), kind=GROUP_STATIC)
            s.add(group)
            s.flush()
            s.execute(group_member.insert(), [{"group_id": group.id, "contact_id": c}
                                              for c in members])
    return keep, other, friend


def test_a_merge_keeps_everything_of_both(db, pair):
    keep, other, friend = pair
    with db.reading() as s:
        before = counts(s, [keep, other])
        last = {c: s.get(Contact, c).last_contact_at for c in (keep, other)}
    assert last[other] > last[keep]
    with db.session() as s:
        merged = merge_contacts(s, keep, other, today=date(2026, 3, 1))
    with db.reading() as s:
        after = counts(s, [keep])
        left = counts(s, [other])  # the trashed record keeps its own copies ...
        assert (left["history"], left["groups"], left["status"]) == (0, 0, 0)  # ... these move
        values = get_values(s, fields.CONTACT, [keep])[keep]
        found = contact_ids(s, "romashka")
    # one phone and one e-mail were the same; one tag the same (vip / VIP)
    assert after["phones"] == before["phones"] - 1 == 2
    assert after["emails"] == before["emails"] - 1 == 2
    for kind in ("addresses", "links", "dates", "relatives", "status"):
        assert after[kind] == before[kind], kind
    assert after["tags"] == before["tags"] - 1 == 2
    assert after["history"] == 3  # "both" once, and each one's own
    assert after["groups"] == 2
    data = get_contact(db, keep)
    assert (data.given_name, data.job_title, data.status) == ("Ivan", "Director", "Lead")
    assert (data.company, data.birthday_month) == ("ООО Ромашка", 3)  # was empty
    assert data.notes == ("Likes tea.\n\nЗвонить утром.\n\n"
                          "Merged with Иван Иванов (contact 2) on 2026-03-01.")
    assert merged.note in data.notes
    assert float(values["shoe_size"]) == 42 and values["hobby"] == "chess"
    assert found == [keep]  # the search text follows
    assert get_contact(db, other).deleted_at is not None  # in the trash
    assert get_contact(db, friend).relatives[0].contact_id == keep
    assert data.phones[0].primary and data.phones[0].label == "mobile"
    with db.reading() as s:  # the last contact follows the history it now has
        assert s.get(Contact, keep).last_contact_at == last[other]
    assert merged.changes.removed(CONTACTS) == frozenset({other})


def test_the_other_sides_values_where_chosen(db, pair):
    keep, other, _friend = pair
    with db.session() as s:
        merge_contacts(s, keep, other, prefer_other={"given_name", "family_name", "status",
                                                     "custom:shoe_size", "notes"})
    data = get_contact(db, keep)
    assert (data.given_name, data.family_name, data.status) == ("Иван", "Иванов", "Customer")
    assert data.notes.startswith("Звонить утром.\n\nLikes tea.")
    with db.reading() as s:
        assert float(get_values(s, fields.CONTACT, [keep])[keep]["shoe_size"]) == 43
        assert contact_ids(s, "иванов") == [keep]


def test_the_plan_lists_what_differs_and_what_is_kept(db, pair):
    keep, other, _friend = pair
    with db.reading() as s:
        plan = plan_merge(s, keep, other)
    differing = {d.field: (d.this, d.that) for d in plan.differences}
    assert differing["given_name"] == ("Ivan", "Иван")
    assert differing["birthday"] == ("", "--03-04")
    assert differing["custom:shoe_size"] == ("42", "43")
    assert "job_title" not in differing  # OTHER has none: nothing to choose
    assert "Phones: 2" in plan.kept_from_both
    assert "History entries: 4" in plan.kept_from_both  # links, before the merge


def test_bad_merges_are_refused(db, pair):
    keep, other, _friend = pair
    with pytest.raises(CrmdeskError, match="itself"), db.session() as s:
        merge_contacts(s, keep, keep)
    with pytest.raises(CrmdeskError, match="no contact 99"), db.session() as s:
        merge_contacts(s, keep, 99)
    trash_contacts(db, [other])
    with pytest.raises(CrmdeskError, match="in the trash"), db.session() as s:
        merge_contacts(s, keep, other)


def test_prefer_is_read_from_the_command_line():
    assert parse_prefer(["other:company,other:birthday", "status", "other:notes"]) == {
        "company", "birthday", "status", "notes"}
    assert parse_prefer(["this:company"]) == set()
    with pytest.raises(CrmdeskError, match="Unknown field 'colour'"):
        parse_prefer(["other:colour"])
