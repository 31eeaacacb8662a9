"""Everything PySide6. Calls core services; owns no rules."""
