"""Undoing an import: exactly its batch, once, and what became of later edits."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from crmdesk.core.contacts.bulk import add_contacts
from crmdesk.core.contacts.bulk_rows import NewContact
from crmdesk.core.contacts.import_batches import (
    FILL,
    UPDATE,
    apply_policy,
    finish_batch,
    last_batch,
    list_batches,
    start_batch,
    undo_batch,
)
from crmdesk.core.contacts.records import (
    ContactData,
    EmailData,
    PhoneData,
    create_contact,
    get_contact,
    update_contact,
)
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.fields import service as fields
from crmdesk.core.fields.values import get_values, set_values
from crmdesk.core.lookup.listing import contact_ids
from crmdesk.core.storage.models import Contact


def live(db):
    with db.reading() as s:
        return set(s.scalars(select(Contact.id).where(Contact.deleted_at.is_(None))))


def an_import(db, records, updates=(), policy=UPDATE, source="people.csv"):
    """What importer.import_prepared does with a batch, without a file."""
    with db.session() as s:
        batch = start_batch(s, source, "csv")
        for cid, row, custom in updates:
            apply_policy(s, batch, cid, row, custom, policy)
        ids = add_contacts(s, records, batch_id=batch).ids
        finish_batch(s, batch)
    return batch, ids


@pytest.fixture
def ona(db):
    with db.session() as s:
        fields.add_field(s, fields.CONTACT, "Shoe size", "number")
    cid = create_contact(db, ContactData(given_name="Ona", family_name="Petraitienė",
                                         job_title="Owner", emails=[EmailData("ona@x.lt")]))
    with db.session() as s:
        set_values(s, fields.CONTACT, cid, {"shoe_size": "38"})
    return cid


def test_undo_trashes_what_was_added_and_puts_back_what_was_updated(db, ona):
    before = get_contact(db, ona)
    batch, ids = an_import(db, [ContactData(given_name="New", family_name="One"),
                                ContactData(given_name="Other", family_name="Two")],
                           [(ona, ContactData(given_name="Ona", job_title="Director",
                                              phones=[PhoneData("+37060000001")]),
                             {"shoe_size": "39"})])
    assert get_contact(db, ona).job_title == "Director"
    with db.reading() as s:
        info = last_batch(s)
        assert (info.id, info.added, info.updated, info.source) == (batch, 2, 1, "people.csv")
    with db.session() as s:
        undone = undo_batch(s, batch)
    assert undone.trashed == sorted(ids) and undone.restored == [ona]
    assert undone.edited_since == []
    assert live(db) == {ona}
    after = get_contact(db, ona)
    assert (after.job_title, after.phones, after.emails) == (
        "Owner", [], before.emails)
    with db.reading() as s:
        assert float(get_values(s, fields.CONTACT, [ona])[ona]["shoe_size"]) == 38
        assert contact_ids(s, "director") == []  # the search text follows
        assert contact_ids(s, "owner") == [ona]
        assert last_batch(s) is None
        assert list_batches(s)[0].undone_at is not None
    # the trash gives the added ones back, as for a user's Delete
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Contact)
                        .where(Contact.deleted_at.is_not(None))) == 2


def test_undoing_twice_is_refused(db, ona):
    batch, _ids = an_import(db, [ContactData(given_name="New")])
    with db.session() as s:
        undo_batch(s, batch)
    with pytest.raises(CrmdeskError, match="already undone"), db.session() as s:
        undo_batch(s, batch)


def test_an_unknown_batch_is_refused(db):
    with pytest.raises(CrmdeskError, match="There is no import 7"), db.session() as s:
        undo_batch(s, 7)


def test_only_that_batch_is_undone(db):
    first, a = an_import(db, [ContactData(given_name="First")])
    second, b = an_import(db, [ContactData(given_name="Second")])
    with db.session() as s:
        undo_batch(s, first)
    assert live(db) == set(b)
    with db.reading() as s:
        assert last_batch(s).id == second


def test_a_field_edited_after_the_import_keeps_the_users_value(db, ona):
    batch, _ids = an_import(db, [], [(ona, ContactData(job_title="Director",
                                                      department="Sales"), {})])
    edited = get_contact(db, ona)
    edited.job_title = "CEO"  # the user's own change since
    update_contact(db, ona, edited, original=get_contact(db, ona))
    with db.session() as s:
        undone = undo_batch(s, batch)
    after = get_contact(db, ona)
    assert after.job_title == "CEO"  # the user's
    assert after.department == ""  # the import's own, put back
    assert undone.edited_since == [(ona, "Ona Petraitienė", ["job_title"])]


def test_an_added_contact_edited_since_still_goes_and_is_named(db):
    batch, (cid,) = an_import(db, [ContactData(given_name="New")])
    data = get_contact(db, cid)
    data.job_title = "Typed later"
    update_contact(db, cid, data, original=get_contact(db, cid))
    with db.session() as s:
        undone = undo_batch(s, batch)
    assert live(db) == set()
    assert undone.edited_since == [(cid, "New", [])]


def test_fill_records_only_what_it_filled(db, ona):
    batch, _ids = an_import(db, [], [(ona, ContactData(job_title="Director", company="Firm"),
                                      {"shoe_size": "40"})], policy=FILL)
    after = get_contact(db, ona)
    assert (after.job_title, after.company) == ("Owner", "Firm")
    with db.reading() as s:
        assert float(get_values(s, fields.CONTACT, [ona])[ona]["shoe_size"]) == 38
    with db.session() as s:
        undo_batch(s, batch)
    assert get_contact(db, ona).company == ""


def test_custom_values_of_added_contacts_go_with_them(db, ona):
    batch, (cid,) = an_import(db, [NewContact(ContactData(given_name="Sized"),
                                              {"shoe_size": "41"})])
    with db.session() as s:
        undo_batch(s, batch)
    assert live(db) == {ona}
