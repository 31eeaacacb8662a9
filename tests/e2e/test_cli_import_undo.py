"""`crmdesk import --on-duplicate`, `--list-batches` and `--undo` as a user runs them,
and the progress bar: on a terminal, never in a pipe."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest
from cli_process import crmdesk

FIRST = ("First Name,Last Name,E-mail Address,Job Title\n"
         "Ona,Petraitienė,ona@example.lt,Owner\n"
         "Jonas,Jonaitis,jonas@example.lt,\n")
SECOND = ("First Name,Last Name,E-mail Address,Job Title,Company\n"
          "Ona,Petraitienė,ona@example.lt,Director,Senukai\n"
          "Rūta,Žalgirytė,ruta@example.lt,,\n")


@pytest.fixture
def files(tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    return first, second


def people(db):
    out = crmdesk("search", "--db", str(db), "--json", "--", "-tag:nothing-here")
    assert out.returncode == 0, out.stderr
    return sorted((r["name"], r.get("company", "")) for r in json.loads(out.stdout))


def test_each_policy_from_the_command_line(db_path, files):
    first, second = files
    assert crmdesk("import", "--db", str(db_path), str(first)).returncode == 0
    out = crmdesk("import", "--db", str(db_path), str(second), "--on-duplicate", "skip",
                  "--dry-run")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == (
        "Dry run: 1 new contact, 0 rows with problems; nothing was written.")
    assert "1 duplicate skipped." in out.stdout
    out = crmdesk("import", "--db", str(db_path), str(second), "--on-duplicate", "fill",
                  "--json")
    report = json.loads(out.stdout)
    assert (report["new"], report["on_duplicate"], report["updated"]) == (1, "fill", [1])
    assert ("Ona Petraitienė", "Senukai") in people(db_path)  # the empty company filled
    out = crmdesk("import", "--db", str(db_path), str(second), "--on-duplicate", "update")
    assert out.returncode == 0, out.stderr
    assert "2 existing contacts updated" not in out.stdout
    assert "1 existing contact updated; 1 duplicate had nothing new." in out.stdout
    out = crmdesk("import", "--db", str(db_path), str(second), "--on-duplicate", "merge")
    assert out.returncode == 2 and "invalid choice: 'merge'" in out.stderr


def test_list_and_undo_an_import(db_path, files):
    first, second = files
    crmdesk("import", "--db", str(db_path), str(first))
    out = crmdesk("import", "--db", str(db_path), str(second), "--on-duplicate", "update")
    assert "To undo this import: crmdesk import --undo 2" in out.stdout
    out = crmdesk("import", "--db", str(db_path), "--list-batches")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["Batch", "When", "File", "Added", "Updated", "Undone"]
    assert lines[1].split()[0] == "2" and "second.csv" in lines[1]
    assert lines[1].split()[-2:] == ["1", "1"]
    out = crmdesk("import", "--db", str(db_path), "--undo", "last")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(
        "Undid the import of second.csv (")
    assert ("1 contact it added moved to the trash and 1 contact it updated put back as it "
            "was.") in out.stdout
    assert people(db_path) == [("Jonas Jonaitis", ""), ("Ona Petraitienė", "")]
    again = crmdesk("import", "--db", str(db_path), "--undo", "2")
    assert again.returncode == 1
    assert "The import of second.csv (batch 2) was already undone on" in again.stderr
    out = crmdesk("import", "--db", str(db_path), "--list-batches", "--json")
    batches = json.loads(out.stdout)
    assert [b["batch"] for b in batches] == [2, 1] and batches[0]["undone_at"]
    assert batches[1]["undone_at"] is None


def test_bad_undo_requests(db_path, files):
    out = crmdesk("import", "--db", str(db_path), "--undo", "1")
    assert out.returncode == 1 and "There is no database" in out.stderr
    crmdesk("import", "--db", str(db_path), str(files[0]))
    out = crmdesk("import", "--db", str(db_path), "--undo", "7")
    assert out.returncode == 1 and "There is no import 7 in this file" in out.stderr
    out = crmdesk("import", "--db", str(db_path), "--undo", "yesterday")
    assert out.returncode == 1 and "batch number" in out.stderr
    out = crmdesk("import", "--db", str(db_path))
    assert out.returncode == 1 and "Name the file to import" in out.stderr


def test_undo_says_what_the_user_changed_since(db_path, files):
    first, second = files
    crmdesk("import", "--db", str(db_path), str(first))
    crmdesk("import", "--db", str(db_path), str(second), "--on-duplicate", "update")
    code = ("import sys\n"
            "from crmdesk.core.storage.database import Database\n"
            "from crmdesk.core.contacts.records import get_contact, update_contact\n"
            "db = Database.open(sys.argv[1])\n"
            "d = get_contact(db, 1); d.job_title = 'CEO'\n"
            "update_contact(db, 1, d, original=get_contact(db, 1))\n")
    subprocess.run([sys.executable, "-c", code, str(db_path)], check=True)
    out = crmdesk("import", "--db", str(db_path), "--undo", "2", "--json")
    report = json.loads(out.stdout)
    assert report["edited_since"] == [{"id": 1, "name": "Ona Petraitienė",
                                       "kept_fields": ["job_title"]}]
    out = crmdesk("import", "--db", str(db_path), "--list-batches")
    assert out.returncode == 0


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(db_path, tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("First Name,Last Name\n" + "".join(
        f"Person{i},Family{i}\n" for i in range(3000)), encoding="utf-8")
    piped = crmdesk("import", "--db", str(db_path), str(big))
    assert piped.returncode == 0 and piped.stderr == ""
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("DISPLAY", None)
    proc = subprocess.Popen([sys.executable, "-m", "crmdesk", "import", "--db",
                             str(tmp_path / "other.crmdesk"), str(big)],
                            stdout=subprocess.PIPE, stderr=child, env=env)
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.communicate(timeout=120)
    os.close(main)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "3000/3000" in text and "contacts/s" in text  # done, of how many, the rate
    assert "<" in text  # tqdm's "spent<left"
