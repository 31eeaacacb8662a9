"""One contact's timeline (their history entries and status changes) and one
company's (the entries of the company and of its people), newest first.

A status change (Lead → Customer) is not an interaction, but it is part of
the story a user reads on the contact's History tab, so it is merged in here
as a read-only entry (``id`` None, ``editable`` False). A contact has tens
or hundreds of entries, not millions: they are read with two small indexed
queries (through interaction_contact's (contact_id, interaction_id) index)
and merged in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, literal, select, union
from sqlalchemy.orm import Session, aliased

from crmdesk.core.errors import NotFoundError
from crmdesk.core.history.listing import contacts_of, not_only_trashed, trash_in_use, words
from crmdesk.core.i18n import _
from crmdesk.core.storage.models import (
    Choice,
    Company,
    Contact,
    Interaction,
    StatusChange,
    interaction_contact,
)
from crmdesk.core.text.folding import fold
from crmdesk.core.text.localtime import to_local

_Kind = aliased(Choice, name="kind_choice")
_Outcome = aliased(Choice, name="outcome_choice")
_Old = aliased(Choice, name="old_status")
_New = aliased(Choice, name="new_status")
_link = interaction_contact.c
ARROW = " → "
NO_STATUS = "—"


def status_change_label() -> str:
    """The kind a status change shows under, in the current language."""
    return _("Status change")


@dataclass(frozen=True)
class TimelineEntry:
    id: int | None  # None for a status change (not editable)
    at: datetime  # aware, local
    kind: str  # the kind's name, or the translated "Status change"
    direction: str
    subject: str  # for a status change: "Lead → Customer"
    outcome: str
    details: str
    duration_min: int | None
    contacts: list[str]  # display names of all contacts of the entry, in name order
    editable: bool


def _matches(text: str, needles: list[str]) -> bool:
    folded = fold(text)
    return all(n in folded for n in needles)


def _interactions(session: Session, which: ColumnElement[bool], wanted_kind: str,
                  needles: list[str]) -> list[TimelineEntry]:
    """The entries ``which`` selects (a condition on Interaction), newest first,
    with their contacts' names."""
    stmt = (
        select(Interaction.id, Interaction.at, _Kind.name, Interaction.direction,
               Interaction.subject, _Outcome.name, Interaction.details,
               Interaction.duration_min)
        .outerjoin(_Kind, _Kind.id == Interaction.kind_id)
        .outerjoin(_Outcome, _Outcome.id == Interaction.outcome_id)
        .where(which)
        .order_by(Interaction.at.desc(), Interaction.id.desc())
    )
    for needle in needles:
        stmt = stmt.where(func.instr(Interaction.search_text, literal(needle)) > 0)
    rows = [r for r in session.execute(stmt)
            if not wanted_kind or fold(r[2] or "") == wanted_kind]
    people = contacts_of(session, [r[0] for r in rows])
    return [
        TimelineEntry(iid, to_local(at), kind_name or "", direction, subject,
                      outcome or "", details, duration,
                      [n for _cid, n in people.get(iid, [])], True)
        for iid, at, kind_name, direction, subject, outcome, details, duration in rows
    ]


def timeline(session: Session, contact_id: int, *, kind: str = "",
             text: str = "") -> list[TimelineEntry]:
    """The contact's entries, newest first. ``kind`` keeps one kind (by name, any case;
    the "Status change" label keeps only those); ``text`` keeps entries whose subject
    or details hold every word (case- and accent-blind)."""
    name = session.scalar(select(Contact.display_name).where(Contact.id == contact_id))
    if name is None:
        raise NotFoundError(_("That contact no longer exists."))
    wanted_kind = fold(kind)
    needles = words(text)
    status_only = bool(wanted_kind) and wanted_kind == fold(status_change_label())

    entries: list[TimelineEntry] = []
    if not status_only:
        # Through interaction_contact's (contact_id, interaction_id) index.
        entries += _interactions(session, Interaction.id.in_(
            select(_link.interaction_id).where(_link.contact_id == contact_id)),
            wanted_kind, needles)

    if not wanted_kind or status_only:
        for at, old, new in session.execute(
            select(StatusChange.changed_at, _Old.name, _New.name)
            .outerjoin(_Old, _Old.id == StatusChange.old_status_id)
            .outerjoin(_New, _New.id == StatusChange.new_status_id)
            .where(StatusChange.contact_id == contact_id)
        ):
            subject = (old or NO_STATUS) + ARROW + (new or NO_STATUS)
            if needles and not _matches(subject, needles):
                continue
            entries.append(TimelineEntry(None, to_local(at), status_change_label(), "", subject, "",
                                         "", None, [name], False))
    # Stable: among entries at the same moment, history before status changes.
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def company_timeline(session: Session, company_id: int, *, kind: str = "",
                     text: str = "") -> list[TimelineEntry]:
    """A company's entries, newest first: those logged for the company and those with
    any of its contacts outside the trash. As in the History view, an entry whose
    contacts are all in the trash is left out. Status changes belong to a contact,
    not here; ``kind`` and ``text`` filter as in timeline()."""
    if session.scalar(select(Company.id).where(Company.id == company_id)) is None:
        raise NotFoundError(_("That company no longer exists."))
    ids = union(
        select(Interaction.id).where(Interaction.company_id == company_id),
        select(_link.interaction_id)
        .join(Contact, Contact.id == _link.contact_id)
        .where(Contact.company_id == company_id, Contact.deleted_at.is_(None)),
    )
    which: ColumnElement[bool] = Interaction.id.in_(ids)
    if trash_in_use(session):
        which = and_(which, not_only_trashed())
    return _interactions(session, which, fold(kind), words(text))
