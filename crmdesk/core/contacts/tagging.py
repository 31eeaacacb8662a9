"""A tag added to, or taken off, a whole selection of contacts in one unit of work.

Tags are one row per name (tag.key is the folded name: "VIP" and "vip" are one
tag) and a link per contact (contact_tag). The contacts' search rows hold their
tags' words, so they are rebuilt for the contacts that changed, in the same
transaction, and ``tag:vip`` and a plain search for "vip" agree at once.
(records.tag_contacts does the same for the selection panel, which takes its
chunks one transaction each; this is for the CLI, groups and menus, where a
selection is all or nothing.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crmdesk.core.changes import CONTACTS, Changes
from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _
from crmdesk.core.search import fulltext as search
from crmdesk.core.storage.models import Contact, Tag, contact_tag, utcnow
from crmdesk.core.text.folding import fold
from crmdesk.core.text.validation import MAX_NAME

_CHUNK = 500


@dataclass(frozen=True)
class Tagged:
    """How many of the contacts asked for gained (or lost) the tag; the rest had it
    already (or did not have it)."""

    tag: str
    changed: int
    asked: int
    changes: Changes


def _clean(tag: str) -> str:
    tag = " ".join(tag.split())
    if not tag:
        raise CrmdeskError(_("A tag needs a name."))
    if len(tag) > MAX_NAME:
        raise CrmdeskError(_("A tag is too long (at most 200 characters)."))
    return tag


def _live(session: Session, chunk: list[int]) -> list[int]:
    return list(session.scalars(select(Contact.id).where(Contact.id.in_(chunk),
                                                         Contact.deleted_at.is_(None))))


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        yield wanted[start:start + _CHUNK]


def add_tag(session: Session, contact_ids: Iterable[int], tag: str) -> Tagged:
    """Tag every live contact of ``contact_ids`` (a new tag is made by its first use)."""
    tag = _clean(tag)
    row = session.scalars(select(Tag).where(Tag.key == fold(tag))).first()
    if row is None:
        row = Tag(name=tag, key=fold(tag))
        session.add(row)
        session.flush()
    changed: list[int] = []
    asked = 0
    for chunk in _chunks(contact_ids):
        live = _live(session, chunk)
        asked += len(live)
        have = set(session.scalars(select(contact_tag.c.contact_id).where(
            contact_tag.c.tag_id == row.id, contact_tag.c.contact_id.in_(live))))
        new = [c for c in live if c not in have]
        if new:
            session.execute(contact_tag.insert(), [{"contact_id": c, "tag_id": row.id}
                                                   for c in new])
        changed += new
    return _done(session, row.name, changed, asked)


def remove_tag(session: Session, contact_ids: Iterable[int], tag: str) -> Tagged:
    """Take the tag off every live contact of ``contact_ids`` that has it (the tag
    itself stays, for the next time)."""
    tag = _clean(tag)
    tag_id = session.scalar(select(Tag.id).where(Tag.key == fold(tag)))
    changed: list[int] = []
    asked = 0
    for chunk in _chunks(contact_ids):
        live = _live(session, chunk)
        asked += len(live)
        if tag_id is None:
            continue
        have = list(session.scalars(select(contact_tag.c.contact_id).where(
            contact_tag.c.tag_id == tag_id, contact_tag.c.contact_id.in_(live))))
        if have:
            session.execute(delete(contact_tag).where(contact_tag.c.tag_id == tag_id,
                                                      contact_tag.c.contact_id.in_(have)))
        changed += have
    name = session.scalar(select(Tag.name).where(Tag.id == tag_id)) if tag_id else tag
    return _done(session, name or tag, changed, asked)


def _done(session: Session, name: str, changed: list[int], asked: int) -> Tagged:
    if changed:
        now = utcnow()
        for chunk in _chunks(changed):
            session.execute(update(Contact).where(Contact.id.in_(chunk))
                            .values(updated_at=now))
        search.refresh(session, changed)
    session.flush()
    return Tagged(name, len(changed), asked,
                  Changes.of(CONTACTS, changed) if changed else Changes())
