"""Contacts that are probably one person: the same e-mail, the same phone, or the
same (or a very similar) name, in any script.

A business with three records of a customer has, in effect, none. Pairs are
found by blocking, not by comparing everyone with everyone: contacts that share
a normalized e-mail, an E.164 phone, or a name key (the name folded and
transliterated with anyascii, so "Иванов Иван" meets "Ivan Ivanov", its words
sorted) are pairs at once; names are also compared with rapidfuzz within small
blocks (the first letters of the transliterated family name), so "Petraitis"
meets "Petraitys". A shared company raises a name match's score. Each pair has a
score (0-100) and the reasons, in words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from anyascii import anyascii
from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from crmdesk.core.contacts.records import ContactData
from crmdesk.core.i18n import _
from crmdesk.core.storage.models import Company, Contact, Email, Phone
from crmdesk.core.text.folding import fold
from crmdesk.core.text.validation import normalize_email, normalize_phone

# A name match is reported from this score up (rapidfuzz's token_sort_ratio).
NAME_SCORE = 88
# Blocks larger than this are too common to compare within (a family name shared
# by thousands): their exact name keys still pair.
MAX_BLOCK = 400
EMAIL, PHONE, NAME, SIMILAR_NAME, COMPANY = "email", "phone", "name", "similar_name", "company"


def name_key(given: str, family: str, middle: str = "", fallback: str = "") -> str:
    """A name as compared: folded, in Latin letters, its words sorted ("Иванов Иван"
    and "Ivan Ivanov" are both "ivan ivanov")."""
    text = " ".join(x for x in (given, middle, family) if x) or fallback
    words = fold(anyascii(fold(text))).replace("'", "").split()
    return " ".join(sorted(words))


def _family_key(family: str, fallback: str) -> str:
    """The block a name is compared within: its family name's first letters, in Latin."""
    words = fallback.split()
    base = family or (words[-1] if words else "")
    return fold(anyascii(fold(base)))[:3]


@dataclass
class Candidate:
    """What a contact is compared by."""

    id: int
    name: str
    key: str
    block: str
    company: str
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Match:
    """Two contacts that look like one person: how much (0-100) and why."""

    first: int
    second: int
    score: int
    reasons: tuple[str, ...]

    def reason_text(self) -> str:
        words = {EMAIL: _("the same e-mail"), PHONE: _("the same phone"),
                 NAME: _("the same name"), SIMILAR_NAME: _("a similar name"),
                 COMPANY: _("the same company")}
        return ", ".join(words.get(r, r) for r in self.reasons)


def _candidates(session: Session, only: set[int] | None = None) -> dict[int, Candidate]:
    """The live contacts as compared (``only``: these ids)."""
    out: dict[int, Candidate] = {}
    stmt = (select(Contact.id, Contact.given_name, Contact.middle_name, Contact.family_name,
                   Contact.display_name, Company.name)
            .outerjoin(Company, Company.id == Contact.company_id)
            .where(Contact.deleted_at.is_(None)))
    emails = select(Email.contact_id, Email.normalized).where(Email.contact_id.is_not(None))
    phones = select(Phone.contact_id, Phone.e164).where(Phone.contact_id.is_not(None))
    if only is not None:
        stmt = stmt.where(Contact.id.in_(only))
        emails = emails.where(Email.contact_id.in_(only))
        phones = phones.where(Phone.contact_id.in_(only))
    for cid, given, middle, family, shown, company in session.execute(stmt):
        out[cid] = Candidate(cid, shown or "", name_key(given, family, middle, shown),
                             _family_key(family, shown or ""), fold(company or ""))
    for owner, normalized in session.execute(emails):
        if owner in out and normalized:
            out[owner].emails.add(normalized)
    for owner, e164 in session.execute(phones):
        if owner in out and e164:
            out[owner].phones.add(e164)
    return out


