"""After a change the window's in-memory texts and name order are updated for the
contacts it changed only, and always come out exactly as a full read would."""

from __future__ import annotations

import random
import sqlite3

import pytest

from crmdesk.core.contacts.records import (
    ContactData,
    EmailData,
    create_contact,
    get_contact,
    purge_contacts,
    restore_contacts,
    trash_contacts,
    update_contact,
)
from crmdesk.core.demo import generate
from crmdesk.core.lookup import listing
from crmdesk.core.search import short_fragments
from crmdesk.core.storage import name_order, touched
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.raw_rows import fetch_ids

NAMES = ["Žemaitis", "Ąžuolas", "Иванов", "Петров", "王伟", "Smith", "Aaron", "zz", "Ärzte",
         "", "Yla", "Ignas"]


@pytest.fixture
def db(tmp_path):
    database = Database.open(tmp_path / "inc.crmdesk")
    generate(database, contacts=300, seed=3)
    short_fragments.remember_texts(database)
    yield database
    database.close()


class Reads:
    """Counts the full reads of the texts and of the name order."""

    def __init__(self, monkeypatch):
        self.texts = 0
        self.orders = 0
        real_read, real_fetch = short_fragments._read, name_order._ordered_ids

        def read(session):
            self.texts += 1
            return real_read(session)

        def fetch(session, trash):
            self.orders += 1
            return real_fetch(session, trash)

        monkeypatch.setattr(short_fragments, "_read", read)
        monkeypatch.setattr(name_order, "_ordered_ids", fetch)


def _memory(db):
    with db.reading() as s:
        texts = db.text_memory._current(s, db.generation)
        order = list(name_order.name_ordered_ids(s))
        trash = list(name_order.name_ordered_ids(s, trash=True))
    return texts, order, trash


def _truth(db):
    with db.reading() as s:
        fresh = short_fragments._read(s)
        order = fetch_ids(s, name_order._statement(False))
        trash = fetch_ids(s, name_order._statement(True))
    return fresh, order, trash


def _assert_same(db):
    texts, order, trash = _memory(db)
    fresh, true_order, true_trash = _truth(db)
    assert texts.ids == fresh.ids
    assert texts.names == fresh.names
    assert texts.bodies == fresh.bodies
    assert order == true_order == fresh.ids
    assert trash == true_trash


def test_a_save_reads_again_only_the_contact_it_changed(db, monkeypatch):
    _memory(db)  # filled
    reads = Reads(monkeypatch)
    with db.reading() as s:
        first = name_order.name_ordered_ids(s)[0]
    data = get_contact(db, first)
    data.family_name = "Zzqxzz"  # from the top of the list down
    update_contact(db, first, data)
    _assert_same_without_counting(db, reads)
    assert (reads.texts, reads.orders) == (0, 0)
    with db.reading() as s:
        assert listing.contact_ids(s, "qx") == [first]
        assert name_order.name_ordered_ids(s).index(first) > 100  # moved down


def _assert_same_without_counting(db, reads):
    texts, order, trash = _memory(db)
    counted = (reads.texts, reads.orders)
    fresh, true_order, true_trash = _truth(db)
    reads.texts, reads.orders = counted
    assert (texts.ids, texts.names, texts.bodies) == (fresh.ids, fresh.names, fresh.bodies)
    assert order == true_order and trash == true_trash


def test_any_run_of_changes_gives_what_a_full_read_gives(db):
    rng = random.Random(7)
    _memory(db)
    with db.reading() as s:
        everyone = list(name_order.name_ordered_ids(s))
    for step in range(60):
        action = rng.choice(["create", "rename", "rename", "trash", "restore", "purge",
                             "email"])
        if action == "create":
            everyone.append(create_contact(db, ContactData(
                given_name=rng.choice(NAMES), family_name=rng.choice(NAMES))))
        elif action in ("rename", "email"):
            cid = rng.choice(everyone)
            data = get_contact(db, cid)
            if data is None:
                continue
            if action == "rename":
                data.family_name = rng.choice(NAMES) + str(step)
            else:
                data.emails = [EmailData(f"n{step}@example.lt")]
            update_contact(db, cid, data)
        elif action == "trash":
            trash_contacts(db, rng.sample(everyone, 3))
        elif action == "restore":
            restore_contacts(db, rng.sample(everyone, 3))
        else:
            gone = rng.sample(everyone, 2)
            trash_contacts(db, gone)
            purge_contacts(db, gone)
            everyone = [c for c in everyone if c not in gone]
        if step % 3 == 0:  # sometimes several commits between two reads
            _assert_same(db)
    _assert_same(db)


def test_another_program_writing_means_a_full_read(db, monkeypatch):
    _memory(db)
    reads = Reads(monkeypatch)
    with db.reading() as s:
        cid = name_order.name_ordered_ids(s)[5]
    # a second connection counting its own commit: a gap in this process's journal
    with sqlite3.connect(db.path) as conn:
        conn.execute("UPDATE contact SET sort_key = 'zzzz' WHERE id = ?", (cid,))
        conn.execute("UPDATE search_row SET name_text = 'qqq outside' "
                     "WHERE contact_id = ?", (cid,))
        conn.execute("UPDATE setting SET value = CAST(value AS INTEGER) + 1 "
                     "WHERE key = 'commit_seq'")
    conn.close()
    _assert_same_without_counting(db, reads)
    assert reads.texts == 1 and reads.orders == 2  # the live order and the trash's
    with db.reading() as s:
        assert listing.contact_ids(s, "qq")[0] == cid  # in the name: first


