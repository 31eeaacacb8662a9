"""History services: log, edit, delete and read interactions (calls, meetings, letters ...).

Logging must take seconds or nobody does it, so a service takes one plain
InteractionData (kind and outcome by name; an unknown name becomes a new
entry of the list, as in the drop-down) and does the rest: the company of the
contact, the folded search text, the derived last contact / last attempt of
every contact concerned (history_last.py). ``each=True`` logs one entry per
contact: a mailing to a selection of a thousand is a thousand entries, made
with one bulk insert.

Like fields.py, every service takes an open Session: the caller's unit of
work (``with db.session() as s``) commits, or rolls back on any exception, so
a GUI action or a CLI command is one transaction. Datetimes come in and go
out aware; a naive one is the PC's local time; the file keeps naive UTC
(localtime.py).

The timelines of one contact or company live in history_timeline.py, the
History view's ids and rows in history_query.py; both are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from crmdesk.core.changes import ADDED, CHANGED, CONTACTS, HISTORY, REMOVED, Changes
from crmdesk.core.errors import CrmdeskError, NotFoundError, Problem, ValidationError
from crmdesk.core.history.last_contact import recompute_last
from crmdesk.core.history.listing import (
    HISTORY_COLUMNS,
    HISTORY_SORTS,
    HistoryFilter,
    history_count,
    history_first_ids,
    history_ids,
    history_rows,
)
from crmdesk.core.history.timeline import (
    TimelineEntry,
    company_timeline,
    status_change_label,
    timeline,
)
from crmdesk.core.i18n import _
from crmdesk.core.lists.choices import resolve_choice
from crmdesk.core.storage.models import (
    INTERACTION_KIND,
    OUTCOME,
    Choice,
    Company,
    Contact,
    Interaction,
    interaction_contact,
    utcnow,
)
from crmdesk.core.text.folding import fold
from crmdesk.core.text.localtime import now_local, to_local, to_stored
from crmdesk.core.text.validation import MAX_LONG, MAX_NAME, MAX_SHORT

__all__ = [
    "DIRECTIONS", "HISTORY_COLUMNS", "HISTORY_SORTS", "HistoryFilter", "InteractionData",
    "LogResult", "TimelineEntry", "company_timeline", "count_interactions",
    "delete_interaction", "delete_orphans", "get_interaction", "history_count", "history_first_ids",
    "history_ids", "history_rows",
    "interactions_of", "last_kind", "log_interaction", "recompute_last",
    "status_change_label", "timeline", "update_interaction", "validate_interaction",
]

DIRECTIONS = ("", "in", "out")
MAX_DURATION = 100_000  # minutes: more than two months is a typing slip
# A clock a few minutes fast, or "14:00" typed at 13:58, is not the future yet.
FUTURE_GRACE = timedelta(minutes=5)
BULK = 500  # rows per INSERT when a mailing logs one entry per contact


@dataclass
class InteractionData:
    """Everything a user can see and edit on a history entry."""

    kind: str  # a kind's name; an unknown name becomes a new list entry
    subject: str = ""
    at: datetime | None = None  # None = now; naive = local time
    direction: str = ""  # "in", "out" or ""
    duration_min: int | None = None
    outcome: str = ""  # an outcome's name or ""; an unknown name becomes a new entry
    details: str = ""
    contact_ids: list[int] = field(default_factory=list)
    company_id: int | None = None  # None: the (first) contact's company


@dataclass(frozen=True)
class LogResult:
    """What a history service changed, for the views to refresh."""

    ids: list[int]  # interaction ids created, updated or deleted
    contact_ids: list[int]  # contacts whose last contact / attempt may have changed
    warnings: list[str]  # translated, e.g. for an entry in the future
    how: str = ADDED  # what happened to the entries: ADDED, CHANGED or REMOVED

    @property
    def changes(self) -> Changes:
        """The same, as the one change type every view understands."""
        return Changes.of(HISTORY, self.ids, self.how) | Changes.of(CONTACTS, self.contact_ids)


# -- validation --------------------------------------------------------------------


def validate_interaction(data: InteractionData, *, now: datetime | None = None) -> list[str]:
    """The warnings about ``data`` (saved anyway); raises ValidationError for errors."""
    problems: list[Problem] = []
    if not data.contact_ids:
        problems.append(Problem("contact_ids", _("Choose whom this was with: at least one "
                                                 "contact.")))
    kind = data.kind.strip()
    if not kind:
        problems.append(Problem("kind", _("Choose what it was: a call, a meeting, a letter "
                                          "...")))
    elif len(kind) > MAX_NAME:
        problems.append(Problem("kind", _("The kind is too long (at most {n} characters).")
                                .format(n=MAX_NAME)))
    if len(data.outcome.strip()) > MAX_NAME:
        problems.append(Problem("outcome", _("The outcome is too long (at most {n} "
                                             "characters).").format(n=MAX_NAME)))
    if data.direction not in DIRECTIONS:
        problems.append(Problem("direction", _("The direction is 'in', 'out' or empty, not "
                                               "{value!r}.").format(value=data.direction)))
    if data.duration_min is not None:
        if isinstance(data.duration_min, bool) or not isinstance(data.duration_min, int):
            problems.append(Problem("duration_min", _("The duration is a whole number of "
                                                      "minutes.")))
        elif data.duration_min < 0:
            problems.append(Problem("duration_min", _("The duration cannot be negative.")))
        elif data.duration_min > MAX_DURATION:
            problems.append(Problem("duration_min", _("The duration is too long (at most "
                                                      "{n} minutes).").format(n=MAX_DURATION)))
    if len(data.subject.strip()) > MAX_SHORT:
        problems.append(Problem("subject", _("The subject is too long (at most {n} "
                                             "characters); put the rest in the details.")
                                .format(n=MAX_SHORT)))
    if len(data.details) > MAX_LONG:
        problems.append(Problem("details", _("The details are too long.")))
    if problems:
        raise ValidationError(problems)
    warnings: list[str] = []
    if data.at is not None:
        current = now if now is not None else now_local()
        if to_stored(data.at) > to_stored(current) + FUTURE_GRACE:
            warnings.append(_("This is in the future: history is the past, the calendar is "
                              "the future. It was logged as it is; to plan it, schedule it "
                              "in the calendar."))
    return warnings


# -- writing -----------------------------------------------------------------------


def _live_contacts(session: Session, ids: Sequence[int]) -> dict[int, int | None]:
    """{contact id: company id} for ``ids``, in that order; refuses missing or trashed ones."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    found: dict[int, tuple[int | None, datetime | None]] = {}
    for start in range(0, len(wanted), BULK):
        chunk = wanted[start:start + BULK]
        for cid, company, deleted in session.execute(
            select(Contact.id, Contact.company_id, Contact.deleted_at)
            .where(Contact.id.in_(chunk))
        ):
            found[cid] = (company, deleted)
    for cid in wanted:
        if cid not in found:
            raise NotFoundError(_("There is no contact {id}.").format(id=cid))
        if found[cid][1] is not None:
            raise CrmdeskError(_("Contact {id} is in the trash: restore it first to add to "
                                 "its history.").format(id=cid))
    return {cid: found[cid][0] for cid in wanted}


