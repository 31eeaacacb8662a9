"""The database file: how long the demo takes to build, how big it is, how fast it opens.

Opening is timed in a fresh Python process, because what a user waits for
after double-clicking is a cold start: no SQLAlchemy statement cache, no
SQLite page cache of this connection (the operating system's file cache is
warm, though: this machine just wrote or read the file).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import Context, Section, size, verdict

# The issue: 100,000 contacts "in well under a minute". 30 s held for contacts
# alone; with their history (~250,000 entries, since the history issue) the
# demo takes ~36-43 s here, so the line is drawn at 45 s.
GENERATE_TARGET_S = 45.0
OPEN_TARGET_S = 1.0
FIRST_QUERY = "petrov"
RUNS = 3
ROOT = Path(__file__).resolve().parent.parent


def _child() -> None:
    """In the fresh process: open the file and run one search, print the timings."""
    path, query = sys.argv[1], sys.argv[2]
    from crmdesk.core.lookup.listing import contact_ids as search_contact_ids
    from crmdesk.core.storage.database import Database

    start = time.perf_counter()
    db = Database.open(path, backup=False)
    opened = time.perf_counter()
    with db.reading() as s:
        hits = len(search_contact_ids(s, query))
    searched = time.perf_counter()
    db.close()
    print(json.dumps({"open": opened - start, "search": searched - opened, "hits": hits}))


def open_and_search(path: Path, query: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", "from bench.file_bench import _child; _child()", str(path), query],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=300)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(ctx: Context) -> list[Section]:
    runs = [open_and_search(ctx.path, FIRST_QUERY) for _ in range(RUNS)]
    opened = statistics.median(r["open"] for r in runs)
    searched = statistics.median(r["search"] for r in runs)
    total = statistics.median(r["open"] + r["search"] for r in runs)
    built = "built now" if ctx.built_now else f"cached, built {ctx.built_at}"
    sec = Section(f"The database file ({ctx.contacts:,} demo contacts, seed {ctx.seed})",
                  ["measure", "value", "target", "verdict"])
    sec.rows += [
        [f"demo generation ({built})", f"{ctx.build_seconds:.1f} s",
         f"< {GENERATE_TARGET_S:.0f} s", verdict(ctx.build_seconds < GENERATE_TARGET_S)],
        ["file size", size(ctx.path.stat().st_size), "", ""],
        ["Database.open (fresh process)", f"{opened * 1000:.0f} ms", "", ""],
        [f"first search {FIRST_QUERY!r} ({int(runs[0]['hits']):,} hits)",
         f"{searched * 1000:.0f} ms", "", ""],
        ["open + first search", f"{total * 1000:.0f} ms", f"< {OPEN_TARGET_S:.0f} s",
         verdict(total < OPEN_TARGET_S)],
    ]
    sec.notes.append(f"open and first search: median of {RUNS} fresh processes, "
                     "OS file cache warm")
    return [sec]
