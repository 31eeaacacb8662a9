"""The tables behind custom fields: definitions, sections, options, and values.

A user's field never becomes a column or a table: its definition is a row of
``field_def`` and every value a row of ``field_value`` (the beets "flexible
attributes" idea, beetbox/beets beets/dbcore/db.py), so adding a field is an
INSERT, never an ALTER TABLE, and no field name ever reaches SQL text.

A value row has one typed column per kind of value, so that SQLite compares
and sorts numbers as numbers and dates as dates, each with an index that
starts with ``field_id`` (a lookup or a sort on one field at 100,000 contacts
is an index range scan, not a table scan). The typed indexes end with
``contact_id`` so that a lookup never has to visit the table rows at all.

- ``value_text`` keeps text as typed, and for numbers and money the exact
  decimal ("1234.50": a float would round it); ``value_key`` is the folded form
  (text.fold) that lookups and sorting compare, because SQLite's lower() folds
  ASCII only.
- Drop-down and multi-choice values point at ``field_option`` rows, so
  renaming an option renames it in every record at once; a multi-choice value
  is one row per chosen option (``seq`` 0, 1, 2 ...), so "has this option" is
  an index lookup.
- ``raw`` keeps, as text, a value that did not convert when its field changed
  type (or an import brought something the type does not accept): nothing a
  user typed is thrown away, and it can be listed and fixed later.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from crmdesk.core.storage.models import Base, utcnow

# The field types. The strings are stored in field_def.type: never rename one.
TEXT = "text"
LONG_TEXT = "long_text"
NUMBER = "number"
MONEY = "money"
DATE = "date"
YES_NO = "yes_no"
CHOICE = "choice"  # a drop-down: one option
MULTI_CHOICE = "multi_choice"
PHONE = "phone"
EMAIL = "email"
URL = "url"

FIELD_TYPES = (TEXT, LONG_TEXT, NUMBER, MONEY, DATE, YES_NO, CHOICE, MULTI_CHOICE, PHONE,
               EMAIL, URL)
# Types whose values are words: they go into the full-text search.
TEXT_LIKE = frozenset({TEXT, LONG_TEXT, CHOICE, MULTI_CHOICE, PHONE, EMAIL, URL})
NUMERIC = frozenset({NUMBER, MONEY})
WITH_OPTIONS = frozenset({CHOICE, MULTI_CHOICE})
# Types that can carry a pattern and a maximum length.
PATTERNED = frozenset({TEXT, LONG_TEXT, PHONE, EMAIL, URL})

CONTACT = "contact"
COMPANY = "company"
ENTITIES = (CONTACT, COMPANY)


class FieldSection(Base):
    """A group of fields: a tab or a group box on the form."""

    __tablename__ = "field_section"
    __table_args__ = (CheckConstraint("entity IN ('contact', 'company')", name="entity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)


class FieldDef(Base):
    """One user-defined field of contacts or of companies.

    ``key`` is the stable name used by lookups, exports and imports; the label
    can change at will. Limits are stored as canonical text ("12.5",
    "2026-06-01") and read with the field's type, so one pair of columns
    serves numbers, money and dates alike.
    """

    __tablename__ = "field_def"
    __table_args__ = (
        UniqueConstraint("entity", "key", name="entity_key"),
        CheckConstraint("entity IN ('contact', 'company')", name="entity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    help: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    default_value: Mapped[str | None] = mapped_column(Text)
    min_value: Mapped[str | None] = mapped_column(String(40))
    max_value: Mapped[str | None] = mapped_column(String(40))
    pattern: Mapped[str | None] = mapped_column(String(500))
    max_length: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="")
    decimals: Mapped[int | None] = mapped_column(Integer)
    calendar_yearly: Mapped[bool] = mapped_column(Boolean, default=False)
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("field_section.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FieldOption(Base):
    """An entry of a drop-down or multi-choice field; values point at its id."""

    __tablename__ = "field_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(
        ForeignKey("field_def.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class FieldValue(Base):
    """One value of one custom field of one contact or company (see the module doc)."""

    __tablename__ = "field_value"
    __table_args__ = (
        CheckConstraint("(contact_id IS NULL) <> (company_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("field_def.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE")
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer, default=0)
    value_text: Mapped[str | None] = mapped_column(Text)
    value_key: Mapped[str | None] = mapped_column(Text)
    value_num: Mapped[float | None] = mapped_column(Float)
    value_date: Mapped[date | None] = mapped_column(Date)
    value_bool: Mapped[bool | None] = mapped_column(Boolean)
    # No ON DELETE: an option with values is never deleted behind their back
    # (fields.remove_option first turns them into kept text).
    option_id: Mapped[int | None] = mapped_column(ForeignKey("field_option.id"))
    raw: Mapped[str | None] = mapped_column(Text)


# One row per (owner, field, seq); also what loading one record's values walks.
Index("ix_field_value_contact", FieldValue.contact_id, FieldValue.field_id, FieldValue.seq,
      unique=True)
Index("ix_field_value_company", FieldValue.company_id, FieldValue.field_id, FieldValue.seq,
      unique=True)
# Lookups and sorts by one field: covering indexes (they end with the owner).
Index("ix_field_value_num", FieldValue.field_id, FieldValue.value_num, FieldValue.contact_id)
Index("ix_field_value_date", FieldValue.field_id, FieldValue.value_date, FieldValue.contact_id)
Index("ix_field_value_text", FieldValue.field_id, FieldValue.value_key, FieldValue.contact_id)
Index("ix_field_value_option", FieldValue.option_id, FieldValue.contact_id)
