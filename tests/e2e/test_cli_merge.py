"""`crmdesk merge KEEP OTHER` as a user runs it, after `crmdesk duplicates` found them."""

from __future__ import annotations

import json

import pytest
from cli_process import crmdesk

CSV = ("First Name,Last Name,E-mail Address,Mobile Phone,Company,Job Title,Categories\n"
       "Ivan,Ivanov,ivan@x.lt,+37061111111,,Director,vip\n"
       "Иван,Иванов,IVAN@x.lt,+37062222222,Romashka,,moscow\n")


@pytest.fixture
def two(db_path, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    out = crmdesk("import", "--db", str(db_path), str(path), "--on-duplicate", "create")
    assert out.returncode == 0, out.stderr
    return db_path


def found(db, query):
    out = crmdesk("search", "--db", str(db), "--json", "--", query)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_find_then_merge(two):
    out = crmdesk("duplicates", "--db", str(two), "--json")
    (pair,) = json.loads(out.stdout)
    assert (pair["first"], pair["second"]) == (1, 2) and "email" in pair["reasons"]
    out = crmdesk("merge", "--db", str(two), "1", "2", "--dry-run")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Merging Иван Иванов (contact 2) into Ivan Ivanov "
                                 "(contact 1) would keep:")
    assert "Romashka" in out.stdout and "Phones: 2" in out.stdout
    assert len(found(two, "-tag:none")) == 2  # a dry run merges nothing
    out = crmdesk("merge", "--db", str(two), "1", "2", "--prefer", "other:given_name,"
                  "other:family_name")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == (
        "Merged Иван Иванов (contact 2) into Ivan Ivanov (contact 1); Иван Иванов is in the "
        "trash.")
    (row,) = found(two, "-tag:none")
    assert (row["id"], row["name"], row["company"]) == (1, "Иван Иванов", "Romashka")
    assert [r["id"] for r in found(two, "tag:moscow tag:vip 37062222222")] == [1]
    assert [r["id"] for r in found(two, "merged")] == [1]  # the notes line
    out = crmdesk("duplicates", "--db", str(two))
    assert out.stdout.strip() == "No two contacts look like one person."


def test_bad_merges(two, db_path):
    out = crmdesk("merge", "--db", str(two), "1", "1")
    assert out.returncode == 1 and "cannot be merged with itself" in out.stderr
    out = crmdesk("merge", "--db", str(two), "1", "9")
    assert out.returncode == 1 and "There is no contact 9" in out.stderr
    out = crmdesk("merge", "--db", str(two), "1", "2", "--prefer", "other:colour")
    assert out.returncode == 1 and "Unknown field 'colour'" in out.stderr
    out = crmdesk("merge", "--db", str(two), "1", "x")
    assert out.returncode == 2
    out = crmdesk("merge", "--db", str(two), "1", "2", "--json")
    assert json.loads(out.stdout)["keep"] == 1
    out = crmdesk("merge", "--db", str(two), "1", "2")
    assert out.returncode == 1 and "is in the trash; restore it" in out.stderr
    out = crmdesk("merge", "--db", str(two.parent / "none.crmdesk"), "1", "2")
    assert out.returncode == 1 and "There is no database" in out.stderr
