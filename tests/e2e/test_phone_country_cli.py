"""`crmdesk phone-country` as a user runs it: show, preview, re-read or keep."""

from __future__ import annotations

import json

import pytest
from cli_process import crmdesk

from crmdesk.core.contacts.records import ContactData, PhoneData, create_contact, get_contact
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.settings import set_setting


@pytest.fixture
def filled(db_path):
    with Database.open(db_path) as db:
        with db.session() as s:
            set_setting(s, "phone_region", "LT")
        cid = create_contact(db, ContactData(given_name="Jonas", family_name="Petraitis",
                                             phones=[PhoneData("8 612 34567"),
                                                     PhoneData("+44 20 7946 0958")]))
    return str(db_path), cid


def _e164(path, cid):
    with Database.open(path) as db:
        return [p.e164 for p in get_contact(db, cid).phones]


def test_show_preview_and_reread(filled):
    path, cid = filled
    out = crmdesk("phone-country", "--db", path)
    assert out.returncode == 0 and out.stdout.strip() == "LT"
    # a change with numbers to re-read says which, and changes nothing without a choice
    out = crmdesk("phone-country", "DE", "--db", path)
    assert out.returncode == 2
    assert "1 number typed without a country code would change:" in out.stdout
    assert "Jonas Petraitis" in out.stdout and "8 612 34567" in out.stdout
    assert "--reread" in out.stderr and "nothing was changed" in out.stderr
    assert _e164(path, cid)[0] == "+37061234567"
    out = crmdesk("phone-country", "de", "--reread", "--db", path)
    assert out.returncode == 0, out.stderr
    assert "now read as DE" in out.stdout and "1 number was re-read." in out.stdout
    e164 = _e164(path, cid)
    assert e164[0] != "+37061234567" and e164[1] == "+442079460958"
    out = crmdesk("phone-country", "--json", "--db", path)
    assert json.loads(out.stdout) == {"country": "DE"}


def test_keep_and_json(filled):
    path, cid = filled
    out = crmdesk("phone-country", "US", "--json", "--keep", "--db", path)
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert listed["was"] == "LT" and listed["country"] == "US"
    assert [(n["name"], n["typed"], n["now"]) for n in listed["numbers"]] == [
        ("Jonas Petraitis", "8 612 34567", "+37061234567")]
    assert _e164(path, cid)[0] == "+37061234567"  # kept


def test_bad_country_and_none(filled):
    path, cid = filled
    out = crmdesk("phone-country", "Lithuania", "--db", path)
    assert out.returncode == 1 and "not a two-letter country code" in out.stderr
    out = crmdesk("phone-country", "none", "--reread", "--db", path)
    assert out.returncode == 0 and "now read as none" in out.stdout
    assert _e164(path, cid) == [None, "+442079460958"]
