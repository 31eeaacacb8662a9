"""The tables of a crmdesk database file, as SQLAlchemy 2 typed models.

Kept portable (SQLite now, PostgreSQL for a shared office later): no
SQLite-only column types here; the full-text index lives in search.py behind
its own small interface. Phones, e-mails, addresses and links belong either to
a contact or to a company (exactly one of the two), so a company's switchboard
and a person's mobile share one table, one editor and one search path.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from crmdesk.core.text.company_names import company_sort_key

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


GIVEN_FIRST = "given_first"
FAMILY_FIRST = "family_first"

# Choice-list kinds: the drop-downs a user edits (Tools > Lists).
STATUS = "status"
SOURCE = "source"
INTERACTION_KIND = "interaction_kind"  # Call, Meeting, E-mail ... (history)
OUTCOME = "outcome"  # Reached, Left message, No answer ... (history)


class Choice(Base):
    """An entry of a user-editable drop-down list (status, lead source ...)."""

    __tablename__ = "choice"
    __table_args__ = (UniqueConstraint("kind", "name", name="kind_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(default=False)
    # Interaction kinds and outcomes only: an entry of this kind or outcome means
    # the person was reached (a call answered, a meeting held); see history_last.py.
    reached: Mapped[bool] = mapped_column(default=False, server_default=false())


contact_tag = Table(
    "contact_tag",
    Base.metadata,
    Column("contact_id", ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The folded name (see text.fold): "VIP" and "vip" are one tag.
    key: Mapped[str] = mapped_column(String(200), unique=True)


def _company_sort_default(context: Any) -> str:
    """A new company's sort key from its name, when whoever inserts it gives none."""
    return company_sort_key(context.get_current_parameters().get("name") or "")


class Company(Base):
    __tablename__ = "company"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    name_key: Mapped[str] = mapped_column(String(500), index=True, default="")
    # What the Companies list sorts by: the folded name without its legal form
    # (text.company_names: "UAB Žalgiris" sorts as "zalgiris"). name_key is the whole
    # folded name, by which a company is found and matched.
    sort_key: Mapped[str] = mapped_column(String(500), index=True, default=_company_sort_default,
                                          server_default="")
    industry: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    contacts: Mapped[list[Contact]] = relationship(back_populates="company")


