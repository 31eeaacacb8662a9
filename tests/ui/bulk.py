"""Fast bulk filling of a database for list tests at 100,000 rows.

The services create one contact per transaction with full validation, which
is right for users and far too slow to build 100,000 rows per test run. This
writes the same rows (contact, company, primary phone, e-mail and address,
search row) with executemany on the raw connection.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from crmdesk.core.storage.database import Database
from crmdesk.core.text.collation import name_sort_key
from crmdesk.core.text.company_names import company_sort_key
from crmdesk.core.text.folding import digits, display_name, fold

GIVEN = ["Anna", "John", "Mary", "Peter", "Jonas", "Ona", "Ivan", "Olga", "Žydrūnas",
         "Émile", "Zoë", "Lars", "Sofia", "Marco", "Yuki", "Иван", "Мария", "Пётр",
         "Agnė", "Chloé", "David", "Laura", "Tomas", "Eglė", "Noah", "Mia"]
FAMILY = ["Smith", "Johnson", "Brown", "Kazlauskas", "Žukauskas", "Zuikis", "Petrauskas",
          "Ivanov", "Иванов", "Петров", "Смирнова", "Müller", "García", "Rossi", "Sørensen",
          "O'Brien", "Nowak", "Dubois", "Tanaka", "Wilson", "Adams", "Baker", "Clark",
          "Šimkus", "Čepas", "Young", "Walker"]
CITIES = ["Vilnius", "Kaunas", "Moscow", "Berlin", "Boston", "Paris", "Riga", "Tokyo",
          "Madrid", "Oslo", "", ""]
INDUSTRIES = ["Retail", "Software", "Construction", "Food", "Logistics", ""]


def fill(db: Database, contacts: int, *, seed: int = 1, search: bool = True,
         language: str = "") -> None:
    rnd = random.Random(seed)
    companies = max(1, contacts // 8)
    now = datetime(2026, 1, 1)
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        # crmdesk's connections leave BEGIN to the caller (storage/database.py):
        # one transaction for the whole fill, not one commit per row.
        cur.execute("BEGIN")
        status_ids = [r[0] for r in cur.execute("SELECT id FROM choice WHERE kind='status'")]
        names = [f"{rnd.choice(FAMILY)} {rnd.choice(['LLC', 'UAB', 'GmbH', 'Ltd'])} {i}"
                 for i in range(1, companies + 1)]
        cur.executemany(
            "INSERT INTO company (id, name, name_key, sort_key, industry, notes, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, '', ?, ?)",
            [(i, name, "", company_sort_key(name), rnd.choice(INDUSTRIES), now, now)
             for i, name in enumerate(names, start=1)],
        )
        cur.execute("UPDATE company SET name_key = lower(name)")
        crow, prow, erow, arow, srow = [], [], [], [], []
        for i in range(1, contacts + 1):
            given, family = rnd.choice(GIVEN), rnd.choice(FAMILY)
            name = display_name(given=given, family=family)
            company = rnd.randint(1, companies) if rnd.random() < 0.7 else None
            updated = now - timedelta(minutes=rnd.randint(0, 500_000))
            crow.append((i, given, family, name,
                         name_sort_key(given=given, family=family, language=language),
                         company, rnd.choice(status_ids) if rnd.random() < 0.8 else None,
                         updated, updated))
            phone = f"+1 555 {rnd.randint(1000000, 9999999)}"
            prow.append((i, phone, "+1555" + phone[-7:]))
            email = f"{fold(given)[:6]}.{i}@example.com"
            erow.append((i, email, email))
            city = rnd.choice(CITIES)
            if city:
                arow.append((i, city))
            srow.append((i, fold(name), "\n".join([email, phone, digits(phone), fold(city)])))
        cur.executemany(
            "INSERT INTO contact (id, prefix, given_name, middle_name, family_name, suffix,"
            " nickname, name_order, display_name, sort_key, company_id, job_title, department,"
            " status_id, notes, created_at, updated_at) VALUES"
            " (?, '', ?, '', ?, '', '', 'given_first', ?, ?, ?, '', '', ?, '', ?, ?)", crow)
        cur.executemany(
            "INSERT INTO phone (contact_id, label, number, e164, is_primary, position)"
            " VALUES (?, 'work', ?, ?, 1, 0)", prow)
        cur.executemany(
            "INSERT INTO email (contact_id, label, address, normalized, is_primary, position)"
            " VALUES (?, 'work', ?, ?, 1, 0)", erow)
        cur.executemany(
            "INSERT INTO address (contact_id, label, street, city, region, postcode, country,"
            " is_primary, position) VALUES (?, 'work', '', ?, '', '', '', 1, 0)", arow)
        if search:
            cur.executemany(
                "INSERT INTO search_row (contact_id, name_text, body_text) VALUES (?, ?, ?)",
                srow)
        raw.commit()
    finally:
        raw.close()
