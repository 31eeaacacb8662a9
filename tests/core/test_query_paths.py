"""The same query text finds the same contacts, in the same order, in the window's contact
list and in ``crmdesk search``: one tokenizer, one entry point (lookup.query.find_ids).

The window's path keeps the folded texts in memory for one- and two-letter words
and reads a lookup that is not (yet) valid as plain words; the CLI's path has no
memory and reports the malformed lookup with its place. Everything else is the
same function, so these tests compare what the two callers are given.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmdesk.cli.search import find_ids as cli_find_ids
from crmdesk.core.contacts.records import ContactData, EmailData, create_contact
from crmdesk.core.demo import generate
from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.lookup import listing
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.core.lookup.syntax import plain_words, to_text
from crmdesk.core.search import short_fragments as short_search
from crmdesk.core.storage.database import Database


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """One demo file, opened twice: as the window opens it (remembering the texts for
    short words) and as ``crmdesk search`` does (read-only, nothing in memory)."""
    path = tmp_path_factory.mktemp("paths") / "demo.crmdesk"
    with Database.open(path) as db:
        generate(db, 400, seed=11, today=date(2026, 6, 1))
        for given, family, email in (("Pyotr", "Ivanov", "p.ivanov@example.ru"),
                                     ("Anna", "Phrase", "a.phrase@example.com"),
                                     ("A", "B", "")):
            create_contact(db, ContactData(given_name=given, family_name=family,
                                           emails=[EmailData(email)] if email else [],
                                           notes="said a phrase (ivanov) once"))
    window = Database.open(path)
    short_search.remember_texts(window)
    with window.reading() as s:
        listing.warm_text_memory(s)
    cli = Database.open(path, readonly=True)
    yield window, cli
    window.close()
    cli.close()


def window_ids(window: Database, query: str) -> list[int]:
    with window.reading() as s:
        return listing.contact_ids(s, query)


def cli_ids(cli: Database, query: str) -> list[int]:
    with cli.reading() as s:
        return cli_find_ids(s, query, trash=False, limit=None)


def same_both_ways(files, query: str) -> None:
    window, cli = files
    shown = window_ids(window, query)
    try:
        printed = cli_ids(cli, query)
    except QuerySyntaxError as exc:
        # The CLI says what and where; the box reads the same text as plain words.
        assert exc.position is not None and 0 <= exc.position <= len(query)
        assert exc.message
        with cli.reading() as s:
            words = find_ids(s, CONTACT, to_text(plain_words(query)), strict=True)
        assert shown == words, query
        return
    assert shown == printed, query


QUERIES = [
    "ivanov", "(ivanov)", "((ivanov))", "ivanov)", "(ivanov", '"a phrase"', '"(ivanov)"',
    "-tag:newsletter", "tag:newsletter", "-tag:x", "tag:x", "a OR b", "ivanov OR phrase",
    "-(a OR b)", "a", "b", "ab", "я", "ив", "ž", "小", "明", "王小明", "上海", "иванов", "петров",
    "москва", "ООО", '"ООО "', "kazlau", "+7 495", "12", "+3", "pe tag:newsletter",
    "city:vilnius", "status:customer", "-status:customer", "missing:email", "has:phone",
    "a -", "status:", "OR", "a AND", "NOT", "x ()", "name:ivanov", "zz", "", "   ",
    "ivanov -tag:newsletter", "(a OR ив) 小", "birthday:this-month", "created:today",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_window_and_the_cli_agree(files, query):
    same_both_ways(files, query)


def test_what_the_examples_mean(files):
    window, _cli = files
    with window.reading() as s:
        ivanov = listing.contact_ids(s, "ivanov")
        # Parentheses group; they are not part of the word (in both places).
        assert listing.contact_ids(s, "(ivanov)") == ivanov != []
        # A phrase is one term: the notes hold "a phrase", the name "Phrase" alone does not.
        phrase = listing.contact_ids(s, '"a phrase"')
        assert set(phrase) >= set(listing.contact_ids(s, '"said a phrase"'))
        # A malformed lookup in the box: the words as typed, "(ivanov" included.
        assert listing.contact_ids(s, "(ivanov") == \
            find_ids(s, CONTACT, '"(ivanov"', strict=True)
    with pytest.raises(QuerySyntaxError) as exc:
        cli_ids(files[1], "(ivanov")
    assert exc.value.position == 0


PIECES = st.sampled_from(["a", "я", "ив", "ov", "小", "明", "ivanov", "петров", "(", ")", "OR",
                          "-", '"', "tag:newsletter", "status:customer", "city:vilnius",
                          "has:email", "missing:phone", "ž", "12", "+3", "ка", "AND", "e é"])


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PIECES, min_size=1, max_size=4))
def test_any_query_agrees(files, pieces):
    same_both_ways(files, " ".join(pieces))
