"""Every contact's id in name order, remembered between units of work.

A lookup on a custom field and a sort by one (lookup.py, fields_query.py)
both end by putting ids in name order, and at 100,000 contacts reading that
order off the name index into Python is half of their time (~30-45 ms on the
bench machine, as much as the whole plain list). It changes only when a
contact is added, renamed, trashed, restored or purged, or the collation
changes, so it is kept per engine and brought up to date when:

- a commit changed some contacts (touched.py says which): only those are
  taken out and put back where their sort keys now place them (``placed``:
  a binary search that reads the sort key of a few neighbours), a
  millisecond where reading the whole order takes 40-100;
- what changed cannot be told (another program wrote, thousands changed):
  the whole order is read again;
- and in either case the database's fingerprint of the live contacts (their
  count, the sum of their ids, the latest ``updated_at``: one index-only query
  of a few ms) must match, which also catches a writer that counts nothing.

Sessions on PostgreSQL or without SQLite simply read the order every time.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.orm import Session

from crmdesk.core.storage import touched
from crmdesk.core.storage.database import has_written
from crmdesk.core.storage.models import Contact
from crmdesk.core.storage.raw_rows import fetch_ids


@dataclass
class _Cache:
    lock: threading.Lock = field(default_factory=threading.Lock)
    # trash flag -> (mark, fingerprint, ids)
    entries: dict[bool, tuple[touched.Mark | None, tuple[Any, ...], list[int]]] = field(
        default_factory=dict)


_CACHES: weakref.WeakKeyDictionary[Engine, _Cache] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def _cache_for(engine: Engine) -> _Cache:
    with _GUARD:
        cache = _CACHES.get(engine)
        if cache is None:
            cache = _CACHES[engine] = _Cache()
        return cache


def _fingerprint(session: Session, trash: bool) -> tuple[Any, ...]:
    """Count and sum of the ids (the trash index holds both), and the latest update of any
    contact (the top of the updated_at index): a few milliseconds, never a table scan.
    Asked once per unit of work (one snapshot: it cannot change within it), though a
    lookup asks ``remembered`` and then ``name_ordered_ids``."""
    key = ("crmdesk_name_fingerprint", trash)
    found: tuple[Any, ...] | None = session.info.get(key)
    if found is None:
        live = Contact.deleted_at.is_not(None) if trash else Contact.deleted_at.is_(None)
        latest = select(func.max(Contact.updated_at)).scalar_subquery()
        found = tuple(session.execute(
            select(func.count(), func.total(Contact.id), latest).where(live)).one())
        session.info[key] = found
    return found


def _statement(trash: bool) -> Any:
    return select(Contact.id).where(
        Contact.deleted_at.is_not(None) if trash else Contact.deleted_at.is_(None)
    ).order_by(Contact.sort_key, Contact.id)


def _ordered_ids(session: Session, trash: bool) -> list[int]:
    """The order itself, read as one string (raw_rows.fetch_ids: 19 ms instead of 34
    at 100,000 contacts); one table, its primary key: no id twice to drop."""
    return fetch_ids(session, _statement(trash))


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


def _order_key(key: str | None, record_id: int) -> tuple[int, str, int]:
    """(sort_key, id) as SQLite orders them: NULL first, then text by its UTF-8 bytes
    (which is the order of the code points Python compares)."""
    return (0, "", record_id) if key is None else (1, key, record_id)


def positions(ids: Sequence[int], wanted: Collection[int]) -> list[int]:
    """Where the ``wanted`` ids are in ``ids``, ascending (a few: scans in C; many:
    one pass)."""
    if len(wanted) <= 16:
        found = []
        for record_id in wanted:
            try:
                found.append(ids.index(record_id))
            except ValueError:
                pass
        return sorted(found)
    wanted = set(wanted)
    return [i for i, record_id in enumerate(ids) if record_id in wanted]


def placed(session: Session, kept: Sequence[int], keys: Mapping[int, str | None]
           ) -> list[tuple[int, int]]:
    """Where the contacts ``keys`` ({id: sort_key}) go into ``kept`` (ids in name order
    that do not include them): [(position, id)], ascending, to be inserted in that
    order. Each is placed by a binary search that reads the sort keys of the ~17
    neighbours it compares with (one indexed SELECT each)."""
    known: dict[int, str | None] = dict(keys)
    stmt = select(Contact.sort_key).where(Contact.id == bindparam("wanted"))

    def key_of(record_id: int) -> tuple[int, str, int]:
        if record_id not in known:
            known[record_id] = session.execute(stmt, {"wanted": record_id}).scalar()
        return _order_key(known[record_id], record_id)

    out: list[tuple[int, int]] = []
    for shift, (new_key, record_id) in enumerate(
            sorted((_order_key(k, i), i) for i, k in keys.items())):
        lo, hi = 0, len(kept)
        while lo < hi:
            mid = (lo + hi) // 2
            if key_of(kept[mid]) < new_key:
                lo = mid + 1
            else:
                hi = mid
        # the ones placed before it (smaller keys) are inserted first
        out.append((lo + shift, record_id))
    return out


def _brought_up_to_date(session: Session, entry: tuple[touched.Mark | None, tuple[Any, ...],
                                                       list[int]], trash: bool
                        ) -> tuple[touched.Mark | None, list[int]] | None:
    """The remembered order with the contacts changed since it was made taken out and
    put back; None when what changed cannot be told."""
    mark, changed = touched.changed_since(session, entry[0])
    if changed is None:
        return None
    ids = entry[2]
    if not changed:
        return mark, ids
    live = Contact.deleted_at.is_not(None) if trash else Contact.deleted_at.is_(None)
    keys = dict(session.execute(select(Contact.id, Contact.sort_key).where(
        Contact.id.in_(changed), live)).all())
    gone = set(positions(ids, changed))
    kept = [record_id for i, record_id in enumerate(ids) if i not in gone] if gone else ids
    out = list(kept)
    for position, record_id in placed(session, kept, keys):
        out.insert(position, record_id)
    return mark, out


def remembered(session: Session, *, trash: bool = False) -> tuple[list[int] | None, int | None]:
    """(the remembered name order if still right, else None; how many contacts there are,
    if that was cheap to learn). Lets a caller with only a few ids to order choose
    between sorting them itself and reading the whole order."""
    engine = _cacheable(session)
    if engine is None:
        return None, None
    cache = _cache_for(engine)
    with cache.lock:
        if trash not in cache.entries:
            return None, None  # nothing to check: the fingerprint's 8 ms saved
    fingerprint = _fingerprint(session, trash)
    found = _up_to_date(session, cache, trash, fingerprint)
    return found, int(fingerprint[0])


def _up_to_date(session: Session, cache: _Cache, trash: bool,
                fingerprint: tuple[Any, ...]) -> list[int] | None:
    with cache.lock:
        entry = cache.entries.get(trash)
    if entry is None:
        return None
    if entry[1] == fingerprint and entry[0] is not None and entry[0] == touched.mark(session):
        return entry[2]
    update = _brought_up_to_date(session, entry, trash)
    if update is None:
        return None
    mark, ids = update
    if len(ids) != fingerprint[0] or sum(ids) != fingerprint[1]:
        return None  # someone wrote without counting: read it all
    with cache.lock:
        if cache.entries.get(trash) is entry:
            cache.entries[trash] = (mark, fingerprint, ids)
    return ids


def name_ordered_ids(session: Session, *, trash: bool = False) -> list[int]:
    """Ids of the live (or trashed) contacts by sort_key, then id. Do not modify the list."""

    engine = _cacheable(session)
    if engine is None:
        return _ordered_ids(session, trash)
    cache = _cache_for(engine)
    with cache.lock:
        remembered_now = trash in cache.entries
    if remembered_now:
        found = _up_to_date(session, cache, trash, _fingerprint(session, trash))
        if found is not None:
            return found
    mark = touched.mark(session)
    ids = _ordered_ids(session, trash)
    fingerprint = session.info.get(("crmdesk_name_fingerprint", trash))
    if fingerprint is None:  # the same figures, from the ids just read (8 ms less)
        fingerprint = (len(ids), float(sum(ids)),
                       session.scalar(select(func.max(Contact.updated_at))))
    with cache.lock:
        cache.entries[trash] = (mark, fingerprint, ids)
    return ids


def forget(engine: Engine) -> None:
    """Drop what is remembered for ``engine`` (tests; after writing behind SQLAlchemy's back)."""
    with _GUARD:
        cache = _CACHES.get(engine)
    if cache is not None:
        with cache.lock:
            cache.entries.clear()
