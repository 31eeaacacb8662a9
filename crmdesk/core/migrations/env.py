"""Alembic environment: always run from crmdesk.core.migrate with a live connection."""

from alembic import context

import crmdesk.core.fields_model  # noqa: F401 - custom fields' tables (0002)
from crmdesk.core.models import Base

connection = context.config.attributes["connection"]


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """The FTS5 table and its shadow tables are made by hand (0001): autogenerate
    must neither drop nor recreate them."""
    return not (name or "").startswith("search_fts")


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
)
with context.begin_transaction():
    context.run_migrations()
