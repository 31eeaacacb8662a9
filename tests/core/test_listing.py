"""The ordered-id queries and row blocks behind the big lists (core.listing)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from crmdesk.core.companies.records import trash_companies
from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    EmailData,
    create_contact,
    set_collation,
    trash_contacts,
)
from crmdesk.core.lookup import listing
from crmdesk.core.storage.settings import set_setting


def add(db, given, family, *, company="", city="", email="", status=""):
    return create_contact(db, ContactData(
        given_name=given, family_name=family, company=company, status=status,
        emails=[EmailData(email)] if email else [],
        addresses=[AddressData(city=city)] if city else []))


@pytest.fixture
def some(db):
    return {
        "smith": add(db, "Anna", "Smith", company="Zeta Corp", city="Boston",
                     email="anna@z.example", status="Customer"),
        "brown": add(db, "John", "Brown", company="Acme", city="", email="",
                     status="Lead"),
        "adams": add(db, "Zoe", "Adams", company="Acme", city="Austin",
                     email="zoe@a.example", status="Prospect"),
        "jones": add(db, "Bob", "Jones", city="boston", email="bob@j.example"),
    }


def ids(db, **kw):
    with db.reading() as s:
        return listing.contact_ids(s, **kw)


def test_name_order_is_family_name_first(db, some):
    assert ids(db) == [some["adams"], some["brown"], some["jones"], some["smith"]]
    assert ids(db, descending=True) == [some["smith"], some["jones"], some["brown"],
                                        some["adams"]]


def test_company_order_keeps_blanks_last_and_ties_by_name(db, some):
    assert ids(db, sort_key="company") == [some["adams"], some["brown"], some["smith"],
                                          some["jones"]]
    assert ids(db, sort_key="company", descending=True) == [
        some["smith"], some["adams"], some["brown"], some["jones"]]


def test_city_order_ignores_case(db, some):
    assert ids(db, sort_key="city") == [some["adams"], some["jones"], some["smith"],
                                       some["brown"]]


def test_status_follows_the_drop_down_order(db, some):
    # Lead, Prospect, Customer ... as in the list, not A-Z; no status last.
    assert ids(db, sort_key="status") == [some["brown"], some["adams"], some["smith"],
                                         some["jones"]]


# Every column both ways, as (ascending, descending): empty values last either way,
# ties in name order (Adams, Brown, Jones, Smith). Nobody has a phone, job title,
# department, country, source, birthday or history, and nobody is in the trash: those
# columns are all ties. Created and updated: in the order the fixture made them.
BY_NAME = ("adams", "brown", "jones", "smith")
SORTED = {
    "name": (BY_NAME, ("smith", "jones", "brown", "adams")),
    "company": (("adams", "brown", "smith", "jones"), ("smith", "adams", "brown", "jones")),
    "job_title": (BY_NAME, BY_NAME),
    "department": (BY_NAME, BY_NAME),
    "phone": (BY_NAME, BY_NAME),
    "email": (("smith", "jones", "adams", "brown"), ("adams", "jones", "smith", "brown")),
    "city": (("adams", "jones", "smith", "brown"), ("jones", "smith", "adams", "brown")),
    "country": (BY_NAME, BY_NAME),
    "status": (("brown", "adams", "smith", "jones"), ("smith", "adams", "brown", "jones")),
    "source": (BY_NAME, BY_NAME),
    "birthday": (BY_NAME, BY_NAME),
    "created": (("smith", "brown", "adams", "jones"), ("jones", "adams", "brown", "smith")),
    "updated": (("smith", "brown", "adams", "jones"), ("jones", "adams", "brown", "smith")),
    "deleted": (BY_NAME, BY_NAME),
    "last_contact": (BY_NAME, BY_NAME),
    "last_attempt": (BY_NAME, BY_NAME),
    "next_activity": (BY_NAME, BY_NAME),  # nothing planned: blanks keep the name order
}


def test_every_column_has_an_expected_order():
    assert set(SORTED) == set(listing.CONTACT_COLUMNS)


@pytest.mark.parametrize("key", list(SORTED))
@pytest.mark.parametrize("descending", [False, True])
def test_every_column_sorts_both_ways(db, some, key, descending):
    expected = SORTED[key][descending]
    assert ids(db, sort_key=key, descending=descending) == [some[name] for name in expected]


def test_unknown_column_is_refused(db, some):
    with pytest.raises(ValueError):
        ids(db, sort_key="name; DROP TABLE contact")
    with db.reading() as s, pytest.raises(ValueError):
        listing.rows(s, [some["smith"]], ["password"])


def test_search_puts_name_matches_first(db, some):
    other = add(db, "Carl", "Other", company="Adams & Co")
    assert ids(db, query="adams") == [some["adams"], other]


def test_search_with_another_order(db, some):
    assert ids(db, query="boston", sort_key="email") == [some["smith"], some["jones"]]


def test_trash_is_a_list_of_its_own(db, some):
    trash_contacts(db, [some["brown"]])
    assert some["brown"] not in ids(db)
    assert ids(db, trash=True, sort_key="deleted", descending=True) == [some["brown"]]
    with db.reading() as s:
        assert listing.count_all(s) == 3 and listing.count_all(s, trash=True) == 1


def test_lithuanian_and_russian_alphabets(db):
    set_setting_db(db, "lt")
    z = [add(db, "A", n) for n in ("Žukauskas", "Zuikis", "Šimkus", "Sabonis")]
    assert ids(db) == [z[3], z[2], z[1], z[0]]  # S Š ... Z Ž
    set_collation(db, "ru")
    r = [add(db, "А", n) for n in ("Йогурт", "Иванов", "Кузнецов")]
    ru = [i for i in ids(db) if i in r]
    assert ru == [r[1], r[0], r[2]]  # И Й К


def set_setting_db(db, language):
    with db.session() as s:
        set_setting(s, "collation", language)


def test_rows_gives_the_shown_values_with_one_query_per_table(db, some):
    statements = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda *a: statements.append(a[2]))
    with db.reading() as s:
        rows = listing.rows(s, list(some.values()), ["name", "company", "email", "city",
                                                      "status", "updated", "birthday"])
    selects = [q for q in statements if q.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3  # contact (+company, status), e-mail, address
    assert rows[some["smith"]][:5] == ("Anna Smith", "Zeta Corp", "anna@z.example", "Boston",
                                       "Customer")
    assert rows[some["brown"]][2:4] == (None, None)
    assert rows[some["brown"]][6] is None


def test_rows_skip_ids_that_are_gone_and_trashed_companies(db, some):
    with db.reading() as s:
        from crmdesk.core.storage.models import Contact

        acme = s.get(Contact, some["adams"]).company_id
    trash_companies(db, [acme])
    with db.reading() as s:
        rows = listing.rows(s, [some["adams"], 999_999], ["name", "company"])
    assert rows == {some["adams"]: ("Zoe Adams", None)}


def test_companies(db, some):
    with db.reading() as s:
        by_name = listing.company_ids(s)
        by_count = listing.company_ids(s, sort_key="contacts", descending=True)
        rows = listing.company_rows(s, by_name, ["name", "contacts", "city"])
        found = listing.company_ids(s, query="zet")
    assert [rows[i][0] for i in by_name] == ["Acme", "Zeta Corp"]
    assert rows[by_count[0]][:2] == ("Acme", 2)
    assert [rows[i][0] for i in found] == ["Zeta Corp"]


def test_the_search_box_speaks_the_lookup_language(db, some):
    # In name order, as the list shows them.
    assert ids(db, query="city:boston") == [some["jones"], some["smith"]]
    assert ids(db, query="-city:boston") == [some["adams"], some["brown"]]
    assert ids(db, query="city:austin OR status:lead") == [some["adams"], some["brown"]]
    assert ids(db, query="missing:email") == [some["brown"]]
    assert ids(db, query="company:acme", sort_key="name") == [some["adams"], some["brown"]]
    assert ids(db, query="acme status:prospect") == [some["adams"]]


@pytest.mark.parametrize(("partial", "found"), [
    ("status:", []), ("(city", []), ("nosuchfield:x", []), ('"open quote', []),
    ("a OR", ["smith"]),  # the words "a" and "or": Zeta Corp
    ('"zeta', ["smith"]),  # the phrase typed so far
])
def test_an_unfinished_lookup_is_searched_as_words(db, some, partial, found):
    """While the user types "status:" or "(city" the box must not fail."""
    assert ids(db, query=partial) == [some[name] for name in found]
