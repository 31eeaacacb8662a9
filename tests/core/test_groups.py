"""Groups: saved lookups and static groups, their live counts and members, the
group:NAME lookup term, and tags for a whole selection."""

from __future__ import annotations

import pytest

from crmdesk.core.changes import CONTACTS, GROUPS
from crmdesk.core.contacts import groups
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    create_contact,
    trash_contacts,
)
from crmdesk.core.contacts.tagging import add_tag, remove_tag
from crmdesk.core.errors import CrmdeskError, NotFoundError, QuerySyntaxError
from crmdesk.core.fields.info import NUMBER
from crmdesk.core.fields.service import add_field, count_values, delete_field
from crmdesk.core.fields.values import set_values
from crmdesk.core.lookup.query import CONTACT, find_ids, lookup_problem
from crmdesk.core.storage.field_models import CONTACT as FIELD_CONTACT


def person(db, given, family, city="", status="", tags=()):
    return create_contact(db, ContactData(
        given_name=given, family_name=family, status=status, tags=list(tags),
        addresses=[AddressData(city=city, primary=True)] if city else []))


@pytest.fixture
def people(db):
    return {
        "ona": person(db, "Ona", "Jonaitė", "Kaunas", "Customer"),
        "jonas": person(db, "Jonas", "Petraitis", "Kaunas", "Lead"),
        "ruta": person(db, "Rūta", "Kazlauskienė", "Vilnius", "Customer"),
        "ivan": person(db, "Иван", "Петров", "Kaunas", "Customer"),
    }


def test_a_saved_lookup_counts_and_lists_whom_it_finds_now(db, people):
    with db.session() as s:
        g = groups.save_lookup_group(s, "Kaunas customers", "city:Kaunas status:customer")
    with db.reading() as s:
        assert [c.count for c in groups.counts(s)] == [2]
        assert groups.member_ids(s, g.id) == find_ids(
            s, CONTACT, "city:Kaunas status:customer", strict=True)
        assert set(groups.member_ids(s, g.id)) == {people["ona"], people["ivan"]}
    person(db, "Eglė", "Naujoji", "Kaunas", "Customer")  # a new one joins by itself
    with db.reading() as s:
        assert groups.count_members(s, g.id) == 3


def test_the_trash_is_in_no_group(db, people):
    with db.session() as s:
        lookup = groups.save_lookup_group(s, "Kaunas", "city:Kaunas")
        static = groups.create_static_group(s, "Call back", [people["ona"], people["ruta"]])
    trash_contacts(db, [people["ona"]])
    with db.reading() as s:
        assert groups.count_members(s, lookup.id) == 2
        assert groups.count_members(s, static.id) == 1
        assert groups.member_ids(s, static.id) == [people["ruta"]]


def test_names_are_unique_folded_and_not_empty(db, people):
    with db.session() as s:
        groups.save_lookup_group(s, "Kaunas VIP", "city:Kaunas")
    with db.session() as s, pytest.raises(CrmdeskError, match="already a group named"):
        groups.create_static_group(s, "  kaunas   vip ")
    with db.session() as s, pytest.raises(CrmdeskError, match="needs a name"):
        groups.save_lookup_group(s, "   ", "city:Kaunas")
    with db.session() as s, pytest.raises(CrmdeskError, match="too long"):
        groups.create_static_group(s, "x" * 201)
    with db.reading() as s:
        assert [g.name for g in groups.list_groups(s)] == ["Kaunas VIP"]
        assert groups.group_named(s, "KAUNAS vip").name == "Kaunas VIP"


def test_a_lookup_with_a_problem_is_not_saved(db, people):
    with db.session() as s, pytest.raises(QuerySyntaxError, match="Unknown field 'ctiy'"):
        groups.save_lookup_group(s, "Typo", "ctiy:Kaunas")
    with db.session() as s, pytest.raises(CrmdeskError, match="empty one finds every"):
        groups.save_lookup_group(s, "All", "  ")
    with db.reading() as s:
        assert groups.list_groups(s) == []


