"""File formats in and out (CSV, vCard, iCalendar, XLSX). No Qt here."""
