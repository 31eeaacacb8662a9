"""Search as one types: the latency of every keystroke in the search box.

The contact list re-runs listing.contact_ids on each keystroke, so what a user
feels is the time from a prefix ("p", "pe", "pet" ...) to the full ordered id
list, with a fresh unit of work each time as the GUI opens one. The window
keeps the folded texts in memory for one- and two-letter words
(short_search, filled on a background thread at start: its time is shown);
``crmdesk search`` (cli.search.find_ids, the same lookup.query.find_ids), one
query per run, does not, and is measured too. Short prefixes are the hard
case: "p" matches most of a 100,000-contact file, and all of it must still be
ordered. Words come in every script the demo holds, and digits
as one types a phone number.

What the user sees first is measured apart (issue 23's rule): the window
shows the first screenful (ui table_model.FIRST_ROWS) as soon as it is known
and reads the rest, and so the count, after it, off the keystroke's path. For
one and two letters that screenful comes from the texts in memory, stopped
after 200 (lookup.query.quick_first_ids); longer words take the whole list.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from time import perf_counter

from bench.common import Context, Section, ms, percentile, rounds_of, verdict
from crmdesk.cli.search import find_ids
from crmdesk.core.lookup import listing
from crmdesk.core.lookup.query import quick_first_ids
from crmdesk.core.search.short_fragments import remember_texts
from crmdesk.core.storage.database import Database

TARGET_P95_S = 0.030
FIRST_ROWS = 200  # ui.contacts.table_model.FIRST_ROWS
MAX_LENGTH = 6
ROUNDS = 15  # at least 105 keystrokes of each length: a p95 that means something
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


def _typed(db: Database, query: object) -> tuple[dict[int, list[float]], dict[int, list[int]],
                                                 list[tuple[float, str, int]]]:
    samples: dict[int, list[float]] = defaultdict(list)
    hits: dict[int, list[int]] = defaultdict(list)
    slowest: list[tuple[float, str, int]] = []
    for _round in range(rounds_of(ROUNDS)):
        for word in WORDS:
            for n in range(1, min(MAX_LENGTH, len(word)) + 1):
                prefix = word[:n]
                start = perf_counter()
                with db.reading() as s:
                    found = query(s, prefix)  # type: ignore[operator]
                elapsed = perf_counter() - start
                samples[n].append(elapsed)
                hits[n].append(len(found))
                slowest.append((elapsed, prefix, len(found)))
    return samples, hits, slowest


def _table(title: str, samples: dict[int, list[float]], hits: dict[int, list[int]],
           *, target: bool) -> Section:
    sec = Section(title, ["query length", "keystrokes", "p50 ms", "p95 ms", "max ms",
                          "median hits", "target", "verdict"])
    for n in sorted(samples):
        p95 = percentile(samples[n], 95)
        sec.rows.append([f"{n} char{'s' if n > 1 else ''}", str(len(samples[n])),
                         ms(percentile(samples[n], 50)), ms(p95), ms(max(samples[n])),
                         f"{median(hits[n]):,.0f}",
                         f"p95 < {ms(TARGET_P95_S)}" if target else "-",
                         verdict(p95 < TARGET_P95_S) if target else "-"])
    return sec


def run(ctx: Context) -> list[Section]:
    with Database.open(ctx.path, backup=False) as db:
        remember_texts(db)
        start = perf_counter()
        with db.reading() as s:
            listing.warm_text_memory(s)
        fill = perf_counter() - start
        first_samples, first_hits, _first_slowest = _typed(db, _first_screenful)
        samples, hits, slowest = _typed(db, listing.contact_ids)
        with Database.open(ctx.path, readonly=True) as cli_db:
            cli_samples, cli_hits, _cli_slowest = _typed(
                cli_db, lambda s, q: find_ids(s, q, trash=False, limit=None))

    first = _table("Search per keystroke in the window, to the first screenful (what "
                   "shows; the rest follows)", first_samples, first_hits, target=True)
    first.notes.append(f"quick_first_ids, stopped after {FIRST_ROWS}: 1-2 letters scan "
                       "the texts in memory; 3 or more take the trigram index's hits in "
                       "the name order kept in memory")
    sec = _table("Search per keystroke in the window, the whole list (listing.contact_ids, "
                 "a session each)", samples, hits, target=False)
    sec.notes.append("typed: " + ", ".join(WORDS) + f" (each prefix {rounds_of(ROUNDS)} times)")
    sec.notes.append(f"texts for one- and two-letter words read once at start, in the "
                     f"background: {ms(fill)} ms")
    cli = _table("The same with crmdesk search (cli.search.find_ids, nothing in memory)",
                 cli_samples, cli_hits, target=False)

    worst = Section("Slowest keystrokes in the window", ["query", "hits", "ms"])
    seen: set[str] = set()
    for elapsed, prefix, count in sorted(slowest, reverse=True):
        if prefix not in seen:
            seen.add(prefix)
            worst.rows.append([repr(prefix), f"{count:,}", ms(elapsed)])
        if len(worst.rows) == 8:
            break
    return [first, sec, cli, worst]


def _first_screenful(session: object, prefix: str) -> list[int]:
    """What the window shows first for ``prefix`` (its table model's first phase)."""
    quick = quick_first_ids(session, prefix, limit=FIRST_ROWS)  # type: ignore[arg-type]
    return quick if quick is not None else listing.contact_ids(session, prefix)  # type: ignore[arg-type]
