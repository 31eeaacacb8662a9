"""History entries for the History view's tests: a few known ones, or thousands fast.

TODAY is a Wednesday; the entries fall into the presets' periods like this:
today: 1; this week (16-22 March): 1, 2; this month: 1, 2, 3, 7;
last month: 4; last 30 days (16 Feb - 18 Mar): 1, 2, 3, 4, 7; this year: all but 6.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from crmdesk.core.history.records import InteractionData, log_interaction
from crmdesk.core.storage.database import Database
from crmdesk.core.text.folding import fold

TODAY = date(2026, 3, 18)

# (subject, kind, direction, at, outcome, family names, duration)
ENTRIES = [
    ("Prices for spring", "Call", "out", datetime(2026, 3, 18, 10, 0), "Reached",
     ["Smith"], 15),
    ("Квартальный отчёт", "Meeting", "", datetime(2026, 3, 16, 9, 30), "Meeting agreed",
     ["Иванов", "Petrova"], 60),
    ("Invoice question", "E-mail", "in", datetime(2026, 3, 2, 14, 5), "", ["Kazlauskas"],
     None),
    ("Contract draft", "Letter", "out", datetime(2026, 2, 20, 11, 0), "", ["Zuikis"], None),
    ("New year greetings", "Call", "out", datetime(2026, 1, 5, 16, 45), "No answer",
     ["Brown"], 2),
    ("Met at the trade show", "Note", "", datetime(2025, 11, 11, 12, 0), "", ["Dubois"],
     None),
    ("Complaint about delivery", "Call", "in", datetime(2026, 3, 10, 8, 15), "Complaint",
     ["Smith"], 20),
]


def add_entries(db: Database, people: dict[str, int]) -> dict[str, int]:
    """Log ENTRIES through the service; {subject: interaction id}."""
    ids = {}
    with db.session() as s:
        for subject, kind, direction, at, outcome, who, minutes in ENTRIES:
            result = log_interaction(s, InteractionData(
                kind=kind, subject=subject, at=at, direction=direction, outcome=outcome,
                duration_min=minutes, details=f"Notes on {subject.lower()}",
                contact_ids=[people[w] for w in who]))
            ids[subject] = result.ids[0]
    return ids


def fill_history(db: Database, n: int, contact_ids: list[int], *, seed: int = 3) -> None:
    """n entries spread over the last two years before TODAY, written in bulk."""
    rnd = random.Random(seed)
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        # crmdesk's connections leave BEGIN to the caller (storage/database.py):
        # one transaction for the whole fill, not one commit per row.
        cur.execute("BEGIN")
        kinds = [r[0] for r in cur.execute(
            "SELECT id FROM choice WHERE kind='interaction_kind'")]
        outcomes = [r[0] for r in cur.execute("SELECT id FROM choice WHERE kind='outcome'")]
        start = datetime(TODAY.year, TODAY.month, TODAY.day)
        first = cur.execute("SELECT coalesce(max(id), 0) FROM interaction").fetchone()[0] + 1
        rows, links = [], []
        for i in range(first, first + n):
            subject = f"Bulk entry {i:05d}"
            at = start - timedelta(minutes=rnd.randint(0, 2 * 365 * 24 * 60))
            rows.append((i, rnd.choice(kinds), rnd.choice(["in", "out", ""]), at,
                         rnd.choice([None, 5, 30]), subject,
                         rnd.choice(outcomes) if rnd.random() < 0.7 else None, "",
                         fold(subject), at, at))
            links.append((i, rnd.choice(contact_ids)))
        cur.executemany(
            "INSERT INTO interaction (id, kind_id, direction, at, duration_min, subject,"
            " outcome_id, details, search_text, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        cur.executemany("INSERT INTO interaction_contact (interaction_id, contact_id)"
                        " VALUES (?, ?)", links)
        raw.commit()
    finally:
        raw.close()
