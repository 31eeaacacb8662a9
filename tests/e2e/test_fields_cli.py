"""`crmdesk fields list|add|rename|archive|restore` as a user runs it."""

from __future__ import annotations

import json

import pytest
from cli_process import crmdesk

from crmdesk.core.storage.database import Database
from crmdesk.core.text.folding import display_width


@pytest.fixture
def path(db_path):
    Database.open(db_path).close()
    return str(db_path)


def test_add_rename_archive_list(path):
    out = crmdesk("fields", "add", "Fleet size", "--type", "number", "--db", path,
                  "--section", "Trucks", "--min", "0")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Added 'Fleet size' (key fleet_size, Number)."
    out = crmdesk("fields", "add", "Show", "--type", "choice", "--option", "Baltic Expo",
                  "--option", "CeBIT", "--db", path)
    assert out.returncode == 0, out.stderr
    out = crmdesk("fields", "rename", "fleet_size", "Trucks", "--db", path)
    assert out.stdout.strip() == "fleet_size is now called 'Trucks'."
    out = crmdesk("fields", "archive", "show", "--db", path)
    assert out.stdout.strip() == "Archived show; its values are kept."
    out = crmdesk("fields", "list", "--json", "--archived", "--db", path)
    listed = json.loads(out.stdout)
    assert [(f["key"], f["label"], f["archived"], f["section"]) for f in listed] == \
        [("show", "Show", True, ""), ("fleet_size", "Trucks", False, "Trucks")]
    assert listed[0]["options"] == ["Baltic Expo", "CeBIT"]
    assert listed[1]["values"] == 0
    out = crmdesk("fields", "list", "--db", path)
    assert "fleet_size" in out.stdout and "show" not in out.stdout
    out = crmdesk("fields", "restore", "show", "--db", path)
    assert out.stdout.strip() == "Restored show."


def test_a_second_field_in_the_same_section_joins_it(path):
    for label in ("Fleet", "Depots"):
        out = crmdesk("fields", "add", label, "--section", "trucks ", "--db", path)
        assert out.returncode == 0, out.stderr
    out = crmdesk("fields", "list", "--json", "--db", path)
    assert {f["section"] for f in json.loads(out.stdout)} == {"trucks"}


def test_problems_are_one_line_and_exit_1(path):
    out = crmdesk("fields", "rename", "nope", "X", "--db", path)
    assert out.returncode == 1
    assert out.stderr.strip() == "crmdesk: There is no contact field with the key 'nope'."
    out = crmdesk("fields", "add", "'); DROP TABLE contact;--", "--key", "email",
                  "--db", path)
    assert out.returncode == 1 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    out = crmdesk("fields", "list", "--json", "--db", path)
    assert json.loads(out.stdout) == []
    assert crmdesk("fields", "add", "X", "--type", "colour", "--db", path).returncode == 2


def test_no_fields_yet_says_how_to_add_one(path):
    out = crmdesk("fields", "list", "--db", path)
    assert out.returncode == 0
    assert "No custom fields yet" in out.stdout


def test_the_list_lines_up_with_chinese_labels(path):
    for label, key in (("车队规模", "fleet"), ("Depots", "depots"), ("Отдел", "dept")):
        out = crmdesk("fields", "add", label, "--key", key, "--section", "总部", "--db", path)
        assert out.returncode == 0, out.stderr
    out = crmdesk("fields", "list", "--db", path)
    head, *lines = out.stdout.splitlines()
    assert len(lines) == 3
    starts = {display_width(line[:line.index(word)])
              for line, word in zip([head, *lines], ["section", "总部", "总部", "总部"],
                                    strict=True)}
    assert len(starts) == 1, out.stdout
