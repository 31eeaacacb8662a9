"""A saved group's live count, as the navigation reads it after every change.

The window recounts every group a moment after anything changes (on the reader
thread), so what matters is one group's count from a fresh unit of work:
groups.count_members. Lookup groups compile their lookup and count the matches
(no ordering); a static group counts its members that are not in the trash.
Measured on a copy of the demo file with a few lookup groups (the kinds the
issue's example is made of: a status, a city, tags, a date, a group naming
another) and a static group of 10,000 contacts. Also: the group's members in
list order (groups.member_ids, what a click on the group shows), which is the
contact list's own lookup path.

    python -m bench.groups_bench [--contacts N]   this section alone
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

from bench.common import Context, Section, ms, percentile, rounds_of, verdict
from crmdesk.core.contacts import groups
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.core.storage.database import Database

TARGET_P95_S = 0.100
ROUNDS = 100  # samples behind each p95
STATIC_SIZE = 10_000
LOOKUPS = (
    ("Customers in Dallas", "status:customer city:Dallas"),
    ("Newsletter, not VIP", "tag:newsletter -tag:vip"),
    ("Leads or prospects", "status:lead OR status:prospect"),
    ("Not called since 2026", "status:customer last_contact<2026-01-01"),
    ("Has e-mail, no phone", "has:email missing:phone"),
    ("VIP in Dallas (group)", 'group:"Customers in Dallas" tag:vip'),
)


def _prepare(source: Path, folder: Path) -> tuple[Database, list[tuple[str, int]]]:
    """A copy of the demo file with the groups saved in it."""
    path = folder / "groups.crmdesk"
    shutil.copyfile(source, path)
    db = Database.open(path, backup=False)
    made: list[tuple[str, int]] = []
    with db.session() as s:
        for name, query in LOOKUPS:
            made.append((name, groups.save_lookup_group(s, name, query).id))
        everyone = find_ids(s, CONTACT, "", strict=True)
        chosen = random.Random(0).sample(everyone, min(STATIC_SIZE, len(everyone)))
        static = groups.create_static_group(s, f"Static {len(chosen):,}", chosen)
        made.append((static.name, static.id))
    return db, made


def _time(db: Database, fn: Any) -> tuple[list[float], Any]:
    samples: list[float] = []
    result = None
    for _round in range(rounds_of(ROUNDS)):
        start = perf_counter()
        with db.reading() as s:
            result = fn(s)
        samples.append(perf_counter() - start)
    return samples, result


def section(ctx: Context) -> list[Section]:
    with tempfile.TemporaryDirectory(prefix="crmdesk-groups-bench-") as folder:
        db, made = _prepare(ctx.path, Path(folder))
        try:
            counts = Section(
                f"Group counts at {ctx.contacts:,} contacts (groups.count_members, a fresh "
                f"unit of work each, {rounds_of(ROUNDS)} rounds)",
                ["group", "members", "p50 ms", "p95 ms", "max ms", "target", "verdict"])
            members = Section("A group's members in list order (groups.member_ids: what a "
                              "click on the group shows)",
                              ["group", "members", "p50 ms", "p95 ms"])
            for name, gid in made:
                samples, n = _time(db, lambda s, gid=gid: groups.count_members(s, gid))
                p95 = percentile(samples, 95)
                counts.rows.append([name, f"{n:,}", ms(percentile(samples, 50)), ms(p95),
                                    ms(max(samples)), f"p95 < {ms(TARGET_P95_S)}",
                                    verdict(p95 < TARGET_P95_S)])
                listed, ids = _time(db, lambda s, gid=gid: groups.member_ids(s, gid))
                members.rows.append([name, f"{len(ids):,}", ms(percentile(listed, 50)),
                                     ms(percentile(listed, 95))])
            counts.notes.append("“Has e-mail, no phone” is the hard case: no index narrows "
                                "it, so every contact is tested against two whole tables.")
            samples, _all = _time(db, groups.counts)
            counts.notes.append(f"All {len(made)} groups at once (groups.counts, what the "
                                f"navigation reads after a change): p50 "
                                f"{ms(percentile(samples, 50))} ms, p95 "
                                f"{ms(percentile(samples, 95))} ms.")
        finally:
            db.close()
    return [counts, members]


def main(argv: list[str] | None = None) -> int:
    from bench.common import demo_database, machine, render

    parser = argparse.ArgumentParser(prog="python -m bench.groups_bench")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    ctx = demo_database(args.contacts, args.seed, fresh=False)
    sections = section(ctx)
    print(f"crmdesk benchmarks: {machine()}")
    print(render(sections))
    return 1 if any(row[-1] == "FAIL" for sec in sections for row in sec.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
