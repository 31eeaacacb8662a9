"""Search words of one or two letters, answered from the folded texts held in memory.

Why: the trigram index answers words of three or more characters in a
millisecond, but a word of one or two ("a", "ив", "小") matches in the middle
of anything, so SQL must scan every contact's text with instr() and then sort
tens of thousands of matches by name: 100-400 ms at 100,000 contacts, on
every keystroke of a name being typed. The same folded texts held in the
process (~40 MB at 100,000 contacts), already in name order, answer it in
10-30 ms with Python's substring search, which is the very test instr()
makes (both texts were folded in Python: no SQLite version matters).

Used only by a window that asks for it (remember_texts): a one-shot
CLI search would pay more to fill it than it saves. After a commit only the
contacts it changed are read again and put where their names now go
(storage/touched.py says which; name_order.placed finds where): a Save costs a
millisecond here instead of reading 100,000 texts (0.2-0.3 s, during which a
keystroke waited). When what changed cannot be told (another program wrote,
thousands of contacts changed) everything is read again. A read-only file,
which another process may be writing, never uses it.
"""

from __future__ import annotations

import heapq
import threading
from array import array
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmdesk.core.search.fulltext import TRIGRAM, Term
from crmdesk.core.storage import touched
from crmdesk.core.storage.models import Contact, SearchRow
from crmdesk.core.storage.name_order import placed, positions
from crmdesk.core.storage.raw_rows import raw_rows


@dataclass
class _Texts:
    mark: touched.Mark | None  # the commits these texts hold (None: never updated)
    ids: list[int]  # the live contacts, by (sort_key, id): the name order
    names: list[str]  # name_text
    bodies: list[str]  # body_text: everything else
    # Each contact's script bits (scripts_of: the scripts beyond ASCII it holds).
    scripts: bytearray
    # Each contact's place in ``ids``, by id; made when first needed (_places).
    places: array[int] | None = field(default=None, compare=False, repr=False)


def applies(terms: list[Term]) -> bool:
    """True when no word can use the trigram index (each has a spelling under 3)."""
    return bool(terms) and all(any(len(x) < TRIGRAM for x in t.spellings()) for t in terms)


# Which scripts beyond ASCII a contact's texts hold, one bit each, so that a word
# in one script is looked for only in the contacts that have it: "王小" (18 hits
# among 100,000, the Chinese names last in the name order) read every text,
# 33 ms; only the contacts with Chinese in them, 10. A word in ASCII is looked
# for everywhere. A character's script is told by the first byte of its UTF-8
# form (bytes.translate: ~100 ms for 100,000 contacts where four regular
# expressions took 320), the same way for the texts and the words, so that a
# contact without a bit has no character of it.
LATIN, CYRILLIC, EAST_ASIAN, OTHER = 1, 2, 4, 8
_SCRIPT_OF_FIRST_BYTE = bytes(
    LATIN if 0xC2 <= b <= 0xCA  # U+0080-U+02BF: Latin-1, Latin Extended, IPA
    else CYRILLIC if 0xD0 <= b <= 0xD4  # U+0400-U+053F
    else EAST_ASIAN if 0xE3 <= b <= 0xED or b >= 0xEF  # U+3000-U+DFFF, U+F000 and up
    else OTHER  # Greek, Hebrew, Arabic, Indic, punctuation, signs...
    for b in range(256))
_NOT_A_FIRST_BYTE = bytes(range(0xC0))  # ASCII, and the bytes that continue a character


def scripts_of(*texts: str) -> int:
    """The script bits of what ``texts`` hold (0: all ASCII)."""
    text = "".join(texts)
    if text.isascii():
        return 0
    firsts = text.encode("utf-8", "surrogatepass").translate(_SCRIPT_OF_FIRST_BYTE,
                                                             _NOT_A_FIRST_BYTE)
    return ((LATIN in firsts) * LATIN | (CYRILLIC in firsts) * CYRILLIC
            | (EAST_ASIAN in firsts) * EAST_ASIAN | (OTHER in firsts) * OTHER)


def _candidates(terms: list[Term]) -> bytes | None:
    """A bytes.translate table that turns a contact's script bits into 1 if it could
    hold every term (each term: one of its spellings' scripts all present), else 0;
    None when every contact could (a term with an all-ASCII spelling)."""
    needs: list[list[int]] = []
    for term in terms:
        spelled = [scripts_of(x) for x in term.spellings()]
        if 0 in spelled:
            continue  # this term could be in anyone's text
        needs.append(spelled)
    if not needs:
        return None
    return bytes(int(all(any(bits & n == n for n in spelled) for spelled in needs))
                 for bits in range(256))


