"""The History view's ids and rows, and the last-contact columns and lookups of the
contact list."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from crmdesk.core.contacts.records import (
    ContactData,
    create_contact,
    restore_contacts,
    trash_contacts,
)
from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.history import records as history
from crmdesk.core.history.records import HistoryFilter, InteractionData, log_interaction
from crmdesk.core.lookup import listing
from crmdesk.core.lookup.query import CONTACT, HISTORY, find_ids

DAY = timedelta(days=1)


def at(y, m, d, h=12) -> datetime:
    """Noon local time: the same local day in any time zone the tests run in."""
    return datetime(y, m, d, h).astimezone()


@pytest.fixture
def book(db):
    """Four people and six entries across spring 2026."""
    p = {
        "ann": create_contact(db, ContactData(given_name="Ann", family_name="Adams",
                                              company="Zeta")),
        "bob": create_contact(db, ContactData(given_name="Bob", family_name="Brown",
                                              company="Acme")),
        "ivan": create_contact(db, ContactData(given_name="Иван", family_name="Петров")),
        "wang": create_contact(db, ContactData(given_name="小明", family_name="王",
                                               name_order="family_first")),
    }
    entries = [
        ("Call", "Reached", "Price list", "", at(2026, 3, 2), [p["ann"]], 5, "out"),
        ("Meeting", "", "Demo", "Две машины", at(2026, 4, 10), [p["bob"], p["ivan"]], 60,
         ""),
        ("Call", "No answer", "Follow-up", "", at(2026, 4, 20), [p["ivan"]], None, "out"),
        ("E-mail", "", "Счёт на оплату", "", at(2026, 5, 1), [p["ivan"]], None, "in"),
        ("Letter", "Ordered", "合同 signed", "", at(2026, 5, 31, 23), [p["wang"]], None, ""),
        ("Note", "", "", "Likes Žalgiris", at(2026, 6, 1, 0), [p["ann"]], None, ""),
    ]
    e = {}
    with db.session() as s:
        for i, (kind, outcome, subject, details, when, who, minutes, way) in enumerate(entries):
            e[i] = log_interaction(s, InteractionData(
                kind=kind, outcome=outcome, subject=subject, details=details, at=when,
                contact_ids=who, duration_min=minutes, direction=way)).ids[0]
    return p, e


def ids(db, flt=None, key="at", descending=True):
    with db.reading() as s:
        return history.history_ids(s, flt or HistoryFilter(), key, descending)


def test_newest_first_and_oldest_first(db, book):
    _p, e = book
    assert ids(db) == [e[5], e[4], e[3], e[2], e[1], e[0]]
    assert ids(db, descending=False) == [e[0], e[1], e[2], e[3], e[4], e[5]]


def test_date_range_is_local_days_inclusive(db, book):
    _p, e = book
    may = HistoryFilter(since=date(2026, 5, 1), until=date(2026, 5, 31))
    assert ids(db, may) == [e[4], e[3]]  # 31 May 23:00 is May, 1 June 00:00 is not
    assert ids(db, HistoryFilter(since=date(2026, 5, 31))) == [e[5], e[4]]
    assert ids(db, HistoryFilter(until=date(2026, 3, 2))) == [e[0]]


def test_kinds_outcomes_text_and_contact(db, book):
    p, e = book
    assert ids(db, HistoryFilter(kinds=["call"])) == [e[2], e[0]]
    assert ids(db, HistoryFilter(kinds=["Call", "Letter"])) == [e[4], e[2], e[0]]
    assert ids(db, HistoryFilter(kinds=["No such kind"])) == []
    assert ids(db, HistoryFilter(outcomes=["no answer"])) == [e[2]]
    assert ids(db, HistoryFilter(text="СЧЁТ")) == [e[3]]  # Cyrillic, any case
    assert ids(db, HistoryFilter(text="счет")) == [e[3]]  # ё folds to е
    assert ids(db, HistoryFilter(text="合同")) == [e[4]]
    assert ids(db, HistoryFilter(text="zalgiris")) == [e[5]]  # in the details
    assert ids(db, HistoryFilter(text="машины demo")) == [e[1]]  # every word
    assert ids(db, HistoryFilter(contact_id=p["ivan"])) == [e[3], e[2], e[1]]
    assert ids(db, HistoryFilter(contact_id=p["ivan"], kinds=["Call"])) == [e[2]]


def test_text_finds_entries_by_a_contacts_or_the_companys_name(db, book):
    p, e = book
    # Ivan Petrov is on e1 (with Bob), e2 and e3; none of them names him.
    assert ids(db, HistoryFilter(text="Петров")) == [e[3], e[2], e[1]]  # the trigram index
    assert ids(db, HistoryFilter(text="ИВ")) == [e[3], e[2], e[1]]  # 2 letters: a scan
    assert ids(db, HistoryFilter(text="小明")) == [e[4]]
    assert ids(db, HistoryFilter(text="adams")) == [e[5], e[0]]
    # The company of the entry (taken from the contact's when it was logged).
    assert ids(db, HistoryFilter(text="zeta")) == [e[5], e[0]]
    assert ids(db, HistoryFilter(text="ACM")) == [e[1]]
    # Every word, each from wherever it is: a name and a subject, a name and a kind filter.
    assert ids(db, HistoryFilter(text="петров счет")) == [e[3]]
    assert ids(db, HistoryFilter(text="brown петров")) == [e[1]]
    assert ids(db, HistoryFilter(text="adams", kinds=["Call"])) == [e[0]]
    assert ids(db, HistoryFilter(text="петров", since=date(2026, 4, 15))) == [e[3], e[2]]
    with db.reading() as s:
        assert history.history_count(s, HistoryFilter(text="petrov ivan")) == 0
        assert history.history_count(s, HistoryFilter(text="петров")) == 3


def test_a_word_in_a_name_is_looked_up_once_per_unit_of_work_but_again_after_a_write(
        db, book):
    # The History view's first screenful compiles its filter more than once; whether a
    # word is in a contact's name is read once per snapshot, and read again once the
    # unit of work has written (its own write may have put it there).
    from sqlalchemy import event, update

    from crmdesk.core.storage.models import SearchRow

    p, e = book
    seen: list[str] = []

    def spy(_conn, _cursor, statement, *_args):
        if "search_row" in statement and "instr" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", spy)
    try:
        with db.reading() as s:
            assert history.history_ids(s, HistoryFilter(text="ив")) == [e[3], e[2], e[1]]
            assert history.history_ids(s, HistoryFilter(text="ив")) == [e[3], e[2], e[1]]
            assert history.history_first_ids(s, HistoryFilter(text="ив"), limit=2) in (
                None, [e[3], e[2]])
        assert len(seen) == 1
        with db.session() as s:
            assert history.history_ids(s, HistoryFilter(text="zq")) == []
            s.execute(update(SearchRow).where(SearchRow.contact_id == p["ann"])
                      .values(name_text="zqann adams"))
            assert history.history_ids(s, HistoryFilter(text="zq")) == [e[5], e[0]]
            s.rollback()
    finally:
        event.remove(db.engine, "before_cursor_execute", spy)


def test_the_search_index_syntax_is_only_text(db, book):
    """A word reaches the contacts' full-text index (FTS5) as a quoted phrase, never as its
    query syntax: the lookup language is the only one there is."""
    for text in ('ann" OR "bob', "{name_text} : adams", "NEAR(adams brown)", "ad*",
                 "body_text:zeta", "adams*"):
        assert ids(db, HistoryFilter(text=text)) == [], text
    assert len(ids(db, HistoryFilter(text='"'))) == 6  # an empty phrase: no condition


def test_hostile_filter_values_are_only_values(db, book):
    for text in ("'; DROP TABLE interaction;--", "%", "_", "\\", "' OR 1=1 --"):
        assert ids(db, HistoryFilter(text=text)) == []
        assert ids(db, HistoryFilter(kinds=[text])) == []
    assert len(ids(db)) == 6
    assert len(ids(db, HistoryFilter(text="\x00\t"))) == 6  # control characters are spaces
    with pytest.raises(ValueError):
        ids(db, key="at; DROP TABLE interaction")


def test_sorting_by_every_column_keeps_blanks_last(db, book):
    _p, e = book
    assert ids(db, key="kind", descending=False) == [e[2], e[0], e[1], e[3], e[4], e[5]]
    assert ids(db, key="outcome", descending=False)[:3] == [e[0], e[2], e[4]]
    assert set(ids(db, key="outcome", descending=False)[3:]) == {e[1], e[3], e[5]}
    assert ids(db, key="duration", descending=False)[:2] == [e[0], e[1]]
    assert ids(db, key="duration", descending=True)[:2] == [e[1], e[0]]
    assert ids(db, key="company", descending=False)[:2] == [e[1], e[5]]  # Acme, Zeta ...
    assert ids(db, key="subject", descending=False)[-1] == e[5]  # the empty subject last
    assert ids(db, key="subject", descending=True)[-1] == e[5]
    assert ids(db, key="direction", descending=False)[:3] == [e[3], e[2], e[0]]  # in, out
    by_contact = ids(db, key="contacts", descending=False)
    assert by_contact[:2] == [e[5], e[0]]  # Adams first, newest first among ties
    for key in history.HISTORY_COLUMNS:
        assert sorted(ids(db, key=key)) == sorted(e.values())


def test_rows(db, book):
    p, e = book
    with db.reading() as s:
        rows = history.history_rows(s, [e[1], e[0], 999])
    assert set(rows) == {e[0], e[1]}
    meeting = rows[e[1]]
    assert meeting["at"] == at(2026, 4, 10) and meeting["at"].tzinfo is not None
    assert meeting["kind"] == "Meeting" and meeting["outcome"] == ""
    assert meeting["contacts"] == "Bob Brown, Иван Петров"
    assert meeting["contact_ids"] == [p["bob"], p["ivan"]]
    assert meeting["company"] == "Acme" and meeting["duration"] == 60
    assert meeting["details"] == "Две машины"
    assert rows[e[0]]["direction"] == "out" and rows[e[0]]["outcome"] == "Reached"
    assert set(history.HISTORY_COLUMNS) == {"at", "kind", "direction", "subject", "outcome",
                                            "contacts", "company", "duration"}
    assert set(history.HISTORY_COLUMNS) <= set(meeting)


def test_entries_of_trashed_contacts_leave_the_view(db, book):
    p, e = book
    trash_contacts(db, [p["ivan"]])
    shown = ids(db)
    assert e[3] not in shown and e[2] not in shown  # Ivan's alone
    assert e[1] in shown  # shared with Bob
    assert ids(db, HistoryFilter(contact_id=p["ivan"])) == [e[3], e[2], e[1]]
    restore_contacts(db, [p["ivan"]])
    assert len(ids(db)) == 6


def test_count(db, book):
    with db.reading() as s:
        assert history.history_count(s) == 6
        assert history.history_count(s, HistoryFilter(kinds=["Call"])) == 2


# -- the contact list: columns and lookups ---------------------------------------------


def test_last_contact_columns_sort_with_blanks_last(db, book):
    p, _e = book
    # ann: reached 2 Mar (the note on 1 June is neither); bob: the meeting 10 Apr;
    # ivan: meeting 10 Apr, e-mail 1 May, no answer 20 Apr; wang: ordered 31 May.
    with db.reading() as s:
        order = listing.contact_ids(s, sort_key="last_contact")
        newest = listing.contact_ids(s, sort_key="last_contact", descending=True)
        attempts = listing.contact_ids(s, sort_key="last_attempt")
        rows = listing.rows(s, [p["ivan"]], ["name", "last_contact", "last_attempt"])
    assert order == [p["ann"], p["bob"], p["ivan"], p["wang"]]
    assert newest == [p["wang"], p["ivan"], p["bob"], p["ann"]]
    assert attempts[0] == p["ivan"]  # the only one tried and not reached
    name, contact, attempt = rows[p["ivan"]]
    assert contact == at(2026, 5, 1).astimezone(UTC).replace(tzinfo=None)  # stored UTC
    assert attempt == at(2026, 4, 20).astimezone(UTC).replace(tzinfo=None)
    for key in ("last_contact", "last_attempt"):
        column = listing.CONTACT_COLUMNS[key]
        assert column.kind == listing.DATETIME and column.title()


def test_lookups_on_last_contact(db, book):
    p, _e = book
    nobody = create_contact(db, ContactData(given_name="Never", family_name="Called"))

    def find(query):
        with db.reading() as s:
            return set(find_ids(s, CONTACT, query, strict=True, today=date(2026, 5, 15)))

    assert find("last_contact<2026-04-01") == {p["ann"]}  # the never-reached do not count
    assert find("last_contact<=2026-04-10") == {p["ann"], p["bob"]}
    assert find("last_contact>=2026-05") == {p["ivan"], p["wang"]}
    assert find("last_contact:this-month") == {p["ivan"], p["wang"]}
    assert find("missing:last_contact") == {nobody}
    assert find("has:last_attempt") == {p["ivan"]}
    assert find("-has:last_attempt") == {p["ann"], p["bob"], p["wang"], nobody}
    assert find("last_attempt:2026-04-20") == {p["ivan"]}
    with db.reading() as s:  # the search box takes them too
        assert set(listing.contact_ids(s, "missing:last_contact")) == {nobody}


def test_the_fast_last_contact_order_is_the_general_one(db, book):
    """listing walks an index for the bare list sorted by last contact; with a search it
    sorts the general way. Both give the same order: blanks last, ties by name."""
    p, _e = book
    extra = [create_contact(db, ContactData(given_name=g, family_name=f))
             for g, f in (("Zed", "Zulu"), ("Amy", "Alpha"), ("Kim", "Kilo"))]
    with db.session() as s:  # a tie: one meeting with two people
        log_interaction(s, InteractionData(kind="Meeting", at=at(2026, 4, 10),
                                           contact_ids=[extra[0], extra[1]]))
    trash_contacts(db, [p["wang"]])
    with db.reading() as s:
        for key in ("last_contact", "last_attempt"):
            for descending in (False, True):
                for trash in (False, True):
                    fast = listing.contact_ids(s, sort_key=key, descending=descending,
                                               trash=trash)
                    general = listing.contact_ids(s, "has:name", sort_key=key,
                                                  descending=descending, trash=trash)
                    assert fast == general, (key, descending, trash)
        order = listing.contact_ids(s, sort_key="last_contact")
    assert order == [p["ann"], extra[1], p["bob"], extra[0], p["ivan"], extra[2]]


def test_filtered_by_kind_or_text_the_newest_still_come_first(db, book):
    _p, e = book
    assert ids(db, HistoryFilter(kinds=["Call", "E-mail"])) == [e[3], e[2], e[0]]
    assert ids(db, HistoryFilter(kinds=["Call", "E-mail"]), descending=False) == \
        [e[0], e[2], e[3]]
    assert ids(db, HistoryFilter(text="e"), descending=False)[0] == e[0]


def test_filters_compare_by_value():
    assert HistoryFilter(kinds=[], outcomes=[]) == HistoryFilter()
    assert HistoryFilter(kinds=["Call"]) == HistoryFilter(kinds=("Call",))


# -- the search box speaks the lookup language, with the history's fields ---------------


@pytest.mark.parametrize("query, expected", [
    ("kind:call", [2, 0]),
    ("kind:CALL", [2, 0]),
    ("kind=call", [2, 0]),
    ("kind:mail", [3]),  # no list entry is called so: those that hold it (E-mail)
    ("-kind:call", [5, 4, 3, 1]),
    ("outcome:reached", [0]),
    ("kind:call outcome:reached", [0]),
    ("outcome:reached adams", [0]),  # a word: a contact's name, as before
    ("outcome:reached петров", []),
    ("kind:call петров", [2]),
    ("kind:call OR kind:meeting", [2, 1, 0]),
    ("(kind:call OR kind:meeting) -outcome:reached", [2, 1]),
    ("has:outcome", [4, 2, 0]),
    ("at>2026-01-01", [5, 4, 3, 2, 1, 0]),
    ("at>2026-04-30", [5, 4, 3]),  # after that day
    ("at>=2026-05-01", [5, 4, 3]),
    ("at<2026-04-10", [0]),
    ("at<=2026-04-10", [1, 0]),
    ("at:2026-04", [2, 1]),
    ("date:2026-05-31", [4]),  # 23:00 is still the 31st, local time
    ("date=2026-06-01", [5]),
    ("direction:in", [3]),
    ("direction:OUTGOING", [2, 0]),
    ("missing:direction", [5, 4, 1]),
    ("duration>10", [1]),
    ("duration<=5", [0]),
    ("duration=60", [1]),
    ("has:duration", [1, 0]),
    ("subject:demo", [1]),
    ("subject:машины", []),
    ("details:машины", [1]),
    ('subject:"price list"', [0]),
    ("contact:петров", [3, 2, 1]),
    ("contact:brown", [1]),
    ('contact="Bob Brown"', [1]),
    ('contact="Bob Bro"', []),
    ("contact:ann OR contact:小明", [5, 4, 0]),
    ("company:zeta", [5, 0]),
    ("company:acm", [1]),
    ("-company:zeta", [4, 3, 2, 1]),
    ('"две машины"', [1]),  # a phrase of the details
    ("(счет)", [3]),  # parentheses group, they are not part of the word
])
def test_lookups_in_the_history(db, book, query, expected):
    _p, e = book
    assert ids(db, HistoryFilter(text=query)) == [e[i] for i in expected]
    with db.reading() as s:  # the same through the one entry point, strictly
        assert find_ids(s, HISTORY, query, strict=True, sort="at", descending=True) == \
            [e[i] for i in expected]
        assert history.history_count(s, HistoryFilter(text=query)) == len(expected)


def test_relative_dates_and_the_filter_bar_together(db, book):
    _p, e = book
    with db.reading() as s:
        def find(query, **kw):
            return find_ids(s, HISTORY, query, strict=True, sort="at", descending=True,
                            today=date(2026, 5, 15), **kw)
        assert find("at:this-month") == [e[4], e[3]]
        assert find("date:last-month") == [e[2], e[1]]
        assert find("at:last-30-days kind:call") == [e[2]]
    # The period, kinds and outcomes of the filter bar AND the typed lookup.
    assert ids(db, HistoryFilter(since=date(2026, 4, 1), text="kind:call")) == [e[2]]
    assert ids(db, HistoryFilter(kinds=["Call"], text="outcome:reached")) == [e[0]]
    assert ids(db, HistoryFilter(kinds=["Call"], text="-outcome:reached")) == [e[2]]
    assert ids(db, HistoryFilter(since=date(2026, 5, 1), until=date(2026, 5, 31),
                                 text="kind:letter OR kind:e-mail")) == [e[4], e[3]]
    assert ids(db, HistoryFilter(text="kind:call"), key="subject", descending=False) == \
        [e[2], e[0]]  # Follow-up, Price list


@pytest.mark.parametrize("query, message, position", [
    ("kund:call", "Unknown field 'kund' at position 1 — did you mean kind?", 0),
    ("outcome:reached knd:x", "Unknown field 'knd' at position 17", 16),
    ("city:vilnius", "Unknown field 'city' at position 1", 0),  # a contact's field
    ("has:tag", "Unknown field 'tag' at position 5", 4),
    ("at>someday", "'someday' is not a date", 3),
    ("duration>long", "'long' is not a number (duration holds numbers) at position 10", 9),
    ("direction:sideways", "direction is in or out", 10),
    ("kind<call", "kind cannot be compared with '<'", 5),
    ("kind:call OR", "OR needs something on both sides at position 11", 10),
    ("(kind:call", "The parenthesis is never closed at position 1", 0),
])
def test_history_errors_name_the_problem_and_the_place(db, book, query, message, position):
    with db.reading() as s, pytest.raises(QuerySyntaxError) as exc:
        history.history_ids(s, HistoryFilter(text=query), strict=True)
    assert message in exc.value.message
    assert exc.value.position == position
    # The search box while typing: plain words, found nowhere, never an error.
    assert ids(db, HistoryFilter(text=query)) == []


def test_a_half_typed_lookup_is_read_as_words_in_the_box(db, book):
    _p, e = book
    assert ids(db, HistoryFilter(text="(петров")) == []  # the word "(петров" is nowhere
    assert ids(db, HistoryFilter(text="kind:call OR")) == []
    assert ids(db, HistoryFilter(text="петров -")) == [e[2]]  # "-": Follow-up
    assert ids(db, HistoryFilter(text="kind:")) == []
    assert ids(db, HistoryFilter(text="kind:call")) == [e[2], e[0]]
