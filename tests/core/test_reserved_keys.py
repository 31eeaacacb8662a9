"""Custom field keys may not shadow a built-in lookup field.

The reserved names live in fields.keys, below the lookup registry that defines
the built-ins (a layer may not ask the one above it), so this test is what
keeps the two lists in step: a new built-in lookup field must be reserved.
"""

from crmdesk.core.fields.keys import check_key, reserved_keys
from crmdesk.core.lookup.contact_fields import builtin_keys


def test_every_builtin_lookup_field_is_reserved():
    missing = sorted(builtin_keys() - reserved_keys())
    assert missing == [], f"reserve these in crmdesk/core/fields/keys.py: {missing}"


def test_a_custom_field_cannot_take_a_builtin_key():
    for key in ("last_contact", "last_attempt", "city", "status", "tag"):
        problem = check_key(key, set())
        assert problem is not None, key
