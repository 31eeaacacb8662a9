"""History: a trigram index on the entries' folded text.

A word typed in the History view was a substring test (instr) on every entry's
``search_text``: at 1.2 million entries 0.35-0.45 s for any word that is not
among the newest entries (a rare word, a name from last year), on every
keystroke. The same FTS5 trigram index the contacts have (0001, search_fts)
answers a word of three or more characters from the index: under a millisecond
for a rare word, ~30 ms to count a word in 72,000 entries.

Cost, measured on the 1.2-million-entry bench file (38.5 million characters of
text): 95 MB more in a 618 MB file (about 80 bytes an entry, 4 MB for a shop
with 50,000 entries), and building it takes ~15 s there (once, here). The text
is folded in Python before it is stored (text.fold), so the index is case
sensitive and needs SQLite's own folding for nothing, as search_fts.

The index has no rows of its own (``content='interaction'``): triggers keep it
in step with the table. A later migration that rebuilds the interaction table
(batch mode) drops the triggers with it and must make them again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 15:20:00
"""

from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_MADE = (
    "CREATE VIRTUAL TABLE history_fts USING fts5(search_text, content='interaction', "
    "content_rowid='id', tokenize='trigram case_sensitive 1')",
    "CREATE TRIGGER interaction_fts_ai AFTER INSERT ON interaction BEGIN "
    "INSERT INTO history_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER interaction_fts_ad AFTER DELETE ON interaction BEGIN "
    "INSERT INTO history_fts(history_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER interaction_fts_au AFTER UPDATE OF search_text ON interaction BEGIN "
    "INSERT INTO history_fts(history_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO history_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO history_fts(history_fts) VALUES ('rebuild')",
)


def upgrade() -> None:
    for statement in _MADE:
        op.execute(statement)


def downgrade() -> None:
    for name in ("interaction_fts_ai", "interaction_fts_ad", "interaction_fts_au"):
        op.execute("DROP TRIGGER IF EXISTS " + name)
    op.execute("DROP TABLE IF EXISTS history_fts")
