"""Big id lists are read as one string (raw_rows.fetch_ids); they must come out exactly as
reading them row by row would: same ids, same order, none lost or added."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import desc, literal, select, union_all

from crmdesk.core.demo import generate
from crmdesk.core.lookup.query import fetch_ids as lookup_fetch_ids
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import Contact
from crmdesk.core.storage.raw_rows import fetch_ids, raw_rows


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = Database.open(tmp_path_factory.mktemp("raw") / "raw.crmdesk", backup=False)
    generate(database, contacts=1500, seed=11)
    yield database
    database.close()


def _row_by_row(session, stmt):
    with raw_rows(session, stmt) as cursor:
        return [row[0] for row in cursor]


ORDERS = {
    "name": (Contact.sort_key, Contact.id),
    "name, descending": (desc(Contact.sort_key), desc(Contact.id)),
    "job title then name": (Contact.job_title, Contact.sort_key, Contact.id),
    "last contact, newest first": (desc(Contact.last_contact_at), Contact.id),
    "id descending": (desc(Contact.id),),
}


@pytest.mark.parametrize("order", ORDERS, ids=list(ORDERS))
def test_the_order_is_the_statement_s(db, order):
    stmt = select(Contact.id).where(Contact.deleted_at.is_(None)).order_by(*ORDERS[order])
    with db.reading() as s:
        expected = _row_by_row(s, stmt)
        assert len(expected) == 1500
        # Not already in id order, or the test could not tell a lost ORDER BY.
        assert expected != sorted(expected)
        assert fetch_ids(s, stmt) == expected
        assert lookup_fetch_ids(s, stmt) == expected


def test_a_limited_window_of_the_order(db):
    stmt = (select(Contact.id).where(Contact.deleted_at.is_(None))
            .order_by(Contact.sort_key, Contact.id).limit(50).offset(700))
    with db.reading() as s:
        got = fetch_ids(s, stmt)
        assert got == _row_by_row(s, stmt)
        assert len(got) == 50


def test_no_rows_is_an_empty_list(db):
    stmt = select(Contact.id).where(Contact.id < 0).order_by(Contact.id)
    with db.reading() as s:
        assert fetch_ids(s, stmt) == []
        assert lookup_fetch_ids(s, stmt) == []


def test_bound_values_and_long_in_lists_pass_through(db):
    with db.reading() as s:
        everyone = _row_by_row(s, select(Contact.id).order_by(Contact.id))
    wanted = random.Random(5).sample(everyone, 1200)
    stmt = select(Contact.id).where(Contact.id.in_(wanted)).order_by(Contact.sort_key,
                                                                     Contact.id)
    with db.reading() as s:
        got = fetch_ids(s, stmt)
        assert got == _row_by_row(s, stmt)
        assert sorted(got) == sorted(wanted)


def test_text_where_an_id_belongs_is_read_as_it_is(db):
    """A damaged file can hold text in an id column: the joined string is then no list
    of numbers, and the rows are read one by one instead of failing."""
    stmt = union_all(select(literal(7).label("v")), select(literal("x7").label("v")))
    with db.reading() as s:
        assert fetch_ids(s, select(stmt.subquery().c.v)) == [7, "x7"]


@pytest.mark.parametrize("values", [
    [1, None, 3],  # a NULL: the string leaves it out
    [1, "2,3", 4],  # a comma inside a text: the string would hold one id too many
    [1, "NaN", 2],  # what the JSON parser would take for a number
], ids=["null", "comma", "nan"])
def test_what_a_damaged_column_holds_comes_back_as_the_rows_hold_it(db, values):
    stmt = union_all(*(select(literal(v).label("v")) for v in values))
    with db.reading() as s:
        assert fetch_ids(s, select(stmt.subquery().c.v)) == values
