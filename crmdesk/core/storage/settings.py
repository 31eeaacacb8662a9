"""Settings stored in the database file itself (they travel with the file)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmdesk.core.storage.models import Setting

DEFAULTS = {
    # Region for phone numbers typed without a country code (ISO 3166 alpha-2).
    "phone_region": "",
    # Language whose alphabetical order lists follow (collation.py); "" = accent-blind.
    "collation": "",
}


def get_setting(session: Session, key: str) -> str:
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return value if value is not None else DEFAULTS.get(key, "")


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
