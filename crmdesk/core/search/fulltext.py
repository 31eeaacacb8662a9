"""Full-text search: any fragment of any field, in any script.

Every contact has one search_row holding its text already folded in Python
(text.fold): names in ``name_text``, everything else in ``body_text``, phone
numbers also as bare digits. On SQLite an FTS5 trigram index over that table
answers terms of three or more characters; shorter terms (and CJK pairs like
"小明") are checked with instr() on the folded text, which is exact on every
SQLite version because no folding happens in SQL. On a database without FTS5
the same conditions run as a scan. Results: name matches first, then by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from crmdesk.core.i18n import _
from crmdesk.core.storage.field_models import (
    PHONE,
    TEXT_LIKE,
    WITH_OPTIONS,
    FieldDef,
    FieldOption,
    FieldValue,
)
from crmdesk.core.storage.models import (
    Address,
    Company,
    Contact,
    Email,
    Link,
    Phone,
    Relative,
    SearchRow,
    Tag,
    contact_tag,
)
from crmdesk.core.text.folding import digits, fold, looks_like_phone

TRIGRAM = 3
_CHUNK = 500
_FTS_TABLE = "search_fts"


@dataclass(frozen=True)
class Term:
    """One folded search term: every term must be found somewhere (AND).

    ``alts`` are other spellings that count as well (a phone-like word is
    looked for as its digits and as typed: "0/0" may be a name, not a number).
    """

    text: str
    alts: tuple[str, ...] = ()

    def spellings(self) -> tuple[str, ...]:
        return (self.text, *(a for a in self.alts if a and a != self.text))

    @classmethod
    def of(cls, raw: str) -> Term | None:
        """The term for one word or "phrase" as typed (lookup.syntax splits the text;
        nothing here does), or None when nothing is left of it folded.

        A word typed like a phone number ("+7 (495)", "123-45-67") is looked for
        as its digits, so it meets phone numbers however they were formatted,
        and as typed ("0/0" may be a name, not a number).
        """
        folded = fold(raw)
        if looks_like_phone(raw):
            return cls(digits(raw), (folded,))
        return cls(folded) if folded else None


def has_fts(session: Session) -> bool:
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    return bool(
        session.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name=:n"), {"n": _FTS_TABLE}
        ).first()
    )


def fts_phrase(term: str) -> str:
    """A term as an FTS5 phrase (its double quotes doubled)."""
    return '"' + term.replace('"', '""') + '"'


def _contains(column: Any, term: str) -> ColumnElement[bool]:
    return func.instr(column, literal(term)) > 0


def _indexed(term: Term, fts: bool) -> bool:
    """Can the trigram index answer this term? (Every spelling 3+ characters.)"""
    return fts and all(len(x) >= TRIGRAM for x in term.spellings())


def _in_row(term: Term) -> ColumnElement[bool]:
    return or_(*(
        or_(_contains(SearchRow.name_text, x), _contains(SearchRow.body_text, x))
        for x in term.spellings()
    ))


def text_filter(terms: list[Term], *, fts: bool) -> ColumnElement[bool]:
    """A condition on Contact.id: all terms found in the contact's text."""
    if not terms:
        return literal(True)
    conds: list[ColumnElement[bool]] = []
    indexed = [t for t in terms if _indexed(t, fts)]
    if indexed:
        match = " AND ".join(
            "(" + " OR ".join(fts_phrase(x) for x in t.spellings()) + ")" for t in indexed
        )
        fts_ids: Select[Any] = select(literal_column("rowid")).select_from(text("search_fts")).where(
            # unique: one statement may hold several of these (a lookup's OR).
            text("search_fts MATCH :fts_match").bindparams(
                bindparam("fts_match", match, unique=True)
            )
        )
        conds.append(Contact.id.in_(fts_ids))
    scanned = [t for t in terms if not _indexed(t, fts)]
    if scanned:
        row_match = select(SearchRow.contact_id).where(and_(*(_in_row(t) for t in scanned)))
        conds.append(Contact.id.in_(row_match))
    return and_(*conds)


