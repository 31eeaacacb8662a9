"""What a script names when it logs or filters the history, read as plain values.

`crmdesk log` and `crmdesk history` check what was typed before they write or
filter: that a kind or an outcome is an entry of its list (in any case; a typo
should not add "Cal" to everyone's drop-down) and that a contact exists. They
name the option at fault themselves, so these functions only answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmdesk.core.lists.choices import ChoiceItem, list_choices
from crmdesk.core.storage.models import INTERACTION_KIND, OUTCOME, Contact
from crmdesk.core.text.folding import fold


def kind_entries(session: Session) -> list[ChoiceItem]:
    """The entries of the kinds list (Call, Meeting ...), archived ones too, in order."""
    return list_choices(session, INTERACTION_KIND, include_archived=True)


def outcome_entries(session: Session) -> list[ChoiceItem]:
    """The entries of the outcomes list (Reached, No answer ...), archived ones too."""
    return list_choices(session, OUTCOME, include_archived=True)


def entry_named(entries: Sequence[ChoiceItem], name: str) -> ChoiceItem | None:
    """The entry called ``name`` (case, accents and spacing aside), or None."""
    wanted = fold(name)
    return next((e for e in entries if fold(e.name) == wanted), None)


def contact_exists(session: Session, contact_id: int) -> bool:
    """Whether there is a contact with this id (in the trash or not)."""
    return session.scalar(select(Contact.id).where(Contact.id == contact_id)) is not None
