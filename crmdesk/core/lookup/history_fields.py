"""The history's lookup fields: ``kind:call outcome:reached ivanov``, ``at>2026-01-01``.

The History view's search box (and ``crmdesk history``, and later exports)
speak the same language as the contact list, with the fields of an entry:
what it was (kind, outcome, direction, subject, details, duration), when
(``at`` or ``date``, local days, relative words like this-month), and with
whom (``contact:``, ``company:``). A plain word finds an entry by its subject
and details, and by the names of its contacts (through the contacts' search
index, search.name_holds) and of its company: what the box has always done.

At a million entries the entry's own text is one folded column
(``search_text``) with a trigram index (history_fts, migration 0009), so a word
of three characters or more is looked up in the index and a shorter one is a
substring test on it; plus, when the word is in some name at all, the entries
of those few contacts and companies.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.orm import Session

from crmdesk.core.errors import QuerySyntaxError
from crmdesk.core.i18n import _
from crmdesk.core.lookup.registry import (
    CHOICE,
    DATE,
    NUMBER,
    TEXT,
    BuiltinField,
    Condition,
    LookupContext,
    Registry,
    choice_field,
    column_present,
    contains,
    datetime_field,
    match,
    not_null,
    number_field,
    only,
)
from crmdesk.core.search.fulltext import TRIGRAM, Term, fts_phrase, name_holds
from crmdesk.core.storage.database import has_written
from crmdesk.core.storage.models import (
    INTERACTION_KIND,
    OUTCOME,
    Company,
    Interaction,
    SearchRow,
    interaction_contact,
)
from crmdesk.core.text.folding import fold

HISTORY = "history"
_link = interaction_contact.c


def _with_contacts(contacts: Any) -> ColumnElement[bool]:
    """The entry is with one of these contacts (a select of contact ids)."""
    result: ColumnElement[bool] = Interaction.id.in_(
        select(_link.interaction_id).where(_link.contact_id.in_(contacts)))
    return result


def _word(ctx: LookupContext, word: str) -> ColumnElement[bool]:
    """The folded word is in the subject or the details, in the name of a contact of
    the entry, or in the name of its company. Names are looked up first (a few
    contacts, a few companies), then their entries through the link table's
    (contact_id) index, so a word costs one pass over the entries, not a join; a
    word in no name (most words of a subject) costs nothing more."""
    out = [_in_text(ctx, word)]
    people = name_holds(word, fts=ctx.fts)
    named = select(Company.id).where(func.instr(Company.name_key, literal(word)) > 0)
    in_people, in_companies = _in_names(ctx.session, word, people, named)
    if in_people:
        out.append(_with_contacts(people))
    if in_companies:
        out.append(Interaction.company_id.in_(named))
    return or_(*out)


def _in_names(session: Session, word: str, people: Any, named: Any) -> tuple[bool, bool]:
    """(is the word in a contact's name, in a company's name). Remembered for the unit
    of work, which sees one snapshot: the History view's first screenful compiles a
    filter up to three times (the newest entries, more of them, all), and a word of
    two characters is in no index, so each time read every name (17 ms at 100,000
    contacts). Not remembered once the unit of work has written."""
    key = ("crmdesk_history_word_in_names", word)
    wrote = has_written(session)
    found: tuple[bool, bool] | None = None if wrote else session.info.get(key)
    if found is None:
        found = (bool(session.scalar(select(exists(people)))),
                 bool(session.scalar(select(exists(named)))))
        if not wrote:
            session.info[key] = found
    return found


def _in_text(ctx: LookupContext, word: str) -> ColumnElement[bool]:
    """The word is in the entry's folded text: from the trigram index (0009) when the
    word has three characters or more, else a substring test of every entry. Within
    the caller's range (a period, the newest entries: ctx.ranged) the substring test
    of those few is quicker than the index's whole list of a common word."""
    if "history_fts" not in ctx.memo:
        ctx.memo["history_fts"] = ctx.sqlite and ctx.session.execute(text(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'history_fts'"
        )).first() is not None
    if len(word) < TRIGRAM or ctx.ranged or not ctx.memo["history_fts"]:
        return func.instr(Interaction.search_text, literal(word)) > 0
    found: Select[Any] = select(literal_column("rowid")).select_from(text("history_fts")).where(
        text("history_fts MATCH :history_match").bindparams(
            bindparam("history_match", fts_phrase(word), unique=True)))
    result: ColumnElement[bool] = Interaction.id.in_(found)
    return result


