"""Why a contact matched a search: the field a word was found in, with a snippet.

"zalgir" finds Jonas by "Žalgirio g. 5", which is in no column of the list; the
list then says "Address: Žalgirio g. 5, Vilnius". The texts are the index's own
(search.field_texts), so what is explained is what was found; a snippet is cut
from the value as typed around the place the folded word matched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from crmdesk.core.i18n import _
from crmdesk.core.search.fulltext import FieldText, Term, field_texts
from crmdesk.core.text.folding import fold, fold_with_positions

# A snippet is at most this many characters of the value, plus the "…" marks.
SNIPPET = 48


@dataclass(frozen=True)
class Found:
    """Where a search word was found: the field's name and a piece of its value."""

    where: str
    snippet: str

    def __str__(self) -> str:
        return f"{self.where}: {self.snippet}"


def snippet(text: str, spellings: Sequence[str], width: int = SNIPPET) -> str:
    """``text`` on one line, cut to about ``width`` characters around the first
    place one of the folded ``spellings`` occurs ("…ordered Žalgirio pipes…")."""
    line = " ".join(text.split())
    folded, positions = fold_with_positions(line)
    at = -1
    length = 0
    for spelling in spellings:
        if spelling and (found := folded.find(spelling)) >= 0:
            at, length = found, len(spelling)
            break
    if len(line) <= width + 8:  # cutting would save next to nothing
        return line
    if at < 0:
        start = 0
    else:
        first = positions[at]
        last = positions[min(at + length, len(positions)) - 1] + 1
        # the match with some of what comes before it, most of what follows
        start = max(0, min(first - (width - (last - first)) // 3, len(line) - width))
        if start:  # begin at a word: one just before, else the next one
            space = line.rfind(" ", max(0, start - 10), start + 1)
            if space < 0:
                space = line.find(" ", start, first)
            if space >= 0:
                start = space + 1
    end = min(len(line), start + width)
    if end < len(line):
        space = line.rfind(" ", start + width * 2 // 3, end)
        if space > start:
            end = space
    return ("…" if start else "") + line[start:end].strip() + ("…" if end < len(line) else "")


def _holds(texts: Sequence[str], spellings: Sequence[str]) -> bool:
    return any(s in fold(t) for t in texts for s in spellings if s)


def where_found(session: Session, contact_ids: Sequence[int], terms: Sequence[Term]
                ) -> dict[int, dict[Term, Found]]:
    """For each contact, where each term was found: its name first, then its
    fields in the index's order. A term found nowhere (the contact matched by
    another part of the lookup) is absent."""
    ids = list(dict.fromkeys(contact_ids))
    if not ids or not terms:
        return {}
    found_names, texts = field_texts(session, ids)
    names = {cid: (shown, nickname) for cid, shown, nickname in found_names}
    name_label = _("Name")
    nickname_label = _("Nickname")
    out: dict[int, dict[Term, Found]] = {}
    for cid in ids:
        shown_name, nickname = names.get(cid, ("", ""))
        places: list[FieldText] = [
            (name_label, shown_name, (shown_name,)),
            (nickname_label, nickname, (nickname,)),
            *texts.get(cid, ()),
        ]
        found: dict[Term, Found] = {}
        for term in terms:
            spellings = term.spellings()
            for where, shown, searched in places:
                if shown and _holds(searched, spellings):
                    found[term] = Found(where, snippet(shown, spellings))
                    break
        if found:
            out[cid] = found
    return out
