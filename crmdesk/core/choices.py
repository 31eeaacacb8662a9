"""User-editable drop-down lists: contact status, lead source (later: interaction kinds)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmdesk.core.errors import CrmdeskError, NotFoundError
from crmdesk.core.i18n import _
from crmdesk.core.models import SOURCE, STATUS, Choice, Contact

DEFAULTS: dict[str, list[str]] = {
    STATUS: ["Lead", "Prospect", "Customer", "Former customer", "Partner", "Supplier"],
    SOURCE: ["Website", "Referral", "Trade show", "Cold call", "Advertisement", "Social media",
             "Walk-in"],
}


@dataclass(frozen=True)
class ChoiceItem:
    id: int
    kind: str
    name: str
    position: int
    archived: bool


def seed_defaults(session: Session) -> None:
    """Fill the lists of a new database (in the catalogue's language at creation time)."""
    for kind, names in DEFAULTS.items():
        for pos, name in enumerate(names):
            session.add(Choice(kind=kind, name=_(name), position=pos))


def list_choices(session: Session, kind: str, *, include_archived: bool = False) -> list[ChoiceItem]:
    stmt = select(Choice).where(Choice.kind == kind).order_by(Choice.position, Choice.id)
    if not include_archived:
        stmt = stmt.where(Choice.archived.is_(False))
    return [
        ChoiceItem(c.id, c.kind, c.name, c.position, c.archived) for c in session.scalars(stmt)
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


def usage_count(session: Session, choice_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Contact).where(
            (Contact.status_id == choice_id) | (Contact.source_id == choice_id)
        )
    ) or 0


def move_choice(session: Session, kind: str, ordered_ids: list[int]) -> None:
    for pos, cid in enumerate(ordered_ids):
        choice = session.get(Choice, cid)
        if choice is not None and choice.kind == kind:
            choice.position = pos
