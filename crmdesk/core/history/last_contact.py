"""Last contact and last attempt: derived from the history, stored on the contact.

Lists sort by them and lookups filter on them (``last_contact<2026-06-01``)
at 100,000 contacts, so they are columns of Contact, kept up to date by the
history services: after any entry is logged, edited or deleted, for its
contacts; after a kind's or an outcome's "reached" flag changes, for everyone.

An entry *reaches* its contacts if its outcome is marked reached, or if it
has no outcome and its kind is marked reached (a meeting is a meeting). It is
an *attempt* if it has an outcome that is not marked reached (no answer, left
a message). A note with no outcome is neither. The few reaching list entries
are read first and bound as small id lists, which SQLite checks far faster
than joining two choice rows to every interaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from crmdesk.core.storage import touched
from crmdesk.core.storage.models import (
    INTERACTION_KIND,
    OUTCOME,
    Choice,
    Contact,
    Interaction,
    interaction_contact,
)

CHUNK = 500  # ids per IN (...)


def _reaching(session: Session, kind: str) -> list[int]:
    return list(session.scalars(
        select(Choice.id).where(Choice.kind == kind, Choice.reached.is_(True))))


def reach_conditions(session: Session) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """(reached, attempt) as conditions on Interaction, with the file's current flags."""
    kinds = _reaching(session, INTERACTION_KIND)
    outcomes = _reaching(session, OUTCOME)
    reached = or_(Interaction.outcome_id.in_(outcomes),
                  and_(Interaction.outcome_id.is_(None), Interaction.kind_id.in_(kinds)))
    attempt = and_(Interaction.outcome_id.is_not(None), Interaction.outcome_id.not_in(outcomes))
    return reached, attempt


def newest_at(condition: ColumnElement[bool]) -> Any:
    """The newest ``at`` among the contact's entries that meet ``condition`` (correlated)."""
    return (
        select(func.max(Interaction.at))
        .select_from(interaction_contact)
        .join(Interaction, Interaction.id == interaction_contact.c.interaction_id)
        .where(interaction_contact.c.contact_id == Contact.id, condition)
        .correlate(Contact)
        .scalar_subquery()
    )


# Contacts per UPDATE when every contact is recomputed with progress.
EVERYONE_STEP = 5000


def recompute_last(session: Session, contact_ids: Iterable[int] | None = None, *,
                   progress: Callable[[int, int], None] | None = None) -> None:
    """Set last_contact_at and last_attempt_at from the history.

    ``None`` means every contact, as one UPDATE; otherwise the given contacts,
    a few hundred per statement. Runs in the caller's unit of work.
    ``progress(done, total)``, for everyone: the UPDATE goes EVERYONE_STEP
    contacts (a range of ids) at a time and reports after each; it may raise to
    cancel (the caller's unit of work then rolls it all back).
    """
    reached, attempt = reach_conditions(session)
    stmt = update(Contact).values(last_contact_at=newest_at(reached),
                                  last_attempt_at=newest_at(attempt))
    stmt = stmt.execution_options(synchronize_session=False)
    if contact_ids is None:
        touched.stop_tracking(session)  # everyone: the window's caches read all again
        if progress is None:
            session.execute(stmt)
            return
        ids = list(session.scalars(select(Contact.id).order_by(Contact.id)))
        progress(0, len(ids))
        for start in range(0, len(ids), EVERYONE_STEP):
            part = ids[start:start + EVERYONE_STEP]
            session.execute(stmt.where(Contact.id.between(part[0], part[-1])))
            progress(start + len(part), len(ids))
        return
    ids = sorted(set(contact_ids))
    for start in range(0, len(ids), CHUNK):
        session.execute(stmt.where(Contact.id.in_(ids[start:start + CHUNK])))