def test_group_term_in_any_lookup(db, people):
    with db.session() as s:
        groups.create_static_group(s, "Kaunas VIP", [people["ona"], people["jonas"],
                                                     people["ruta"]])
        groups.save_lookup_group(s, "Customers", "status:customer")
    with db.reading() as s:
        assert set(find_ids(s, CONTACT, 'group:"kaunas vip" city:Kaunas', strict=True)) == {
            people["ona"], people["jonas"]}
        assert set(find_ids(s, CONTACT, 'group:"Kaunas VIP" -group:customers',
                            strict=True)) == {people["jonas"]}
        # A lookup group may name another group.
        g = groups.save_lookup_group(s, "VIP customers", 'group:"Kaunas VIP" group:Customers')
        assert set(groups.member_ids(s, g.id)) == {people["ona"], people["ruta"]}
        problem = lookup_problem(s, CONTACT, "group:Nobody")
        assert problem is not None and "no group named 'Nobody'" in problem.message


def test_a_group_that_refers_to_itself_does_not_loop(db, people):
    from crmdesk.core.storage.models import ContactGroup

    with db.session() as s:
        a = groups.save_lookup_group(s, "A", "city:Kaunas")
        b = groups.save_lookup_group(s, "B", "group:A")
        # Written by hand (or by an older program): A now names B, which names A.
        s.get(ContactGroup, a.id).query = "group:B status:customer"
    with db.reading() as s:
        by_id = {c.group_id: c for c in groups.counts(s)}
        assert by_id[a.id].count is None and "refers to itself" in by_id[a.id].problem
        assert by_id[b.id].count is None
        with pytest.raises(QuerySyntaxError, match="refers to itself"):
            find_ids(s, CONTACT, "group:A", strict=True)
        # The search box reads it as plain words instead of hanging.
        assert find_ids(s, CONTACT, "group:A", strict=False) == []


def test_a_group_whose_custom_field_was_deleted_says_so(db, people):
    with db.session() as s:
        field = add_field(s, FIELD_CONTACT, "Fleet size", NUMBER)
        set_values(s, FIELD_CONTACT, people["ona"], {"fleet_size": "12"})
        g = groups.save_lookup_group(s, "Big fleets", "fleet_size>10")
    with db.reading() as s:
        assert groups.count_members(s, g.id) == 1
    with db.session() as s:
        delete_field(s, field.id, confirmed_count=count_values(s, field.id))
    with db.reading() as s:
        [count] = groups.counts(s)
        assert count.count is None and "Unknown field 'fleet_size'" in count.problem
        with pytest.raises(QuerySyntaxError):
            groups.count_members(s, g.id)


def test_static_members_by_hand(db, people):
    with db.session() as s:
        g = groups.create_static_group(s, "Call back")
        changes = groups.add_members(s, g.id, [people["ona"], people["ivan"], 99999])
        assert changes.ids(GROUPS) == {g.id}
        assert not groups.add_members(s, g.id, [people["ona"]])  # already in it: nothing
    with db.reading() as s:
        assert groups.count_members(s, g.id) == 2
    with db.session() as s:
        groups.remove_members(s, g.id, [people["ona"]])
    with db.reading() as s:
        assert groups.member_ids(s, g.id) == [people["ivan"]]
    with db.session() as s:
        lookup = groups.save_lookup_group(s, "Kaunas", "city:Kaunas")
    with db.session() as s, pytest.raises(CrmdeskError, match="saved lookup"):
        groups.add_members(s, lookup.id, [people["ruta"]])


