"""Names for the demo: Faker's pools per country, and the grammar that goes with them.

Faker is asked once per seed for a pool of names per country (about 14,000
calls, well under a second) instead of once per field of every contact; the
maker combines the pools. Russian and Lithuanian family names change with
sex and marriage (Иванов, Иванова; Petraitis, Petraitienė, Petraitytė), so a
family's names are derived from one base form here rather than drawn from
separate lists that would give a husband and wife different names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from faker import Faker
from faker.decode import unidecode

from crmdesk.core.demo.tables import (
    CN,
    COUNTRIES,
    LT,
    LT_LAST_NAMES,
    RU,
    RU_COMMON_FATHERS,
    RU_COMMON_FEMALE,
    RU_COMMON_MALE,
    US,
)

# Entries per Faker pool: enough that names rarely repeat in combination.
POOL = 1000
# Share of Russians with one of the common names rather than Faker's rarer ones.
RU_COMMON_SHARE = 0.7
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Names:
    """A country's name pools; family names in the base (male) form."""

    given_m: tuple[str, ...]
    given_f: tuple[str, ...]
    family: tuple[str, ...]
    middle_m: tuple[str, ...] = ()
    middle_f: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pools:
    names: dict[str, Names]
    ru_streets: tuple[str, ...]


def _mix(rare: tuple[str, ...], common: tuple[str, ...]) -> tuple[str, ...]:
    """``rare`` with ``common`` repeated so that common names make RU_COMMON_SHARE."""
    repeat = round(len(rare) * RU_COMMON_SHARE / (1 - RU_COMMON_SHARE) / len(common))
    return rare + common * max(1, repeat)


@lru_cache(maxsize=2)
def pools(seed: int) -> Pools:
    """Faker's names per country (weighted as Faker weights them) and Russian streets."""

    def take(method: Callable[[], str], n: int = POOL) -> tuple[str, ...]:
        return tuple(method() for _ in range(n))

    fakes: dict[str, Faker] = {}
    for country, locale, _share in COUNTRIES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        fakes[country] = fake
    us, ru, lt, cn = fakes[US], fakes[RU], fakes[LT], fakes[CN]
    # Faker's Lithuanian first names are not split by sex; the ending tells
    # (Jonas, Vytautas; Eglė, Rūta).
    lt_given = take(lt.first_name)
    lt_family = tuple(n for n in take(lt.last_name, 300) if n != "Vsiliauskas") + LT_LAST_NAMES
    few = POOL * 3 // 10
    names = {
        US: Names(take(us.first_name_male), take(us.first_name_female), take(us.last_name)),
        RU: Names(_mix(take(ru.first_name_male, few), RU_COMMON_MALE),
                  _mix(take(ru.first_name_female, few), RU_COMMON_FEMALE),
                  take(ru.last_name_male),
                  _mix(take(ru.middle_name_male, few), tuple(m for m, _f in RU_COMMON_FATHERS)),
                  _mix(take(ru.middle_name_female, few),
                       tuple(f for _m, f in RU_COMMON_FATHERS))),
        LT: Names(tuple(n for n in lt_given if n.endswith("s")),
                  tuple(n for n in lt_given if not n.endswith("s")), lt_family),
        CN: Names(take(cn.first_name_male), take(cn.first_name_female), take(cn.last_name)),
    }
    return Pools(names, take(ru.street_name, 300))


def ru_female(family: str) -> str:
    """Иванов -> Иванова, Чайковский -> Чайковская; Шевченко stays Шевченко."""
    if family.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return family + "а"
    if family.endswith(("ий", "ый", "ой")):
        return family[:-2] + "ая"
    return family


def lt_female(family: str, married: bool) -> str:
    """Petraitis -> Petraitienė (a married woman) or Petraitytė (a maiden name)."""
    for ending, wife, daughter in (("ius", "ienė", "iūtė"), ("as", "ienė", "aitė"),
                                   ("is", "ienė", "ytė"), ("ys", "ienė", "ytė"),
                                   ("us", "ienė", "utė"), ("a", "ienė", "aitė")):
        if family.endswith(ending):
            return family[: -len(ending)] + (wife if married else daughter)
    return family


def lt_genitive(family: str) -> str:
    """Petraitis -> Petraičio, Kazlauskas -> Kazlausko: as in UAB „Petraičio baldai“."""
    for ending, genitive in (("tis", "čio"), ("dis", "džio"), ("ius", "iaus"), ("as", "o"),
                             ("is", "io"), ("ys", "io"), ("us", "aus"), ("a", "os"),
                             ("ė", "ės")):
        if family.endswith(ending):
            return family[: -len(ending)] + genitive
    return family


@lru_cache(maxsize=16384)
def ascii_word(text: str) -> str:
    """Latin letters and digits only, for e-mail addresses ("Щербаков" -> "shcherbakov",
    "小明" -> "xiaoming")."""
    return _NOT_ALNUM.sub("", unidecode(text).lower())


def domain_label(text: str, *, syllables: bool = False) -> str:
    """A domain-name label: "Vektor-Sibir" -> "vektor-sibir"; Chinese syllables
    run together as Chinese firms write them ("恒达" -> "hengda")."""
    if syllables:
        return ascii_word(text)[:40]
    return _NOT_ALNUM.sub("-", unidecode(text).lower()).strip("-")[:40].strip("-")
