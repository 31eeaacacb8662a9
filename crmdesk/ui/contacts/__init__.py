"""The Contacts view: list, form, table model."""
