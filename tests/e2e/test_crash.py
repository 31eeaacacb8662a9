"""The crash test: a bulk write killed with SIGKILL at random moments leaves a whole file.

The demo generator and `crmdesk import` each write their batch in one unit of
work. Each runs as a process of its own on a file that already holds earlier
contacts (with their companies and history) and is killed with SIGKILL (no
handler runs, nothing is cleaned up) at a random moment (seeded) while it holds
the file: 30 times in all. Every time `crmdesk check --deep` passes, the file
opens, the earlier contacts are as they were, and the batch is all there or not
there at all.

`crmdesk demo` only makes new files, so the demo generator (crmdesk.core.demo,
what `crmdesk demo` runs) is run on the existing file by a short script, as
tests/e2e/cli_process.python runs the CLI's code from a script.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_process import crmdesk

from crmdesk.cli.main import main as crmdesk_main
from crmdesk.core.contacts.records import count_contacts
from crmdesk.core.storage.database import Database

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason=(
        "SIGKILL, and a lock file whose OS lock dies with its process, are POSIX")),
    pytest.mark.slow,
    pytest.mark.xdist_group("crash"),
]

KILLS = 30  # in all, half for each writer
SEED = 20261205
EARLIER = 40  # contacts in the file before the batch
DEMO_BATCH = 300
IMPORT_ROWS = 2000

# Each writer is started ahead, imports what it needs and waits for a line on its
# standard input before it opens the file: a kill then lands in the write, not in
# the second Python takes to import crmdesk (the next writer starts while the
# last one's file is checked). After that line it is the command as a user runs it.
DEMO = """
import sys
from crmdesk.core.demo import generate
from crmdesk.core.storage.database import Database

sys.stdin.readline()
with Database.open(sys.argv[1]) as db:
    generate(db, contacts=int(sys.argv[2]), seed=7)
"""

CLI = """
import sys
import crmdesk.cli.importing
import crmdesk.core.contacts.bulk
import crmdesk.core.fields.service
import crmdesk.core.storage.database
import crmdesk.io.contacts_in.mapping
import crmdesk.io.contacts_in.table
from crmdesk.cli.main import main

sys.stdin.readline()
raise SystemExit(main(sys.argv[1:]))  # what `crmdesk ARGS` (crmdesk/__main__.py) runs
"""

GIVEN = ["Rūta", "Jonas", "Žydrūnas", "Gintarė", "Иван", "Анна", "Сергей", "Ольга", "芳", "伟",
         "John", "Marie", "Hans", "José"]
FAMILY = ["Žemaitytė", "Petraitis", "Šiaulienė", "Čepulis", "Петров", "Смирнова", "Кузнецов",
          "王", "李", "张", "Smith", "Dubois", "Müller", "García"]
CITIES = ["Vilnius", "Šiauliai", "Kaunas", "Москва", "北京", "London"]


def write_csv(path: Path, rows: int) -> None:
    """A Google-style contacts export of ``rows`` different people."""
    rnd = random.Random(SEED)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["First Name", "Last Name", "Organization Name", "Phone 1 - Type",
                      "Phone 1 - Value", "E-mail 1 - Value", "Address 1 - City", "Notes"])
        for i in range(rows):
            out.writerow([rnd.choice(GIVEN), f"{rnd.choice(FAMILY)} {i}",
                          f"UAB Bandymas {i % 37}", "Mobile", f"+370 6{i:07d}",
                          f"person{i}@example.lt", rnd.choice(CITIES), f"Eilutė {i}"])


@dataclass
class Writer:
    name: str
    command: Callable[[Path], list[str]]


def _python(*args: str) -> list[str]:
    return [sys.executable, *args]


def _env(backups: Path) -> dict[str, str]:
    env = {**os.environ, "CRMDESK_BACKUP_DIR": str(backups)}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _earlier(path: Path, ids: list[int]) -> list[tuple[object, ...]]:
    """What the earlier contacts are: names, company, phones, e-mails, addresses,
    tags, search rows and history links, as stored."""
    conn = sqlite3.connect(path)
    try:
        marks = ",".join("?" * len(ids))
        rows: list[tuple[object, ...]] = []
        for sql in (
            "SELECT id, given_name, family_name, display_name, sort_key, company_id, "
            "status_id, notes, deleted_at FROM contact WHERE id IN ({}) ORDER BY id",
            "SELECT contact_id, number, e164 FROM phone WHERE contact_id IN ({}) ORDER BY id",
            "SELECT contact_id, address FROM email WHERE contact_id IN ({}) ORDER BY id",
            "SELECT contact_id, street, city FROM address WHERE contact_id IN ({}) ORDER BY id",
            "SELECT contact_id, tag_id FROM contact_tag WHERE contact_id IN ({}) "
            "ORDER BY 1, 2",
            "SELECT contact_id, name_text, body_text FROM search_row WHERE contact_id IN ({}) "
            "ORDER BY 1",
            "SELECT contact_id, interaction_id FROM interaction_contact WHERE contact_id IN ({})"
            " ORDER BY 1, 2",
        ):
            rows += [("--",), *conn.execute(sql.format(marks), ids).fetchall()]
        return rows
    finally:
        conn.close()


def _count(path: Path) -> int:
    with Database.open(path, backup=False) as db, db.reading() as s:
        return count_contacts(s) + count_contacts(s, trash=True)


def _check(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`crmdesk check --deep` on the file exits 0 (run in this process: a fresh
    Database of its own, as a new process would open it, without the second it
    takes Python to start crmdesk)."""
    capsys.readouterr()
    code = crmdesk_main(["check", "--deep", "--db", str(path)])
    said = capsys.readouterr()
    assert code == 0, said.out + said.err
    assert ": OK (" in said.out, said.out


