"""Groups (saved lookups and static groups) and import batches.

contact_group holds the groups of the navigation: a saved lookup keeps its
lookup text, a static group its members in group_member. import_batch records
each import, and import_batch_contact the contacts it added or updated (with
what an update changed), so that an import can be undone. Only new tables: the
contact table keeps its shape.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contact_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('lookup', 'static')", name=op.f('ck_contact_group_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_group')),
    sa.UniqueConstraint('key', name=op.f('uq_contact_group_key'))
    )
    op.create_table('group_member',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'],
                            name=op.f('fk_group_member_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['contact_group.id'],
                            name=op.f('fk_group_member_group_id_contact_group'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'contact_id', name=op.f('pk_group_member'))
    )
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_member_contact_id'), ['contact_id'],
                              unique=False)
    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=1000), nullable=False),
    sa.Column('file_format', sa.String(length=20), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    op.create_table('import_batch_contact',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.CheckConstraint("action IN ('added', 'updated')",
                       name=op.f('ck_import_batch_contact_action')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'],
                            name=op.f('fk_import_batch_contact_batch_id_import_batch'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'],
                            name=op.f('fk_import_batch_contact_contact_id_contact'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('batch_id', 'contact_id', name=op.f('pk_import_batch_contact'))
    )
    with op.batch_alter_table('import_batch_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_contact_contact_id'), ['contact_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('import_batch_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_contact_contact_id'))
    op.drop_table('import_batch_contact')
    op.drop_table('import_batch')
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_member_contact_id'))
    op.drop_table('group_member')
    op.drop_table('contact_group')
