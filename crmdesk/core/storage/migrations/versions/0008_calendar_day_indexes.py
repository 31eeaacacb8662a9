"""Calendar: the yearly dates of a day are read from indexes alone.

A month view shows, of each day's birthdays, the first few by name and how many
there are (activities/yearly.py ``yearly_days``): at 100,000 contacts six weeks
hold about 9,000 birthdays, and reading each one's row from the contact table
for its name, year and trash mark was most of the month view's time. The
birthday index now carries those columns in the order the view wants them
(day, then name), so the rows are never read and need no sort; it replaces
0007's index on (birthday_month, birthday_day), of which it is an extension, so
a contact's change updates as many indexes as before. Important dates get an
index on their day, which they had none of (a month view read the whole table).

Cost: the birthday index grows by the names (about 2 MB at 100,000 contacts);
building both takes about 0.2 s there. No table changes shape.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 15:00:00
"""

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_birthday')
        batch_op.create_index('ix_contact_birthday_list',
                              ['birthday_month', 'birthday_day', 'display_name', 'deleted_at',
                               'birthday_year'], unique=False)
    with op.batch_alter_table('important_date', schema=None) as batch_op:
        batch_op.create_index('ix_important_date_day', ['month', 'day'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('important_date', schema=None) as batch_op:
        batch_op.drop_index('ix_important_date_day')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_birthday_list')
        batch_op.create_index('ix_contact_birthday', ['birthday_month', 'birthday_day'],
                              unique=False)
