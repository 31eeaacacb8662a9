"""Search finds anyone by any fragment of any field, in any script.

Words and "phrases" are a lookup like any other (lookup.query.find_ids), read the
way the search box reads them: a text that is not a valid lookup is plain words."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    EmailData,
    PhoneData,
    create_contact,
    get_contact,
    trash_contacts,
    update_contact,
)
from crmdesk.core.lookup.compiler import terms_of
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.core.lookup.syntax import plain_words
from crmdesk.core.text.folding import fold


def search_contact_ids(session, query, **kw):
    return find_ids(session, CONTACT, query, strict=False, **kw)


@pytest.fixture
def people(db):
    ids = {
        "ivanova": create_contact(db, ContactData(
            given_name="Мария", middle_name="Петровна", family_name="ИВАНОВА",
            phones=[PhoneData("+7 (495) 123-45-67", "work")],
            emails=[EmailData("m.ivanova@romashka.ru")], company="ООО Ромашка",
            addresses=[AddressData("ул. Тверская, 7", "Москва", "", "125009", "RU")],
            notes="Звонить после обеда")),
        "zalgiris": create_contact(db, ContactData(
            given_name="Jonas", family_name="Petraitis", company="Žalgiris UAB",
            addresses=[AddressData("Gedimino pr. 1", "Vilnius", "", "LT-01103", "LT")],
            tags=["krepšinis"])),
        "sorensen": create_contact(db, ContactData(given_name="Lars", family_name="Sørensen",
                                                   emails=[EmailData("lars@fjord.dk")])),
        "wang": create_contact(db, ContactData(given_name="小明", family_name="王",
                                               name_order="family_first",
                                               company="上海贸易有限公司")),
        "smith": create_contact(db, ContactData(
            given_name="John", family_name="Smith", notes="Met at the Ivanov dinner",
            phones=[PhoneData("(212) 555-0143")], tags=["newsletter"])),
    }
    return ids


def find(db, query, **kw):
    with db.reading() as s:
        return search_contact_ids(s, query, **kw)


@pytest.mark.parametrize(
    "query, who",
    [
        ("иванов", "ivanova"),  # lower-case finds upper-case Cyrillic
        ("ИВАНОВА", "ivanova"),
        ("петровна", "ivanova"),  # patronymic
        ("ромашка", "ivanova"),  # company
        ('"ООО Ромашка"', "ivanova"),  # a phrase
        ("4951234567", "ivanova"),  # digits whatever the formatting
        ("+7 (495) 123-45-67", "ivanova"),
        ("123-45-67", "ivanova"),
        ("74951234567", "ivanova"),
        ("тверская", "ivanova"),  # address
        ("москва", "ivanova"),
        ("обеда", "ivanova"),  # notes
        ("romashka.ru", "ivanova"),  # e-mail
        ("zalgiris", "zalgiris"),  # Lithuanian without accents
        ("ŽALGIRIS", "zalgiris"),
        ("krepsinis", "zalgiris"),  # tags
        ("vilnius", "zalgiris"),
        ("lt-01103", "zalgiris"),
        ("sorensen", "sorensen"),
        ("SØRENSEN", "sorensen"),
        ("小明", "wang"),  # Chinese, two characters
        ("王小明", "wang"),
        ("贸易", "wang"),
        ("明", "wang"),  # one character
        ("trai", "zalgiris"),  # middle of a word: PeTRAItis
        ("fjord", "sorensen"),
        ("2125550143", "smith"),
        ("newsletter", "smith"),
    ],
)
def test_finds(db, people, query, who):
    assert people[who] in find(db, query)


def test_one_and_two_letter_fragments_in_the_middle_of_words(db, people):
    assert people["zalgiris"] in find(db, "tr")  # PeTRaitis
    assert people["smith"] in find(db, "mi")
    assert set(find(db, "ø")) == set(find(db, "o")) >= {people["sorensen"]}
    assert people["ivanova"] in find(db, "ш")  # РомаШка


def test_no_false_matches(db, people):
    assert find(db, "zzzz") == []
    assert find(db, "иванов москва") == [people["ivanova"]]  # words are ANDed
    assert find(db, "иванов vilnius") == []


def test_name_matches_rank_first(db, people):
    # "ivanov" is Smith's note, and Ivanova's name (Latin transliteration absent):
    extra = create_contact(db, ContactData(given_name="Pyotr", family_name="Ivanov"))
    result = find(db, "ivanov")
    assert result[0] == extra
    assert people["smith"] in result[1:]


def test_trash_leaves_search_and_restore_brings_back(db, people):
    trash_contacts(db, [people["smith"]])
    assert people["smith"] not in find(db, "smith")
    assert find(db, "smith", trash=True) == [people["smith"]]


def test_edits_are_searchable_at_once(db, people):
    data = get_contact(db, people["sorensen"])
    data.family_name = "Kierkegaard"
    update_contact(db, people["sorensen"], data)
    assert find(db, "sorensen") == []
    assert find(db, "kierke") == [people["sorensen"]]


def test_company_rename_reindexes_contacts(db, people):
    from crmdesk.core.companies.records import get_company, update_company

    company_id = get_contact(db, people["zalgiris"]).company_id
    company = get_company(db, company_id)
    company.name = "Rytas UAB"
    update_company(db, company_id, company)
    assert people["zalgiris"] in find(db, "rytas")
    assert people["zalgiris"] not in find(db, "zalgiris")


def test_same_results_with_and_without_the_fts_index(db, people, monkeypatch):
    """The scan path (other SQLite builds, PostgreSQL) agrees with FTS5."""
    from crmdesk.core.lookup import compiler
    queries = ["иванов", "zalgiris", "小明", "4951234567", "ov", "a", "sorensen", "trai",
               "ivanov OR zalgiris", "-москва", "name:sorensen"]
    with db.reading() as s:
        with_fts = [search_contact_ids(s, q) for q in queries]
    monkeypatch.setattr(compiler, "has_fts", lambda _s: False)
    with db.reading() as s:
        without = [search_contact_ids(s, q) for q in queries]
    assert with_fts == without


def test_hostile_queries_are_just_text(db, people):
    for q in ['"', '""', "'); DROP TABLE contact;--", "NEAR(a b)", "a OR b", "*", "^x",
              "col:x", "\\", "%", "_"]:
        find(db, q)  # no exception
    assert len(find(db, "")) == len(people)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_plain_words_never_fail_and_terms_are_folded(text):
    for term in terms_of(plain_words(text)):
        assert term.text
        assert term.text == fold(term.text) or term.text.isdigit()
        assert all(alt == fold(alt) for alt in term.alts)


def test_phone_like_names_are_found_as_typed_too(db):
    cid = create_contact(db, ContactData(given_name="0/0", family_name="Agent"))
    assert cid in find(db, '"0/0"')
    assert cid in find(db, "0/0 agent")


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30))
@example("\\")  # a name that is one backslash
@example('say "hi"')  # quotes inside the name
@example('\\"')
def test_any_name_is_found_by_itself(tmp_path_factory, migrated_template, text):
    import shutil

    from crmdesk.core.storage.database import Database

    if not fold(text):
        return
    # The lookup language's phrase: a backslash escapes a quote or a backslash.
    phrase = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    path = tmp_path_factory.mktemp("h") / "h.crmdesk"
    shutil.copy(migrated_template, path)
    with Database.open(path) as db:
        cid = create_contact(db, ContactData(given_name=text, family_name="X"))
        with db.reading() as s:
            assert cid in search_contact_ids(s, phrase)
