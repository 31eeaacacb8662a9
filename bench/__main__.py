"""`python -m bench [--contacts N] [--fresh]`: build or reuse the demo file, run every section.

Prints one table per section; the exit code is 1 if any target was missed, so
a CI job can watch for slowdowns.

Each section runs in a Python process of its own, as the app or the command it
measures would: what one section leaves behind (a window and its 250 MB, a
million history rows read, a full garbage-collector heap, memory handed back
to the system in pieces) must not slow the next. Run in one process, the CSV
import took 15.7 s after the sections before it and 12.5 s on its own.
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import (
    calendar_bench,
    common,
    export_bench,
    fields_bench,
    file_bench,
    groups_bench,
    gui_bench,
    history_bench,
    import_bench,
    labels_bench,
    search_bench,
)
from bench.common import Context, Section, demo_database, machine, reference_seconds, render

# In report order; a new benchmark is a module with run(ctx) and a line here.
SECTIONS: list[Callable[[Context], list[Section]]] = [
    file_bench.run,
    search_bench.run,
    gui_bench.section,
    fields_bench.section,
    history_bench.section,
    export_bench.section,
    groups_bench.section,
    import_bench.section,
    labels_bench.section,
    calendar_bench.section,
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000,
                        help="size of the demo database (default 100000)")
    parser.add_argument("--seed", type=int, default=0, help="demo seed (default 0)")
    parser.add_argument("--fresh", action="store_true",
                        help="rebuild the demo database even if a cached one is current")
    parser.add_argument("--quick", action="store_true",
                        help="a tenth of the rounds: a smoke test (make bench-quick)")
    parser.add_argument("--one-process", action="store_true",
                        help="run every section in this process (quicker to debug)")
    parser.add_argument("--section", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.contacts < 1:
        parser.error("--contacts must be at least 1")

    started = time.perf_counter()
    common.QUICK = args.quick
    ctx = demo_database(args.contacts, args.seed, fresh=args.fresh)
    if args.section is not None:  # a child: one section, its tables to --result
        args.result.write_bytes(pickle.dumps(SECTIONS[args.section](ctx)))
        return 0
    sections: list[Section] = []
    before = reference_seconds()
    for number, run in enumerate(SECTIONS):
        began = time.perf_counter()
        sections += run(ctx) if args.one_process else _in_child(number, run, args)
        print(f"{run.__module__}: {time.perf_counter() - began:.0f} s", file=sys.stderr)
    after = reference_seconds()
    print(f"crmdesk benchmarks: {machine()}")
    print(f"machine speed: a fixed Python and SQLite job (bench.common.reference_seconds) "
          f"took {before:.2f} s before the sections, {after:.2f} s after (lower is faster; "
          "compare runs by it)")
    print(f"demo file: {ctx.path}")
    if args.quick:
        print("quick: a tenth of the rounds (p95s of ~10 samples), a smoke test; the targets"
              " of record are a full run's at 100,000 contacts")
    print()
    print(render(sections))
    print(f"(all sections in {time.perf_counter() - started:.0f} s)")
    failed = any(row[-1] == "FAIL" for sec in sections for row in sec.rows)
    return 1 if failed else 0


def _in_child(number: int, run: Callable[[Context], list[Section]],
              args: argparse.Namespace) -> list[Section]:
    """One section in a fresh ``python -m bench`` process; its tables come back pickled
    (a file of our own, in a private temporary folder). A child that fails is a FAIL row."""
    with tempfile.TemporaryDirectory(prefix="crmdesk-bench-") as folder:
        result = Path(folder) / "section.pickle"
        done = subprocess.run(
            [sys.executable, "-m", "bench", "--contacts", str(args.contacts), "--seed",
             str(args.seed), "--section", str(number), "--result", str(result),
             *(["--quick"] if args.quick else [])],
            check=False)
        if done.returncode == 0 and result.exists():
            tables: list[Section] = pickle.loads(result.read_bytes())
            return tables
    name = f"{run.__module__}.{run.__name__}"
    return [Section(name, ["what", "result"],
                    [[f"the section's process ended with exit code {done.returncode}",
                      "FAIL"]])]


if __name__ == "__main__":
    sys.exit(main())
