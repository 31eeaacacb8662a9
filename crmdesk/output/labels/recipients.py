"""Who gets a label, read from the file: each contact's name, company and the
address the user chose, as plain values (no ORM object leaves here).

Which address: the one labelled for mail ("mailing", "postal"), for work or
for home, or the primary one. A contact without that kind falls back to their
primary address, then to their first; for "work", a contact with none of
their own gets their company's address (the company's primary one), which is
also what a business contact's mail should use. Contacts with no address, or
one a postman could not deliver to (no city, or neither street nor postcode),
are returned as skipped with the reason, to be listed after the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmdesk.core.i18n import _
from crmdesk.core.lookup.query import find_ids
from crmdesk.core.storage.field_models import CONTACT
from crmdesk.core.storage.models import FAMILY_FIRST, Address, Company, Contact
from crmdesk.core.storage.raw_rows import raw_rows
from crmdesk.core.storage.settings import get_setting, set_setting
from crmdesk.core.text.folding import display_name
from crmdesk.output.labels.addresses import PostalAddress

MAILING, WORK, HOME, PRIMARY = "mailing", "work", "home", "primary"
ADDRESS_KINDS = (MAILING, WORK, HOME, PRIMARY)
# The labels people type for each kind, folded; the first word of a label counts.
_KIND_WORDS = {
    MAILING: {"mailing", "mail", "postal", "post", "pašto", "почтовый", "korespondencijos"},
    WORK: {"work", "business", "office", "darbo", "рабочий", "работа", "biuro"},
    HOME: {"home", "private", "namų", "домашний", "дом"},
}
_CHUNK = 500


def address_kind_names() -> dict[str, str]:
    return {MAILING: _("Mailing"), WORK: _("Work"), HOME: _("Home"), PRIMARY: _("Primary")}


@dataclass(frozen=True)
class Recipient:
    contact_id: int
    name: str  # with the title (prefix) when asked for
    family_name: str
    given_name: str
    job_title: str
    company: str
    department: str
    address: PostalAddress | None
    sort_key: str = ""
    skipped: str = ""  # why no label is printed, in words

    @property
    def ok(self) -> bool:
        return not self.skipped


def _kind_of(label: str) -> str:
    words = label.strip().casefold().split()
    first = words[0] if words else ""
    for kind, names in _KIND_WORDS.items():
        if first in names or label.strip().casefold() in names:
            return kind
    return ""


def _pick(rows: list[tuple[str, bool, PostalAddress]], kind: str) -> PostalAddress | None:
    if not rows:
        return None
    if kind != PRIMARY:
        for label, _primary, address in rows:
            if _kind_of(label) == kind:
                return address
    for _label, primary, address in rows:
        if primary:
            return address
    return rows[0][2]


def _addresses(session: Session, column: object, ids: list[int]
               ) -> dict[int, list[tuple[str, bool, PostalAddress]]]:
    out: dict[int, list[tuple[str, bool, PostalAddress]]] = {}
    stmt = (select(column, Address.label, Address.is_primary, Address.street, Address.city,  # type: ignore[call-overload]
                   Address.region, Address.postcode, Address.country)
            .where(column.in_(ids))  # type: ignore[attr-defined]
            .order_by(column, Address.position, Address.id))
    with raw_rows(session, stmt) as cursor:
        for owner, label, primary, street, city, region, postcode, country in cursor:
            out.setdefault(owner, []).append((label or "", bool(primary), PostalAddress(
                street or "", city or "", region or "", postcode or "", (country or "").upper())))
    return out


def read_recipients(session: Session, ids: Iterable[int], *, address: str = MAILING,
                    title: bool = True, progress: Callable[[int, int], None] | None = None
                    ) -> list[Recipient]:
    """A Recipient for each of ``ids`` (in their order; ids of no live contact
    are passed over), with the ``address`` kind chosen as above."""
    if address not in ADDRESS_KINDS:
        raise ValueError(f"unknown address kind {address!r}")
    ids = list(dict.fromkeys(ids))
    out: list[Recipient] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        stmt = (select(Contact.id, Contact.prefix, Contact.given_name, Contact.middle_name,
                       Contact.family_name, Contact.suffix, Contact.nickname,
                       Contact.name_order, Contact.job_title, Contact.department,
                       Contact.company_id, Company.name, Contact.sort_key)
                .outerjoin(Company, Company.id == Contact.company_id)
                .where(Contact.id.in_(chunk), Contact.deleted_at.is_(None)))
        with raw_rows(session, stmt) as cursor:
            rows = {r[0]: r for r in cursor}
        own = _addresses(session, Address.contact_id, chunk)
        company_ids = sorted({r[10] for r in rows.values() if r[10] is not None})
        firms = _addresses(session, Address.company_id, company_ids) if company_ids else {}
        for cid in chunk:
            row = rows.get(cid)
            if row is None:
                continue
            (_id, prefix, given, middle, family, suffix, nickname, order, job, dept,
             company_id, company, sort_key) = row
            name = display_name(prefix=prefix if title else "", given=given, middle=middle,
                                family=family, suffix=suffix, nickname=nickname,
                                family_first=order == FAMILY_FIRST)
            mine = own.get(cid, [])
            firm = firms.get(company_id, []) if company_id is not None else []
            chosen = None
            if address == WORK and firm and not any(_kind_of(lb) == WORK for lb, _p, _a in mine):
                chosen = _pick(firm, PRIMARY)
            if chosen is None:
                chosen = _pick(mine, address) or _pick(firm, PRIMARY)
            skipped = ""
            if chosen is None:
                skipped = _("no address")
            elif not chosen.complete:
                skipped = _("the address has no city") if not chosen.city.strip() \
                    else _("the address has neither a street nor a postcode")
            out.append(Recipient(cid, name or company or "", family or "", given or "",
                                 job or "", company or "", dept or "", chosen,
                                 sort_key or "", skipped))
        if progress is not None:
            progress(min(start + _CHUNK, len(ids)), len(ids))
    return out


def lookup_ids(session: Session, lookup: str = "", *, sort: str | None = None) -> list[int]:
    """The contacts a lookup finds (every live contact for ""), in the list's
    order: the one entry point from query text to ids (a malformed lookup
    raises QuerySyntaxError with its position)."""
    return find_ids(session, CONTACT, lookup, strict=True, sort=sort)


def home_country(session: Session) -> str:
    """The file's own country (the phone country set for it): no country line
    is written for addresses there."""
    return (get_setting(session, "phone_region") or "").upper()


SENDER_SETTING = "label_sender"


def sender_lines(session: Session) -> tuple[str, ...]:
    """The return address for envelopes, as saved in the file (line by line)."""
    return tuple(s for s in get_setting(session, SENDER_SETTING).splitlines() if s.strip())


def save_sender(session: Session, lines: Iterable[str]) -> None:
    """Keep the return address in the file, for the next envelopes."""
    set_setting(session, SENDER_SETTING, "\n".join(s.strip() for s in lines if s.strip()))