def _company(session: Session, data: InteractionData, default: int | None) -> int | None:
    if data.company_id is None:
        return default
    if session.get(Company, data.company_id) is None:
        raise NotFoundError(_("There is no company {id}.").format(id=data.company_id))
    return data.company_id


def search_text(subject: str, details: str) -> str:
    """An entry's folded text, what the History view's text filter looks in."""
    return fold(subject + "\n" + details)


def _values(session: Session, data: InteractionData) -> dict[str, Any]:
    """The columns of an entry, from ``data`` (validated already)."""
    subject = " ".join(data.subject.split())  # one line: lists and exports show it so
    return {
        "kind_id": resolve_choice(session, INTERACTION_KIND, data.kind),
        "outcome_id": resolve_choice(session, OUTCOME, data.outcome),
        "direction": data.direction,
        "at": to_stored(data.at) if data.at is not None else utcnow(),
        "duration_min": data.duration_min,
        "subject": subject,
        "details": data.details,
        "search_text": search_text(subject, data.details),
    }


def log_interaction(session: Session, data: InteractionData, *,
                    each: bool = False) -> LogResult:
    """Log what happened. One entry with all the contacts, or with ``each`` one entry
    per contact (a mailing), each with its contact's company."""
    warnings = validate_interaction(data)
    contacts = _live_contacts(session, data.contact_ids)
    values = _values(session, data)
    now = utcnow()
    values.update(created_at=now, updated_at=now)
    groups = [[cid] for cid in contacts] if each else [list(contacts)]
    rows = [{**values, "company_id": _company(session, data, contacts[group[0]])}
            for group in groups]
    ids: list[int] = []
    for start in range(0, len(rows), BULK):
        ids += session.scalars(
            insert(Interaction).returning(Interaction.id, sort_by_parameter_order=True),
            rows[start:start + BULK],
        ).all()
    links = [{"interaction_id": iid, "contact_id": cid}
             for iid, group in zip(ids, groups, strict=True) for cid in group]
    for start in range(0, len(links), BULK):
        session.execute(insert(interaction_contact), links[start:start + BULK])
    recompute_last(session, contacts)
    return LogResult(ids, list(contacts), warnings)


