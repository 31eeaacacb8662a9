"""Dates, moments and list entries as people type them on the command line.

Dates are read the way people type them: ISO (2026-06-01, 2026-06-01 14:30),
the lookup words (today, yesterday, this-month, last-30-days) and, through
python-dateutil, the PC's own order (1.6.2026, 6/1/2026). Anything else is a
CrmdeskError naming the option (one line on stderr, exit code 1). Kinds and
outcomes must be entries of their lists (any case): a typo in a script should
not quietly add "Cal" to everyone's drop-down.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from crmdesk.core.errors import CrmdeskError
from crmdesk.core.i18n import _

if TYPE_CHECKING:
    from crmdesk.core.lists.choices import ChoiceItem

_ISO_START = re.compile(r"\d{4}-")


def _bad_date(option: str, value: str) -> CrmdeskError:
    return CrmdeskError(_("{option}: {value!r} is not a date. Write it like 2026-06-01, "
                          "or today, this-month, last-30-days.").format(option=option,
                                                                       value=value))


def parse_day(value: str, option: str, *, end: bool = False,
              today: date | None = None) -> date:
    """The first (or, with ``end``, the last) day that ``value`` names."""
    from crmdesk.core.text.dateranges import parse_date_range
    from crmdesk.core.text.parsing import parse_date

    day = today or date.today()
    found = parse_date_range(value, day)
    if found is not None:
        return found.end if end else found.start
    parsed = parse_date(value)
    if parsed is None:
        raise _bad_date(option, value)
    return parsed


def parse_at(value: str, *, now: datetime | None = None) -> datetime:
    """A moment as typed: ISO, 'now', 'today 14:30', 'yesterday 9:00', '1.6.2026 14:30'.

    Naive results are local time (the services read them so)."""
    from dateutil import parser as date_parser

    from crmdesk.core.text.parsing import system_dayfirst

    text = unicodedata.normalize("NFKC", value).strip()
    current = now or datetime.now()
    word, _sep, rest = text.partition(" ")
    base = {"now": current, "today": current, "yesterday": current - timedelta(days=1)}.get(
        word.lower())
    if base is not None and word.lower() == "now" and not rest:
        return current
    try:
        if base is not None:
            if not rest.strip():
                return datetime.combine(base.date(), time.min)
            clock = date_parser.parse(rest, default=datetime.combine(base.date(), time.min))
            return datetime.combine(base.date(), clock.timetz())
        if _ISO_START.match(text):
            # Year first is ISO: 2026-13-01 is a mistake, not 13 January.
            return datetime.fromisoformat(text)
        # What the text leaves out comes from today at midnight: "14:30" is today,
        # "5 June 14:30" this year's 5 June, "5.6.2026" its midnight.
        midnight = datetime.combine(current.date(), time.min)
        result: datetime = date_parser.parse(text, dayfirst=system_dayfirst(),
                                             default=midnight)
        return result
    except (ValueError, OverflowError, TypeError):
        raise CrmdeskError(_("--at: {value!r} is not a date and time. Write it like "
                             "'2026-06-01 14:30', 'today 9:00' or 'now'.")
                           .format(value=value)) from None


def list_entry(entries: Sequence[ChoiceItem], name: str, option: str) -> str:
    """The name of the entry called ``name`` (any case), or a message listing the entries."""
    from crmdesk.core.history.naming import entry_named

    found = entry_named(entries, name)
    if found is not None:
        return found.name
    if not name.strip():
        raise CrmdeskError(_("{option} needs a value.").format(option=option))
    known = ", ".join(e.name for e in entries if not e.archived)
    raise CrmdeskError(_("{option}: there is no {value!r} in the list. It has: {known}.")
                       .format(option=option, value=name, known=known))
