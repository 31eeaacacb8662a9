"""A company's timeline (its History tab): the entries of the company and of its
people, newest first, without status changes and without the trash."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from crmdesk.core.contacts.records import (
    ContactData,
    create_contact,
    restore_contacts,
    trash_contacts,
)
from crmdesk.core.errors import NotFoundError
from crmdesk.core.history.records import (
    InteractionData,
    company_timeline,
    delete_interaction,
    log_interaction,
    timeline,
)
from crmdesk.core.storage.models import Contact


def at(d: int, h: int = 12) -> datetime:
    return datetime(2026, 3, d, h).astimezone()


def log(db, who, subject, day, kind="Call", **kw) -> int:
    with db.session() as s:
        return log_interaction(s, InteractionData(kind=kind, subject=subject, at=at(day),
                                                  contact_ids=who, **kw)).ids[0]


@pytest.fixture
def acme(db):
    p = {
        "ann": create_contact(db, ContactData(given_name="Ann", family_name="Adams",
                                              company="Acme", status="Customer")),
        "bob": create_contact(db, ContactData(given_name="Боб", family_name="Браун",
                                              company="Acme")),
        "dora": create_contact(db, ContactData(given_name="Dora", company="Acme")),
        "carl": create_contact(db, ContactData(given_name="Carl", company="Zeta")),
        "eve": create_contact(db, ContactData(given_name="Eve")),
    }
    with db.reading() as s:
        company = s.scalar(select(Contact.company_id).where(Contact.id == p["ann"]))
        zeta = s.scalar(select(Contact.company_id).where(Contact.id == p["carl"]))
    e = {
        "ann": log(db, [p["ann"]], "Prices for spring", 1),
        "for_acme": log(db, [p["carl"]], "Carl on Acme's behalf", 2, company_id=company),
        "carl": log(db, [p["carl"]], "Zeta only", 3),
        "bob_via_zeta": log(db, [p["carl"], p["bob"]], "Встреча втроём", 4, kind="Meeting"),
        "dora": log(db, [p["dora"]], "Dora's call", 5),
        "dora_ann": log(db, [p["dora"], p["ann"]], "Dora and Ann", 6, kind="Meeting"),
        "eve": log(db, [p["eve"]], "Nobody's business", 7),
    }
    trash_contacts(db, [p["dora"]])
    return company, zeta, p, e


def subjects(entries) -> list[str]:
    return [x.subject for x in entries]


def test_the_company_and_its_people_newest_first(db, acme):
    company, zeta, p, e = acme
    with db.reading() as s:
        entries = company_timeline(s, company)
        zeta_entries = company_timeline(s, zeta)
    assert [x.id for x in entries] == [e["dora_ann"], e["bob_via_zeta"], e["for_acme"],
                                       e["ann"]]
    # No status changes (Ann's "→ Customer" is on her own timeline only).
    assert all(x.editable and x.id is not None for x in entries)
    with db.reading() as s:
        assert any(not x.editable for x in timeline(s, p["ann"]))
    assert entries[1].contacts == ["Carl", "Боб Браун"]  # everyone in it, in name order
    # Zeta: its own entries and Carl's, even the one logged for Acme.
    assert [x.id for x in zeta_entries] == [e["bob_via_zeta"], e["carl"], e["for_acme"]]


def test_trashed_people_leave_and_come_back(db, acme):
    company, _zeta, p, e = acme
    restore_contacts(db, [p["dora"]])
    with db.reading() as s:
        assert e["dora"] in [x.id for x in company_timeline(s, company)]
    trash_contacts(db, [p["ann"], p["dora"]])
    with db.reading() as s:
        # Ann's own entry was the company's too, but all its people are in the trash.
        assert [x.id for x in company_timeline(s, company)] == [e["bob_via_zeta"],
                                                                 e["for_acme"]]


def test_kind_and_text_filters(db, acme):
    company, _zeta, _p, e = acme
    with db.reading() as s:
        assert [x.id for x in company_timeline(s, company, kind="meeting")] == \
            [e["dora_ann"], e["bob_via_zeta"]]
        assert company_timeline(s, company, kind="Status change") == []
        assert [x.id for x in company_timeline(s, company, text="ВСТРЕЧА")] == \
            [e["bob_via_zeta"]]
        assert [x.id for x in company_timeline(s, company, text="spring prices")] == \
            [e["ann"]]
        assert company_timeline(s, company, text="'; DROP TABLE interaction;--") == []


def test_deleted_entry_and_missing_company(db, acme):
    company, _zeta, _p, e = acme
    with db.session() as s:
        delete_interaction(s, e["ann"])
    with db.reading() as s:
        assert e["ann"] not in [x.id for x in company_timeline(s, company)]
        with pytest.raises(NotFoundError):
            company_timeline(s, 999_999)