def test_rename_reorder_delete(db, people):
    with db.session() as s:
        a = groups.save_lookup_group(s, "Kaunas", "city:Kaunas")
        b = groups.create_static_group(s, "Call back", [people["ruta"]])
        c = groups.save_lookup_group(s, "Kaunas leads", "group:Kaunas status:lead")
    with db.session() as s:
        changes = groups.rename_group(s, a.id, "Kaunas people")
        assert changes.ids(GROUPS) == {a.id, c.id}  # c names it: it follows
    with db.reading() as s:
        assert groups.group_by_id(s, c.id).query == 'group:"Kaunas people" status:lead'
        assert groups.member_ids(s, c.id) == [people["jonas"]]
    with db.session() as s, pytest.raises(CrmdeskError, match="already a group"):
        groups.rename_group(s, a.id, "call BACK")
    with db.session() as s:
        groups.rename_group(s, a.id, "kaunas PEOPLE")  # its own name in other letters: fine
        groups.move_group(s, c.id, -5)
    with db.reading() as s:
        assert [g.id for g in groups.list_groups(s)] == [c.id, a.id, b.id]
    with db.session() as s:
        groups.move_group(s, c.id, 1)
        groups.delete_group(s, b.id)
    with db.reading() as s:
        assert [g.id for g in groups.list_groups(s)] == [a.id, c.id]
        with pytest.raises(NotFoundError, match="no group named 'Call back'"):
            groups.group_named(s, "Call back")
    with db.session() as s, pytest.raises(NotFoundError, match="no longer exists"):
        groups.delete_group(s, b.id)
    with db.reading() as s:  # contacts stay when their group goes
        assert len(find_ids(s, CONTACT, "", strict=True)) == 4


def test_a_tag_for_a_selection_is_one_transaction_and_searchable(db, people):
    ids = [people["ona"], people["jonas"]]
    with db.session() as s:
        done = add_tag(s, ids + [people["ona"]], "Trade show 2026")
        assert (done.changed, done.asked) == (2, 2)
        assert done.changes.ids(CONTACTS) == set(ids)
    with db.reading() as s:
        assert set(find_ids(s, CONTACT, 'tag:"trade show 2026"', strict=True)) == set(ids)
        assert set(find_ids(s, CONTACT, "trade show", strict=True)) == set(ids)
    with db.session() as s:
        again = add_tag(s, ids, "TRADE show 2026")  # the same tag: nobody changes
        assert again.changed == 0 and not again.changes
        gone = remove_tag(s, [people["ona"], people["ruta"]], "trade show 2026")
        assert (gone.tag, gone.changed) == ("Trade show 2026", 1)
    with db.reading() as s:
        assert find_ids(s, CONTACT, "trade show", strict=True) == [people["jonas"]]
    with db.session() as s, pytest.raises(CrmdeskError, match="needs a name"):
        add_tag(s, ids, "  ")


def test_a_failed_tag_leaves_nothing(db, people):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), db.session() as s:
        add_tag(s, [people["ona"], people["jonas"]], "half")
        raise Boom
    with db.reading() as s:
        assert find_ids(s, CONTACT, "tag:half", strict=True) == []


@pytest.mark.parametrize("name", ['Ann\'s "best" (VIP)', "city:Kaunas", "Ž-ūkis\\2026",
                                  "OR", "клиенты Москва"])
def test_any_name_is_a_lookup_term(db, people, name):
    with db.session() as s:
        g = groups.create_static_group(s, name, [people["ruta"]])
    with db.reading() as s:
        assert g.term.startswith("group:")
        assert find_ids(s, CONTACT, g.term, strict=True) == [people["ruta"]]
        assert groups.member_ids(s, g.id) == [people["ruta"]]


def test_has_group_is_being_in_a_static_group(db, people):
    with db.session() as s:
        groups.create_static_group(s, "A", [people["ona"]])
        groups.create_static_group(s, "B", [people["ona"], people["ivan"]])
    with db.reading() as s:
        assert set(find_ids(s, CONTACT, "has:group", strict=True)) == {people["ona"],
                                                                      people["ivan"]}
        assert set(find_ids(s, CONTACT, "missing:group", strict=True)) == {
            people["jonas"], people["ruta"]}


def test_the_lookup_builder_offers_the_groups_in_the_navigations_order(db, people):
    from crmdesk.core.lookup.builder import field_specs

    with db.session() as s:
        groups.save_lookup_group(s, "Vilnius", "city:Vilnius")
        second = groups.create_static_group(s, "Kalėdų atvirukai").id
        groups.move_group(s, second, -1)
    with db.reading() as s:
        group = {spec.key: spec for spec in field_specs(s, CONTACT)}["group"]
    assert group.choices == ("Kalėdų atvirukai", "Vilnius")
