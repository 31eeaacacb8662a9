"""The one description of custom fields that every part of crmdesk reads.

Forms, list columns, lookups, exports, imports, labels and reports all ask
``describe_fields`` what fields there are and get plain frozen FieldInfo
records back, never ORM objects, so a view can keep them across units of work.
The description is read with two queries and cached on the session (in
``session.info``), so opening a record costs one more query for its values
however many fields are defined; every service that changes a definition
drops the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from crmdesk.core.i18n import _
from crmdesk.core.storage.field_models import (
    CHOICE as CHOICE,
)
from crmdesk.core.storage.field_models import (
    COMPANY,
    CONTACT,
    ENTITIES,
)
from crmdesk.core.storage.field_models import (
    DATE as DATE,
)
from crmdesk.core.storage.field_models import (
    EMAIL as EMAIL,
)
from crmdesk.core.storage.field_models import (
    FIELD_TYPES as FIELD_TYPES,
)
from crmdesk.core.storage.field_models import (
    LONG_TEXT as LONG_TEXT,
)
from crmdesk.core.storage.field_models import (
    MONEY as MONEY,
)
from crmdesk.core.storage.field_models import (
    MULTI_CHOICE as MULTI_CHOICE,
)
from crmdesk.core.storage.field_models import (
    NUMBER as NUMBER,
)
from crmdesk.core.storage.field_models import (
    NUMERIC as NUMERIC,
)
from crmdesk.core.storage.field_models import (
    PATTERNED as PATTERNED,
)
from crmdesk.core.storage.field_models import (
    PHONE as PHONE,
)
from crmdesk.core.storage.field_models import (  # the type names live with the table
    TEXT as TEXT,
)
from crmdesk.core.storage.field_models import (
    TEXT_LIKE as TEXT_LIKE,
)
from crmdesk.core.storage.field_models import (
    URL as URL,
)
from crmdesk.core.storage.field_models import (
    WITH_OPTIONS as WITH_OPTIONS,
)
from crmdesk.core.storage.field_models import (
    YES_NO as YES_NO,
)

# Called when shown, so that a change of language shows at once.
TYPE_LABELS: dict[str, Callable[[], str]] = {
    TEXT: lambda: _("Text"),
    LONG_TEXT: lambda: _("Long text"),
    NUMBER: lambda: _("Number"),
    MONEY: lambda: _("Money"),
    DATE: lambda: _("Date"),
    YES_NO: lambda: _("Yes/no"),
    CHOICE: lambda: _("Drop-down list"),
    MULTI_CHOICE: lambda: _("Multiple choice"),
    PHONE: lambda: _("Phone"),
    EMAIL: lambda: _("E-mail"),
    URL: lambda: _("Web address"),
}


@dataclass(frozen=True)
class OptionInfo:
    id: int
    label: str
    position: int
    archived: bool = False


@dataclass(frozen=True)
class SectionInfo:
    id: int
    entity: str
    name: str
    position: int


@dataclass(frozen=True)
class FieldInfo:
    """Everything known about one custom field, as plain data.

    ``default``, ``min_value`` and ``max_value`` are already typed (Decimal for
    numbers and money, date for dates). ``options`` holds archived options too
    (values may still use them); ``active_options`` is what a drop-down offers.
    """

    id: int
    entity: str
    key: str
    label: str
    type: str
    help: str = ""
    required: bool = False
    default: Any = None
    min_value: Decimal | date | None = None
    max_value: Decimal | date | None = None
    pattern: str | None = None
    max_length: int | None = None
    currency: str = ""
    decimals: int | None = None
    calendar_yearly: bool = False
    options: tuple[OptionInfo, ...] = ()
    section_id: int | None = None
    section: str = ""
    position: int = 0
    archived: bool = False

    @property
    def text_like(self) -> bool:
        return self.type in TEXT_LIKE

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]()

    @property
    def active_options(self) -> tuple[OptionInfo, ...]:
        return tuple(o for o in self.options if not o.archived)

    def option_label(self, option_id: int | None) -> str | None:
        for o in self.options:
            if o.id == option_id:
                return o.label
        return None


@dataclass(frozen=True)
class Unconverted:
    """A kept value the field's type cannot hold (after a change of type, or an import).

    Forms show it for the user to fix; exports write it as it is; lookups on
    the field's type do not match it (``has:`` does).
    """

    raw: str

    def __str__(self) -> str:
        return self.raw


def check_entity(entity: str) -> str:
    if entity not in ENTITIES:
        raise ValueError(f"unknown entity {entity!r}; use {CONTACT!r} or {COMPANY!r}")
    return entity
