"""Whole-file jobs above the domains: checks (and later backups and repairs)."""
