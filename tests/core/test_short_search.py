"""One- and two-letter searches answered from memory give exactly what SQL gives."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmdesk.core.contacts.records import (
    ContactData,
    create_contact,
    get_contact,
    trash_contacts,
    update_contact,
)
from crmdesk.core.demo import generate
from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.lookup import listing
from crmdesk.core.lookup.compiler import terms_of
from crmdesk.core.lookup.query import quick_first_ids
from crmdesk.core.lookup.syntax import parse, plain_words
from crmdesk.core.search import short_fragments as short_search
from crmdesk.core.storage.database import Database


def parse_terms(query: str) -> list:
    """The words of a query as the search box reads it (plain words if not a lookup)."""
    try:
        tree = parse(query)
    except QuerySyntaxError:
        tree = plain_words(query)
    return list(terms_of(tree))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = Database.open(tmp_path_factory.mktemp("short") / "demo.crmdesk")
    generate(db, 600, seed=5, today=date(2026, 6, 1))
    yield db
    db.close()


def both(db: Database, query: str, descending: bool = False) -> tuple[list[int], list[int]]:
    """(from SQL, from memory) for the same query."""
    memory, db.text_memory = db.text_memory, None
    try:
        with db.reading() as s:
            sql = listing.contact_ids(s, query, descending=descending)
    finally:
        db.text_memory = memory
    short_search.remember_texts(db)
    with db.reading() as s:
        remembered = listing.contact_ids(s, query, descending=descending)
    return sql, remembered


QUERIES = ["a", "я", "ив", "ž", "Z", "小", "明", "ka s", "12", "+3", "@", "ов ан", "zz", "-",
           '"a b"', "e é", "Ž", "ł", "ко", "li", "67"]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("descending", [False, True])
def test_same_contacts_in_the_same_order(demo, query, descending):
    # Every query here takes the in-memory path, but the phrase of two words.
    assert short_search.applies(parse_terms(query)) == (query != '"a b"')
    sql, remembered = both(demo, query, descending)
    assert remembered == sql


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet="aeiknorsuzžėąяовинк小明王3-+ ", min_size=1, max_size=2),
                min_size=1, max_size=3))
def test_any_short_words_agree(demo, words):
    query = " ".join(words)
    sql, remembered = both(demo, query)
    assert remembered == sql


def test_a_change_is_seen_at_once(tmp_path):
    db = Database.open(tmp_path / "f.crmdesk")
    short_search.remember_texts(db)
    cid = create_contact(db, ContactData(given_name="Ąžuolas", family_name="Kazlauskas"))
    other = create_contact(db, ContactData(given_name="Jonas", family_name="Petraitis"))
    with db.reading() as s:
        assert listing.contact_ids(s, "zl") == [cid]
        assert db.text_memory.filled()
    data = get_contact(db, cid)
    data.family_name = "Jankauskas"
    update_contact(db, cid, data)
    with db.reading() as s:
        assert listing.contact_ids(s, "zl") == []
        assert listing.contact_ids(s, "nk") == [cid]
    trash_contacts(db, [other])
    with db.reading() as s:
        assert listing.contact_ids(s, "pe") == []
        assert listing.contact_ids(s, "pe", trash=True) == [other]  # SQL answers the trash
    db.close()


def test_a_word_in_one_script_is_found_in_contacts_written_in_another(tmp_path):
    # Only the contacts whose texts hold a word's script are read for it: a Latin name
    # with a Chinese note, a Chinese name with a Cyrillic one, a Greek word, a dash.
    db = Database.open(tmp_path / "f.crmdesk")
    latin = create_contact(db, ContactData(given_name="Anna", family_name="Berg",
                                           notes="Офис в 上海, 5 этаж"))
    chinese = create_contact(db, ContactData(given_name="小明", family_name="王",
                                             notes="говорит по-русски; ελληνικά – «да»"))
    plain = create_contact(db, ContactData(given_name="Jonas", family_name="Žukas"))
    for query in ("上海", "上", "ив", "эт", "λλ", "–", "«", "žu", "zu", "王 ив", "an 上"):
        sql, remembered = both(db, query)
        assert remembered == sql, query
    _sql, remembered = both(db, "上")
    assert remembered == [latin]
    _sql, remembered = both(db, "ру")
    assert remembered == [chinese]
    _sql, remembered = both(db, "λλ")
    assert remembered == [chinese]
    with db.reading() as s:  # the first screenful, chunk by chunk, the same
        assert listing.contact_ids(s, "зу") == []
        assert quick_first_ids(s, "上", limit=5) == [latin]
        assert quick_first_ids(s, "ру", limit=5) == [chinese]
        assert set(quick_first_ids(s, "u", limit=5)) >= {plain}
    db.close()


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=30), st.data())
def test_a_text_has_every_script_of_any_piece_of_it(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    piece, bits = text[start:end], short_search.scripts_of(text)
    assert short_search.scripts_of(piece) & ~bits == 0
    assert short_search.scripts_of(text[:start], text[start:]) == bits
    assert (bits == 0) == text.isascii()


def test_not_for_a_read_only_file_nor_without_asking(tmp_path):
    path = tmp_path / "f.crmdesk"
    db = Database.open(path)
    create_contact(db, ContactData(given_name="Ann"))
    with db.reading() as s:
        listing.contact_ids(s, "an")
    assert db.text_memory is None  # the CLI never asked
    db.close()
    ro = Database.open(path, readonly=True)
    short_search.remember_texts(ro)
    assert ro.text_memory is None
    ro.close()


def test_long_words_still_use_the_index():
    assert not short_search.applies(parse_terms("ivanov"))
    assert not short_search.applies(parse_terms("iv ivanov"))
    assert short_search.applies(parse_terms("iv an"))
    assert not short_search.applies([])


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("limit", [1, 7, 200])
def test_the_first_screenful_is_the_whole_answers_first_rows(demo, monkeypatch, query,
                                                             descending, limit):
    """Stopped after ``limit``, chunk by chunk (chunks of 64 here, so that 600 contacts
    take several), the answer is the whole list's beginning; fewer means all."""
    from crmdesk.core.lookup.query import quick_first_ids

    monkeypatch.setattr(short_search, "CHUNK", 64)
    short_search.remember_texts(demo)
    with demo.reading() as s:
        whole = listing.contact_ids(s, query, descending=descending)
        first = quick_first_ids(s, query, descending=descending, limit=limit)
    assert first == whole[:limit]  # '"a b"': a phrase, from the index, put in order


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet="aeiknorsuzžėąяовинк小明王3-+ ", min_size=1, max_size=2),
                min_size=1, max_size=3), st.integers(1, 300), st.booleans())
