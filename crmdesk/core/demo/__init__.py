"""A demo database: realistic contacts by the thousand, for trying crmdesk and timing it.

The GUI, the list models and the benchmarks need a file that looks like a real
small business's (people and companies from the US, Russia, Lithuania and
China, in their own scripts, phones written the local way) at the size where
slowness shows: 100,000 contacts, made in well under a minute. Faker per field
per record would take many minutes, so Faker fills name pools once
(names.py), small real tables supply what must agree (tables.py: city,
region, postcode, area code), and one random.Random(seed) combines them
(maker.py): the same seed gives the same file. Every contact comes with its
past calls, meetings and letters (history.py), and its last contact and last
attempt are derived from them at the end, as the history services would; some
of those calls were planned, and more are planned next (calendar.py).

The contacts go in through the bulk contact service (contacts.bulk), the same
fast path an import takes, so a demo contact is stored exactly as a typed-in
one (display name, sort key, primary flags, search row: `crmdesk check --deep`
finds them current). The demo adds what only it has: its companies with their
phones and addresses, each contact's steps to its status and its history,
written chunk by chunk after the contacts they belong to. It is all one
transaction, so a cancelled or failed demo leaves nothing behind.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from datetime import date
from typing import cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from crmdesk.core.activities import recurrence
from crmdesk.core.contacts.bulk import add_contacts, big_cache
from crmdesk.core.contacts.records import ContactData
from crmdesk.core.demo.calendar import calendar_lists
from crmdesk.core.demo.history import history_lists
from crmdesk.core.demo.maker import TABLES, Batch, Maker, Setup, cumulative
from crmdesk.core.demo.tables import (
    SOURCE_SHARES,
    STATUS_PATHS,
    STATUS_SHARES,
    TAGS,
    US,
)
from crmdesk.core.history.last_contact import recompute_last
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.defaults import DEFAULTS
from crmdesk.core.storage.models import (
    ACTIVITY_KIND,
    INTERACTION_KIND,
    OUTCOME,
    SOURCE,
    STATUS,
    Activity,
    Address,
    Base,
    Choice,
    Company,
    Contact,
    Email,
    Interaction,
    Link,
    Phone,
    StatusChange,
    Tag,
    activity_contact,
    interaction_contact,
)
from crmdesk.core.storage.raw_inserts import insert_rows
from crmdesk.core.storage.settings import get_setting, set_setting
from crmdesk.core.text.folding import fold

__all__ = ["generate"]

Progress = Callable[[int, int], None]

# Contacts made, written and indexed per step: bounds memory, paces the progress.
BATCH = 5000
CONTACTS_PER_COMPANY = 8
# The demo owner's own country: its numbers are typed without the country code.
HOME_REGION = US


def _table(model: type[Base]) -> Table:
    """The Core table of a mapped class."""
    return cast(Table, model.__table__)


_TABLES: dict[str, Table] = {
    "company": _table(Company), "phone": _table(Phone), "email": _table(Email),
    "address": _table(Address), "link": _table(Link), "status": _table(StatusChange),
    "interaction": _table(Interaction), "interaction_contact": interaction_contact,
    "activity": _table(Activity), "activity_contact": activity_contact}
assert tuple(_TABLES) == TABLES  # parents before children


def generate(db: Database, contacts: int = 1000, seed: int = 0,
             progress: Progress | None = None, *, today: date | None = None) -> int:
    """Fill ``db`` (a new file) with ``contacts`` demo contacts and their companies.

    ``progress(done, total)`` is called at the start and after every batch of
    contacts written and indexed; an exception from it cancels the demo, and
    the one transaction leaves the file as it was. Dates are spread over the
    years before ``today`` (default: the real today) so the demo always looks
    current; pass ``today`` to get the very same file on another day.
    Returns the number of contacts made.
    """
    if contacts < 0:
        raise ValueError("contacts must not be negative")
    with db.session() as s, big_cache(s):
        maker = Maker(_setup(s, seed, today or date.today()))
        _write(s, maker.companies(-(-contacts // CONTACTS_PER_COMPANY)))
        maker.plan(contacts)
        made: deque[Batch] = deque()

        def records() -> Iterator[ContactData]:
            # On the bulk service's helper thread, a batch ahead of the writing.
            for start in range(0, contacts, BATCH):
                batch = maker.batch(min(BATCH, contacts - start))
                made.append(batch)
                for cid in batch.ids:
                    yield maker.contact(cid, batch)

        def written(ids: list[int]) -> None:
            """The status steps and history of the batches whose contacts are in."""
            while made and made[0].ids[-1] <= ids[-1]:
                _write(s, made.popleft())

        # The maker numbers the contacts (an assistant points at a colleague made
        # just before), dates them in the past, and gives each its status steps.
        add_contacts(s, records(), checked=True, keep_ids=True, keep_dates=True,
                     status_changes=False, total=contacts, progress=progress,
                     after_chunk=written, chunk=BATCH, ahead=True)
        # One UPDATE for everyone, in the same transaction: the last contact and
        # last attempt exactly as logging each entry would have left them.
        recompute_last(s)
    return contacts


def _setup(s: Session, seed: int, today: date) -> Setup:
    """Everything the maker needs from the file: lists, tags, settings, free ids."""
    region = get_setting(s, "phone_region").upper()
    if not region:
        # US numbers are typed without +1, so the file must know it is American.
        set_setting(s, "phone_region", HOME_REGION)
        region = HOME_REGION

    def choices(kind: str) -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in s.execute(
            select(Choice.id, Choice.name)
            .where(Choice.kind == kind, Choice.archived.is_(False))
            .order_by(Choice.position, Choice.id))]

    def choice_ids(kind: str) -> list[int]:
        return [cid for cid, _name in choices(kind)]

    statuses, sources = choices(STATUS), choices(SOURCE)
    status_ids = [cid for cid, _name in statuses]
    source_ids = [cid for cid, _name in sources]
    default_statuses = len(status_ids) == len(DEFAULTS[STATUS])
    # The shares and the funnel paths fit the default lists; lists a user has
    # changed get even shares and no history before the current status.
    if default_statuses:
        status_cum, paths = cumulative(STATUS_SHARES), STATUS_PATHS
    else:
        status_cum = cumulative([0.9 / len(status_ids)] * len(status_ids)) if status_ids else []
        paths = tuple(((i,),) for i in range(len(status_ids)))
    if len(source_ids) == len(DEFAULTS[SOURCE]):
        source_cum = cumulative(SOURCE_SHARES)
    else:
        source_cum = cumulative([0.95 / len(source_ids)] * len(source_ids)) if source_ids else []
    return Setup(
        seed=seed, today=today, home=region,
        status_ids=status_ids, status_names=[name for _cid, name in statuses],
        status_cum=status_cum, status_paths=paths,
        source_names=[name for _cid, name in sources], source_cum=source_cum,
        tags=_tags(s, today),
        first_contact_id=(s.scalar(select(func.max(Contact.id))) or 0) + 1,
        first_company_id=(s.scalar(select(func.max(Company.id))) or 0) + 1,
        company_keys=set(s.scalars(select(Company.name_key))),
        history=history_lists(choice_ids(INTERACTION_KIND), choice_ids(OUTCOME),
                              default_statuses=default_statuses),
        first_interaction_id=(s.scalar(select(func.max(Interaction.id))) or 0) + 1,
        calendar=calendar_lists(choices(ACTIVITY_KIND), choices(OUTCOME),
                                recurrence.local_zone().key,
                                (s.scalar(select(func.max(Activity.id))) or 0) + 1),
    )


def _tags(s: Session, today: date) -> list[tuple[str, float]]:
    """The demo's tags (reusing any the file has), as (name, share of contacts)."""
    existing = set(s.scalars(select(Tag.key)))
    out: list[tuple[str, float]] = []
    for name, share in TAGS:
        name = name.format(year=today.year)
        key = fold(name)
        if key not in existing:
            s.execute(insert(Tag).values(name=name, key=key))
            existing.add(key)
        out.append((name, share))
    return out


def _write(s: Session, batch: Batch) -> None:
    """The batch's rows, table by table, each as one executemany."""
    for key, table in _TABLES.items():
        insert_rows(s, table, batch.rows[key])
