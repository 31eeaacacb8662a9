"""Alembic environment: always run from crmdesk.core.migrate with a live connection."""

from alembic import context

from crmdesk.core.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
)
with context.begin_transaction():
    context.run_migrations()