class TextMemory:
    """The folded texts of the live contacts, in name order, for one database."""

    def __init__(self) -> None:
        self._texts: _Texts | None = None
        self._lock = threading.Lock()

    def forget(self) -> None:
        self._texts = None

    def filled(self) -> bool:
        return self._texts is not None

    def _current(self, session: Session, generation: int) -> _Texts:
        """The texts as this unit of work sees the file (``generation``: the
        Database's, unused: the texts follow the commits the snapshot holds)."""
        with self._lock:
            texts = self._texts
            if texts is not None and texts.mark is not None:
                now, changed = touched.changed_since(session, texts.mark)
                if now == texts.mark:
                    return texts
                if changed is not None:
                    updated = _updated(session, texts, now, changed)
                    if updated is not None:
                        self._texts = updated
                        return updated
            texts = self._texts = _read(session)
            return texts

    def warm(self, session: Session, generation: int) -> None:
        """Read the texts now (a background thread, before the user types)."""
        self._current(session, generation)

    def contact_ids(self, session: Session, generation: int, terms: list[Term], *,
                    descending: bool = False, limit: int | None = None) -> list[int]:
        """Live contacts with every term, name matches first, then by name (as
        search.name_rank and listing's name order put them).

        One pass per term over the names and the other texts, each a list of
        booleans built by a comprehension; compress() picks the ids. ~20-35 ms
        at 100,000 contacts, where a Python loop over 90,000 matches took 100.

        ``limit``: only the first so many (the first screenful), found by
        passes over CHUNK contacts at a time that stop once there are enough;
        fewer than ``limit`` means these are all.
        """
        texts = self._current(session, generation)
        if limit is not None:
            return _first_ids(texts, terms, descending, limit)
        if not terms:
            return list(texts.ids)
        ids, names, bodies = texts.ids, texts.names, texts.bodies
        table = _candidates(terms)
        if table is not None:  # only the contacts with the words' scripts
            could = texts.scripts.translate(table)
            ids, names, bodies = (list(compress(ids, could)), list(compress(names, could)),
                                  list(compress(bodies, could)))
        in_name: list[bool] | None = None
        found: list[bool] | None = None
        for term in terms:
            names_t, found_t = _matches(names, bodies, term.spellings())
            in_name = names_t if in_name is None else _both(in_name, names_t)
            found = found_t if found is None else _both(found, found_t)
        assert in_name is not None and found is not None
        first = list(compress(ids, in_name))
        rest = list(compress(ids, [f and not n for f, n in zip(found, in_name, strict=True)]))
        if descending:
            first.reverse()
            rest.reverse()
        return first + rest


    def first_among(self, session: Session, generation: int, hits: list[int],
                    in_name: list[int], *, descending: bool = False,
                    limit: int) -> list[int]:
        """The first ``limit`` of ``hits`` (the contacts the trigram index found, trash
        included) in the list's order: ``in_name`` (those with every word in the name)
        first, each part in name order. SQL would sort every hit by name (15-30 ms for
        a common fragment at 100,000 contacts); here each hit's place in the name
        order is looked up (an array by id) and only the first few are sorted."""
        texts = self._current(session, generation)
        place = _places(texts)
        top = len(place)

        def placed(ids: list[int]) -> list[int]:
            return [p for cid in ids if 0 <= cid < top and (p := place[cid]) >= 0]

        pick = heapq.nlargest if descending else heapq.nsmallest
        first = pick(limit, placed(in_name))
        if len(first) < limit:
            named = set(in_name)
            first += pick(limit - len(first), placed([c for c in hits if c not in named]))
        return [texts.ids[p] for p in first]


# How many contacts one pass of a first-screenful search looks at.
CHUNK = 4096


def _first_ids(texts: _Texts, terms: list[Term], descending: bool, limit: int) -> list[int]:
    """The first ``limit`` of contact_ids' answer: name matches in name order,
    then the others that match, chunk by chunk, stopping as soon as there are
    enough (a common fragment is answered from the first few thousand)."""
    n = len(texts.ids)
    starts = range(n - CHUNK, -CHUNK, -CHUNK) if descending else range(0, n, CHUNK)
    spellings = [t.spellings() for t in terms]
    table = _candidates(terms)

    def slices(start: int) -> slice:
        return slice(max(start, 0), start + CHUNK)

    def collect(where: list[list[str]], out: list[int], skip: set[int] | None) -> bool:
        for start in starts:
            part = slices(start)
            ids = texts.ids[part]
            columns = [texts_of[part] for texts_of in where]
            if table is not None:  # only the contacts with the words' scripts
                could = texts.scripts[part].translate(table)
                if 1 not in could:
                    continue
                ids = list(compress(ids, could))
                columns = [list(compress(column, could)) for column in columns]
            hits = None
            for spelled in spellings:
                found = _any_in(spelled, columns)
                hits = found if hits is None else _both(hits, found)
            ids = list(compress(ids, hits or []))
            if descending:
                ids.reverse()
            out.extend(i for i in ids if skip is None or i not in skip)
            if len(out) >= limit:
                return True
        return False

    if not spellings:
        ids = texts.ids[::-1] if descending else texts.ids
        return list(ids[:limit])
    first: list[int] = []
    if collect([texts.names], first, None):
        return first[:limit]
    rest: list[int] = []
    collect([texts.names, texts.bodies], rest, set(first))
    return (first + rest)[:limit]


