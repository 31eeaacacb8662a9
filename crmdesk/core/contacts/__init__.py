"""Contacts: the records and the services that change them."""
