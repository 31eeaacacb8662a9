"""The demo's records, made in memory: companies first, then contacts a batch at a time.

The maker never touches the database (the package's generate() reads what it
needs first and writes what the maker returns), so it can run on a helper
thread while SQLite indexes the previous batch, and one random.Random drawn in
one order makes the same file from the same seed. Companies come as rows (the
demo writes them itself); contacts come as ContactData records, which the bulk
contact service (contacts.bulk) stores as it stores any other: derived
columns, primary flags, tags, company links and search rows are its business.
What no ContactData holds comes as rows with each batch: the steps by which a
contact reached its status, and its history from history.py, made here with
the contact (it needs its country, status, company and colleagues).
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    DateData,
    EmailData,
    LinkData,
    PhoneData,
    RelativeData,
)
from crmdesk.core.demo.calendar import CalendarLists, CalendarMaker
from crmdesk.core.demo.history import HistoryLists, HistoryMaker
from crmdesk.core.demo.names import (
    ascii_word,
    domain_label,
    lt_female,
    lt_genitive,
    pools,
    ru_female,
)
from crmdesk.core.demo.places import Place, make_place, phone_number
from crmdesk.core.demo.tables import (
    CITIES,
    CN,
    CN_CITY_PREFIXES,
    CN_COMPANY_BRANDS,
    CN_COMPANY_FORMS,
    CN_COMPANY_TRADES,
    CN_NICKNAMES,
    COMPANY_TLD,
    COUNTRIES,
    DEPARTMENTS,
    FREE_MAIL,
    INDUSTRIES,
    JOB_TITLES,
    LT,
    LT_COMPANY_ADJ,
    LT_COMPANY_FORMS,
    LT_COMPANY_NOUNS,
    NOTES,
    RU,
    RU_COMPANY_FORMS,
    RU_COMPANY_WORDS,
    US,
    US_COMPANY_FORMS,
    US_COMPANY_WORDS,
    City,
)
from crmdesk.core.storage.models import FAMILY_FIRST, GIVEN_FIRST
from crmdesk.core.text.company_names import company_sort_key
from crmdesk.core.text.folding import display_name, fold

Row = dict[str, Any]
YEARS_OF_HISTORY = 6
PRIVATE_SHARE = 0.07  # contacts with no company: private customers
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# What a batch holds as rows; the demo writes them in this order (parents first).
TABLES = ("company", "phone", "email", "address", "link", "status", "interaction",
          "interaction_contact", "activity", "activity_contact")


@dataclass(frozen=True)
class Setup:
    """What the maker needs to know about the file, read before it starts."""

    seed: int
    today: date
    home: str  # the file's phone region: its numbers are typed without +code
    status_ids: list[int]
    status_names: list[str]
    status_cum: list[float]  # cumulative shares; past the end: no status
    status_paths: tuple[tuple[tuple[int, ...], ...], ...]  # per status: ways to reach it
    source_names: list[str]
    source_cum: list[float]
    tags: list[tuple[str, float]]  # (tag name, share of contacts)
    first_contact_id: int
    first_company_id: int
    company_keys: set[str]  # folded company names already in the file
    history: HistoryLists  # interaction kinds and outcomes (history.py)
    first_interaction_id: int
    calendar: CalendarLists | None = None  # activity kinds, zone (calendar.py); None: none


@dataclass
class Batch:
    """The ids of some contacts (or none, for companies) and rows that go with them."""

    ids: list[int]
    rows: dict[str, list[Row]] = field(default_factory=lambda: {k: [] for k in TABLES})


@dataclass
class _Firm:
    id: int
    name: str
    domain: str
    place: Place
    staff: list[tuple[int, str]]  # (contact id, display name): assistants come from here


def cumulative(shares: list[float] | tuple[float, ...]) -> list[float]:
    return list(itertools.accumulate(shares))


def _pick(rng: random.Random, cum: list[float]) -> int | None:
    """The index a random draw falls on, or None past the last share ("not set")."""
    i = bisect.bisect_right(cum, rng.random())
    return i if i < len(cum) else None


class Maker:
    def __init__(self, setup: Setup):
        self.setup = setup
        self.rng = random.Random(setup.seed)
        p = pools(setup.seed)
        self.names, self.ru_streets = p.names, p.ru_streets
        self.end = datetime(setup.today.year, setup.today.month, setup.today.day)
        self.start = self.end - timedelta(days=365 * YEARS_OF_HISTORY)
        self.countries = [c for c, _locale, _share in COUNTRIES]
        self.country_cum = cumulative([share for _c, _l, share in COUNTRIES])
        self.country_cum[-1] = 1.0
        self.next_contact = setup.first_contact_id
        self.next_company = setup.first_company_id
        self.company_keys = set(setup.company_keys)
        self.firms: dict[str, list[_Firm]] = {c: [] for c in self.countries}
        self.firm_cum: dict[str, list[float]] = {}
        self.created: list[datetime] = []
        self.history = HistoryMaker(setup.history, setup.seed, self.end,
                                    setup.first_interaction_id)
        self.calendar = None if setup.calendar is None else CalendarMaker(
            setup.calendar, setup.history, setup.seed, self.end)

    # -- time ------------------------------------------------------------------
    def moment(self) -> datetime:
        """A time in working hours on a day of the demo's history."""
        days = (self.end - self.start).days
        return self.start + timedelta(days=self.rng.randrange(days),
                                      seconds=self.rng.randrange(8 * 3600, 18 * 3600))

    def between(self, a: datetime, b: datetime) -> datetime:
        return (a + (b - a) * self.rng.random()).replace(microsecond=0)

    def plan(self, total: int) -> None:
        """Creation times for all contacts, in id order: the file grew over the
        years, faster lately (the square root puts more of them near the end)."""
        days = (self.end - self.start).days
        moments = sorted((int(days * self.rng.random() ** 0.5),
                          self.rng.randrange(8 * 3600, 18 * 3600)) for _ in range(total))
        self.created = [self.start + timedelta(days=d, seconds=s) for d, s in moments]
        self.created.reverse()  # popped from the end, oldest first

    # -- shared pieces -----------------------------------------------------------
    def address(self, place: Place, label: str) -> AddressData:
        return AddressData(street=place.street, city=place.city.name,
                           region=place.city.region, postcode=place.postcode,
                           country=place.country, label=label, primary=True)

    def phones(self, place: Place, kinds: list[tuple[str, bool]]) -> list[PhoneData]:
        """The first is the primary one; each carries its E.164 form (places.py)."""
        out = []
        for pos, (label, mobile) in enumerate(kinds):
            typed, e164 = phone_number(self.rng, place.country, place.city, mobile=mobile,
                                       home=self.setup.home)
            out.append(PhoneData(typed, label, pos == 0, e164))
        return out

    # -- companies ---------------------------------------------------------------
    def company_name(self, country: str) -> tuple[str, str, str, City | None]:
        """(a company name not in the file yet, its web domain, its industry, and the
        city it must be in when its name says so: "Chicago Electric Inc.")."""
        rng, names = self.rng, self.names[country]
        for attempt in itertools.count():
            r = rng.random()
            industry = ""
            syllables = False
            city: City | None = None
            if country == US:
                word, industry = rng.choice(US_COMPANY_WORDS)
                if r < 0.2:
                    core = name = f"{rng.choice(names.family)} & {rng.choice(names.family)}"
                    industry = ""
                else:
                    if r < 0.7:
                        first = rng.choice(names.family)
                    else:
                        city = rng.choice(CITIES[US])
                        first = city.name
                    core = f"{first} {word}"
                    name = f"{core} {rng.choice(US_COMPANY_FORMS)}"
            elif country == RU:
                if r < 0.85:
                    core = rng.choice(RU_COMPANY_WORDS)
                    if r >= 0.6:
                        core += "-" + rng.choice(RU_COMPANY_WORDS)
                    name = f"{rng.choice(RU_COMPANY_FORMS)} «{core}»"
                else:  # an individual entrepreneur: ИП Иванов А. С.
                    core = rng.choice(names.family)
                    name = (f"ИП {core} {rng.choice(names.given_m)[0]}. "
                            f"{rng.choice(names.middle_m)[0]}.")
            elif country == LT:
                noun, industry = rng.choice(LT_COMPANY_NOUNS)
                if r < 0.8:
                    owner = (rng.choice(LT_COMPANY_ADJ) if r < 0.5
                             else lt_genitive(rng.choice(names.family)))
                    core = f"{owner} {noun}"
                    name = f"{rng.choice(LT_COMPANY_FORMS)} „{core}“"
                else:  # a sole proprietorship: J. Petraičio IĮ
                    core = lt_genitive(rng.choice(names.family))
                    name = f"{rng.choice(names.given_m)[0]}. {core} IĮ"
                    industry = ""
            else:
                trade, industry = rng.choice(CN_COMPANY_TRADES)
                prefix = rng.choice(CN_CITY_PREFIXES)
                city = next((c for c in CITIES[CN] if c.name == prefix + "市"), None)
                core = prefix + rng.choice(CN_COMPANY_BRANDS)
                name = f"{core}{trade}{rng.choice(CN_COMPANY_FORMS)}"
                syllables = True
            if attempt >= 20:  # the combinations are used up: number the branches
                name = f"{name} {attempt - 18}"
            key = fold(name)
            if key not in self.company_keys:
                self.company_keys.add(key)
                domain = (domain_label(core, syllables=syllables) or "company") + \
                    COMPANY_TLD[country]
                return name, domain, industry or rng.choice(INDUSTRIES), city
        raise AssertionError("unreachable")

    def companies(self, count: int) -> Batch:
        """``count`` companies with their phones, address, e-mail and web site."""
        rng = self.rng
        batch = Batch([])
        rows = batch.rows
        for _ in range(count):
            cid = self.next_company
            self.next_company += 1
            country = self.countries[_pick(rng, self.country_cum) or 0]
            name, domain, industry, city = self.company_name(country)
            created = self.moment()
            place = make_place(rng, country, self.ru_streets, city)
            owner: Row = {"contact_id": None, "company_id": cid}
            rows["company"].append({
                "id": cid, "name": name, "name_key": fold(name), "sort_key": company_sort_key(name),
                "industry": industry,
                "notes": rng.choice(NOTES[country]) if rng.random() < 0.1 else "",
                "created_at": created, "updated_at": self.between(created, self.end),
                "deleted_at": None})
            kinds = [("work", False)] + ([("fax", False)] if rng.random() < 0.3 else [])
            rows["phone"] += [{**owner, "label": ph.label, "number": ph.number, "e164": ph.e164,
                               "is_primary": ph.primary, "position": pos}
                              for pos, ph in enumerate(self.phones(place, kinds))]
            ad = self.address(place, "work")
            rows["address"].append({**owner, "label": ad.label, "street": ad.street,
                                    "city": ad.city, "region": ad.region,
                                    "postcode": ad.postcode, "country": ad.country,
                                    "is_primary": True, "position": 0})
            if rng.random() < 0.6:
                rows["email"].append({**owner, "label": "work", "address": f"info@{domain}",
                                      "normalized": f"info@{domain}", "is_primary": True,
                                      "position": 0})
            if rng.random() < 0.7:
                rows["link"].append({**owner, "label": "website", "url": f"https://www.{domain}",
                                     "is_primary": True, "position": 0})
            self.firms[country].append(_Firm(cid, name, domain, place, []))
        for country, firms in self.firms.items():
            # A few big customers with many people, many small ones with one or two.
            self.firm_cum[country] = cumulative([rng.paretovariate(1.2) for _ in firms])
        return batch

    def firm_for(self, country: str) -> _Firm | None:
        firms = self.firms[country]
        if not firms or self.rng.random() < PRIVATE_SHARE:
            return None
        cum = self.firm_cum[country]
        return firms[bisect.bisect_left(cum, self.rng.random() * cum[-1])]

    # -- people ------------------------------------------------------------------
    def person(self, country: str, female: bool, *, married: bool) -> tuple[Row, str]:
        """Name parts of someone from ``country``, and the base form of their family name."""
        rng, names = self.rng, self.names[country]
        family = rng.choice(names.family)
        row: Row = {"prefix": "", "given_name": rng.choice(names.given_f if female
                                                            else names.given_m),
                    "middle_name": "", "family_name": family, "suffix": "", "nickname": "",
                    "name_order": GIVEN_FIRST}
        if country == US:
            r = rng.random()
            if r < 0.12:
                row["middle_name"] = rng.choice("ABCDEFGHJKLMNPRSTW") + "."
            if r > 0.97:
                row["prefix"] = "Dr."
            elif r > 0.955 and not female:
                row["suffix"] = "Jr."
        elif country == RU:
            row["middle_name"] = rng.choice(names.middle_f if female else names.middle_m)
            if female:
                row["family_name"] = ru_female(family)
        elif country == LT:
            if female:
                row["family_name"] = lt_female(family, married or rng.random() < 0.6)
        else:
            row["name_order"] = FAMILY_FIRST
            if rng.random() < 0.2:
                row["nickname"] = rng.choice(CN_NICKNAMES)
        return row, family

    def kin_name(self, country: str, family: str, female: bool, *, married: bool) -> str:
        """A relative's name; ``family`` in its base form, put into the right gender."""
        names = self.names[country]
        given = self.rng.choice(names.given_f if female else names.given_m)
        if female and country == RU:
            family = ru_female(family)
        elif female and country == LT:
            family = lt_female(family, married)
        return display_name(given=given, family=family, family_first=country == CN)

    def email_local(self, person: Row, *, work: bool) -> str:
        rng = self.rng
        given = ascii_word(person["given_name"]) or "info"
        family = ascii_word(person["family_name"]) or "mail"
        r = rng.random()
        if work:
            return f"{given}.{family}" if r < 0.6 else f"{given[0]}{family}" if r < 0.9 else given
        if r < 0.4:
            return f"{given}.{family}{rng.randrange(60, 100)}"
        return f"{family}{given[0]}" if r < 0.7 else f"{given}{family}{rng.randrange(1, 1000)}"

    def emails(self, country: str, person: Row, firm: _Firm | None) -> list[EmailData]:
        rng = self.rng
        r = rng.random()
        count = 0 if r < 0.2 else 1 if r < 0.75 else 2
        order = [True, False] if firm is not None and rng.random() < 0.7 else [False, True]
        out = []
        for pos, work in enumerate(order[:count]):
            if work and firm is not None:
                address = f"{self.email_local(person, work=True)}@{firm.domain}"
            else:
                domain = rng.choice(FREE_MAIL[country])
                local = (str(rng.randrange(10_000_000, 3_000_000_000)) if domain == "qq.com"
                         else self.email_local(person, work=False))
                address = f"{local}@{domain}"
            out.append(EmailData(address, "work" if work else "home", pos == 0))
        return out

    def profile(self, country: str, person: Row) -> LinkData:
        rng = self.rng
        given, family = ascii_word(person["given_name"]), ascii_word(person["family_name"])
        if country == RU:
            return LinkData(f"https://vk.com/{given}.{family}{rng.randrange(100)}", "VK", True)
        if country == CN:
            return LinkData(f"https://weibo.com/u/{rng.randrange(1_000_000_000, 7_999_999_999)}",
                            "Weibo", True)
        return LinkData(
            f"https://www.linkedin.com/in/{given}-{family}-{rng.randrange(16**6):06x}",
            "LinkedIn", True)

    def birthday(self) -> tuple[int | None, int | None, int | None]:
        rng = self.rng
        if rng.random() >= 0.65:
            return None, None, None
        year = self.setup.today.year - rng.randrange(23, 71) if rng.random() < 0.75 else None
        month = rng.randrange(1, 13)
        last = _MONTH_DAYS[month - 1] - (month == 2 and year is not None and year % 4 != 0)
        return year, month, rng.randrange(1, last + 1)

    def status_history(self, cid: int, status: int, created: datetime, updated: datetime,
                       out: list[Row]) -> None:
        """How the contact came to its status; the last change is the one it has now."""
        path = self.rng.choice(self.setup.status_paths[status])
        if updated == created:
            path = path[-1:]  # never edited since it was entered
        old: int | None = None
        when = created
        for step, pos in enumerate(path):
            if step:
                when = self.between(when, updated) if step < len(path) - 1 else updated
            new = self.setup.status_ids[pos]
            out.append({"contact_id": cid, "old_status_id": old, "new_status_id": new,
                        "changed_at": when})
            old = new

    def dates(self, country: str, created: datetime, out: list[DateData]) -> None:
        rng = self.rng
        labels = ["anniversary", "contract renewal"] + (["name day"] if country in (RU, LT)
                                                         else [])
        for label in rng.sample(labels, 1 + (rng.random() < 0.3)):
            month = rng.randrange(1, 13)
            day = rng.randrange(1, _MONTH_DAYS[month - 1] - (month == 2) + 1)
            year: int | None = None
            if label == "anniversary" and rng.random() < 0.7:
                year = rng.randrange(1985, self.setup.today.year)
            elif label == "contract renewal":
                year = created.year + 1
            out.append(DateData(label, month, day, year))

    def relatives(self, country: str, family: str, female: bool, married: bool,
                  firm: _Firm | None, out: list[RelativeData]) -> None:
        """A spouse and children by name; sometimes an assistant who is a contact too."""
        rng = self.rng
        # Chinese wives keep their own family name; the children take the father's.
        spouse_family = rng.choice(self.names[CN].family) if country == CN else family
        kids_family = spouse_family if country == CN and female else family
        found: list[tuple[str, str, int | None]] = []
        if married:
            found.append(("spouse", self.kin_name(country, spouse_family, not female,
                                                  married=True), None))
        for _ in range(rng.choice((0, 0, 1, 2) if married else (1, 1, 2))):
            found.append(("child", self.kin_name(country, kids_family, rng.random() < 0.5,
                                                 married=False), None))
        if firm is not None and firm.staff and rng.random() < 0.3:
            other, other_name = rng.choice(firm.staff)
            found.append(("assistant", other_name, other))
        for relation, name, other_id in found:
            out.append(RelativeData(relation, name, other_id))

    def contact(self, cid: int, batch: Batch) -> ContactData:
        """The next contact (after plan()), numbered ``cid``; the rows that belong to it
        (its status steps and history) are added to ``batch``."""
        created = self.created.pop()
        rng, setup, rows = self.rng, self.setup, batch.rows
        country = self.countries[_pick(rng, self.country_cum) or 0]
        female = rng.random() < 0.5
        has_relatives = rng.random() < 0.15
        married = has_relatives and rng.random() < 0.7
        person, family = self.person(country, female, married=married)
        firm = self.firm_for(country)
        updated = self.between(created, self.end) if rng.random() < 0.6 else created
        status = _pick(rng, setup.status_cum)
        source = _pick(rng, setup.source_cum)
        year, month, day = self.birthday()
        notes = ""
        if rng.random() < 0.3:
            notes = " ".join(rng.sample(NOTES[country], 1 + (rng.random() < 0.3)))
        data = ContactData(
            id=cid, **person, company=firm.name if firm else "",
            job_title=rng.choice(JOB_TITLES[country])[female] if firm else "",
            department=rng.choice(DEPARTMENTS[country]) if firm and rng.random() < 0.4 else "",
            birthday_year=year, birthday_month=month, birthday_day=day,
            status=setup.status_names[status] if status is not None else "",
            source=setup.source_names[source] if source is not None else "",
            notes=notes, created_at=created, updated_at=updated)
        # Reached at the company's address, or at home in their own country.
        at_work = firm is not None and rng.random() < 0.5
        place = firm.place if firm is not None and at_work else \
            make_place(rng, country, self.ru_streets)
        data.addresses.append(self.address(place, "work" if at_work else "home"))
        kinds = [("mobile", True), ("work", False)]
        if rng.random() < 0.3:
            kinds.reverse()
        data.phones = self.phones(place, kinds[: 1 + (rng.random() < 0.4)])
        data.emails = self.emails(country, person, firm)
        if rng.random() < 0.15:
            data.links.append(self.profile(country, person))
        data.tags = [name for name, share in setup.tags if rng.random() < share]
        if status is not None:
            self.status_history(cid, status, created, updated, rows["status"])
        if rng.random() < 0.12:
            self.dates(country, created, data.dates)
        if has_relatives:
            self.relatives(country, family, female, married, firm, data.relatives)
        entries, links = len(rows["interaction"]), len(rows["interaction_contact"])
        self.history.contact(cid, country, status, firm.id if firm else None,
                             firm.staff if firm else [], created, rows)
        if self.calendar is not None:
            self.calendar.contact(cid, country, status, firm.id if firm else None, rows,
                                  entries, links)
        if firm is not None:
            firm.staff.append((cid, data.name()))
        return data

    def batch(self, count: int) -> Batch:
        """The ids of the next ``count`` contacts, and a place for their rows: make
        each with contact()."""
        batch = Batch(list(range(self.next_contact, self.next_contact + count)))
        self.next_contact += count
        return batch