def _words(ctx: LookupContext, terms: list[Term]) -> ColumnElement[bool]:
    return and_(*(or_(*(_word(ctx, x) for x in t.spellings())) for t in terms))


HISTORY_LOOKUP = Registry(HISTORY, Interaction, _words)


def _list_column(column: Any) -> Any:
    """A kind or outcome column; with the caller's date range leading (ctx.ranged),
    hidden from its index ("+ 0", a no-op on the value): a month is ~30,000 of a
    million entries while "every call" is half of them, and without statistics
    SQLite would take the kind's index."""
    return lambda ctx: column + 0 if ctx.ranged else column


def _entry_text(key: str, column: Any) -> Condition:
    """``subject:word`` and ``details:word``: first the entry's folded text (C speed),
    then the column itself, folded in SQL, on the few entries left."""
    def condition(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
        only(key, op)
        needle = fold(value)
        if not needle:
            return true()
        return and_(func.instr(Interaction.search_text, literal(needle)) > 0,
                    match(ctx, column, op, needle))
    return condition


_IN = ("in", "incoming")
_OUT = ("out", "outgoing")


def _direction(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("direction", op)
    word = fold(value)
    if word in _IN or word == fold(_("Incoming")):
        return Interaction.direction == "in"
    if word in _OUT or word == fold(_("Outgoing")):
        return Interaction.direction == "out"
    raise QuerySyntaxError(_("direction is in or out, not {value!r}.").format(value=value))


def _contact(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    """Entries with a contact whose name (or nickname) holds the words; ``=`` the name
    exactly. The names are folded in the search index already."""
    only("contact", op)
    needle = fold(value)
    if not needle:
        return true()
    if op == "=":
        # name_text is the folded name, then a line with the nickname if any.
        people = select(SearchRow.contact_id).where(or_(
            SearchRow.name_text == needle,
            func.instr(SearchRow.name_text, literal(needle + "\n")) == 1))
        return _with_contacts(people)
    return _with_contacts(name_holds(needle, fts=ctx.fts))


def _has_contact(ctx: LookupContext) -> ColumnElement[bool]:
    return exists().where(_link.interaction_id == Interaction.id)


def _company(ctx: LookupContext, op: str, value: str) -> ColumnElement[bool]:
    only("company", op)
    needle = fold(value)
    if not needle:
        return Interaction.company_id.is_not(None)
    companies = select(Company.id).where(contains(Company.name_key, op, needle))
    return and_(Interaction.company_id.is_not(None), Interaction.company_id.in_(companies))


def _at() -> Any:
    return Interaction.at


for _field in (
    BuiltinField("kind", lambda: _("Kind"), CHOICE,
                 choice_field("kind", INTERACTION_KIND, _list_column(Interaction.kind_id)),
                 not_null(Interaction.kind_id)),
    BuiltinField("outcome", lambda: _("Outcome"), CHOICE,
                 choice_field("outcome", OUTCOME, _list_column(Interaction.outcome_id)),
                 not_null(Interaction.outcome_id)),
    BuiltinField("direction", lambda: _("Direction"), CHOICE, _direction,
                 column_present(Interaction.direction)),
    BuiltinField("subject", lambda: _("Subject"), TEXT,
                 _entry_text("subject", Interaction.subject),
                 column_present(Interaction.subject)),
    BuiltinField("details", lambda: _("Details"), TEXT,
                 _entry_text("details", Interaction.details),
                 column_present(Interaction.details)),
    BuiltinField("at", lambda: _("Date"), DATE, datetime_field("at", _at),
                 not_null(Interaction.at)),
    BuiltinField("date", lambda: _("Date"), DATE, datetime_field("date", _at),
                 not_null(Interaction.at)),
    BuiltinField("contact", lambda: _("Contact"), TEXT, _contact, _has_contact),
    BuiltinField("company", lambda: _("Company"), TEXT, _company,
                 not_null(Interaction.company_id)),
    BuiltinField("duration", lambda: _("Duration"), NUMBER,
                 number_field("duration", Interaction.duration_min),
                 not_null(Interaction.duration_min)),
    BuiltinField("created", lambda: _("Created"), DATE,
                 datetime_field("created", lambda: Interaction.created_at),
                 not_null(Interaction.created_at)),
    BuiltinField("updated", lambda: _("Updated"), DATE,
                 datetime_field("updated", lambda: Interaction.updated_at),
                 not_null(Interaction.updated_at)),
):
    HISTORY_LOOKUP.register(_field)