class Contact(Base):
    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(100), default="")
    given_name: Mapped[str] = mapped_column(String(200), default="")
    middle_name: Mapped[str] = mapped_column(String(200), default="")  # or patronymic
    family_name: Mapped[str] = mapped_column(String(200), default="")
    suffix: Mapped[str] = mapped_column(String(100), default="")
    nickname: Mapped[str] = mapped_column(String(200), default="")
    name_order: Mapped[str] = mapped_column(String(20), default=GIVEN_FIRST)
    # What lists show and sort by; derived from the parts on every save.
    display_name: Mapped[str] = mapped_column(String(800), default="")
    sort_key: Mapped[str] = mapped_column(String(800), default="", index=True)

    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"), index=True
    )
    job_title: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(200), default="")

    birthday_year: Mapped[int | None] = mapped_column(Integer)
    birthday_month: Mapped[int | None] = mapped_column(Integer)
    birthday_day: Mapped[int | None] = mapped_column(Integer)

    status_id: Mapped[int | None] = mapped_column(
        ForeignKey("choice.id", ondelete="SET NULL"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("choice.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # Derived from the history (history_last.recompute_last), kept for lists,
    # sorting and lookups: the newest entry that reached the person, and the
    # newest that tried and did not. Indexed below with deleted_at and sort_key.
    last_contact_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)

    company: Mapped[Company | None] = relationship(back_populates="contacts")
    status: Mapped[Choice | None] = relationship(foreign_keys=[status_id])
    source: Mapped[Choice | None] = relationship(foreign_keys=[source_id])
    tags: Mapped[list[Tag]] = relationship(secondary=contact_tag)

    __table_args__ = (
        CheckConstraint(
            "name_order IN ('given_first', 'family_first')", name="name_order"
        ),
        CheckConstraint(
            "birthday_month IS NULL OR (birthday_month BETWEEN 1 AND 12)", name="bmonth"
        ),
        CheckConstraint("birthday_day IS NULL OR (birthday_day BETWEEN 1 AND 31)", name="bday"),
    )


_ONE_OWNER = "(contact_id IS NULL) <> (company_id IS NULL)"


class Phone(Base):
    __tablename__ = "phone"
    __table_args__ = (CheckConstraint(_ONE_OWNER, name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(100), default="")
    number: Mapped[str] = mapped_column(String(100))  # as typed
    e164: Mapped[str | None] = mapped_column(String(32), index=True)
    is_primary: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Email(Base):
    __tablename__ = "email"
    __table_args__ = (CheckConstraint(_ONE_OWNER, name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(320))
    # Lower-cased, IDNA-normalised form for duplicate checks and lookups.
    normalized: Mapped[str] = mapped_column(String(320), index=True, default="")
    is_primary: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Address(Base):
    __tablename__ = "address"
    __table_args__ = (CheckConstraint(_ONE_OWNER, name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(100), default="")
    street: Mapped[str] = mapped_column(Text, default="")  # one or more lines
    city: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(40), default="")
    country: Mapped[str] = mapped_column(String(2), default="")  # ISO 3166-1 alpha-2
    is_primary: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Link(Base):
    __tablename__ = "link"
    __table_args__ = (CheckConstraint(_ONE_OWNER, name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(100), default="")
    url: Mapped[str] = mapped_column(String(2000))
    is_primary: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ImportantDate(Base):
    """An anniversary, a name day, a contract renewal: a date that comes back."""

    __tablename__ = "important_date"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(100), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Relative(Base):
    """A spouse, a child, an assistant: a name, or a link to another contact."""

    __tablename__ = "relative"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[str] = mapped_column(String(100), default="")
    name: Mapped[str] = mapped_column(String(400), default="")
    related_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Photo(Base):
    """Kept apart from the contact row so that lists never read image bytes."""

    __tablename__ = "photo"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True
    )
    mime_type: Mapped[str] = mapped_column(String(100), default="image/jpeg")
    data: Mapped[bytes] = mapped_column(LargeBinary)


class StatusChange(Base):
    """Every change of a contact's status, dated: the sales funnel is built from these."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    old_status_id: Mapped[int | None] = mapped_column(ForeignKey("choice.id", ondelete="SET NULL"))
    new_status_id: Mapped[int | None] = mapped_column(ForeignKey("choice.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


interaction_contact = Table(
    "interaction_contact",
    Base.metadata,
    Column("interaction_id", ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True),
    # A contact's timeline starts here; the primary key serves an entry's contacts.
    Index("ix_interaction_contact_contact", "contact_id", "interaction_id"),
)


class Interaction(Base):
    """One entry of the history: a call, a meeting, a letter ... with one or more contacts.

    Kind and outcome are entries of user-editable lists (INTERACTION_KIND,
    OUTCOME); deleting a list entry leaves the history in place without it.
    ``search_text`` is text.fold(subject + details), so the History view's text
    filter is a plain substring test that behaves the same on any database.
    """

    __tablename__ = "interaction"
    __table_args__ = (
        CheckConstraint("direction IN ('in', 'out', '')", name="direction"),
        CheckConstraint("duration_min IS NULL OR duration_min >= 0", name="duration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind_id: Mapped[int | None] = mapped_column(
        ForeignKey("choice.id", ondelete="SET NULL"), index=True
    )
    direction: Mapped[str] = mapped_column(String(3), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    duration_min: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(500), default="")
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("choice.id", ondelete="SET NULL"), index=True
    )
    details: Mapped[str] = mapped_column(Text, default="")
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"), index=True
    )
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Setting(Base):
    """Settings that belong to the database file (not to the PC): default phone region ..."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


GROUP_LOOKUP = "lookup"  # a saved lookup: its members are whoever it finds now
GROUP_STATIC = "static"  # members added and removed by hand


class ContactGroup(Base):
    """A group in the navigation: a saved lookup, or a static group made by hand."""

    __tablename__ = "contact_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The folded name (text.fold): "Kaunas VIP" and "kaunas vip" are one group.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=GROUP_LOOKUP)
    query: Mapped[str] = mapped_column(Text, default="")  # the lookup text (lookup groups)
    position: Mapped[int] = mapped_column(Integer, default=0)  # the order in the navigation
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (CheckConstraint("kind IN ('lookup', 'static')", name="kind"),)


group_member = Table(
    "group_member",
    Base.metadata,
    Column("group_id", ForeignKey("contact_group.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)

IMPORT_ADDED = "added"
IMPORT_UPDATED = "updated"


class ImportBatch(Base):
    """One import (a file brought in), so that it can be listed and undone."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(1000), default="")  # the file's name
    file_format: Mapped[str] = mapped_column(String(20), default="")
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class ImportedContact(Base):
    """A contact an import added or updated; ``before`` holds (as JSON) what an
    update changed, so that undoing the import puts it back."""

    __tablename__ = "import_batch_contact"

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True, index=True)
    action: Mapped[str] = mapped_column(String(10), default=IMPORT_ADDED)
    before: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (CheckConstraint("action IN ('added', 'updated')", name="action"),)


class SearchRow(Base):
    """The folded text the search looks in, one row per contact (see search.py).

    ``name_text`` holds the name parts, ``body_text`` everything else; both are
    already folded in Python (text.fold), so search behaves the same whatever
    SQLite version, or database, is underneath.
    """

    __tablename__ = "search_row"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True
    )
    name_text: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")


Index("ix_contact_live_sort", Contact.deleted_at, Contact.sort_key)
# The list sorted by last contact (or attempt) walks one of these, ties by name
# included, instead of sorting 100,000 rows (listing.py); lookups such as
# last_contact<2026-06-01 search them by range.
Index("ix_contact_live_last_contact", Contact.deleted_at, Contact.last_contact_at,
      Contact.sort_key)
Index("ix_contact_live_last_attempt", Contact.deleted_at, Contact.last_attempt_at,
      Contact.sort_key)


# -- Calendar: activities (schema 7) --------------------------------------------------

ACTIVITY_KIND = "activity_kind"  # Call, Meeting, To-do ... (calendar)

activity_contact = Table(
    "activity_contact",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Activity(Base):
    """Something planned: a call, a meeting, a to-do; once, or as a series.

    Times are wall-clock times in the zone named by ``tz`` (``starts_at``,
    ``ends_at``), so a weekly 9:00 meeting stays at 9:00 across a DST change
    (activities/recurrence.py expands ``rrule`` there). ``starts_utc`` and
    ``last_utc`` (the end of the last occurrence, NULL for a series without
    end) are the same moments in naive UTC, for range queries. An occurrence
    of a series that was moved, edited or cleared is an activity of its own
    with ``parent_id`` and ``recurrence_at`` (RFC 5545's RECURRENCE-ID); a
    deleted one is an ActivitySkip.
    """

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("priority BETWEEN 0 AND 2", name="priority"),
        CheckConstraint("reminder_min IS NULL OR reminder_min >= 0", name="reminder"),
        CheckConstraint("state IN ('open', 'done', 'not_done')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind_id: Mapped[int | None] = mapped_column(
        ForeignKey("choice.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # wall time in ``tz``
    ends_at: Mapped[datetime | None] = mapped_column(DateTime)  # wall time in ``tz``
    all_day: Mapped[bool] = mapped_column(default=False)
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    starts_utc: Mapped[datetime] = mapped_column(DateTime, index=True)
    last_utc: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    location: Mapped[str] = mapped_column(String(500), default="")
    priority: Mapped[int] = mapped_column(Integer, default=1)  # 0 low, 1 normal, 2 high
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    reminder_min: Mapped[int | None] = mapped_column(Integer)  # None: no reminder
    # Reminders due at or before this (naive UTC) were seen; snoozed ones wait.
    reminded_utc: Mapped[datetime | None] = mapped_column(DateTime)
    snoozed_utc: Mapped[datetime | None] = mapped_column(DateTime)
    rrule: Mapped[str] = mapped_column(Text, default="")  # RFC 5545, without "RRULE:"
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    recurrence_at: Mapped[datetime | None] = mapped_column(DateTime)  # wall time
    state: Mapped[str] = mapped_column(String(10), default="open")
    result: Mapped[str] = mapped_column(String(200), default="")
    cleared_utc: Mapped[datetime | None] = mapped_column(DateTime)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# Birthdays on the calendar: a month view asks for each day's first few by name and
# how many (yearly.py), answered from this index alone (schema 8).
Index("ix_contact_birthday_list", Contact.birthday_month, Contact.birthday_day,
      Contact.display_name, Contact.deleted_at, Contact.birthday_year)
Index("ix_important_date_day", ImportantDate.month, ImportantDate.day)


class ActivitySkip(Base):
    """A deleted occurrence of a series (RFC 5545's EXDATE), by its wall time."""

    __tablename__ = "activity_skip"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True)
    occurrence_at: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