def fts_ids(terms: list[Term], *, name_only: bool = False) -> Select[Any]:
    """The rowids (contact ids, the trash's too) the trigram index finds for terms of
    three characters or more: every term anywhere in the row, or (``name_only``) every
    term in the name, which is what name_rank calls a name match."""
    column = "{name_text} : " if name_only else ""
    match = " AND ".join(
        column + "(" + " OR ".join(fts_phrase(x) for x in t.spellings()) + ")" for t in terms)
    return select(literal_column("rowid")).select_from(text("search_fts")).where(
        text("search_fts MATCH :ids_match").bindparams(
            bindparam("ids_match", match, unique=True)))


def name_holds(term: str, *, fts: bool) -> Select[Any]:
    """The ids of the contacts whose name holds the folded ``term``: from the trigram
    index's name column for 3+ characters (a few rows of a hundred thousand), else a
    scan of the folded names. The term is a bound value, never SQL text."""
    if fts and len(term) >= TRIGRAM:
        match = "{name_text} : " + fts_phrase(term)
        return select(literal_column("rowid")).select_from(text("search_fts")).where(
            text("search_fts MATCH :name_match").bindparams(
                bindparam("name_match", match, unique=True)))
    return select(SearchRow.contact_id).where(_contains(SearchRow.name_text, term))


def name_rank(terms: list[Term]) -> ColumnElement[int]:
    """0 when every term is in the name, else 1: for ORDER BY (name matches first)."""
    if not terms:
        return literal(0)
    name_text = (
        select(SearchRow.name_text).where(SearchRow.contact_id == Contact.id).scalar_subquery()
    )
    in_name = and_(*(or_(*(_contains(name_text, x) for x in t.spellings())) for t in terms))
    return case((in_name, 0), else_=1)


# -- keeping the index up to date ---------------------------------------------


def _join(parts: Iterable[str | None]) -> str:
    return "\n".join(p for p in (fold(x) for x in parts if x) if p)


# What a contact's text is made of, field by field: (where, as shown, as searched).
# "where" is what the user calls the field ("Address", "Notes", a custom field's
# label); "as shown" is the value as typed, an address on one line; "as searched"
# are the texts the index holds of it, unfolded (a phone also as bare digits).
# Plain tuples: build_rows makes a million of them when 100,000 contacts come in.
FieldText = tuple[str, str, tuple[str, ...]]


def field_texts(session: Session, contact_ids: list[int]
                ) -> tuple[list[tuple[int, str, str]], dict[int, list[FieldText]]]:
    """(id, display name, nickname) of each contact found, and everything else
    searchable of it, field by field, in the order the index holds it; one query
    per table."""
    company, job, department = _("Company"), _("Job title"), _("Department")
    phone, email, address = _("Phone"), _("E-mail"), _("Address")
    web, relative, tag, notes = _("Web"), _("Relative"), _("Tag"), _("Notes")
    names: list[tuple[int, str, str]] = []
    out: dict[Any, list[FieldText]] = {}  # Any: a phone's contact_id is typed int | None
    for start in range(0, len(contact_ids), _CHUNK):
        chunk = contact_ids[start : start + _CHUNK]
        tails: dict[int, str] = {}
        for c in session.execute(
            select(Contact.id, Company.name, Contact.job_title, Contact.department,
                   Contact.notes, Contact.display_name, Contact.nickname)
            .outerjoin(Company, Company.id == Contact.company_id)
            .where(Contact.id.in_(chunk))
        ):
            names.append((c[0], c[5], c[6]))
            texts = out[c[0]] = []
            for label, value in ((company, c[1]), (job, c[2]), (department, c[3])):
                if value:
                    texts.append((label, value, (value,)))
            if c[4]:
                tails[c[0]] = c[4]
        for cid, number, e164 in session.execute(
            select(Phone.contact_id, Phone.number, Phone.e164).where(Phone.contact_id.in_(chunk))
        ):
            out[cid].append((phone, number, (number, digits(number), digits(e164))))
        for cid, value in session.execute(
            select(Email.contact_id, Email.address).where(Email.contact_id.in_(chunk))
        ):
            out[cid].append((email, value, (value,)))
        for a in session.execute(
            select(Address.contact_id, Address.street, Address.city, Address.region,
                   Address.postcode, Address.country).where(Address.contact_id.in_(chunk))
        ):
            parts = tuple(x for x in a[1:] if x)
            out[a[0]].append((address, ", ".join(" ".join(x.split()) for x in parts), parts))
        for cid, url in session.execute(
            select(Link.contact_id, Link.url).where(Link.contact_id.in_(chunk))
        ):
            out[cid].append((web, url, (url,)))
        for cid, name in session.execute(
            select(Relative.contact_id, Relative.name).where(Relative.contact_id.in_(chunk))
        ):
            out[cid].append((relative, name, (name,)))
        for cid, name in session.execute(
            select(contact_tag.c.contact_id, Tag.name)
            .join(Tag, Tag.id == contact_tag.c.tag_id)
            .where(contact_tag.c.contact_id.in_(chunk))
        ):
            out[cid].append((tag, name, (name,)))
        for cid, values in custom_field_texts(session, chunk).items():
            out[cid].extend(values)
        for cid, note in tails.items():
            out[cid].append((notes, note, (note,)))
    return names, out