def _any_in(spellings: tuple[str, ...], columns: list[list[str]]) -> list[bool]:
    """For each contact of the columns' slices: a spelling is in one of its texts."""
    if len(columns) == 1:
        (texts,) = columns
        if len(spellings) == 1:
            word = spellings[0]
            return [word in t for t in texts]
        return [any(w in t for w in spellings) for t in texts]
    names, bodies = columns
    if len(spellings) == 1:
        word = spellings[0]
        return [word in a or word in b for a, b in zip(names, bodies, strict=True)]
    return [any(w in a or w in b for w in spellings) for a, b in zip(names, bodies, strict=True)]


def _matches(names: list[str], bodies: list[str], spellings: tuple[str, ...]
             ) -> tuple[list[bool], list[bool]]:
    """(in the name, anywhere) for each contact, for one term."""
    if len(spellings) == 1:
        word = spellings[0]
        in_name = [word in name for name in names]
        found = [n or word in body for n, body in zip(in_name, bodies, strict=True)]
    else:
        in_name = [any(w in name for w in spellings) for name in names]
        found = [n or any(w in body for w in spellings)
                 for n, body in zip(in_name, bodies, strict=True)]
    return in_name, found


def _both(a: list[bool], b: list[bool]) -> list[bool]:
    return [x and y for x, y in zip(a, b, strict=True)]


def _updated(session: Session, texts: _Texts, now: touched.Mark | None,
             changed: frozenset[int]) -> _Texts | None:
    """``texts`` with the ``changed`` contacts read again (gone, moved or new); None
    when the result does not add up (someone wrote without counting)."""
    stmt = (select(Contact.id, Contact.sort_key, SearchRow.name_text, SearchRow.body_text)
            .join(SearchRow, SearchRow.contact_id == Contact.id)
            .where(Contact.deleted_at.is_(None), Contact.id.in_(changed)))
    rows = {r[0]: r for r in session.execute(stmt).all()} if changed else {}
    gone = set(positions(texts.ids, changed))
    ids, names, bodies, scripts = texts.ids, texts.names, texts.bodies, texts.scripts
    if gone:  # copies: another thread may be searching the old lists right now
        keep = [i not in gone for i in range(len(ids))]
        ids, names, bodies = (list(compress(ids, keep)), list(compress(names, keep)),
                              list(compress(bodies, keep)))
        scripts = bytearray(compress(scripts, keep))
    else:
        ids, names, bodies, scripts = list(ids), list(names), list(bodies), bytearray(scripts)
    for position, cid in placed(session, ids, {cid: r[1] for cid, r in rows.items()}):
        name, body = rows[cid][2] or "", rows[cid][3] or ""
        ids.insert(position, cid)
        names.insert(position, name)
        bodies.insert(position, body)
        scripts.insert(position, scripts_of(name, body))
    count, total = session.execute(
        select(func.count(), func.total(Contact.id)).where(Contact.deleted_at.is_(None))).one()
    if len(ids) != count or sum(ids) != total:
        return None
    return _Texts(now, ids, names, bodies, scripts)


def _places(texts: _Texts) -> array[int]:
    """Each live contact's place in the name order, by id (-1: not listed), made once
    for a set of texts (~10 ms at 100,000 contacts; 4 bytes an id)."""
    made = texts.places
    if made is None:
        made = array("i", [-1]) * (max(texts.ids, default=0) + 1)
        for at, cid in enumerate(texts.ids):
            made[cid] = at
        texts.places = made
    return made


def _read(session: Session) -> _Texts:
    mark = touched.mark(session)
    stmt = (select(Contact.id, SearchRow.name_text, SearchRow.body_text)
            .join(SearchRow, SearchRow.contact_id == Contact.id)
            .where(Contact.deleted_at.is_(None))
            .order_by(Contact.sort_key, Contact.id))
    ids: list[int] = []
    names: list[str] = []
    bodies: list[str] = []
    with raw_rows(session, stmt) as cursor:
        for cid, name, body in cursor:
            ids.append(cid)
            names.append(name or "")
            bodies.append(body or "")
    return _Texts(mark, ids, names, bodies, bytearray(map(scripts_of, names, bodies)))


def remember_texts(db: Any) -> None:
    """Keep ``db``'s contacts' folded texts in memory for one- and two-letter
    searches (the window asks; a one-shot command does not). Not for a
    read-only file, which another program may change under it."""
    if db.text_memory is None and not db.readonly:
        db.text_memory = TextMemory()