def _pairs(candidates: Sequence[Candidate],
           progress: Callable[[int, int], None] | None = None) -> list[Match]:
    found: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)

    def note(a: Candidate, b: Candidate, reason: str, score: int) -> None:
        pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        found[pair][reason] = max(score, found[pair].get(reason, 0))

    for attr, reason, score in ((lambda c: c.emails, EMAIL, 100),
                                (lambda c: c.phones, PHONE, 95),
                                (lambda c: {c.key} if c.key else set(), NAME, 90)):
        buckets: dict[str, list[Candidate]] = defaultdict(list)
        for c in candidates:
            for value in attr(c):
                buckets[value].append(c)
        for members in buckets.values():
            if 1 < len(members) <= MAX_BLOCK:
                for a, b in combinations(members, 2):
                    note(a, b, reason, score)
    blocks: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        if c.block and c.key:
            blocks[c.block].append(c)
    for done, members in enumerate(blocks.values(), 1):
        if 1 < len(members) <= MAX_BLOCK:
            for a, b in combinations(members, 2):
                if a.key != b.key:
                    ratio = fuzz.token_sort_ratio(a.key, b.key)
                    if ratio >= NAME_SCORE:
                        note(a, b, SIMILAR_NAME, int(ratio) - 5)
        if progress is not None and done % 200 == 0:
            progress(done, len(blocks))
    by_id = {c.id: c for c in candidates}
    matches = []
    for (first, second), reasons in found.items():
        score = max(reasons.values())
        a, b = by_id[first], by_id[second]
        if a.company and a.company == b.company:
            reasons[COMPANY] = 0
            score = min(100, score + 5)
        matches.append(Match(first, second, score, tuple(reasons)))
    matches.sort(key=lambda m: (-m.score, m.first, m.second))
    return matches


def find_duplicates(session: Session, *,
                    progress: Callable[[int, int], None] | None = None) -> list[Match]:
    """Every pair of live contacts that looks like one person, the likeliest first."""
    return _pairs(list(_candidates(session).values()), progress)


def looks_like(session: Session, records: Iterable[ContactData], region: str = ""
               ) -> list[list[Match]]:
    """For each record (not yet saved), the existing contacts it looks like; a Match's
    ``first`` is -1 - the record's place among ``records``. The file's contacts are
    indexed once (e-mail, phone, name block), so an import of thousands stays quick."""
    existing = list(_candidates(session).values())
    if not existing:  # a new file: nobody to look like (and no keys to make)
        return [[] for _record in records]
    by_email: dict[str, list[Candidate]] = defaultdict(list)
    by_phone: dict[str, list[Candidate]] = defaultdict(list)
    by_block: dict[str, list[Candidate]] = defaultdict(list)
    for c in existing:
        for value in c.emails:
            by_email[value].append(c)
        for value in c.phones:
            by_phone[value].append(c)
        if c.block:
            by_block[c.block].append(c)
    out: list[list[Match]] = []
    # Parsing phone numbers is most of the cost of an import's check: only when some
    # contact has one to meet, and each number once.
    e164s: dict[str, str | None] = {}
    for i, data in enumerate(records):
        shown = data.name() or data.company
        probe = Candidate(-1 - i, shown, name_key(data.given_name, data.family_name,
                                                    data.middle_name, shown),
                          _family_key(data.family_name, shown), fold(data.company))
        if by_email:
            for em in data.emails:
                normalized = email_key(em.address)
                if normalized:
                    probe.emails.add(normalized)
        if by_phone:
            for ph in data.phones:
                e164 = ph.e164
                if e164 is None:
                    if ph.number not in e164s:
                        e164s[ph.number] = normalize_phone(ph.number, region)[0]
                    e164 = e164s[ph.number]
                if e164:
                    probe.phones.add(e164)
        near: dict[int, Candidate] = {}
        for value in probe.emails:
            near.update((c.id, c) for c in by_email.get(value, ()))
        for value in probe.phones:
            near.update((c.id, c) for c in by_phone.get(value, ()))
        if probe.key and probe.block:
            block = by_block.get(probe.block, ())
            if len(block) <= MAX_BLOCK:
                near.update((c.id, c) for c in block)
            else:  # a common family name: the exact name key still meets
                near.update((c.id, c) for c in block if c.key == probe.key)
        found = [m for c in near.values() if (m := _compare(probe, c)) is not None]
        out.append(sorted(found, key=lambda m: (-m.score, m.second)))
    return out


