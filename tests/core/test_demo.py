"""The demo database looks like a real shop's contacts and behaves like typed-in ones."""

from __future__ import annotations

import random
import re
import shutil
from collections import Counter
from datetime import date, datetime

import phonenumbers
import pytest
from sqlalchemy import Integer, func, select

from crmdesk.core.contacts.records import get_contact, validate
from crmdesk.core.demo import generate
from crmdesk.core.demo.names import lt_female, lt_genitive, ru_female
from crmdesk.core.demo.places import phone_number
from crmdesk.core.demo.tables import CITIES
from crmdesk.core.history.records import InteractionData, log_interaction, recompute_last
from crmdesk.core.lookup.listing import contact_ids as search_contact_ids
from crmdesk.core.maintenance.check import check_database
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.models import (
    FAMILY_FIRST,
    Address,
    Choice,
    Company,
    Contact,
    Email,
    ImportantDate,
    Interaction,
    Link,
    Phone,
    Relative,
    SearchRow,
    StatusChange,
    Tag,
    contact_tag,
    interaction_contact,
)
from crmdesk.core.storage.settings import get_setting
from crmdesk.core.text.folding import fold, is_cjk

N = 300
TODAY = date(2026, 6, 15)
LT_LETTERS = set("ĄČĘĖĮŠŲŪŽąčęėįšųūž")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, migrated_template):
    path = tmp_path_factory.mktemp("demo") / "demo.crmdesk"
    shutil.copy(migrated_template, path)
    db = Database.open(path)
    assert generate(db, N, seed=3, today=TODAY) == N
    yield db
    db.close()


def contacts_by_country(db: Database) -> dict[str, list[Contact]]:
    with db.reading() as s:
        rows = s.execute(
            select(Contact, Address.country).join(Address, Address.contact_id == Contact.id)
        ).all()
        s.expunge_all()
    out: dict[str, list[Contact]] = {}
    for contact, country in rows:
        out.setdefault(country, []).append(contact)
    return out


def dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    tables = [Company, Contact, Phone, Email, Address, Link, ImportantDate, Relative,
              StatusChange, Tag, SearchRow, Interaction]
    with db.reading() as s:
        out = {m.__tablename__: [tuple(r) for r in s.execute(select(m.__table__))]
               for m in tables}
        out["contact_tag"] = [tuple(r) for r in s.execute(select(contact_tag))]
        out["interaction_contact"] = [tuple(r) for r in s.execute(select(interaction_contact))]
    return out


# -- how much, and of what --------------------------------------------------------------


