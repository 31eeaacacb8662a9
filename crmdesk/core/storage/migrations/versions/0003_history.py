"""History: interactions, their contacts, reached flags on list entries, last contact.

The two new drop-down lists (interaction kinds and outcomes) are filled with
the defaults, reached flags included, in any file that has none yet: a file
made before this version gets them here, a new file too (choices.seed_defaults
then leaves those two lists alone). The lists are spelled out here rather than
read from choices.py, so that this step does the same thing whenever it runs.

The contact table only gains columns and indexes; batch mode does that with
ALTER TABLE ADD COLUMN, without copying the table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# (list kind, [(name, reached)]), as in storage/defaults.py when this was written.
SEED = [
    ("interaction_kind", [("Call", True), ("Meeting", True), ("E-mail", True),
                          ("Letter", True), ("Note", False), ("Support request", True),
                          ("Mailing", False)]),
    ("outcome", [("Reached", True), ("Left message", False), ("No answer", False),
                 ("Wrong number", False), ("Meeting agreed", True), ("Ordered", True),
                 ("Complaint", True)]),
]


def upgrade() -> None:
    with op.batch_alter_table('choice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reached', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))

    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_contact_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_attempt_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_contact_live_last_attempt',
                              ['deleted_at', 'last_attempt_at', 'sort_key'], unique=False)
        batch_op.create_index('ix_contact_live_last_contact',
                              ['deleted_at', 'last_contact_at', 'sort_key'], unique=False)

    op.create_table('interaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=True),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('duration_min', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("direction IN ('in', 'out', '')", name=op.f('ck_interaction_direction')),
    sa.CheckConstraint('duration_min IS NULL OR duration_min >= 0',
                       name=op.f('ck_interaction_duration')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'],
                            name=op.f('fk_interaction_company_id_company'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['kind_id'], ['choice.id'],
                            name=op.f('fk_interaction_kind_id_choice'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outcome_id'], ['choice.id'],
                            name=op.f('fk_interaction_outcome_id_choice'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interaction'))
    )
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interaction_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_company_id'), ['company_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_kind_id'), ['kind_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_outcome_id'), ['outcome_id'],
                              unique=False)

    op.create_table('interaction_contact',
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'],
                            name=op.f('fk_interaction_contact_contact_id_contact'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interaction_id'], ['interaction.id'],
                            name=op.f('fk_interaction_contact_interaction_id_interaction'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('interaction_id', 'contact_id', name=op.f('pk_interaction_contact'))
    )
    with op.batch_alter_table('interaction_contact', schema=None) as batch_op:
        batch_op.create_index('ix_interaction_contact_contact', ['contact_id', 'interaction_id'],
                              unique=False)

    _seed()


def _seed() -> None:
    from crmdesk.core.i18n import _

    conn = op.get_bind()
    choice = sa.table('choice', sa.column('kind', sa.String), sa.column('name', sa.String),
                      sa.column('position', sa.Integer), sa.column('archived', sa.Boolean),
                      sa.column('reached', sa.Boolean))
    for kind, entries in SEED:
        have = conn.execute(sa.select(sa.func.count()).select_from(choice)
                            .where(choice.c.kind == kind)).scalar()
        if have:
            continue
        conn.execute(choice.insert(), [
            {"kind": kind, "name": _(name), "position": pos, "archived": False,
             "reached": reached}
            for pos, (name, reached) in enumerate(entries)
        ])


def downgrade() -> None:
    with op.batch_alter_table('interaction_contact', schema=None) as batch_op:
        batch_op.drop_index('ix_interaction_contact_contact')

    op.drop_table('interaction_contact')
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interaction_outcome_id'))
        batch_op.drop_index(batch_op.f('ix_interaction_kind_id'))
        batch_op.drop_index(batch_op.f('ix_interaction_company_id'))
        batch_op.drop_index(batch_op.f('ix_interaction_at'))

    op.drop_table('interaction')
    # Not in batch mode: that would copy the contact table, and dropping the old
    # copy with foreign keys on would cascade into phones, e-mails, addresses ...
    # SQLite (3.35+) drops an unindexed column in place.
    op.drop_index('ix_contact_live_last_contact', table_name='contact')
    op.drop_index('ix_contact_live_last_attempt', table_name='contact')
    op.drop_column('contact', 'last_attempt_at')
    op.drop_column('contact', 'last_contact_at')
    op.execute(sa.text("DELETE FROM choice WHERE kind IN ('interaction_kind', 'outcome')"))
    op.drop_column('choice', 'reached')
