"""The lookup builder's rows: read from every form of the language and written back as
text that finds the same contacts; what rows cannot show is said, never mangled."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_lookup import TODAY, build_crm

from crmdesk.core.fields import service as fields
from crmdesk.core.lookup import builder
from crmdesk.core.lookup.builder import (
    ALL,
    ANY,
    ANYWHERE,
    HAS,
    MISSING,
    NONE,
    NOT_ALL,
    Group,
    Operator,
    Row,
    blank_out,
    check,
    field_specs,
    from_text,
    normal,
    operator_label,
    operators,
    read,
    spec_for,
    to_text,
)
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.core.lookup.syntax import parse


def rows(text: str) -> Group:
    reading = from_text(text)
    assert reading.group is not None, reading.problem
    return reading.group


# (what a user types, its rows, the canonical text the builder writes)
FORMS = [
    ("", Group(), ""),
    ("ivanov", Group(ALL, (Row(ANYWHERE, ":", "ivanov"),)), "ivanov"),
    ('"ООО Ромашка"', Group(ALL, (Row(ANYWHERE, ":", "ООО Ромашка"),)), '"ООО Ромашка"'),
    ("-ivanov", Group(ALL, (Row(ANYWHERE, ":", "ivanov", True),)), "-ivanov"),
    ("tag:newsletter", Group(ALL, (Row("tag", ":", "newsletter"),)), "tag:newsletter"),
    ("city=Vilnius", Group(ALL, (Row("city", "=", "Vilnius"),)), "city=Vilnius"),
    ("city:Vilnius status:customer",
     Group(ALL, (Row("city", ":", "Vilnius"), Row("status", ":", "customer"))),
     "city:Vilnius status:customer"),
    ("city:Vilnius AND status:customer",
     Group(ALL, (Row("city", ":", "Vilnius"), Row("status", ":", "customer"))),
     "city:Vilnius status:customer"),
    ("status:lead OR status:prospect",
     Group(ANY, (Row("status", ":", "lead"), Row("status", ":", "prospect"))),
     "status:lead OR status:prospect"),
    ("-tag:do-not-call", Group(ALL, (Row("tag", ":", "do-not-call", True),)),
     "-tag:do-not-call"),
    ("NOT tag:do-not-call", Group(ALL, (Row("tag", ":", "do-not-call", True),)),
     "-tag:do-not-call"),
    ("--tag:x", Group(ALL, (Row("tag", ":", "x"),)), "tag:x"),
    ("last_contact<2026-06-01", Group(ALL, (Row("last_contact", "<", "2026-06-01"),)),
     "last_contact<2026-06-01"),
    ("last_contact<=2026-06", Group(ALL, (Row("last_contact", "<=", "2026-06"),)),
     "last_contact<=2026-06"),
    ("created>2025", Group(ALL, (Row("created", ">", "2025"),)), "created>2025"),
    ("fleet_size>=10", Group(ALL, (Row("fleet_size", ">=", "10"),)), "fleet_size>=10"),
    ("fleet_size=40", Group(ALL, (Row("fleet_size", "=", "40"),)), "fleet_size=40"),
    ("-fleet_size<10", Group(ALL, (Row("fleet_size", "<", "10", True),)), "-fleet_size<10"),
    ("budget>1000", Group(ALL, (Row("budget", ">", "1000"),)), "budget>1000"),
    ("birthday:this-month", Group(ALL, (Row("birthday", ":", "this-month"),)),
     "birthday:this-month"),
    ("created:last-30-days", Group(ALL, (Row("created", ":", "last-30-days"),)),
     "created:last-30-days"),
    ("has:email", Group(ALL, (Row("email", HAS),)), "has:email"),
    ("missing:address", Group(ALL, (Row("address", MISSING),)), "missing:address"),
    ("-has:email", Group(ALL, (Row("email", MISSING),)), "missing:email"),
    ("-missing:email", Group(ALL, (Row("email", HAS),)), "has:email"),
    ('trade_show:"Baltic Expo"', Group(ALL, (Row("trade_show", ":", "Baltic Expo"),)),
     'trade_show:"Baltic Expo"'),
    ("newsletter_ok:yes", Group(ALL, (Row("newsletter_ok", ":", "yes"),)),
     "newsletter_ok:yes"),
    ("phone:+7(495)123", Group(ALL, (Row("phone", ":", "+7(495)123"),)), "phone:+7(495)123"),
    ('notes:"say \\"hi\\""', Group(ALL, (Row("notes", ":", 'say "hi"'),)),
     'notes:"say \\"hi\\""'),
    ("city:Москва", Group(ALL, (Row("city", ":", "Москва"),)), "city:Москва"),
    ("city:北京 王", Group(ALL, (Row("city", ":", "北京"), Row(ANYWHERE, ":", "王"))),
     "city:北京 王"),
    ("a b OR c",
     Group(ANY, (Group(ALL, (Row(ANYWHERE, ":", "a"), Row(ANYWHERE, ":", "b"))),
                 Row(ANYWHERE, ":", "c"))),
     "a b OR c"),
    ("a (b OR c)",
     Group(ALL, (Row(ANYWHERE, ":", "a"),
                 Group(ANY, (Row(ANYWHERE, ":", "b"), Row(ANYWHERE, ":", "c"))))),
     "a (b OR c)"),
    ("a AND (b c)",
     Group(ALL, (Row(ANYWHERE, ":", "a"), Row(ANYWHERE, ":", "b"), Row(ANYWHERE, ":", "c"))),
     "a b c"),
    ("(a OR (b OR c))",
     Group(ANY, (Row(ANYWHERE, ":", "a"), Row(ANYWHERE, ":", "b"), Row(ANYWHERE, ":", "c"))),
     "a OR b OR c"),
    ("-(tag:a OR tag:b)",
     Group(ALL, (Group(NONE, (Row("tag", ":", "a"), Row("tag", ":", "b"))),)),
     "-(tag:a OR tag:b)"),
    ("-(tag:a tag:b) OR city:x",
     Group(ANY, (Group(NOT_ALL, (Row("tag", ":", "a"), Row("tag", ":", "b"))),
                 Row("city", ":", "x"))),
     "-(tag:a tag:b) OR city:x"),
    ('"OR" "(" "a:b"',
     Group(ALL, (Row(ANYWHERE, ":", "OR"), Row(ANYWHERE, ":", "("), Row(ANYWHERE, ":", "a:b"))),
     '"OR" "(" "a:b"'),
    ('city:""', Group(ALL, (Row("city", ":", ""),)), 'city:""'),
    ("дата_договора<2026-01-01", Group(ALL, (Row("дата_договора", "<", "2026-01-01"),)),
     "дата_договора<2026-01-01"),
    ("status:Customer city:Kaunas (last_contact<last-60-days OR missing:last_contact)",
     Group(ALL, (Row("status", ":", "Customer"), Row("city", ":", "Kaunas"),
                 Group(ANY, (Row("last_contact", "<", "last-60-days"),
                             Row("last_contact", MISSING))))),
     "status:Customer city:Kaunas (last_contact<last-60-days OR missing:last_contact)"),
]


@pytest.mark.parametrize("text, group, canonical", FORMS, ids=[f[0] or "empty" for f in FORMS])
def test_every_form_reads_as_rows_and_writes_back(text, group, canonical):
    assert rows(text) == group
    assert to_text(group) == canonical
    # The canonical text is the same query, and reads as the very same rows.
    assert parse(canonical) == parse(to_text(rows(text)))
    assert rows(canonical) == group


def test_every_operator_of_every_kind_round_trips():
    kinds = (builder.WORDS, builder.TEXT, builder.PHONE, builder.CHOICE, builder.TAG,
             builder.NUMBER, builder.MONEY, builder.DATE, builder.YES_NO)
    seen: set[tuple[str, bool]] = set()
    for kind in kinds:
        for op in operators(kind):
            key = ANYWHERE if kind == builder.WORDS else "somefield"
            row = Row(key, op.op, "Vilnius 5" if op.needs_value else "", op.negated)
            group = Group(ALL, (row,))
            assert rows(to_text(group)) == group, (kind, op)
            assert operator_label(kind, op)
            seen.add((op.op, op.negated))
    assert {o for o, _n in seen} == {":", "=", "<", "<=", ">", ">=", HAS, MISSING}


def test_labels_say_what_the_operator_does():
    assert operator_label(builder.TEXT, Operator(":")) == "contains"
    assert operator_label(builder.TEXT, Operator("=", True)) == "is not"
    assert operator_label(builder.CHOICE, Operator(":")) == "is"
    assert operator_label(builder.DATE, Operator("<")) == "is before"
    assert operator_label(builder.DATE, Operator(">=")) == "is on or after"
    assert operator_label(builder.NUMBER, Operator(">")) == "is more than"
    assert operator_label(builder.NUMBER, Operator("<", True)) == "not: is less than"
    assert operator_label(builder.TEXT, Operator(MISSING)) == "is empty"
    assert operator_label(builder.TEXT, Operator(HAS)) == "is not empty"
    assert [o.op for o in operators(builder.YES_NO)] == [":", MISSING, HAS]
    assert Operator(HAS).needs_value is False and Operator("<").needs_value


# -- what rows cannot show -------------------------------------------------------------


@pytest.mark.parametrize("text, where", [
    ("(status:lead", "never closed at position 1"),
    ("status:lead)", "no matching '(' at position 12"),
    ("status: lead", "A value is missing after 'status:' at position 1"),
    ("OR city:x", "OR needs something on both sides"),
    ("a >5", "comparison needs a field name"),
    ("has:", "A value is missing"),
    ("-", "Nothing follows the minus sign"),
])
def test_text_the_parser_refuses_is_reported_not_mangled(text, where):
    reading = from_text(text)
    assert reading.group is None
    assert where in reading.problem


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    from crmdesk.core.storage.database import Database

    database = Database.open(tmp_path_factory.mktemp("builder") / "crm.crmdesk")
    ids = build_crm(database)
    with database.session() as s:
        fields.add_field(s, "contact", "Дата договора", fields.DATE)
    yield database, ids
    database.close()


@pytest.fixture
def db(shared):
    return shared[0]


def test_fields_offer_their_kinds_choices_and_aliases(db):
    with db.reading() as s:
        specs = field_specs(s, CONTACT)
    by_key = {spec.key: spec for spec in specs}
    assert specs[0].key == ANYWHERE and specs[0].label == "Any field"
    assert by_key["city"].kind == builder.TEXT
    assert by_key["phone"].kind == builder.PHONE
    assert by_key["last_contact"].kind == builder.DATE
    assert by_key["birthday"].kind == builder.DATE
    assert by_key["status"].kind == builder.CHOICE
    assert {"Customer", "Lead", "Prospect"} <= set(by_key["status"].choices)
    assert by_key["tag"].kind == builder.TAG
    assert set(by_key["tag"].choices) == {"newsletter", "do-not-call"}
    assert by_key["fleet_size"].kind == builder.NUMBER
    assert by_key["budget"].kind == builder.MONEY
    assert by_key["renewal"].kind == builder.DATE
    assert by_key["newsletter_ok"].kind == builder.YES_NO
    assert by_key["newsletter_ok"].choices == ("yes", "no")
    assert by_key["trade_show"].choices == ("Baltic Expo", "CeBIT")
    assert by_key["depots"].label == "Depots (company)"
    cyrillic = [spec for spec in specs if spec.label == "Дата договора"]
    assert cyrillic and cyrillic[0].kind == builder.DATE and cyrillic[0].custom
    assert spec_for(specs, "дата_договора") == cyrillic[0]
    assert spec_for(specs, "nonesuch") is None
    # Built-in fields come before the user's own, each by label.
    labels = [spec.label for spec in specs if not spec.custom][1:]
    assert labels == sorted(labels, key=str.casefold)


def test_history_fields_have_their_own_lists(db):
    with db.reading() as s:
        by_key = {spec.key: spec for spec in field_specs(s, "history")}
    assert by_key["direction"].choices == ("in", "out")
    assert by_key["kind"].kind == builder.CHOICE and by_key["kind"].choices
    assert "at" not in by_key and by_key["date"].kind == builder.DATE


@pytest.mark.parametrize("text, problem", [
    ("nonesuch:x", "There is no field 'nonesuch'."),
    ("citi:Vilnius", "There is no field 'citi'. Did you mean city?"),
    ("city:Vilnius (status:lead OR colour:red)", "There is no field 'colour'."),
    ("status<lead", "Status cannot be compared with '<'."),
    ("city>5", "City cannot be compared with '>'."),
    ("newsletter_ok>yes", "Newsletter ok cannot be compared with '>'."),
])
def test_fields_rows_cannot_show_are_reported(db, text, problem):
    with db.reading() as s:
        reading = read(s, CONTACT, text)
    assert reading.group is None and reading.problem == problem


def test_what_rows_can_show_is_read(db):
    with db.reading() as s:
        reading = read(s, CONTACT, "дата_договора<2026 fleet_size>10 has:phone ivanov")
    assert reading.problem == "" and reading.group is not None
    with db.reading() as s:
        assert check(reading.group, field_specs(s, CONTACT)) == ""


# -- the same contacts ---------------------------------------------------------------------

SAME = [f[0] for f in FORMS if "дата" not in f[0] and "a:b" not in f[0]] + [
    "tag:newsletter -city:vilnius", "status:lead OR (tag:newsletter birthday:this-month)",
    "-(status:lead OR status:prospect) has:address", "fleet_size>5 OR budget<100",
    "trade_show:baltic OR newsletter_ok:no", "иванов OR 王", "-has:phone -missing:email",
]


@pytest.mark.parametrize("text", SAME)
def test_the_written_text_finds_the_same_contacts(db, text):
    written = to_text(rows(text))
    with db.reading() as s:
        try:
            before = find_ids(s, CONTACT, text, strict=True, today=TODAY)
        except Exception as exc:  # noqa: BLE001 - the text names fields build_crm lacks
            pytest.skip(f"not a lookup of this file: {exc}")
        after = find_ids(s, CONTACT, written, strict=True, today=TODAY)
    assert after == before


# -- structures clicked together --------------------------------------------------------

KEYS = st.sampled_from(["city", "status", "fleet_size", "last_contact", "tag",
                        "дата_договора", "合同"])
VALUES = st.text(min_size=1, max_size=12).filter(lambda v: "\x00" not in v)


@st.composite
def row_items(draw):
    if draw(st.booleans()):
        return Row(ANYWHERE, ":", draw(VALUES), draw(st.booleans()))
    key = draw(KEYS)
    op = draw(st.sampled_from([":", "=", "<", "<=", ">", ">=", HAS, MISSING]))
    value = "" if op in (HAS, MISSING) else draw(VALUES)
    return Row(key, op, value, draw(st.booleans()) if op not in (HAS, MISSING) else False)


groups = st.recursive(
    row_items(),
    lambda children: st.builds(Group, st.sampled_from([ALL, ANY, NONE, NOT_ALL]),
                               st.lists(children, max_size=4).map(tuple)),
    max_leaves=12,
).map(lambda item: item if isinstance(item, Group) else Group(ALL, (item,)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups)
def test_any_structure_written_reads_back_identical_once_normal(group):
    text = to_text(group)
    back = rows(text)
    assert back == normal(group)
    canonical = to_text(back)  # "--x" is written "x", "-has:x" "missing:x" ...
    assert rows(canonical) == back
    assert to_text(rows(canonical)) == canonical


@settings(max_examples=200, deadline=None)
@given(groups)
def test_blank_rows_are_left_out_while_the_user_works(group):
    cleaned = blank_out(group)
    text = to_text(cleaned)
    reading = from_text(text)
    assert reading.group is not None, (text, reading.problem)


def test_blank_rows_are_not_written():
    group = Group(ALL, (Row("city", ":", "Vilnius"), Row("status", ":", "  "),
                        Group(ANY, (Row("tag", ":", ""),)), Row("email", HAS)))
    assert to_text(blank_out(group)) == "city:Vilnius has:email"
    assert to_text(Group(ANY, ())) == ""


TOKENS = st.sampled_from(["ivanov", '"ООО Ромашка"', "city:Vilnius", "status:lead", "OR", "AND",
                          "NOT", "-", "(", ")", "has:email", "missing:phone", "tag:x",
                          "fleet_size>10", "王", "--city:x", 'a:"b c"', "last_contact<2026"])


@settings(max_examples=400, deadline=None)
@given(st.lists(TOKENS, max_size=10).map(" ".join))
def test_any_text_is_rows_exactly_when_it_parses(text):
    from crmdesk.core.errors import QuerySyntaxError

    reading = from_text(text)
    try:
        parse(text)
    except QuerySyntaxError as exc:
        assert reading.group is None and reading.problem == str(exc)
        return
    assert reading.group is not None
    canonical = to_text(reading.group)
    assert rows(canonical) == reading.group
    assert to_text(rows(canonical)) == canonical


FOUND_KEYS = st.sampled_from(["city", "status", "tag", "fleet_size", "email", "phone",
                              "notes", "trade_show", ANYWHERE])
FOUND_VALUES = st.sampled_from(["vilnius", "lead", "customer", "newsletter", "10", "jonas",
                                "Иванова", "王", "baltic"])


@st.composite
def found_rows(draw):
    key = draw(FOUND_KEYS)
    if key == ANYWHERE:
        return Row(key, ":", draw(FOUND_VALUES), draw(st.booleans()))
    if draw(st.integers(0, 4)) == 0:
        return Row(key, draw(st.sampled_from([HAS, MISSING])), "", draw(st.booleans()))
    op = ">" if key == "fleet_size" else draw(st.sampled_from([":", "="]))
    value = {"fleet_size": "10", "phone": draw(st.sampled_from(["495", "123-45-67"]))
             }.get(key) or draw(FOUND_VALUES)
    return Row(key, op, value, draw(st.booleans()))


found_groups = st.recursive(
    found_rows(),
    lambda children: st.builds(Group, st.sampled_from([ALL, ANY, NONE, NOT_ALL]),
                               st.lists(children, min_size=1, max_size=3).map(tuple)),
    max_leaves=6,
).map(lambda item: item if isinstance(item, Group) else Group(ALL, (item,)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(group=found_groups)
def test_what_any_structure_writes_finds_what_its_rows_find(db, group):
    """Written as clicked (``--x``, ``-has:x``, one-row groups ...) and written back from
    the rows the dialog would show: the same contacts."""
    text = to_text(group)
    again = to_text(rows(text))
    with db.reading() as s:
        assert find_ids(s, CONTACT, again, strict=True, today=TODAY) == \
            find_ids(s, CONTACT, text, strict=True, today=TODAY)
