"""Every contact's id in name order, remembered between units of work.

A lookup on a custom field and a sort by one (lookup.py, fields_query.py)
both end by putting ids in name order, and at 100,000 contacts reading that
order off the name index into Python is half of their time (~30-45 ms on the
bench machine, as much as the whole plain list). It changes only when a
contact is added, renamed, trashed, restored or purged, or the collation
changes, so it is kept per engine and read again only when:

- this process committed anything since (SQLAlchemy's engine "commit" event:
  crmdesk is the only writer of its file, DESIGN.md "One writer"), or
- the database says the live contacts changed: their count, the sum of their
  ids or the latest ``updated_at`` differ (one index-only query of a few ms,
  which also catches another process writing while a read-only copy reads).

Sessions on PostgreSQL or without SQLite simply read the order every time.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from crmdesk.core.storage.database import has_written
from crmdesk.core.storage.models import Contact
from crmdesk.core.storage.raw_rows import fetch_ids


@dataclass
class _Cache:
    generation: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # trash flag -> (generation, fingerprint, ids)
    entries: dict[bool, tuple[int, tuple[Any, ...], list[int]]] = field(default_factory=dict)


_CACHES: weakref.WeakKeyDictionary[Engine, _Cache] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def _cache_for(engine: Engine) -> _Cache:
    with _GUARD:
        cache = _CACHES.get(engine)
        if cache is None:
            cache = _Cache()
            _CACHES[engine] = cache

            def bump(_conn: Any) -> None:
                cache.generation += 1

            event.listen(engine, "commit", bump)
        return cache


def _fingerprint(session: Session, trash: bool) -> tuple[Any, ...]:
    """Count and sum of the ids (the trash index holds both), and the latest update of any
    contact (the top of the updated_at index): a few milliseconds, never a table scan."""
    live = Contact.deleted_at.is_not(None) if trash else Contact.deleted_at.is_(None)
    latest = select(func.max(Contact.updated_at)).scalar_subquery()
    row = session.execute(select(func.count(), func.total(Contact.id), latest).where(live)).one()
    return tuple(row)


def _statement(trash: bool) -> Any:
    return select(Contact.id).where(
        Contact.deleted_at.is_not(None) if trash else Contact.deleted_at.is_(None)
    ).order_by(Contact.sort_key, Contact.id)


def _cacheable(session: Session) -> Engine | None:
    database = session.info.get("database")
    bind = getattr(database, "engine", None)
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return None
    if has_written(session):
        # This unit of work has written and not committed yet: what it sees is not
        # what other units of work see. Neither use nor fill the cache.
        return None
    return bind


def remembered(session: Session, *, trash: bool = False) -> tuple[list[int] | None, int | None]:
    """(the remembered name order if still right, else None; how many contacts there are,
    if that was cheap to learn). Lets a caller with only a few ids to order choose
    between sorting them itself and reading the whole order."""
    engine = _cacheable(session)
    if engine is None:
        return None, None
    cache = _cache_for(engine)
    generation = cache.generation
    fingerprint = _fingerprint(session, trash)
    with cache.lock:
        entry = cache.entries.get(trash)
    if entry is not None and entry[0] == generation and entry[1] == fingerprint:
        return entry[2], int(fingerprint[0])
    return None, int(fingerprint[0])


def name_ordered_ids(session: Session, *, trash: bool = False) -> list[int]:
    """Ids of the live (or trashed) contacts by sort_key, then id. Do not modify the list."""

    engine = _cacheable(session)
    if engine is None:
        return fetch_ids(session, _statement(trash))
    cache = _cache_for(engine)
    generation = cache.generation
    fingerprint = _fingerprint(session, trash)
    with cache.lock:
        entry = cache.entries.get(trash)
    if entry is not None and entry[0] == generation and entry[1] == fingerprint:
        return entry[2]
    ids = fetch_ids(session, _statement(trash))
    with cache.lock:
        if cache.generation == generation:  # nothing committed meanwhile
            cache.entries[trash] = (generation, fingerprint, ids)
    return ids


def forget(engine: Engine) -> None:
    """Drop what is remembered for ``engine`` (tests; after writing behind SQLAlchemy's back)."""
    with _GUARD:
        cache = _CACHES.get(engine)
    if cache is not None:
        with cache.lock:
            cache.entries.clear()
