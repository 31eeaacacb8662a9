"""History services: logging, editing, deleting, the timeline, and the derived
last contact / last attempt of each contact."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from crmdesk.core.companies.records import purge_companies, trash_companies
from crmdesk.core.contacts.records import (
    ContactData,
    create_contact,
    empty_trash,
    get_contact,
    purge_contacts,
    trash_contacts,
    update_contact,
)
from crmdesk.core.errors import CrmdeskError, NotFoundError, ValidationError
from crmdesk.core.history import records as history
from crmdesk.core.history.records import InteractionData, log_interaction
from crmdesk.core.lists import choices
from crmdesk.core.storage.defaults import DEFAULTS
from crmdesk.core.storage.models import INTERACTION_KIND, OUTCOME, Choice, Contact

NOW = datetime.now(UTC)


def ago(**kw) -> datetime:
    return NOW - timedelta(**kw)


@pytest.fixture
def people(db):
    return [
        create_contact(db, ContactData(given_name="Мария", family_name="Иванова",
                                       company="ООО Ромашка", status="Lead")),
        create_contact(db, ContactData(given_name="Jonas", family_name="Petraitis")),
        create_contact(db, ContactData(given_name="小明", family_name="王",
                                       name_order="family_first")),
    ]


def log(db, *, each=False, **kw):
    kw.setdefault("kind", "Call")
    with db.session() as s:
        return log_interaction(s, InteractionData(**kw), each=each)


def last(db, cid):
    with db.reading() as s:
        return s.execute(select(Contact.last_contact_at, Contact.last_attempt_at)
                         .where(Contact.id == cid)).one()


def utc(dt: datetime) -> datetime:
    return dt.astimezone(UTC).replace(tzinfo=None)


# -- the lists ---------------------------------------------------------------------------


def test_new_file_has_the_kinds_and_outcomes_with_reached_flags(db):
    with db.reading() as s:
        kinds = choices.list_choices(s, INTERACTION_KIND)
        outcomes = choices.list_choices(s, OUTCOME)
    assert [k.name for k in kinds] == ["Call", "Meeting", "E-mail", "Letter", "Note",
                                       "Support request", "Mailing"]
    assert {k.name for k in kinds if k.reached} == {"Call", "Meeting", "E-mail", "Letter",
                                                    "Support request"}
    assert [o.name for o in outcomes][:3] == ["Reached", "Left message", "No answer"]
    assert {o.name for o in outcomes if o.reached} == {"Reached", "Meeting agreed", "Ordered",
                                                       "Complaint"}
    with db.reading() as s:  # seeded once, not twice
        assert len(choices.list_choices(s, "status")) == len(DEFAULTS["status"])


def test_usage_count_counts_history_entries(db, people):
    log(db, kind="Call", outcome="No answer", contact_ids=[people[0]])
    log(db, kind="call", contact_ids=[people[1]])
    with db.reading() as s:
        call = choices.resolve_choice(s, INTERACTION_KIND, "Call", create=False)
        no_answer = choices.resolve_choice(s, OUTCOME, "No answer", create=False)
        assert choices.usage_count(s, call) == 2
        assert choices.usage_count(s, no_answer) == 1


# -- logging -----------------------------------------------------------------------------


def test_log_a_call_and_read_it_back(db, people):
    at = ago(hours=2)
    result = log(db, kind="call", subject="Price list", at=at, direction="out",
                 duration_min=12, outcome="reached", details="Sends the order on Monday.",
                 contact_ids=[people[0]])
    assert result.warnings == [] and result.contact_ids == [people[0]]
    with db.reading() as s:
        got = history.get_interaction(s, result.ids[0])
    assert got.kind == "Call" and got.outcome == "Reached"  # the list's own spelling
    assert got.at == at and got.at.tzinfo is not None
    assert (got.subject, got.direction, got.duration_min, got.details) == (
        "Price list", "out", 12, "Sends the order on Monday.")
    assert got.contact_ids == [people[0]]
    company = get_contact(db, people[0]).company_id
    assert got.company_id == company is not None
    assert last(db, people[0]) == (utc(at), None)


def test_time_defaults_to_now(db, people):
    before = datetime.now(UTC)
    result = log(db, contact_ids=[people[1]])
    with db.reading() as s:
        at = history.get_interaction(s, result.ids[0]).at
    assert before - timedelta(seconds=1) <= at <= datetime.now(UTC) + timedelta(seconds=1)


def test_an_unknown_kind_or_outcome_becomes_a_list_entry(db, people):
    log(db, kind="Video call", outcome="Sent a quote", contact_ids=[people[0]])
    with db.reading() as s:
        assert "Video call" in [c.name for c in choices.list_choices(s, INTERACTION_KIND)]
        assert "Sent a quote" in [c.name for c in choices.list_choices(s, OUTCOME)]
        assert history.last_kind(s) == "Video call"


def test_last_kind_remembers_the_kind_used_last(db, people):
    with db.reading() as s:
        assert history.last_kind(s) == "Call"  # nothing logged yet: the list's first
    log(db, kind="Meeting", contact_ids=[people[0]])
    log(db, kind="Letter", contact_ids=[people[0]], at=ago(days=30))
    with db.reading() as s:
        assert history.last_kind(s) == "Letter"  # the last logged, whatever its date


def test_one_entry_for_several_contacts(db, people):
    result = log(db, kind="Meeting", contact_ids=[people[2], people[0], people[2]])
    assert len(result.ids) == 1
    assert result.contact_ids == [people[2], people[0]]
    with db.reading() as s:
        entry = history.timeline(s, people[0])[0]
        assert entry.contacts == ["Мария Иванова", "王小明"]
        assert history.timeline(s, people[2])[0].id == result.ids[0]


def test_a_mailing_to_50_contacts_is_one_entry_each(db):
    ids = [create_contact(db, ContactData(given_name=f"P{i}", family_name="Mail",
                                          company=f"Firm {i % 3}")) for i in range(50)]
    result = log(db, kind="Mailing", subject="Spring catalogue", contact_ids=ids, each=True)
    assert len(result.ids) == 50 and result.contact_ids == ids
    with db.reading() as s:
        rows = history.history_rows(s, result.ids)
        for iid, cid in zip(result.ids, ids, strict=True):
            assert rows[iid]["contact_ids"] == [cid]
            assert rows[iid]["subject"] == "Spring catalogue"
            assert rows[iid]["company"] == f"Firm {ids.index(cid) % 3}"
        assert history.history_count(s) == 50
    # A mailing neither reaches nor tries anyone.
    assert all(last(db, cid) == (None, None) for cid in ids)


def test_a_future_entry_is_logged_with_a_warning(db, people):
    result = log(db, contact_ids=[people[0]], at=NOW + timedelta(days=2))
    assert len(result.ids) == 1
    assert len(result.warnings) == 1 and "future" in result.warnings[0]
    assert "calendar" in result.warnings[0]
    # A few minutes ahead is a fast clock, not the future.
    assert history.validate_interaction(
        InteractionData(kind="Call", contact_ids=[1], at=NOW + timedelta(minutes=2))) == []


@pytest.mark.parametrize("data, field", [
    (InteractionData(kind="Call"), "contact_ids"),
    (InteractionData(kind="", contact_ids=[1]), "kind"),
    (InteractionData(kind="   ", contact_ids=[1]), "kind"),
    (InteractionData(kind="Call", contact_ids=[1], duration_min=-1), "duration_min"),
    (InteractionData(kind="Call", contact_ids=[1], duration_min=10**9), "duration_min"),
    (InteractionData(kind="Call", contact_ids=[1], subject="x" * 501), "subject"),
    (InteractionData(kind="Call", contact_ids=[1], direction="sideways"), "direction"),
    (InteractionData(kind="K" * 201, contact_ids=[1]), "kind"),
])
def test_validation_errors(data, field):
    with pytest.raises(ValidationError) as err:
        history.validate_interaction(data)
    assert [p.field for p in err.value.problems] == [field]
    assert err.value.message


def test_errors_write_nothing(db, people):
    with pytest.raises(ValidationError):
        log(db, kind="", contact_ids=[people[0]])
    with pytest.raises(NotFoundError, match="no contact 999"):
        log(db, contact_ids=[people[0], 999])
    trash_contacts(db, [people[1]])
    with pytest.raises(CrmdeskError, match="trash"):
        log(db, contact_ids=[people[1]])
    with db.reading() as s:
        assert history.history_count(s) == 0
    assert last(db, people[0]) == (None, None)


def test_hostile_text_is_kept_as_typed(db, people):
    subject = "'); DROP TABLE interaction;-- 💥 " + "ё" * 300
    details = "Ligne 1\nLine 2\x00 ☃ " + "長" * 2000
    result = log(db, kind="Robert'); DROP TABLE choice;--", subject=subject,
                 details=details, outcome="=cmd|' /C calc'!A0", contact_ids=[people[0]])
    with db.reading() as s:
        got = history.get_interaction(s, result.ids[0])
        assert got.subject == subject.strip() and len(got.subject) > 300
        assert got.details == details
        assert got.kind == "Robert'); DROP TABLE choice;--"
        assert got.outcome == "=cmd|' /C calc'!A0"
        assert [e.id for e in history.timeline(s, people[0], text="💥")] == result.ids
        assert [e.id for e in history.timeline(s, people[0], text="長長")] == result.ids


def test_a_subject_is_one_line(db, people):
    result = log(db, subject="  Call\nback \t later ", contact_ids=[people[0]])
    with db.reading() as s:
        assert history.get_interaction(s, result.ids[0]).subject == "Call back later"


def test_naive_times_are_local_and_stored_as_utc(db, people, monkeypatch):
    monkeypatch.setenv("TZ", "EET-2EEST,M3.5.0/3,M10.5.0/4")  # Vilnius, without tzdata
    time.tzset()
    try:
        result = log(db, contact_ids=[people[0]], at=datetime(2026, 1, 15, 9, 30))
        with db.reading() as s:
            stored = s.scalar(select(Contact.last_contact_at).where(Contact.id == people[0]))
            got = history.get_interaction(s, result.ids[0])
            entry = [e for e in history.timeline(s, people[0]) if e.editable][0]
        assert stored == datetime(2026, 1, 15, 7, 30)  # UTC
        assert got.at.replace(tzinfo=None) == datetime(2026, 1, 15, 9, 30)
        assert got.at.utcoffset() == timedelta(hours=2)
        assert entry.at == got.at
        # An aware time keeps its own zone on the way in.
        log(db, contact_ids=[people[1]], at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
        assert last(db, people[1])[0] == datetime(2026, 7, 1, 12, 0)
    finally:
        monkeypatch.undo()
        time.tzset()


# -- last contact, last attempt ------------------------------------------------------------


def test_reached_and_attempts(db, people):
    a = people[0]
    log(db, kind="Call", outcome="No answer", at=ago(days=5), contact_ids=[a])
    assert last(db, a) == (None, utc(ago(days=5)))
    log(db, kind="Meeting", at=ago(days=10), contact_ids=[a])  # no outcome: the kind says
    assert last(db, a) == (utc(ago(days=10)), utc(ago(days=5)))
    log(db, kind="Note", at=ago(days=1), contact_ids=[a])  # a note is neither
    assert last(db, a) == (utc(ago(days=10)), utc(ago(days=5)))
    log(db, kind="Note", outcome="Ordered", at=ago(days=2), contact_ids=[a])  # outcome rules
    assert last(db, a) == (utc(ago(days=2)), utc(ago(days=5)))
    log(db, kind="Call", outcome="Left message", at=ago(days=20), contact_ids=[a])
    assert last(db, a) == (utc(ago(days=2)), utc(ago(days=5)))  # older: changes nothing


def test_editing_the_outcome_recomputes(db, people):
    a = people[0]
    first = log(db, kind="Call", outcome="Reached", at=ago(days=3), contact_ids=[a]).ids[0]
    log(db, kind="Call", outcome="Reached", at=ago(days=9), contact_ids=[a])
    assert last(db, a) == (utc(ago(days=3)), None)
    with db.session() as s:
        data = history.get_interaction(s, first)
        data.outcome = "No answer"
        result = history.update_interaction(s, first, data)
    assert result.ids == [first] and result.contact_ids == [a]
    assert last(db, a) == (utc(ago(days=9)), utc(ago(days=3)))


def test_moving_an_entry_to_another_contact_recomputes_both(db, people):
    a, b = people[0], people[1]
    entry = log(db, kind="Meeting", at=ago(days=1), contact_ids=[a]).ids[0]
    with db.session() as s:
        data = history.get_interaction(s, entry)
        data.contact_ids = [b]
        data.company_id = None
        result = history.update_interaction(s, entry, data)
    assert set(result.contact_ids) == {a, b}
    assert last(db, a) == (None, None)
    assert last(db, b) == (utc(ago(days=1)), None)
    with db.reading() as s:
        assert history.get_interaction(s, entry).company_id is None  # b has no company


def test_deleting_an_entry_recomputes(db, people):
    a = people[0]
    older = log(db, kind="Call", at=ago(days=8), contact_ids=[a, people[1]]).ids[0]
    newer = log(db, kind="Call", at=ago(days=1), contact_ids=[a]).ids[0]
    with db.session() as s:
        result = history.delete_interaction(s, newer)
    assert result.contact_ids == [a]
    assert last(db, a) == (utc(ago(days=8)), None)
    with db.session() as s:
        history.delete_interaction(s, older)
    assert last(db, a) == (None, None) and last(db, people[1]) == (None, None)
    with db.session() as s, pytest.raises(NotFoundError):
        history.delete_interaction(s, older)


def test_changing_a_reached_flag_recomputes_everyone(db, people):
    log(db, kind="Call", outcome="Left message", at=ago(days=4), contact_ids=[people[0]])
    log(db, kind="Call", outcome="Left message", at=ago(days=6), contact_ids=[people[1]])
    assert last(db, people[0]) == (None, utc(ago(days=4)))
    with db.session() as s:
        left = choices.resolve_choice(s, OUTCOME, "Left message", create=False)
        assert choices.set_reached(s, left, True) is True
        assert choices.set_reached(s, left, True) is False  # nothing to change
    assert last(db, people[0]) == (utc(ago(days=4)), None)
    assert last(db, people[1]) == (utc(ago(days=6)), None)
    with db.session() as s:
        status = s.scalar(select(Choice.id).where(Choice.kind == "status"))
        with pytest.raises(CrmdeskError):
            choices.set_reached(s, status, True)


def test_recompute_for_everyone_is_the_same_as_for_each(db, people):
    log(db, kind="Call", outcome="No answer", at=ago(days=3), contact_ids=people)
    log(db, kind="E-mail", at=ago(days=2), contact_ids=people[:2])
    expected = [last(db, c) for c in people]
    with db.session() as s:
        s.execute(Contact.__table__.update().values(last_contact_at=None,
                                                    last_attempt_at=None))
        history.recompute_last(s)
    assert [last(db, c) for c in people] == expected
    assert expected[0] == (utc(ago(days=2)), utc(ago(days=3)))
    assert expected[2] == (None, utc(ago(days=3)))


def test_recompute_for_everyone_with_progress_goes_a_range_at_a_time(db, people,
                                                                      monkeypatch):
    from crmdesk.core.history import last_contact

    monkeypatch.setattr(last_contact, "EVERYONE_STEP", 2)
    log(db, kind="Call", outcome="No answer", at=ago(days=3), contact_ids=people)
    log(db, kind="E-mail", at=ago(days=2), contact_ids=people[:2])
    expected = [last(db, c) for c in people]
    reports: list[tuple[int, int]] = []
    with db.session() as s:
        s.execute(Contact.__table__.update().values(last_contact_at=None,
                                                    last_attempt_at=None))
        history.recompute_last(s, progress=lambda done, total: reports.append((done, total)))
    assert [last(db, c) for c in people] == expected
    n = len(people)
    assert reports[0] == (0, n) and reports[-1] == (n, n)
    assert [d for d, _t in reports] == sorted(d for d, _t in reports)


def test_a_cancelled_reached_tick_changes_nothing(db, people, monkeypatch):
    from crmdesk.core.history import last_contact

    monkeypatch.setattr(last_contact, "EVERYONE_STEP", 1)
    log(db, kind="Call", outcome="Left message", at=ago(days=4), contact_ids=people)
    before = [last(db, c) for c in people]

    class Stop(Exception):
        pass

    def cancel_halfway(done: int, total: int) -> None:
        if done >= total // 2 and done:
            raise Stop

    with pytest.raises(Stop), db.session() as s:
        left = choices.resolve_choice(s, OUTCOME, "Left message", create=False)
        choices.set_reached(s, left, True, progress=cancel_halfway)
    assert [last(db, c) for c in people] == before
    with db.reading() as s:
        left = choices.resolve_choice(s, OUTCOME, "Left message", create=False)
        assert s.get(Choice, left).reached is False


# -- the timeline --------------------------------------------------------------------------


def test_timeline_newest_first_with_status_changes(db, people):
    a = people[0]
    log(db, kind="Call", subject="First call", at=ago(days=30), contact_ids=[a])
    log(db, kind="Meeting", subject="Demo in Vilnius", at=ago(days=10), contact_ids=[a])
    data = get_contact(db, a)
    data.status = "Customer"
    update_contact(db, a, data)
    with db.reading() as s:
        entries = history.timeline(s, a)
    assert [e.subject for e in entries] == ["Lead → Customer", "— → Lead", "Demo in Vilnius",
                                            "First call"]
    change = entries[0]
    assert change.id is None and not change.editable
    assert change.kind == "Status change" and change.contacts == ["Мария Иванова"]
    assert change.at.tzinfo is not None
    assert all(e.editable and e.id for e in entries[2:])


def test_timeline_filters(db, people):
    a = people[0]
    log(db, kind="Call", subject="Ценовое предложение", at=ago(days=3), contact_ids=[a])
    log(db, kind="Meeting", subject="Žalgiris tickets", details="Two seats",
        at=ago(days=2), contact_ids=[a])
    log(db, kind="E-mail", subject="报价单", at=ago(days=1), contact_ids=[a])
    with db.reading() as s:
        def subjects(**kw):
            return [e.subject for e in history.timeline(s, a, **kw)]

        assert subjects(kind="meeting") == ["Žalgiris tickets"]
        assert subjects(text="ЦЕНОВОЕ") == ["Ценовое предложение"]
        assert subjects(text="zalgiris seats") == ["Žalgiris tickets"]  # subject + details
        assert subjects(text="报价") == ["报价单"]
        assert subjects(text="lead") == ["— → Lead"]  # status changes match too
        assert subjects(kind="status change") == ["— → Lead"]
        assert subjects(kind="Letter") == []
        with pytest.raises(NotFoundError):
            history.timeline(s, 999)


# -- trash and purge -----------------------------------------------------------------------


def test_purging_a_contact_keeps_shared_entries_and_drops_the_rest(db, people):
    a, b = people[1], people[2]  # neither has a company
    shared = log(db, kind="Meeting", at=ago(days=2), contact_ids=[a, b]).ids[0]
    alone = log(db, kind="Call", at=ago(days=1), contact_ids=[a]).ids[0]
    trash_contacts(db, [a])
    purge_contacts(db, [a])
    with db.reading() as s:
        assert history.get_interaction(s, shared).contact_ids == [b]
        with pytest.raises(NotFoundError):
            history.get_interaction(s, alone)
    with db.reading() as s:
        assert history.interactions_of(s, [a]) == []
    assert last(db, b) == (utc(ago(days=2)), None)


def test_an_entry_about_a_company_stays_until_the_company_goes(db, people):
    a = people[0]  # works at ООО Ромашка
    entry = log(db, kind="Call", contact_ids=[a]).ids[0]
    company = get_contact(db, a).company_id
    trash_contacts(db, [a])
    empty_trash(db)
    with db.reading() as s:
        kept = history.get_interaction(s, entry)
    assert kept.contact_ids == [] and kept.company_id == company
    trash_companies(db, [company])
    purge_companies(db, [company])
    assert db.execute_scalar("SELECT count(*) FROM interaction") == 0
