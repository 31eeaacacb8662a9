"""Everything PySide6. Calls core services; owns no rules."""

from crmdesk.ui import qtfix

qtfix.install()