class Started:
    """A writer process, started and waiting for its go."""

    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def run(self, path: Path, after: float | None) -> tuple[int, float]:
        """Let it open ``path``; once it holds the file (its lock file appears) wait
        ``after`` seconds and SIGKILL it (None: let it finish). (exit code, seconds
        it held the file)."""
        lock = Path(str(path) + ".lock")
        assert not lock.exists()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.close()
        while not lock.exists():
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                pytest.fail(f"{self.cmd} ended before it opened the file: {err}")
            time.sleep(0.002)
        held = time.perf_counter()
        if after is None:
            self.proc.wait(timeout=120)
        else:
            time.sleep(after)
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)
        return self.proc.returncode, time.perf_counter() - held

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stderr):
            if pipe is not None:
                pipe.close()


def test_a_killed_bulk_write_leaves_the_file_whole_and_the_batch_all_or_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backups = tmp_path / "backups"
    env = _env(backups)
    base = tmp_path / "base.crmdesk"
    made = crmdesk("demo", str(base), "--contacts", str(EARLIER), "--seed", "1",
                   env={"CRMDESK_BACKUP_DIR": str(backups)})
    assert made.returncode == 0, made.stderr
    earlier_ids = list(range(1, EARLIER + 1))
    assert _count(base) == EARLIER
    earlier = _earlier(base, earlier_ids)
    table = tmp_path / "batch.csv"
    write_csv(table, IMPORT_ROWS)
    work = tmp_path / "contacts.crmdesk"
    writers = [
        Writer("demo", lambda p: _python("-c", DEMO, str(p), str(DEMO_BATCH))),
        Writer("import", lambda p: _python("-c", CLI, "import", str(table), "--db", str(p))),
    ]
    started: list[Started] = []

    def start(w: Writer) -> Started:
        started.append(Started(w.command(work), env))
        return started[-1]

    try:
        batch, window = _measure(writers, start, base, work)
        assert batch == {"demo": DEMO_BATCH, "import": IMPORT_ROWS}
        outcomes = _kill(writers, start, base, work, batch, window, earlier_ids, earlier,
                         capsys)
    finally:
        for proc in started:
            proc.stop()
    # The kills did happen mid-batch: several of each writer's batches were lost whole
    # (else this would test nothing).
    for w in writers:
        lost = [o for o in outcomes if o[0] == w.name and o[2] == -signal.SIGKILL and not o[3]]
        assert len(lost) >= 3, (w.name, outcomes)


def _fresh(base: Path, work: Path) -> None:
    _remove(work)
    shutil.copyfile(base, work)


def _measure(writers: list[Writer], start: Callable[[Writer], Started], base: Path,
             work: Path) -> tuple[dict[str, int], dict[str, float]]:
    """Each writer once to the end: how many contacts its batch makes, and how long
    it holds the file."""
    batch: dict[str, int] = {}
    window: dict[str, float] = {}
    for w in writers:
        proc = start(w)
        _fresh(base, work)
        code, held = proc.run(work, None)
        assert code == 0, (w.name, proc.proc.stderr.read() if proc.proc.stderr else "")
        batch[w.name] = _count(work) - EARLIER
        window[w.name] = held
    return batch, window


def _kill(writers: list[Writer], start: Callable[[Writer], Started], base: Path, work: Path,
          batch: dict[str, int], window: dict[str, float], earlier_ids: list[int],
          earlier: list[tuple[object, ...]], capsys: pytest.CaptureFixture[str],
          ) -> list[tuple[str, float, int, bool]]:
    """Run the writers in turn, each killed at a random moment of the time it held the
    file when last seen to the end (a little beyond: the kill may find it done),
    until KILLS of them were killed; check the file after every run."""
    rnd = random.Random(SEED)
    outcomes: list[tuple[str, float, int, bool]] = []
    killed = 0
    # Writers started ahead: they import while a file is written and checked.
    waiting = [start(writers[i % 2]) for i in range(2)]
    for i in range(KILLS + KILLS // 2):
        w = writers[i % 2]
        proc = waiting.pop(0)
        _fresh(base, work)
        after = rnd.uniform(0, window[w.name] * 1.15)
        code, held = proc.run(work, after)
        killed += code == -signal.SIGKILL
        if code == 0:
            # It ran faster than measured (the machine is less busy now): measure anew.
            window[w.name] = held
        else:
            assert code == -signal.SIGKILL, (w.name, code)
        if killed < KILLS:
            waiting.append(start(writers[i % 2]))
        where = f"{w.name} killed {after:.3f} s after it opened the file"
        _check(work, capsys)
        count = _count(work)
        assert count in (EARLIER, EARLIER + batch[w.name]), (where, count)
        assert _earlier(work, earlier_ids) == earlier, where
        outcomes.append((w.name, after, code, count > EARLIER))
        if killed == KILLS:
            return outcomes
    pytest.fail(f"only {killed} of {len(outcomes)} writers were killed before they ended: "
                f"{outcomes}")
