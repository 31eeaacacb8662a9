"""Search as one types: the latency of every keystroke in the search box.

The contact list re-runs search_contact_ids on each keystroke, so what a user
feels is the time from a prefix ("p", "pe", "pet" ...) to the full ordered id
list, with a fresh unit of work each time as the GUI opens one. Short prefixes
are the hard case: "p" matches most of a 100,000-contact file, and all of it
must still be ordered. Words come in every script the demo holds, and digits
as one types a phone number.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from time import perf_counter

from bench.common import Context, Section, ms, percentile, verdict
from crmdesk.core.database import Database
from crmdesk.core.search import search_contact_ids

TARGET_P95_S = 0.030
MAX_LENGTH = 6
ROUNDS = 3
WORDS = (
    "ivanov",  # Latin: transliterated names in e-mail addresses, English names
    "smith",
    "петров",  # Cyrillic
    "москва",
    "žalgir",  # Lithuanian, with its letters (folded: zalgir)
    "kazlau",
    "王小明",  # Chinese, as an input method delivers it
    "上海",
    "495123",  # digits: a Moscow number as one dials it
    "138001",  # a Chinese mobile
)


def run(ctx: Context) -> list[Section]:
    samples: dict[int, list[float]] = defaultdict(list)
    hits: dict[int, list[int]] = defaultdict(list)
    slowest: list[tuple[float, str, int]] = []
    with Database.open(ctx.path) as db:
        for _round in range(ROUNDS):
            for word in WORDS:
                for n in range(1, min(MAX_LENGTH, len(word)) + 1):
                    prefix = word[:n]
                    start = perf_counter()
                    with db.reading() as s:
                        found = search_contact_ids(s, prefix)
                    elapsed = perf_counter() - start
                    samples[n].append(elapsed)
                    hits[n].append(len(found))
                    slowest.append((elapsed, prefix, len(found)))

    sec = Section("Search per keystroke (search_contact_ids, end to end, a session each)",
                  ["query length", "keystrokes", "p50 ms", "p95 ms", "max ms", "median hits",
                   "target", "verdict"])
    for n in sorted(samples):
        p95 = percentile(samples[n], 95)
        sec.rows.append([f"{n} char{'s' if n > 1 else ''}", str(len(samples[n])),
                         ms(percentile(samples[n], 50)), ms(p95), ms(max(samples[n])),
                         f"{median(hits[n]):,.0f}", f"p95 < {ms(TARGET_P95_S)}",
                         verdict(p95 < TARGET_P95_S)])
    sec.notes.append("typed: " + ", ".join(WORDS) + f" (each prefix {ROUNDS} times)")

    worst = Section("Slowest keystrokes", ["query", "hits", "ms"])
    seen: set[str] = set()
    for elapsed, prefix, count in sorted(slowest, reverse=True):
        if prefix not in seen:
            seen.add(prefix)
            worst.rows.append([repr(prefix), f"{count:,}", ms(elapsed)])
        if len(worst.rows) == 8:
            break
    return [sec, worst]
