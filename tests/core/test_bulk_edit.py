"""Bulk edit: one field of many contacts, previewed, then applied in one transaction
through the contact form's own rules."""

from __future__ import annotations

import pytest

from crmdesk.core.changes import CONTACTS
from crmdesk.core.contacts.bulk_edit import apply_edit, editable_fields, preview_edit
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    create_contact,
    get_contact,
    trash_contacts,
)
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.fields.info import CHOICE, NUMBER
from crmdesk.core.fields.service import add_field
from crmdesk.core.fields.values import get_values
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.core.storage.field_models import CONTACT as FIELD_CONTACT
from crmdesk.core.storage.models import StatusChange


@pytest.fixture
def people(db):
    ids = [
        create_contact(db, ContactData(given_name="Ona", family_name="Jonaitė",
                                       status="Lead", addresses=[AddressData(city="Kaunas")])),
        create_contact(db, ContactData(given_name="Jonas", family_name="Petraitis",
                                       status="Customer")),
        create_contact(db, ContactData(given_name="Rūta", family_name="Kazlauskienė",
                                       status="Lead",
                                       addresses=[AddressData(street="Gedimino 1",
                                                              city="Vilnius", primary=True)])),
    ]
    return ids


def test_the_fields_offered(db):
    with db.session() as s:
        add_field(s, FIELD_CONTACT, "Fleet size", NUMBER)
    with db.reading() as s:
        keys = [f.key for f in editable_fields(s)]
    assert keys[:8] == ["status", "source", "company", "job_title", "department", "city",
                        "country", "notes"]
    assert "fleet_size" in keys


def test_status_preview_then_apply(db, people):
    with db.reading() as s:
        preview = preview_edit(s, people, "status", "customer")
    assert (preview.total, preview.changing, preview.unchanged) == (3, 2, 1)
    assert [(c.name, c.before, c.after) for c in preview.sample] == [
        ("Ona Jonaitė", "Lead", "Customer"), ("Rūta Kazlauskienė", "Lead", "Customer")]
    with db.reading() as s:  # the preview wrote nothing
        assert len(find_ids(s, CONTACT, "status:customer", strict=True)) == 1
    with db.session() as s:
        result = apply_edit(s, people, "status", "customer")
    assert result.changed == 2 and result.changes.ids(CONTACTS) == {people[0], people[2]}
    with db.reading() as s:
        assert len(find_ids(s, CONTACT, "status:customer", strict=True)) == 3
        # The form's rules ran: the status history has the change.
        assert s.query(StatusChange).filter_by(contact_id=people[0]).count() == 2


def test_a_value_no_one_can_take_is_refused_whole(db, people):
    with db.reading() as s, pytest.raises(CrmdeskError, match="not in the list"):
        preview_edit(s, people, "status", "Platinum")
    with db.reading() as s, pytest.raises(CrmdeskError, match="is not a country"):
        preview_edit(s, people, "country", "Atlantis")
    with db.reading() as s, pytest.raises(CrmdeskError, match="cannot be left empty"):
        preview_edit(s, people, "notes", "")
    with db.reading() as s, pytest.raises(CrmdeskError, match="no field 'nope'"):
        preview_edit(s, people, "nope", "x")


def test_city_of_the_primary_address_and_refusals_with_reasons(db, people):
    with db.reading() as s:
        preview = preview_edit(s, people, "city", "")
    # Ona's only address holds just the city: clearing it would leave it empty.
    assert [(r.name, r.reason) for r in preview.refused] == [
        ("Ona Jonaitė", "The address would have no street, city, region or postcode.")]
    assert preview.changing == 1 and preview.unchanged == 1  # Jonas has no address
    with db.session() as s:
        result = apply_edit(s, people, "city", "")
    assert result.changed == 1 and len(result.refused) == 1
    assert get_contact(db, people[0]).addresses[0].city == "Kaunas"
    assert get_contact(db, people[2]).addresses[0].street == "Gedimino 1"
    assert get_contact(db, people[2]).addresses[0].city == ""
    with db.session() as s:
        apply_edit(s, people, "city", "Klaipėda")
    assert get_contact(db, people[1]).addresses[0].city == "Klaipėda"  # made for him
    with db.reading() as s:
        assert len(find_ids(s, CONTACT, "city:klaipeda", strict=True)) == 3


