"""Names sort by each script's own alphabet: every sort key computed again.

Contact and company sort keys now put Chinese names in pinyin order, Cyrillic
names in the Russian alphabet whatever the file's language, and companies in
the file's language's alphabet (text.collation). Keys made before are
recomputed with the same code Settings uses to change the collation
(storage.sort_keys); no table changes shape.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 08:30:00
"""

from alembic import op

from crmdesk.core.storage.sort_keys import recompute_sort_keys, stored_collation

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    recompute_sort_keys(conn, stored_collation(conn))


def downgrade() -> None:
    # The old keys sort the same rows in a slightly different order; an older
    # version computes its own keys for what it saves.
    pass
