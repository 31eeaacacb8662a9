"""A Database told to refuse writes (its file was removed under the window) raises
the reason before any writing unit of work takes the lock; reads go on."""

from __future__ import annotations

import pytest

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.errors import DatabaseFileError


def test_writes_are_refused_and_allowed_again(db):
    create_contact(db, ContactData(given_name="Ann"))
    db.refuse_writes(DatabaseFileError("the file is gone"))
    with pytest.raises(DatabaseFileError, match="the file is gone"):
        create_contact(db, ContactData(given_name="Bob"))
    assert db.execute_scalar("SELECT count(*) FROM contact") == 1  # reads go on
    with db.reading() as s:
        assert s.connection() is not None
    db.refuse_writes(None)
    create_contact(db, ContactData(given_name="Bob"))
    assert db.execute_scalar("SELECT count(*) FROM contact") == 2