def test_counts(demo_db):
    with demo_db.reading() as s:
        def count(model, *where):
            return s.scalar(select(func.count()).select_from(model).where(*where))

        assert count(Contact) == N
        assert count(Company) == -(-N // 8)
        assert count(SearchRow) == N
        assert count(Address, Address.contact_id.is_not(None)) == N  # one each, at home
        # Every contact has a phone; a primary one exactly once per owner.
        for model in (Phone, Email, Address):
            owners = s.execute(
                select(model.contact_id, func.sum(model.is_primary.cast(Integer)))
                .where(model.contact_id.is_not(None)).group_by(model.contact_id)).all()
            assert all(primaries == 1 for _cid, primaries in owners), model
        assert len({cid for cid, in s.execute(select(Phone.contact_id))} - {None}) == N
        with_company = count(Contact, Contact.company_id.is_not(None))
        assert 0.85 * N < with_company < N
        assert count(Link, Link.contact_id.is_not(None)) > 0
        assert count(ImportantDate) > 0 and count(Relative) > 0
        tags = Counter(s.scalars(select(Tag.name).join(contact_tag)))
        assert {"newsletter", "vip", "do-not-call", "trade-show-2026"} <= set(tags)
        assert tags["newsletter"] > tags["vip"]


def test_all_four_countries_in_their_own_scripts(demo_db):
    by_country = contacts_by_country(demo_db)
    assert set(by_country) == {"US", "RU", "LT", "CN"}
    for country, contacts in by_country.items():
        assert len(contacts) > N * 0.1, country
    names = {c: " ".join(x.display_name for x in cs) for c, cs in by_country.items()}
    assert re.search(r"[A-Za-z]", names["US"]) and not re.search("[а-яА-Я]", names["US"])
    assert re.search("[а-яА-ЯёЁ]", names["RU"])
    assert LT_LETTERS & set(names["LT"])
    assert all(is_cjk(ch) for ch in names["CN"].replace(" ", ""))


def test_chinese_names_are_family_first_without_a_space(demo_db):
    people = contacts_by_country(demo_db)["CN"]
    assert people
    for c in people:
        assert c.name_order == FAMILY_FIRST
        assert 1 <= len(c.family_name) <= 2 and 1 <= len(c.given_name) <= 2
        assert c.display_name == c.family_name + c.given_name  # "王小明"


def test_russians_have_patronymics_and_matching_family_names(demo_db):
    people = contacts_by_country(demo_db)["RU"]
    changing = 0  # family names that change with the sex (Иванов, Иванова; not Шевченко)
    for c in people:
        assert c.middle_name.endswith(("ич", "на")), c.middle_name
        female = c.middle_name.endswith("на")
        if c.family_name.endswith(("ов", "ова", "ев", "ева", "ин", "ина")):
            assert c.family_name.endswith("а") == female, c.display_name
            changing += 1
        assert c.display_name == f"{c.given_name} {c.middle_name} {c.family_name}"
    assert changing > len(people) / 2


def test_lithuanian_women_have_womens_family_names(demo_db):
    women = [c for c in contacts_by_country(demo_db)["LT"] if not c.given_name.endswith("s")]
    assert women
    for c in women:
        assert c.family_name.endswith(("ienė", "aitė", "ytė", "utė", "iūtė")), c.display_name


def test_addresses_are_in_the_contacts_own_country(demo_db):
    with demo_db.reading() as s:
        rows = s.execute(select(Address)).scalars().all()
        for a in rows:
            cities = {city.name: city for city in CITIES[a.country]}
            assert a.city in cities and a.region == cities[a.city].region
            assert a.street.strip()
            if a.country == "LT":
                assert re.fullmatch(r"LT-\d{5}", a.postcode)
            else:
                assert re.fullmatch(r"\d{5,6}", a.postcode)
                assert any(a.postcode.startswith(p) for p in cities[a.city].postcodes)


def test_a_company_named_after_a_city_is_in_that_city(tmp_path, new_db_file):
    with Database.open(new_db_file(tmp_path / "c.crmdesk")) as db:
        generate(db, 1600, seed=2, today=TODAY)
        with db.reading() as s:
            rows = s.execute(select(Company.name, Address.city)
                             .join(Address, Address.company_id == Company.id)).all()
    named = 0
    for name, city in rows:
        for c in CITIES["US"] + CITIES["CN"]:
            if name.startswith(c.name + " ") or (name.startswith(c.name[:-1])
                                                 and c.name.endswith("市")):
                assert city == c.name, name
                named += 1
    assert named > 5


# -- phones ------------------------------------------------------------------------


def test_phones_are_stored_with_their_e164_form(demo_db):
    with demo_db.reading() as s:
        region = get_setting(s, "phone_region")
        phones = s.execute(select(Phone.number, Phone.e164)).all()
    assert region == "US"  # the demo owner's numbers are typed without +1
    assert any(n.startswith("(") for n, _e in phones)  # "(212) 555-0143"
    assert any(n.startswith("+7 (") for n, _e in phones)  # "+7 (495) 123-45-67"
    assert any(n.startswith("+370 6") for n, _e in phones)  # "+370 612 34567"
    assert any(n.startswith("+86 1") for n, _e in phones)  # "+86 138 0013 8000"
    for number, e164 in phones:
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == e164
        assert phonenumbers.is_valid_number(parsed), number


@pytest.mark.parametrize("country", ["US", "RU", "LT", "CN"])
@pytest.mark.parametrize("home", ["US", "RU", "LT", "CN"])
def test_every_number_layout_reads_back_as_its_e164(country, home):
    rng = random.Random(country + home)
    for i in range(400):
        city = rng.choice(CITIES[country])
        typed, e164 = phone_number(rng, country, city, mobile=i % 2 == 0, home=home)
        parsed = phonenumbers.parse(typed, home)
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == e164
        assert phonenumbers.is_valid_number(parsed), typed
        assert typed.startswith("+") == (country != home)


# -- behaves like contacts typed in by hand ---------------------------------------------


def test_every_contact_is_found_by_a_fragment_of_its_name(demo_db):
    with demo_db.reading() as s:
        contacts = s.execute(select(Contact.id, Contact.family_name, Contact.given_name,
                                    Contact.name_order)).all()
        for cid, family, given, order in contacts:
            if order == FAMILY_FIRST:
                fragment = family + given[:1]  # 王小明 -> "王小"
            else:
                fragment = family[1:4].upper()  # from inside the word, in other case
            assert cid in search_contact_ids(s, fragment), (cid, fragment)


def test_search_finds_them_by_phone_digits_and_folded_letters(demo_db):
    with demo_db.reading() as s:
        cid, number = s.execute(
            select(Phone.contact_id, Phone.number)
            .where(Phone.number.like("+7 (%"), Phone.contact_id.is_not(None))
        ).first()
        digits = re.sub(r"\D", "", number)[-7:]
        assert cid in search_contact_ids(s, digits)
        lt = s.execute(select(Contact.id, Contact.family_name)
                       .where(Contact.family_name.like("%ė"))).first()
        assert lt is not None
        assert lt[0] in search_contact_ids(s, fold(lt[1]))  # "kazlauskiene"


def test_demo_contacts_load_and_validate_without_problems(demo_db):
    with demo_db.reading() as s:
        ids = list(s.scalars(select(Contact.id).order_by(Contact.id)))
        region = get_setting(s, "phone_region")
    for cid in random.Random(1).sample(ids, 80):
        data = get_contact(demo_db, cid)
        assert data.display_name == data.name()
        assert validate(data, region=region) == [], data.display_name
        assert data.addresses[0].country in {"US", "RU", "LT", "CN"}
        assert sum(p.primary for p in data.phones) == 1


def test_the_file_passes_a_deep_check(demo_db):
    report = check_database(demo_db, deep=True)
    assert report.ok, report.problems
    assert report.contacts == N


def test_history_and_dates_lie_in_the_past(demo_db):
    now = datetime(TODAY.year, TODAY.month, TODAY.day)
    with demo_db.reading() as s:
        for c in s.scalars(select(Contact)):
            assert c.created_at <= c.updated_at <= now
        last = {}
        for ch in s.scalars(select(StatusChange).order_by(StatusChange.id)):
            assert ch.changed_at <= now
            last[ch.contact_id] = ch.new_status_id
        with_status = dict(s.execute(select(Contact.id, Contact.status_id)
                                     .where(Contact.status_id.is_not(None))).all())
        assert last == with_status  # every status has its dated change, the last one wins
        years = [y for y, in s.execute(select(Contact.created_at))]
        assert min(years).year <= TODAY.year - 4  # spread over the years
        no_year = s.scalar(select(func.count()).select_from(Contact).where(
            Contact.birthday_month.is_not(None), Contact.birthday_year.is_(None)))
        assert no_year > 0


def test_assistants_link_to_a_colleague(demo_db):
    with demo_db.reading() as s:
        rows = s.execute(
            select(Relative.contact_id, Relative.related_contact_id)
            .where(Relative.related_contact_id.is_not(None))).all()
        company = dict(s.execute(select(Contact.id, Contact.company_id)).all())
    assert rows  # some assistants there are
    for cid, other in rows:
        assert other < cid and company[other] == company[cid]


# -- history ------------------------------------------------------------------------


def test_the_demo_has_a_believable_history(demo_db):
    with demo_db.reading() as s:
        entries = s.scalar(select(func.count()).select_from(Interaction))
        assert 1.8 * N < entries < 3.5 * N  # about 2.5 a contact
        per_contact = Counter(s.scalars(select(interaction_contact.c.contact_id)))
        assert max(per_contact.values()) <= 9  # 8 of their own, and a colleague's meeting
        kinds = Counter(dict(s.execute(
            select(Choice.name, func.count()).join(Interaction, Interaction.kind_id == Choice.id)
            .group_by(Choice.name)).all()))
        assert kinds["Call"] > kinds["E-mail"] > kinds["Meeting"] > kinds["Support request"] > 0
        assert kinds["Mailing"] == 0
        outcomes = set(s.scalars(select(Choice.name).join(
            Interaction, Interaction.outcome_id == Choice.id)))
        assert {"Reached", "No answer", "Ordered"} <= outcomes
        assert s.scalar(select(func.count()).select_from(Interaction).where(
            Interaction.duration_min.is_not(None))) > 0
        assert set(s.scalars(select(Interaction.direction).distinct())) == {"in", "out", ""}
        # Customers have talked with the owner more often than leads.
        status = {name: cid for cid, name in s.execute(select(Choice.id, Choice.name))}
        by_status: dict[object, list[int]] = {}
        for cid, st in s.execute(select(Contact.id, Contact.status_id)):
            by_status.setdefault(st, []).append(per_contact.get(cid, 0))

        def mean(name):
            counts = by_status[status[name]]
            return sum(counts) / len(counts)
        assert mean("Customer") > 1.8 * mean("Lead")


def test_every_entry_has_a_contact_and_lies_between_its_creation_and_today(demo_db):
    now = datetime(TODAY.year, TODAY.month, TODAY.day)
    with demo_db.reading() as s:
        links = s.execute(
            select(Interaction.id, Interaction.at, Interaction.company_id, Contact.created_at,
                   Contact.company_id)
            .join(interaction_contact, interaction_contact.c.interaction_id == Interaction.id)
            .join(Contact, Contact.id == interaction_contact.c.contact_id)).all()
        assert {i for i, *_rest in links} == set(s.scalars(select(Interaction.id)))
        for _iid, at, company, created, contact_company in links:
            assert created <= at < now
            assert company == contact_company  # the contact's company, or none


def test_last_contact_is_derived_from_the_history(demo_db):
    columns = (Contact.id, Contact.last_contact_at, Contact.last_attempt_at)
    with demo_db.reading() as s:
        stored = s.execute(select(*columns).order_by(Contact.id)).all()
        recompute_last(s)  # rolled back with the reading unit of work
        assert s.execute(select(*columns).order_by(Contact.id)).all() == stored
    assert sum(last is not None for _c, last, _a in stored) > N / 2
    assert any(attempt is not None for *_r, attempt in stored)


def test_subjects_are_in_the_contacts_own_language(demo_db):
    # A colleague who sat in works for the same company, in the same country.
    with demo_db.reading() as s:
        rows = s.execute(
            select(Address.country, Interaction.subject)
            .join(interaction_contact, interaction_contact.c.contact_id == Address.contact_id)
            .join(Interaction, Interaction.id == interaction_contact.c.interaction_id)).all()
    subjects: dict[str, str] = {}
    for country, subject in rows:
        assert subject.strip()
        subjects[country] = subjects.get(country, "") + " " + subject
    assert set(subjects) == {"US", "RU", "LT", "CN"}
    assert subjects["US"].isascii()
    assert re.search("[а-яА-ЯёЁ]", subjects["RU"])
    assert LT_LETTERS & set(subjects["LT"])
    assert any(is_cjk(ch) for ch in subjects["CN"])


def test_demo_entries_are_searchable_like_logged_ones(tmp_path, new_db_file):
    with Database.open(new_db_file(tmp_path / "h.crmdesk")) as db:
        generate(db, 60, seed=4, today=TODAY)
        with db.session() as s:
            subject, details, text, cid = s.execute(
                select(Interaction.subject, Interaction.details, Interaction.search_text,
                       interaction_contact.c.contact_id)
                .join(interaction_contact)
                .where(Interaction.details != "").order_by(Interaction.id)).first()
            logged = log_interaction(s, InteractionData(
                kind="Call", subject=subject, details=details, contact_ids=[cid],
                at=datetime(2026, 1, 5, 10, 0)))
            assert s.get(Interaction, logged.ids[0]).search_text == text
        assert check_database(db, deep=True).ok


# -- the same seed, the same file; cancel leaves nothing ---------------------------------


def test_same_seed_same_data_other_seed_other_data(tmp_path, new_db_file):
    dumps = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        with Database.open(new_db_file(tmp_path / f"{name}.crmdesk")) as db:
            generate(db, 120, seed=seed, today=TODAY)
            dumps.append(dump(db))
    assert dumps[0]["interaction"] and dumps[0]["interaction_contact"]
    assert dumps[0] == dumps[1]
    assert dumps[0]["contact"] != dumps[2]["contact"]
    assert dumps[0]["interaction"] != dumps[2]["interaction"]


def test_progress_is_reported_and_an_exception_cancels(tmp_path, new_db_file, monkeypatch):
    import crmdesk.core.demo as demo

    monkeypatch.setattr(demo, "BATCH", 100)  # batches of 5,000 in use; 100 here, to be quick
    seen: list[tuple[int, int]] = []
    with Database.open(new_db_file(tmp_path / "p.crmdesk")) as db:
        generate(db, 240, seed=1, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 240), (100, 240), (200, 240), (240, 240)]  # at the start, each batch

    def cancel(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    with Database.open(new_db_file(tmp_path / "c.crmdesk")) as db:
        with pytest.raises(KeyboardInterrupt):
            generate(db, 240, seed=1, progress=cancel)
        assert db.execute_scalar("SELECT count(*) FROM contact") == 0
        assert db.execute_scalar("SELECT count(*) FROM company") == 0
        assert db.execute_scalar("SELECT count(*) FROM search_row") == 0
        # Trying again on the same open file works.
        assert generate(db, 300, seed=1) == 300
        assert check_database(db).ok


def test_no_contacts_is_an_empty_demo(tmp_path, new_db_file):
    with Database.open(new_db_file(tmp_path / "e.crmdesk")) as db:
        assert generate(db, 0) == 0
        assert db.execute_scalar("SELECT count(*) FROM contact") == 0


# -- the grammar of names ----------------------------------------------------------


@pytest.mark.parametrize("male, female", [
    ("Иванов", "Иванова"), ("Чайковский", "Чайковская"), ("Толстой", "Толстая"),
    ("Пушкин", "Пушкина"), ("Шевченко", "Шевченко"),
])
def test_russian_womens_family_names(male, female):
    assert ru_female(male) == female


@pytest.mark.parametrize("male, wife, daughter, genitive", [
    ("Kazlauskas", "Kazlauskienė", "Kazlauskaitė", "Kazlausko"),
    ("Petraitis", "Petraitienė", "Petraitytė", "Petraičio"),
    ("Kairys", "Kairienė", "Kairytė", "Kairio"),
    ("Stankevičius", "Stankevičienė", "Stankevičiūtė", "Stankevičiaus"),
    ("Butkus", "Butkienė", "Butkutė", "Butkaus"),
    ("Nausėda", "Nausėdienė", "Nausėdaitė", "Nausėdos"),
])
def test_lithuanian_family_names(male, wife, daughter, genitive):
    assert lt_female(male, married=True) == wife
    assert lt_female(male, married=False) == daughter
    assert lt_genitive(male) == genitive
