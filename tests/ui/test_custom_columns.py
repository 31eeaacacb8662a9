"""Custom fields as columns of the contact list: chosen, shown, sorted, remembered."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from crmdesk.core.fields import service as fields
from crmdesk.core.lookup import listing
from crmdesk.core.storage.database import Database
from crmdesk.ui.contacts.table_model import ContactTableModel


@pytest.fixture
def scored(db, people):
    """A number field and a drop-down, with values for some of the people."""
    with db.session() as s:
        fields.add_field(s, fields.CONTACT, "Score", fields.NUMBER)
        fields.add_field(s, fields.CONTACT, "Tier", fields.CHOICE, options=["A", "B"])
        for family, score, tier in (("Smith", "30", "B"), ("Brown", "5", None),
                                    ("Kazlauskas", "1200", "A")):
            fields.set_values(s, fields.CONTACT, people[family], {"score": score,
                                                                  "tier": tier})
    return people


def test_core_rows_and_ids_for_custom_columns(db, scored):
    with db.reading() as s:
        columns = listing.contact_columns(s)
        assert "cf:score" in columns and columns["cf:score"].title() == "Score"
        got = listing.rows(s, [scored["Smith"], scored["Dubois"]], ["name", "cf:score",
                                                                    "cf:tier"])
        assert got[scored["Smith"]][1:] == ("30", "B")
        assert got[scored["Dubois"]][1:] == (None, None)
        ids = listing.contact_ids(s, sort_key="cf:score")
        assert ids[:3] == [scored["Brown"], scored["Smith"], scored["Kazlauskas"]]
        assert len(ids) == len(scored)
        down = listing.contact_ids(s, sort_key="cf:score", descending=True)
        assert down[:3] == [scored["Kazlauskas"], scored["Smith"], scored["Brown"]]
        narrowed = listing.contact_ids(s, query="acme", sort_key="cf:score")
        assert narrowed == [scored["Brown"], scored["Smith"]]
        with pytest.raises(ValueError):
            listing.contact_ids(s, sort_key="cf:nothing")
        with pytest.raises(ValueError):
            listing.rows(s, [scored["Smith"]], ["cf:nothing"])
        assert fields.get_values(s, fields.CONTACT, [scored["Smith"]])[scored["Smith"]][
            "score"] == Decimal("30")
        assert listing.rows(s, [scored["Kazlauskas"]], ["cf:score"], locale="lt_LT")[
            scored["Kazlauskas"]] == ("1\xa0200",)


def test_model_offers_shows_and_sorts_a_custom_column(db, scored):
    model = ContactTableModel(db, background=False)
    model.reload_now()
    assert "cf:score" in model.keys and "cf:tier" in model.keys
    model.set_visible_columns(["name", "cf:score"])
    column = model.column_of("cf:score")
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Score"
    assert model.data(model.index(0, column), Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    model.sort(column)
    model.reload_now()
    assert model.sort_order == ("cf:score", False)
    shown = [model.data(model.index(r, column)) for r in range(model.rowCount())]
    assert [x.replace(",", "").replace("\xa0", "") for x in shown[:3]] == ["5", "30", "1200"]
    assert shown[3:] == [""] * (len(shown) - 3)
    assert model.ids()[:3] == [scored["Brown"], scored["Smith"], scored["Kazlauskas"]]


def test_custom_column_is_chosen_and_remembered(qtbot, make_window, db, scored, ui_settings):
    window = make_window(db, stand_ins=True)
    table = window.contacts.list
    titles = [a.text() for a in table.header_menu().actions()]
    assert "Score" in titles and "Tier" in titles
    table.toggle_column("cf:tier", True)
    table.save_columns()
    model = window.contacts.model
    model.sort(model.column_of("cf:tier"))
    model.wait()
    ui_settings.set_sort("contacts", "cf:tier", False)
    tiers = [model.data(model.index(r, model.column_of("cf:tier")))
             for r in range(model.rowCount())]
    assert tiers[:2] == ["A", "B"] and set(tiers[2:]) == {""}
    shown = table.shown_columns()
    assert shown[-1] == "cf:tier"
    window.close()
    again = make_window(Database.open(db.path), stand_ins=True)
    assert again.contacts.list.shown_columns() == shown
    assert again.contacts.model.sort_order == ("cf:tier", False)