def test_a_writer_that_counts_nothing_is_caught_by_the_fingerprint(db, monkeypatch):
    _memory(db)
    with sqlite3.connect(db.path) as conn:  # counts nothing, has no triggers
        conn.execute("UPDATE contact SET deleted_at = '2026-01-01 00:00:00' "
                     "WHERE id = (SELECT min(id) FROM contact)")
    conn.close()
    # no count, no journal entry: the mark is unchanged, but the fingerprint is not
    _, order, _trash = _memory(db)
    _, true_order, _t = _truth(db)
    assert order == true_order


def test_many_changes_at_once_read_everything(db, monkeypatch):
    _memory(db)
    reads = Reads(monkeypatch)
    monkeypatch.setattr(touched, "MANY", 5)
    with db.reading() as s:
        some = name_order.name_ordered_ids(s)[:10]
    trash_contacts(db, some)
    _assert_same_without_counting(db, reads)
    assert reads.texts == 1


def test_a_bulk_job_that_stops_tracking_leads_to_a_full_read(db, monkeypatch):
    _memory(db)
    reads = Reads(monkeypatch)
    with db.session() as s:
        touched.stop_tracking(s)
        s.connection().exec_driver_sql(
            "UPDATE search_row SET name_text = 'bulk ' || name_text "
            "WHERE contact_id IN (SELECT id FROM contact LIMIT 3)")
    _assert_same_without_counting(db, reads)
    assert reads.texts == 1
    with db.session() as s:  # the next unit of work tracks again
        s.connection().exec_driver_sql("UPDATE contact SET notes = 'x' WHERE id = "
                                       "(SELECT min(id) FROM contact)")
    _assert_same_without_counting(db, reads)
    assert reads.texts == 1


def test_a_write_that_fails_leaves_no_trace(db):
    _memory(db)
    with db.reading() as s:
        before = touched.mark(s)
    with pytest.raises(RuntimeError), db.session() as s:
        s.connection().exec_driver_sql("UPDATE contact SET sort_key = 'a' WHERE id = "
                                       "(SELECT max(id) FROM contact)")
        raise RuntimeError("the disk went away")
    with db.reading() as s:
        assert touched.mark(s) == before  # not counted
    cid = create_contact(db, ContactData(given_name="After", family_name="Failure"))
    with db.reading() as s:
        now = touched.mark(s)
    # the next commit names only its own contact: nothing of the rolled-back one
    assert now.seq == before.seq + 1 and db.journal.since(before.seq, now.seq) == {cid}
    _assert_same(db)


def test_a_restore_reads_everything_again(db, monkeypatch):
    _memory(db)
    reads = Reads(monkeypatch)
    epoch = db.epoch
    db.changed_outside()  # what a restore and an outside commit both do
    assert db.epoch == epoch + 1
    _memory(db)
    assert reads.texts == 1 and reads.orders == 2


def test_the_journal_says_not_known_across_a_gap():
    journal = touched.Journal()
    journal.add(1, frozenset({1}))
    journal.add(2, frozenset({2}))
    journal.add(4, frozenset({4}))  # 3: another program's commit
    assert journal.since(0, 2) == {1, 2}
    assert journal.since(2, 2) == frozenset()
    assert journal.since(1, 4) is None
    journal.add(5, None)
    assert journal.since(4, 5) is None


def test_the_reached_tick_for_everyone_is_not_tracked_row_by_row(db, monkeypatch):
    from crmdesk.core.history.last_contact import recompute_last

    _memory(db)
    reads = Reads(monkeypatch)
    with db.session() as s:
        recompute_last(s)
    with db.reading() as s:
        seq = touched.mark(s).seq
    assert db.journal.since(seq - 1, seq) is None  # that commit: "not known"
    _assert_same_without_counting(db, reads)
    assert reads.texts == 1


def test_a_big_bulk_write_is_not_tracked_row_by_row_but_a_small_one_is(db, monkeypatch):
    from crmdesk.core.contacts.bulk import add_contacts

    _memory(db)
    monkeypatch.setattr(touched, "MANY", 5)
    with db.session() as s:
        small = add_contacts(s, [ContactData(given_name=f"Few{i}", family_name="Q")
                                 for i in range(3)]).ids
    with db.reading() as s:
        seq = touched.mark(s).seq
    assert db.journal.since(seq - 1, seq) == set(small)
    with db.session() as s:
        add_contacts(s, [ContactData(given_name=f"Many{i}", family_name="Q")
                         for i in range(9)])
    assert db.journal.since(seq, seq + 1) is None
    _assert_same(db)


def test_a_full_read_remembers_the_same_fingerprint_the_database_gives(db):
    """Made from the ids just read, it must equal the SQL one, or every later lookup
    would read the whole order again."""
    trash_contacts(db, [create_contact(db, ContactData(given_name="Gone", family_name="X"))])
    for trash in (False, True):
        name_order.forget(db.engine)
        with db.reading() as s:
            first = name_order.name_ordered_ids(s, trash=trash)
        with db.reading() as s:
            assert name_order._fingerprint(s, trash) == \
                name_order._cache_for(db.engine).entries[trash][1]
            assert name_order.name_ordered_ids(s, trash=trash) is first  # remembered
