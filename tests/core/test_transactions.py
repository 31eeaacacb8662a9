"""Units of work as SQLAlchemy's pysqlite recipe makes them: a read is one snapshot,
a write takes the lock before its first read, so check-then-write is atomic."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.storage.database import (
    add_write_check,
    has_written,
    remove_write_check,
)
from crmdesk.core.storage.models import Contact


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Contact))


def test_a_reading_unit_of_work_sees_one_snapshot(db):
    create_contact(db, ContactData(given_name="Before"))
    with db.reading() as s:
        first = count(s)
        # Another unit of work (another connection from the pool) commits meanwhile.
        done = threading.Thread(target=lambda: create_contact(db, ContactData(given_name="New")))
        done.start()
        done.join()
        assert count(s) == first == 1  # still the snapshot it began with
    with db.reading() as s:
        assert count(s) == 2


def test_a_writing_unit_of_work_holds_the_file_from_its_first_read(db):
    """Check-then-write: the second writer waits for the first one to commit and
    then counts what the first one wrote, rather than a stale snapshot."""
    started = threading.Event()
    seen: list[int] = []

    def first() -> None:
        with db.session() as s:
            seen.append(count(s))
            started.set()
            time.sleep(0.3)  # the second writer is waiting meanwhile
            s.add(Contact(given_name="First", display_name="First", sort_key="first"))

    def second() -> None:
        started.wait()
        with db.session() as s:
            seen.append(count(s))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [0, 1]


def test_write_checks_run_for_writing_units_of_work_only(db):
    calls: list[str] = []

    def check() -> None:
        calls.append(threading.current_thread().name)

    add_write_check(check)
    try:
        with db.reading() as s:
            count(s)
        assert calls == []
        with db.session() as s:
            count(s)
        assert calls == [threading.current_thread().name]
    finally:
        remove_write_check(check)
    with db.session() as s:
        count(s)
    assert len(calls) == 1


def test_has_written_tells_a_unit_of_work_that_changed_something(db):
    with db.session() as s:
        count(s)
        assert not has_written(s)
        s.add(Contact(given_name="X", display_name="X", sort_key="x"))
        s.flush()
        assert has_written(s)
    with db.reading() as s:
        count(s)
        assert not has_written(s)


def test_a_failing_write_leaves_nothing(db):
    try:
        with db.session() as s:
            s.add(Contact(given_name="Half", display_name="Half", sort_key="half"))
            s.flush()
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with db.reading() as s:
        assert count(s) == 0
