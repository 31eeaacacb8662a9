"""The one change type: what an action changed, by kind of record and how."""

import pytest

from crmdesk.core.changes import (
    ADDED,
    COMPANIES,
    CONTACTS,
    FIELDS,
    HISTORY,
    REMOVED,
    Changes,
)


def test_nothing_is_falsy_and_touches_nothing():
    assert not Changes()
    assert not Changes().touches(CONTACTS)
    assert Changes().ids(CONTACTS) == frozenset()
    assert Changes().describe() == "nothing"


def test_of_one_kind_and_how():
    ch = Changes.of(CONTACTS, [3, 4], ADDED)
    assert ch and ch.touches(CONTACTS) and not ch.touches(COMPANIES)
    assert ch.added(CONTACTS) == {3, 4} and ch.removed(CONTACTS) == frozenset()
    assert ch.ids(CONTACTS) == {3, 4}


def test_a_kind_without_ids_still_counts_as_touched():
    assert Changes.of(FIELDS).touches(FIELDS)
    assert Changes.of(FIELDS).ids(FIELDS) == frozenset()


def test_merging_keeps_every_kind_and_every_how():
    ch = (Changes.of(CONTACTS, [1], ADDED) | Changes.of(CONTACTS, [2], REMOVED)
          | Changes.of(HISTORY, [9]) | Changes.of(CONTACTS, [1]))
    assert ch.added(CONTACTS) == {1} and ch.removed(CONTACTS) == {2}
    assert ch.of_kind(CONTACTS).changed == {1}
    assert ch.ids(CONTACTS) == {1, 2} and ch.ids(HISTORY) == {9}
    assert ch.describe() == "contacts +1 ~1 -1, history +0 ~1 -0"


def test_an_unknown_how_is_refused():
    with pytest.raises(ValueError):
        Changes.of(CONTACTS, [1], "moved")
