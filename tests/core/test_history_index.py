"""The History view's words of three characters or more come from the trigram index
(migration 0009) and find exactly what the substring test finds, in every script,
through every edit, delete and upgrade."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime

import pytest
from sqlalchemy import func, literal, select

from crmdesk.core.contacts.records import ContactData, create_contact
from crmdesk.core.history.listing import HistoryFilter, history_ids
from crmdesk.core.history.records import (
    InteractionData,
    delete_interaction,
    log_interaction,
    update_interaction,
)
from crmdesk.core.maintenance.check import check_database
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import Interaction
from crmdesk.core.text.folding import fold

SUBJECTS = ["Sąskaita už birželį", "Žalgirio g. 5 pristatymas", "Счёт за июнь", "звонок Иванову",
            "发票已寄出 上海", "Invoice #1042 sent", 'He said "call back"', "ёлка", "Ąžuolų"]
WORDS = ["sąskait", "saskaita", "žalg", "счёт", "СЧЕТ", "ивано", "发票已", "上海", "invoice",
         'd "call', "елк", "ąžuol", "nothingsuchxyz", "1042"]


@pytest.fixture
def db(tmp_path):
    database = Database.open(tmp_path / "h.crmdesk")
    yield database
    database.close()


def _scan(db, word):
    """What the substring test alone finds (the entry's own text only)."""
    with db.reading() as s:
        return set(s.scalars(select(Interaction.id).where(
            func.instr(Interaction.search_text, literal(fold(word))) > 0)))


def _found(db, word):
    with db.reading() as s:
        return set(history_ids(s, HistoryFilter(text=word)))


def test_the_index_finds_what_the_substring_test_finds(db):
    rng = random.Random(5)
    person = create_contact(db, ContactData(given_name="Ona", family_name="Qwy"))
    made = []
    with db.session() as s:
        for i in range(60):
            made += log_interaction(s, InteractionData(
                kind="Call", subject=rng.choice(SUBJECTS), details=rng.choice(SUBJECTS),
                at=datetime(2026, 1 + i % 12, 1 + i % 27, 9), contact_ids=[person])).ids
    with db.session() as s:  # edits and deletes keep the index in step
        for entry in made[:10]:
            update_interaction(s, entry, InteractionData(
                kind="Meeting", subject="Pertvarkyta sutartis", details="",
                at=datetime(2026, 3, 3, 10), contact_ids=[person]))
        for entry in made[10:15]:
            delete_interaction(s, entry)
    for word in WORDS + ["pertvark", "sutart"]:
        found = _found(db, word)
        assert found == _scan(db, word), word
    assert _found(db, "pertvark") == set(made[:10])
    assert _found(db, "nothingsuchxyz") == set()
    assert len(_found(db, "счёт")) > 0 and _found(db, "счет") == _found(db, "СЧЁТ")


def test_check_looks_at_the_history_index_too(db, tmp_path):
    person = create_contact(db, ContactData(given_name="Ona", family_name="Qwy"))
    with db.session() as s:
        log_interaction(s, InteractionData(kind="Call", subject="Invoice sent",
                                           contact_ids=[person]))
    assert check_database(db).ok
    db.close()
    raw = sqlite3.connect(tmp_path / "h.crmdesk")
    raw.execute("DROP TRIGGER interaction_fts_au")
    raw.execute("UPDATE interaction SET search_text = 'something else entirely'")
    raw.commit()
    raw.close()
    damaged = Database.open(tmp_path / "h.crmdesk", backup=False)
    try:
        report = check_database(damaged)
        assert [p for p in report.problems if p.startswith("The history's search index")]
    finally:
        damaged.close()
