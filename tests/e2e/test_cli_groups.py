"""`crmdesk groups` and `crmdesk tag`, as a user runs them."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from cli_process import crmdesk

from crmdesk.cli.main import main
from crmdesk.core.contacts.records import AddressData, ContactData, create_contact
from crmdesk.core.storage.database import Database


@pytest.fixture
def people(db_path):
    with Database.open(db_path) as db:
        for given, family, city, status in (
                ("Ona", "Jonaitė", "Kaunas", "Customer"), ("Jonas", "Petraitis", "Kaunas", "Lead"),
                ("Rūta", "Kazlauskienė", "Vilnius", "Customer"),
                ("Иван", "Петров", "Kaunas", "Customer")):
            create_contact(db, ContactData(given_name=given, family_name=family, status=status,
                                           addresses=[AddressData(city=city)]))
    return str(db_path)


def ok(*args):
    done = crmdesk(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_save_list_show_delete(people, tmp_path):
    out = ok("groups", "save", "Kaunas VIP", "--lookup", "city:Kaunas status:customer",
             "--db", people)
    assert "Saved the group 'Kaunas VIP' (2 contacts)." in out
    ok("groups", "save", "Call back", "--static", "--db", people)
    listed = ok("groups", "list", "--db", people)
    assert listed.splitlines()[0].split() == ["name", "kind", "contacts", "lookup"]
    assert "Kaunas VIP  lookup  2" in listed and "Call back   static  0" in listed
    shown = ok("groups", "show", "kaunas vip", "--db", people)
    assert "Ona Jonaitė" in shown and "Иван Петров" in shown and "Jonas" not in shown
    data = json.loads(ok("groups", "list", "--json", "--db", people))
    assert [(g["name"], g["kind"], g["count"]) for g in data] == [
        ("Kaunas VIP", "lookup", 2), ("Call back", "static", 0)]
    # The group is a lookup term: exports and searches take it.
    target = tmp_path / "vip.csv"
    ok("export", "--lookup", 'group:"Kaunas VIP"', "-o", str(target), "--db", people)
    with target.open(encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.reader(f))) == 3  # the header and two contacts
    target = tmp_path / "vip-group.csv"
    ok("export", "--group", "kaunas vip", "-o", str(target), "--db", people)
    with target.open(encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.reader(f))) == 3
    both = crmdesk("export", "--group", "Kaunas VIP", "--lookup", "x", "-o",
                   str(tmp_path / "x.csv"), "--db", people)
    assert both.returncode == 1 and "not both" in both.stderr
    nobody = crmdesk("export", "--group", "Nobody", "-o", str(tmp_path / "x.csv"),
                     "--db", people)
    assert nobody.returncode == 1 and "no group named 'Nobody'" in nobody.stderr
    assert not (tmp_path / "x.csv").exists()
    assert "Ona Jonaitė" in ok("search", 'group:"Kaunas VIP"', "Ona", "--db", people)
    assert "Deleted the group 'Kaunas VIP'" in ok("groups", "delete", "KAUNAS VIP",
                                                  "--db", people)
    assert [g["name"] for g in json.loads(ok("groups", "list", "--json", "--db", people))] \
        == ["Call back"]


def test_a_static_group_by_hand(people):
    ok("groups", "save", "Call back", "--static", "--lookup", "city:Vilnius", "--db", people)
    out = ok("groups", "add", "Call back", "--lookup", "status:lead", "--db", people)
    assert "Added 1 contact to 'Call back'; it has 2 now." in out
    out = ok("groups", "remove", "Call back", "--lookup", "city:Vilnius", "--db", people)
    assert "Took 1 contact out of 'Call back'; it has 1 now." in out
    shown = json.loads(ok("groups", "show", "Call back", "--json", "--db", people))
    assert [c["name"] for c in shown["contacts"]] == ["Jonas Petraitis"]


def test_unhappy_paths_say_what_is_wrong(people):
    ok("groups", "save", "Kaunas", "--lookup", "city:Kaunas", "--db", people)
    for args, message in (
            (("save", "KAUNAS", "--lookup", "city:Vilnius"), "already a group named 'Kaunas'"),
            (("save", "  ", "--lookup", "city:Vilnius"), "A group needs a name."),
            (("save", "Typo", "--lookup", "ctiy:Vilnius"), "Unknown field 'ctiy'"),
            (("save", "Nothing"), "needs --lookup Q"),
            (("show", "Nobody"), "There is no group named 'Nobody'. The groups are: Kaunas."),
            (("delete", "Nobody"), "no group named 'Nobody'"),
            (("add", "Kaunas", "--lookup", "status:lead"), "is a saved lookup")):
        done = crmdesk("groups", *args, "--db", people)
        assert done.returncode == 1, (args, done.stdout)
        assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert len(json.loads(ok("groups", "list", "--json", "--db", people))) == 1


def test_tag_a_lookup(people):
    out = ok("tag", "--lookup", "city:Kaunas", "--add", "Newsletter", "--db", people)
    assert "Tagged 3 contacts “Newsletter”" in out
    out = ok("tag", "--lookup", "", "--add", "newsletter", "--db", people)
    assert "Tagged 1 contact “Newsletter”. 3 of the 4 found had it already." in out
    assert len(json.loads(ok("search", "tag:newsletter", "--json", "--db", people))) == 4
    done = json.loads(ok("tag", "--lookup", "status:lead", "--remove", "NEWSLETTER", "--json",
                         "--db", people))
    assert done == {"tag": "Newsletter", "found": 1, "changed": 1, "action": "remove"}
    # The search text followed: a plain word finds the tag too.
    assert len(json.loads(ok("search", "newsletter", "--json", "--db", people))) == 3
    bad = crmdesk("tag", "--lookup", "city:Kaunas", "--add", " ", "--db", people)
    assert bad.returncode == 1 and "A tag needs a name." in bad.stderr
    bad = crmdesk("tag", "--lookup", "city:", "--add", "x", "--db", people)
    assert bad.returncode == 1 and "A value is missing after 'city:'" in bad.stderr
    usage = crmdesk("tag", "--lookup", "x", "--db", people)
    assert usage.returncode == 2


def test_a_read_only_file_is_shown_but_not_changed(people, capsys, monkeypatch):
    path = Path(people)
    assert main(["groups", "save", "Kaunas", "--lookup", "city:Kaunas", "--db", people]) == 0
    capsys.readouterr()
    before = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == path and
                        mode == os.W_OK else real_access(p, mode))
    assert main(["groups", "list", "--db", people]) == 0
    assert "Kaunas" in capsys.readouterr().out
    for args in (["groups", "save", "X", "--static"], ["groups", "delete", "Kaunas"],
                 ["tag", "--lookup", "", "--add", "x"]):
        assert main([*args, "--db", people]) == 1
        err = capsys.readouterr().err
        assert "read-only" in err and "Traceback" not in err
    assert path.read_bytes() == before