# A plain ASCII address (no quotes, no IDNA label): what normalize_email makes of it is
# its lower case, valid or not (as bulk_rows._PLAIN_EMAIL), without the validator.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]+@(?!xn--)[A-Za-z0-9-]+(?:\.(?!xn--)[A-Za-z0-9-]+)+", re.IGNORECASE)


def email_key(address: str) -> str:
    """An e-mail address as compared (text.validation.normalize_email's result)."""
    typed = address.strip()
    if _PLAIN_EMAIL.fullmatch(typed):
        return typed.lower()
    return normalize_email(typed)[0]


def _compare(probe: Candidate, other: Candidate) -> Match | None:
    """probe against one contact: what makes them look like one person, if anything."""
    reasons: dict[str, int] = {}
    if probe.emails & other.emails:
        reasons[EMAIL] = 100
    if probe.phones & other.phones:
        reasons[PHONE] = 95
    if probe.key and probe.key == other.key:
        reasons[NAME] = 90
    elif probe.key and other.key and probe.block == other.block:
        ratio = fuzz.token_sort_ratio(probe.key, other.key)
        if ratio >= NAME_SCORE:
            reasons[SIMILAR_NAME] = int(ratio) - 5
    if not reasons:
        return None
    score = max(reasons.values())
    if probe.company and probe.company == other.company:
        reasons[COMPANY] = 0
        score = min(100, score + 5)
    return Match(probe.id, other.id, score, tuple(reasons))


def similar_contacts(session: Session, data: ContactData, *, exclude: int | None = None,
                     region: str = "", language: str = "") -> list[Match]:
    """The live contacts a record being typed looks like, found through indexes only
    (a form asks as the user types): the same normalized e-mail, the same E.164
    phone, or the same name as sorted (Contact.sort_key: the same letters, any case
    or accents). A Match's ``first`` is -1 (the record), ``second`` the contact."""
    from crmdesk.core.text.collation import name_sort_key

    emails = {n for em in data.emails if (n := normalize_email(em.address)[0])}
    phones = {p for ph in data.phones if (p := ph.e164 or normalize_phone(ph.number, region)[0])}
    shown = data.name() or data.company
    key = name_sort_key(given=data.given_name, middle=data.middle_name,
                        family=data.family_name, fallback=shown, language=language)
    ids: set[int] = set()
    if emails:
        ids.update(i for i in session.scalars(select(Email.contact_id)
                                              .where(Email.normalized.in_(emails))) if i)
    if phones:
        ids.update(i for i in session.scalars(select(Phone.contact_id)
                                              .where(Phone.e164.in_(phones))) if i)
    if key and (data.given_name or data.family_name):
        ids.update(session.scalars(select(Contact.id).where(Contact.sort_key == key)
                                   .limit(MAX_BLOCK)))
    ids.discard(exclude or 0)
    if not ids:
        return []
    probe = Candidate(-1, shown, name_key(data.given_name, data.family_name, data.middle_name,
                                          shown), _family_key(data.family_name, shown),
                      fold(data.company), emails, phones)
    found = [m for c in _candidates(session, ids).values()
             if (m := _compare(probe, c)) is not None]
    return sorted(found, key=lambda m: (-m.score, m.second))


def names_of(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """The contacts' names as shown, for saying which ones a match is about."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {cid: shown for cid, shown in session.execute(
        select(Contact.id, Contact.display_name).where(Contact.id.in_(wanted)))}
