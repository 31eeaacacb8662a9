"""Alembic environment: always run from crmdesk.core.storage.migrate with a live connection."""

from alembic import context

import crmdesk.core.storage.field_models  # noqa: F401 - custom fields' tables (0002)
from crmdesk.core.storage.migrate import include_object
from crmdesk.core.storage.models import Base

connection = context.config.attributes["connection"]


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
)
with context.begin_transaction():
    context.run_migrations()