def _linked(session: Session, interaction_id: int) -> list[int]:
    return list(session.scalars(
        select(interaction_contact.c.contact_id)
        .where(interaction_contact.c.interaction_id == interaction_id)
        .order_by(interaction_contact.c.contact_id)))


def update_interaction(session: Session, interaction_id: int,
                       data: InteractionData) -> LogResult:
    """Save an edited entry whole (its contacts too)."""
    entry = session.get(Interaction, interaction_id)
    if entry is None:
        raise NotFoundError(_("That history entry no longer exists."))
    warnings = validate_interaction(data)
    before = _linked(session, interaction_id)
    # Contacts already on the entry may stay even if they are in the trash now.
    wanted = list(dict.fromkeys(int(i) for i in data.contact_ids))
    _live_contacts(session, [c for c in wanted if c not in before])
    for key, value in _values(session, data).items():
        setattr(entry, key, value)
    first_company = session.scalar(select(Contact.company_id).where(Contact.id == wanted[0]))
    entry.company_id = _company(session, data, first_company)
    entry.updated_at = utcnow()
    if wanted != before:
        session.execute(delete(interaction_contact)
                        .where(interaction_contact.c.interaction_id == interaction_id))
        session.execute(insert(interaction_contact),
                        [{"interaction_id": interaction_id, "contact_id": c} for c in wanted])
    session.flush()
    touched = list(dict.fromkeys(before + wanted))
    recompute_last(session, touched)
    return LogResult([interaction_id], touched, warnings, CHANGED)


def delete_interaction(session: Session, interaction_id: int) -> LogResult:
    """Delete an entry for good (the GUI asks first); its contacts' last dates follow."""
    entry = session.get(Interaction, interaction_id)
    if entry is None:
        raise NotFoundError(_("That history entry no longer exists."))
    before = _linked(session, interaction_id)
    session.delete(entry)
    session.flush()
    recompute_last(session, before)
    return LogResult([interaction_id], before, [], REMOVED)


def delete_orphans(session: Session, interaction_ids: Sequence[int]) -> int:
    """Delete those of these entries that are left with no contact and no company.

    Purging contacts (or a company) for good takes the link rows with them;
    an entry about nobody any more can never be shown or found again, so it
    goes too. An entry still about a company stays in the History view.
    Returns how many were deleted.
    """
    gone = 0
    ids = sorted(set(interaction_ids))
    for start in range(0, len(ids), BULK):
        chunk = ids[start:start + BULK]
        linked = select(interaction_contact.c.interaction_id).where(
            interaction_contact.c.interaction_id.in_(chunk))
        result = session.execute(
            delete(Interaction).where(Interaction.id.in_(chunk),
                                      Interaction.company_id.is_(None),
                                      Interaction.id.not_in(linked)))
        gone += int(getattr(result, "rowcount", 0) or 0)
    return gone


def interactions_of(session: Session, contact_ids: Sequence[int]) -> list[int]:
    """The ids of every entry with any of these contacts."""
    out: set[int] = set()
    ids = list(contact_ids)
    for start in range(0, len(ids), BULK):
        out.update(session.scalars(
            select(interaction_contact.c.interaction_id)
            .where(interaction_contact.c.contact_id.in_(ids[start:start + BULK]))))
    return sorted(out)


# -- reading -----------------------------------------------------------------------


def _name(session: Session, choice_id: int | None) -> str:
    if choice_id is None:
        return ""
    return session.scalar(select(Choice.name).where(Choice.id == choice_id)) or ""


def get_interaction(session: Session, interaction_id: int) -> InteractionData:
    """A snapshot for an edit dialog (``at`` aware, in local time)."""
    entry = session.get(Interaction, interaction_id)
    if entry is None:
        raise NotFoundError(_("That history entry no longer exists."))
    return InteractionData(
        kind=_name(session, entry.kind_id), subject=entry.subject, at=to_local(entry.at),
        direction=entry.direction, duration_min=entry.duration_min,
        outcome=_name(session, entry.outcome_id), details=entry.details,
        contact_ids=_linked(session, interaction_id), company_id=entry.company_id,
    )


def last_kind(session: Session) -> str:
    """The kind of the entry logged last (what the dialog offers first), else the
    first kind of the list."""
    newest = session.scalar(
        select(Choice.name).join(Interaction, Interaction.kind_id == Choice.id)
        .where(Choice.archived.is_(False))
        .order_by(Interaction.id.desc()).limit(1))
    if newest:
        return newest
    first = session.scalar(
        select(Choice.name).where(Choice.kind == INTERACTION_KIND, Choice.archived.is_(False))
        .order_by(Choice.position, Choice.id).limit(1))
    return first or _("Call")


def count_interactions(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Interaction)) or 0
