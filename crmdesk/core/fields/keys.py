"""Field keys: the stable, safe names by which lookups, exports and imports know a field.

A key is derived once from the first label ("Fleet size" -> ``fleet_size``,
"Размер парка" -> ``razmer_parka``, "Įmonės kodas" -> ``imones_kodas``) and
then never changes, whatever the label becomes, so saved lookups and export
templates keep working. It is ASCII ``[a-z][a-z0-9_]*``, at most 40
characters, unique among the entity's fields, and never one of crmdesk's own
field names (``email``, ``status``, ``has`` ...), which would make
``email:x`` ambiguous. Labels with nothing to transliterate (CJK, emoji) get
``field_1``, ``field_2`` ... Keys are data, never SQL: they only ever select a
row of field_def.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from crmdesk.core.errors import Problem
from crmdesk.core.i18n import _
from crmdesk.core.text.folding import fold

MAX_KEY = 40
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*")

_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
})

# crmdesk's own names: lookup fields, Contact and Company columns, the parts of
# a contact's form, and the words of the lookup language. The lookup registry
# sits above this layer, so it cannot be asked; a test fails when it registers
# a field that is not reserved here (tests/core/test_layers_keys.py).
_RESERVED = frozenset({
    # lookup language and built-in lookup fields
    "has", "missing", "and", "or", "not", "name", "given", "family", "middle", "company",
    "city", "country", "region", "postcode", "address", "email", "phone", "tag", "status",
    "source", "birthday", "created", "updated", "deleted", "last_contact", "next_activity",
    "last_attempt", "overdue", "notes", "web", "job_title", "department", "nickname", "text", "any", "all", "id",
    "group",
    # Contact and Company columns
    "prefix", "given_name", "middle_name", "family_name", "suffix", "name_order",
    "display_name", "sort_key", "company_id", "birthday_year", "birthday_month",
    "birthday_day", "status_id", "source_id", "created_at", "updated_at", "deleted_at",
    "name_key", "industry",
    # the parts of a contact's form (ContactData) and of an export row
    "phones", "emails", "addresses", "links", "dates", "relatives", "tags", "photo",
    "photo_mime", "contacts", "history", "activities", "trash",
})


def reserved_keys() -> frozenset[str]:
    """Every key a custom field may not take."""
    return _RESERVED


def slug(label: str) -> str:
    """The ASCII words of a label joined by "_", or "" when it has none."""
    text = fold(label).translate(_CYRILLIC)
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if text and text[0].isdigit():
        text = "f_" + text
    return text[:MAX_KEY].rstrip("_")


def label_key(label: str) -> str:
    """A field's label written as a key, in any script: folded, its words joined by "_"
    ("Дата договора" -> ``дата_договора``, "合同日期" -> ``合同日期``), or "".

    Lookups accept it beside the field's stable key (catalog.lookup_names); it
    follows the label, so a renamed field is found by its new name.
    """
    return re.sub(r"\W+", "_", fold(label)).strip("_")


def _with_suffix(base: str, n: int) -> str:
    suffix = f"_{n}"
    return base[: MAX_KEY - len(suffix)].rstrip("_") + suffix


def derive_key(label: str, taken: Collection[str]) -> str:
    """A new key for a field labelled ``label``: see the module docstring."""
    used = set(taken) | reserved_keys()
    base = slug(label)
    if not base:
        n = 1
        while f"field_{n}" in used:
            n += 1
        return f"field_{n}"
    if base not in used:
        return base
    n = 2
    while _with_suffix(base, n) in used:
        n += 1
    return _with_suffix(base, n)


def check_key(key: str, taken: Collection[str]) -> Problem | None:
    """A problem with a key a user chose for a new field, or None."""
    if not KEY_PATTERN.fullmatch(key) or len(key) > MAX_KEY:
        return Problem("key", _(
            "{key!r} cannot be a field key: use up to {n} lower-case Latin letters, digits and "
            "_, starting with a letter (like fleet_size)."
        ).format(key=key, n=MAX_KEY))
    if key in reserved_keys():
        return Problem("key", _(
            "{key!r} is the name of one of crmdesk's own fields; choose another key."
        ).format(key=key))
    if key in taken:
        return Problem("key", _("Another field already has the key {key!r}.").format(key=key))
    return None
