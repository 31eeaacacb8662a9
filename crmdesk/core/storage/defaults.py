"""What a new file starts with: the default entries of the drop-down lists.

Here, below every service, because opening a new file fills them in
(Database._prepare) and the demo and the lists' own service read them.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmdesk.core.i18n import _
from crmdesk.core.storage.models import INTERACTION_KIND, OUTCOME, SOURCE, STATUS, Choice

DEFAULTS: dict[str, list[str]] = {
    STATUS: ["Lead", "Prospect", "Customer", "Former customer", "Partner", "Supplier"],
    SOURCE: ["Website", "Referral", "Trade show", "Cold call", "Advertisement", "Social media",
             "Walk-in"],
    INTERACTION_KIND: ["Call", "Meeting", "E-mail", "Letter", "Note", "Support request",
                       "Mailing"],
    OUTCOME: ["Reached", "Left message", "No answer", "Wrong number", "Meeting agreed",
              "Ordered", "Complaint"],
}
# The default entries that mean "the person was reached" (the rest do not).
REACHED: dict[str, frozenset[str]] = {
    INTERACTION_KIND: frozenset({"Call", "Meeting", "E-mail", "Letter", "Support request"}),
    OUTCOME: frozenset({"Reached", "Meeting agreed", "Ordered", "Complaint"}),
}

def seed_defaults(session: Session) -> None:
    """Fill the lists of a new database (in the catalogue's language at creation time).

    A list that has entries already is left alone: migration 0003 fills the two
    history lists of every file, new ones included.
    """
    for kind, names in DEFAULTS.items():
        if session.scalar(select(func.count()).select_from(Choice).where(Choice.kind == kind)):
            continue
        for pos, name in enumerate(names):
            session.add(Choice(kind=kind, name=_(name), position=pos,
                               reached=name in REACHED.get(kind, ())))
