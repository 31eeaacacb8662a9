"""Addresses and telephone numbers as each country writes them.

Kept as plain functions of a random.Random so that tests can check thousands
of them against phonenumbers without building a database: the E.164 form is
computed here from the same digits as the typed form, never parsed back (that
would cost more than all the rest of a contact).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from crmdesk.core.demo.tables import (
    CITIES,
    CN,
    CN_ROADS,
    LT,
    LT_STREETS,
    MOBILE_PREFIXES,
    POSTCODE_DIGITS,
    RU,
    US,
    US_SECOND_LINES,
    US_STREET_NAMES,
    US_STREET_TYPES,
    City,
)


@dataclass(frozen=True)
class Place:
    """Where someone is: what an Address row holds, and the city for area codes."""

    country: str
    city: City
    street: str
    postcode: str


def make_place(rng: random.Random, country: str, ru_streets: tuple[str, ...],
               city: City | None = None) -> Place:
    """A postal address in ``country``: street lines in the local layout, a real
    city with its region, a postcode with the city's leading digits."""
    city = city or rng.choice(CITIES[country])
    if country == US:
        street = (f"{rng.randrange(1, 9999)} {rng.choice(US_STREET_NAMES)} "
                  f"{rng.choice(US_STREET_TYPES)}")
        if rng.random() < 0.2:
            street += "\n" + rng.choice(US_SECOND_LINES).format(n=rng.randrange(1, 20))
    elif country == RU:
        street = f"{rng.choice(ru_streets)}, д. {rng.randrange(1, 150)}"
        if rng.random() < 0.6:
            street += f", кв. {rng.randrange(1, 300)}"
    elif country == LT:
        street = f"{rng.choice(LT_STREETS)} {rng.randrange(1, 150)}"
        if rng.random() < 0.5:
            street += f"-{rng.randrange(1, 120)}"
    else:
        street = f"{rng.choice(city.districts)}{rng.choice(CN_ROADS)}{rng.randrange(1, 999)}号"
        if rng.random() < 0.5:
            street += f"{rng.randrange(1, 20)}栋{rng.randrange(1, 30)}{rng.randrange(1, 12):02d}室"
    prefix = rng.choice(city.postcodes)
    rest = POSTCODE_DIGITS[country] - len(prefix)
    postcode = prefix + f"{rng.randrange(10**rest):0{rest}d}"
    if country == LT:
        postcode = "LT-" + postcode
    return Place(country, city, street, postcode)


def phone_number(rng: random.Random, country: str, city: City, *, mobile: bool,
                 home: str) -> tuple[str, str]:
    """(the number as the owner would type it, its E.164 form).

    Numbers of the owner's own country (``home``) are written the national way
    ("(212) 555-0143", "8 (495) 123-45-67"), all others with their country code
    ("+370 612 34567", "+86 138 0013 8000"), each in the layout usual there.
    Landlines get the area code of ``city``.
    """
    national = country == home
    if country == US:
        area = rng.choice(city.area_codes)
        exchange = str(rng.randrange(200, 1000))
        if exchange.endswith("11"):  # N11 codes are service numbers (411, 911)
            exchange = exchange[0] + "55"
        line = f"{rng.randrange(10000):04d}"
        typed = f"({area}) {exchange}-{line}" if national else f"+1 {area}-{exchange}-{line}"
        return typed, f"+1{area}{exchange}{line}"
    if country == RU:
        area = rng.choice(MOBILE_PREFIXES[RU] if mobile else city.area_codes)
        sub = str(rng.randrange(2_000_000, 10_000_000))
        typed = f"{'8' if national else '+7'} ({area}) {sub[:3]}-{sub[3:5]}-{sub[5:]}"
        return typed, f"+7{area}{sub}"
    if country == LT:
        trunk = "8" if national else "+370"
        if mobile:
            digits = rng.choice(MOBILE_PREFIXES[LT]) + f"{rng.randrange(1_000_000):06d}"
            typed = f"{trunk} {digits[:3]} {digits[3:]}"
        else:
            # Eight digits in all: Vilnius 5 + 7, Kaunas 37 + 6, Alytus 315 + 5;
            # Vilnius numbers all begin 5 2.
            area = city.area_codes[0]
            width = 7 - len(area)
            first = "2" if len(area) == 1 else str(rng.randrange(2, 8))
            sub = first + f"{rng.randrange(10**width):0{width}d}"
            digits = area + sub
            typed = (f"{trunk} {area} {sub[:3]} {sub[3:]}" if len(area) == 1
                     else f"{trunk} {area} {sub}")
        return typed, f"+370{digits}"
    if country == CN:
        if mobile:
            area = rng.choice(MOBILE_PREFIXES[CN])
            sub = f"{rng.randrange(100_000_000):08d}"
        else:
            area = rng.choice(city.area_codes)
            sub = str(rng.randrange(20_000_000, 90_000_000))
        prefix = ("" if mobile else "0") if national else "+86 "
        return f"{prefix}{area} {sub[:4]} {sub[4:]}", f"+86{area}{sub}"
    raise ValueError(f"no phone layout for {country}")
