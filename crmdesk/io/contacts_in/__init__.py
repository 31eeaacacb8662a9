"""Contacts coming in from other programs' files: vCards, CSV/TSV, XLSX and ODS sheets.

Each reader turns bytes into plain ContactData records and a list of what it
could not read (with the line or row it was on), and never raises on a bad
file: a user's one broken card must not cost them the other thousand.
"""