def test_country_by_name_and_notes_appended(db, people):
    with db.session() as s:
        apply_edit(s, people[:1], "country", "Lithuania")
        apply_edit(s, people[:1], "notes", "Met at the fair.")
        apply_edit(s, people[:1], "notes", "Called back.")
    assert get_contact(db, people[0]).addresses[0].country == "LT"
    assert get_contact(db, people[0]).notes == "Met at the fair.\nCalled back."


def test_custom_fields_typed_values(db, people):
    with db.session() as s:
        add_field(s, FIELD_CONTACT, "Fleet size", NUMBER)
        add_field(s, FIELD_CONTACT, "Tier", CHOICE, options=["Gold", "Silver"])
    with db.reading() as s:
        with pytest.raises(CrmdeskError, match="not a number"):
            preview_edit(s, people, "fleet_size", "many")
        with pytest.raises(CrmdeskError, match="not one of the choices"):
            preview_edit(s, people, "tier", "Bronze")
        preview = preview_edit(s, people, "tier", "gold")
    assert preview.changing == 3 and preview.sample[0].after == "Gold"
    with db.session() as s:
        apply_edit(s, people, "fleet_size", "12")
        apply_edit(s, people, "tier", "Gold")
    with db.reading() as s:
        assert len(find_ids(s, CONTACT, "fleet_size=12 tier:gold", strict=True)) == 3
        assert preview_edit(s, people, "fleet_size", "12").unchanged == 3
    with db.session() as s:
        apply_edit(s, people[:1], "fleet_size", "")  # cleared
    with db.reading() as s:
        assert "fleet_size" not in get_values(s, FIELD_CONTACT, people[:1])[people[0]]


def test_the_trash_is_left_alone(db, people):
    trash_contacts(db, people[:1])
    with db.reading() as s:
        assert preview_edit(s, people, "job_title", "Buyer").total == 2


def test_all_or_nothing(db, people):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), db.session() as s:
        apply_edit(s, people, "department", "Sales")
        raise Boom
    assert [get_contact(db, i).department for i in people] == ["", "", ""]


@pytest.mark.parametrize(("key", "value"), [
    ("status", "Customer"), ("status", ""), ("source", "Referral"), ("company", "Acme"),
    ("company", ""), ("job_title", "Buyer"), ("department", ""), ("city", "Kaunas"),
    ("city", ""), ("country", "LT"), ("country", ""), ("notes", "A line."),
])
def test_the_quick_preview_says_what_the_apply_does(db, people, key, value):
    """The preview reads blocks of contacts; the apply plans with each whole contact.
    They must agree on who changes, how, and who is refused."""
    from crmdesk.core.contacts.bulk_edit import _plan

    with db.session() as s:
        apply_edit(s, people[:1], "company", "Acme")
        apply_edit(s, people[1:2], "city", "Riga")
        apply_edit(s, people[1:2], "country", "LV")
    with db.reading() as s:
        quick = preview_edit(s, people, key, value)
        _f, slow = _plan(s, key, people, value)
    assert [(c.contact_id, c.before, c.after) for c in quick.sample] == [
        (c.contact_id, c.before, c.after) for c, _what in slow.changes]
    assert quick.unchanged == slow.unchanged
    assert [(r.contact_id, r.reason) for r in quick.refused] == [
        (r.contact_id, r.reason) for r in slow.refused]


def test_a_value_too_long_for_anyone(db, people):
    with db.reading() as s, pytest.raises(CrmdeskError, match="too long"):
        preview_edit(s, people, "job_title", "x" * 201)


def test_progress_and_cancel_roll_everything_back(db, people):
    seen: list[tuple[int, int]] = []

    class Stop(Exception):
        pass

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        raise Stop

    with pytest.raises(Stop), db.session() as s:
        apply_edit(s, people, "department", "Sales", progress=progress)
    assert seen == [(0, 3)]
    assert [get_contact(db, i).department for i in people] == ["", "", ""]
