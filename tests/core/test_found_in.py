"""Why a contact matched: the field a search word was found in, with a snippet of
its value as typed (search.found_in), for the list to show beside the name."""

from __future__ import annotations

import pytest

from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    EmailData,
    PhoneData,
    create_contact,
)
from crmdesk.core.lookup.query import search_terms
from crmdesk.core.search.found_in import Found, snippet, where_found


@pytest.fixture
def jonas(db):
    return create_contact(db, ContactData(
        given_name="Jonas", family_name="Petraitis", company="UAB Baltic Pipes",
        phones=[PhoneData("+370 612 34567", "mobile")],
        emails=[EmailData("jonas@pipes.lt")],
        addresses=[AddressData("Žalgirio g. 5", "Vilnius", "", "LT-09300", "LT")],
        tags=["krepšinis"],
        notes="Met him at the fair in Kaunas. He ordered forty steel pipes for the new "
              "warehouse and wants the invoice in euros, not litas, by the end of the month."))


def explain(db, ids, query):
    with db.reading() as s:
        return where_found(s, ids, search_terms(query))


def test_a_word_in_the_address_is_explained(db, jonas):
    found = explain(db, [jonas], "zalgir")
    (term, place), = found[jonas].items()
    assert str(place) == "Address: Žalgirio g. 5, Vilnius, LT-09300, LT"
    assert term.text == "zalgir"


def test_each_word_where_it_was_found_name_first(db, jonas):
    found = explain(db, [jonas], 'jonas kaunas krepsin "612 34"')
    places = {t.text: p for t, p in found[jonas].items()}
    assert places["jonas"] == Found("Name", "Jonas Petraitis")
    assert places["krepsin"] == Found("Tag", "krepšinis")
    assert places["kaunas"].where == "Notes"
    assert "Kaunas" in places["kaunas"].snippet and len(places["kaunas"].snippet) <= 50
    # a phone typed any way is found in the number as typed
    assert places["61234"] == Found("Phone", "+370 612 34567")


def test_field_conditions_are_not_words(db, jonas):
    # city:Vilnius is a condition, not a word to explain; "pipes" is
    found = explain(db, [jonas], "city:Vilnius pipes")
    assert [p.where for p in found[jonas].values()] == ["Company"]


def test_nothing_to_explain(db, jonas):
    assert explain(db, [jonas], "") == {}
    assert explain(db, [jonas], "status:Customer") == {}
    assert explain(db, [jonas], "nowhere") == {}
    assert explain(db, [], "jonas") == {}


def test_custom_field_values_are_named_by_their_label(db, jonas):
    from crmdesk.core.fields import service as fields

    with db.session() as s:
        field = fields.add_field(s, "contact", "Contract number", "text")
        fields.set_values(s, "contact", jonas, {field.key: "LT-2026/77"})
    found = explain(db, [jonas], "2026/77")
    assert [str(p) for p in found[jonas].values()] == ["Contract number: LT-2026/77"]


@pytest.mark.parametrize("text, words, want", [
    ("short", ["sho"], "short"),
    ("Žalgirio g. 5", ["zalgir"], "Žalgirio g. 5"),
    # a long note is cut around the match, at word boundaries, with … marks
    ("one two three four five six seven eight nine ten eleven twelve thirteen "
     "fourteen fifteen Žalgirio sixteen seventeen eighteen nineteen twenty",
     ["zalgir"], "…fourteen fifteen Žalgirio sixteen seventeen…"),
    ("Žalgirio at the start of a very long note that goes on and on and on and on",
     ["zalgir"], "Žalgirio at the start of a very long note that…"),
    ("line one\nline two", ["two"], "line one line two"),
])
def test_snippets(text, words, want):
    assert snippet(text, words) == want
