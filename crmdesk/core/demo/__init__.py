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
attempt are derived from them at the end, as the history services would.

Rows go in with SQLAlchemy Core bulk INSERTs, all in one transaction, so a
cancelled or failed demo leaves nothing behind. The search rows are built by
search.build_rows, as for a contact typed in by hand (`crmdesk check --deep`
finds them current).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import date
from typing import cast

from sqlalchemy import Column, Integer, MetaData, Table, Text, delete, func, insert, select
from sqlalchemy.orm import Session

from crmdesk.core.demo.history import history_lists
from crmdesk.core.demo.maker import Batch, Maker, Setup, cumulative
from crmdesk.core.demo.tables import (
    SOURCE_SHARES,
    STATUS_PATHS,
    STATUS_SHARES,
    TAGS,
    US,
)
from crmdesk.core.history.last_contact import recompute_last
from crmdesk.core.search import fulltext as search
from crmdesk.core.storage.database import Database
from crmdesk.core.storage.defaults import DEFAULTS
from crmdesk.core.storage.models import (
    INTERACTION_KIND,
    OUTCOME,
    SOURCE,
    STATUS,
    Address,
    Base,
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
    """The Core table of a mapped class (what a Core INSERT wants; see _write)."""
    return cast(Table, model.__table__)


# Parents before children, so that every foreign key finds its row.
_WRITE_ORDER = (("company", _table(Company)), ("contact", _table(Contact)),
                ("phone", _table(Phone)), ("email", _table(Email)),
                ("address", _table(Address)), ("link", _table(Link)),
                ("status", _table(StatusChange)), ("date", _table(ImportantDate)),
                ("relative", _table(Relative)), ("tag", contact_tag),
                ("interaction", _table(Interaction)),
                ("interaction_contact", interaction_contact))

_STAGE = Table(
    "demo_search_stage", MetaData(),
    Column("contact_id", Integer, primary_key=True), Column("name_text", Text),
    Column("body_text", Text), prefixes=["TEMPORARY"],
)


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
    with db.session() as s, _big_cache(s), _staging(s) as stage, \
            ThreadPoolExecutor(1, thread_name_prefix="crmdesk-demo") as worker:
        maker = Maker(_setup(s, seed, today or date.today()))
        _write(s, maker.companies(-(-contacts // CONTACTS_PER_COMPANY)))
        maker.plan(contacts)
        if progress is not None:
            progress(0, contacts)
        sizes = iter([min(BATCH, contacts - start) for start in range(0, contacts, BATCH)])

        def make_next() -> Future[Batch] | None:
            size = next(sizes, 0)
            return worker.submit(maker.contacts, size) if size else None

        pending = make_next()
        done = 0
        while pending is not None:
            batch = pending.result()
            _write(s, batch)
            _stage_search_rows(s, stage, batch.ids)
            # The next batch is made while SQLite fills the full-text index with
            # this one: that is C code that lets go of the GIL, so both cores work.
            pending = make_next()
            _publish_search_rows(s, stage)
            done += len(batch.ids)
            if progress is not None:
                progress(done, contacts)
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

    def choice_ids(kind: str) -> list[int]:
        return list(s.scalars(select(Choice.id)
                              .where(Choice.kind == kind, Choice.archived.is_(False))
                              .order_by(Choice.position, Choice.id)))

    status_ids, source_ids = choice_ids(STATUS), choice_ids(SOURCE)
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
        seed=seed, today=today, collation=get_setting(s, "collation"), home=region,
        status_ids=status_ids, status_cum=status_cum, status_paths=paths,
        source_ids=source_ids, source_cum=source_cum, tags=_tags(s, today),
        first_contact_id=(s.scalar(select(func.max(Contact.id))) or 0) + 1,
        first_company_id=(s.scalar(select(func.max(Company.id))) or 0) + 1,
        company_keys=set(s.scalars(select(Company.name_key))),
        history=history_lists(choice_ids(INTERACTION_KIND), choice_ids(OUTCOME),
                              default_statuses=default_statuses),
        first_interaction_id=(s.scalar(select(func.max(Interaction.id))) or 0) + 1,
    )


def _tags(s: Session, today: date) -> list[tuple[int, float]]:
    """The demo's tags (reusing any the file has), as (id, share of contacts)."""
    existing: dict[str, int] = {k: i for k, i in s.execute(select(Tag.key, Tag.id))}
    next_id = (s.scalar(select(func.max(Tag.id))) or 0) + 1
    out: list[tuple[int, float]] = []
    for name, share in TAGS:
        name = name.format(year=today.year)
        key = fold(name)
        if key not in existing:
            s.execute(insert(_table(Tag)), [{"id": next_id, "name": name, "key": key}])
            existing[key] = next_id
            next_id += 1
        out.append((existing[key], share))
    return out


def _write(s: Session, batch: Batch) -> None:
    """Core INSERTs of the table, not the mapped class: the ORM's bulk path leaves
    None values out of each row and so splits a batch into thousands of small
    statements; Core sends each table's rows as one executemany."""
    for key, table in _WRITE_ORDER:
        rows = batch.rows[key]
        if rows:
            s.execute(insert(table), rows)


@contextmanager
def _staging(s: Session) -> Iterator[Table]:
    """A temporary table where a batch's search rows wait (see _publish_search_rows).

    The Python sqlite3 driver runs DDL outside the transaction, so a demo that
    failed may leave the (empty) table on its connection: reuse it then.
    """
    conn = s.connection()
    _STAGE.create(conn, checkfirst=True)
    s.execute(delete(_STAGE))
    try:
        yield _STAGE
    finally:
        with suppress(Exception):  # never hide the error that ended the demo
            _STAGE.drop(conn)


def _stage_search_rows(s: Session, stage: Table, ids: list[int]) -> None:
    rows = search.build_rows(s, ids)
    if rows:
        s.execute(insert(stage), rows)


def _publish_search_rows(s: Session, stage: Table) -> None:
    """Move the staged rows into search_row with one INSERT ... SELECT.

    Not search.refresh's executemany: the FTS5 index is kept by a trigger, and
    FTS5 writes out its pending terms at the end of every statement, so one
    statement per row indexes about 2.5 times slower than one per batch. The
    contacts are new, so there are no old rows to delete first.
    """
    columns = ["contact_id", "name_text", "body_text"]
    s.execute(insert(_table(SearchRow)).from_select(
        columns, select(*(stage.c[c] for c in columns))))
    s.execute(delete(stage))


@contextmanager
def _big_cache(s: Session) -> Iterator[None]:
    """A bigger SQLite page cache while the demo writes: the indexes on names,
    e-mails and phone numbers grow in random order, and with the default 2 MB
    SQLite keeps spilling pages to the WAL and reading them back."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size=-131072")  # KiB: 128 MB
    try:
        yield
    finally:
        with suppress(Exception):
            conn.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000):d}")
