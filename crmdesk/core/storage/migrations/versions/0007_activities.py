"""Calendar: activities, their contacts, deleted occurrences, the activity kinds.

activity holds what is planned (a call, a meeting, a to-do), once or as an
RFC 5545 series; an occurrence moved, edited or cleared is an activity of its
own pointing at its series (parent_id, recurrence_at), a deleted one a row of
activity_skip. The new drop-down list of activity kinds is filled here in any
file that has none (spelled out, as 0003 does, so this step does the same
thing whenever it runs). Only new tables, and an index on the contacts' birthdays
(the calendar shows them): nothing existing changes shape.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

SEED = ("activity_kind", ["Call", "Meeting", "To-do"])


def upgrade() -> None:
    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('starts_utc', sa.DateTime(), nullable=False),
    sa.Column('last_utc', sa.DateTime(), nullable=True),
    sa.Column('location', sa.String(length=500), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('reminder_min', sa.Integer(), nullable=True),
    sa.Column('reminded_utc', sa.DateTime(), nullable=True),
    sa.Column('snoozed_utc', sa.DateTime(), nullable=True),
    sa.Column('rrule', sa.Text(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('recurrence_at', sa.DateTime(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('result', sa.String(length=200), nullable=False),
    sa.Column('cleared_utc', sa.DateTime(), nullable=True),
    sa.Column('interaction_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('priority BETWEEN 0 AND 2', name=op.f('ck_activity_priority')),
    sa.CheckConstraint('reminder_min IS NULL OR reminder_min >= 0',
                       name=op.f('ck_activity_reminder')),
    sa.CheckConstraint("state IN ('open', 'done', 'not_done')", name=op.f('ck_activity_state')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'],
                            name=op.f('fk_activity_company_id_company'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interaction_id'], ['interaction.id'],
                            name=op.f('fk_activity_interaction_id_interaction'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['kind_id'], ['choice.id'], name=op.f('fk_activity_kind_id_choice'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['activity.id'],
                            name=op.f('fk_activity_parent_id_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_kind_id'), ['kind_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_last_utc'), ['last_utc'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_starts_utc'), ['starts_utc'], unique=False)
    op.create_table('activity_contact',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'],
                            name=op.f('fk_activity_contact_activity_id_activity'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'],
                            name=op.f('fk_activity_contact_contact_id_contact'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'contact_id', name=op.f('pk_activity_contact'))
    )
    with op.batch_alter_table('activity_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_contact_contact_id'), ['contact_id'],
                              unique=False)
    op.create_table('activity_skip',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'],
                            name=op.f('fk_activity_skip_activity_id_activity'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'occurrence_at', name=op.f('pk_activity_skip'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index('ix_contact_birthday', ['birthday_month', 'birthday_day'],
                              unique=False)
    choice = sa.table('choice', sa.column('kind', sa.String), sa.column('name', sa.String),
                      sa.column('position', sa.Integer), sa.column('archived', sa.Boolean),
                      sa.column('reached', sa.Boolean))
    bind = op.get_bind()
    kind, names = SEED
    if not bind.scalar(sa.select(sa.func.count()).select_from(choice)
                       .where(choice.c.kind == kind)):
        op.bulk_insert(choice, [{"kind": kind, "name": name, "position": pos,
                                 "archived": False, "reached": False}
                                for pos, name in enumerate(names)])


def downgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_birthday')
    op.drop_table('activity_skip')
    with op.batch_alter_table('activity_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_contact_contact_id'))
    op.drop_table('activity_contact')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_starts_utc'))
        batch_op.drop_index(batch_op.f('ix_activity_parent_id'))
        batch_op.drop_index(batch_op.f('ix_activity_last_utc'))
        batch_op.drop_index(batch_op.f('ix_activity_kind_id'))
        batch_op.drop_index(batch_op.f('ix_activity_company_id'))
    op.drop_table('activity')
    op.execute("DELETE FROM choice WHERE kind = 'activity_kind'")