def build_rows(session: Session, contact_ids: list[int]) -> list[dict[str, object]]:
    """The search rows for these contacts, loaded with one query per table."""
    rows: list[dict[str, object]] = []
    names, texts = field_texts(session, contact_ids)
    for cid, shown, nickname in names:
        rows.append({
            "contact_id": cid,
            # The name as shown ("王小明", "Ivan Petrov") and the nickname;
            # words are ANDed, so "Petrov Ivan" finds it as well.
            "name_text": _join((shown, nickname)),
            "body_text": _join(x for t in texts[cid] for x in t[2]),
        })
    return rows


def refresh(session: Session, contact_ids: Iterable[int]) -> None:
    """Rebuild the search rows of these contacts (call after any change to them)."""
    ids = sorted(set(contact_ids))
    if not ids:
        return
    for start in range(0, len(ids), _CHUNK):
        session.execute(delete(SearchRow).where(SearchRow.contact_id.in_(ids[start : start + _CHUNK])))
    rows = build_rows(session, ids)
    if rows:
        session.execute(insert(SearchRow), rows)


def refresh_company(session: Session, company_id: int) -> list[int]:
    """A company's name is part of its contacts' text: re-index them after a rename.
    Returns their ids."""
    ids = list(session.scalars(select(Contact.id).where(Contact.company_id == company_id)))
    refresh(session, ids)
    return ids


def search_texts(session: Session, contact_ids: Sequence[int]) -> dict[int, list[str]]:
    """The searchable words of these contacts' custom values, for the full-text index.

    Text-like values as typed (phones also as bare digits), option names, and
    kept unconverted text; search.build_rows folds them into body_text. Ids
    without any are absent. Archived fields count too: their values are still
    the user's data.
    """
    return {cid: [x for t in texts for x in t[2]]
            for cid, texts in custom_field_texts(session, contact_ids).items()}


def custom_field_texts(session: Session,
                       contact_ids: Sequence[int]) -> dict[int, list[FieldText]]:
    """search_texts field by field: (the field's label, the value as shown, as searched)."""
    out: dict[int, list[FieldText]] = {}
    ids = list(contact_ids)
    for chunk in (ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)):
        for cid, ftype, value, label, raw, field_label in session.execute(
            select(FieldValue.contact_id, FieldDef.type, FieldValue.value_text,
                   FieldOption.label, FieldValue.raw, FieldDef.label)
            .join(FieldDef, FieldDef.id == FieldValue.field_id)
            .outerjoin(FieldOption, FieldOption.id == FieldValue.option_id)
            .where(FieldValue.contact_id.in_(chunk))
            .order_by(FieldValue.contact_id, FieldValue.field_id, FieldValue.seq)
        ):
            if cid is None:
                continue
            if raw:
                entry: FieldText = (field_label, raw, (raw,))
            elif ftype in WITH_OPTIONS and label:
                entry = (field_label, label, (label,))
            elif ftype in TEXT_LIKE and value:
                entry = (field_label, value,
                         (value, digits(value)) if ftype == PHONE else (value,))
            else:
                continue
            out.setdefault(cid, []).append(entry)
    return out
