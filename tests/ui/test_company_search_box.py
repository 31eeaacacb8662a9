"""The Companies view's search box speaks the lookup language, with the companies' fields."""

from __future__ import annotations

import pytest

from crmdesk.core.companies.records import CompanyData, create_company
from crmdesk.core.contacts.records import AddressData


@pytest.fixture
def cwindow(make_window, db, people):
    create_company(db, CompanyData(name="Maxima LT UAB", industry="Retail",
                                   addresses=[AddressData(city="Vilnius")]))
    create_company(db, CompanyData(name="Rimi Lietuva", industry="Retail"))
    window = make_window(db)
    window.show_view(window.companies)
    return window


def shown(window) -> list[str]:
    model = window.companies.model
    model.wait()
    col = model.column_of("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_industry_city_and_plain_words(cwindow):
    window = cwindow
    window.search_box.setText("industry:retail")
    window.apply_search()
    assert shown(window) == ["Maxima LT UAB", "Rimi Lietuva"]
    assert window.count_label.text() == "2 of 5 companies"
    window.search_box.setText("industry:retail city:vilnius")
    window.apply_search()
    assert shown(window) == ["Maxima LT UAB"]
    window.search_box.setText("-industry:retail contacts>1")  # two people each
    window.apply_search()
    assert shown(window) == ["Acme Ltd", "Vilniaus prekyba UAB", "ООО Ромашка"]
    window.search_box.setText("industry:")  # still being typed: words, no error
    window.apply_search()
    assert shown(window) == []
    window.search_box.setText("rimi")
    window.apply_search()
    assert shown(window) == ["Rimi Lietuva"]
