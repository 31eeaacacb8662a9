"""The duplicates policy of an import (skip, fill, update, create), on CSV and vCard,
and the import batch each import records for undo."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from crmdesk.core.contacts.import_batches import list_batches
from crmdesk.core.contacts.records import (
    ContactData,
    EmailData,
    PhoneData,
    create_contact,
    get_contact,
)
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.storage.models import Contact, ImportBatch, ImportedContact
from crmdesk.io.contacts_in.importer import import_prepared, prepare_table, prepare_vcards
from crmdesk.io.contacts_in.mapping import suggest_mapping
from crmdesk.io.contacts_in.table import read_table

CSV = ("First Name,Last Name,E-mail Address,Mobile Phone,Job Title,Company\n"
       "Ona,Petraitienė,ona@example.lt,,Director,Senukai\n"
       "Nauja,Persona,nauja@example.lt,+37060000002,,\n").encode()

VCF = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Petraitienė;Ona;;;\r\nFN:Ona Petraitienė\r\n"
       "EMAIL:ona@example.lt\r\nTITLE:Director\r\nORG:Senukai\r\nEND:VCARD\r\n"
       "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Persona;Nauja;;;\r\nFN:Nauja Persona\r\n"
       "EMAIL:nauja@example.lt\r\nTEL:+37060000002\r\nEND:VCARD\r\n").encode()


def prepared(kind):
    if kind == "vcard":
        return prepare_vcards(VCF)
    table = read_table(CSV, "csv")
    return prepare_table("csv", table, suggest_mapping(table.header, table.rows))


@pytest.fixture
def ona(db):
    """Ona is in the file already: the same e-mail, a job title of her own, no company."""
    return create_contact(db, ContactData(
        given_name="Ona", family_name="Petraitienė", job_title="Owner",
        emails=[EmailData("ONA@example.lt")], phones=[PhoneData("+37061111111")]))


def count(db):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Contact)
                        .where(Contact.deleted_at.is_(None)))


@pytest.mark.parametrize("kind", ["csv", "vcard"])
def test_create_anyway_makes_a_second_ona(db, ona, kind):
    report = import_prepared(db, prepared(kind), on_duplicate="create", backup=False)
    assert report.new == 2 and report.updated == []
    assert len(report.duplicates) == 1 and "the same e-mail" in report.duplicates[0][1]
    assert count(db) == 3


@pytest.mark.parametrize("kind", ["csv", "vcard"])
def test_skip_leaves_the_existing_contact_alone(db, ona, kind):
    before = get_contact(db, ona)
    report = import_prepared(db, prepared(kind), on_duplicate="skip", backup=False)
    assert (report.new, report.skipped_duplicates, report.updated) == (1, 1, [])
    assert count(db) == 2
    after = get_contact(db, ona)
    assert (after.job_title, after.company, after.updated_at) == (
        "Owner", "", before.updated_at)


@pytest.mark.parametrize("kind", ["csv", "vcard"])
def test_fill_only_fills_empty_fields(db, ona, kind):
    report = import_prepared(db, prepared(kind), on_duplicate="fill", backup=False)
    assert (report.new, report.updated) == (1, [ona])
    after = get_contact(db, ona)
    assert after.job_title == "Owner"  # hers, kept
    assert after.company == "Senukai"  # was empty: filled
    assert [e.address for e in after.emails] == ["ONA@example.lt"]  # the same one, once
    assert [p.number for p in after.phones] == ["+37061111111"]
    assert count(db) == 2


@pytest.mark.parametrize("kind", ["csv", "vcard"])
def test_update_replaces_with_the_rows_values(db, ona, kind):
    report = import_prepared(db, prepared(kind), on_duplicate="update", backup=False)
    assert (report.new, report.updated) == (1, [ona])
    after = get_contact(db, ona)
    assert (after.job_title, after.company) == ("Director", "Senukai")
    assert [p.number for p in after.phones] == ["+37061111111"]  # her phone stays


def test_fill_adds_the_phones_and_tags_it_lacks(db, ona):
    data = ("First Name,Last Name,E-mail Address,Mobile Phone,Categories\n"
            "Ona,Petraitienė,ona@example.lt,+37062222222,vip\n").encode()
    table = read_table(data, "csv")
    import_prepared(db, prepare_table("csv", table, suggest_mapping(table.header, table.rows)),
                    on_duplicate="fill", backup=False)
    after = get_contact(db, ona)
    assert [p.number for p in after.phones] == ["+37061111111", "+37062222222"]
    assert after.phones[0].primary and not after.phones[1].primary
    assert after.tags == ["vip"]


def test_a_dry_run_counts_what_the_policy_would_do_and_writes_nothing(db, ona):
    report = import_prepared(db, prepared("csv"), on_duplicate="update", dry_run=True)
    assert (report.new, report.updated, report.batch) == (1, [ona], None)
    assert get_contact(db, ona).job_title == "Owner"
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_nothing_to_fill_is_counted_unchanged(db, ona):
    import_prepared(db, prepared("csv"), on_duplicate="fill", backup=False)
    report = import_prepared(db, prepared("csv"), on_duplicate="fill", backup=False)
    assert (report.new, report.unchanged, report.updated) == (0, 2, [])  # Ona and Nauja


def test_an_import_records_its_batch(db, ona):
    report = import_prepared(db, prepared("csv"), on_duplicate="update", backup=False,
                             source="people.csv")
    with db.reading() as s:
        (batch,) = list_batches(s)
        actions = sorted(s.execute(select(ImportedContact.contact_id, ImportedContact.action)
                                   .where(ImportedContact.batch_id == batch.id)).all())
    assert (batch.id, batch.source, batch.file_format, batch.added, batch.updated) == (
        report.batch, "people.csv", "csv", 1, 1)
    assert actions == sorted([(ona, "updated"), (report.ids[0], "added")])


def test_a_cancelled_import_leaves_no_batch(db):
    def cancel(done, total):
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_prepared(db, prepared("csv"), progress=cancel, backup=False)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
    assert count(db) == 0


def test_an_unknown_policy_is_refused(db):
    with pytest.raises(CrmdeskError, match="skip, fill, update or create"):
        import_prepared(db, prepared("csv"), on_duplicate="merge")


def test_an_update_that_cannot_be_saved_is_reported_and_changes_nothing(db, ona):
    data = ("First Name,Last Name,E-mail Address,Job Title\n"
            "Ona,Petraitienė,not an e-mail,Director\n").encode()
    table = read_table(data, "csv")
    report = import_prepared(db, prepare_table("csv", table,
                                               suggest_mapping(table.header, table.rows)),
                             on_duplicate="update", backup=False)
    assert (report.new, report.updated, report.left_out) == (0, [], 1)
    (line, message), = [p for p in report.problems if p[1].startswith("Contact")]
    assert line == 2 and message.startswith(f"Contact {ona} was not changed: ")
    assert "not a valid e-mail address" in message
    after = get_contact(db, ona)
    assert after.job_title == "Owner" and [e.address for e in after.emails] == ["ONA@example.lt"]
    with db.reading() as s:  # the batch says it changed nothing
        assert s.scalar(select(func.count()).select_from(ImportedContact)) == 0
