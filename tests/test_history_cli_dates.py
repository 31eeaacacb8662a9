"""The date words of `crmdesk history` and `crmdesk log` (crmdesk/cli/typed.py), without
a subprocess: what they accept, and that anything else is a plain CrmdeskError."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmdesk.cli.typed import parse_at, parse_day
from crmdesk.core.errors import CrmdeskError

NOW = datetime(2026, 6, 15, 10, 20)
TODAY = NOW.date()


@pytest.mark.parametrize("text, start, end", [
    ("2026-06-01", date(2026, 6, 1), date(2026, 6, 1)),
    ("2026-05", date(2026, 5, 1), date(2026, 5, 31)),
    ("2025", date(2025, 1, 1), date(2025, 12, 31)),
    ("this-month", date(2026, 6, 1), date(2026, 6, 30)),
    ("last-30-days", date(2026, 5, 16), TODAY),
    ("yesterday", date(2026, 6, 14), date(2026, 6, 14)),
    ("5.3.2026", date(2026, 3, 5), date(2026, 3, 5)),
    ("5 марта 2026", date(2026, 3, 5), date(2026, 3, 5)),
])
def test_days(text, start, end):
    assert parse_day(text, "--since", today=TODAY) == start
    assert parse_day(text, "--until", end=True, today=TODAY) == end


@pytest.mark.parametrize("text, expected", [
    ("now", NOW),
    ("2026-06-01 14:30", datetime(2026, 6, 1, 14, 30)),
    ("2026-06-01T14:30", datetime(2026, 6, 1, 14, 30)),
    ("2026-06-01", datetime(2026, 6, 1)),
    ("today 9:00", datetime(2026, 6, 15, 9, 0)),
    ("yesterday 17:45", datetime(2026, 6, 14, 17, 45)),
    ("yesterday", datetime(2026, 6, 14)),
    ("14:30", datetime(2026, 6, 15, 14, 30)),
    ("1.6.2026 8:05", datetime(2026, 6, 1, 8, 5)),
])
def test_moments(text, expected):
    assert parse_at(text, now=NOW) == expected


def test_a_moment_with_its_own_offset_stays_aware():
    got = parse_at("2026-06-01T14:30+03:00", now=NOW)
    assert got.utcoffset() is not None and got.hour == 14


@pytest.mark.parametrize("text", ["", "soon", "31.02.2026", "2026-13-01", "25:99", "🎉"])
def test_not_moments(text):
    with pytest.raises(CrmdeskError, match="--at"):
        parse_at(text, now=NOW)


@given(st.text(max_size=40))
def test_any_text_is_a_moment_or_a_plain_error(text):
    try:
        assert isinstance(parse_at(text, now=NOW), datetime)
    except CrmdeskError as exc:
        assert "--at" in str(exc)


@given(st.text(max_size=40))
def test_any_text_is_a_day_or_a_plain_error(text):
    try:
        assert isinstance(parse_day(text, "--since", today=TODAY), date)
    except CrmdeskError as exc:
        assert "--since" in str(exc)
