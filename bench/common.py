"""What every benchmark section shares: the cached demo database and the table printer.

Building 100,000 demo contacts takes about half a minute, so the file is kept
under bench/out/ (git-ignored) and reused, together with a small JSON note of
how long it took to build. The note also holds a fingerprint of the code that
decides what is in the file (the demo generator, the models and migrations,
search and text folding); when that code changes the file is rebuilt, so a
benchmark never times a search index of an older format.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import crmdesk
from crmdesk.core.storage.database import Database

OUT = Path(__file__).resolve().parent / "out"
PACKAGE = Path(crmdesk.__file__).resolve().parent
# The code whose change makes a cached demo file stale: the generator, the bulk
# write path, and everything below the services that decides what is stored
# (models and migrations, folding and collation, the search index, custom fields,
# history).
FINGERPRINTED = ("core/demo/*.py", "core/contacts/*.py", "core/history/*.py",
                 "core/fields/*.py", "core/search/*.py", "core/storage/*.py",
                 "core/storage/migrations/versions/*.py", "core/text/*.py")


@dataclass
class Context:
    """What the sections get: the demo file, and how it came to be."""

    contacts: int
    seed: int
    path: Path
    build_seconds: float
    built_now: bool
    built_at: str


@dataclass
class Section:
    """One table of the report: a title, column headings, rows of cells, notes below."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# `make bench-quick` (--quick): every measure with a tenth of its rounds, a smoke test
# of under a minute before a submission. Its p95s rest on ~10 samples; the targets of record
# are the full run's at 100,000 contacts.
QUICK = False


def rounds_of(full: int) -> int:
    """How many rounds a measure of ``full`` rounds runs now."""
    return max(3, full // 10) if QUICK else full


def settle() -> None:
    """Write what was just written out to the disk before anything is timed: a freshly
    built or copied file of hundreds of megabytes is otherwise written back by the
    system while the next measures run, beside them on a 2-core machine."""
    if hasattr(os, "sync"):
        os.sync()


def fingerprint() -> str:
    digest = hashlib.sha256()
    for pattern in FINGERPRINTED:
        for path in sorted(PACKAGE.glob(pattern)):
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def demo_database(contacts: int, seed: int, *, fresh: bool) -> Context:
    """The cached demo file for (contacts, seed); built first if missing, stale or --fresh."""
    from crmdesk.core.demo import generate

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"demo-{contacts}-s{seed}.crmdesk"
    note_path = path.with_suffix(".json")
    note: dict[str, object] = {}
    if note_path.exists():
        note = json.loads(note_path.read_text(encoding="utf-8"))
    current = fingerprint()
    if not fresh and path.exists() and note.get("fingerprint") == current:
        return Context(contacts, seed, path, float(str(note["build_seconds"])), False,
                       str(note["built_at"]))

    _remove(path)
    note_path.unlink(missing_ok=True)
    building = path.with_name(path.name + ".building")
    _remove(building)
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty:
            print(f"\rbuilding the demo database: {done:,}/{total:,}", end="",
                  file=sys.stderr, flush=True)

    print(f"Building {contacts:,} demo contacts in {path} ...", file=sys.stderr)
    try:
        # Bench files are scratch, and every section opens them with backup=False: a
        # first-of-the-day or close-time backup of a 400-800 MB file would otherwise
        # copy and check it on a thread beside the measures (a whole run of search
        # timings came out 1.5x slower that way).
        with Database.open(building, backup=False) as db:
            start = time.perf_counter()
            generate(db, contacts, seed=seed, progress=progress)
            seconds = time.perf_counter() - start
    except BaseException:
        _remove(building)
        raise
    if tty:
        print(file=sys.stderr)
    Path(str(building) + ".lock").unlink(missing_ok=True)
    building.replace(path)
    settle()
    built_at = datetime.now().isoformat(timespec="seconds")
    note_path.write_text(json.dumps({"contacts": contacts, "seed": seed,
                                     "build_seconds": round(seconds, 3), "built_at": built_at,
                                     "fingerprint": current}, indent=2), encoding="utf-8")
    return Context(contacts, seed, path, seconds, True, built_at)


# -- measuring ----------------------------------------------------------------------


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0-100) of ``samples``, linear between neighbours."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def size(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:.1f} MB"


# -- printing -----------------------------------------------------------------------


def machine() -> str:
    return (f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")


def render(sections: list[Section]) -> str:
    """Plain-text tables, one per section, columns as wide as their widest cell."""
    out: list[str] = []
    for sec in sections:
        widths = [len(c) for c in sec.columns]
        for row in sec.rows:
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

        def line(cells: list[str], widths: list[int] = widths) -> str:
            first, *rest = cells
            return "  ".join([first.ljust(widths[0])] +
                             [c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)]).rstrip()

        out.append(sec.title)
        out.append(line(sec.columns))
        out.append("  ".join("-" * w for w in widths))
        out.extend(line(row) for row in sec.rows)
        out.extend("  " + note for note in sec.notes)
        out.append("")
    return "\n".join(out)


def reference_seconds() -> float:
    """A fixed job of the kinds the app does (SQLite inserts, an index, an ordered id
    list read as JSON, Python comprehensions and a sort over 150,000 words in three
    scripts): its best time of three. The shared bench machine's speed drifts by a
    third from hour to hour (the same export 1.8 s one hour, 2.1 s the next); this
    figure, printed before and after the sections, says how fast it was."""
    import random

    rng = random.Random(0)
    letters = "abcdefghijklmnopqrstuvwxyzžčšабвгдежзий王小明上海"
    words = ["".join(rng.choices(letters, k=8)) for _ in range(150_000)]

    def job() -> None:
        con = sqlite3.connect(":memory:")
        con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, w TEXT)")
        con.executemany("INSERT INTO t (w) VALUES (?)", ((w,) for w in words))
        con.execute("CREATE INDEX ix ON t (w)")
        joined = con.execute(
            "SELECT group_concat(id) FROM (SELECT id FROM t ORDER BY w)").fetchone()[0]
        ids = json.loads(f"[{joined}]")
        assert len(ids) == len(words)
        assert len([w for w in words if "a" in w or "王" in w]) > 0
        assert sorted(words)[0] <= words[0]
        con.close()

    times = []
    for _ in range(3):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)
