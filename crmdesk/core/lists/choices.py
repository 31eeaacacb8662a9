"""User-editable drop-down lists: contact status, lead source, interaction kinds, outcomes.

Entries of the two history lists carry a "reached" flag: whether an entry of
that kind (or with that outcome) means the person was actually reached. The
derived last-contact and last-attempt dates of every contact hang on these
flags, so changing one (set_reached) recomputes them for everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmdesk.core.errors import CrmdeskError, NotFoundError
from crmdesk.core.history.last_contact import recompute_last
from crmdesk.core.i18n import _
from crmdesk.core.storage.models import (
    INTERACTION_KIND,
    OUTCOME,
    Activity,
    Choice,
    Contact,
    Interaction,
)

# The lists whose entries have a meaningful reached flag.
HISTORY_LISTS = (INTERACTION_KIND, OUTCOME)


@dataclass(frozen=True)
class ChoiceItem:
    id: int
    kind: str
    name: str
    position: int
    archived: bool
    reached: bool = False


def list_choices(session: Session, kind: str, *, include_archived: bool = False) -> list[ChoiceItem]:
    stmt = select(Choice).where(Choice.kind == kind).order_by(Choice.position, Choice.id)
    if not include_archived:
        stmt = stmt.where(Choice.archived.is_(False))
    return [
        ChoiceItem(c.id, c.kind, c.name, c.position, c.archived, c.reached)
        for c in session.scalars(stmt)
    ]


def resolve_choice(session: Session, kind: str, name: str, *, create: bool = True) -> int | None:
    """The id of the entry called ``name`` (case-insensitively); a new entry if there is none."""
    name = name.strip()
    if not name:
        return None
    found = session.scalars(
        select(Choice).where(Choice.kind == kind, func.lower(Choice.name) == name.lower())
    ).first()
    if found is None:
        # SQLite's lower() folds ASCII only: compare the rest in Python.
        for c in session.scalars(select(Choice).where(Choice.kind == kind)):
            if c.name.casefold() == name.casefold():
                found = c
                break
    if found is not None:
        if found.archived:
            found.archived = False
        return found.id
    if not create:
        raise NotFoundError(_("There is no entry called {name!r} in that list.").format(name=name))
    last = session.scalar(select(func.max(Choice.position)).where(Choice.kind == kind)) or 0
    choice = Choice(kind=kind, name=name, position=last + 1)
    session.add(choice)
    session.flush()
    return choice.id


def add_choice(session: Session, kind: str, name: str) -> int:
    if not name.strip():
        raise CrmdeskError(_("An entry of a list needs a name."))
    cid = resolve_choice(session, kind, name)
    assert cid is not None
    return cid


def rename_choice(session: Session, choice_id: int, new_name: str) -> None:
    """Rename an entry; every contact that has it shows the new name at once."""
    new_name = new_name.strip()
    if not new_name:
        raise CrmdeskError(_("An entry of a list needs a name."))
    choice = session.get(Choice, choice_id)
    if choice is None:
        raise NotFoundError(_("That list entry no longer exists."))
    clash = session.scalars(
        select(Choice).where(Choice.kind == choice.kind, Choice.id != choice_id)
    ).all()
    if any(c.name.casefold() == new_name.casefold() for c in clash):
        raise CrmdeskError(_("The list already has an entry called {name!r}.").format(name=new_name))
    choice.name = new_name


def archive_choice(session: Session, choice_id: int, archived: bool = True) -> None:
    """Hide an entry from the drop-down; contacts keep it (nothing is lost)."""
    choice = session.get(Choice, choice_id)
    if choice is None:
        raise NotFoundError(_("That list entry no longer exists."))
    choice.archived = archived


def set_reached(session: Session, choice_id: int, reached: bool, *,
                progress: Callable[[int, int], None] | None = None) -> bool:
    """Say whether an interaction kind or outcome means the person was reached.

    Every contact's last contact and last attempt are derived from these flags,
    so they are all recomputed (one UPDATE, or a few thousand contacts at a time
    with ``progress``: see recompute_last). Returns whether anything changed.
    """
    choice = session.get(Choice, choice_id)
    if choice is None:
        raise NotFoundError(_("That list entry no longer exists."))
    if choice.kind not in HISTORY_LISTS:
        raise CrmdeskError(_("Only interaction kinds and outcomes can mean "
                             "\"reached\"."))
    if choice.reached == bool(reached):
        return False
    choice.reached = bool(reached)
    session.flush()

    recompute_last(session, progress=progress)
    return True


def usage_count(session: Session, choice_id: int) -> int:
    """How many records use the entry: contacts for a status or source, history
    entries for an interaction kind or outcome, activities for an activity kind."""
    contacts = session.scalar(
        select(func.count()).select_from(Contact).where(
            (Contact.status_id == choice_id) | (Contact.source_id == choice_id)
        )
    ) or 0
    entries = session.scalar(
        select(func.count()).select_from(Interaction).where(Interaction.kind_id == choice_id)
    ) or 0
    entries += session.scalar(
        select(func.count()).select_from(Interaction).where(Interaction.outcome_id == choice_id)
    ) or 0
    entries += session.scalar(
        select(func.count()).select_from(Activity).where(Activity.kind_id == choice_id)
    ) or 0
    return contacts + entries


def move_choice(session: Session, kind: str, ordered_ids: list[int]) -> None:
    for pos, cid in enumerate(ordered_ids):
        choice = session.get(Choice, cid)
        if choice is not None and choice.kind == kind:
            choice.position = pos
