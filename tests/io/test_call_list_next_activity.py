"""A call list can carry each contact's next activity (the list's Next activity column),
in local time, and be sorted by it: "whom do I call next, and when"."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crmdesk.core.activities.records import ActivityData, create_activity
from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.io import call_list
from crmdesk.io.call_list import MOMENT, export_columns


@pytest.fixture(autouse=True)
def vilnius(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Vilnius")


@pytest.fixture
def planned(db):
    soon = (datetime.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    ann = create_contact(db, ContactData(given_name="Ann", family_name="Able"))
    bob = create_contact(db, ContactData(given_name="Bob", family_name="Baker"))
    cid = create_contact(db, ContactData(given_name="Cid", family_name="Cole"))
    with db.session() as s:
        create_activity(s, ActivityData(kind="Call", start=soon + timedelta(days=3),
                                        contact_ids=[ann]))
        create_activity(s, ActivityData(kind="Meeting", start=soon - timedelta(days=12),
                                        contact_ids=[bob], rrule="FREQ=WEEKLY"))
    return soon, ann, bob, cid


@pytest.mark.parametrize("bulk", [False, True])
def test_the_next_activity_column_in_local_time(db, planned, monkeypatch, bulk):
    soon, ann, bob, cid = planned
    if bulk:  # the path of a long list: each table read whole
        monkeypatch.setattr(call_list, "_BULK", 1)
    with db.reading() as s:
        assert export_columns(s)["next_activity"].kind == MOMENT
        made = call_list.call_list(s, [ann, bob, cid], ["name", "next_activity"])
    assert made.head == ["Name", "Next activity"]
    rows = {name: at for name, at in made.rows}
    assert rows["Ann Able"] == soon + timedelta(days=3)  # the wall time it was planned at
    assert rows["Cid Cole"] is None
    weekly = rows["Bob Baker"]
    assert soon - timedelta(days=1) <= weekly <= soon + timedelta(days=6)
    assert weekly.strftime("%H:%M") == soon.strftime("%H:%M")


def test_sorted_by_it(db, planned):
    _soon, ann, bob, cid = planned
    with db.reading() as s:
        made = call_list.call_list(s, [ann, bob, cid], ["name"], sort="next_activity")
    assert [r[0] for r in made.rows] == ["Bob Baker", "Ann Able", "Cid Cole"]
