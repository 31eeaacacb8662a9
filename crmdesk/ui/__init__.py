"""Everything PySide6, grouped by view. Calls core services; owns no rules."""
