"""Who has not been contacted for too long: the Overview's reminder of the people
no activity will bring up.

The limit is kept per status, in the file's settings (``neglect_days``, JSON:
{status name: days}); the defaults are a fortnight for leads, a month for
prospects, a quarter for customers. A contact never reached counts from the
day it was created. Read with one query per status, oldest first, a screenful
at most: the index on (deleted_at, last_contact_at, sort_key) is walked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from crmdesk.core.changes import SETTINGS, Changes
from crmdesk.core.errors import Problem, ValidationError
from crmdesk.core.i18n import _
from crmdesk.core.storage.models import STATUS, Choice, Contact
from crmdesk.core.storage.settings import get_setting, set_setting

SETTING = "neglect_days"
DEFAULTS = {"Lead": 14, "Prospect": 30, "Customer": 90}
LIMIT = 50


@dataclass(frozen=True)
class Neglected:
    contact_id: int
    name: str
    status: str
    last_contact: datetime | None  # naive UTC; None: never reached
    days: int  # how many days since (or since it was created)


def neglect_days(session: Session) -> dict[str, int]:
    """{status name: days}: the file's own, or the defaults."""
    text = get_setting(session, SETTING)
    if not text:
        return dict(DEFAULTS)
    try:
        found = json.loads(text)
    except ValueError:
        return dict(DEFAULTS)
    if not isinstance(found, dict):
        return dict(DEFAULTS)
    return {str(k): int(v) for k, v in found.items()
            if isinstance(v, int) and not isinstance(v, bool) and v > 0}


def set_neglect_days(session: Session, days: dict[str, int]) -> Changes:
    bad = [name for name, n in days.items() if not 1 <= n <= 3650]
    if bad:
        raise ValidationError([Problem("neglect_days", _(
            "Days without contact are from 1 to 3650 (not for {names}).").format(
                names=", ".join(bad)))])
    set_setting(session, SETTING, json.dumps(days, ensure_ascii=False, sort_keys=True))
    return Changes.of(SETTINGS)


def neglected_contacts(session: Session, now: datetime | None = None,
                       limit: int = LIMIT) -> list[Neglected]:
    """Live contacts of those statuses not reached within their status's days."""
    current = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    out: list[Neglected] = []
    statuses = {name.casefold(): (cid, name) for cid, name in session.execute(
        select(Choice.id, Choice.name).where(Choice.kind == STATUS)).all()}
    for name, days in neglect_days(session).items():
        found = statuses.get(name.casefold())
        if found is None:
            continue
        status_id, status = found
        cutoff = current - timedelta(days=days)
        since = func.coalesce(Contact.last_contact_at, Contact.created_at)
        for cid, display, last, created in session.execute(
            select(Contact.id, Contact.display_name, Contact.last_contact_at,
                   Contact.created_at)
            .where(Contact.deleted_at.is_(None), Contact.status_id == status_id,
                   or_(Contact.last_contact_at < cutoff,
                       and_(Contact.last_contact_at.is_(None),
                            Contact.created_at < cutoff)))
            .order_by(since, Contact.sort_key).limit(limit)
        ).all():
            ref = last or created
            out.append(Neglected(cid, display, status, last, (current - ref).days))
    out.sort(key=lambda n: (-n.days, n.name))
    return out[:limit]
