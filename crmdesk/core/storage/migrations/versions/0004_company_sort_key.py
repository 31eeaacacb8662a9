"""Companies sort by their name without the legal form: company.sort_key.

name_key (the whole folded name) stays what a company is found and matched by
(a contact's company is the live company of that folded name); the new
sort_key is only what the Companies list, and every list sorted by company,
orders by. Every existing company gets its key here, computed by the same
function new companies get it from (text.company_names).

Batch mode adds the column and its index with ALTER TABLE ADD COLUMN, without
copying the table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 07:30:00
"""

import sqlalchemy as sa
from alembic import op

from crmdesk.core.text.company_names import company_sort_key

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_key', sa.String(length=500), server_default='',
                                      nullable=False))
        batch_op.create_index(batch_op.f('ix_company_sort_key'), ['sort_key'], unique=False)
    conn = op.get_bind()
    company = sa.table('company', sa.column('id', sa.Integer), sa.column('name', sa.String),
                       sa.column('sort_key', sa.String))
    rows = [{"cid": cid, "key": company_sort_key(name or "")}
            for cid, name in conn.execute(sa.select(company.c.id, company.c.name))]
    if rows:
        conn.execute(company.update().where(company.c.id == sa.bindparam("cid"))
                     .values(sort_key=sa.bindparam("key")), rows)


def downgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_sort_key'))
        batch_op.drop_column('sort_key')