def test_any_first_screenful_agrees(demo, words, limit, descending):
    _first_screenful_agrees(demo, words, limit, descending)


def _first_screenful_agrees(demo, words, limit, descending):
    """Whatever first screenful quick_first_ids gives is the whole answer's first rows."""
    from crmdesk.core.lookup.query import quick_first_ids

    query = " ".join(words)
    short_search.remember_texts(demo)
    with demo.reading() as s:
        whole = listing.contact_ids(s, query, descending=descending)
        first = quick_first_ids(s, query, descending=descending, limit=limit)
    if first is not None:
        assert first == whole[:limit]


TRIGRAM_QUERIES = ["ivanov", "vil", "kaz", "smith", "pet", "иван", "петр", "вильн", "王伟明",
                   "gmail", "+370", "370 612", "sąskait", "zzzqqq", "ana ova", "ius", "ova kaz",
                   '"ivan petr"', "jonas", "uab"]


@pytest.mark.parametrize("query", TRIGRAM_QUERIES)
@pytest.mark.parametrize("descending", [False, True])
def test_trigram_words_first_screenful_is_the_whole_answers_first_rows(demo, query,
                                                                        descending):
    """Words of three or more: the index's hits put in the list's order from memory
    give exactly the whole answer's first rows (name matches first)."""
    from crmdesk.core.lookup.query import quick_first_ids

    short_search.remember_texts(demo)
    with demo.reading() as s:
        whole = listing.contact_ids(s, query, descending=descending)
        for limit in (1, 5, 200):
            first = quick_first_ids(s, query, descending=descending, limit=limit)
            assert first == whole[:limit], (query, limit)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet="aeiknorsuvzžėąяовинк小明王3-+ ", min_size=3, max_size=5),
                min_size=1, max_size=2), st.integers(1, 300), st.booleans())
def test_any_trigram_first_screenful_agrees(demo, words, limit, descending):
    _first_screenful_agrees(demo, words, limit, descending)


def test_no_first_screenful_where_only_the_whole_list_knows(demo):
    from crmdesk.core.lookup.query import quick_first_ids

    short_search.remember_texts(demo)
    with demo.reading() as s:
        assert quick_first_ids(s, "iv city:Vilnius", limit=10) is None  # a condition
        assert quick_first_ids(s, "ivanov iv", limit=10) is None  # long and short words
        assert quick_first_ids(s, "iv", sort="city", limit=10) is None  # another order
        assert quick_first_ids(s, "iv", trash=True, limit=10) is None
        assert quick_first_ids(s, "iv", limit=10) is not None
