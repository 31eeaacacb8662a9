"""`python -m bench [--contacts N] [--fresh]`: build or reuse the demo file, run every section.

Prints one table per section; the exit code is 1 if any target was missed, so
a CI job can watch for slowdowns.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from bench import (
    calendar_bench,
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
from bench.common import Context, Section, demo_database, machine, render

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
    args = parser.parse_args(argv)
    if args.contacts < 1:
        parser.error("--contacts must be at least 1")

    started = time.perf_counter()
    ctx = demo_database(args.contacts, args.seed, fresh=args.fresh)
    sections: list[Section] = []
    for run in SECTIONS:
        sections += run(ctx)
    print(f"crmdesk benchmarks: {machine()}")
    print(f"demo file: {ctx.path}")
    print()
    print(render(sections))
    print(f"(all sections in {time.perf_counter() - started:.0f} s)")
    failed = any(row[-1] == "FAIL" for sec in sections for row in sec.rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
