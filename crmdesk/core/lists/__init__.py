"""The user-editable drop-down lists (status, lead source, kinds, outcomes)."""
