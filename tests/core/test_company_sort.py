"""Companies sort by their name without the legal form (text.company_names), in the
Companies list and wherever a list sorts by company; a file made before gets the keys."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import create_engine, event, select

from crmdesk.core.companies.records import (
    CompanyData,
    company_ids,
    company_names,
    create_company,
    load_company,
    save_company,
)
from crmdesk.core.contacts.bulk import add_contacts
from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.lookup import listing
from crmdesk.core.storage import migrate
from crmdesk.core.storage.database import APPLICATION_ID, SCHEMA_VERSION, Database
from crmdesk.core.storage.models import Company
from crmdesk.core.text.collation import collation_key
from crmdesk.core.text.company_names import company_sort_key, strip_legal_form
from crmdesk.core.text.folding import fold


@pytest.mark.parametrize("name, key", [
    # Lithuanian forms, before and after, with and without quotes
    ("UAB Žalgiris", "zalgiris"), ("Žalgiris UAB", "zalgiris"),
    ('UAB "Vilniaus prekyba"', "vilniaus prekyba"),
    ('"Vilniaus prekyba", UAB', "vilniaus prekyba"),
    ("UAB „Vilniaus prekyba“", "vilniaus prekyba"),
    ("AB Amber", "amber"), ("Amber AB", "amber"), ("MB Idėja", "ideja"),
    ("VšĮ Sveikata", "sveikata"), ("IĮ Jonas", "jonas"), ("Jonas IĮ", "jonas"),
    # Latvian, Estonian
    ("SIA Rīga", "riga"), ("Tere OÜ", "tere"), ("OÜ Tere", "tere"),
    # Russian
    ("ООО «Ромашка»", "ромашка"), ("«Ромашка» ООО", "ромашка"), ('ООО "Ромашка"', "ромашка"),
    ("ОАО РЖД", "ржд"), ("АО Банк", "банк"), ("ЗАО «Альфа»", "альфа"),
    ("ПАО Сбербанк", "сбербанк"), ("ИП Иванов", "иванов"),
    # English, German
    ("Acme LLC", "acme"), ("Acme L.L.C.", "acme"), ("Acme Inc.", "acme"),
    ("Acme, Inc.", "acme"), ("Acme Inc", "acme"), ("Acme Ltd", "acme"),
    ("Acme Ltd.", "acme"), ("Acme Limited", "acme"), ("Beta GmbH", "beta"),
    ("Gamma AG", "gamma"), ("Shenzhen Tech Co., Ltd.", "shenzhen tech"),
    ("Shenzhen Tech Co Ltd", "shenzhen tech"),
    # Chinese
    ("北京有限公司", "北京"), ("深圳股份有限公司", "深圳"), ("上海有限责任公司", "上海"),
    # forms on both sides at once
    ("ООО «Ромашка» Ltd", "ромашка"),
])
def test_legal_form_left_out(name, key):
    assert company_sort_key(name) == collation_key(key)
    assert fold(strip_legal_form(name)) == fold(key)


@pytest.mark.parametrize("name, key", [
    ("Abbott", "Abbott"), ("Agave", "Agave"), ("Ltdx", "Ltdx"), ("Sialia", "Sialia"),
    ("Inca", "Inca"), ("Zag", "Zag"), ("Ooops", "Ooops"), ("Аорта", "Аорта"),
    ("UAB", "UAB"),            # nothing but a form: kept
    ('"UAB"', "UAB"),
    ("", ""), ("  UAB  Žalgirio   prekyba ", "Žalgirio   prekyba"),
    ("ООО «Ёлка»", "Ёлка"), ("UAB Stras\u0302e", "Straŝe"),  # decomposed: made NFC
])
def test_not_a_legal_form(name, key):
    assert strip_legal_form(name) == key


MIX = ["UAB Žalgiris", "AB Amber", "ООО Ромашка", "Acme Ltd", "北京有限公司"]
ORDER = ["Acme Ltd", "AB Amber", "UAB Žalgiris", "ООО Ромашка", "北京有限公司"]


def _names(db, ids):
    with db.reading() as s:
        return [s.get(Company, i).name for i in ids]


def test_companies_list_order(db):
    for name in MIX:
        create_company(db, CompanyData(name=name))
    with db.reading() as s:
        ids = listing.company_ids(s)
        down = listing.company_ids(s, descending=True)
        plain = company_ids(s)
        names = company_names(s)
    assert _names(db, ids) == ORDER
    assert _names(db, down) == ORDER[::-1]
    assert _names(db, plain) == ORDER
    assert names == ORDER


def test_renamed_company_gets_a_new_key(db):
    cid = create_company(db, CompanyData(name="Zeta"))
    with db.session() as s:
        data = load_company(s, cid)
        save_company(s, cid, replace(data, name="UAB Alfa"))
    with db.reading() as s:
        row = s.get(Company, cid)
        assert (row.name_key, row.sort_key) == ("uab alfa", "alfa")


def test_companies_made_with_contacts(db):
    create_contact(db, ContactData(given_name="A", family_name="One", company="UAB Žalgiris"))
    with db.session() as s:
        add_contacts(s, [ContactData(given_name="B", family_name="Two", company="AB Amber")])
    with db.reading() as s:
        keys = dict(s.execute(select(Company.name, Company.sort_key)).all())
        # a company is still found by its whole folded name
        names = dict(s.execute(select(Company.name, Company.name_key)).all())
    assert keys == {"UAB Žalgiris": "zalgiris", "AB Amber": "amber"}
    assert names == {"UAB Žalgiris": "uab zalgiris", "AB Amber": "ab amber"}


def test_contacts_sorted_by_company(db):
    ids = {c: create_contact(db, ContactData(given_name="X", family_name=c, company=c))
           for c in MIX}
    with db.reading() as s:
        found = listing.contact_ids(s, sort_key="company")
    assert found == [ids[c] for c in ORDER]


def test_a_version_3_file_gets_the_keys(db_path):
    engine = create_engine(f"sqlite:///{db_path}")

    @event.listens_for(engine, "connect")
    def _fk(conn, _record):
        conn.execute("PRAGMA foreign_keys=ON")

    migrate.upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql("PRAGMA user_version=3")
        for name in MIX:
            conn.exec_driver_sql(
                "INSERT INTO company (name, name_key, industry, notes, created_at, updated_at) "
                "VALUES (?, lower(?), '', '', '2020-01-01', '2020-01-01')", (name, name))
    engine.dispose()
    assert SCHEMA_VERSION >= 4
    with Database.open(db_path) as db:
        assert migrate.current_revision(db.engine) == migrate.head()
        with db.reading() as s:
            keys = dict(s.execute(select(Company.name, Company.sort_key)).all())
            ids = listing.company_ids(s)
        assert keys == {name: company_sort_key(name) for name in MIX}
        assert _names(db, ids) == ORDER
