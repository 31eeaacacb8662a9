"""A new phone country, and the numbers typed without a country code.

A number typed as "8 612 34567" is kept as typed and, for calling, matching and
search, in its international form, read with the file's phone country (+370 612
34567 in Lithuania). When the country changes, those numbers would keep their
old international form: here is what they would become (a preview), and the
change of the setting with or without re-reading them, in one unit of work.
Numbers typed with their code (+44 ..., 0044 ...) read the same in every
country and are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from crmdesk.core.changes import COMPANIES, CONTACTS, SETTINGS, Changes
from crmdesk.core.search import fulltext as search
from crmdesk.core.storage.models import Company, Contact, Phone
from crmdesk.core.storage.settings import set_setting
from crmdesk.core.text.validation import normalize_phone

_CHUNK = 2000


@dataclass(frozen=True)
class PhoneReread:
    """One number whose international form depends on the phone country."""

    phone_id: int
    contact_id: int | None
    company_id: int | None
    owner: str  # the contact's or the company's name, as shown
    number: str  # as typed
    before: str | None  # the international form now (None: not readable)
    after: str | None  # with the new country


def preview(session: Session, region: str, *,
            progress: Callable[[int, int], None] | None = None) -> list[PhoneReread]:
    """The numbers, live or in the trash, whose international form changes if the
    file's phone country becomes ``region`` ("" for none), in the order of their
    owners' names."""
    total = session.scalar(select(func.count(Phone.id))) or 0
    rows = session.execute(
        select(Phone.id, Phone.contact_id, Phone.company_id, Phone.number, Phone.e164,
               Contact.display_name, Company.name)
        .outerjoin(Contact, Contact.id == Phone.contact_id)
        .outerjoin(Company, Company.id == Phone.company_id)
        .order_by(Phone.id)
    )
    out: list[PhoneReread] = []
    for done, (pid, cid, coid, number, before, person, company) in enumerate(rows, 1):
        typed = (number or "").strip()
        if typed.startswith("+"):
            continue  # the code is typed: the same in every country
        after, _problem = normalize_phone(typed, region)
        if after != before:
            out.append(PhoneReread(pid, cid, coid, person or company or "", typed, before,
                                   after))
        if progress is not None and done % _CHUNK == 0:
            progress(done, total)
    out.sort(key=lambda r: (r.owner.casefold(), r.phone_id))
    return out


def change_region(session: Session, region: str, *, reread: bool) -> Changes:
    """Make ``region`` the file's phone country; with ``reread``, give the numbers
    typed without a code their international form in it (see ``preview``). The
    search index follows (it holds a number's digits)."""
    set_setting(session, "phone_region", region.upper())
    changes = Changes.of(SETTINGS)
    if not reread:
        return changes
    found = preview(session, region)
    for start in range(0, len(found), _CHUNK):
        part = found[start:start + _CHUNK]
        session.execute(update(Phone), [{"id": r.phone_id, "e164": r.after} for r in part])
    contacts = sorted({r.contact_id for r in found if r.contact_id is not None})
    companies = sorted({r.company_id for r in found if r.company_id is not None})
    search.refresh(session, contacts)
    if contacts:
        changes = changes | Changes.of(CONTACTS, contacts)
    if companies:
        changes = changes | Changes.of(COMPANIES, companies)
    return changes
